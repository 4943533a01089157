import SwaggerParser from '@apidevtools/swagger-parser';
import YAML from 'yaml';
import { AppError } from '../../errors.js';
import type { ApiOperation, NormalisedSpec, SpecFormat } from './schema.js';

export type SourceFormat = 'json' | 'yaml';

/** An imported document, parsed once: what the catalogue stores, searches and hands to the gateway. */
export interface ParsedOpenApi {
  specFormat: SpecFormat;
  sourceFormat: SourceFormat;
  /** The document as uploaded (an object upload is kept as pretty-printed JSON). */
  original: string;
  normalised: NormalisedSpec;
  /**
   * The OpenAPI parts with every internal $ref replaced by its target; may be circular where the
   * schemas are. Extensions are kept, but a `$ref` inside one is the vendor's data, not followed.
   */
  dereferenced: Record<string, unknown>;
  /** What the validator lets through but a provider should fix (duplicate or empty enums). */
  warnings: DocumentIssue[];
}

/** One finding against the document; `field` is a JSON pointer into it (RFC 6901). */
export interface DocumentIssue {
  field: string;
  message: string;
}

type Json = Record<string, unknown>;

// The operation keys of a path item, in the order the specifications list them
// (OpenAPI 3.1 §4.8.9, Swagger 2.0 "Path Item Object"; Swagger 2.0 has no trace).
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const maxIssues = 20;

/**
 * Refuse, don't ignore: with `external: false` the parser merely skips external $refs, and with a
 * file resolver it would read them relative to the server's working directory. Both resolvers are
 * switched off as well, so even a $ref this module failed to spot cannot reach the disk or network.
 */
const parserOptions = {
  resolve: { external: false, file: false, http: false },
  dereference: { circular: true },
} as unknown as SwaggerParser.Options;

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => `/${escapePointerToken(String(token))}`).join('');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(
  detail: string,
  pointer: string | undefined,
  errors: DocumentIssue[] = [],
  extra: Json = {},
) {
  return new AppError('invalid-openapi', detail, {
    ...(pointer === undefined ? {} : { pointer }),
    errors: errors.slice(0, maxIssues),
    ...extra,
  });
}

// ---- reading the text ------------------------------------------------------------------------

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The JSON pointer of the deepest node whose source range holds `offset`, so a syntax error can
 * say which part of the document it broke in, not only the line.
 */
function pointerAtOffset(document: YAML.Document, offset: number): string {
  let best: (string | number)[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (YAML.isMap(node)) {
      for (const pair of node.items) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const range = (pair.key as YAML.Node | null)?.range;
        const end = (pair.value as YAML.Node | null)?.range?.[2] ?? range?.[2];
        if (range && end !== undefined && range[0] <= offset && offset <= end) {
          best = [...path, key];
          walk(pair.value, best);
        }
      }
    } else if (YAML.isSeq(node)) {
      node.items.forEach((item, index) => {
        const range = (item as YAML.Node | null)?.range;
        if (range && range[0] <= offset && offset <= range[2]) {
          best = [...path, index];
          walk(item, best);
        }
      });
    }
  };
  walk(document.contents, []);
  return pointerOf(best);
}

function syntaxError(text: string, offset: number, message: string, format: SourceFormat): AppError {
  const { line, column } = lineColumnAt(text, offset);
  const partial = YAML.parseDocument(text, { prettyErrors: false });
  return invalid(
    `the document is not valid ${format === 'json' ? 'JSON' : 'YAML'} at line ${line}, column ${column}: ${message}`,
    pointerAtOffset(partial, offset),
    [],
    { line, column },
  );
}

/**
 * JSON goes through JSON.parse, not the YAML parser that would also accept it: it is two orders of
 * magnitude faster on multi-megabyte documents, and a file that says it is JSON should be strict JSON.
 */
