/**
 * A small reader of OpenAPI 3.x and Swagger 2.0 documents (as JSON) for the API reference: the
 * operations grouped by tag, with their parameters, request body and responses, local `$ref`s
 * resolved. No library: the portal renders only what a consumer needs to call the API.
 */

export type JsonObject = Record<string, unknown>;

export interface ParameterModel {
  name: string;
  in: string;
  required: boolean;
  type: string;
  description: string | null;
  example: string | null;
}

export interface BodyModel {
  contentType: string;
  required: boolean;
  schema: unknown;
  example: string | null;
}

export interface ResponseModel {
  status: string;
  description: string;
  contentType: string | null;
  schema: unknown;
}

export interface OperationModel {
  key: string;
  method: string;
  path: string;
  operationId: string | null;
  summary: string | null;
  description: string | null;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterModel[];
  requestBody: BodyModel | null;
  responses: ResponseModel[];
}

export interface TagGroup {
  tag: string;
  description: string | null;
  operations: OperationModel[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const untagged = '';

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** Follows a local JSON pointer (`#/components/schemas/X`); anything else is left as it is. */
export function resolveRef(document: unknown, value: unknown, seen = new Set<string>()): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string') return value;
  const ref = value.$ref;
  if (!ref.startsWith('#/') || seen.has(ref)) return value;
  let target: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(target) && !Array.isArray(target)) return value;
    target = (target as Record<string, unknown>)[part];
  }
  if (target === undefined) return value;
  return resolveRef(document, target, new Set([...seen, ref]));
}

/** The name a `$ref` points at (`Building` for `#/components/schemas/Building`). */
export function refName(value: unknown): string | null {
  if (!isObject(value) || typeof value.$ref !== 'string') return null;
  return value.$ref.split('/').pop() ?? null;
}

function typeOf(document: unknown, schema: unknown): string {
  const name = refName(schema);
  const resolved = resolveRef(document, schema);
  if (!isObject(resolved)) return name ?? 'any';
  const type = Array.isArray(resolved.type) ? resolved.type.join(' | ') : text(resolved.type);
  if (type === 'array') return `${typeOf(document, resolved.items)}[]`;
  const format = text(resolved.format);
  const base = name ?? type ?? (isObject(resolved.properties) ? 'object' : 'any');
  return format && !name ? `${base} (${format})` : base;
}

function exampleText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function parameterModel(document: unknown, raw: unknown): ParameterModel | null {
  const p = resolveRef(document, raw);
  if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') return null;
  // Swagger 2.0 puts the type on the parameter itself; OpenAPI 3 in `schema`.
  const schema = p.schema ?? (p.type ? { type: p.type, format: p.format, items: p.items } : undefined);
  const resolvedSchema = resolveRef(document, schema);
  return {
    name: p.name,
    in: p.in,
    required: p.required === true || p.in === 'path',
    type: typeOf(document, schema),
    description: text(p.description),
    example: exampleText(
      p.example ??
        (isObject(resolvedSchema) ? (resolvedSchema.example ?? resolvedSchema.default) : undefined),
    ),
  };
}

function pickContent(content: unknown): { contentType: string; media: JsonObject } | null {
  if (!isObject(content)) return null;
  const types = Object.keys(content);
  const contentType = types.find((t) => /json/i.test(t)) ?? types[0];
  if (!contentType) return null;
  const media = content[contentType];
  return { contentType, media: isObject(media) ? media : {} };
}

function mediaExample(media: JsonObject): string | null {
  if (media.example !== undefined) return JSON.stringify(media.example, null, 2);
  if (isObject(media.examples)) {
    const first = Object.values(media.examples)[0];
    if (isObject(first) && first.value !== undefined) return JSON.stringify(first.value, null, 2);
  }
  return null;
}

function operationModel(
  document: JsonObject,
  isSwagger2: boolean,
  path: string,
  method: string,
  pathItem: JsonObject,
  raw: JsonObject,
): OperationModel {
  const byKey = new Map<string, ParameterModel>();
  let swaggerBody: BodyModel | null = null;
  const consumes = Array.isArray(raw.consumes)
    ? raw.consumes
    : Array.isArray(document.consumes)
      ? document.consumes
      : ['application/json'];
  for (const source of [pathItem.parameters, raw.parameters]) {
    if (!Array.isArray(source)) continue;
    for (const entry of source) {
      const resolved = resolveRef(document, entry);
      if (isSwagger2 && isObject(resolved) && resolved.in === 'body') {
        swaggerBody = {
          contentType: String(consumes[0] ?? 'application/json'),
          required: resolved.required === true,
          schema: resolved.schema,
          example: null,
        };
        continue;
      }
      const parameter = parameterModel(document, entry);
      // An operation's parameter overrides the path item's of the same name and location.
      if (parameter) byKey.set(`${parameter.in}:${parameter.name}`, parameter);
    }
  }
  let requestBody: BodyModel | null = swaggerBody;
  const body = resolveRef(document, raw.requestBody);
  if (isObject(body)) {
    const picked = pickContent(body.content);
    if (picked) {
      requestBody = {
        contentType: picked.contentType,
        required: body.required === true,
        schema: picked.media.schema,
        example: mediaExample(picked.media),
      };
    }
  }
  const responses: ResponseModel[] = [];
  if (isObject(raw.responses)) {
    for (const [status, value] of Object.entries(raw.responses)) {
      const response = resolveRef(document, value);
      if (!isObject(response)) continue;
      const picked = pickContent(response.content);
      responses.push({
        status,
        description: text(response.description) ?? '',
        contentType: picked?.contentType ?? (response.schema ? 'application/json' : null),
        schema: picked ? picked.media.schema : response.schema,
      });
    }
  }
  const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    key: `${method.toUpperCase()} ${path}`,
    method: method.toUpperCase(),
    path,
    operationId: text(raw.operationId),
    summary: text(raw.summary),
    description: text(raw.description),
    tags,
    deprecated: raw.deprecated === true,
    parameters: [...byKey.values()],
    requestBody,
    responses,
  };
}

