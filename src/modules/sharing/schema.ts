import { bigint, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A Delta Sharing recipient: a bearer token an organisation makes for itself, to point a Delta
 * Sharing client (Spark, pandas, Power BI…) at the platform. Like a personal access token it is
 * shown once and stored as the SHA-256 of a 256-bit secret; it opens `/delta-sharing/*` only.
 */
export const sharingRecipients = pgTable(
  'sharing_recipients',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    /** The member who made it: the token acts for them, and stops when their membership ends. */
    createdBy: text('created_by').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sharing_recipients_secret_key').on(t.secretHash),
    index('sharing_recipients_org_idx').on(t.orgId),
  ],
);

/**
 * A masked Parquet file made for shares: what one grant's compiled SELECT returned for one dataset
 * version. `policyKey` is the SHA-256 of that SELECT, so a file is reused for as long as the policy
 * and the version it was made from stay the same, and never for anything else.
 */
export const sharedFiles = pgTable(
  'shared_files',
  {
    id: text('id').primaryKey(),
    policyKey: text('policy_key').notNull(),
    /** The agreement it was made under; null for open data. */
    agreementId: text('agreement_id'),
    datasetId: text('dataset_id').notNull(),
    versionId: text('version_id').notNull(),
    /** Relative to DATA_DIR/sharing. */
    file: text('file').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('shared_files_policy_key').on(t.policyKey)],
);