function parseText(raw: string): { value: unknown; sourceFormat: SourceFormat; text: string } {
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw invalid('the document is empty', '');
  if (text.trimStart().startsWith('{')) {
    try {
      return { value: JSON.parse(text), sourceFormat: 'json', text };
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      return syntaxFailure(text, position ? Number(position[1]) : 0, message, 'json');
    }
  }
  const document = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const [first] = document.errors;
  if (first) return syntaxFailure(text, first.pos[0], first.message, 'yaml');
  try {
    // YAML aliases can expand a small text into a huge tree ("billion laughs"); the cap stops that.
    return { value: document.toJS({ maxAliasCount: 1000 }), sourceFormat: 'yaml', text };
  } catch (error) {
    throw invalid(`the YAML document cannot be read: ${(error as Error).message}`, '');
  }
}

function syntaxFailure(text: string, offset: number, message: string, format: SourceFormat): never {
  throw syntaxError(text, offset, message, format);
}

// ---- checks before the validator ---------------------------------------------------------------

/**
 * Keys whose values map names the author chose to objects: a property called `x-id`, a header
 * `x-request-id`, a security scheme `x-partner`. An `x-` key there is a name, not an extension.
 */
const nameMaps = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
  'schemas',
  'parameters',
  'headers',
  'content',
  'encoding',
  'scopes',
  'variables',
  'mapping',
  'securitySchemes',
  'securityDefinitions',
  'security',
  'examples',
  'requestBodies',
  'links',
  'callbacks',
  'pathItems',
  'webhooks',
]);

/** Keys whose values are data (a default, an example): nothing inside is OpenAPI. */
const dataKeys = new Set(['example', 'default', 'const', 'enum', 'value']);

interface DocumentParts {
  /** An `x-` extension's value at `path` (OpenAPI 3.1 §4.9, Swagger 2.0 "Vendor Extensions"). */
  extension?: (value: unknown, path: (string | number)[]) => void;
  /** A schema's `enum` list at `path`. */
  enumList?: (values: unknown[], path: (string | number)[]) => void;
}

/**
 * Walks the OpenAPI parts of a document, telling extensions apart from names that merely start
 * with `x-`, and never reading into data values (examples and defaults may hold any keys at all).
 */
function walkParts(root: Json, visit: DocumentParts): void {
  const seen = new Set<object>();
  const walk = (node: unknown, path: (string | number)[], isNameMap: boolean) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      const key = path[path.length - 1];
      node.forEach((item, index) => {
        walk(item, [...path, index], key === 'security');
      });
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, key];
      if (isNameMap) {
        walk(child, at, false);
      } else if (key.startsWith('x-')) {
        visit.extension?.(child, at);
      } else if (key === 'enum' && Array.isArray(child)) {
        visit.enumList?.(child, at);
      } else if (dataKeys.has(key) || (key === 'examples' && Array.isArray(child))) {
        // data: an example or a default is what the API sends, not part of its description
      } else {
        walk(child, at, nameMaps.has(key));
      }
    }
  };
  walk(root, [], false);
}

/**
 * A `$ref` inside an extension (a vendor's link to its own docs, often external) is the vendor's
 * business: it is neither checked nor followed, so it cannot refuse a valid document. The document
 * given to the validator drops those references; the stored original keeps them as written.
 */
function dropExtensionReferences(root: Json): void {
  walkParts(root, {
    extension: (value) => {
      const seen = new Set<object>();
      const stack = [value];
      while (stack.length > 0) {
        const node = stack.pop();
        if (typeof node !== 'object' || node === null || seen.has(node)) continue;
        seen.add(node);
        if (!Array.isArray(node) && typeof (node as Json).$ref === 'string') delete (node as Json).$ref;
        stack.push(...(Array.isArray(node) ? node : Object.values(node)));
      }
    },
  });
}

/**
 * Spec violations the validator tolerates: a duplicate enum value (JSON Schema: "elements in the
 * array SHOULD be unique") and an empty enum, which no value can satisfy.
 */
