import type { IncomingHttpHeaders } from 'node:http';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { ApiOperation } from '../catalog/schema.js';

/**
 * Request validation against an API's dereferenced OpenAPI document (`api.validateRequests`).
 * Validators are compiled once per document, when a snapshot is compiled, never per request:
 * one ajv function per parameter location (path, query, header) and one for the JSON request
 * body of each operation. A failure names the place and what was expected, in the form
 * `query/hours: must be <= 168`.
 *
 * Dialects: OpenAPI 3.1 schemas are JSON Schema 2020-12 (Ajv2020); OpenAPI 3.0 and Swagger 2.0
 * schemas are draft-04-like subsets, rewritten for draft-07 (boolean exclusiveMinimum/Maximum,
 * `nullable`/`x-nullable`, `type: file`). Swagger 2.0 parameters carry their schema in their own
 * `type`/`items`/`collectionFormat` fields and the body in an `in: body` parameter.
 *
 * Not checked (passed through): object-valued parameters (deepObject and exploded form objects),
 * cookie parameters, form bodies (`in: formData`, urlencoded, multipart) and any non-JSON body.
 */

/** A failure message: `{location}/{field}: {what was expected}`. */
export type ValidationDetail = string;

export interface ParameterInput {
  /** The request's decoded path segments below the API. */
  segments: readonly string[];
  /** The query string without `?` ('' for none). */
  query: string;
  headers: IncomingHttpHeaders;
}

/** What the gateway does with a body before proxying it. */
export type BodyCheck =
  | { kind: 'none' }
  | { kind: 'refuse'; detail: ValidationDetail }
  /** Buffer the body (up to the body limit), then check it; null = valid. */
  | { kind: 'json'; check(body: Buffer): ValidationDetail | null };

export interface OperationValidation {
  /** Checks path, query and header parameters; the first failure, or null when they match. */
  parameters(input: ParameterInput): ValidationDetail | null;
  /** What to check of the body, given the request's Content-Type and whether it sends a body. */
  body(contentType: string | undefined, hasBody: boolean): BodyCheck;
}

export interface CompiledValidation {
  /** By operation object of the snapshot API; an operation absent here is not validated. */
  operations: Map<ApiOperation, OperationValidation>;
  /** Schemas that could not be compiled and are therefore not checked, for the gateway's log. */
  warnings: string[];
}

type Json = Record<string, unknown>;
type Dialect = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const noCheck: BodyCheck = { kind: 'none' };

// ---- schema dialects → what ajv compiles ----

/** Keywords whose values are data, not schemas: never rewritten. */
const dataKeywords = new Set(['enum', 'const', 'default', 'example', 'examples']);

/** Draft-04 style `exclusiveMinimum: true` beside `minimum` (OpenAPI 3.0, Swagger 2.0). */
function rewriteDraft04(out: Json) {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
  if (out['x-nullable'] === true) out.nullable = true;
  if (out.nullable === true) {
    // OpenAPI 3.0 §4.7.24.1: null is allowed too. Draft-07 says it with a type list.
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  delete out.nullable;
  if (out.type === 'file') delete out.type;
}

/**
 * A copy of a (dereferenced) schema that ajv can compile: dialect keywords rewritten, `$id` and
 * `$schema` dropped (the same component appears under many operations), properties that are
 * `readOnly` not required in a request (OpenAPI 3.0 §4.7.24.1), and cycles — a dereferenced
 * recursive schema is a circular object — turned back into `$ref`s to local definitions.
 */
function toAjvSchema(schema: unknown, dialect: Dialect): Json | boolean {
  const defsKeyword = dialect === 'openapi-3.1' ? '$defs' : 'definitions';
  const defs: Json = {};
  const onPath = new Set<object>();
  const defNames = new Map<object, string>();
  const converted = new Map<object, unknown>();

  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (!isObject(node)) return node;
    const seen = converted.get(node);
    if (seen !== undefined) return seen;
    if (onPath.has(node)) {
      let name = defNames.get(node);
      if (!name) {
        name = `s${defNames.size}`;
        defNames.set(node, name);
      }
      return { $ref: `#/${defsKeyword}/${name}` };
    }
    onPath.add(node);
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id' || key === '$schema' || key.startsWith('x-')) continue;
      if (dataKeywords.has(key)) out[key] = value;
      else if (key === 'properties' && isObject(value)) {
        const properties: Json = {};
        for (const [name, property] of Object.entries(value)) properties[name] = convert(property);
        out.properties = properties;
      } else out[key] = convert(value);
    }
    if (node['x-nullable'] === true) out['x-nullable'] = true;
    if (dialect !== 'openapi-3.1') rewriteDraft04(out);
    delete out['x-nullable'];
    if (Array.isArray(out.required) && isObject(node.properties)) {
      const properties = node.properties;
      out.required = out.required.filter(
        (name) => !(isObject(properties[name as string]) && (properties[name as string] as Json).readOnly),
      );
      if ((out.required as unknown[]).length === 0) delete out.required;
    }
    onPath.delete(node);
    const name = defNames.get(node);
    const result = name ? { $ref: `#/${defsKeyword}/${name}` } : out;
    if (name) defs[name] = out;
    converted.set(node, result);
    return result;
  };

  const root = convert(schema);
  if (typeof root === 'boolean') return root;
  if (!isObject(root)) return true;
  if (defNames.size === 0) return root;
  // The root itself may be a definition (a recursive top-level schema): point at it.
  return { ...(root.$ref ? { $ref: root.$ref } : root), [defsKeyword]: defs };
}

