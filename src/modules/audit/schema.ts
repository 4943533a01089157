import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const decisions = ['allow', 'deny', 'info'] as const;
export type Decision = (typeof decisions)[number];

/**
 * The evidence ledger. Append-only (a trigger refuses UPDATE and DELETE, see the migration),
 * gap-free (`seq` is assigned under a transaction-scoped advisory lock) and hash-chained:
 * `hash = sha256(prevHash ‖ canonical JSON of the entry)`.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    orgId: text('org_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    decision: text('decision').$type<Decision>().notNull(),
    reason: text('reason'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_events_org_idx').on(t.orgId, t.seq),
    index('audit_events_object_idx').on(t.objectType, t.objectId),
  ],
);