function warningsOf(root: Json): DocumentIssue[] {
  const warnings: DocumentIssue[] = [];
  walkParts(root, {
    enumList: (values, path) => {
      const field = pointerOf(path);
      if (values.length === 0) {
        warnings.push({ field, message: 'enum is empty: no value can match it' });
        return;
      }
      const seen = new Set<string>();
      const repeated = new Set<string>();
      for (const value of values) {
        const key = JSON.stringify(value);
        if (seen.has(key)) repeated.add(key);
        seen.add(key);
      }
      if (repeated.size > 0) {
        warnings.push({ field, message: `enum lists ${[...repeated].join(', ')} more than once` });
      }
    },
  });
  return warnings.slice(0, maxIssues);
}

function resolvesInternally(root: unknown, ref: string): boolean {
  let current: unknown = root;
  const tokens = ref.slice(1).split('/').slice(1);
  for (const raw of tokens) {
    let token: string;
    try {
      // A fragment is URI-encoded (RFC 6901 §6) before the pointer's own ~ escapes are undone.
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return false;
    }
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return false;
    // A pointer through another $ref is the validator's to follow; don't second-guess it.
    if (isObject(current) && typeof current.$ref === 'string') return true;
  }
  return current !== undefined;
}

/**
 * One walk over the document before it reaches the validator: refuses external $refs (a document
 * must not make the platform read `file:///etc/passwd` or fetch an internal URL), points at
 * internal $refs that lead nowhere, and refuses `__proto__` keys that would poison whoever later
 * merges the document into another object.
 */
function checkReferences(root: Json): void {
  const seen = new Set<object>();
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        stack.push({ value: item, path: [...path, index] });
      });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === '__proto__') {
        throw invalid('a key named __proto__ is not allowed', pointerOf([...path, key]));
      }
      if (key === '$ref' && typeof child === 'string') {
        const pointer = pointerOf([...path, key]);
        if (!child.startsWith('#')) {
          throw invalid(
            `only references inside the document (#/…) are allowed; "${child}" points outside it`,
            pointer,
            [{ field: pointer, message: 'external references are refused' }],
          );
        }
        if (!resolvesInternally(root, child)) {
          throw invalid(`the reference "${child}" points at nothing in the document`, pointer, [
            { field: pointer, message: `${child} does not exist` },
          ]);
        }
        continue;
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
}

function specFormatOf(doc: Json): SpecFormat {
  if ('swagger' in doc) {
    if (doc.swagger === '2.0') return 'swagger-2.0';
    throw invalid(
      `swagger must be the string "2.0", found ${JSON.stringify(doc.swagger)}${
        typeof doc.swagger === 'number' ? ' (quote it in YAML)' : ''
      }`,
      '/swagger',
    );
  }
  if ('openapi' in doc) {
    const version = doc.openapi;
    if (typeof version === 'string' && /^3\.0\.\d+$/.test(version)) return 'openapi-3.0';
    if (typeof version === 'string' && /^3\.1\.\d+$/.test(version)) return 'openapi-3.1';
    throw invalid(
      `openapi must be a 3.0.x or 3.1.x version string, found ${JSON.stringify(version)}`,
      '/openapi',
    );
  }
  throw invalid('not an OpenAPI document: it has neither an "openapi" nor a "swagger" field', '', [
    { field: '/openapi', message: 'is required' },
  ]);
}

