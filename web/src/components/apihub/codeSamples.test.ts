import { describe, expect, it } from 'vitest';
import {
  apiKeyPlaceholder,
  curlSample,
  javascriptSample,
  pythonLiteral,
  pythonSample,
  type SampleRequest,
  sampleRequest,
  schemaExample,
  shellQuote,
  stringLiteral,
} from './codeSamples';
import { operationsOf } from './openapi';

const document = {
  openapi: '3.0.3',
  components: {
    schemas: {
      Reading: {
        type: 'object',
        properties: {
          meter: { type: 'string', example: "O'Brien's meter" },
          kwh: { type: 'number', default: 0 },
          tags: { type: 'array', items: { type: 'string', example: 'solar' } },
          note: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/buildings/{buildingId}/readings': {
      post: {
        parameters: [
          { name: 'buildingId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'dryRun', in: 'query', schema: { type: 'boolean', example: true } },
          { name: 'since', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'verbose', in: 'query', schema: { type: 'boolean' } },
        ],
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Reading' } } },
        },
        responses: { '201': { description: 'Recorded' } },
      },
      get: { responses: { '200': { description: 'The readings' } } },
    },
  },
};

// In the order OpenAPI lists methods: get before post.
const [get, post] = operationsOf(document) as [never, never];
const gateway = 'https://stp.example/gw/park-building-energy';

describe('the request a code sample makes', () => {
  it('keeps path parameters as placeholders and adds required or exemplified query parameters', () => {
    const request = sampleRequest(document, post, `${gateway}/`);
    expect(request.url).toBe(`${gateway}/buildings/{buildingId}/readings?dryRun=true&since={since}`);
    expect(request.method).toBe('POST');
    expect(request.headers).toEqual([
      ['x-api-key', apiKeyPlaceholder],
      ['content-type', 'application/json'],
    ]);
  });

  it('builds the JSON body from the schema examples and defaults, leaving out what has none', () => {
    expect(sampleRequest(document, post, gateway).body).toEqual({
      json: { meter: "O'Brien's meter", kwh: 0, tags: ['solar'] },
    });
    expect(schemaExample(document, { type: 'string' })).toBeUndefined();
  });

  it('prefers the media type example, and sends no body on GET', () => {
    const [withExample] = operationsOf({
      openapi: '3.0.3',
      paths: {
        '/x': {
          put: {
            requestBody: { content: { 'application/json': { example: { a: 1 } } } },
            responses: {},
          },
        },
      },
    }) as [never];
    expect(sampleRequest(null, withExample, gateway).body).toEqual({ json: { a: 1 } });
    expect(sampleRequest(document, get, gateway).body).toBeUndefined();
  });
});

describe('curl', () => {
  it('single-quotes every word so the shell expands nothing, and closes around a quote', () => {
    expect(shellQuote("it's $HOME `x` \\n")).toBe(`'it'\\''s $HOME \`x\` \\n'`);
  });

  it('sends the key header and the body as one quoted argument', () => {
    const curl = curlSample(sampleRequest(document, post, gateway));
    expect(curl).toBe(
      [
        `curl -X POST '${gateway}/buildings/{buildingId}/readings?dryRun=true&since={since}'`,
        `-H 'x-api-key: ${apiKeyPlaceholder}'`,
        `-H 'content-type: application/json'`,
        `--data-raw '{\n  "meter": "O'\\''Brien'\\''s meter",\n  "kwh": 0,\n  "tags": [\n    "solar"\n  ]\n}'`,
      ].join(' \\\n  '),
    );
  });

  it('leaves out -X for GET', () => {
    expect(curlSample(sampleRequest(document, get, gateway)).startsWith(`curl '${gateway}/buildings`)).toBe(
      true,
    );
  });
});

const tricky: SampleRequest = {
  method: 'POST',
  url: 'https://stp.example/gw/a?q="x"',
  headers: [['x-api-key', apiKeyPlaceholder]],
  body: { json: { quote: 'say "hi"\\now\n', ok: true, none: null, list: [1, false] } },
};

describe('Python', () => {
  it('escapes strings and writes JSON as Python literals', () => {
    expect(stringLiteral('say "hi"\\now\n')).toBe('"say \\"hi\\"\\\\now\\n"');
    expect(stringLiteral('a\u2028b')).toBe('"a\\u2028b"');
    expect(pythonLiteral({ ok: true, none: null, list: [1, false] })).toBe(
      '{\n    "ok": True,\n    "none": None,\n    "list": [\n        1,\n        False,\n    ],\n}',
    );
  });

  it('calls requests with the key header and json=, leaving the content type to requests', () => {
    const python = pythonSample(tricky);
    expect(python).toContain('import requests');
    expect(python).toContain('requests.request(\n    "POST",\n    "https://stp.example/gw/a?q=\\"x\\"",');
    expect(python).toContain(`"x-api-key": "${apiKeyPlaceholder}"`);
    expect(python).toContain('"quote": "say \\"hi\\"\\\\now\\n"');
    expect(python).toContain('"ok": True');
    expect(python).not.toContain('content-type');
  });

  it('sends a text body as data=', () => {
    const python = pythonSample({ ...tricky, body: { text: "a=1&b='2'" } });
    expect(python).toContain(`data="a=1&b='2'"`);
  });
});

describe('JavaScript', () => {
  it('is a fetch whose strings and body are valid JavaScript', async () => {
    const js = javascriptSample(tricky);
    expect(js).toContain('fetch("https://stp.example/gw/a?q=\\"x\\"", {');
    // The sample, wrapped for its top-level await, runs and sends the example as its body.
    const calls: [string, RequestInit][] = [];
    const fetchStub = async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return { status: 200, text: async () => '' };
    };
    const run = new Function('fetch', 'console', `return (async () => { ${js} })();`) as (
      f: typeof fetchStub,
      c: Pick<Console, 'log'>,
    ) => Promise<void>;
    await run(fetchStub, { log: () => undefined });
    const [url, init] = calls[0] ?? ['', {}];
    expect(url).toBe(tricky.url);
    expect(JSON.parse(String(init.body))).toEqual({
      quote: 'say "hi"\\now\n',
      ok: true,
      none: null,
      list: [1, false],
    });
    expect((init.headers as Record<string, string>)['x-api-key']).toBe(apiKeyPlaceholder);
  });
});
