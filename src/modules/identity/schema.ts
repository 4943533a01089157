import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { locations } from './vocabulary.js';

export const orgKinds = ['operator', 'provider', 'consumer', 'regulator'] as const;
export type OrgKind = (typeof orgKinds)[number];

export const orgStatuses = ['pending', 'active', 'rejected', 'suspended'] as const;
export type OrgStatus = (typeof orgStatuses)[number];

export const orgRoles = ['owner', 'admin', 'member'] as const;
export type OrgRole = (typeof orgRoles)[number];

export { locations };
export type Location = (typeof locations)[number];

export const organisations = pgTable(
  'organisations',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kinds: text('kinds').array().$type<OrgKind[]>().notNull(),
    status: text('status').$type<OrgStatus>().notNull(),
    sector: text('sector'),
    description: text('description'),
    website: text('website'),
    /** What the organisation said about itself when it applied. */
    declaredLocation: text('declared_location').$type<Location>(),
    /** Set by an operator only. */
    location: text('location').$type<Location>(),
    locationVerifiedAt: timestamp('location_verified_at', { withTimezone: true }),
    locationVerifiedBy: text('location_verified_by'),
    decisionReason: text('decision_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisations_slug_key').on(t.slug), index('organisations_status_idx').on(t.status)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** argon2id PHC string; null for users who have not set a password yet. */
    passwordHash: text('password_hash'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').$type<OrgRole>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/** Browser sessions. The cookie holds a random secret; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sessions_secret_key').on(t.secretHash)],
);

/** Personal access tokens: shown once, stored as SHA-256 of a 256-bit secret, bound to one org. */
export const personalTokens = pgTable(
  'personal_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('personal_tokens_secret_key').on(t.secretHash),
    index('personal_tokens_user_idx').on(t.userId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    email: text('email').notNull(),
    role: text('role').$type<OrgRole>().notNull(),
    secretHash: text('secret_hash').notNull(),
    invitedBy: text('invited_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('invitations_secret_key').on(t.secretHash), index('invitations_org_idx').on(t.orgId)],
);

/**
 * A forgotten-password link in flight. The link carries a random secret; only its SHA-256 is
 * stored, so a copy of the table resets nobody's password. Used once, and short-lived
 * (OWASP Forgot Password Cheat Sheet): a mailbox read later by someone else finds it spent.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    secretHash: text('secret_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('password_resets_secret_key').on(t.secretHash),
    index('password_resets_user_idx').on(t.userId),
  ],
);

// ---- single sign-on (OpenID Connect) ---------------------------------------------------------

/** Where a signed-in person lands: by e-mail domain, or by the values of one claim (e.g. `groups`). */
export interface IdentityProviderMapping {
  domains: { domain: string; orgId: string; role: OrgRole }[];
  claim: { name: string; values: { value: string; orgId: string; role: OrgRole }[] } | null;
}

/** An operator-configured OpenID Connect provider that people may sign in with. */
export const identityProviders = pgTable('identity_providers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  issuer: text('issuer').notNull(),
  clientId: text('client_id').notNull(),
  /**
   * AES-256-GCM under a key in DATA_DIR/keys. Not a hash: the platform must present the secret
   * itself to the provider's token endpoint (client_secret_basic), so it has to be recoverable.
   */
  clientSecretSealed: text('client_secret_sealed').notNull(),
  scopes: text('scopes').array().notNull(),
  mapping: jsonb('mapping').$type<IdentityProviderMapping>().notNull(),
  createdBy: text('created_by').notNull(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One sign-in in flight: the `state`, `nonce` and PKCE verifier sent with the browser to the
 * provider. Looked up by the hash of `state`, bound to the browser that started it, used once.
 */
export const oidcLoginAttempts = pgTable(
  'oidc_login_attempts',
  {
    id: text('id').primaryKey(),
    providerId: text('provider_id')
      .notNull()
      .references(() => identityProviders.id),
    stateHash: text('state_hash').notNull(),
    /** SHA-256 of a random value in a cookie set on the browser that started the sign-in (login CSRF). */
    browserHash: text('browser_hash').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    /** The callback address sent to the provider; the code exchange must repeat it exactly. */
    redirectUri: text('redirect_uri').notNull(),
    returnTo: text('return_to').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('oidc_login_attempts_state_key').on(t.stateHash)],
);

/** Which provider account (issuer + `sub`, stable per OIDC Core §2) is which platform user. */
export const identityLinks = pgTable(
  'identity_links',
  {
    providerId: text('provider_id')
      .notNull()
      .references(() => identityProviders.id),
    subject: text('subject').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.subject] }), index('identity_links_user_idx').on(t.userId)],
);

export const loginThrottleScopes = ['email', 'ip'] as const;
export type LoginThrottleScope = (typeof loginThrottleScopes)[number];

/**
 * Failed password sign-ins per e-mail address and per client IP in the current fixed window
 * (src/modules/identity/throttle.ts). In the database, not in memory, so every control-plane node
 * counts the same failures. The subject is the SHA-256 of the e-mail or IP: the table is not a list
 * of which addresses someone tried.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    scope: text('scope').$type<LoginThrottleScope>().notNull(),
    subjectHash: text('subject_hash').notNull(),
    failures: integer('failures').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.subjectHash] }),
    index('login_throttle_window_idx').on(t.windowStartedAt),
  ],
);
