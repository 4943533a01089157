import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { type ClientRequest, request as httpRequest } from 'node:http';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import { customersCsv, multipartBody, publishDataset } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  dropDatabase,
  operatorCookie,
  type TestPlatform,
} from './harness.js';
import { type ServerProcess, startServerProcess, waitFor } from './processes.js';
import { recordReliability } from './reliability-stats.js';

/**
 * `kill -9` of the real server (`stp serve` in a child process) in the middle of each kind of change
 * that must survive a crash: a dataset upload, an approval, a ledger batch (gateway metering) and a key
 * rotation, on PGlite on disk and, when DATABASE_URL is set, on a fresh PostgreSQL database. The
 * moment is chosen by a failpoint (src/infra/failpoints.ts): the server stops there, inside the change's
 * transaction or between its two halves, says so on stderr, and the test kills it. After each restart
 * on the same data directory and database: what was accepted is there, nothing half-done is visible,
 * the platform takes the same change again, and at the end the ledger verifies and the database holds
 * no half-made object.
 *
 * One server history per database, in four kills: each test kills the server its predecessor
 * started, and starts the next one with the failpoints the next test needs.
 */

const phases = {
  upload: ['ledger.append:dataset.version.create'],
  ledgerBatch: ['ledger.append:gateway.calls.commit'],
  approvalAndSigningKey: ['oauth.signing-key.recorded', 'ledger.append:access-request.approve'],
  credentialRotation: ['idempotency.committed', 'ledger.append:credential.rotate'],
  final: [],
} satisfies Record<string, string[]>;

interface World {
  tokens: { provider: string; consumer: string; operator: string };
  slug: string;
  apiKey: { id: string; secret: string; prefix: string };
  oauthClient: { id: string; secret: string };
  publishedDatasetId: string;
  draftIds: [string, string];
  accessRequestId: string;
}

async function patFor(platform: TestPlatform, cookie: string): Promise<string> {
  const response = await platform.app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: { cookie },
    payload: { name: 'crash test' },
  });
  if (response.statusCode !== 201) throw new Error(`token: ${response.statusCode} ${response.body}`);
  return response.json().secret as string;
}

