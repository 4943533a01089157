import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import type { AuditLedger } from '../audit/service.js';
import { leafData, merkleRoot } from './merkle.js';
import { callBatches } from './schema.js';

/** One metered gateway call, exactly as it is stored in a call batch and hashed into its Merkle tree. */
export interface CallRecord {
  requestId: string;
  subscriptionId: string;
  apiId: string;
  orgId: string;
  providerOrgId: string;
  method: string;
  /** The path below `/gw/{slug}`, without the query string (which may carry personal data). */
  path: string;
  status: number;
  bytesIn: number;
  bytesOut: number;
  latencyMs: number;
  /** ISO 8601 UTC with milliseconds: when the call arrived. */
  at: string;
  rateLimited: boolean;
}

/**
 * A call as the gateway hands it to the meter: the arrival time stays epoch ms on the hot path
 * and becomes the record's ISO string only when the meter flushes (formatting and re-parsing a
 * date per call cost about a microsecond each).
 */
export interface MeteredCall extends Omit<CallRecord, 'at'> {
  /** Epoch ms (UTC): when the call arrived. */
  atMs: number;
}

/** The stored form of a metered call. */
export function callRecordOf(call: MeteredCall): CallRecord {
  return {
    requestId: call.requestId,
    subscriptionId: call.subscriptionId,
    apiId: call.apiId,
    orgId: call.orgId,
    providerOrgId: call.providerOrgId,
    method: call.method,
    path: call.path,
    status: call.status,
    bytesIn: call.bytesIn,
    bytesOut: call.bytesOut,
    latencyMs: call.latencyMs,
    at: new Date(call.atMs).toISOString(),
    rateLimited: call.rateLimited,
  };
}

/**
 * Upper bounds (ms) of the latency histogram's buckets; the last catches everything slower. Fixed,
 * so minute rows from every node and every flush add up bucket by bucket.
 */
export const latencyBucketBounds = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
] as const;
export const latencyBucketKeys = [...latencyBucketBounds.map(String), '+Inf'];

export interface UsageAggregate {
  subscriptionId: string;
  /** Start of the minute (epoch ms, UTC). */
  minute: number;
  apiId: string;
  orgId: string;
  providerOrgId: string;
  calls: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  rateLimited: number;
  bytesIn: number;
  bytesOut: number;
  latencySumMs: number;
  /** Counts per bucket, in the order of latencyBucketKeys. */
  latencyBuckets: number[];
}

/** One flush: what the meter hands the sink, with an id that stays the same when it is retried. */
export interface UsageBatch {
  /** The id of the (first) call batch it is stored as: a retry of a write that did commit is recognised by it. */
  id: string;
  usage: UsageAggregate[];
  calls: CallRecord[];
}

/** Where flushed usage goes: the database in production, memory or nowhere in tests and benchmarks. */
export interface UsageSink {
  write(batch: UsageBatch): Promise<void>;
}

export interface MeterLogger {
  error(object: object, message: string): void;
}

/**
 * A local, durable record of metered calls kept until the database has them (./spool.ts): what a
 * `kill -9` would otherwise take with the process's memory.
 */
