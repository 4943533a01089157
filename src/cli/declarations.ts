import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { Value } from 'typebox/value';
import { type Document, LineCounter, parseDocument, stringify } from 'yaml';
import { ConfigError } from '../config-error.js';
import { type Declaration, DeclarationSchema } from '../modules/declarations/format.js';
import { ApiError, apiClient, withClientFlags } from './client.js';
import { emit } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}
interface Change {
  action: 'create' | 'update' | 'delete';
  kind: string;
  key: string;
  fields: FieldChange[];
}
interface Note {
  kind: string;
  key: string;
  note: string;
}
interface PlanView {
  organisation: string;
  hash: string;
  changes: Change[];
  notes: Note[];
}
interface DriftView {
  organisation: string;
  lastApply: { hash: string; appliedAt: string; isComplete: boolean } | null;
  drift: { drift: 'changed' | 'added' | 'removed'; kind: string; key: string; fields: FieldChange[] }[];
}

/** `stp plan` and `stp drift` exit with this when there is something to apply or something drifted (for CI). */
const exitWhenChanged = 2;

/** A declaration file read from disk, with what is needed to point at a line of it. */
interface DeclarationFile {
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
async function readDeclarationFile(file: string): Promise<DeclarationFile> {
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

/** Webhook secrets from the environment, by the variables the file names; only those that are set. */
function secretsFor(declaration: Declaration, env = process.env): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const webhook of declaration.webhooks ?? []) {
    const value = env[webhook.secretEnv];
    if (value) secrets[webhook.secretEnv] = value;
  }
  return secrets;
}

/** A refusal that names a field of the declaration is pointed at its line. */
function located(error: unknown, source: DeclarationFile): unknown {
  if (!(error instanceof ApiError)) return error;
  const errors = error.problem.errors as { field?: string }[] | undefined;
  const field = errors?.[0]?.field;
  if (!field?.startsWith('declaration.')) return error;
  return new ApiError(error.status, {
    ...error.problem,
    detail: `${source.where(field)}: ${error.problem.detail ?? error.message}`,
  });
}

const show = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
const symbols = { create: '+', update: '~', delete: '-' } as const;

function changeLines(changes: Change[]): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    lines.push(`${symbols[change.action]} ${change.action} ${change.kind} ${change.key}`);
    for (const field of change.fields) {
      lines.push(
        change.action === 'create'
          ? `    ${field.field}: ${show(field.to)}`
          : `    ${field.field}: ${show(field.from)} → ${show(field.to)}`,
      );
    }
  }
  return lines;
}

function summaryOf(changes: Change[]): string {
  const count = (action: Change['action']) => changes.filter((change) => change.action === action).length;
  return `${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete`;
}

function planLines(plan: PlanView): string[] {
  const lines = [`plan for ${plan.organisation} (declaration ${plan.hash})`];
  if (plan.changes.length === 0) lines.push('no changes: the platform matches the file');
  else lines.push(...changeLines(plan.changes), summaryOf(plan.changes));
  for (const note of plan.notes) lines.push(`! ${note.kind} ${note.key}: ${note.note}`);
  return lines;
}

