import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

export const decisions = ['allow', 'deny', 'info'] as const;
export type Decision = (typeof decisions)[number];

/**
 * The evidence ledger. One fact is stored once: `canonical`, the entry's RFC 8785 canonical JSON,
 * exactly the bytes that were hashed; reads rebuild entries from it alone. Beside it, the fields
 * that filters and evidence scopes select on (`org_id`, `action`, `object_type`, `object_id`,
 * `actor_id`, `at`, and `data` as jsonb for containment) are copied from the same sealed entry by
 * the one statement that inserts the row, so appending parses no JSON on the server: a generated
 * `canonical::jsonb` column cost half of the batched append's throughput on PostgreSQL. They
 * cannot drift afterwards: the table is append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE, see the migrations). Gap-free (`seq` is assigned under a transaction-scoped advisory
 * lock) and chained: `hash = sha256(prevHash ‖ canonical)`.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    canonical: text('canonical').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    orgId: text('org_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    actorId: text('actor_id'),
    /** ISO 8601 UTC with milliseconds, so text order is time order. */
    at: text('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('audit_events_org_idx').on(t.orgId, t.seq),
    index('audit_events_object_idx').on(t.objectType, t.objectId),
    index('audit_events_action_idx').on(t.action, t.seq),
    // Evidence search: "entries whose data mentions dataset X" is jsonb containment on `data`
    // (e.g. query.run's `datasets: [{ id }]`, see scope.ts). jsonb_path_ops indexes only `@>`, and is
    // smaller and faster to maintain than the default opclass.
    index('audit_events_data_idx').using('gin', sql`${t.data} jsonb_path_ops`),
  ],
);

/** The entry's fields that filters select on, by their name in the entry. */
const filterColumns = {
  orgId: auditEvents.orgId,
  action: auditEvents.action,
  objectType: auditEvents.objectType,
  objectId: auditEvents.objectId,
  actorId: auditEvents.actorId,
  at: auditEvents.at,
} as const;

export type FilterField = keyof typeof filterColumns;

/** A field of the entry, for filters: `entryField('orgId')` is the `org_id` column. */
export const entryField = (name: FilterField) => sql`${filterColumns[name]}`;
