import { once } from 'node:events';
import { createServer, get, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { Redis } from 'ioredis';
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../clock.js';
import { newId } from '../../ids.js';
import { createGateway, type Gateway, type GatewayOptions } from './handler.js';
import { createLimits, type Limits, LocalQuotaCounter, LocalRateLimiter } from './limiter.js';
import { MemoryUsageSink, Meter, type MeteredCall } from './metering.js';
import { createStandaloneGatewayServer } from './server.js';
import type { GatewaySnapshot, SnapshotApi, SnapshotPlan, SnapshotSubscription } from './snapshot.js';
import { subscriptionKey } from './snapshot.js';
import { apiKeyHash, FixedSnapshotSource } from './testing.js';
import { createJwtVerifier } from './tokens.js';

// ---- a real upstream ----

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Upstream {
  server: Server;
  url: string;
  seen: Seen[];
  closedStreams: number;
  onStreamClosed: Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  let resolveClosed!: () => void;
  const upstream: Upstream = {
    server: undefined as unknown as Server,
    url: '',
    seen: [],
    closedStreams: 0,
    onStreamClosed: new Promise<void>((resolve) => {
      resolveClosed = resolve;
    }),
  };
  upstream.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      upstream.seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const path = req.url!.split('?')[0]!;
      if (path.endsWith('/slow')) {
        setTimeout(() => res.end('late'), 1500).unref();
        return;
      }
      if (path.endsWith('/stream')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('x'.repeat(64 * 1024));
        const timer = setInterval(() => res.write('more'), 50);
        res.on('close', () => {
          clearInterval(timer);
          upstream.closedStreams += 1;
          resolveClosed();
        });
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        connection: 'keep-alive, x-hop',
        'x-hop': 'must not pass',
        'x-upstream': 'yes',
      });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  upstream.server.listen(0, '127.0.0.1');
  await once(upstream.server, 'listening');
  upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
  return upstream;
}

// ---- a hand-built snapshot ----

const providerOrg = newId('organisation');
const consumer = newId('organisation');
const noSubscriber = newId('organisation');
const restricted = newId('organisation');
const throttled = newId('organisation');
const rationed = newId('organisation');

const keys = {
  consumer: 'sk_consumer_secret',
  rotatedOld: 'sk_consumer_old_secret',
  noSubscriber: 'sk_no_subscription',
  restricted: 'sk_restricted',
  throttled: 'sk_throttled',
  rationed: 'sk_rationed',
};

const plan = (overrides: Partial<SnapshotPlan> = {}): SnapshotPlan => ({
  id: newId('plan'),
  rateLimitPerSecond: 10_000,
  burst: 10_000,
  monthlyQuota: null,
  includedTags: [],
  includedPaths: [],
  ...overrides,
});

function energyApi(upstreamUrl: string): SnapshotApi {
  return {
    id: newId('api'),
    slug: 'energy',
    orgId: providerOrg,
    upstreamUrl: `${upstreamUrl}/base`,
    validateRequests: false,
    operations: [
      { method: 'get', path: '/buildings', operationId: 'list', summary: null, tags: ['buildings'] },
      { method: 'get', path: '/buildings/{id}', operationId: 'get', summary: null, tags: ['buildings'] },
      {
        method: 'get',
        path: '/buildings/{id}/energy',
        operationId: 'energy',
        summary: null,
        tags: ['energy'],
      },
      { method: 'post', path: '/upload', operationId: 'upload', summary: null, tags: ['write'] },
      { method: 'get', path: '/slow', operationId: 'slow', summary: null, tags: [] },
      { method: 'get', path: '/stream', operationId: 'stream', summary: null, tags: [] },
      { method: 'get', path: '/admin/stats', operationId: 'stats', summary: null, tags: ['admin'] },
    ],
  };
}

