import { rm } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createCredential, publishDemoApi } from './api-hub.js';
import {
  createTenant,
  createTestPlatform,
  dropDatabase,
  operatorCookie,
  type TestPlatform,
} from './harness.js';
import {
  type ServerProcess,
  startServerProcess,
  startTcpProxy,
  type TcpProxy,
  waitFor,
} from './processes.js';
import { recordReliability } from './reliability-stats.js';

/**
 * PostgreSQL restarted under load, without restarting the PostgreSQL server the rest of the suite
 * shares. Two ways, both on a fresh database of this file's own:
 * - a TCP proxy between the platform and PostgreSQL is cut (every connection drops, new ones are
 *   closed as soon as they open) and later restored: what the platform sees while the server restarts;
 * - `pg_terminate_backend` on every backend of this database: what it sees when the server comes back.
 * Meanwhile the gateway keeps serving from its snapshot, the control plane answers 503 `unavailable`,
 * and afterwards it recovers without a restart of the platform: readiness, writes, change notices,
 * and every call made during the outage metered exactly once.
 */
describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL restarted under load', () => {
  let seeding: TestPlatform;
  let proxy: TcpProxy;
  let upstream: RunningUpstream;
  let server: ServerProcess;
  let databaseUrl: string;
  const tokens = { consumer: '', operator: '' };
  let slug: string;
  let apiKey: string;

  /** Gateway calls answered 200: each is metered (refusals before a subscription is known are not). */
  let metered = 0;
  const gatewayStatus = async (key: string) => {
    const response = await fetch(`${server.url}/gw/${slug}/buildings`, { headers: { 'x-api-key': key } });
    await response.arrayBuffer();
    if (response.status === 200) metered += 1;
    return response.status;
  };

  /** Gateway calls from a few loops at once, until stopped; every status is kept. */
  const load = { statuses: [] as number[], isRunning: false, loops: [] as Promise<void>[] };
  const startLoad = () => {
    load.isRunning = true;
    load.loops = Array.from({ length: 4 }, async () => {
      while (load.isRunning) load.statuses.push(await gatewayStatus(apiKey));
    });
  };
  const stopLoad = async () => {
    load.isRunning = false;
    await Promise.all(load.loops);
  };

  const api = async (method: string, url: string, token: string, body?: unknown) => {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  const usageTotal = async () => {
    const page = (await api('GET', '/v1/usage?granularity=day', tokens.consumer)).body as {
      items: { calls: number }[];
    };
    return page.items.reduce((sum, row) => sum + row.calls, 0);
  };

  beforeAll(async () => {
    upstream = await startBuildingEnergyUpstream();
    seeding = await createTestPlatform('postgres');
    databaseUrl = seeding.databaseUrl!;
    try {
      const provider = await createTenant(seeding, { kinds: ['provider'] });
      const consumer = await createTenant(seeding, { kinds: ['consumer'] });
      slug = 'pg-outage-energy';
      const { api: published } = await publishDemoApi(seeding, provider, { slug, upstreamUrl: upstream.url });
      const roomy = await seeding.app.inject({
        method: 'POST',
        url: `/v1/apis/${published.id}/plans`,
        headers: provider.headers,
        payload: { name: 'Load', rateLimitPerSecond: 100_000, burst: 100_000 },
      });
      await seeding.app.inject({
        method: 'POST',
        url: '/v1/subscriptions',
        headers: consumer.headers,
        payload: { planId: roomy.json().id },
      });
      apiKey = (await createCredential(seeding, consumer, 'api-key')).secret;
      const pat = async (cookie: string) =>
        (
          await seeding.app.inject({
            method: 'POST',
            url: '/v1/tokens',
            headers: { cookie },
            payload: { name: 'pg' },
          })
        ).json().secret as string;
      tokens.consumer = await pat(consumer.cookie);
      tokens.operator = await pat(await operatorCookie(seeding));
    } finally {
      await seeding.close();
    }
    const direct = new URL(databaseUrl);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    server = await startServerProcess({ dataDir: seeding.dataDir, databaseUrl: proxied.toString() });
    await waitFor(async () => (await gatewayStatus(apiKey)) === 200, 'the gateway snapshot');
  }, 180_000);

  afterAll(async () => {
    if (server?.child.exitCode !== null) console.error(`the platform exited:\n${server?.output()}`);
    await stopLoad();
    await server?.kill9();
    await proxy?.close();
    await upstream?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (seeding) await rm(seeding.dataDir, { recursive: true, force: true });
  });

  it('keeps the gateway serving through an outage and recovers the control plane without a restart', async () => {
    startLoad();
    await waitFor(() => load.statuses.length >= 20, 'load before the outage');

    proxy.cut();
    recordReliability({
      kind: 'fault',
      what: 'PostgreSQL unreachable under load (every connection cut, new ones refused)',
      on: 'postgres',
      count: 1,
      held: 'gateway served every call (200); control plane 503 with Retry-After, then ready again without a restart; every call metered once',
    });
    const servedBefore = load.statuses.length;
    // The control plane knows at once: readiness fails, and requests answer 503 with Retry-After.
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 503, 'readiness to fail');
    const refused = await waitFor(async () => {
      const response = await api('GET', '/v1/me', tokens.consumer);
      return response.status === 503 ? response : null;
    }, 'a control-plane request to be refused');
    expect(refused.body.code).toBe('unavailable');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    // The gateway does not: it serves from its snapshot, and meters into memory.
    await waitFor(() => load.statuses.length >= servedBefore + 40, 'gateway calls during the outage');
    const duringOutage = load.statuses.slice(servedBefore);
    expect(duringOutage.filter((status) => status !== 200)).toEqual([]);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(Number(notReady.headers.get('retry-after'))).toBeGreaterThan(0);

    proxy.restore();
    await waitFor(
      async () => (await fetch(`${server.url}/readyz`)).status === 200,
      'readiness after the outage',
    );
    // Writes work again, and the gateway hears of them (change notices, snapshot reloads).
    const created = await api('POST', '/v1/credentials', tokens.consumer, { name: 'after', kind: 'api-key' });
    expect(created.status).toBe(201);
    await waitFor(
      async () => (await gatewayStatus(created.body.secret)) === 200,
      'the new key at the gateway',
    );
    await stopLoad();
    expect(load.statuses.filter((status) => status !== 200)).toEqual([]);
    // Every call, those made during the outage included, is metered exactly once.
    await waitFor(async () => (await usageTotal()) === metered, 'every call metered', 30_000);
    expect(server.child.exitCode).toBeNull();
  }, 120_000);

  it('recovers when PostgreSQL terminates every connection of the database (pg_terminate_backend)', async () => {
    const name = new URL(databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const before = load.statuses.length;
      startLoad();
      await waitFor(() => load.statuses.length >= before + 10, 'load');
      const terminated = await admin.query(
        'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      expect(Number(terminated.rows[0].n)).toBeGreaterThan(0);
      recordReliability({
        kind: 'fault',
        what: 'PostgreSQL backends terminated under load (pg_terminate_backend)',
        on: 'postgres',
        count: 1,
        held: 'no crash; control plane back; a revocation still reached the gateway; ledger verifies',
      });
      // Each dropped connection fails at most the request that was using it; then the pool reconnects.
      await waitFor(
        async () => (await api('GET', '/v1/me', tokens.consumer)).status === 200,
        'the control plane',
      );
      // The change feed's LISTEN connection was among them: a revocation must still reach the gateway.
      const key = await api('POST', '/v1/credentials', tokens.consumer, { name: 'revoked', kind: 'api-key' });
      const call = () => gatewayStatus(key.body.secret);
      await waitFor(async () => (await call()) === 200, 'the key at the gateway');
      expect((await api('DELETE', `/v1/credentials/${key.body.credential.id}`, tokens.consumer)).status).toBe(
        200,
      );
      await waitFor(async () => (await call()) === 401, 'the revocation at the gateway');
      await stopLoad();
      expect(load.statuses.filter((status) => status !== 200)).toEqual([]);
      await waitFor(async () => (await usageTotal()) === metered, 'every call metered', 30_000);
      const verified = await api('GET', '/v1/audit/verify', tokens.operator);
      expect(verified.body).toMatchObject({ ok: true });
      expect(server.child.exitCode).toBeNull();
    } finally {
      await admin.end();
    }
  }, 120_000);
});