// ---- the validator's findings --------------------------------------------------------------------

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Ajv's findings as "where: what", the missing or unknown key folded into the pointer. */
function issuesOf(details: AjvIssue[]): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const keys = new Set<string>();
  for (const detail of details) {
    // The branches of oneOf/anyOf report their own, more precise findings.
    if (['oneOf', 'anyOf', 'if', 'then', 'else', '$ref', 'false schema'].includes(detail.keyword)) continue;
    let field = detail.instancePath;
    let message = detail.message ?? 'is invalid';
    const params = detail.params ?? {};
    if (detail.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = `${field}/${escapePointerToken(params.missingProperty)}`;
      message = 'is required';
    } else if (detail.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      field = `${field}/${escapePointerToken(params.additionalProperty)}`;
      message = 'is not allowed here';
    } else if (detail.keyword === 'unevaluatedProperties' && typeof params.unevaluatedProperty === 'string') {
      field = `${field}/${escapePointerToken(params.unevaluatedProperty)}`;
      message = 'is not allowed here';
    }
    const key = `${field} ${message}`;
    if (keys.has(key)) continue;
    keys.add(key);
    issues.push({ field, message });
  }
  // The deepest finding is the most specific one: report it first.
  return issues.sort((a, b) => b.field.split('/').length - a.field.split('/').length);
}

/**
 * The Swagger 2.0 semantic checks say where with unescaped paths ("/paths/users/{id}/get has …");
 * this maps such a path back to a JSON pointer by matching the document's own path keys.
 */
function pointerFromMessage(message: string, doc: Json): string | undefined {
  const duplicate = /Duplicate operation id '([^']+)'/.exec(message);
  const paths = isObject(doc.paths) ? doc.paths : {};
  if (duplicate) {
    let found = 0;
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const method of methods) {
        const operation = item[method];
        if (isObject(operation) && operation.operationId === duplicate[1] && ++found === 2) {
          return pointerOf(['paths', path, method, 'operationId']);
        }
      }
    }
    return '/paths';
  }
  const at = /(\/(?:paths|definitions)\/\S*)/.exec(message)?.[1];
  if (!at) return undefined;
  const [, section, ...restTokens] = at.split('/');
  const rest = `/${restTokens.join('/')}`;
  const keys = Object.keys(section === 'paths' ? paths : isObject(doc.definitions) ? doc.definitions : {});
  const key = keys
    .filter((k) => rest.startsWith(section === 'paths' ? k : `/${k}`))
    .sort((a, b) => b.length - a.length)[0];
  if (key === undefined) return `/${section}`;
  const remainder = rest.slice(section === 'paths' ? key.length : key.length + 1);
  return `/${section}/${escapePointerToken(key)}${remainder}`;
}

const formatNames: Record<SpecFormat, string> = {
  'swagger-2.0': 'Swagger 2.0',
  'openapi-3.0': 'OpenAPI 3.0',
  'openapi-3.1': 'OpenAPI 3.1',
};

async function validate(doc: Json, format: SpecFormat): Promise<Json> {
  try {
    return (await SwaggerParser.validate(doc as never, parserOptions)) as unknown as Json;
  } catch (error) {
    const failure = error as Error & { details?: AjvIssue[] };
    if (Array.isArray(failure.details)) {
      const issues = issuesOf(failure.details);
      const first = issues[0];
      const detail = first
        ? `not valid ${formatNames[format]}: ${first.field || '/'} ${first.message}${
            issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
          }`
        : `the document does not match the ${formatNames[format]} schema`;
      throw invalid(detail, first?.field ?? '', issues);
    }
    const message = `not valid ${formatNames[format]}: ${failure.message.replace(/^Validation failed\.\s*/, '')}`;
    const pointer = pointerFromMessage(failure.message, doc);
    throw invalid(message, pointer ?? '', pointer ? [{ field: pointer, message }] : []);
  }
}

// ---- normalising -----------------------------------------------------------------------------------

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function operationsOf(doc: Json): ApiOperation[] {
  const operations: ApiOperation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: stringOrNull(operation.operationId),
        summary: stringOrNull(operation.summary),
        description: stringOrNull(operation.description),
        tags: Array.isArray(operation.tags) ? operation.tags.filter((t) => typeof t === 'string') : [],
      });
    }
  }
  return operations;
}

/** Declared tags first, in the document's order, then any an operation uses without declaring. */
function tagsOf(doc: Json, operations: ApiOperation[]): string[] {
  const tags = new Set<string>();
  if (Array.isArray(doc.tags)) {
    for (const tag of doc.tags) if (isObject(tag) && typeof tag.name === 'string') tags.add(tag.name);
  }
  for (const operation of operations) for (const tag of operation.tags) tags.add(tag);
  return [...tags];
}

