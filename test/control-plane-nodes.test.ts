import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import { customersCsv, multipartBody } from './data-products.js';
import { createTenant, createTestPlatform, type Tenant, type TestPlatform } from './harness.js';
import { type ServerProcess, startServerProcess, waitFor } from './processes.js';

/**
 * Two `stp serve` nodes behind one load balancer share PostgreSQL (and Redis, when set) and one
 * DATA_DIR (docs/deployment.md). What one node writes, the other serves; what both sweep happens
 * once; a node killed mid-write leaves no file another could read half of. Needs a real PostgreSQL,
 * so it runs when DATABASE_URL is set, as in CI.
 */
describe.skipIf(!process.env.DATABASE_URL)('two stp serve nodes on one database and one DATA_DIR', () => {
  let platform: TestPlatform;
  let upstream: RunningUpstream;
  let provider: Tenant;
  let consumer: Tenant;
  const tokens = { provider: '', consumer: '' };
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;

  const start = () =>
    startServerProcess({
      dataDir: platform.dataDir,
      databaseUrl: platform.databaseUrl,
      env: process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {},
    });

  const patFor = async (tenant: Tenant) => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: tenant.headers,
      payload: { name: 'nodes test' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().secret as string;
  };

  const api = async (node: ServerProcess, method: string, url: string, token: string, body?: unknown) => {
    const response = await fetch(`${node.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  const upload = async (node: ServerProcess, datasetId: string, csv: string) => {
    const body = multipartBody({ name: 'customers.csv', content: csv });
    const response = await fetch(`${node.url}/v1/datasets/${datasetId}/versions`, {
      method: 'POST',
      headers: { ...body.headers, authorization: `Bearer ${tokens.provider}` },
      body: body.payload,
    });
    return { status: response.status, body: await response.json() };
  };

  const newDataset = async (node: ServerProcess, slug: string) => {
    const created = await api(node, 'POST', '/v1/datasets', tokens.provider, {
      title: `Customers ${slug}`,
      slug,
      licence: 'proprietary',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };

  /** Every file under a directory whose name a reader would take as a finished file (not hidden, not `.partial`). */
  const visibleFiles = async (dir: string): Promise<string[]> => {
    if (!existsSync(dir)) return [];
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.partial'))
      .map((entry) => path.join(entry.parentPath, entry.name));
  };

  /** The scheduled job's turns on a node, from its /metrics. */
  const jobTurns = async (node: ServerProcess, job: string) => {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    const turns = { ran: 0, skipped: 0, failed: 0 };
    for (const outcome of ['ran', 'skipped', 'failed'] as const) {
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`stp_scheduled_job_runs_total{job="${job}",outcome="${outcome}"}`));
      turns[outcome] = Number(line?.split(' ').pop() ?? 0);
    }
    return turns;
  };

  beforeAll(async () => {
    platform = await createTestPlatform('postgres');
    upstream = await startBuildingEnergyUpstream();
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    tokens.provider = await patFor(provider);
    tokens.consumer = await patFor(consumer);
    [nodeA, nodeB] = await Promise.all([start(), start()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await upstream?.close();
    await platform?.dispose();
  });

  it('serves on node B a dataset uploaded through node A', async () => {
    const datasetId = await newDataset(nodeA, `nodes_upload_${process.pid}`);
    const uploaded = await upload(nodeA, datasetId, customersCsv(300));
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const versions = await api(nodeB, 'GET', `/v1/datasets/${datasetId}/versions`, tokens.provider);
    expect(versions.body.items).toHaveLength(1);
    const query = await api(nodeB, 'POST', '/v1/query', tokens.provider, {
      sql: `SELECT count(*) AS n, count(DISTINCT customer_id) AS ids FROM nodes_upload_${process.pid}`,
    });
    expect(query.status, JSON.stringify(query.body)).toBe(200);
    expect(query.body.rows).toEqual([['300', '300']]);
  });

  it('lets a grant approved on node B be used on node A, and a revocation on A hold on B within a second', async () => {
    const slug = `nodes_grant_${process.pid}`;
    const datasetId = await newDataset(nodeA, slug);
    expect((await upload(nodeA, datasetId, customersCsv(50))).status).toBe(201);
    const confirmed = await api(nodeA, 'PUT', `/v1/datasets/${datasetId}/classifications`, tokens.provider, {
      columns: {},
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await api(nodeB, 'POST', `/v1/datasets/${datasetId}/publish`, tokens.provider)).status).toBe(200);
    const sql = `SELECT count(*) FROM ${slug}`;
    expect((await api(nodeA, 'POST', '/v1/query', tokens.consumer, { sql })).status).not.toBe(200);
    const asked = await api(nodeA, 'POST', '/v1/access-requests', tokens.consumer, {
      datasetId,
      purpose: 'research',
      purposeText: 'two nodes, one grant',
      columns: ['district', 'age'],
      durationDays: 30,
      wantsDownload: false,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const approved = await api(
      nodeB,
      'POST',
      `/v1/access-requests/${asked.body.id}/approve`,
      tokens.provider,
      {},
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    // The consumer's very next query, on the other node, sees the grant.
    const onA = await api(nodeA, 'POST', '/v1/query', tokens.consumer, { sql });
    expect(onA.status, JSON.stringify(onA.body)).toBe(200);
    expect(onA.body.rows).toEqual([['50']]);

    // The gateway: a key works on B; its subscription revoked on A, B refuses it within a second.
    const hub = await publishDemoApi(platform, provider, {
      slug: `nodes-gw-${process.pid}`,
      upstreamUrl: upstream.url,
    });
    const subscriptionId = (await subscribe(platform, consumer, hub.open.id)).json().id as string;
    const key = (await createCredential(platform, consumer, 'api-key')).secret;
    const call = async () => {
      const response = await fetch(`${nodeB.url}/gw/${hub.api.slug}/buildings`, {
        headers: { 'x-api-key': key },
      });
      await response.arrayBuffer();
      return response.status;
    };
    await waitFor(async () => (await call()) === 200, 'node B to let the new key through');
    const revoked = await api(nodeA, 'POST', `/v1/subscriptions/${subscriptionId}/revoke`, tokens.provider, {
      reason: 'ended by the provider',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const revokedAt = Date.now();
    await waitFor(async () => (await call()) === 403, 'node B to refuse the revoked subscription', 5_000, 20);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('expires a subscription once, with one ledger entry and one notice, while both nodes sweep', async () => {
    const hub = await publishDemoApi(platform, provider, {
      slug: `nodes-${process.pid}`,
      upstreamUrl: upstream.url,
    });
    const subscriptionId = (await subscribe(platform, consumer, hub.partner.id)).json().id as string;
    const endsAt = new Date(Date.now() + 3_000);
    const approved = await api(
      nodeA,
      'POST',
      `/v1/subscriptions/${subscriptionId}/approve`,
      tokens.provider,
      {
        endsAt: endsAt.toISOString(),
      },
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const before = {
      a: await jobTurns(nodeA, 'subscription-expiry'),
      b: await jobTurns(nodeB, 'subscription-expiry'),
    };
    await waitFor(
      async () =>
        (await api(nodeB, 'GET', `/v1/subscriptions/${subscriptionId}`, tokens.consumer)).body?.state ===
        'expired',
      'the subscription to expire',
      30_000,
    );
    // Both nodes keep taking their turns for a few more seconds: nothing more may come of them.
    await waitFor(
      async () => {
        const a = await jobTurns(nodeA, 'subscription-expiry');
        const b = await jobTurns(nodeB, 'subscription-expiry');
        return a.ran + a.skipped >= before.a.ran + before.a.skipped + 3 &&
          b.ran + b.skipped >= before.b.ran + before.b.skipped + 3
          ? { a, b }
          : null;
      },
      'three more turns of the expiry job on each node',
      30_000,
    );
    expect((await jobTurns(nodeA, 'subscription-expiry')).failed).toBe(0);
    expect((await jobTurns(nodeB, 'subscription-expiry')).failed).toBe(0);
    const entries = await platform.audit.list({
      action: 'subscription.expire',
      objectId: subscriptionId,
      limit: 10,
    });
    expect(entries).toHaveLength(1);
    const inbox = await api(nodeA, 'GET', '/v1/notifications?limit=100', tokens.consumer);
    expect(
      (inbox.body.items as { kind: string; objectId: string }[]).filter(
        (note) => note.kind === 'subscription.expired' && note.objectId === subscriptionId,
      ),
    ).toHaveLength(1);
  });

  it('leaves no partial file visible when node A is killed mid-upload, and node B serves on', async () => {
    const datasetId = await newDataset(nodeA, `nodes_killed_${process.pid}`);
    const datasetDir = path.join(platform.dataDir, 'datasets', datasetId);
    const csv = customersCsv(60_000);
    const body = multipartBody({ name: 'customers.csv', content: csv });
    // 1. Killed while the body streams in.
    const cut = httpRequest(`${nodeA.url}/v1/datasets/${datasetId}/versions`, {
      method: 'POST',
      headers: {
        ...body.headers,
        authorization: `Bearer ${tokens.provider}`,
        'content-length': String(body.payload.length),
      },
    });
    cut.on('error', () => {});
    cut.write(body.payload.subarray(0, body.payload.length / 2));
    const incoming = path.join(platform.dataDir, 'incoming');
    await waitFor(
      async () => existsSync(incoming) && (await readdir(incoming)).length > 0,
      'the upload to reach the disk',
    );
    await nodeA.kill9();
    cut.destroy();
    expect(await visibleFiles(datasetDir)).toEqual([]);
    expect(
      (await api(nodeB, 'GET', `/v1/datasets/${datasetId}/versions`, tokens.provider)).body.items,
    ).toEqual([]);

    // 2. Killed after the conversion is in place and before its version commits. All the while,
    // every file a reader could take for finished is read whole: it has every row, or is not there.
    nodeA = await startServerProcess({
      dataDir: platform.dataDir,
      databaseUrl: platform.databaseUrl,
      failpoints: ['ledger.append:dataset.version.create'],
    });
    const instance = await DuckDBInstance.create(':memory:');
    const reader = await instance.connect();
    const seen: (number | string)[] = [];
    let isWatching = true;
    const watching = (async () => {
      while (isWatching) {
        for (const file of await visibleFiles(datasetDir)) {
          try {
            const rows = await reader.runAndReadAll(
              `SELECT count(*) FROM read_parquet('${file.replaceAll("'", "''")}')`,
            );
            seen.push(Number(rows.getRowsJson()[0]![0]));
          } catch (error) {
            // Renamed away between the listing and the read is fine; anything else is a torn file.
            if (existsSync(file)) seen.push(String(error));
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const converting = fetch(`${nodeA.url}/v1/datasets/${datasetId}/versions`, {
      method: 'POST',
      headers: { ...body.headers, authorization: `Bearer ${tokens.provider}` },
      body: body.payload,
    }).catch(() => 'no answer');
    await nodeA.reachedFailpoint('ledger.append:dataset.version.create');
    isWatching = false;
    await watching;
    await nodeA.kill9();
    expect(await converting).toBe('no answer');
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([60_000]));
    reader.closeSync();
    instance.closeSync();

    // Node B serves on: no version of that upload, and the same dataset takes a new one through B.
    expect(
      (await api(nodeB, 'GET', `/v1/datasets/${datasetId}/versions`, tokens.provider)).body.items,
    ).toEqual([]);
    const again = await upload(nodeB, datasetId, customersCsv(2_000));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const query = await api(nodeB, 'POST', '/v1/query', tokens.provider, {
      sql: `SELECT count(*) FROM nodes_killed_${process.pid}`,
    });
    expect(query.body.rows).toEqual([['2000']]);
  }, 180_000);
});
