import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import { createGateway, type Gateway } from './handler.js';
import { LocalQuotaCounter, LocalRateLimiter } from './limiter.js';
import { createStandaloneGatewayServer } from './server.js';
import type { GatewaySnapshot, SnapshotApi, SnapshotSubscription } from './snapshot.js';
import { subscriptionKey } from './snapshot.js';
import { apiKeyHash, FixedSnapshotSource } from './testing.js';

// ---- documents, as the catalogue hands them over: already dereferenced ----

const reading = {
  type: 'object',
  required: ['building', 'kwh', 'id'],
  properties: {
    id: { type: 'string', readOnly: true },
    building: { type: 'string', minLength: 1 },
    kwh: { type: 'number', minimum: 0 },
    note: { type: 'string', nullable: true },
  },
};

/** A recursive schema: after dereferencing, `children.items` is the object itself. */
const zone: Record<string, unknown> = { type: 'object', required: ['name'], properties: {} };
(zone.properties as Record<string, unknown>).name = { type: 'string' };
(zone.properties as Record<string, unknown>).children = { type: 'array', items: zone };

const openapi30 = {
  openapi: '3.0.3',
  info: { title: 'Energy', version: '1' },
  paths: {
    '/buildings/{id}/energy': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        parameters: [
          { name: 'hours', in: 'query', required: true, schema: { type: 'integer', maximum: 168 } },
          { name: 'unit', in: 'query', schema: { type: 'string', enum: ['kwh', 'mwh'] } },
          { name: 'meters', in: 'query', schema: { type: 'array', items: { type: 'integer' } } },
          { name: 'X-Tenant', in: 'header', schema: { type: 'string', pattern: '^t-[0-9]+$' } },
        ],
      },
    },
    '/readings': {
      post: {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: reading }, 'text/csv': { schema: { type: 'string' } } },
        },
      },
    },
    '/zones': {
      post: { requestBody: { content: { 'application/json': { schema: zone } } } },
    },
  },
};

const openapi31 = {
  openapi: '3.1.0',
  info: { title: 'Energy', version: '1' },
  paths: {
    '/limits': {
      get: {
        parameters: [
          {
            name: 'ratio',
            in: 'query',
            required: true,
            schema: { type: ['number', 'null'], exclusiveMaximum: 1 },
          },
        ],
      },
    },
  },
};

const swagger20 = {
  swagger: '2.0',
  info: { title: 'Energy', version: '1' },
  paths: {
    '/meters': {
      get: {
        parameters: [
          { name: 'ids', in: 'query', type: 'array', items: { type: 'integer' }, collectionFormat: 'csv' },
          { name: 'limit', in: 'query', type: 'integer', maximum: 100, exclusiveMaximum: true },
        ],
      },
      post: {
        consumes: ['application/json'],
        parameters: [{ name: 'meter', in: 'body', required: true, schema: reading }],
      },
    },
  },
};

// ---- upstream and gateway ----

interface Seen {
  url: string;
  body: string;
  contentLength: string | undefined;
}

