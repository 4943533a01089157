import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { parseOpenApi } from './openapi.js';

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