function buildSnapshot(api: SnapshotApi, clientId: string, now: number): GatewaySnapshot {
  const credential = (orgId: string, validUntil: number | null = null) => ({
    id: newId('apiKey'),
    orgId,
    validUntil,
  });
  const subscription = (orgId: string, p: SnapshotPlan): SnapshotSubscription => ({
    id: newId('subscription'),
    apiId: api.id,
    orgId,
    providerOrgId: providerOrg,
    plan: p,
  });
  const subscriptions = [
    subscription(consumer, plan()),
    subscription(restricted, plan({ includedPaths: ['/buildings/**'], includedTags: ['admin-never'] })),
    subscription(throttled, plan({ rateLimitPerSecond: 0.001, burst: 10 })),
    subscription(rationed, plan({ monthlyQuota: 3 })),
  ];
  return {
    builtAt: now,
    apisBySlug: new Map([[api.slug, api]]),
    apiKeysByHash: new Map([
      [apiKeyHash(keys.consumer), credential(consumer)],
      [apiKeyHash(keys.rotatedOld), credential(consumer, now + 60_000)],
      [apiKeyHash(keys.noSubscriber), credential(noSubscriber)],
      [apiKeyHash(keys.restricted), credential(restricted)],
      [apiKeyHash(keys.throttled), credential(throttled)],
      [apiKeyHash(keys.rationed), credential(rationed)],
    ]),
    oauthClientsById: new Map([[clientId, { id: clientId, orgId: consumer, validUntil: null }]]),
    subscriptions: new Map(subscriptions.map((s) => [subscriptionKey(s.orgId, s.apiId), s])),
  };
}

// ---- the gateway under test ----

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const issuer = 'https://stp.test';
const audience = 'stp-gateway';

interface Running {
  gateway: Gateway;
  server: Server;
  url: string;
  calls: MeteredCall[];
  close(): Promise<void>;
}

async function startGateway(
  source: FixedSnapshotSource,
  jwks: () => JSONWebKeySet,
  options: { limits?: Pick<Limits, 'rate' | 'quota'>; clock?: Clock; gateway?: GatewayOptions } = {},
): Promise<Running> {
  const limits = options.limits ?? { rate: new LocalRateLimiter(), quota: new LocalQuotaCounter() };
  const calls: MeteredCall[] = [];
  const gateway = createGateway({
    source,
    verifier: createJwtVerifier({ getKeys: jwks, issuer, audience }),
    limits,
    meter: { record: (call) => calls.push(call) },
    clock: options.clock,
    options: options.gateway,
  });
  await gateway.ready();
  const server = createStandaloneGatewayServer(gateway);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    gateway,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await gateway.close();
    },
  };
}

