import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, dbTargets, type TestPlatform } from '../../../test/harness.js';
import { newId } from '../../ids.js';
import type { Principal } from '../identity/principal.js';
import { inclusionProof, leafData, verifyInclusion } from './merkle.js';
import { type CallRecord, DatabaseUsageSink, Meter, type MeteredCall } from './metering.js';
import { callBatches } from './schema.js';
import { UsageService } from './usage.js';

const principal = (orgId: string, kinds: Principal['orgKinds']): Principal => ({
  type: 'session',
  userId: newId('user'),
  email: 'someone@example.test',
  orgId,
  orgKinds: kinds,
  orgStatus: 'active',
  role: 'member',
});

describe.each(dbTargets)('gateway metering on %s', (target) => {
  let platform: TestPlatform;
  const consumerOrg = newId('organisation');
  const otherConsumer = newId('organisation');
  const providerOrg = newId('organisation');
  const apiId = newId('api');
  const subscriptionId = newId('subscription');
  const otherSubscription = newId('subscription');
  const minute = Date.UTC(2026, 10, 3, 9, 15);

  const call = (i: number, overrides: Partial<MeteredCall> = {}): MeteredCall => ({
    requestId: newId('request'),
    subscriptionId,
    apiId,
    orgId: consumerOrg,
    providerOrgId: providerOrg,
    method: 'GET',
    path: `/buildings/${i}`,
    status: i % 10 === 0 ? 500 : 200,
    bytesIn: 0,
    bytesOut: 250,
    latencyMs: 3 + (i % 7),
    atMs: minute + i * 100,
    rateLimited: false,
    ...overrides,
  });

  beforeAll(async () => {
    platform = await createTestPlatform(target);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('commits usage rows, a call batch and its Merkle root in the ledger in one transaction', async () => {
    const sink = new DatabaseUsageSink({ db: platform.database.db, audit: platform.audit });
    const meter = new Meter(sink, { flushIntervalMs: 60_000 });
    for (let i = 0; i < 20; i++) meter.record(call(i));
    meter.record(
      call(99, { subscriptionId: otherSubscription, orgId: otherConsumer, status: 429, rateLimited: true }),
    );
    await meter.flush();
    // A second flush into the same minute adds to the row rather than replacing it.
    for (let i = 20; i < 25; i++) meter.record(call(i));
    await meter.close();

    const rows = (await platform.database.db.execute(
      sql`select * from usage_records where subscription_id = ${subscriptionId}`,
    )) as unknown as { rows: Record<string, unknown>[] };
    expect(rows.rows).toHaveLength(1);
    const row = rows.rows[0]!;
    expect(Number(row.calls)).toBe(25);
    expect(Number(row.status_5xx)).toBe(3);
    expect(Number(row.status_2xx)).toBe(22);
    expect(Number(row.bytes_out)).toBe(25 * 250);
    const buckets = (
      typeof row.latency_buckets === 'string' ? JSON.parse(row.latency_buckets) : row.latency_buckets
    ) as Record<string, number>;
    expect(Object.values(buckets).reduce((a, b) => a + Number(b), 0)).toBe(25);

    const batches = await platform.database.db.select().from(callBatches);
    expect(batches.map((b) => b.count).sort()).toEqual([21, 5]);
    const first = batches.find((b) => b.count === 21)!;
    const entries = await platform.audit.list({
      action: 'gateway.calls.commit',
      objectId: first.id,
      limit: 10,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.seq).toBe(first.ledgerSeq);
    expect(entries[0]!.data).toMatchObject({ merkleRoot: first.merkleRoot, count: 21 });
    expect((await platform.audit.verify()).ok).toBe(true);

    // Any one call can be proven to be in the committed batch; a changed call cannot.
    const stored = first.calls as CallRecord[];
    const leaves = stored.map(leafData);
    const proof = inclusionProof(leaves, 7);
    const root = entries[0]!.data.merkleRoot as string;
    expect(verifyInclusion(leafData(stored[7]), { ...proof, size: first.count }, root)).toBe(true);
    const tampered = { ...stored[7]!, status: 200 === stored[7]!.status ? 503 : 200 };
    expect(verifyInclusion(leafData(tampered), proof, root)).toBe(false);
  });

  it('counts a batch once when its write is retried after a commit whose answer was lost', async () => {
    const sink = new DatabaseUsageSink({ db: platform.database.db, audit: platform.audit });
    const retried = newId('subscription');
    const elsewhere = {
      subscriptionId: retried,
      orgId: newId('organisation'),
      providerOrgId: newId('organisation'),
    };
    const calls = [0, 1, 2].map((i) => call(i, elsewhere));
    let attempts = 0;
    const meter = new Meter(
      {
        // The first write commits, then its answer is lost: the meter keeps the batch and retries it.
        write: async (batch) => {
          await sink.write(batch);
          if (attempts++ === 0) throw new Error('Connection terminated unexpectedly');
        },
      },
      { flushIntervalMs: 60_000 },
    );
    for (const metered of calls) meter.record(metered);
    await expect(meter.flush()).rejects.toThrow('Connection terminated');
    expect(meter.pending).toBe(3);
    await meter.flush();
    expect(attempts).toBe(2);
    expect(meter.pending).toBe(0);

    const rows = (await platform.database.db.execute(
      sql`select calls from usage_records where subscription_id = ${retried}`,
    )) as unknown as { rows: { calls: number }[] };
    expect(rows.rows.map((row) => Number(row.calls))).toEqual([3]);
    const batches = (await platform.database.db.select().from(callBatches)).filter((batch) =>
      (batch.calls as CallRecord[]).some((stored) => stored.subscriptionId === retried),
    );
    expect(batches).toHaveLength(1);
    expect(
      await platform.audit.list({ action: 'gateway.calls.commit', objectId: batches[0]!.id, limit: 10 }),
    ).toHaveLength(1);
  });

  it('stores a flush larger than one call batch as several batches, their roots consecutive in the ledger', async () => {
    const sink = new DatabaseUsageSink({ db: platform.database.db, audit: platform.audit });
    const subscriptionId = newId('subscription');
    const base = { subscriptionId, apiId: newId('api'), orgId: newId('organisation') };
    const calls: CallRecord[] = Array.from({ length: 20_001 }, (_, i) => ({
      ...base,
      requestId: newId('request'),
      providerOrgId: base.orgId,
      method: 'GET',
      path: `/items/${i}`,
      status: 200,
      bytesIn: 0,
      bytesOut: 10,
      latencyMs: 1,
      at: new Date(minute + i).toISOString(),
      rateLimited: false,
    }));
    const id = newId('callBatch');
    const before = await platform.audit.head();
    await sink.write({ id, usage: [], calls });
    const stored = (await platform.database.db.select().from(callBatches)).filter((batch) =>
      (batch.calls as CallRecord[]).some((c) => c.subscriptionId === subscriptionId),
    );
    expect(stored.map((batch) => batch.count).sort((a, b) => b - a)).toEqual([10_000, 10_000, 1]);
    expect(stored.find((batch) => batch.count === 10_000 && batch.id === id)).toBeDefined();
    const entries = (await platform.audit.list({ action: 'gateway.calls.commit', limit: 3 })).reverse();
    expect(entries.map((entry) => entry.seq)).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
    for (const entry of entries) {
      const batch = stored.find((b) => b.id === entry.objectId)!;
      expect(batch.ledgerSeq).toBe(entry.seq);
      expect(entry.data).toMatchObject({ merkleRoot: batch.merkleRoot, count: batch.count });
    }
    expect((await platform.audit.verify()).ok).toBe(true);
  });

  it('shows a consumer its own usage, a provider usage of its APIs, and an operator all of it', async () => {
    const usage = new UsageService({ db: platform.database.db });
    const range = { from: new Date(minute - 3_600_000), to: new Date(minute + 3_600_000) };
    const asConsumer = await usage.list(principal(consumerOrg, ['consumer']), {
      ...range,
      granularity: 'hour',
    });
    expect(asConsumer.items).toHaveLength(1);
    expect(asConsumer.items[0]).toMatchObject({ subscriptionId, calls: 25, status5xx: 3 });
    expect(asConsumer.items[0]!.period.toISOString()).toBe(new Date(Date.UTC(2026, 10, 3, 9)).toISOString());
    expect(asConsumer.items[0]!.latencyP50Ms).toBeGreaterThan(2);
    expect(asConsumer.items[0]!.latencyP95Ms).toBeLessThanOrEqual(10);

    const asOther = await usage.list(principal(otherConsumer, ['consumer']), {
      ...range,
      granularity: 'day',
    });
    expect(asOther.items.map((r) => [r.subscriptionId, r.rateLimited])).toEqual([[otherSubscription, 1]]);

    const asProvider = await usage.list(principal(providerOrg, ['provider']), {
      ...range,
      granularity: 'minute',
    });
    expect(asProvider.items.map((r) => r.calls).reduce((a, b) => a + b, 0)).toBe(26);

    const stranger = await usage.list(principal(newId('organisation'), ['consumer']), {
      ...range,
      granularity: 'day',
    });
    expect(stranger.items).toHaveLength(0);

    const asOperator = await usage.list(platform.operator, { ...range, granularity: 'minute', limit: 1 });
    expect(asOperator.items).toHaveLength(1);
    expect(asOperator.nextCursor).not.toBeNull();
    const next = await usage.list(platform.operator, {
      ...range,
      granularity: 'minute',
      limit: 1,
      cursor: asOperator.nextCursor!,
    });
    expect(next.items).toHaveLength(1);
    expect(next.items[0]!.subscriptionId).not.toBe(asOperator.items[0]!.subscriptionId);
    expect(
      await platform.database.db.select().from(callBatches).where(eq(callBatches.count, 0)),
    ).toHaveLength(0);
  });
});