const swagger2Flows: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};

const schemeFields = [
  'type',
  'description',
  'name',
  'in',
  'scheme',
  'bearerFormat',
  'flows',
  'openIdConnectUrl',
];

/** Security schemes in the OpenAPI 3 shape whatever the source, so plans and the portal read one form. */
function securitySchemesOf(doc: Json, format: SpecFormat): NormalisedSpec['securitySchemes'] {
  const out: NormalisedSpec['securitySchemes'] = {};
  if (format === 'swagger-2.0') {
    const definitions = isObject(doc.securityDefinitions) ? doc.securityDefinitions : {};
    for (const [name, definition] of Object.entries(definitions)) {
      if (!isObject(definition) || typeof definition.type !== 'string') continue;
      const description = stringOrNull(definition.description);
      const common = description === null ? {} : { description };
      if (definition.type === 'basic') {
        out[name] = { type: 'http', scheme: 'basic', ...common };
      } else if (definition.type === 'apiKey') {
        out[name] = { type: 'apiKey', in: definition.in, name: definition.name, ...common };
      } else if (definition.type === 'oauth2') {
        const flow = swagger2Flows[String(definition.flow)] ?? String(definition.flow);
        const details: Json = { scopes: isObject(definition.scopes) ? definition.scopes : {} };
        if (typeof definition.authorizationUrl === 'string')
          details.authorizationUrl = definition.authorizationUrl;
        if (typeof definition.tokenUrl === 'string') details.tokenUrl = definition.tokenUrl;
        out[name] = { type: 'oauth2', flows: { [flow]: details }, ...common };
      } else {
        out[name] = { type: definition.type, ...common };
      }
    }
    return out;
  }
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme) || typeof scheme.type !== 'string') continue;
    const kept: { type: string; [key: string]: unknown } = { type: scheme.type };
    for (const field of schemeFields) if (scheme[field] !== undefined) kept[field] = scheme[field];
    out[name] = kept;
  }
  return out;
}

/** Server URLs with their variables set to the defaults (OpenAPI 3 §4.8.5). */
function serversOf(doc: Json, format: SpecFormat): string[] {
  if (format === 'swagger-2.0') {
    if (typeof doc.host !== 'string') return [];
    const basePath = typeof doc.basePath === 'string' ? doc.basePath : '';
    const schemes = Array.isArray(doc.schemes) && doc.schemes.length > 0 ? doc.schemes : ['https'];
    return schemes.map((scheme) => `${String(scheme)}://${doc.host}${basePath}`);
  }
  if (!Array.isArray(doc.servers)) return [];
  return doc.servers.filter(isObject).flatMap((server) => {
    if (typeof server.url !== 'string') return [];
    const variables = isObject(server.variables) ? server.variables : {};
    return [
      server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const variable = variables[name];
        return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
      }),
    ];
  });
}

function normalise(doc: Json, format: SpecFormat): NormalisedSpec {
  const info = isObject(doc.info) ? doc.info : {};
  const operations = operationsOf(doc);
  return {
    title: typeof info.title === 'string' ? info.title : '',
    description: stringOrNull(info.description),
    version: typeof info.version === 'string' ? info.version : String(info.version ?? ''),
    operations,
    tags: tagsOf(doc, operations),
    securitySchemes: securitySchemesOf(doc, format),
    servers: serversOf(doc, format),
  };
}

/**
 * Parses, validates and dereferences a Swagger 2.0 or OpenAPI 3.0/3.1 document given as JSON or
 * YAML text, or as an already-parsed object. Anything wrong is an `invalid-openapi` error whose
 * `pointer` says where in the document (and `line`/`column` for a syntax error).
 */
