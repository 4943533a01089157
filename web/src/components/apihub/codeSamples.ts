/**
 * Code that calls one operation through the gateway, for a consumer to copy: curl, Python
 * (requests) and JavaScript (fetch). The key goes in `x-api-key`, as the gateway reads it
 * (README, "call an API"); the samples carry a placeholder, never the caller's key.
 */
import { isObject, type OperationModel, resolveRef } from './openapi';

export const apiKeyPlaceholder = '<YOUR_API_KEY>';

export type SampleLanguage = 'curl' | 'python' | 'javascript';
export const sampleLanguages: SampleLanguage[] = ['curl', 'python', 'javascript'];

/** One call, ready to print: absolute URL, headers in order, and the body when there is one. */
export interface SampleRequest {
  method: string;
  url: string;
  headers: [string, string][];
  /** The body as a value when it is JSON, as text otherwise; undefined when none is sent. */
  body: { json: unknown } | { text: string } | undefined;
}

/**
 * An example value built from a schema's `example` and `default`s, property by property; undefined
 * when the schema gives none (the sample then says nothing rather than invent values).
 */
export function schemaExample(document: unknown, schema: unknown, depth = 0): unknown {
  const s = resolveRef(document, schema);
  if (!isObject(s) || depth > 8) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (isObject(s.properties)) {
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(s.properties)) {
      const value = schemaExample(document, property, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (s.type === 'array') {
    const item = schemaExample(document, s.items, depth + 1);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}

const isJson = (contentType: string) => /json/i.test(contentType);

/** Path parameters stay `{name}` placeholders; query parameters that are required or have an example go in. */
export function sampleRequest(
  document: unknown,
  operation: OperationModel,
  gatewayUrl: string,
): SampleRequest {
  const query = operation.parameters
    .filter((p) => p.in === 'query' && (p.required || p.example !== null))
    .map((p) =>
      p.example !== null
        ? `${encodeURIComponent(p.name)}=${encodeURIComponent(p.example)}`
        : `${encodeURIComponent(p.name)}={${p.name}}`,
    );
  const url = `${gatewayUrl.replace(/\/$/, '')}${operation.path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
  const headers: [string, string][] = [['x-api-key', apiKeyPlaceholder]];
  for (const p of operation.parameters) {
    if (p.in === 'header' && p.required) headers.push([p.name, p.example ?? `{${p.name}}`]);
  }
  let body: SampleRequest['body'];
  const requestBody = operation.requestBody;
  if (requestBody && !['GET', 'HEAD'].includes(operation.method)) {
    headers.push(['content-type', requestBody.contentType]);
    if (isJson(requestBody.contentType)) {
      let value: unknown;
      if (requestBody.example !== null) {
        try {
          value = JSON.parse(requestBody.example);
        } catch {
          value = undefined;
        }
      }
      body = { json: value ?? schemaExample(document, requestBody.schema) ?? {} };
    } else {
      body = { text: requestBody.example ?? '' };
    }
  }
  return { method: operation.method, url, headers, body };
}

const bodyText = (body: NonNullable<SampleRequest['body']>) =>
  'json' in body ? JSON.stringify(body.json, null, 2) : body.text;

/** A POSIX shell word in single quotes: nothing inside is expanded; a quote is closed, escaped, reopened. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function curlSample(request: SampleRequest): string {
  const lines = [`curl${request.method === 'GET' ? '' : ` -X ${request.method}`} ${shellQuote(request.url)}`];
  for (const [name, value] of request.headers) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body) lines.push(`--data-raw ${shellQuote(bodyText(request.body))}`);
  return lines.join(' \\\n  ');
}

/**
 * A string literal valid in both Python and JavaScript: JSON's escapes (\" \\ \n \uXXXX) are
 * theirs too, and U+2028/U+2029 are escaped for JavaScript engines older than ES2019.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A JSON value as a Python literal (None, True, False), indented as json.dumps(indent=4) would. */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return stringLiteral(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${pythonLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${stringLiteral(k)}: ${pythonLiteral(v, inner)},`).join('\n')}\n${indent}}`;
  }
  return stringLiteral(String(value));
}

export function pythonSample(request: SampleRequest): string {
  const args = [
    `    ${stringLiteral(request.url)}`,
    `    headers={\n${request.headers
      // requests sets the JSON content type itself when given json=.
      .filter(([name]) => !(request.body && 'json' in request.body && name === 'content-type'))
      .map(([name, value]) => `        ${stringLiteral(name)}: ${stringLiteral(value)},`)
      .join('\n')}\n    }`,
  ];
  if (request.body) {
    args.push(
      'json' in request.body
        ? `    json=${pythonLiteral(request.body.json, '    ')}`
        : `    data=${stringLiteral(request.body.text)}`,
    );
  }
  return [
    'import requests',
    '',
    `response = requests.request(\n    ${stringLiteral(request.method)},\n${args.join(',\n')},\n)`,
    'print(response.status_code, response.text)',
  ].join('\n');
}

export function javascriptSample(request: SampleRequest): string {
  const lines = [`  method: ${stringLiteral(request.method)},`, '  headers: {'];
  for (const [name, value] of request.headers)
    lines.push(`    ${stringLiteral(name)}: ${stringLiteral(value)},`);
  lines.push('  },');
  if (request.body) {
    lines.push(
      'json' in request.body
        ? // JSON text is a JavaScript literal; the sample reads as the object it sends.
          `  body: JSON.stringify(${JSON.stringify(request.body.json, null, 2)
            .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
            .replaceAll('\n', '\n  ')}),`
        : `  body: ${stringLiteral(request.body.text)},`,
    );
  }
  return [
    `const response = await fetch(${stringLiteral(request.url)}, {`,
    ...lines,
    '});',
    'console.log(response.status, await response.text());',
  ].join('\n');
}

export function codeSample(language: SampleLanguage, request: SampleRequest): string {
  if (language === 'curl') return curlSample(request);
  if (language === 'python') return pythonSample(request);
  return javascriptSample(request);
}
