import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Location } from '../identity/schema.js';

/**
 * A cross-boundary transfer of personal data within the Greater Bay Area, in the shape of the
 * Standard Contract for Cross-boundary Flow of Personal Information within the GBA: the parties
 * and their verified locations, what is transferred and why, the sender's personal-information
 * impact assessment (done before the transfer), the contract signed by both sides, the filing with
 * the sender's authority within 10 working days of the contract taking effect, the recipient's
 * commitment not to transfer onward outside the GBA, and retention of the records (≥ 3 years).
 */
export const transferStates = [
  'draft',
  'submitted',
  'under-review',
  'approved',
  'rejected',
  'filed',
  'suspended',
  'expired',
  'revoked',
] as const;
export type TransferState = (typeof transferStates)[number];

export interface ImpactAssessment {
  completedOn: string;
  /** The assessment document: a name and the SHA-256 of its content (the file stays with the sender). */
  attachment: { name: string; sha256: string };
  summary: string | null;
}

export const transfers = pgTable(
  'transfers',
  {
    id: text('id').primaryKey(),
    /** The sender: the organisation whose data crosses. */
    providerOrgId: text('provider_org_id').notNull(),
    recipientOrgId: text('recipient_org_id').notNull(),
    providerLocation: text('provider_location').$type<Location>().notNull(),
    recipientLocation: text('recipient_location').$type<Location>().notNull(),
    datasetIds: text('dataset_ids').array().notNull(),
    /** The APIs whose calls carry this personal data through the gateway (see gateway source). */
    apiIds: text('api_ids').array().notNull().default(sql`'{}'::text[]`),
    dataCategories: text('data_categories').array().notNull(),
    volume: text('volume').notNull(),
    purpose: text('purpose').notNull(),
    impactAssessment: jsonb('impact_assessment').$type<ImpactAssessment>(),
    providerSignedAt: timestamp('provider_signed_at', { withTimezone: true }),
    recipientSignedAt: timestamp('recipient_signed_at', { withTimezone: true }),
    /** The later of the two signatures' dates, in Hong Kong time. */
    contractEffectiveOn: text('contract_effective_on'),
    filingDueOn: text('filing_due_on'),
    filedOn: text('filed_on'),
    filingReference: text('filing_reference'),
    noOnwardTransfer: boolean('no_onward_transfer').notNull(),
    retentionYears: integer('retention_years').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    state: text('state').$type<TransferState>().notNull(),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('transfers_provider_idx').on(t.providerOrgId),
    index('transfers_recipient_idx').on(t.recipientOrgId),
    index('transfers_state_idx').on(t.state),
  ],
);
