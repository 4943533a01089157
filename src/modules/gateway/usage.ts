import { type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import type { Executor } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { isOperator, isOverseer, type Principal } from '../identity/principal.js';
import { type InclusionProof, inclusionProof, leafData } from './merkle.js';
import { type CallRecord, latencyBucketBounds } from './metering.js';
import { callBatches } from './schema.js';

export const usageGranularities = ['minute', 'hour', 'day'] as const;
export type UsageGranularity = (typeof usageGranularities)[number];

export interface UsageQuery {
  apiId?: string;
  subscriptionId?: string;
  from?: Date;
  to?: Date;
  granularity: UsageGranularity;
  limit?: number;
  cursor?: string;
}

export interface UsageRow {
  subscriptionId: string;
  apiId: string;
  orgId: string;
  providerOrgId: string;
  /** Start of the minute, hour or day (UTC). */
  period: Date;
  calls: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  rateLimited: number;
  bytesIn: number;
  bytesOut: number;
  latencyAvgMs: number | null;
  /** Estimated from the histogram by linear interpolation inside the bucket. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** Default window when `from` is not given, per granularity. */
const defaultWindowMs: Record<UsageGranularity, number> = {
  minute: 3_600_000,
  hour: 7 * 86_400_000,
  day: 90 * 86_400_000,
};

/**
 * Estimates a percentile from the fixed latency histogram: finds the bucket holding the q-th call
 * and interpolates linearly between its bounds. The open last bucket answers with its lower bound.
 */
export function percentileFromBuckets(buckets: Record<string, number>, q: number): number | null {
  const counts = [...latencyBucketBounds.map((b) => buckets[String(b)] ?? 0), buckets['+Inf'] ?? 0];
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count > 0 && seen + count >= rank) {
      const lower = i === 0 ? 0 : latencyBucketBounds[i - 1]!;
      const upper = latencyBucketBounds[i];
      if (upper === undefined) return lower;
      return Math.round((lower + ((rank - seen) / count) * (upper - lower)) * 1000) / 1000;
    }
    seen += count;
  }
  return latencyBucketBounds[latencyBucketBounds.length - 1]!;
}

interface AggregatedRow {
  subscription_id: string;
  api_id: string;
  org_id: string;
  provider_org_id: string;
  period: Date | string;
  calls: number | string;
  status_2xx: number | string;
  status_3xx: number | string;
  status_4xx: number | string;
  status_5xx: number | string;
  rate_limited: number | string;
  bytes_in: number | string;
  bytes_out: number | string;
  latency_sum_ms: number | string;
  latency_buckets: Record<string, number | string> | string;
}