/** `stp plan`, `stp apply`, `stp export`, `stp drift`: an organisation's setup as a reviewed file. */
export function registerDeclarationCommands(program: Command): void {
  withClientFlags(
    program
      .command('plan')
      .description(
        'compare a declaration file with the platform: exits 2 when an apply would change something',
      ),
  )
    .option('-f, --file <file>', 'the declaration file (YAML)', 'stp.yaml')
    .option('--prune', 'also delete what the file no longer names (plans, webhooks, harvest sources)')
    .action(async (options: ClientOptions & { file: string; prune?: boolean }) => {
      const source = await readDeclarationFile(options.file);
      const client = await apiClient(options);
      const plan = await client
        .request<PlanView>('POST', '/v1/declarations/plan', {
          declaration: source.declaration,
          documents: source.documents,
          prune: options.prune === true,
        })
        .catch((error: unknown) => {
          throw located(error, source);
        });
      emit(options.json === true, plan, () => planLines(plan));
      if (plan.changes.length > 0) process.exitCode = exitWhenChanged;
    });

  withClientFlags(
    program
      .command('apply')
      .description(
        'apply a declaration file (organisation admins): in dependency order, stopping at the first refusal',
      ),
  )
    .option('-f, --file <file>', 'the declaration file (YAML)', 'stp.yaml')
    .option('--prune', 'also delete what the file no longer names (plans, webhooks, harvest sources)')
    .action(async (options: ClientOptions & { file: string; prune?: boolean }) => {
      const source = await readDeclarationFile(options.file);
      const client = await apiClient(options);
      const json = options.json === true;
      try {
        const result = await client.request<{
          organisation: string;
          hash: string;
          applied: Change[];
          notes: Note[];
        }>('POST', '/v1/declarations/apply', {
          declaration: source.declaration,
          documents: source.documents,
          secrets: secretsFor(source.declaration),
          prune: options.prune === true,
        });
        emit(json, result, () => [
          `applied ${source.file} to ${result.organisation} (declaration ${result.hash})`,
          ...(result.applied.length === 0
            ? ['no changes: the platform already matched the file']
            : [...changeLines(result.applied), summaryOf(result.applied)]),
          ...result.notes.map((note) => `! ${note.kind} ${note.key}: ${note.note}`),
        ]);
      } catch (error) {
        const problem = error instanceof ApiError ? error.problem : undefined;
        const applied = (problem as { applied?: Change[] } | undefined)?.applied;
        if (applied && !json) {
          process.stdout.write(
            `${[`applied before the refusal (${applied.length}):`, ...changeLines(applied)].join('\n')}\n`,
          );
        }
        if (applied && json) process.stdout.write(`${JSON.stringify(problem, null, 2)}\n`);
        throw located(error, source);
      }
    });

  withClientFlags(
    program
      .command('export')
      .description(
        "write your organisation's live state as a declaration file (and its OpenAPI documents beside it)",
      ),
  )
    .option('-o, --out <file>', 'where to write the file; the documents go to openapi/ beside it', 'stp.yaml')
    .action(async (options: ClientOptions & { out: string }) => {
      const client = await apiClient(options);
      const exported = await client.request<{ declaration: Declaration; documents: Record<string, string> }>(
        'GET',
        '/v1/declarations/export',
      );
      const dir = path.dirname(path.resolve(options.out));
      for (const [relative, text] of Object.entries(exported.documents)) {
        const target = path.resolve(dir, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, text);
      }
      const header =
        '# STP Platform declaration, exported from the live state. Schema: /v1/declarations/schema\n' +
        '# Webhook secrets are never exported: set each secretEnv variable before `stp apply`.\n';
      await writeFile(options.out, header + stringify(exported.declaration, { lineWidth: 0 }));
      const documents = Object.keys(exported.documents);
      emit(options.json === true, { file: options.out, documents }, () => [
        `wrote ${options.out}${documents.length > 0 ? ` and ${documents.length} OpenAPI document(s): ${documents.join(', ')}` : ''}`,
      ]);
    });

  withClientFlags(
    program
      .command('drift')
      .description('objects changed outside the declaration file since its last apply: exits 2 when any did'),
  ).action(async (options: ClientOptions) => {
    const client = await apiClient(options);
    const drift = await client.request<DriftView>('GET', '/v1/declarations/drift');
    emit(options.json === true, drift, () => {
      if (!drift.lastApply) return `no declaration file was applied to ${drift.organisation} yet`;
      const lines = [
        `drift of ${drift.organisation} since ${drift.lastApply.appliedAt} (declaration ${drift.lastApply.hash}${drift.lastApply.isComplete ? '' : ', stopped at a refusal'})`,
      ];
      if (drift.drift.length === 0) lines.push('no drift: nothing changed outside the file');
      for (const entry of drift.drift) {
        lines.push(`${entry.drift} ${entry.kind} ${entry.key}`);
        for (const field of entry.fields)
          lines.push(`    ${field.field}: ${show(field.from)} → ${show(field.to)}`);
      }
      return lines;
    });
    if (drift.drift.length > 0) process.exitCode = exitWhenChanged;
  });
}
