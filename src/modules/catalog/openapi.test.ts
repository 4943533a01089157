import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { parseOpenApi, pointAtGateway } from './openapi.js';

// The broken-YAML fixture ends in .txt so that Biome, which lints YAML, leaves it alone.
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/openapi/${name}`, import.meta.url), 'utf8');

/** Runs the parser and returns the invalid-openapi error it must throw. */
async function refusal(input: string | object) {
  const error = await parseOpenApi(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('invalid-openapi');
  return appError as AppError & {
    extensions: { pointer?: string; line?: number; column?: number; errors: { field: string }[] };
  };
}

const minimal = (extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.3',
  info: { title: 'Minimal', version: '1.0.0' },
  paths: { '/ping': { get: { responses: { '200': { description: 'pong' } } } } },
  ...extra,
});

describe('parseOpenApi', () => {
  describe('reads the three formats', () => {
    it('Swagger 2.0 JSON: operations, oauth2 in the OpenAPI 3 shape, servers from host and basePath', async () => {
      const parsed = await parseOpenApi(fixture('swagger2-fx-rates.json'));
      expect(parsed.specFormat).toBe('swagger-2.0');
      expect(parsed.sourceFormat).toBe('json');
      expect(parsed.normalised).toMatchObject({
        title: 'Harbour Bank FX Rates',
        version: '1.4.0',
        tags: ['rates', 'branches'],
        servers: ['https://fx.harbour-bank.test/v1', 'http://fx.harbour-bank.test/v1'],
      });
      expect(parsed.normalised.operations.map((o) => `${o.method} ${o.path}`)).toEqual([
        'GET /rates',
        'GET /rates/{currency}',
        'GET /branches',
        'POST /branches',
      ]);
      expect(parsed.normalised.operations[0]).toEqual({
        method: 'GET',
        path: '/rates',
        operationId: 'listRates',
        summary: 'List indicative exchange rates against the Hong Kong dollar',
        description: null,
        tags: ['rates'],
      });
      expect(parsed.normalised.securitySchemes).toEqual({
        bankOAuth: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: 'https://auth.harbour-bank.test/oauth/token',
              scopes: { 'rates:read': 'read rates' },
            },
          },
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      });
    });

    it('OpenAPI 3.0 YAML: server variables take their defaults, path-level $refs resolve', async () => {
      const text = fixture('openapi30-building-energy.yaml');
      const parsed = await parseOpenApi(text);
      expect(parsed.specFormat).toBe('openapi-3.0');
      expect(parsed.sourceFormat).toBe('yaml');
      expect(parsed.original).toBe(text);
      expect(parsed.normalised.servers).toEqual([
        'https://hk.energy.parkprop.test/api',
        'http://localhost:8081/api',
      ]);
      expect(parsed.normalised.securitySchemes.parkOAuth).toMatchObject({
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'https://auth.parkprop.test/oauth/token' } },
      });
      expect(parsed.normalised.operations.map((o) => o.method)).toEqual(['GET', 'GET', 'DELETE']);
      const energy = (parsed.dereferenced.paths as Record<string, Record<string, unknown>>)[
        '/buildings/{buildingId}/energy'
      ]!;
      expect(energy.parameters).toEqual([
        {
          name: 'buildingId',
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: '^[A-Z0-9-]+$' },
        },
      ]);
    });

    it('OpenAPI 3.1 JSON: circular-free $refs are replaced by their targets', async () => {
      const parsed = await parseOpenApi(fixture('openapi31-clinic-slots.json'));
      expect(parsed.specFormat).toBe('openapi-3.1');
      expect(parsed.normalised.operations).toContainEqual({
        method: 'HEAD',
        path: '/clinics/{clinicId}/slots',
        operationId: null,
        summary: 'Whether a clinic has slots at all',
        description: null,
        tags: ['slots'],
      });
      expect(parsed.normalised.securitySchemes.bearer).toEqual({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
      expect(JSON.stringify(parsed.dereferenced)).not.toContain('$ref');
    });

    it('takes a parsed object without changing it, and keeps it as JSON text', async () => {
      const document = JSON.parse(fixture('openapi31-clinic-slots.json'));
      const before = structuredClone(document);
      const parsed = await parseOpenApi(document);
      expect(document).toEqual(before);
      expect(parsed.sourceFormat).toBe('json');
      expect(JSON.parse(parsed.original)).toEqual(before);
    });

    it('keeps circular schemas as circular objects rather than failing', async () => {
      const parsed = await parseOpenApi(
        minimal({
          components: {
            schemas: {
              Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } },
            },
          },
        }),
      );
      const node = (
        parsed.dereferenced.components as { schemas: { Node: { properties: { next: unknown } } } }
      ).schemas.Node;
      expect(node.properties.next).toBe(node);
    });
  });

  describe('refuses, and says where', () => {
    it('a document without info', async () => {
      const error = await refusal(fixture('invalid-missing-info.yaml'));
      expect(error.extensions.pointer).toBe('/info');
      expect(error.message).toContain('/info is required');
    });

    it('a malformed path item', async () => {
      const error = await refusal(fixture('invalid-path-item.json'));
      expect(error.extensions.pointer).toBe('/paths/~1x/get/responses');
    });

    it('an unknown key in a path item (OpenAPI 3.1)', async () => {
      const error = await refusal({
        openapi: '3.1.0',
        info: { title: 'x', version: '1' },
        paths: { '/x': { fetch: {} } },
      });
      expect(error.extensions.pointer).toBe('/paths/~1x/fetch');
    });

    it('a YAML syntax error, with line and column', async () => {
      const error = await refusal(fixture('invalid-yaml-syntax.yaml.txt'));
      expect(error.extensions).toMatchObject({ line: 9, column: 7 });
      expect(error.extensions.pointer).toMatch(/^\/paths\/~1ping\/get/);
    });

    it('a JSON syntax error, with line and column', async () => {
      const error = await refusal('{\n  "openapi": "3.0.3",\n  "info": { "title": "x", }\n}');
      expect(error.extensions.line).toBe(3);
      expect(error.message).toMatch(/not valid JSON at line 3/);
    });

    it.each([
      ['file:///etc/passwd', 'invalid-external-ref-file.json'],
      ['http://169.254.169.254/…', 'invalid-external-ref-http.yaml'],
    ])('an external $ref (%s), without following it', async (_what, name) => {
      const error = await refusal(fixture(name));
      expect(error.extensions.pointer).toMatch(/\/\$ref$/);
      expect(error.message).toContain('points outside');
    });

    it('a relative file $ref, which the parser would otherwise read from the working directory', async () => {
      const document = minimal();
      (document.paths['/ping'].get.responses as Record<string, unknown>)['200'] = { $ref: 'package.json' };
      const error = await refusal(document);
      expect(error.extensions.pointer).toBe('/paths/~1ping/get/responses/200/$ref');
    });

    it('an internal $ref that leads nowhere', async () => {
      const document = minimal();
      (document.paths['/ping'].get.responses as Record<string, unknown>)['200'] = {
        $ref: '#/components/responses/Missing',
      };
      const error = await refusal(document);
      expect(error.extensions.pointer).toBe('/paths/~1ping/get/responses/200/$ref');
    });

    it('a __proto__ key', async () => {
      const error = await refusal(
        '{"openapi": "3.0.3", "info": {"title": "x", "version": "1", "__proto__": {}}}',
      );
      expect(error.extensions.pointer).toBe('/info/__proto__');
    });

    it('versions it does not know, and numbers where strings belong', async () => {
      expect((await refusal(minimal({ openapi: '3.2.0' }))).extensions.pointer).toBe('/openapi');
      expect(
        (await refusal('swagger: 2.0\ninfo: {title: x, version: "1"}\npaths: {}')).extensions.pointer,
      ).toBe('/swagger');
      expect(
        (await refusal('openapi: 3.0.3\ninfo: {title: x, version: 1.0}\npaths: {}')).extensions.pointer,
      ).toBe('/info/version');
      expect((await refusal({ info: { title: 'x', version: '1' } })).extensions.errors[0]!.field).toBe(
        '/openapi',
      );
      expect((await refusal('[1, 2]')).extensions.pointer).toBe('');
      expect((await refusal('   ')).message).toContain('empty');
    });

    it('a duplicate operationId (Swagger 2.0), pointing at the second one', async () => {
      const op = { operationId: 'same', responses: { '200': { description: 'ok' } } };
      const error = await refusal({
        swagger: '2.0',
        info: { title: 'x', version: '1' },
        paths: { '/a': { get: op }, '/b/{id}': { get: op } },
      });
      expect(error.extensions.pointer).toBe('/paths/~1b~1{id}/get/operationId');
    });

    it('a YAML alias bomb', async () => {
      const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 9; i++)
        lines.push(
          `a${i}: &a${i} [${Array(10)
            .fill(`*a${i - 1}`)
            .join(', ')}]`,
        );
      const error = await refusal(`openapi: 3.0.3\n${lines.join('\n')}\n`);
      expect(error.message).toMatch(/alias/i);
    });
  });

  describe('keeps extensions as the vendor wrote them', () => {
    const withExtensions = () => ({
      openapi: '3.0.3',
      info: {
        title: 'Tide Gauges',
        version: '1.0.0',
        'x-vendor-docs': { $ref: 'https://docs.vendor.test/tides.md' },
      },
      'x-shared': { $ref: '#/x-nowhere' },
      paths: {
        '/gauges/{id}': {
          get: {
            'x-codegen': { settings: { $ref: 'file:///etc/passwd' } },
            parameters: [{ $ref: '#/components/parameters/Id' }],
            responses: {
              '200': {
                description: 'a gauge',
                headers: { 'x-rate-limit': { $ref: '#/components/headers/Limit' } },
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Gauge' } } },
              },
            },
          },
        },
      },
      components: {
        parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
        headers: { Limit: { schema: { type: 'integer' } } },
        schemas: {
          Trace: { type: 'string', format: 'uuid' },
          Gauge: {
            type: 'object',
            properties: { 'x-trace': { $ref: '#/components/schemas/Trace' }, level: { type: 'number' } },
            example: { 'x-note': 'kept as data' },
          },
        },
      },
    });

    it('accepts $refs inside x- extensions, internal or external, without following them', async () => {
      const parsed = await parseOpenApi(withExtensions());
      const info = parsed.dereferenced.info as Record<string, unknown>;
      expect(info['x-vendor-docs']).toEqual({});
      expect(parsed.normalised.operations.map((o) => o.path)).toEqual(['/gauges/{id}']);
    });

    it('still follows $refs under names that merely start with x- (a property, a header)', async () => {
      const parsed = await parseOpenApi(withExtensions());
      type Response = {
        headers: Record<string, unknown>;
        content: Record<string, { schema: { properties: Record<string, unknown> } }>;
      };
      const paths = parsed.dereferenced.paths as Record<
        string,
        { get: { responses: Record<string, Response> } }
      >;
      const response = paths['/gauges/{id}']!.get.responses['200']!;
      expect(response.headers['x-rate-limit']).toEqual({ schema: { type: 'integer' } });
      expect(response.content['application/json']!.schema.properties['x-trace']).toEqual({
        type: 'string',
        format: 'uuid',
      });
    });

    it('keeps the original text, extension references included', async () => {
      const text = JSON.stringify(withExtensions(), null, 2);
      const parsed = await parseOpenApi(text);
      expect(parsed.original).toBe(text);
      expect(parsed.original).toContain('"$ref": "https://docs.vendor.test/tides.md"');
    });

    it('refuses an external $ref under a name that merely starts with x-', async () => {
      const document = withExtensions();
      (document.components.headers as Record<string, unknown>)['x-outside'] = {
        $ref: 'https://evil.test/header.json',
      };
      (document.paths['/gauges/{id}'].get.responses['200'].headers as Record<string, unknown>)['x-b'] = {
        $ref: '#/components/headers/x-outside',
      };
      const error = await refusal(document);
      expect(error.extensions.pointer).toBe('/components/headers/x-outside/$ref');
    });
  });

  describe('warns about what the validator tolerates', () => {
    it('duplicate enum values and empty enums, pointing at each; data values are not read', async () => {
      const parsed = await parseOpenApi({
        openapi: '3.1.0',
        info: { title: 'Districts', version: '1' },
        paths: {
          '/districts': {
            get: {
              parameters: [
                {
                  name: 'region',
                  in: 'query',
                  schema: { type: 'string', enum: ['HK', 'KLN', 'NT', 'KLN'] },
                },
              ],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
        components: {
          schemas: {
            Retired: { type: 'string', enum: [] },
            Example: { type: 'object', example: { enum: [1, 1] }, default: { enum: [] } },
          },
        },
      });
      expect(parsed.warnings).toEqual([
        {
          field: '/paths/~1districts/get/parameters/0/schema/enum',
          message: 'enum lists "KLN" more than once',
        },
        { field: '/components/schemas/Retired/enum', message: 'enum is empty: no value can match it' },
      ]);
      expect(parsed.normalised.warnings).toEqual(parsed.warnings);
    });

    it('none for a clean document', async () => {
      expect((await parseOpenApi(fixture('openapi30-building-energy.yaml'))).warnings).toEqual([]);
    });
  });

  describe("the consumer's copy: only the servers change", () => {
    const gateway = [{ url: '/gw/tides', description: 'STP Platform gateway' }];

    it('JSON: 64-bit integers, layout and key order stay byte for byte', async () => {
      const body = [
        '    "info": {"title": "Ledger", "version": "1.0"},',
        '    "paths": {',
        '        "/entries": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {',
        '            "type": "integer", "format": "int64", "maximum": 9223372036854775807, "example": 12345678901234567890',
        '        }}}}}}}',
        '    }',
      ].join('\n');
      const original = `{\n    "openapi": "3.0.3",\n    "servers": [\n        {"url": "https://ledger.internal.test"}\n    ],\n${body}\n}\n`;
      await parseOpenApi(original);
      const served = pointAtGateway(original, { sourceFormat: 'json', specFormat: 'openapi-3.0' }, 'tides');
      expect(served).toBe(
        `{\n    "openapi": "3.0.3",\n    "servers": [\n        {\n            "url": "/gw/tides",\n            "description": "STP Platform gateway"\n        }\n    ],\n${body}\n}\n`,
      );
      expect(served).toContain('9223372036854775807');
      expect(served).toContain('12345678901234567890');
    });

    it('JSON without servers, on one line: they are added after info', () => {
      const original =
        '{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/n":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"example":{"id":18446744073709551615}}}}}}}}}';
      const served = pointAtGateway(original, { sourceFormat: 'json', specFormat: 'openapi-3.1' }, 'tides');
      expect(served).toBe(original.replace('"paths"', `"servers": ${JSON.stringify(gateway)},"paths"`));
    });

    it('Swagger 2.0 JSON: host and schemes go, basePath points at the gateway, nothing else moves', () => {
      const original = fixture('swagger2-fx-rates.json');
      const served = pointAtGateway(original, { sourceFormat: 'json', specFormat: 'swagger-2.0' }, 'fx');
      const before = JSON.parse(original);
      const after = JSON.parse(served);
      expect(after.host).toBeUndefined();
      expect(after.schemes).toBeUndefined();
      expect(after.basePath).toBe('/gw/fx');
      delete before.host;
      delete before.schemes;
      delete before.basePath;
      delete after.basePath;
      expect(after).toEqual(before);
      // Every line but the three edited ones is the provider's own.
      const kept = original.split('\n').filter((line) => !/"(host|schemes|basePath)"/.test(line));
      expect(served.split('\n').filter((line) => !/"basePath"/.test(line))).toEqual(kept);
    });

    it('YAML: quoted strings stay quoted, comments and anchors stay; only the servers lines change', () => {
      const head = [
        '# Published by the Observatory; dates are strings on purpose.',
        'openapi: "3.0.3"',
        'info:',
        "  title: 'Tide Gauges'",
        "  version: '2024-01-01'",
      ].join('\n');
      const tail = [
        'paths:',
        '  /readings:',
        '    get:',
        "      description: 'Since: 2019-07-01'",
        '      parameters:',
        '        - &day {name: day, in: query, schema: {type: string, default: "2024-01-01"}}',
        '      responses:',
        "        '200': {description: ok}   # always",
        '',
      ].join('\n');
      const original = `${head}\nservers:\n  - url: https://tides.internal.test # the real host\n    description: upstream\n${tail}`;
      const served = pointAtGateway(original, { sourceFormat: 'yaml', specFormat: 'openapi-3.0' }, 'tides');
      expect(served).toBe(
        `${head}\nservers:\n  - url: /gw/tides\n    description: STP Platform gateway\n${tail}`,
      );
    });

    it('YAML without servers, and Swagger 2.0 YAML', () => {
      const original = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1.10'\npaths: {}\n";
      expect(pointAtGateway(original, { sourceFormat: 'yaml', specFormat: 'openapi-3.1' }, 'tides')).toBe(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1.10'\nservers:\n  - url: /gw/tides\n    description: STP Platform gateway\npaths: {}\n",
      );
      const swagger =
        "swagger: '2.0'\ninfo: {title: t, version: '1.0'}\nhost: api.internal.test\nbasePath: /v1\nschemes: [https]\npaths: {}\n";
      expect(pointAtGateway(swagger, { sourceFormat: 'yaml', specFormat: 'swagger-2.0' }, 'fx')).toBe(
        "swagger: '2.0'\ninfo: {title: t, version: '1.0'}\nbasePath: /gw/fx\npaths: {}\n",
      );
    });

    it('a flow-style YAML document is edited through the document model, strings keep their quotes', () => {
      const original =
        "{openapi: 3.0.3, info: {title: t, version: '1.0'}, servers: [{url: 'https://x.test'}], paths: {}}\n";
      const served = pointAtGateway(original, { sourceFormat: 'yaml', specFormat: 'openapi-3.0' }, 'tides');
      expect(served).toContain("version: '1.0'");
      expect(served).toContain('/gw/tides');
      expect(served).not.toContain('x.test');
    });
  });

  it('lists every path and method of a document exactly once (property)', async () => {
    const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
    const pathArb = fc
      .array(fc.stringMatching(/^[a-z0-9{}_-]{1,8}$/), { minLength: 1, maxLength: 4 })
      .map((segments) => `/${segments.join('/')}`);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(pathArb, fc.subarray([...methods], { minLength: 1 })), {
          selector: ([path]) => path,
          minLength: 1,
          maxLength: 15,
        }),
        async (entries) => {
          const paths: Record<string, Record<string, unknown>> = {};
          for (const [path, pathMethods] of entries) {
            paths[path] = Object.fromEntries(
              pathMethods.map((m) => [
                m,
                { summary: `${m} ${path}`, responses: { default: { description: 'x' } } },
              ]),
            );
          }
          const parsed = await parseOpenApi({ openapi: '3.1.0', info: { title: 'p', version: '1' }, paths });
          const seen = parsed.normalised.operations.map((o) => `${o.method} ${o.path}`);
          const expected = entries.flatMap(([path, ms]) => ms.map((m) => `${m.toUpperCase()} ${path}`));
          expect(seen.sort()).toEqual(expected.sort());
          for (const operation of parsed.normalised.operations) {
            expect(operation.summary).toBe(`${operation.method.toLowerCase()} ${operation.path}`);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
