import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys (IETF httpapi "The Idempotency-Key HTTP Header Field"): one row per key a
 * caller sent with a state-changing request, written in the same transaction as the change it
 * guards, holding the answer that change got. Scoped to the caller (organisation and user): one
 * tenant's key never answers another's request. Kept 24 hours, then swept.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the method, path and body: the same key with another request is refused. */
    fingerprint: text('fingerprint').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** The answer: status, the headers a client acts on (content type, location) and the body. */
    status: integer('status').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    body: text('body').notNull(),
    /** False when the answer was a stream (a Parquet result, an evidence bundle): not kept, not replayed. */
    isBodyKept: boolean('is_body_kept').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.key] }),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);