async function startUpstream(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        url: req.url!,
        body: Buffer.concat(chunks).toString(),
        contentLength: req.headers['content-length'],
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const providerOrg = newId('organisation');
const consumer = newId('organisation');
const key = 'sk_validation_consumer';

function api(slug: string, upstreamUrl: string, document: object, validateRequests = true): SnapshotApi {
  const operations = Object.entries(
    (document as { paths: Record<string, Record<string, unknown>> }).paths,
  ).flatMap(([path, item]) =>
    ['get', 'post']
      .filter((method) => item[method])
      .map((method) => ({ method: method.toUpperCase(), path, operationId: null, summary: null, tags: [] })),
  );
  return {
    id: newId('api'),
    slug,
    orgId: providerOrg,
    upstreamUrl,
    operations,
    validateRequests,
    ...(validateRequests ? { document } : {}),
  };
}

function snapshot(apis: SnapshotApi[]): GatewaySnapshot {
  const subscriptions: SnapshotSubscription[] = apis.map((a) => ({
    id: newId('subscription'),
    apiId: a.id,
    orgId: consumer,
    providerOrgId: providerOrg,
    plan: {
      id: newId('plan'),
      rateLimitPerSecond: 10_000,
      burst: 10_000,
      monthlyQuota: null,
      includedTags: [],
      includedPaths: [],
    },
  }));
  return {
    builtAt: Date.now(),
    apisBySlug: new Map(apis.map((a) => [a.slug, a])),
    apiKeysByHash: new Map([[apiKeyHash(key), { id: newId('apiKey'), orgId: consumer, validUntil: null }]]),
    oauthClientsById: new Map(),
    subscriptions: new Map(subscriptions.map((s) => [subscriptionKey(s.orgId, s.apiId), s])),
  };
}

describe('request validation', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let gateway: Gateway;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    upstream = await startUpstream();
    const source = new FixedSnapshotSource(
      snapshot([
        api('v30', upstream.url, openapi30),
        api('v31', upstream.url, openapi31),
        api('v20', upstream.url, swagger20),
        api('open', upstream.url, openapi30, false),
      ]),
    );
    gateway = createGateway({
      source,
      verifier: {
        verify: async () => {
          throw new Error('no tokens here');
        },
      },
      limits: { rate: new LocalRateLimiter(), quota: new LocalQuotaCounter() },
      meter: { record() {} },
    });
    await gateway.ready();
    server = createStandaloneGatewayServer(gateway);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await gateway.close();
    upstream.server.close();
  });

  async function call(
    path: string,
    init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
  ) {
    const response = await request(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-api-key': key, ...init.headers },
      body: init.body,
    });
    const text = await response.body.text();
    return { status: response.statusCode, contentType: response.headers['content-type'], text };
  }

  async function refusal(path: string, init: Parameters<typeof call>[1] = {}) {
    const before = upstream.seen.length;
    const response = await call(path, init);
    expect(response.status).toBe(400);
    expect(response.contentType).toBe('application/problem+json');
    // Refused at the gateway: the upstream never sees the call.
    expect(upstream.seen.length).toBe(before);
    const problem = JSON.parse(response.text) as { code: string; detail: string };
    expect(problem.code).toBe('request-invalid');
    return problem.detail;
  }

  const json = (value: unknown) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });

  it('passes a request that matches the document, parameters coerced from strings', async () => {
    const response = await call('/gw/v30/buildings/7/energy?hours=24&unit=kwh&meters=1&meters=2', {
      headers: { 'x-tenant': 't-42' },
    });
    expect(response.status).toBe(200);
    expect(upstream.seen.at(-1)!.url).toBe('/buildings/7/energy?hours=24&unit=kwh&meters=1&meters=2');
  });

  it('refuses a query parameter out of range, naming it and the bound', async () => {
    expect(await refusal('/gw/v30/buildings/7/energy?hours=500')).toBe('query/hours: must be <= 168');
    expect(await refusal('/gw/v30/buildings/7/energy?hours=2&unit=gwh')).toBe(
      'query/unit: must be equal to one of the allowed values: "kwh", "mwh"',
    );
    expect(await refusal('/gw/v30/buildings/7/energy?hours=2&meters=1&meters=x')).toBe(
      'query/meters/1: must be integer',
    );
  });

  it('refuses a missing required parameter, and a bad path or header parameter', async () => {
    expect(await refusal('/gw/v30/buildings/7/energy')).toBe('query/hours: is required');
    expect(await refusal('/gw/v30/buildings/0/energy?hours=1')).toBe('path/id: must be >= 1');
    expect(await refusal('/gw/v30/buildings/7/energy?hours=1', { headers: { 'x-tenant': 'nobody' } })).toBe(
      'header/X-Tenant: must match pattern "^t-[0-9]+$"',
    );
  });

  it('checks a JSON body and forwards the very bytes it checked', async () => {
    const body = { building: 'Core F', kwh: 12.5, note: null };
    const response = await call('/gw/v30/readings', json(body));
    expect(response.status).toBe(200);
    const seen = upstream.seen.at(-1)!;
    expect(seen.body).toBe(JSON.stringify(body));
    expect(seen.contentLength).toBe(String(Buffer.byteLength(JSON.stringify(body))));
  });

  it('refuses a body of the wrong type, naming the field', async () => {
    expect(await refusal('/gw/v30/readings', json({ building: 'Core F', kwh: 'lots' }))).toBe(
      'body/kwh: must be number',
    );
    expect(await refusal('/gw/v30/readings', json({ kwh: 1 }))).toBe('body/building: is required');
    expect(await refusal('/gw/v30/readings', json([1, 2]))).toBe('body: must be object');
    expect(
      await refusal('/gw/v30/readings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"building":',
      }),
    ).toBe('body: must be valid JSON');
  });

  it('refuses a missing required body and an undeclared content type; streams a declared non-JSON one', async () => {
    expect(await refusal('/gw/v30/readings', { method: 'POST' })).toBe('body: is required');
    expect(
      await refusal('/gw/v30/readings', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      }),
    ).toBe('body: content type text/plain is not one of application/json, text/csv');
    const csv = await call('/gw/v30/readings', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'building,kwh\nCore F,1',
    });
    expect(csv.status).toBe(200);
    expect(upstream.seen.at(-1)!.body).toBe('building,kwh\nCore F,1');
  });

  it('validates recursive schemas', async () => {
    const ok = await call(
      '/gw/v30/zones',
      json({ name: 'park', children: [{ name: 'core', children: [] }] }),
    );
    expect(ok.status).toBe(200);
    expect(await refusal('/gw/v30/zones', json({ name: 'park', children: [{ children: [] }] }))).toBe(
      'body/children/0/name: is required',
    );
  });

  it('speaks OpenAPI 3.1 (JSON Schema 2020-12) and Swagger 2.0', async () => {
    expect((await call('/gw/v31/limits?ratio=0.5')).status).toBe(200);
    expect(await refusal('/gw/v31/limits?ratio=1')).toBe('query/ratio: must be < 1');
    expect((await call('/gw/v20/meters?ids=1,2,3&limit=99')).status).toBe(200);
    expect(await refusal('/gw/v20/meters?ids=1,x')).toBe('query/ids/1: must be integer');
    expect(await refusal('/gw/v20/meters?limit=100')).toBe('query/limit: must be < 100');
    expect(await refusal('/gw/v20/meters', json({ building: 'Core F', kwh: -1 }))).toBe(
      'body/kwh: must be >= 0',
    );
    expect((await call('/gw/v20/meters', json({ building: 'Core F', kwh: 1 }))).status).toBe(200);
  });

  it('passes everything through when the API does not validate requests', async () => {
    expect((await call('/gw/open/buildings/0/energy?hours=500')).status).toBe(200);
    expect((await call('/gw/open/readings', json({ kwh: 'lots' }))).status).toBe(200);
    expect(upstream.seen.at(-1)!.body).toBe('{"kwh":"lots"}');
  });
});
