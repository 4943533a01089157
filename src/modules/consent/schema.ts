import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Purpose } from '../access/schema.js';
import { subjectKeyPattern } from './gate.js';

/**
 * A data subject's consent, kept by the provider (the controller) that holds the subject's data.
 * The subject is known only by a pseudonymous key of the provider's own (e.g. its customer number
 * or a hash of it), never by name. A consent lets `granteeOrgId` (null: any organisation holding an
 * agreement) use the subject's data for `purpose`, in the datasets and APIs named (both empty: all
 * of the provider's consent-required datasets and APIs). It is live from `grantedAt` until
 * `expiresAt` (null: until revoked) or `revokedAt`, whichever comes first; the state is derived
 * from those facts, never stored.
 */
export const consents = pgTable(
  'consents',
  {
    id: text('id').primaryKey(),
    /** The provider organisation (the controller): the only one that sees or changes the consent. */
    orgId: text('org_id').notNull(),
    subjectKey: text('subject_key').notNull(),
    purpose: text('purpose').$type<Purpose>().notNull(),
    /** null = any organisation that holds an agreement or subscription with the provider. */
    granteeOrgId: text('grantee_org_id'),
    datasetIds: text('dataset_ids').array().notNull(),
    apiIds: text('api_ids').array().notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
    /** Where the proof of consent is kept: a form number, a document reference or a URL. */
    evidence: text('evidence'),
    /** The CSV import that created it (its ledger entry carries a digest of the batch); null when made one by one. */
    importId: text('import_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('consents_subject_idx').on(t.orgId, t.subjectKey),
    // The consent filter's lookup: one provider's unrevoked consents for one purpose.
    index('consents_live_idx').on(t.orgId, t.purpose, t.subjectKey).where(sql`revoked_at is null`),
    index('consents_import_idx').on(t.importId),
    // The query engine joins the keys with line breaks and the gateway reads them from a header:
    // the database itself refuses a key outside the pattern, whatever path wrote it.
    check('consents_subject_key_check', sql`${t.subjectKey} ~ ${sql.raw(`'${subjectKeyPattern}'`)}`),
  ],
);

/**
 * An API whose calls concern data subjects: the gateway lets a call carrying `X-Subject-Key` through
 * only with a live consent of that subject for the calling organisation and `purpose`. Subscriptions
 * name no purpose, so the provider states here the one purpose the API's calls serve; subscribing
 * means using the API for it. With `subjectRequired`, every call must name its subject.
 * Kept by the consent module (keyed by the API's id) rather than on the API itself, so the
 * catalogue knows nothing of consent and the gateway's snapshot reads it through this module.
 */
export const apiConsentRequirements = pgTable('api_consent_requirements', {
  apiId: text('api_id').primaryKey(),
  /** The API's owner, who alone may change the requirement. */
  orgId: text('org_id').notNull(),
  purpose: text('purpose').$type<Purpose>().notNull(),
  subjectRequired: boolean('subject_required').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What a revoked consent asks of each organisation that held an agreement covering the subject:
 * delete the copies it downloaded or received through shares, and say so by `dueAt`. One request
 * per agreement. Its state is derived: `confirmed` once `confirmedAt` is set, `overdue` past `dueAt`
 * without it, else `pending`; `escalatedAt` records when the sweep put an overdue one in the
 * regulator's queue and told both sides.
 */
export const deletionRequests = pgTable(
  'deletion_requests',
  {
    id: text('id').primaryKey(),
    consentId: text('consent_id').notNull(),
    /** The controller that kept the consent. */
    providerOrgId: text('provider_org_id').notNull(),
    /** The organisation asked to delete (the agreement's consumer). */
    granteeOrgId: text('grantee_org_id').notNull(),
    agreementId: text('agreement_id').notNull(),
    datasetId: text('dataset_id').notNull(),
    /** The provider's pseudonymous key of the subject: what the grantee deletes by (never in an event). */
    subjectKey: text('subject_key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: text('confirmed_by'),
    /** The grantee's note on how it deleted (a ticket, a log reference). */
    evidence: text('evidence'),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('deletion_requests_grantee_idx').on(t.granteeOrgId, t.createdAt),
    index('deletion_requests_provider_idx').on(t.providerOrgId, t.createdAt),
    index('deletion_requests_consent_idx').on(t.consentId),
    index('deletion_requests_open_idx').on(t.dueAt).where(sql`confirmed_at is null and escalated_at is null`),
  ],
);