/** Every operation of the document, in document order. */
export function operationsOf(document: unknown): OperationModel[] {
  if (!isObject(document) || !isObject(document.paths)) return [];
  const isSwagger2 = typeof document.swagger === 'string';
  const out: OperationModel[] = [];
  for (const [path, value] of Object.entries(document.paths)) {
    const pathItem = resolveRef(document, value);
    if (!isObject(pathItem)) continue;
    for (const method of methods) {
      const raw = pathItem[method];
      if (isObject(raw)) out.push(operationModel(document, isSwagger2, path, method, pathItem, raw));
    }
  }
  return out;
}

/**
 * Operations grouped by their first tag, in the order the document lists its tags (then the
 * order tags first appear); untagged operations come last under the empty tag.
 */
export function groupByTag(document: unknown, operations: OperationModel[]): TagGroup[] {
  const declared = isObject(document) && Array.isArray(document.tags) ? document.tags : [];
  const descriptions = new Map<string, string | null>();
  for (const tag of declared) {
    if (isObject(tag) && typeof tag.name === 'string') descriptions.set(tag.name, text(tag.description));
  }
  const groups = new Map<string, OperationModel[]>();
  for (const name of descriptions.keys()) groups.set(name, []);
  for (const operation of operations) {
    const tag = operation.tags[0] ?? untagged;
    const list = groups.get(tag) ?? [];
    list.push(operation);
    groups.set(tag, list);
  }
  const ordered = [...groups.entries()].filter(([, list]) => list.length > 0);
  ordered.sort(([a], [b]) => (a === untagged ? 1 : 0) - (b === untagged ? 1 : 0));
  return ordered.map(([tag, list]) => ({
    tag,
    description: descriptions.get(tag) ?? null,
    operations: list,
  }));
}

/**
 * A schema as readable text, TypeScript-like: `{ id: string; tags?: string[] }`, indented, with
 * named `$ref`s expanded once (a cycle or depth beyond `maxDepth` shows the name only).
 */
export function schemaToText(document: unknown, schema: unknown, maxDepth = 6): string {
  const render = (value: unknown, indent: string, depth: number, seen: Set<string>): string => {
    const name = refName(value);
    if (name && (seen.has(name) || depth >= maxDepth)) return name;
    const nextSeen = name ? new Set([...seen, name]) : seen;
    const s = resolveRef(document, value);
    if (!isObject(s)) return 'any';
    for (const combiner of ['oneOf', 'anyOf', 'allOf'] as const) {
      const parts = s[combiner];
      if (Array.isArray(parts) && parts.length > 0) {
        const joined = parts.map((p) => render(p, indent, depth + 1, nextSeen));
        return joined.join(combiner === 'allOf' ? ' & ' : ' | ');
      }
    }
    if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
    const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
    if (type === 'array') {
      const item = render(s.items, indent, depth + 1, nextSeen);
      return item.includes('\n') || item.includes('|') ? `Array<${item}>` : `${item}[]`;
    }
    if (type === 'object' || isObject(s.properties)) {
      const properties = isObject(s.properties) ? Object.entries(s.properties) : [];
      if (properties.length === 0) return 'object';
      const required = new Set(Array.isArray(s.required) ? s.required : []);
      const inner = `${indent}  `;
      const lines = properties.map(
        ([key, prop]) =>
          `${inner}${key}${required.has(key) ? '' : '?'}: ${render(prop, inner, depth + 1, nextSeen)};`,
      );
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    const format = typeof s.format === 'string' ? ` (${s.format})` : '';
    return `${typeof type === 'string' ? type : 'any'}${format}`;
  };
  return render(schema, '', 0, new Set());
}

/** Fills `{param}` in a path template with the values given, percent-encoded. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** `*` matches one segment, `**` any number; as the gateway matches a plan's paths (routing.ts). */
export function pathPatternMatches(pattern: string, template: string): boolean {
  const p = pattern.split('/').slice(1);
  const t = template.split('/').slice(1);
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '**') {
      for (let k = j; k <= t.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    if (j === t.length) return false;
    if (p[i] !== '*' && p[i] !== t[j]) return false;
    return match(i + 1, j + 1);
  };
  return match(0, 0);
}

/** Whether a plan includes an operation: by tag or path pattern; a plan naming neither has all. */
export function planIncludes(
  plan: { includedTags: string[]; includedPaths: string[] },
  operation: { tags: string[]; path: string },
): boolean {
  return (
    (plan.includedTags.length === 0 && plan.includedPaths.length === 0) ||
    operation.tags.some((tag) => plan.includedTags.includes(tag)) ||
    plan.includedPaths.some((pattern) => pathPatternMatches(pattern, operation.path))
  );
}
