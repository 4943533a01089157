import { count } from 'drizzle-orm';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/modules/audit/schema.js';
import { apis, datasets } from '../src/modules/catalog/schema.js';
import { createTenant, createTestPlatform, type Tenant, type TestPlatform } from './harness.js';
import { recordReliability } from './reliability-stats.js';

/**
 * Hostile input against every operation that takes a JSON body or query parameters, generated from
 * the platform's own OpenAPI: values shaped by each schema (types, enums, formats, bounds) mixed with
 * wrong types, huge strings, prototype-pollution keys, and raw bodies no JSON encoder would write
 * (invalid UTF-8, duplicate keys, nesting 10,000 deep). The promise: never a 5xx, never a stack
 * trace or a path of ours in a response, never a partial write.
 *
 * Runs on the embedded database only: input is parsed and validated before any query is made, so
 * the database behind it does not change what is tested here.
 */

/** Fixed so a failure reproduces; fast-check prints the seed and the shrunk counterexample. */
const seed = 20_261_125;

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
};

type Parameter = { name: string; in: string; schema?: JsonSchema };

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  query: Parameter[];
}

/**
 * Operations left out of the generated requests, and why. None is left out for a bug: these change
 * the caller's own session, which would turn every later request into a 401 and test nothing.
 */
const sessionChanging = new Set(['POST /v1/auth/logout', 'POST /v1/auth/switch-org']);

const stats = { requests: 0, byStatus: new Map<number, number>(), operations: new Set<string>() };