export async function parseOpenApi(input: string | object): Promise<ParsedOpenApi> {
  let doc: unknown;
  let sourceFormat: SourceFormat;
  let original: string;
  if (typeof input === 'string') {
    const parsed = parseText(input);
    doc = parsed.value;
    sourceFormat = parsed.sourceFormat;
    original = input;
  } else {
    // The parser dereferences in place; the caller's object stays as it was.
    doc = structuredClone(input);
    sourceFormat = 'json';
    original = JSON.stringify(input, null, 2);
  }
  if (!isObject(doc)) throw invalid('the document must be an object (a mapping at the top level)', '');
  dropExtensionReferences(doc);
  checkReferences(doc);
  const specFormat = specFormatOf(doc);
  // The validator answers these two with messages that name no place ("[object Object] is not a
  // valid Openapi API definition"), so they are checked here where a pointer can be given.
  if (doc.paths === undefined && (specFormat !== 'openapi-3.1' || doc.webhooks === undefined)) {
    throw invalid('the document has no paths object', '/paths', [
      { field: '/paths', message: 'is required' },
    ]);
  }
  if (isObject(doc.info) && typeof doc.info.version === 'number') {
    throw invalid('info.version must be a string (quote it in YAML)', '/info/version', [
      { field: '/info/version', message: 'must be a string' },
    ]);
  }
  // Read before the validator dereferences the document in place: a warning points at the enum
  // where it is written, not at every place a $ref copied it to.
  const warnings = warningsOf(doc);
  const dereferenced = await validate(doc, specFormat);
  return {
    specFormat,
    sourceFormat,
    original,
    normalised: { ...normalise(dereferenced, specFormat), warnings },
    dereferenced,
    warnings,
  };
}

/** Where consumers call an API: the gateway path, relative to the platform's address. */
export function gatewayPath(slug: string): string {
  return `/gw/${slug}`;
}

// ---- the consumer's copy ----------------------------------------------------------------------------

/** A top-level member of a JSON object as it stands in the text: `start` at its key, `end` after its value. */
interface JsonMember {
  key: string;
  start: number;
  end: number;
}

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}

function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The end of the JSON value starting at `at`; the text is known to be valid JSON. */
function skipValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return skipString(text, at);
  if (first !== '{' && first !== '[') {
    let i = at;
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      i = skipString(text, i);
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

function topLevelMembers(text: string): { open: number; members: JsonMember[] } {
  const open = text.indexOf('{');
  const members: JsonMember[] = [];
  let i = skipWhitespace(text, open + 1);
  while (text[i] === '"') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const end = skipValue(text, valueStart);
    members.push({ key, start: i, end });
    i = skipWhitespace(text, end);
    if (text[i] === ',') i = skipWhitespace(text, i + 1);
  }
  return { open, members };
}

/**
 * Sets or removes top-level members of a JSON document by editing its text, so every other byte
 * stays as the provider wrote it: JSON.parse would round 64-bit integers (an int64 `maximum`,
 * a big `example`) to the nearest double and lose the layout.
 */
function editJsonMembers(
  original: string,
  changes: Record<string, unknown | undefined>,
  after: string,
): string {
  let text = original;
  for (const [key, value] of Object.entries(changes)) {
    const { open, members } = topLevelMembers(text);
    const index = members.findIndex((member) => member.key === key);
    const first = members[0];
    // The indentation of the first member, reused for what is written; none in a one-line document.
    const lead = first ? text.slice(open + 1, first.start) : '';
    const unit = lead.includes('\n') ? lead.slice(lead.lastIndexOf('\n') + 1) : '';
    const rendered =
      value === undefined
        ? ''
        : `${JSON.stringify(key)}: ${JSON.stringify(value, null, unit || undefined).replace(/\n/g, `\n${unit}`)}`;
    const member = members[index];
    if (member && value !== undefined) {
      text = text.slice(0, member.start) + rendered + text.slice(member.end);
    } else if (member) {
      const next = members[index + 1];
      const previous = members[index - 1];
      if (next) text = text.slice(0, member.start) + text.slice(next.start);
      else if (previous) text = text.slice(0, previous.end) + text.slice(member.end);
      else text = text.slice(0, member.start) + text.slice(member.end);
    } else if (value !== undefined) {
      const anchor = members.find((m) => m.key === after) ?? members[members.length - 1];
      text = anchor
        ? `${text.slice(0, anchor.end)},${lead}${rendered}${text.slice(anchor.end)}`
        : `${text.slice(0, open + 1)}${lead}${rendered}${text.slice(open + 1)}`;
    }
  }
  return text;
}