function encodeCursor(row: UsageRow): string {
  return Buffer.from(JSON.stringify([row.period.toISOString(), row.subscriptionId])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {}
  throw new AppError('bad-request', 'cursor: is not a cursor this endpoint returned');
}

/** Reads metered gateway usage, scoped to what the caller may see. */
export interface CallProof {
  call: CallRecord;
  batchId: string;
  merkleRoot: string;
  /** The ledger entry that committed the batch's root. */
  ledgerSeq: number;
  proof: InclusionProof;
}

export class UsageService {
  constructor(private readonly deps: { db: Executor; clock?: Clock }) {}

  /**
   * Proves that one gateway call is in the record: the call as committed, its batch's Merkle root,
   * the ledger entry that holds that root, and the inclusion path (RFC 6962 §2.1.1). Anyone can
   * check it with the call's canonical JSON, the path and the root in the verified ledger.
   * The consumer and the provider of the call (and overseers) may ask; others get not-found.
   */
  async proveCall(principal: Principal, requestId: string): Promise<CallProof> {
    const rows = (await this.deps.db.execute(sql`
      select ${callBatches.id} as id, ${callBatches.merkleRoot} as merkle_root,
             ${callBatches.ledgerSeq}::float8 as ledger_seq, ${callBatches.calls} as calls
      from ${callBatches}
      where ${callBatches.calls} @> ${JSON.stringify([{ requestId }])}::jsonb
      limit 1`)) as unknown as {
      rows: { id: string; merkle_root: string; ledger_seq: number; calls: CallRecord[] | string }[];
    };
    const batch = rows.rows[0];
    const calls = batch
      ? typeof batch.calls === 'string'
        ? (JSON.parse(batch.calls) as CallRecord[])
        : batch.calls
      : [];
    const index = calls.findIndex((call) => call.requestId === requestId);
    const call = calls[index];
    const entitled =
      call &&
      (isOverseer(principal) || call.orgId === principal.orgId || call.providerOrgId === principal.orgId);
    if (!batch || !call || !entitled) throw new AppError('not-found', `no committed call ${requestId}`);
    const leaves = calls.map((record) => leafData(record));
    return {
      call,
      batchId: batch.id,
      merkleRoot: batch.merkle_root,
      ledgerSeq: Number(batch.ledger_seq),
      proof: inclusionProof(leaves, index),
    };
  }

  /**
   * The organisations that called an API between `from` and `to`, with their call counts, from the
   * metering records (per minute: a call in the minute `from` falls in counts; the provider's index
   * finds them). Read inside the
   * caller's transaction, so a notice sent on a change reaches the callers as of that change.
   */
  async callersOf(
    db: Executor,
    api: { id: string; orgId: string },
    window: { from: Date; to: Date },
  ): Promise<{ orgId: string; calls: number }[]> {
    const result = (await db.execute(sql`
      select org_id, sum(calls)::float8 as calls
        from usage_records
       where provider_org_id = ${api.orgId}
         and api_id = ${api.id}
         and minute >= date_trunc('minute', ${window.from.toISOString()}::timestamptz, 'UTC')
         and minute < ${window.to.toISOString()}::timestamptz
       group by org_id
      having sum(calls) > 0
       order by org_id`)) as unknown as { rows: { org_id: string; calls: number | string }[] };
    return result.rows.map((row) => ({ orgId: row.org_id, calls: Number(row.calls) }));
  }

  /**
   * A consumer sees the rows of its own organisation's subscriptions, a provider the rows of calls
   * to its APIs (an organisation that is both sees both); operators see everything.
   */
  async list(
    principal: Principal,
    query: UsageQuery,
  ): Promise<{ items: UsageRow[]; nextCursor: string | null }> {
    const now = (this.deps.clock ?? systemClock).now();
    const to = query.to ?? now;
    const from = query.from ?? new Date(to.getTime() - defaultWindowMs[query.granularity]);
    if (from > to) throw new AppError('bad-request', 'from: must not be after to');
    const limit = query.limit ?? 500;
    const conditions: SQL[] = [
      sql`minute >= ${from.toISOString()}::timestamptz`,
      sql`minute < ${to.toISOString()}::timestamptz`,
    ];
    if (!isOperator(principal)) {
      conditions.push(sql`(org_id = ${principal.orgId} or provider_org_id = ${principal.orgId})`);
    }
    if (query.apiId) conditions.push(sql`api_id = ${query.apiId}`);
    if (query.subscriptionId) conditions.push(sql`subscription_id = ${query.subscriptionId}`);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const afterCondition = after
      ? sql`where (period, subscription_id) > (${after[0]}::timestamptz, ${after[1]})`
      : sql``;
    const result = (await this.deps.db.execute(sql`
      select * from (
        select subscription_id, api_id, org_id, provider_org_id,
               date_trunc(${query.granularity}, minute, 'UTC') as period,
               sum(calls)::float8 as calls, sum(status_2xx)::float8 as status_2xx,
               sum(status_3xx)::float8 as status_3xx, sum(status_4xx)::float8 as status_4xx,
               sum(status_5xx)::float8 as status_5xx, sum(rate_limited)::float8 as rate_limited,
               sum(bytes_in)::float8 as bytes_in, sum(bytes_out)::float8 as bytes_out,
               sum(latency_sum_ms)::float8 as latency_sum_ms,
               (select coalesce(jsonb_object_agg(t.key, t.total), '{}'::jsonb)
                  from (select e.key, sum(e.value::float8) as total
                          from unnest(array_agg(latency_buckets)) as b(j), jsonb_each_text(b.j) as e
                         group by e.key) as t) as latency_buckets
          from usage_records
         where ${sql.join(conditions, sql` and `)}
         group by subscription_id, api_id, org_id, provider_org_id, period
      ) as usage
      ${afterCondition}
      order by period, subscription_id
      limit ${limit + 1}`)) as unknown as { rows: AggregatedRow[] };
    const rows = result.rows.map((row): UsageRow => {
      const buckets =
        typeof row.latency_buckets === 'string' ? JSON.parse(row.latency_buckets) : row.latency_buckets;
      const numericBuckets: Record<string, number> = {};
      for (const [key, value] of Object.entries(buckets as Record<string, number | string>)) {
        numericBuckets[key] = Number(value);
      }
      const calls = Number(row.calls);
      return {
        subscriptionId: row.subscription_id,
        apiId: row.api_id,
        orgId: row.org_id,
        providerOrgId: row.provider_org_id,
        period: new Date(row.period),
        calls,
        status2xx: Number(row.status_2xx),
        status3xx: Number(row.status_3xx),
        status4xx: Number(row.status_4xx),
        status5xx: Number(row.status_5xx),
        rateLimited: Number(row.rate_limited),
        bytesIn: Number(row.bytes_in),
        bytesOut: Number(row.bytes_out),
        latencyAvgMs: calls > 0 ? Math.round((Number(row.latency_sum_ms) / calls) * 1000) / 1000 : null,
        latencyP50Ms: percentileFromBuckets(numericBuckets, 0.5),
        latencyP95Ms: percentileFromBuckets(numericBuckets, 0.95),
      };
    });
    const items = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1]!) : null;
    return { items, nextCursor };
  }
}