async function call(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  init: { method?: 'GET' | 'POST'; body?: string | AsyncIterable<Buffer> } = {},
) {
  const response = await request(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body as string | undefined,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

describe('gateway data plane', () => {
  let upstream: Upstream;
  let api: SnapshotApi;
  let source: FixedSnapshotSource;
  let gw: Running;
  let now = Date.now();
  const clock: Clock = { now: () => new Date(now) };
  const clientId = newId('oauthClient');
  let signingKey: SigningKey;
  let otherKey: SigningKey;
  let jwks: JSONWebKeySet;

  const token = async (
    claims: Record<string, unknown> = {},
    options: { key?: SigningKey; audience?: string; expiresIn?: string | number; subject?: string } = {},
  ) =>
    new SignJWT({ org: consumer, scope: 'api:energy other:scope', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(options.subject ?? clientId)
      .setIssuer(issuer)
      .setAudience(options.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);

  beforeAll(async () => {
    upstream = await startUpstream();
    api = energyApi(upstream.url);
    source = new FixedSnapshotSource(buildSnapshot(api, clientId, now));
    const pair = await generateKeyPair('ES256', { extractable: true });
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
    gw = await startGateway(source, () => jwks, { clock });
  });
  afterAll(async () => {
    await gw?.close();
    upstream?.server.closeAllConnections();
    upstream?.server.close();
  });

  describe('forwarding', () => {
    it('forwards an API-key call to the upstream base path with the query string, and says who called', async () => {
      const before = upstream.seen.length;
      const response = await call(gw.url, '/gw/energy/buildings/42/energy?from=2026-01&to=2026-02', {
        'x-api-key': keys.consumer,
        authorization: 'Basic c2VjcmV0OnNlY3JldA==',
        'x-stp-consumer-org': 'org_spoofed',
        'x-stp-subscription': 'sub_spoofed',
        'x-forwarded-for': '6.6.6.6',
        'x-request-id': 'client-chosen',
        cookie: 'stp_session=platform-session; theme=dark',
        'x-custom': 'kept',
      });
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({
        ok: true,
        path: '/base/buildings/42/energy?from=2026-01&to=2026-02',
      });
      const seen = upstream.seen[before]!;
      expect(seen.headers['x-api-key']).toBeUndefined();
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-stp-consumer-org']).toBe(consumer);
      expect(seen.headers['x-stp-subscription']).toMatch(/^sub_/);
      expect(seen.headers['x-stp-subscription']).not.toBe('sub_spoofed');
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(seen.headers['x-forwarded-host']).toBe(new URL(gw.url).host);
      expect(seen.headers['x-request-id']).toMatch(/^req_/);
      expect(seen.headers['x-request-id']).toBe(response.headers['x-request-id']);
      expect(seen.headers.cookie).toBe('theme=dark');
      expect(seen.headers['x-custom']).toBe('kept');
      // The answer keeps end-to-end headers and loses the hop-by-hop ones the upstream listed.
      expect(response.headers['x-upstream']).toBe('yes');
      expect(response.headers['x-hop']).toBeUndefined();
      expect(response.headers['ratelimit-limit']).toBe('10000');
      expect(response.headers['ratelimit-remaining']).toBeDefined();
      expect(response.headers['ratelimit-reset']).toBeDefined();
    });

    it('meters the call with its subscription, status and bytes', async () => {
      const before = gw.calls.length;
      await call(gw.url, '/gw/energy/buildings', { 'x-api-key': keys.consumer });
      await waitFor(async () => gw.calls.length > before, 1000);
      const record = gw.calls[before]!;
      expect(record).toMatchObject({
        orgId: consumer,
        providerOrgId: providerOrg,
        apiId: api.id,
        method: 'GET',
        path: '/buildings',
        status: 200,
        rateLimited: false,
      });
      expect(record.bytesOut).toBeGreaterThan(0);
    });

    it('forwards a request body and its length', async () => {
      const before = upstream.seen.length;
      const response = await call(
        gw.url,
        '/gw/energy/upload',
        { 'x-api-key': keys.consumer, 'content-type': 'application/json' },
        { method: 'POST', body: '{"reading":12.5}' },
      );
      expect(response.status).toBe(200);
      expect(upstream.seen[before]!.body).toBe('{"reading":12.5}');
      expect(upstream.seen[before]!.method).toBe('POST');
    });
  });

  describe('authentication', () => {
    it('answers 401 problem+json with a Bearer challenge for a missing or unknown credential', async () => {
      const attempts: Record<string, string>[] = [
        {},
        { 'x-api-key': 'sk_unknown' },
        { authorization: 'Basic Zm9vOmJhcg==' },
      ];
      for (const headers of attempts) {
        const response = await call(gw.url, '/gw/energy/buildings', headers);
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toBe('application/problem+json');
        expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
        const body = response.json();
        expect(body).toMatchObject({
          type: 'https://stp-platform.dev/problems/unauthenticated',
          status: 401,
          code: 'unauthenticated',
          instance: '/gw/energy/buildings',
        });
        expect(body.requestId).toMatch(/^req_/);
        expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
      }
    });

    it("accepts a rotated key's old secret until its validUntil, then refuses it", async () => {
      const old = { 'x-api-key': keys.rotatedOld };
      expect((await call(gw.url, '/gw/energy/buildings', old)).status).toBe(200);
      const saved = now;
      now += 61_000;
      try {
        expect((await call(gw.url, '/gw/energy/buildings', old)).status).toBe(401);
        expect((await call(gw.url, '/gw/energy/buildings', { 'x-api-key': keys.consumer })).status).toBe(200);
      } finally {
        now = saved;
      }
    });

    it('stops accepting a revoked key within one second of the change notice', async () => {
      const revocable = 'sk_revocable';
      const snapshot = buildSnapshot(api, clientId, now);
      for (const [hash, credential] of source.current.apiKeysByHash)
        snapshot.apiKeysByHash.set(hash, credential);
      snapshot.subscriptions = source.current.subscriptions;
      snapshot.apiKeysByHash.set(apiKeyHash(revocable), {
        id: newId('apiKey'),
        orgId: consumer,
        validUntil: null,
      });
      source.replace(snapshot);
      await waitFor(
        async () => (await call(gw.url, '/gw/energy/buildings', { 'x-api-key': revocable })).status === 200,
        1000,
      );
      const revoked = { ...snapshot, apiKeysByHash: new Map(snapshot.apiKeysByHash) };
      revoked.apiKeysByHash.delete(apiKeyHash(revocable));
      source.replace(revoked);
      const elapsed = await waitFor(
        async () => (await call(gw.url, '/gw/energy/buildings', { 'x-api-key': revocable })).status === 401,
        1000,
      );
      expect(elapsed).toBeLessThan(1000);
    });

    it('accepts a valid ES256 access token with the scope api:{slug}', async () => {
      const before = upstream.seen.length;
      const response = await call(gw.url, '/gw/energy/buildings', {
        authorization: `Bearer ${await token()}`,
      });
      expect(response.status).toBe(200);
      expect(upstream.seen[before]!.headers.authorization).toBeUndefined();
      expect(upstream.seen[before]!.headers['x-stp-consumer-org']).toBe(consumer);
    });

    it('refuses expired, wrong-audience, wrong-key, alg none, HS256 and other-org tokens with 401', async () => {
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const payload = {
        sub: clientId,
        org: consumer,
        scope: 'api:energy',
        iss: issuer,
        aud: audience,
        exp: Math.floor(Date.now() / 1000) + 300,
      };
      const hs256 = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!!'));
      const tokens = {
        expired: await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 }),
        wrongAudience: await token({}, { audience: 'someone-else' }),
        wrongKey: await token({}, { key: otherKey }),
        algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`,
        hs256,
        otherOrg: await token({ org: noSubscriber }),
        unknownClient: await token({}, { subject: newId('oauthClient') }),
      };
      for (const [name, value] of Object.entries(tokens)) {
        const response = await call(gw.url, '/gw/energy/buildings', { authorization: `Bearer ${value}` });
        expect(response.status, name).toBe(401);
        expect(response.headers['www-authenticate'], name).toContain('error="invalid_token"');
      }
    });

    it('answers 403 insufficient_scope for a valid token without api:{slug} (RFC 6750 §3.1)', async () => {
      const response = await call(gw.url, '/gw/energy/buildings', {
        authorization: `Bearer ${await token({ scope: 'api:other' })}`,
      });
      expect(response.status).toBe(403);
      expect(response.json().code).toBe('forbidden');
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });
  });

  describe('authorisation and routing', () => {
    it('answers 404 for an unknown API', async () => {
      const response = await call(gw.url, '/gw/nothing/here', { 'x-api-key': keys.consumer });
      expect(response.status).toBe(404);
      expect(response.json().code).toBe('not-found');
    });

    it('answers 403 subscription-not-active without an active subscription', async () => {
      const response = await call(gw.url, '/gw/energy/buildings', { 'x-api-key': keys.noSubscriber });
      expect(response.status).toBe(403);
      expect(response.json().code).toBe('subscription-not-active');
    });

    it('answers 404 for a path or method no operation declares (deny by default)', async () => {
      const before = upstream.seen.length;
      for (const [method, path] of [
        ['GET', '/gw/energy/undeclared'],
        ['POST', '/gw/energy/buildings'],
        ['GET', '/gw/energy/buildings/1/energy/extra'],
      ] as const) {
        const response = await call(gw.url, path, { 'x-api-key': keys.consumer }, { method });
        expect(response.status, path).toBe(404);
        expect(response.json().code).toBe('not-found');
      }
      expect(upstream.seen.length).toBe(before);
    });

    it('refuses dot segments and encoded slashes that could escape the plan upstream', async () => {
      const before = upstream.seen.length;
      for (const path of [
        '/gw/energy/buildings/%2e%2e/admin/stats',
        '/gw/energy/buildings/../admin/stats',
        '/gw/energy/buildings/a%2Fb',
        '/gw/energy/buildings/..\\..\\admin\\stats',
        '/gw/energy/buildings/a%5Cb',
        '/gw/energy/buildings/..;x/admin',
      ]) {
        // node:http sends the path as written; a WHATWG URL client would resolve the dots first.
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            `${gw.url}/`,
            { path, headers: { 'x-api-key': keys.restricted } },
            (res) => {
              res.resume();
              resolve(res.statusCode!);
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(status, path).toBe(400);
      }
      expect(upstream.seen.length).toBe(before);
    });

    it('answers 403 operation-not-in-plan for an operation outside the plan', async () => {
      const inPlan = await call(gw.url, '/gw/energy/buildings/7/energy', { 'x-api-key': keys.restricted });
      expect(inPlan.status).toBe(200);
      const response = await call(gw.url, '/gw/energy/admin/stats', { 'x-api-key': keys.restricted });
      expect(response.status).toBe(403);
      expect(response.json().code).toBe('operation-not-in-plan');
    });
  });

  describe('limits', () => {
    it('lets exactly the burst through under 50 concurrent calls and answers the rest 429 with RateLimit-* and Retry-After', async () => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          call(gw.url, '/gw/energy/buildings', { 'x-api-key': keys.throttled }),
        ),
      );
      const passed = responses.filter((r) => r.status === 200);
      const limited = responses.filter((r) => r.status === 429);
      expect(passed.length).toBe(10);
      expect(limited.length).toBe(40);
      const refused = limited[0]!;
      expect(refused.json().code).toBe('rate-limited');
      expect(refused.headers['ratelimit-limit']).toBe('10');
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const remaining = passed.map((r) => Number(r.headers['ratelimit-remaining'])).sort((a, b) => a - b);
      expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await waitFor(
        async () => gw.calls.filter((c) => c.rateLimited && c.orgId === throttled).length === 40,
        1000,
      );
    });

    it('answers 429 quota-exceeded once the monthly quota is used, with Retry-After until the month ends', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await call(gw.url, '/gw/energy/buildings', { 'x-api-key': keys.rationed });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(response.json().code).toBe('quota-exceeded');
          const d = new Date(now);
          const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
          expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(
            Math.ceil((monthEnd - now) / 1000) + 1,
          );
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);

      // Ending the subscription and taking a new one (a new id) must not buy a fresh quota.
      const renewed = { ...source.current, subscriptions: new Map(source.current.subscriptions) };
      const key = subscriptionKey(rationed, api.id);
      renewed.subscriptions.set(key, { ...renewed.subscriptions.get(key)!, id: newId('subscription') });
      source.replace(renewed);
      await gw.gateway.refresh();
      const after = await call(gw.url, '/gw/energy/buildings', { 'x-api-key': keys.rationed });
      expect(after.status).toBe(429);
    });
  });

  describe('request bodies and malformed requests', () => {
    let small: Running;
    beforeAll(async () => {
      small = await startGateway(source, () => jwks, { gateway: { maxBodyBytes: 1024 } });
    });
    afterAll(async () => {
      await small?.close();
    });

    it('answers 413 before reading a body whose Content-Length is over the limit', async () => {
      const before = upstream.seen.length;
      const response = await call(
        small.url,
        '/gw/energy/upload',
        { 'x-api-key': keys.consumer },
        { method: 'POST', body: 'x'.repeat(4096) },
      );
      expect(response.status).toBe(413);
      expect(response.json().code).toBe('payload-too-large');
      expect(upstream.seen.length).toBe(before);
    });

    it('answers 413 for a streamed (chunked) body once it passes the limit', async () => {
      async function* chunks() {
        for (let i = 0; i < 8; i++) yield Buffer.alloc(512, 'y');
      }
      const response = await call(
        small.url,
        '/gw/energy/upload',
        { 'x-api-key': keys.consumer },
        { method: 'POST', body: chunks() },
      );
      expect(response.status).toBe(413);
    });

    it('refuses a header value with a bare CR (header injection) with 400 and forwards nothing', async () => {
      const before = upstream.seen.length;
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      await once(socket, 'connect');
      socket.write(
        `GET /gw/energy/buildings HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.consumer}\r\nX-Note: a\rX-Stp-Consumer-Org: org_evil\r\n\r\n`,
      );
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      await once(socket, 'close');
      expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.1 400/);
      expect(upstream.seen.length).toBe(before);
    });
  });

  describe('upstream failures', () => {
    it('answers 502 upstream-unavailable when the upstream refuses connections', async () => {
      const closed = createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const port = (closed.address() as AddressInfo).port;
      closed.close();
      const downApi = { ...energyApi(`http://127.0.0.1:${port}`), slug: 'down' };
      const snapshot = buildSnapshot(downApi, clientId, now);
      const down = await startGateway(new FixedSnapshotSource(snapshot), () => jwks);
      try {
        const response = await call(down.url, '/gw/down/buildings', { 'x-api-key': keys.consumer });
        expect(response.status).toBe(502);
        expect(response.json().code).toBe('upstream-unavailable');
      } finally {
        await down.close();
      }
    });

    it('answers 504 upstream-timeout when the upstream is slower than headersTimeout', async () => {
      const slow = await startGateway(source, () => jwks, { gateway: { headersTimeoutMs: 200 } });
      try {
        const response = await call(slow.url, '/gw/energy/slow', { 'x-api-key': keys.consumer });
        expect(response.status).toBe(504);
        expect(response.json().code).toBe('upstream-timeout');
      } finally {
        await slow.close();
      }
    });

    it('releases the upstream request when the client goes away mid-response', async () => {
      const closedBefore = upstream.closedStreams;
      await new Promise<void>((resolve, reject) => {
        const req = get(`${gw.url}/gw/energy/stream`, { headers: { 'x-api-key': keys.consumer } }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => {});
        setTimeout(() => reject(new Error('no data')), 2000).unref();
      });
      await waitFor(async () => upstream.closedStreams > closedBefore, 2000);
      expect(upstream.closedStreams).toBeGreaterThan(closedBefore);
    });
  });

  describe.skipIf(!process.env.REDIS_URL)('shared limits in Redis', () => {
    /** Two gateway nodes, each with its own Redis connection, on a key prefix of their own. */
    async function withTwoNodes(run: (a: Running, b: Running) => Promise<void>) {
      const prefix = `stp-test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
      const limitsA = createLimits(process.env.REDIS_URL, { prefix });
      const limitsB = createLimits(process.env.REDIS_URL, { prefix });
      const a = await startGateway(source, () => jwks, { limits: limitsA });
      const b = await startGateway(source, () => jwks, { limits: limitsB });
      try {
        await run(a, b);
      } finally {
        await a.close();
        await b.close();
        await limitsA.close();
        await limitsB.close();
        const redis = new Redis(process.env.REDIS_URL!);
        const found = await redis.keys(`${prefix}*`);
        if (found.length > 0) await redis.del(...found);
        await redis.quit();
      }
    }

    it('two gateway nodes on one Redis share one limit exactly', async () => {
      await withTwoNodes(async (a, b) => {
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            call(i % 2 === 0 ? a.url : b.url, '/gw/energy/buildings', { 'x-api-key': keys.throttled }),
          ),
        );
        expect(responses.filter((r) => r.status === 200).length).toBe(10);
        expect(responses.filter((r) => r.status === 429).length).toBe(40);
      });
    });

    it('two gateway nodes on one Redis share one monthly quota exactly', async () => {
      await withTwoNodes(async (a, b) => {
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            call(i % 2 === 0 ? a.url : b.url, '/gw/energy/buildings', { 'x-api-key': keys.rationed }),
          ),
        );
        expect(responses.filter((r) => r.status === 200).length).toBe(3);
        const refused = responses.filter((r) => r.status === 429);
        expect(refused.length).toBe(17);
        expect(refused.every((r) => r.json().code === 'quota-exceeded')).toBe(true);
      });
    });
  });
});

describe('meter', () => {
  const record = (i: number, status = 200): MeteredCall => ({
    requestId: newId('request'),
    subscriptionId: 'sub_a',
    apiId: 'api_a',
    orgId: 'org_c',
    providerOrgId: 'org_p',
    method: 'GET',
    path: `/items/${i}`,
    status,
    bytesIn: 0,
    bytesOut: 100,
    latencyMs: i,
    atMs: Date.UTC(2026, 10, 1, 12, 0, i % 60),
    rateLimited: status === 429,
  });

  it('aggregates per subscription and minute and keeps every record through a failed flush', async () => {
    const memory = new MemoryUsageSink();
    let fail = true;
    const meter = new Meter(
      {
        write: async (batch) => {
          if (fail) throw new Error('database down');
          await memory.write(batch);
        },
      },
      { flushIntervalMs: 60_000 },
    );
    for (let i = 0; i < 5; i++) meter.record(record(i, i === 4 ? 429 : 200));
    await expect(meter.flush()).rejects.toThrow('database down');
    expect(meter.pending).toBe(5);
    meter.record(record(5, 503));
    fail = false;
    await meter.close();
    expect(memory.calls.length).toBe(6);
    // The failed batch is written as it was, then the newer call: two rows for the same minute.
    expect(memory.usage).toHaveLength(2);
    const total = (field: 'calls' | 'status2xx' | 'status4xx' | 'status5xx' | 'rateLimited') =>
      memory.usage.reduce((sum, row) => sum + row[field], 0);
    expect({
      calls: total('calls'),
      status2xx: total('status2xx'),
      status4xx: total('status4xx'),
      status5xx: total('status5xx'),
      rateLimited: total('rateLimited'),
    }).toEqual({ calls: 6, status2xx: 4, status4xx: 1, status5xx: 1, rateLimited: 1 });
    const buckets = memory.usage.flatMap((row) => row.latencyBuckets);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(6);
  });
});
