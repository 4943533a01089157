import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Value } from 'typebox/value';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../config-error.js';
import { type Declaration, DeclarationSchema } from '../modules/declarations/format.js';

// Loaded only by the commands that read a declaration file (`stp plan`, `stp apply`): YAML and the
// declaration's schema are most of what the CLI would otherwise load for every command.

/** A declaration file read from disk, with what is needed to point at a line of it. */
export interface DeclarationFile {
  file: string;
  declaration: Declaration;
  documents: Record<string, string>;
  /** `file:line:column` of the value at a path (`apis.0.upstream`), or of the file when it has none. */
  where(field: string): string;
}

function locator(file: string, doc: Document, lines: LineCounter) {
  return (field: string) => {
    const segments = field
      .split('.')
      .filter((segment) => segment !== '' && segment !== 'declaration')
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    // The deepest node that exists: a missing property points at the object that lacks it.
    for (let depth = segments.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(segments.slice(0, depth), true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${file}:${line}:${col}`;
      }
    }
    return file;
  };
}

/**
 * Reads a declaration file (YAML, or JSON, which is YAML too): a syntax error or a value the schema
 * refuses is reported with the file, line and column, and the OpenAPI documents it names are read
 * from beside it.
 */
export async function readDeclarationFile(file: string): Promise<DeclarationFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [syntax] = doc.errors;
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    throw new ConfigError(`${file}:${line}:${col}: ${syntax.message.split('\n')[0]}`);
  }
  const where = locator(file, doc, lines);
  const value: unknown = doc.toJS();
  const [invalid] = Value.Errors(DeclarationSchema, value);
  if (invalid) {
    const field = invalid.instancePath.split('/').filter(Boolean).join('.');
    throw new ConfigError(`${where(field)}: ${field || '(the file)'}: ${invalid.message}`);
  }
  const declaration = value as Declaration;
  const documents: Record<string, string> = {};
  for (const [i, api] of (declaration.apis ?? []).entries()) {
    const documentPath = path.resolve(path.dirname(file), api.openapi);
    try {
      documents[api.openapi] = await readFile(documentPath, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `${where(`apis.${i}.openapi`)}: apis.${i}.openapi: cannot read ${api.openapi} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
  return { file, declaration, documents, where };
}