// ---- ajv ----

/** OpenAPI's own formats (OpenAPI 3.0 §4.4), on top of ajv-formats' JSON Schema ones. */
function addOpenApiFormats(ajv: Ajv) {
  (addFormatsPlugin as unknown as (ajv: Ajv) => Ajv)(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  for (const name of ['binary', 'password']) ajv.addFormat(name, true);
}

interface Compilers {
  /** Parameters arrive as strings: numbers, booleans and one-item arrays are coerced. */
  parameters: Ajv;
  /** JSON bodies are typed already: no coercion. */
  body: Ajv;
}

function createCompilers(dialect: Dialect): Compilers {
  const make = (coerce: boolean) => {
    const options: Options = {
      strict: false,
      allErrors: false,
      logger: false,
      validateSchema: false,
      coerceTypes: coerce ? 'array' : false,
    };
    const ajv = dialect === 'openapi-3.1' ? new Ajv2020(options) : new Ajv(options);
    addOpenApiFormats(ajv);
    return ajv;
  };
  return { parameters: make(true), body: make(false) };
}

function describe(location: string, error: ErrorObject): ValidationDetail {
  const missing =
    error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  const path = `${location}${error.instancePath}${missing ? `/${missing}` : ''}`;
  if (missing) return `${path}: is required`;
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  const message = error.message ?? 'is invalid';
  return `${path}: ${allowed ? `${message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : message}`;
}

// ---- parameters ----

type ParameterLocation = 'path' | 'query' | 'header';

interface ParameterRule {
  name: string;
  /** The key in the object validated: the name, lower-cased for headers. */
  key: string;
  isArray: boolean;
  /** Splits one raw value into array items (`,` `|` ` ` `\t`), or null for repeated keys. */
  separator: string | null;
  /** The value is JSON (an OpenAPI 3 parameter with `content: application/json`). */
  isJson: boolean;
}

interface LocationValidator {
  location: ParameterLocation;
  rules: ParameterRule[];
  validate: ValidateFunction;
}

const collectionSeparators: Record<string, string | null> = {
  csv: ',',
  ssv: ' ',
  tsv: '\t',
  pipes: '|',
  multi: null,
};

/** Swagger 2.0 keeps a non-body parameter's schema in the parameter object itself. */
function swagger2ParameterSchema(parameter: Json): Json {
  const schema: Json = {};
  for (const key of [
    'type',
    'format',
    'items',
    'enum',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'pattern',
    'minItems',
    'maxItems',
    'uniqueItems',
    'multipleOf',
  ]) {
    if (parameter[key] !== undefined) schema[key] = parameter[key];
  }
  if (isObject(schema.items)) schema.items = swagger2ParameterSchema(schema.items);
  return schema;
}

/** The parameter's schema, array separator and whether it is JSON; null when it is not checked. */
function parameterShape(
  parameter: Json,
  location: ParameterLocation,
  dialect: Dialect,
): { schema: unknown; separator: string | null; isJson: boolean } | null {
  if (dialect === 'swagger-2.0') {
    const schema = swagger2ParameterSchema(parameter);
    const format = typeof parameter.collectionFormat === 'string' ? parameter.collectionFormat : 'csv';
    const separator = format in collectionSeparators ? collectionSeparators[format]! : ',';
    return { schema, separator: location === 'query' ? separator : (separator ?? ','), isJson: false };
  }
  if (isObject(parameter.content)) {
    const [mediaType, media] = Object.entries(parameter.content)[0] ?? [];
    if (!mediaType || !isJsonMediaType(mediaType) || !isObject(media)) return null;
    return { schema: media.schema ?? true, separator: null, isJson: true };
  }
  const schema = parameter.schema ?? true;
  // OpenAPI 3 §4.8.12.4: query arrays default to form style, exploded (repeated keys);
  // path and header arrays to simple style (comma-separated).
  const style =
    typeof parameter.style === 'string' ? parameter.style : location === 'query' ? 'form' : 'simple';
  const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  const separator =
    location === 'query' && explode
      ? null
      : style === 'spaceDelimited'
        ? ' '
        : style === 'pipeDelimited'
          ? '|'
          : ',';
  return { schema, separator, isJson: false };
}

const schemaType = (schema: unknown): unknown => (isObject(schema) ? schema.type : undefined);
const hasType = (schema: unknown, type: string): boolean => {
  const declared = schemaType(schema);
  return declared === type || (Array.isArray(declared) && declared.includes(type));
};

function compileLocation(
  location: ParameterLocation,
  parameters: Json[],
  dialect: Dialect,
  ajv: Ajv,
): LocationValidator | null {
  const rules: ParameterRule[] = [];
  const properties: Json = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    const name = parameter.name as string;
    const shape = parameterShape(parameter, location, dialect);
    if (!shape || (hasType(shape.schema, 'object') && !shape.isJson)) continue;
    const key = location === 'header' ? name.toLowerCase() : name;
    rules.push({
      name,
      key,
      isArray: hasType(shape.schema, 'array') && !shape.isJson,
      separator: shape.separator,
      isJson: shape.isJson,
    });
    properties[key] = toAjvSchema(shape.schema, dialect);
    if (parameter.required === true || location === 'path') required.push(key);
  }
  if (rules.length === 0) return null;
  const validate = ajv.compile({ type: 'object', properties, ...(required.length ? { required } : {}) });
  return { location, rules, validate };
}

const unparsableJson = Symbol('unparsable JSON');

function parseJsonValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return unparsableJson;
  }
}

/** Reads a query string into name → values, decoding `+` and percent escapes (WHATWG form). */
function queryValues(query: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  if (!query) return values;
  for (const [name, value] of new URLSearchParams(query)) {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return values;
}

function collect(
  validator: LocationValidator,
  raw: (rule: ParameterRule) => string[] | undefined,
): Json | ValidationDetail {
  const data: Json = {};
  for (const rule of validator.rules) {
    const values = raw(rule);
    if (!values || values.length === 0) continue;
    if (rule.isJson) {
      const parsed = parseJsonValue(values[0]!);
      if (parsed === unparsableJson) return `${validator.location}/${rule.name}: must be JSON`;
      data[rule.key] = parsed;
    } else if (rule.isArray) {
      data[rule.key] =
        rule.separator === null ? values : values.flatMap((value) => value.split(rule.separator!));
    } else {
      data[rule.key] = values[0];
    }
  }
  return data;
}

function check(validator: LocationValidator, data: Json): ValidationDetail | null {
  if (validator.validate(data)) return null;
  const error = validator.validate.errors?.[0];
  if (!error) return `${validator.location}: is invalid`;
  // Report by the parameter's declared name (header keys were lower-cased to match the request).
  const rule = validator.rules.find(
    (r) =>
      error.instancePath.startsWith(`/${r.key}`) ||
      (error.params as { missingProperty?: string }).missingProperty === r.key,
  );
  const detail = describe(validator.location, error);
  return rule && rule.key !== rule.name ? detail.replace(`/${rule.key}`, `/${rule.name}`) : detail;
}

// ---- bodies ----

/** `application/json`, `application/problem+json`, `text/json`…: bodies the gateway parses. */
function isJsonMediaType(mediaType: string): boolean {
  const type = mediaType.toLowerCase();
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json') || type === '*/*';
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const end = contentType.indexOf(';');
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

interface BodyRule {
  required: boolean;
  /** Declared media types (lower-case) → compiled JSON validator (null when not JSON). */
  mediaTypes: Map<string, ValidateFunction | null>;
}

function bodyValidator(validate: ValidateFunction): (body: Buffer) => ValidationDetail | null {
  return (body) => {
    const parsed = parseJsonValue(body.toString('utf8'));
    if (parsed === unparsableJson) return 'body: must be valid JSON';
    if (validate(parsed)) return null;
    const error = validate.errors?.[0];
    return error ? describe('body', error) : 'body: is invalid';
  };
}

/** The declared media type a Content-Type matches: exact, then `type/*`, then `*\/*` (OpenAPI 3 §4.8.14). */
function matchMediaType(declared: Map<string, ValidateFunction | null>, mediaType: string) {
  if (declared.has(mediaType)) return mediaType;
  const wildcard = `${mediaType.split('/')[0]}/*`;
  if (declared.has(wildcard)) return wildcard;
  return declared.has('*/*') ? '*/*' : undefined;
}

function checkBody(rule: BodyRule | null, contentType: string | undefined, hasBody: boolean): BodyCheck {
  if (!rule) return noCheck;
  if (!hasBody) return rule.required ? { kind: 'refuse', detail: 'body: is required' } : noCheck;
  const mediaType = mediaTypeOf(contentType);
  if (!mediaType) {
    return {
      kind: 'refuse',
      detail: `body: needs a Content-Type, one of ${[...rule.mediaTypes.keys()].join(', ')}`,
    };
  }
  const matched = matchMediaType(rule.mediaTypes, mediaType);
  if (matched === undefined) {
    return {
      kind: 'refuse',
      detail: `body: content type ${mediaType} is not one of ${[...rule.mediaTypes.keys()].join(', ')}`,
    };
  }
  const validate = rule.mediaTypes.get(matched);
  // A JSON validator applies only when what arrives is JSON (a `*/*` entry also admits others).
  if (!validate || !isJsonMediaType(mediaType) || mediaType === '*/*') return noCheck;
  return { kind: 'json', check: bodyValidator(validate) };
}

// ---- operations ----

const templateParam = /^\{([^{}]+)\}$/;

/** Operation parameters override path-item ones with the same name and location. */
function mergedParameters(pathItem: Json, operation: Json): Json[] {
  const byKey = new Map<string, Json>();
  for (const list of [pathItem.parameters, operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const parameter of list) {
      if (isObject(parameter) && typeof parameter.name === 'string' && typeof parameter.in === 'string') {
        byKey.set(`${parameter.in} ${parameter.name}`, parameter);
      }
    }
  }
  return [...byKey.values()];
}

function compileBody(
  document: Json,
  operation: Json,
  parameters: Json[],
  dialect: Dialect,
  ajv: Ajv,
): BodyRule | null {
  if (dialect === 'swagger-2.0') {
    const body = parameters.find((p) => p.in === 'body');
    if (!body) return null;
    const consumes = Array.isArray(operation.consumes)
      ? operation.consumes
      : Array.isArray(document.consumes)
        ? document.consumes
        : ['application/json'];
    const mediaTypes = new Map<string, ValidateFunction | null>();
    const validate = ajv.compile(toAjvSchema(body.schema ?? true, dialect));
    for (const type of consumes) {
      if (typeof type === 'string') {
        const mediaType = mediaTypeOf(type)!;
        mediaTypes.set(mediaType, isJsonMediaType(mediaType) ? validate : null);
      }
    }
    return { required: body.required === true, mediaTypes };
  }
  const requestBody = operation.requestBody;
  if (!isObject(requestBody) || !isObject(requestBody.content)) return null;
  const mediaTypes = new Map<string, ValidateFunction | null>();
  for (const [type, media] of Object.entries(requestBody.content)) {
    const mediaType = mediaTypeOf(type)!;
    const schema = isObject(media) ? media.schema : undefined;
    mediaTypes.set(
      mediaType,
      schema !== undefined && isJsonMediaType(mediaType) ? ajv.compile(toAjvSchema(schema, dialect)) : null,
    );
  }
  return { required: requestBody.required === true, mediaTypes };
}

function compileOperation(
  document: Json,
  dialect: Dialect,
  compilers: Compilers,
  path: string,
  pathItem: Json,
  operation: Json,
): OperationValidation {
  const parameters = mergedParameters(pathItem, operation);
  const at = (location: ParameterLocation) => parameters.filter((p) => p.in === location);
  const pathValidator = compileLocation('path', at('path'), dialect, compilers.parameters);
  const queryValidator = compileLocation('query', at('query'), dialect, compilers.parameters);
  const headerValidator = compileLocation('header', at('header'), dialect, compilers.parameters);
  const body = compileBody(document, operation, parameters, dialect, compilers.body);
  const segmentIndex = new Map<string, number>();
  path
    .split('/')
    .slice(1)
    .forEach((segment, index) => {
      const name = templateParam.exec(segment)?.[1];
      if (name) segmentIndex.set(name, index);
    });

  return {
    parameters({ segments, query, headers }) {
      if (pathValidator) {
        const data = collect(pathValidator, (rule) => {
          const index = segmentIndex.get(rule.name);
          return index === undefined ? undefined : [segments[index]!];
        });
        const detail = typeof data === 'string' ? data : check(pathValidator, data);
        if (detail) return detail;
      }
      if (queryValidator) {
        const values = queryValues(query);
        const data = collect(queryValidator, (rule) => values.get(rule.name));
        const detail = typeof data === 'string' ? data : check(queryValidator, data);
        if (detail) return detail;
      }
      if (headerValidator) {
        const data = collect(headerValidator, (rule) => {
          const value = headers[rule.key];
          return value === undefined ? undefined : Array.isArray(value) ? value : [value];
        });
        const detail = typeof data === 'string' ? data : check(headerValidator, data);
        if (detail) return detail;
      }
      return null;
    },
    body: (contentType, hasBody) => checkBody(body, contentType, hasBody),
  };
}

function dialectOf(document: Json): Dialect {
  if (document.swagger === '2.0') return 'swagger-2.0';
  return typeof document.openapi === 'string' && document.openapi.startsWith('3.1')
    ? 'openapi-3.1'
    : 'openapi-3.0';
}

/** Documents are immutable per API version, so a snapshot refresh reuses their validators. */
const compiledByDocument = new WeakMap<object, Map<string, OperationValidation | string>>();

/**
 * Validators for each of the API's operations, compiled from its dereferenced document (or
 * taken from the cache when the same document object was compiled for an earlier snapshot).
 */
export function compileValidation(
  document: unknown,
  operations: readonly ApiOperation[],
): CompiledValidation {
  const result: CompiledValidation = { operations: new Map(), warnings: [] };
  if (!isObject(document) || !isObject(document.paths)) {
    result.warnings.push('the API has no dereferenced document with paths: requests are not validated');
    return result;
  }
  let byOperation = compiledByDocument.get(document);
  if (!byOperation) {
    byOperation = new Map();
    compiledByDocument.set(document, byOperation);
  }
  let compilers: Compilers | null = null;
  const dialect = dialectOf(document);
  for (const operation of operations) {
    const key = `${operation.method.toUpperCase()} ${operation.path}`;
    let compiled = byOperation.get(key);
    if (compiled === undefined) {
      const pathItem = document.paths[operation.path];
      const definition = isObject(pathItem) ? pathItem[operation.method.toLowerCase()] : undefined;
      if (!isObject(pathItem) || !isObject(definition)) continue;
      try {
        compilers ??= createCompilers(dialect);
        compiled = compileOperation(document, dialect, compilers, operation.path, pathItem, definition);
      } catch (error) {
        compiled = `${key}: its schemas do not compile (${(error as Error).message}); it is not validated`;
      }
      byOperation.set(key, compiled);
    }
    if (typeof compiled === 'string') result.warnings.push(compiled);
    else result.operations.set(operation, compiled);
  }
  return result;
}