describe.each(dbTargets)('kill -9 in the middle of a change (%s)', (target) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let upstream: RunningUpstream;
  let world: World;
  let server: ServerProcess | undefined;
  const approvalKey = `approve-${target}-once`;
  let approvalAnswered: Promise<number | 'no answer'> | undefined;

  /** `kill -9` of the server, counted for docs/reliability.md. */
  const killDuring = async (what: string, held: string) => {
    await server!.kill9();
    recordReliability({ kind: 'fault', what: `kill -9 during ${what}`, on: target, count: 1, held });
  };

  const restart = async (failpoints: string[]) => {
    server = await startServerProcess({ dataDir, databaseUrl, failpoints });
    return server;
  };

  const api = async (
    method: string,
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${server!.url}${url}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  /** A gateway call; the gateway answers 503 until its first snapshot has loaded after a start. */
  const gatewayCall = async (apiKey: string) =>
    waitFor(async () => {
      const response = await fetch(`${server!.url}/gw/${world.slug}/buildings`, {
        headers: { 'x-api-key': apiKey },
      });
      await response.arrayBuffer();
      return response.status === 503 ? null : response;
    }, 'the gateway snapshot');

  /** A request that will never be answered (the server is stopped at a failpoint and then killed). */
  const abandoned = (
    method: string,
    url: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${server!.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    }).then(
      (response) => response.status,
      () => 'no answer' as const,
    );

  const ledger = async (query: Record<string, string>) =>
    (
      await api('GET', `/v1/audit?${new URLSearchParams({ limit: '100', ...query })}`, {
        token: world.tokens.operator,
      })
    ).body.items as { objectId: string; data: Record<string, unknown> }[];

  const filesUnder = async (dir: string): Promise<string[]> => {
    if (!existsSync(dir)) return [];
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
    }
    return out.sort();
  };

  beforeAll(async () => {
    upstream = await startBuildingEnergyUpstream();
    // The world is made in process on the same storage, then the server process takes it over.
    const seeding = await createTestPlatform(target, { onDisk: true });
    dataDir = seeding.dataDir;
    databaseUrl = seeding.databaseUrl;
    try {
      const provider = await createTenant(seeding, { kinds: ['provider'] });
      const consumer = await createTenant(seeding, { kinds: ['consumer'] });
      const slug = `crash-energy-${target}`;
      const { open } = await publishDemoApi(seeding, provider, { slug, upstreamUrl: upstream.url });
      const subscribed = await subscribe(seeding, consumer, open.id);
      if (subscribed.statusCode !== 201) throw new Error(`subscribe: ${subscribed.body}`);
      const key = await createCredential(seeding, consumer, 'api-key', 'crash key');
      const client = await createCredential(seeding, consumer, 'oauth-client', 'crash client');
      const published = await publishDataset(seeding, provider, {
        title: 'Crash customers',
        slug: `crash_customers_${target}`,
        content: customersCsv(40),
      });
      const draft = async (title: string) => {
        const response = await seeding.app.inject({
          method: 'POST',
          url: '/v1/datasets',
          headers: provider.headers,
          payload: { title, licence: 'proprietary' },
        });
        return response.json().id as string;
      };
      const requested = await seeding.app.inject({
        method: 'POST',
        url: '/v1/access-requests',
        headers: consumer.headers,
        payload: {
          datasetId: published.id,
          purpose: 'research',
          purposeText: 'surviving a crash',
          columns: ['district', 'age'],
          durationDays: 30,
          wantsDownload: false,
        },
      });
      if (requested.statusCode !== 201) throw new Error(`access request: ${requested.body}`);
      world = {
        tokens: {
          provider: await patFor(seeding, provider.cookie),
          consumer: await patFor(seeding, consumer.cookie),
          operator: await patFor(seeding, await operatorCookie(seeding)),
        },
        slug,
        apiKey: { id: key.credential.id, secret: key.secret, prefix: key.credential.prefix },
        oauthClient: { id: client.credential.id, secret: client.secret },
        publishedDatasetId: published.id,
        draftIds: [await draft('Cut off mid-body'), await draft('Converted, never committed')],
        accessRequestId: requested.json().id,
      };
    } finally {
      await seeding.close();
    }
    await restart(phases.upload);
  }, 180_000);

  afterAll(async () => {
    await server?.kill9();
    await upstream?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('an upload cut off mid-body, and one killed before its version committed, leave nothing behind', async () => {
    // Accepted before the crash: three gateway calls, committed to the ledger by the meter.
    const accepted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await gatewayCall(world.apiKey.secret);
      expect(response.status).toBe(200);
      accepted.push(response.headers.get('x-request-id')!);
    }
    await waitFor(
      async () =>
        (await api('GET', `/v1/usage/calls/${accepted[2]}/proof`, { token: world.tokens.consumer }))
          .status === 200,
      'the calls to be committed',
    );

    const [cutOff, uncommitted] = world.draftIds;
    const csv = Buffer.from(customersCsv(5000));
    // 1. Half of a 350 kB upload is sent, then nothing more: the server is streaming it to disk.
    const body = multipartBody({ name: 'customers.csv', content: csv });
    const upload: ClientRequest = httpRequest(`${server!.url}/v1/datasets/${cutOff}/versions`, {
      method: 'POST',
      headers: {
        ...body.headers,
        authorization: `Bearer ${world.tokens.provider}`,
        'content-length': String(body.payload.length),
      },
    });
    upload.on('error', () => {});
    upload.write(body.payload.subarray(0, body.payload.length / 2));
    const incoming = path.join(dataDir, 'incoming');
    await waitFor(async () => {
      for (const file of await filesUnder(incoming)) {
        if ((await stat(path.join(incoming, file))).size > 0) return true;
      }
      return false;
    }, 'the upload to reach the disk');
    // 2. A whole upload, converted and renamed into place, stopped before its version row commits.
    const whole = multipartBody({ name: 'small.csv', content: customersCsv(20) });
    const converting = fetch(`${server!.url}/v1/datasets/${uncommitted}/versions`, {
      method: 'POST',
      headers: { ...whole.headers, authorization: `Bearer ${world.tokens.provider}` },
      body: whole.payload,
    }).catch(() => 'no answer');
    await server!.reachedFailpoint('ledger.append:dataset.version.create');
    expect(await filesUnder(path.join(dataDir, 'datasets', uncommitted))).toHaveLength(1);

    await killDuring(
      'a dataset upload (mid-body) and a version before its commit',
      'no version, no incoming or partial file, the converted file moved aside; committed calls kept; the upload succeeds again',
    );
    upload.destroy();
    expect(await converting).toBe('no answer');
    if (target === 'postgres') {
      // On PostgreSQL a start leaves files younger than ten minutes alone (another node sharing
      // DATA_DIR may be mid-upload): date them back, as if this restart came later.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      for (const file of await filesUnder(incoming))
        await utimes(path.join(incoming, file), anHourAgo, anHourAgo);
      const converted = path.join(dataDir, 'datasets', uncommitted);
      for (const file of await filesUnder(converted))
        await utimes(path.join(converted, file), anHourAgo, anHourAgo);
    }
    await restart(phases.ledgerBatch);

    // Nothing half-done: no version of either dataset, no upload in flight, no partial conversion.
    for (const id of world.draftIds) {
      expect(
        (await api('GET', `/v1/datasets/${id}/versions`, { token: world.tokens.provider })).body,
      ).toMatchObject({ items: [] });
      expect(await filesUnder(path.join(dataDir, 'datasets', id))).toEqual([]);
    }
    expect(await filesUnder(incoming)).toEqual([]);
    expect((await filesUnder(path.join(dataDir, 'datasets'))).filter((f) => f.endsWith('.partial'))).toEqual(
      [],
    );
    // The converted file no version points at was moved aside, not left where the engine reads.
    expect(await filesUnder(path.join(dataDir, 'orphans', uncommitted))).toHaveLength(1);
    // Accepted before: still there, with their proofs.
    for (const requestId of accepted) {
      expect(
        (await api('GET', `/v1/usage/calls/${requestId}/proof`, { token: world.tokens.consumer })).status,
      ).toBe(200);
    }
    // And the same upload goes through now.
    const retried = multipartBody({ name: 'customers.csv', content: csv });
    const again = await fetch(`${server!.url}/v1/datasets/${cutOff}/versions`, {
      method: 'POST',
      headers: { ...retried.headers, authorization: `Bearer ${world.tokens.provider}` },
      body: retried.payload,
    });
    expect(again.status, await again.clone().text()).toBe(201);
    expect(((await again.json()) as { currentVersion: { rowCount: number } }).currentVersion.rowCount).toBe(
      5000,
    );
  }, 180_000);

  it('a ledger batch killed before its commit, and a burst of calls around the kill, are committed once from the spool', async () => {
    const usageBefore = sumCalls(
      (await api('GET', '/v1/usage?granularity=day', { token: world.tokens.consumer })).body,
    );
    const batchesBefore = (await ledger({ action: 'gateway.calls.commit' })).length;
    const answered: { id: string; at: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await gatewayCall(world.apiKey.secret);
      expect(response.status).toBe(200);
      answered.push({ id: response.headers.get('x-request-id')!, at: Date.now() });
    }
    // The meter flushes within two seconds and stops inside the transaction, its entry written.
    await server!.reachedFailpoint('ledger.append:gateway.calls.commit');
    // The gateway keeps answering from its snapshot, and the meter keeps spooling: a burst of calls
    // from eight clients, still running when the process is killed.
    let isBursting = true;
    const burst = Array.from({ length: 8 }, async () => {
      while (isBursting) {
        try {
          const response = await fetch(`${server!.url}/gw/${world.slug}/buildings`, {
            headers: { 'x-api-key': world.apiKey.secret },
          });
          await response.arrayBuffer();
          // Served or refused by the plan's rate limit (5/s): either way metered, with its request id.
          const id = response.headers.get('x-request-id');
          if (id && (response.status === 200 || response.status === 429))
            answered.push({ id, at: Date.now() });
        } catch {
          return;
        }
      }
    });
    await waitFor(() => answered.length >= 300, 'a burst of gateway calls');
    const killedAt = Date.now();
    await server!.kill9();
    isBursting = false;
    await Promise.all(burst);

    // Counted against the spool as the killed process left it, before the start replays it.
    const spooled = await spooledRequestIds(path.join(dataDir, 'spool'));
    const lost = answered.filter((call) => !spooled.has(call.id));
    // The spool is fsynced every 200 ms: a call answered well before the kill is in it.
    expect(lost.filter((call) => call.at < killedAt - 1000)).toEqual([]);
    recordReliability({
      kind: 'fault',
      what: 'kill -9 during a ledger batch (gateway metering) before its commit, under a burst of calls',
      on: target,
      count: 1,
      held: 'every call in the metering spool committed once at the next start; the calls not in it all answered in the last second before the kill',
      details: { answered: answered.length, spooled: spooled.size, lost: lost.length },
    });
    await restart(phases.approvalAndSigningKey);

    // Every spooled call is committed, exactly once, as one replayed batch with its ledger entry.
    const usageAfter = sumCalls(
      (await api('GET', '/v1/usage?granularity=day', { token: world.tokens.consumer })).body,
    );
    expect(usageAfter - usageBefore).toBe(spooled.size);
    expect((await ledger({ action: 'gateway.calls.commit' })).length).toBe(batchesBefore + 1);
    const sample = [...answered.slice(0, 4), ...answered.filter((call) => spooled.has(call.id)).slice(-3)];
    for (const call of sample) {
      expect(
        (await api('GET', `/v1/usage/calls/${call.id}/proof`, { token: world.tokens.consumer })).status,
      ).toBe(200);
    }
    expect(await readdir(path.join(dataDir, 'spool'))).toHaveLength(1);
  }, 180_000);

  it('an approval and a signing-key rotation killed half-way are each all or nothing', async () => {
    const jwksBefore = (await api('GET', '/.well-known/jwks.json')).body.keys as { kid: string }[];
    // The signing key is written aside and its ledger entry committed; it is not in place yet.
    const rotating = abandoned('POST', '/v1/oauth/signing-keys/rotate', world.tokens.operator);
    await server!.reachedFailpoint('oauth.signing-key.recorded');
    // The agreement row is written and the request marked approved, inside an open transaction.
    const approving = abandoned(
      'POST',
      `/v1/access-requests/${world.accessRequestId}/approve`,
      world.tokens.provider,
      {},
    );
    await server!.reachedFailpoint('ledger.append:access-request.approve');
    await killDuring(
      'an approval and an OAuth signing-key rotation',
      'request still pending, no agreement, no entry; the recorded key put in place and signing; approval succeeds again',
    );
    expect([await rotating, await approving]).toEqual(['no answer', 'no answer']);
    await restart(phases.credentialRotation);

    // The approval did not happen: the request is pending, no agreement exists, the ledger says nothing.
    const request = await api('GET', `/v1/access-requests/${world.accessRequestId}`, {
      token: world.tokens.provider,
    });
    expect(request.body).toMatchObject({ state: 'pending', agreementId: null });
    expect((await api('GET', '/v1/agreements', { token: world.tokens.consumer })).body.items).toEqual([]);
    expect(await ledger({ action: 'access-request.approve', objectId: world.accessRequestId })).toEqual([]);
    // The rotation did: its entry committed, so the start put the key in place, and it signs tokens.
    const [rotation] = await ledger({ action: 'oauth.signing-key.rotate' });
    const newKid = rotation!.objectId;
    expect(jwksBefore.map((key) => key.kid)).not.toContain(newKid);
    const jwksAfter = (await api('GET', '/.well-known/jwks.json')).body.keys as { kid: string }[];
    expect(jwksAfter.map((key) => key.kid)).toContain(newKid);
    expect((await filesUnder(path.join(dataDir, 'keys', 'oauth'))).filter((f) => f.endsWith('.tmp'))).toEqual(
      [],
    );
    const token = await fetch(`${server!.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${world.oauthClient.id}:${world.oauthClient.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const jwt = ((await token.json()) as { access_token: string }).access_token;
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);

    // The same approval goes through now, with an Idempotency-Key; the process stops after its
    // commit and before its answer (and is killed in the next test): the client hears nothing.
    approvalAnswered = abandoned(
      'POST',
      `/v1/access-requests/${world.accessRequestId}/approve`,
      world.tokens.provider,
      {},
      {
        'idempotency-key': approvalKey,
      },
    );
    await server!.reachedFailpoint('idempotency.committed');
  }, 180_000);

  it('a credential rotation killed before its commit leaves the old secret working and nothing recorded; a keyed approval killed before its answer is answered on retry', async () => {
    expect((await gatewayCall(world.apiKey.secret)).status).toBe(200);
    const rotating = abandoned('POST', `/v1/credentials/${world.apiKey.id}/rotate`, world.tokens.consumer, {
      graceSeconds: 0,
    });
    await server!.reachedFailpoint('ledger.append:credential.rotate');
    await killDuring(
      'an API key rotation',
      'old secret still works, nothing recorded; rotation succeeds again and the gateway follows; the keyed approval killed after its commit answered 200 on retry, another body 422',
    );
    expect(await rotating).toBe('no answer');
    expect(await approvalAnswered).toBe('no answer');
    await restart(phases.final);

    // The approval's retry gets the answer the killed process never sent: 200, not "not pending".
    const retried = await api('POST', `/v1/access-requests/${world.accessRequestId}/approve`, {
      token: world.tokens.provider,
      body: {},
      headers: { 'idempotency-key': approvalKey },
    });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.agreement.state).toBe('active');
    expect(retried.body.request).toMatchObject({ id: world.accessRequestId, state: 'approved' });
    expect((await ledger({ action: 'access-request.approve', objectId: world.accessRequestId })).length).toBe(
      1,
    );
    // The same key with other terms is refused, not taken for the first approval.
    const otherTerms = await api('POST', `/v1/access-requests/${world.accessRequestId}/approve`, {
      token: world.tokens.provider,
      body: { maxQueries: 10 },
      headers: { 'idempotency-key': approvalKey },
    });
    expect(otherTerms.status).toBe(422);
    expect(otherTerms.body.code).toBe('idempotency-key-reused');
    // Without the key the same retry cannot tell success from a conflict.
    expect(
      (
        await api('POST', `/v1/access-requests/${world.accessRequestId}/approve`, {
          token: world.tokens.provider,
          body: {},
        })
      ).status,
    ).toBe(409);

    expect((await gatewayCall(world.apiKey.secret)).status).toBe(200);
    const listed = (await api('GET', '/v1/credentials', { token: world.tokens.consumer })).body.items as {
      id: string;
      prefix: string;
    }[];
    expect(listed.find((c) => c.id === world.apiKey.id)?.prefix).toBe(world.apiKey.prefix);
    expect(await ledger({ action: 'credential.rotate', objectId: world.apiKey.id })).toEqual([]);

    // Rotating again works, and the gateway follows: the new secret passes, the old one no longer.
    const rotated = await api('POST', `/v1/credentials/${world.apiKey.id}/rotate`, {
      token: world.tokens.consumer,
      body: { graceSeconds: 0 },
    });
    expect(rotated.status).toBe(200);
    await waitFor(async () => (await gatewayCall(rotated.body.secret)).status === 200, 'the new secret');
    await waitFor(
      async () => (await gatewayCall(world.apiKey.secret)).status === 401,
      'the old secret to stop',
    );
  }, 180_000);

  it('ends with a ledger that verifies and a database without a half-made object', async () => {
    const verified = await api('GET', '/v1/audit/verify', { token: world.tokens.operator });
    expect(verified.body).toMatchObject({ ok: true });
    await server!.stop();
    server = undefined;

    const database = await openDatabase({ databaseUrl, dataDir });
    try {
      const count = async (query: ReturnType<typeof sql>) =>
        Number(((await database.db.execute(query)) as unknown as { rows: { n: unknown }[] }).rows[0]!.n);
      // No approved request without its agreement, no agreement without its approved request.
      expect(
        await count(sql`select count(*) as n from access_requests r where r.state = 'approved'
          and not exists (select 1 from agreements a where a.id = r.agreement_id)`),
      ).toBe(0);
      expect(
        await count(sql`select count(*) as n from agreements a where not exists
          (select 1 from access_requests r where r.id = a.request_id and r.agreement_id = a.id)`),
      ).toBe(0);
      // Every call batch has its ledger entry with its root, every entry its batch, and usage adds up.
      expect(
        await count(sql`select count(*) as n from call_batches b where not exists
          (select 1 from audit_events e where e.seq = b.ledger_seq
             and e.canonical::jsonb ->> 'action' = 'gateway.calls.commit'
             and e.canonical::jsonb -> 'data' ->> 'merkleRoot' = b.merkle_root)`),
      ).toBe(0);
      expect(
        await count(sql`select count(*) as n from audit_events e
          where e.canonical::jsonb ->> 'action' = 'gateway.calls.commit'
            and not exists (select 1 from call_batches b where b.id = e.canonical::jsonb ->> 'objectId')`),
      ).toBe(0);
      // No call committed twice (the spool's replay included).
      expect(
        await count(sql`select count(*) - count(distinct call ->> 'requestId') as n
          from call_batches, jsonb_array_elements(calls) as call`),
      ).toBe(0);
      expect(await count(sql`select coalesce(sum(calls), 0) as n from usage_records`)).toBe(
        await count(sql`select coalesce(sum(count), 0) as n from call_batches`),
      );
      // Every version row has its file, and every file in the engine's directory has its row.
      const versions = (
        (await database.db.execute(sql`select file from dataset_versions`)) as unknown as {
          rows: { file: string }[];
        }
      ).rows.map((row) => row.file);
      expect(await filesUnder(path.join(dataDir, 'datasets'))).toEqual([...versions].sort());
      // Every signing key in place has its ledger entry.
      const keyFiles = await filesUnder(path.join(dataDir, 'keys', 'oauth'));
      const rotated = (
        (await database.db.execute(
          sql`select canonical::jsonb ->> 'objectId' as kid from audit_events
              where canonical::jsonb ->> 'action' = 'oauth.signing-key.rotate'`,
        )) as unknown as { rows: { kid: string }[] }
      ).rows.map((row) => row.kid);
      expect(keyFiles.map((file) => file.replace(/^\d+-/, '').replace(/\.jwk\.json$/, '')).sort()).toEqual(
        [...rotated].sort(),
      );
    } finally {
      await database.close();
    }
  }, 120_000);
});

function sumCalls(page: { items: { calls: number }[] }): number {
  return page.items.reduce((sum, row) => sum + row.calls, 0);
}

/** Request ids of the calls in the metering spool files under `dir` (one JSON batch a line). */
async function spooledRequestIds(dir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const name of await readdir(dir)) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      try {
        for (const call of (JSON.parse(line) as { calls: { requestId: string }[] }).calls)
          ids.add(call.requestId);
      } catch {
        // the last line, cut off by the kill mid-write
      }
    }
  }
  return ids;
}
