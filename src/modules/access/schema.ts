import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { AgreementTerms, NoiseBudgetScope } from './terms.js';
import type { TemplateTerms } from './terms-templates.js';
import { accessRequestStates, purposes } from './vocabulary.js';

/**
 * What a subscription gets: a rate limit (requests per second with a burst), a monthly quota, and
 * which operations (by tag or by path pattern; both empty = all). `requiresApproval` puts new
 * subscriptions in `pending` until the provider decides.
 */
export const plans = pgTable(
  'plans',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id').notNull(),
    orgId: text('org_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    rateLimitPerSecond: doublePrecision('rate_limit_per_second').notNull(),
    burst: integer('burst').notNull(),
    /** null = unlimited */
    monthlyQuota: bigint('monthly_quota', { mode: 'number' }),
    requiresApproval: boolean('requires_approval').notNull(),
    includedTags: text('included_tags').array().notNull(),
    /** Path patterns such as `/buildings/*`; `*` matches one segment, `**` any number. */
    includedPaths: text('included_paths').array().notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plans_api_idx').on(t.apiId)],
);

export const subscriptionStates = [
  'pending',
  'active',
  'suspended',
  'revoked',
  'rejected',
  'expired',
] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id').notNull(),
    planId: text('plan_id').notNull(),
    /** The consumer organisation. */
    orgId: text('org_id').notNull(),
    /** The provider organisation (the API's owner), so both sides can find it by their org. */
    providerOrgId: text('provider_org_id').notNull(),
    state: text('state').$type<SubscriptionState>().notNull(),
    reason: text('reason'),
    /** When access ends (set on approval; null: until revoked). The sweep moves it to `expired`. */
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /**
     * A plan the consumer asked to move to, waiting for the provider because that plan needs
     * approval; the subscription keeps its current plan until then. Null: no change waiting.
     */
    pendingPlanId: text('pending_plan_id'),
    requestedBy: text('requested_by').notNull(),
    decidedBy: text('decided_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one open subscription per consumer and API, even under concurrent requests.
    uniqueIndex('subscriptions_open_key')
      .on(t.orgId, t.apiId)
      .where(sql`state in ('pending', 'active', 'suspended')`),
    index('subscriptions_org_idx').on(t.orgId),
    index('subscriptions_provider_idx').on(t.providerOrgId),
    index('subscriptions_api_idx').on(t.apiId),
    index('subscriptions_ends_idx')
      .on(t.endsAt)
      .where(sql`state in ('active', 'suspended') and ends_at is not null`),
  ],
);

export const credentialKinds = ['api-key', 'oauth-client'] as const;
export type CredentialKind = (typeof credentialKinds)[number];

/**
 * A consumer organisation's credential for the gateway: an API key or an OAuth2 client. The secret
 * is shown once and stored as SHA-256 (256 random bits: a fast hash is enough and keeps the
 * gateway's lookup O(1)). Rotation keeps the previous secret valid until `previousValidUntil`.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    kind: text('kind').$type<CredentialKind>().notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    previousSecretHash: text('previous_secret_hash'),
    previousValidUntil: timestamp('previous_valid_until', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    /** When the credential stops working (null: until revoked); the gateway checks it on every call. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('credentials_secret_key').on(t.secretHash), index('credentials_org_idx').on(t.orgId)],
);

// ---- access requests and agreements ------------------------------------------------------------

export { purposes };
export type Purpose = (typeof purposes)[number];

export { accessRequestStates };
export type AccessRequestState = (typeof accessRequestStates)[number];

/** A consumer asks a provider for a dataset: for what, which columns, for how long, with or without download. */
export const accessRequests = pgTable(
  'access_requests',
  {
    id: text('id').primaryKey(),
    datasetId: text('dataset_id').notNull(),
    /** The consumer organisation. */
    orgId: text('org_id').notNull(),
    providerOrgId: text('provider_org_id').notNull(),
    purpose: text('purpose').$type<Purpose>().notNull(),
    purposeText: text('purpose_text').notNull(),
    columns: text('columns').array().notNull(),
    durationDays: integer('duration_days').notNull(),
    wantsDownload: boolean('wants_download').notNull(),
    /** A lab the dataset is attached to: approving the request also gives the consumer a seat in it. */
    labId: text('lab_id'),
    state: text('state').$type<AccessRequestState>().notNull(),
    reason: text('reason'),
    agreementId: text('agreement_id'),
    requestedBy: text('requested_by').notNull(),
    decidedBy: text('decided_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('access_requests_org_idx').on(t.orgId),
    index('access_requests_provider_idx').on(t.providerOrgId, t.state),
    uniqueIndex('access_requests_open_key').on(t.orgId, t.datasetId).where(sql`state = 'pending'`),
  ],
);

/**
 * The granted terms (see terms.ts for the document and its JSON Schema). Expiry is a term
 * (`terms.expiresAt`) checked on every use; `revokedAt` ends it early. `queriesUsed` counts against
 * `terms.maxQueries` atomically. `secret` keys this agreement's hash masks and never leaves the server.
 */
export const agreements = pgTable(
  'agreements',
  {
    id: text('id').primaryKey(),
    datasetId: text('dataset_id').notNull(),
    orgId: text('org_id').notNull(),
    providerOrgId: text('provider_org_id').notNull(),
    requestId: text('request_id'),
    terms: jsonb('terms').$type<AgreementTerms>().notNull(),
    secret: text('secret').notNull(),
    queriesUsed: integer('queries_used').notNull().default(0),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
    /** When the platform recorded the expiry in the ledger (enforcement reads expiresAt, not this). */
    expiryRecordedAt: timestamp('expiry_recorded_at', { withTimezone: true }),
    approvedBy: text('approved_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agreements_org_idx').on(t.orgId),
    index('agreements_provider_idx').on(t.providerOrgId),
    index('agreements_dataset_idx').on(t.datasetId),
  ],
);

/**
 * ε spent under an agreement whose terms add noise, per budget holder: a user id or the consumer
 * organisation's id, as `terms.noise.budgetScope` says. The statement that spends checks the total
 * on the row's latest value, so concurrent queries never overspend.
 */
export const agreementBudgets = pgTable(
  'agreement_budgets',
  {
    agreementId: text('agreement_id').notNull(),
    scope: text('scope').$type<NoiseBudgetScope>().notNull(),
    holderId: text('holder_id').notNull(),
    spent: doublePrecision('spent').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.scope, t.holderId] })],
);

/**
 * A provider's named terms templates: the standing terms its datasets are approved with, matched
 * by slug within the organisation (declaration files name them so).
 */
export const termsTemplates = pgTable(
  'terms_templates',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    slug: text('slug').notNull(),
    description: text('description'),
    terms: jsonb('terms').$type<TemplateTerms>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('terms_templates_org_slug_key').on(t.orgId, t.slug)],
);

/** The template a dataset is approved with when its provider gives no terms: at most one each. */
export const datasetDefaultTerms = pgTable(
  'dataset_default_terms',
  {
    datasetId: text('dataset_id').primaryKey(),
    orgId: text('org_id').notNull(),
    templateId: text('template_id')
      .notNull()
      .references(() => termsTemplates.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('dataset_default_terms_org_idx').on(t.orgId),
    index('dataset_default_terms_template_idx').on(t.templateId),
  ],
);