export interface MeterSpool {
  /** Makes one batch durable (one write, one fsync) before it may be committed. */
  append(batch: UsageBatch): Promise<void>;
  /** These spooled batches are committed: the spool may forget them. */
  committed(batchIds: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface MeterOptions {
  flushIntervalMs?: number;
  /**
   * Where calls are made durable before they are committed, every `spoolIntervalMs` (default 200):
   * a crash then loses at most the calls of the last interval, and the spool is replayed at the
   * next start. Without one, a crash loses what is not flushed yet.
   */
  spool?: MeterSpool;
  spoolIntervalMs?: number;
  /**
   * Call records held while the sink keeps failing. Past this the oldest are dropped (and counted
   * in `dropped`): losing some evidence is better than the gateway running out of memory.
   */
  maxPendingCalls?: number;
}

/** Several batches as one: aggregates of the same subscription and minute added, calls in order. */
export function mergeBatches(batches: UsageBatch[]): UsageBatch {
  const usage = new Map<string, UsageAggregate>();
  for (const batch of batches) {
    for (const aggregate of batch.usage) {
      const key = `${aggregate.subscriptionId} ${aggregate.minute}`;
      const into = usage.get(key);
      if (!into) {
        usage.set(key, { ...aggregate, latencyBuckets: [...aggregate.latencyBuckets] });
        continue;
      }
      into.calls += aggregate.calls;
      into.status2xx += aggregate.status2xx;
      into.status3xx += aggregate.status3xx;
      into.status4xx += aggregate.status4xx;
      into.status5xx += aggregate.status5xx;
      into.rateLimited += aggregate.rateLimited;
      into.bytesIn += aggregate.bytesIn;
      into.bytesOut += aggregate.bytesOut;
      into.latencySumMs += aggregate.latencySumMs;
      aggregate.latencyBuckets.forEach((count, i) => {
        into.latencyBuckets[i] = (into.latencyBuckets[i] ?? 0) + count;
      });
    }
  }
  return {
    id: batches[0]!.id,
    usage: [...usage.values()],
    calls: batches.flatMap((batch) => batch.calls),
  };
}

function bucketIndex(latencyMs: number): number {
  for (let i = 0; i < latencyBucketBounds.length; i++) if (latencyMs <= latencyBucketBounds[i]!) return i;
  return latencyBucketBounds.length;
}

function emptyAggregate(call: MeteredCall, minute: number): UsageAggregate {
  return {
    subscriptionId: call.subscriptionId,
    minute,
    apiId: call.apiId,
    orgId: call.orgId,
    providerOrgId: call.providerOrgId,
    calls: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    rateLimited: 0,
    bytesIn: 0,
    bytesOut: 0,
    latencySumMs: 0,
    latencyBuckets: new Array(latencyBucketKeys.length).fill(0),
  };
}

/**
 * Meters gateway calls: `record` is a few additions on the hot path; `flush`, on a timer, hands
 * the per-subscription-per-minute aggregates and the individual call records to the sink. A flush
 * that fails is kept exactly as it was, id included, and written again before anything newer: a
 * write whose commit went through but whose answer was lost (the database connection cut at that
 * moment) is then recognised by the sink rather than counted twice.
 *
 * With a spool, what is recorded is cut into a batch every `spoolIntervalMs` and appended to the
 * spool (one write and one fsync per batch); a flush first cuts what is left, then commits every
 * spooled batch as one, and then tells the spool they are committed. So every call the sink
 * commits was durable first.
 */
export class Meter {
  private aggregates = new Map<string, UsageAggregate>();
  private calls: MeteredCall[] = [];
  /** A batch whose write failed, waiting to be written again as it is. */
  private unwritten: UsageBatch | null = null;
  private flushing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  /** Batches made durable in the spool, not yet committed, oldest first. */
  private spooled: UsageBatch[] = [];
  /** The spooled batches `unwritten` was made of. */
  private unwrittenSpooled: string[] = [];
  /** Appends to the spool, one after the other. */
  private spooling: Promise<void> = Promise.resolve();
  private readonly spoolTimer: NodeJS.Timeout | undefined;
  private readonly maxPendingCalls: number;
  /** Call records dropped because the sink failed for too long. */
  dropped = 0;

  constructor(
    private readonly sink: UsageSink,
    private readonly options: MeterOptions & { logger?: MeterLogger } = {},
  ) {
    this.maxPendingCalls = options.maxPendingCalls ?? 1_000_000;
    this.timer = setInterval(() => {
      this.flush().catch(() => {});
    }, options.flushIntervalMs ?? 2000);
    this.timer.unref();
    if (options.spool) {
      this.spoolTimer = setInterval(() => {
        this.cut().catch(() => {});
      }, options.spoolIntervalMs ?? 200);
      this.spoolTimer.unref();
    }
  }

  /** Takes what is recorded so far out of memory as one batch. */
  private take(): UsageBatch | null {
    if (this.calls.length === 0 && this.aggregates.size === 0) return null;
    const batch: UsageBatch = {
      id: newId('callBatch'),
      usage: [...this.aggregates.values()],
      calls: this.calls.map(callRecordOf),
    };
    this.aggregates = new Map();
    this.calls = [];
    return batch;
  }

  /**
   * Appends what is recorded so far to the spool as one batch; resolves once every batch cut so
   * far is durable (or, if the spool failed, held in memory to be committed all the same).
   */
  private cut(): Promise<void> {
    const spool = this.options.spool!;
    const batch = this.take();
    if (batch) {
      this.spooling = this.spooling.then(async () => {
        try {
          await spool.append(batch);
        } catch (error) {
          this.options.logger?.error(
            { err: error, calls: batch.calls.length },
            'metering spool append failed; the batch is committed without it',
          );
        }
        this.spooled.push(batch);
        // The sink failing for long: the oldest go from memory. They stay in the spool, which
        // the next start replays.
        while (this.spooled.length > 1 && this.pending > this.maxPendingCalls) {
          this.dropped += this.spooled.shift()!.calls.length;
        }
      });
    }
    return this.spooling;
  }

  record(call: MeteredCall): void {
    const minute = call.atMs - (call.atMs % 60_000);
    const key = `${call.subscriptionId} ${minute}`;
    let aggregate = this.aggregates.get(key);
    if (!aggregate) {
      aggregate = emptyAggregate(call, minute);
      this.aggregates.set(key, aggregate);
    }
    aggregate.calls += 1;
    if (call.status >= 500) aggregate.status5xx += 1;
    else if (call.status >= 400) aggregate.status4xx += 1;
    else if (call.status >= 300) aggregate.status3xx += 1;
    else if (call.status >= 200) aggregate.status2xx += 1;
    if (call.rateLimited) aggregate.rateLimited += 1;
    aggregate.bytesIn += call.bytesIn;
    aggregate.bytesOut += call.bytesOut;
    aggregate.latencySumMs += call.latencyMs;
    aggregate.latencyBuckets[bucketIndex(call.latencyMs)]! += 1;
    this.calls.push(call);
    if (this.calls.length > this.maxPendingCalls) {
      const excess = this.calls.length - this.maxPendingCalls;
      this.calls.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Calls recorded and not yet written. */
  get pending(): number {
    let spooled = 0;
    for (const batch of this.spooled) spooled += batch.calls.length;
    return this.calls.length + spooled + (this.unwritten?.calls.length ?? 0);
  }

  /** Writes what has been recorded so far; concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const { spool } = this.options;
    if (this.unwritten) {
      await this.write(this.unwritten);
      this.unwritten = null;
      await spool?.committed(this.unwrittenSpooled);
    }
    let batch: UsageBatch | null;
    if (spool) {
      await this.cut();
      if (this.spooled.length === 0) return;
      batch = mergeBatches(this.spooled);
      this.unwrittenSpooled = this.spooled.map((spooled) => spooled.id);
      this.spooled = [];
    } else {
      batch = this.take();
      if (!batch) return;
    }
    this.unwritten = batch;
    await this.write(batch);
    this.unwritten = null;
    await spool?.committed(this.unwrittenSpooled);
  }

  private async write(batch: UsageBatch): Promise<void> {
    try {
      await this.sink.write(batch);
    } catch (error) {
      this.options.logger?.error({ err: error, pending: this.pending }, 'usage flush failed; will retry');
      throw error;
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.spoolTimer);
    try {
      await this.flush();
    } finally {
      // What could not be committed stays in the spool for the next start.
      await this.options.spool?.close();
    }
  }
}

/** Keeps everything in memory: for tests and the benchmark (it still pays for aggregation). */
export class MemoryUsageSink implements UsageSink {
  readonly usage: UsageAggregate[] = [];
  readonly calls: CallRecord[] = [];
  keepCalls = true;

  async write(batch: UsageBatch): Promise<void> {
    this.usage.push(...batch.usage);
    if (this.keepCalls) for (const call of batch.calls) this.calls.push(call);
  }
}

/** Call records per call_batches row; a flush larger than this writes several batches. */
const callsPerBatch = 10_000;

function bucketsObject(counts: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  latencyBucketKeys.forEach((key, i) => {
    out[key] = counts[i] ?? 0;
  });
  return out;
}

/**
 * Writes a flush in one transaction: usage rows are upserted (added to what the minute already
 * holds, since several flushes and several nodes write the same minute), each batch of call
 * records is stored with its Merkle root, and the root enters the ledger as
 * `gateway.calls.commit`, whose sequence number the batch keeps. Either all of it commits or none.
 */
export class DatabaseUsageSink implements UsageSink {
  constructor(private readonly deps: { db: Db; audit: AuditLedger; clock?: Clock }) {}

  /** Which of these calls are committed, looking only at batches that end at or after `since`. */
  async committedRequestIds(requestIds: string[], since: Date): Promise<Set<string>> {
    if (requestIds.length === 0) return new Set();
    const rows = (await this.deps.db.execute(sql`
      select distinct call ->> 'requestId' as id
      from call_batches, jsonb_array_elements(calls) as call
      where last_at >= ${since.toISOString()}::timestamptz
        and call ->> 'requestId' = any(${sql.param(requestIds)}::text[])`)) as unknown as {
      rows: { id: string }[];
    };
    return new Set(rows.rows.map((row) => row.id));
  }

  async write({ id: batchId, usage, calls }: UsageBatch): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      // A retry of a write that committed after all (its answer was lost): already counted.
      const [written] = await tx
        .select({ id: callBatches.id })
        .from(callBatches)
        .where(eq(callBatches.id, batchId));
      if (written) return;
      if (usage.length > 0) {
        await tx.execute(sql`
          insert into usage_records (subscription_id, minute, api_id, org_id, provider_org_id, calls,
            status_2xx, status_3xx, status_4xx, status_5xx, rate_limited, bytes_in, bytes_out,
            latency_sum_ms, latency_buckets)
          select * from unnest(
            ${sql.param(usage.map((u) => u.subscriptionId))}::text[],
            ${sql.param(usage.map((u) => new Date(u.minute).toISOString()))}::timestamptz[],
            ${sql.param(usage.map((u) => u.apiId))}::text[],
            ${sql.param(usage.map((u) => u.orgId))}::text[],
            ${sql.param(usage.map((u) => u.providerOrgId))}::text[],
            ${sql.param(usage.map((u) => u.calls))}::int[],
            ${sql.param(usage.map((u) => u.status2xx))}::int[],
            ${sql.param(usage.map((u) => u.status3xx))}::int[],
            ${sql.param(usage.map((u) => u.status4xx))}::int[],
            ${sql.param(usage.map((u) => u.status5xx))}::int[],
            ${sql.param(usage.map((u) => u.rateLimited))}::int[],
            ${sql.param(usage.map((u) => u.bytesIn))}::bigint[],
            ${sql.param(usage.map((u) => u.bytesOut))}::bigint[],
            ${sql.param(usage.map((u) => u.latencySumMs))}::float8[],
            ${sql.param(usage.map((u) => JSON.stringify(bucketsObject(u.latencyBuckets))))}::jsonb[])
          on conflict (subscription_id, minute) do update set
            calls = usage_records.calls + excluded.calls,
            status_2xx = usage_records.status_2xx + excluded.status_2xx,
            status_3xx = usage_records.status_3xx + excluded.status_3xx,
            status_4xx = usage_records.status_4xx + excluded.status_4xx,
            status_5xx = usage_records.status_5xx + excluded.status_5xx,
            rate_limited = usage_records.rate_limited + excluded.rate_limited,
            bytes_in = usage_records.bytes_in + excluded.bytes_in,
            bytes_out = usage_records.bytes_out + excluded.bytes_out,
            latency_sum_ms = usage_records.latency_sum_ms + excluded.latency_sum_ms,
            latency_buckets = (
              select coalesce(jsonb_object_agg(k, coalesce((usage_records.latency_buckets ->> k)::bigint, 0)
                                                  + coalesce((excluded.latency_buckets ->> k)::bigint, 0)), '{}'::jsonb)
              from (select jsonb_object_keys(usage_records.latency_buckets)
                    union select jsonb_object_keys(excluded.latency_buckets)) as keys(k))`);
      }
      const pieces = [];
      for (let start = 0; start < calls.length; start += callsPerBatch) {
        const batch = calls.slice(start, start + callsPerBatch);
        let firstAt = batch[0]!.at;
        let lastAt = firstAt;
        for (const call of batch) {
          if (call.at < firstAt) firstAt = call.at;
          if (call.at > lastAt) lastAt = call.at;
        }
        const id = start === 0 ? batchId : newId('callBatch');
        pieces.push({ id, batch, root: merkleRoot(batch.map(leafData)), firstAt, lastAt });
      }
      if (pieces.length === 0) return;
      // One append for the whole flush: one turn of the ledger lock, consecutive entries.
      const entries = await this.deps.audit.append(
        tx,
        pieces.map(({ id, batch, root, firstAt, lastAt }) => ({
          actor: { type: 'system' },
          action: 'gateway.calls.commit',
          object: { type: 'call-batch', id },
          data: { merkleRoot: root, count: batch.length, firstAt, lastAt },
        })),
      );
      await tx.insert(callBatches).values(
        pieces.map(({ id, batch, root, firstAt, lastAt }, i) => ({
          id,
          merkleRoot: root,
          count: batch.length,
          firstAt: new Date(firstAt),
          lastAt: new Date(lastAt),
          ledgerSeq: entries[i]!.seq,
          calls: batch,
        })),
      );
    });
  }
}