/**
 * The end of the line where a node's content ends. A block node's range runs on to where the next
 * key starts, so the whitespace before that is stepped back over first.
 */
function endOfLine(text: string, at: number): number {
  let end = at;
  while (end > 0 && ' \t\r\n'.includes(text[end - 1]!)) end--;
  const newline = text.indexOf('\n', end);
  return newline === -1 ? text.length : newline;
}

/**
 * The same for YAML: the document's own nodes say where each top-level pair stands, and only those
 * lines are rewritten, so quoted strings stay quoted (a `'2024-01-01'` is not turned into a date by
 * the next reader), comments and anchors stay. A flow-style top level (`{…}` on one line) is edited
 * through the document model instead.
 */
function editYamlPairs(
  original: string,
  changes: Record<string, unknown | undefined>,
  after: string,
): string {
  const document = YAML.parseDocument(original);
  const root = document.contents;
  if (!YAML.isMap(root) || root.flow) {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) document.delete(key);
      else document.set(key, document.createNode(value));
    }
    return document.toString({ lineWidth: 0 });
  }
  const edits: { start: number; end: number; text: string }[] = [];
  const pairOf = (key: string) =>
    root.items.find((pair) => YAML.isScalar(pair.key) && pair.key.value === key) as
      | YAML.Pair<YAML.Scalar, YAML.Node | null>
      | undefined;
  for (const [key, value] of Object.entries(changes)) {
    const rendered =
      value === undefined ? '' : new YAML.Document({ [key]: value }).toString({ lineWidth: 0 }).trimEnd();
    const pair = pairOf(key);
    const keyRange = pair?.key.range;
    if (pair && keyRange) {
      const valueEnd = pair.value?.range?.[1] ?? keyRange[1];
      const lineEnd = endOfLine(original, valueEnd);
      edits.push(
        value === undefined
          ? { start: keyRange[0], end: Math.min(lineEnd + 1, original.length), text: '' }
          : { start: keyRange[0], end: lineEnd, text: rendered },
      );
    } else if (value !== undefined) {
      const anchor = pairOf(after) ?? (root.items[root.items.length - 1] as typeof pair);
      const anchorEnd = anchor?.value?.range?.[1] ?? anchor?.key.range?.[1];
      if (anchorEnd === undefined) {
        edits.push({ start: 0, end: 0, text: `${rendered}\n` });
      } else {
        const lineEnd = endOfLine(original, anchorEnd);
        edits.push({ start: lineEnd, end: lineEnd, text: `\n${rendered}` });
      }
    }
  }
  let text = original;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}

/**
 * The document as a consumer should see it: servers (OpenAPI 3) or host/basePath/schemes
 * (Swagger 2.0) replaced by the gateway path, in the format it was uploaded in.
 */
export function pointAtGateway(
  original: string,
  formats: { sourceFormat: SourceFormat; specFormat: SpecFormat },
  slug: string,
): string {
  const { sourceFormat, specFormat } = formats;
  const text = original.replace(/^\uFEFF/, '');
  const edit = sourceFormat === 'json' ? editJsonMembers : editYamlPairs;
  if (specFormat === 'swagger-2.0') {
    return edit(text, { host: undefined, schemes: undefined, basePath: gatewayPath(slug) }, 'info');
  }
  return edit(text, { servers: [{ url: gatewayPath(slug), description: 'STP Platform gateway' }] }, 'info');
}
