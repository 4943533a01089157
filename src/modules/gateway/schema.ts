import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Metered gateway traffic, one row per subscription per minute: calls by status class, bytes and a
 * latency histogram (bucket upper bounds in ms → counts). Written in batches off the hot path.
 */
export const usageRecords = pgTable(
  'usage_records',
  {
    subscriptionId: text('subscription_id').notNull(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    apiId: text('api_id').notNull(),
    orgId: text('org_id').notNull(),
    providerOrgId: text('provider_org_id').notNull(),
    calls: integer('calls').notNull(),
    status2xx: integer('status_2xx').notNull(),
    status3xx: integer('status_3xx').notNull(),
    status4xx: integer('status_4xx').notNull(),
    status5xx: integer('status_5xx').notNull(),
    rateLimited: integer('rate_limited').notNull(),
    bytesIn: bigint('bytes_in', { mode: 'number' }).notNull(),
    bytesOut: bigint('bytes_out', { mode: 'number' }).notNull(),
    latencySumMs: doublePrecision('latency_sum_ms').notNull(),
    latencyBuckets: jsonb('latency_buckets').$type<Record<string, number>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.subscriptionId, t.minute] }),
    index('usage_records_org_idx').on(t.orgId, t.minute),
    index('usage_records_provider_idx').on(t.providerOrgId, t.minute),
  ],
);

/**
 * A batch of individual call records, committed to the ledger by its Merkle root: any single call
 * can later be proven to be in the record with its inclusion path.
 */
export const callBatches = pgTable('call_batches', {
  id: text('id').primaryKey(),
  merkleRoot: text('merkle_root').notNull(),
  count: integer('count').notNull(),
  firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
  lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  ledgerSeq: bigint('ledger_seq', { mode: 'number' }).notNull(),
  /** The call records themselves (request id, subscription, method, path, status, bytes, latency, at). */
  calls: jsonb('calls').$type<unknown[]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