describe('fuzzing the HTTP surface from its OpenAPI (pglite)', () => {
  let platform: TestPlatform;
  let provider: Tenant;
  let consumer: Tenant;
  let operations: Operation[];
  let components: Record<string, JsonSchema>;

  beforeAll(async () => {
    platform = await createTestPlatform('pglite');
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    const document = (await platform.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content?: Record<string, { schema: JsonSchema }> }; parameters?: Parameter[] }
        >
      >;
      components: { schemas: Record<string, JsonSchema> };
    };
    components = document.components.schemas;
    operations = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const body = operation.requestBody?.content?.['application/json']?.schema;
        const query = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
        const name = `${method.toUpperCase()} ${path}`;
        if (sessionChanging.has(name) || (!body && query.length === 0)) continue;
        operations.push({ method: method.toUpperCase(), path, body, query });
      }
    }
  }, 60_000);

  afterAll(async () => {
    const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b);
    console.log(
      `fuzz summary: ${stats.requests} requests over ${stats.operations.size} operations ` +
        `(of ${operations?.length ?? 0} with a JSON body or query parameters), seed ${seed}, ` +
        `statuses ${statuses.map(([status, n]) => `${status}×${n}`).join(' ')}`,
    );
    recordReliability({
      kind: 'fuzz',
      what: 'HTTP requests generated from the OpenAPI (hostile bodies, query strings, ids)',
      on: 'pglite',
      count: stats.requests,
      held: 'never a 5xx, a stack trace or a path of ours; refused creates left no row behind',
      details: { operations: stats.operations.size, seed },
    });
    await platform?.dispose();
  });

  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return components[name] ?? {};
  };

  /** A value the schema would (mostly) accept: the interesting cases pass validation and reach the service. */
  const valid = (input: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    const schema = resolve(input);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((alternative) => valid(alternative, depth)));
    if (schema.allOf) return valid(Object.assign({}, ...schema.allOf.map(resolve)), depth);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'string':
        return validString(schema);
      case 'integer':
      case 'number': {
        if (type === 'integer') {
          const min = schema.minimum ?? (schema.exclusiveMinimum ?? -1_000_001) + 1;
          const max = schema.maximum ?? (schema.exclusiveMaximum ?? 1_000_001) - 1;
          return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
        }
        // An exclusive bound of a number is excluded, not moved by one: (0, 0.001] is a real range.
        return fc.double({
          min: schema.minimum ?? schema.exclusiveMinimum ?? -1_000_000,
          max: schema.maximum ?? schema.exclusiveMaximum ?? 1_000_000,
          minExcluded: schema.minimum === undefined && schema.exclusiveMinimum !== undefined,
          maxExcluded: schema.maximum === undefined && schema.exclusiveMaximum !== undefined,
          noNaN: true,
          noDefaultInfinity: true,
        });
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        if (depth > 4) return fc.constant([]);
        return fc.array(valid(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, 4),
        });
      case 'object':
      case undefined: {
        if (!schema.properties || depth > 4) return type ? fc.constant({}) : fc.jsonValue({ maxDepth: 2 });
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, property] of Object.entries(schema.properties))
          record[key] = valid(property, depth + 1);
        return fc.record(record, { requiredKeys: (schema.required ?? []).filter((key) => key in record) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };

  const validString = (schema: JsonSchema): fc.Arbitrary<string> => {
    switch (schema.format) {
      case 'date':
        return fc.constantFrom('2026-01-31', '2025-12-01', '2026-02-30', '1999-01-01');
      case 'date-time':
        return fc.constantFrom(
          '2026-01-31T00:00:00Z',
          '2025-12-01T10:20:30.000+08:00',
          '9999-12-31T23:59:59Z',
        );
      case 'email':
        return fc.emailAddress();
      // Nothing listens on port 9: an outbound fetch is refused at once instead of waiting on DNS.
      case 'uri':
      case 'url':
        return fc.constantFrom(
          'http://127.0.0.1:9/x',
          'https://127.0.0.1:9/openapi.json',
          'ftp://example.invalid',
        );
      default:
        return fc.string({
          minLength: schema.minLength ?? 0,
          maxLength: Math.min(schema.maxLength ?? 40, 40),
          unit: 'grapheme-composite',
        });
    }
  };

  /** Values of any JSON type, for a field or a whole body where the schema wants something else. */
  const wrongType = fc.oneof(
    fc.constantFrom(null, true, 0, -1, 1e308, '', '0', [], {}, [null], { '': '' }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 64 }),
  );

  /** Just over 1 MB as a JSON document is refused (413), so 1 MB less some room stays under the limit. */
  const hugeString = fc.constantFrom(
    'x'.repeat(1024 * 1024 - 512),
    '\u{1F600}'.repeat(60_000),
    '\u0000'.repeat(10_000),
  );

  const pollution = fc.constantFrom(
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"a":{"__proto__":{"polluted":1}}}',
    '[{"__proto__":{"polluted":1}}]',
  );

  /** The body as the wire carries it: JSON text (or bytes) the caller chose, including ones no encoder writes. */
  const bodyFor = (operation: Operation): fc.Arbitrary<string | Buffer> => {
    const schema = operation.body ?? { type: 'object' };
    const shaped = valid(schema, 0);
    const keys = Object.keys(resolve(schema).properties ?? {});
    const mutatedField = fc
      .tuple(shaped, fc.oneof(wrongType, hugeString), fc.constantFrom(...(keys.length > 0 ? keys : ['x'])))
      .map(([value, replacement, key]) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? { ...value, [key]: replacement }
          : replacement,
      );
    return fc.oneof(
      { weight: 4, arbitrary: shaped.map((value) => JSON.stringify(value)) },
      { weight: 3, arbitrary: mutatedField.map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: wrongType.map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: pollution },
      {
        weight: 1,
        arbitrary: shaped.map((value) => {
          const text = JSON.stringify(value);
          // Duplicate keys: JSON.parse keeps the last; a validator that saw the first would be fooled.
          return text.startsWith('{"') ? `{"a":1,"a":{"b":2},${text.slice(1)}` : '{"a":1,"a":2}';
        }),
      },
      { weight: 1, arbitrary: malformed },
    );
  };

  const depth = 10_000;
  const malformed = fc.constantFrom<string | Buffer>(
    '['.repeat(depth) + ']'.repeat(depth),
    `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    // Invalid UTF-8: a lone continuation byte, an overlong encoding and a truncated sequence.
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0xc0, 0xaf, 0xe2, 0x82, 0x22, 0x7d]),
    Buffer.from([0xff, 0xfe, 0xfd]),
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    'null',
    '',
    '\u0000',
    '{"a":"\\ud800"}',
    'NaN',
    '1e999999',
  );

  const queryFor = (operation: Operation): fc.Arbitrary<string> => {
    const entries = operation.query.map((parameter) =>
      fc.option(
        fc.oneof(
          { weight: 3, arbitrary: valid(parameter.schema ?? { type: 'string' }, 0).map(String) },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
          {
            weight: 1,
            arbitrary: fc.constantFrom('-1', '1e999', 'NaN', '[]', '{}', 'true', 'x'.repeat(10_000)),
          },
        ),
        { nil: undefined },
      ),
    );
    return fc.tuple(...entries).map((values) => {
      const search = new URLSearchParams();
      values.forEach((value, i) => {
        if (value !== undefined) search.append(operation.query[i]!.name, value);
      });
      // A parameter given twice arrives as an array, which a scalar schema must refuse, not crash on.
      if (values[0] !== undefined) search.append(operation.query[0]!.name, values[0]);
      return search.toString();
    });
  };

  /** Path parameters: the caller's own organisation where one is asked for, ids of the right shape or junk elsewhere. */
  const urlFor = (operation: Operation, caller: Tenant) =>
    fc
      .constantFrom('ds_00000000000000000000000000', 'x', '%00', '..%2F..%2Fetc', '\u00e9'.repeat(300))
      .map((id) =>
        operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
          name === 'orgId' ? caller.orgId : encodeURIComponent(id),
        ),
      );

  const send = async (request: {
    method: string;
    url: string;
    caller: Tenant;
    payload?: string | Buffer;
  }): Promise<LightMyRequestResponse> => {
    const response = await platform.app.inject({
      method: request.method as 'POST',
      url: request.url,
      headers: {
        ...request.caller.headers,
        ...(request.payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      payload: request.payload,
    });
    stats.requests += 1;
    stats.byStatus.set(response.statusCode, (stats.byStatus.get(response.statusCode) ?? 0) + 1);
    return response;
  };

  const stackFrame =
    /\n\s+at \S|\bat \S+ \(?[^\s()]*:\d+:\d+\)?|node_modules|\/work\/main|\bsrc\/[\w/-]+\.[jt]s/;

  /** Every answer a caller can see: below 500, a problem document when refused, no internals. */
  const expectWellFormed = (response: LightMyRequestResponse, label: string) => {
    const context = `${label.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, context).toBeLessThan(500);
    if (response.statusCode >= 400) {
      const type = String(response.headers['content-type']);
      // CKAN's Action API keeps its own error shape so its clients work (`{success: false, error}`);
      // Delta Sharing answers RFC 9457 that also carries the protocol's `{errorCode, message}` (bar
      // what the router refuses before a route is chosen, as everywhere).
      // Everything else, and what the router refuses before a route is chosen, is RFC 9457.
      if (label.includes('/delta-sharing/') && !type.startsWith('application/problem+json')) {
        throw new Error(`a Delta Sharing error is not problem+json: ${context}`);
      }
      if (type.startsWith('application/problem+json')) {
        expect(response.json(), context).toHaveProperty('code');
      } else if (label.includes('/api/3/action/')) {
        expect(type, context).toMatch(/^application\/json/);
        expect(response.json(), context).toMatchObject({ success: false });
      } else {
        expect(type, context).toMatch(/^application\/problem\+json/);
      }
    }
    expect(stackFrame.test(response.body), context).toBe(false);
    expect(/Error:[^\n]*\n/.test(response.body), context).toBe(false);
  };

  it('answers generated and malformed requests without a 5xx or a stack trace', async () => {
    const request = fc.constantFrom(...operations).chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        caller: fc.constantFrom(provider, consumer),
        query: operation.query.length > 0 ? queryFor(operation) : fc.constant(''),
        payload: operation.body ? bodyFor(operation) : fc.constant(undefined),
        url: fc.constantFrom(provider, consumer).chain((caller) => urlFor(operation, caller)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ operation, caller, query, payload, url }) => {
        stats.operations.add(`${operation.method} ${operation.path}`);
        const response = await send({
          method: operation.method,
          url: query ? `${url}?${query}` : url,
          caller,
          payload,
        });
        expectWellFormed(response, `${operation.method} ${url}`);
      }),
      { seed, numRuns: 300, endOnFailure: true },
    );
  }, 120_000);

  it('covers every operation once with each malformed body and a body over the limit', async () => {
    // The property samples operations; this pass makes sure each one meets the worst inputs at least once.
    const worst: (string | Buffer)[] = [
      '['.repeat(depth) + ']'.repeat(depth),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
      '{"__proto__":{"isAdmin":true}}',
      '{"a":1,"a":2}',
    ];
    for (const operation of operations) {
      stats.operations.add(`${operation.method} ${operation.path}`);
      const url = operation.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        name === 'orgId' ? provider.orgId : 'x',
      );
      for (const parameter of operation.query) {
        // Given twice, empty, and far too long: each must be refused or ignored, never crash a handler.
        const query = `${parameter.name}=&${parameter.name}=${'%FF'.repeat(3000)}`;
        expectWellFormed(
          await send({ method: operation.method, url: `${url}?${query}`, caller: consumer }),
          url,
        );
      }
      if (!operation.body) continue;
      for (const payload of worst) {
        expectWellFormed(await send({ method: operation.method, url, caller: provider, payload }), url);
      }
    }
    // Refused by the router before any route runs (a bad percent-encoding, an id past 100
    // characters): these once left as Fastify's own JSON instead of problem+json.
    for (const url of ['/v1/datasets/%E0%A4%A', `/v1/datasets/${'a'.repeat(101)}`]) {
      const refused = await send({ method: 'GET', url, caller: consumer });
      expect(refused.statusCode, url).toBe(400);
      expectWellFormed(refused, url);
    }
    const tooLarge = await send({
      method: 'POST',
      url: '/v1/datasets',
      caller: provider,
      payload: JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024), licence: 'CC0-1.0' }),
    });
    expect(tooLarge.statusCode).toBe(413);
    expectWellFormed(tooLarge, 'POST /v1/datasets (2 MB)');
  }, 120_000);

  it('leaves no partial write behind a burst of refused creates, and the ledger verifies', async () => {
    const rows = async () => {
      const db = platform.database.db;
      const [[d], [a], [e]] = await Promise.all([
        db.select({ n: count() }).from(datasets),
        db.select({ n: count() }).from(apis),
        db.select({ n: count() }).from(auditEvents),
      ]);
      return { datasets: d!.n, apis: a!.n, auditEvents: e!.n };
    };
    const before = await rows();
    const refused = fc.sample(
      fc.oneof(
        fc.constantFrom('/v1/datasets', '/v1/apis').chain((url) =>
          fc.record({
            url: fc.constant(url),
            payload: fc.oneof(
              wrongType.map((value) => JSON.stringify(value)),
              pollution,
              malformed,
              // Every field present but one of the wrong type: the write must not begin.
              fc
                .tuple(
                  fc.constantFrom(null, true, 0, -1, [], {}, [null], { '': '' }),
                  fc.constantFrom('title', 'licence', 'slug', 'visibility', 'upstreamUrl'),
                )
                .map(([value, key]) =>
                  JSON.stringify({ title: 'Valid', licence: 'CC0-1.0', slug: 'fuzz_partial', [key]: value }),
                ),
            ),
          }),
        ),
      ),
      { seed, numRuns: 60 },
    );
    let refusals = 0;
    for (const { url, payload } of refused) {
      const response = await send({ method: 'POST', url, caller: provider, payload });
      expectWellFormed(response, `POST ${url}`);
      if (response.statusCode >= 400) refusals += 1;
      // Every payload here is invalid by construction, so an acceptance is itself a failure.
      else throw new Error(`a malformed create was accepted: POST ${url} ${String(payload).slice(0, 200)}`);
    }
    expect(refusals).toBe(refused.length);
    expect(await rows()).toEqual(before);
    const verified = await platform.audit.verify();
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
  }, 60_000);
});
