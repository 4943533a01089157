import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import type { Mailer } from '../../infra/mailer.js';
import { type Page, pageOf } from '../../infra/paging.js';
import { slugify } from '../../infra/slugs.js';
import type { AuditLedger } from '../audit/service.js';
import { checkPasswordPolicy } from './password-policy.js';
import {
  authorize,
  hasRole,
  isOperator,
  isOverseer,
  type Principal,
  requireKind,
  requireRole,
} from './principal.js';
import {
  identityLinks,
  invitations,
  type Location,
  memberships,
  type OrgKind,
  type OrgRole,
  type OrgStatus,
  organisations,
  passwordResets,
  personalTokens,
  sessions,
  users,
} from './schema.js';
import { decoyPasswordHash, hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';
import { LoginThrottle, passwordResetThrottleLimits } from './throttle.js';

export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;

export interface OrganisationInput {
  name: string;
  slug?: string;
  kinds: OrgKind[];
  sector?: string;
  description?: string;
  website?: string;
  declaredLocation?: Location;
}

export interface NewUserInput {
  email: string;
  name: string;
  password: string;
}

/** A person an identity provider vouched for, already mapped to an organisation and role. */
export interface VerifiedIdentity {
  providerId: string;
  /** The ID token's `sub`: stable and unique per provider (OIDC Core §2), unlike the e-mail. */
  subject: string;
  /** Verified by the provider (`email_verified: true`). */
  email: string;
  name: string;
  orgId: string;
  role: OrgRole;
  /** Whether an operator listed the e-mail's domain for this provider, so it may claim an existing account. */
  mayLinkByEmail: boolean;
}

const tokenPrefix = 'stp_pat_';
const sessionPrefix = 'stp_ses_';
const invitationPrefix = 'stp_inv_';
const passwordResetPrefix = 'stp_pwr_';
/** How long a password-reset link works: long enough to read the mail, short enough that an old mail is spent. */
export const passwordResetTtlMinutes = 30;
/** How many characters of a token stay visible in listings, so a person can tell tokens apart. */
const visiblePrefixLength = tokenPrefix.length + 6;
const invitationTtlDays = 7;
/**
 * Personal access tokens always expire: a token pasted into a CI job or a script outlives the
 * reason it was made, and nobody revokes what they forgot. 90 days unless asked, a year at most.
 */
export const tokenLifetimeDays = { default: 90, max: 365 } as const;
const dayMs = 86_400_000;
/** Sliding expiry and token last-use are written at most this often: a hint, not one write per request. */
const touchIntervalMs = 60_000;

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Kinds an organisation cannot give itself: operators run the platform, and regulators review
 * other organisations' records, so both are created by an operator, never chosen when applying.
 */
const grantedKinds: readonly OrgKind[] = ['operator', 'regulator'];

function refuseGrantedKinds(kinds: readonly OrgKind[]): void {
  const refused = kinds.filter((kind) => grantedKinds.includes(kind));
  if (refused.length > 0) {
    throw new AppError(
      'forbidden',
      `${refused.join(' and ')} organisations are created by operators only; apply as a provider or consumer`,
      { kinds: refused },
    );
  }
}

export class IdentityService {
  private readonly loginThrottle: LoginThrottle;

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      /** The absolute lifetime of a session, however active. */
      sessionTtlHours: number;
      /** A session unused for this long ends before its lifetime (sliding: each use moves it on). */
      sessionIdleMinutes: number;
      /** Told when an organisation's status changes: the gateway drops or restores its access. */
      changes?: ChangeFeed;
      /** Sends password-reset links. Fire and forget: it logs its own delivery failures. */
      mailer?: Mailer;
      /** Where the portal is (`https://stp.example`), for links in mail; never taken from a request's Host. */
      portalUrl?: string;
    },
  ) {
    this.loginThrottle = new LoginThrottle({ db: deps.db, clock: deps.clock });
    this.resetThrottle = new LoginThrottle({
      db: deps.db,
      clock: deps.clock,
      limits: passwordResetThrottleLimits,
      purpose: { name: 'password-reset', refusal: 'too many password-reset requests' },
    });
  }

  private readonly resetThrottle: LoginThrottle;

  private get db(): Db {
    return this.deps.db;
  }

  // ---- organisations -------------------------------------------------------------------------

  private async insertOrganisation(
    tx: Tx,
    input: OrganisationInput,
    status: OrgStatus,
  ): Promise<Organisation> {
    const kinds = [...new Set(input.kinds)];
    const slug = input.slug ?? slugify(input.name);
    try {
      const [org] = await tx
        .insert(organisations)
        .values({
          id: newId('organisation'),
          slug,
          name: input.name.trim(),
          kinds,
          status,
          sector: input.sector ?? null,
          description: input.description ?? null,
          website: input.website ?? null,
          declaredLocation: input.declaredLocation ?? null,
        })
        .returning();
      return org!;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('already-exists', `an organisation with slug "${slug}" exists`);
      throw error;
    }
  }

  /** Every path that sets a password comes through here, so the password policy is checked once. */
  private async insertUser(tx: Tx, input: NewUserInput): Promise<User> {
    const email = normaliseEmail(input.email);
    await checkPasswordPolicy(input.password, { email });
    const passwordHash = await hashPassword(input.password);
    try {
      const [user] = await tx
        .insert(users)
        .values({ id: newId('user'), email, name: input.name.trim(), passwordHash })
        .returning();
      return user!;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('already-exists', `a user with e-mail ${email} exists`);
      throw error;
    }
  }

  /**
   * A newcomer applies: a pending organisation and its first owner, in one transaction. The
   * owner can sign in at once but reach nothing beyond their own profile until an operator approves.
   */
  async applyForOrganisation(input: {
    organisation: OrganisationInput;
    owner: NewUserInput;
  }): Promise<{ organisation: Organisation; user: User }> {
    refuseGrantedKinds(input.organisation.kinds);
    return this.db.transaction(async (tx) => {
      const organisation = await this.insertOrganisation(tx, input.organisation, 'pending');
      const user = await this.insertUser(tx, input.owner);
      await tx.insert(memberships).values({ orgId: organisation.id, userId: user.id, role: 'owner' });
      await this.deps.audit.append(tx, {
        actor: { type: 'user', id: user.id },
        orgId: organisation.id,
        action: 'organisation.apply',
        object: { type: 'organisation', id: organisation.id },
        data: {
          name: organisation.name,
          kinds: organisation.kinds,
          declaredLocation: organisation.declaredLocation,
        },
      });
      return { organisation, user };
    });
  }

  /**
   * A signed-in user creates an organisation. Operators' creations are active at once (that is
   * how operators onboard partners they already know); anyone else's wait for approval.
   */
  async createOrganisation(principal: Principal, input: OrganisationInput): Promise<Organisation> {
    const byOperator = isOperator(principal);
    if (!byOperator) refuseGrantedKinds(input.kinds);
    return this.db.transaction(async (tx) => {
      const organisation = await this.insertOrganisation(tx, input, byOperator ? 'active' : 'pending');
      if (!byOperator) {
        await tx
          .insert(memberships)
          .values({ orgId: organisation.id, userId: principal.userId, role: 'owner' });
      }
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: organisation.id,
        action: byOperator ? 'organisation.create' : 'organisation.apply',
        object: { type: 'organisation', id: organisation.id },
        data: { name: organisation.name, kinds: organisation.kinds, status: organisation.status },
      });
      return organisation;
    });
  }

  /** Operators see every organisation; everyone else sees active ones and their own. */
  private visibleTo(principal: Principal): SQL | undefined {
    if (isOperator(principal)) return undefined;
    return or(eq(organisations.status, 'active'), eq(organisations.id, principal.orgId));
  }

  async listOrganisations(
    principal: Principal,
    query: {
      status?: OrgStatus;
      kind?: OrgKind;
      q?: string;
      /** false: organisations whose location no operator has verified yet (only what they declared). */
      locationVerified?: boolean;
      cursor?: string;
      limit: number;
    },
  ): Promise<Page<Organisation>> {
    const conditions: (SQL | undefined)[] = [this.visibleTo(principal)];
    if (query.status) conditions.push(eq(organisations.status, query.status));
    if (query.locationVerified === true) conditions.push(isNotNull(organisations.locationVerifiedAt));
    if (query.locationVerified === false) conditions.push(isNull(organisations.locationVerifiedAt));
    if (query.kind) conditions.push(sql`${query.kind} = any(${organisations.kinds})`);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(
        sql`(${organisations.name} ilike ${pattern} or ${organisations.description} ilike ${pattern})`,
      );
    }
    if (query.cursor) conditions.push(gt(organisations.id, query.cursor));
    const rows = await this.db
      .select()
      .from(organisations)
      .where(and(...conditions))
      .orderBy(asc(organisations.id))
      .limit(query.limit + 1);
    return pageOf(rows, query.limit, (row) => row.id);
  }

  async getOrganisation(principal: Principal, id: string): Promise<Organisation> {
    const [org] = await this.db
      .select()
      .from(organisations)
      .where(and(eq(organisations.id, id), this.visibleTo(principal)));
    if (!org) throw notFound(`organisation ${id}`);
    return org;
  }

  private async decideOrganisation(
    principal: Principal,
    id: string,
    decision: 'approve' | 'reject' | 'suspend',
    reason: string | null,
  ): Promise<Organisation> {
    requireKind(principal, 'operator');
    requireRole(principal, 'admin');
    const from: Record<typeof decision, OrgStatus[]> = {
      approve: ['pending', 'suspended'],
      reject: ['pending'],
      suspend: ['active'],
    };
    const to: Record<typeof decision, OrgStatus> = {
      approve: 'active',
      reject: 'rejected',
      suspend: 'suspended',
    };
    const decided = await this.db.transaction(async (tx) => {
      const [org] = await tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
      if (!org) throw notFound(`organisation ${id}`);
      if (org.id === principal.orgId)
        throw new AppError('forbidden', 'an operator cannot decide on its own organisation');
      if (!from[decision].includes(org.status)) {
        throw conflict(`organisation ${id} is ${org.status}; cannot ${decision} it`);
      }
      const [updated] = await tx
        .update(organisations)
        .set({ status: to[decision], decisionReason: reason, updatedAt: this.deps.clock.now() })
        .where(eq(organisations.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: id,
        action: `organisation.${decision}`,
        object: { type: 'organisation', id },
        decision: decision === 'approve' ? 'allow' : 'deny',
        reason,
        data: { from: org.status, to: to[decision] },
      });
      return updated!;
    });
    await this.deps.changes?.notify('gateway').catch(() => {});
    return decided;
  }

  /** Organisations in good standing: the gateway serves only their credentials, subscriptions and APIs. */
  async activeOrganisationIds(): Promise<Set<string>> {
    const rows = await this.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.status, 'active'));
    return new Set(rows.map((row) => row.id));
  }

  approveOrganisation(principal: Principal, id: string, reason?: string) {
    return this.decideOrganisation(principal, id, 'approve', reason ?? null);
  }

  rejectOrganisation(principal: Principal, id: string, reason: string) {
    return this.decideOrganisation(principal, id, 'reject', reason);
  }

  suspendOrganisation(principal: Principal, id: string, reason: string) {
    return this.decideOrganisation(principal, id, 'suspend', reason);
  }

  /** Only an operator sets the location that cross-boundary rules rely on, and the ledger says who and when. */
  async verifyLocation(
    principal: Principal,
    id: string,
    location: Location,
    evidence?: string,
  ): Promise<Organisation> {
    requireKind(principal, 'operator');
    requireRole(principal, 'admin');
    const verified = await this.db.transaction(async (tx) => {
      const [org] = await tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
      if (!org) throw notFound(`organisation ${id}`);
      const now = this.deps.clock.now();
      const [updated] = await tx
        .update(organisations)
        .set({ location, locationVerifiedAt: now, locationVerifiedBy: principal.userId, updatedAt: now })
        .where(eq(organisations.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: id,
        action: 'organisation.location.verify',
        object: { type: 'organisation', id },
        reason: evidence ?? null,
        data: { from: org.location, to: location },
      });
      return updated!;
    });
    // The gateway's cross-boundary gate holds locations in its snapshot.
    await this.deps.changes?.notify('gateway').catch(() => {});
    return verified;
  }

  async updateProfile(
    principal: Principal,
    id: string,
    patch: { name?: string; sector?: string | null; description?: string | null; website?: string | null },
  ): Promise<Organisation> {
    const org = authorize(principal, { orgId: id }, `organisation ${id}`, { operatorMay: true });
    if (org.orgId === principal.orgId) requireRole(principal, 'admin');
    return this.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(organisations)
        .set({ ...patch, updatedAt: this.deps.clock.now() })
        .where(eq(organisations.id, id))
        .returning();
      if (!updated) throw notFound(`organisation ${id}`);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: id,
        action: 'organisation.update',
        object: { type: 'organisation', id },
        data: { fields: Object.keys(patch) },
      });
      return updated;
    });
  }

  // ---- sign-in -------------------------------------------------------------------------------

  private async membershipsOf(db: Executor, userId: string) {
    return db
      .select({ org: organisations, role: memberships.role })
      .from(memberships)
      .innerJoin(organisations, eq(memberships.orgId, organisations.id))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt));
  }

  /** Picks the organisation a session acts for: the requested one, else the first active one. */
  private chooseOrg(list: { org: Organisation; role: OrgRole }[], orgId: string | undefined) {
    if (orgId) return list.find((m) => m.org.id === orgId);
    return list.find((m) => m.org.status === 'active') ?? list[0];
  }

  /**
   * Signs in with e-mail and password. Failures are throttled per e-mail and per IP
   * (./throttle.ts); a throttled attempt is refused before the password is checked, even a right
   * one, and is not written to the ledger, so nobody can fill the ledger by hammering the login.
   */
  async login(input: { email: string; password: string; orgId?: string }, context: { ip?: string } = {}) {
    const email = normaliseEmail(input.email);
    const attempt = { email, ip: context.ip };
    await this.loginThrottle.check(attempt);
    const [user] = await this.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    const passwordOk = await verifyPassword(
      user?.passwordHash ?? (await decoyPasswordHash()),
      input.password,
    );
    const chosen =
      user && passwordOk
        ? this.chooseOrg(await this.membershipsOf(this.db, user.id), input.orgId)
        : undefined;
    if (!user || !passwordOk || user.disabledAt || !chosen) {
      // Only a wrong e-mail or password is a guess; a right password for a disabled user is not.
      if (!user || !passwordOk) await this.loginThrottle.recordFailure(attempt);
      await this.deps.audit.record({
        actor: { type: 'anonymous', id: user?.id ?? null },
        action: 'session.create',
        object: { type: 'user', id: user?.id ?? null },
        decision: 'deny',
        reason:
          !user || !passwordOk
            ? 'wrong e-mail or password'
            : user.disabledAt
              ? 'user disabled'
              : 'no such membership',
        data: { email, ip: context.ip ?? null },
      });
      throw new AppError('invalid-credentials');
    }
    const session = await this.db.transaction(async (tx) => {
      await this.loginThrottle.clear(tx, email);
      return this.openSession(tx, user.id, chosen.org.id, { ip: context.ip ?? null });
    });
    return { ...session, user, organisation: chosen.org, role: chosen.role };
  }

  /**
   * A session ends at the first of two times: its absolute lifetime after sign-in (`createdAt` +
   * STP_SESSION_TTL_HOURS), or STP_SESSION_IDLE_MINUTES after it was last used. `expiresAt` holds the
   * earlier of the two and moves on as the session is used (OWASP Session Management: idle and
   * absolute timeouts), so a session left open on a shared machine does not last the working day.
   */
  private sessionDeadline(createdAt: Date, now: Date): { idle: Date; absolute: Date } {
    const absolute = new Date(createdAt.getTime() + this.deps.sessionTtlHours * 3_600_000);
    const idle = new Date(
      Math.min(now.getTime() + this.deps.sessionIdleMinutes * 60_000, absolute.getTime()),
    );
    return { idle, absolute };
  }

  /**
   * A new browser session and its ledger entry, inside the caller's transaction. The `expiresAt` it
   * returns (for the cookie) is the absolute end; unused, the session ends sooner.
   */
  private async openSession(tx: Tx, userId: string, orgId: string, data: Record<string, unknown>) {
    const { secret, hash } = newSecret(sessionPrefix);
    const now = this.deps.clock.now();
    const { idle, absolute } = this.sessionDeadline(now, now);
    const sessionId = newId('session');
    await tx
      .insert(sessions)
      .values({ id: sessionId, secretHash: hash, userId, orgId, expiresAt: idle, createdAt: now });
    await this.deps.audit.append(tx, {
      actor: { type: 'user', id: userId },
      orgId,
      action: 'session.create',
      object: { type: 'session', id: sessionId },
      data,
    });
    return { secret, expiresAt: absolute, sessionId };
  }

  /**
   * Signs in a person an identity provider has vouched for (the caller verified the ID token and
   * mapped it to an organisation and role). A first sign-in provisions the user and membership; a
   * known provider account (issuer + `sub`) is the same user every time. Everything, the session
   * included, is written in one transaction with its ledger entries, so a refusal leaves nothing.
   */
  async signInWithIdentityProvider(
    identity: VerifiedIdentity,
    context: { ip?: string } = {},
  ): Promise<{
    secret: string;
    expiresAt: Date;
    sessionId: string;
    user: User;
    organisation: Organisation;
    role: OrgRole;
  }> {
    const email = normaliseEmail(identity.email);
    const via = { method: 'oidc', providerId: identity.providerId };
    return this.db.transaction(async (tx) => {
      const [organisation] = await tx
        .select()
        .from(organisations)
        .where(eq(organisations.id, identity.orgId));
      if (!organisation || organisation.status === 'rejected') {
        throw new AppError('sso-user-unmapped', `the mapped organisation ${identity.orgId} cannot be joined`);
      }
      const [link] = await tx
        .select({ user: users })
        .from(identityLinks)
        .innerJoin(users, eq(identityLinks.userId, users.id))
        .where(
          and(eq(identityLinks.providerId, identity.providerId), eq(identityLinks.subject, identity.subject)),
        );
      let user = link?.user;
      if (!user) {
        const [existing] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email}`);
        if (existing && !identity.mayLinkByEmail) {
          // Otherwise any provider that can assert an address could take over that account.
          throw new AppError(
            'forbidden',
            `an account with ${email} exists and this provider is not authoritative for its domain`,
          );
        }
        if (existing) {
          user = existing;
        } else {
          [user] = await tx
            .insert(users)
            .values({ id: newId('user'), email, name: identity.name.trim() || email, passwordHash: null })
            .returning();
          await this.deps.audit.append(tx, {
            actor: { type: 'system' },
            orgId: organisation.id,
            action: 'user.create',
            object: { type: 'user', id: user!.id },
            data: { email, ...via },
          });
        }
        await tx
          .insert(identityLinks)
          .values({ providerId: identity.providerId, subject: identity.subject, userId: user!.id });
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: organisation.id,
          action: 'identity-link.create',
          object: { type: 'user', id: user!.id },
          data: { ...via, subject: identity.subject },
        });
      }
      if (user!.disabledAt) throw new AppError('forbidden', 'this user is disabled');
      const [member] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, organisation.id), eq(memberships.userId, user!.id)));
      // An existing member keeps the role their organisation gave them; the mapping only seeds it.
      const role = member?.role ?? identity.role;
      if (!member) {
        await tx.insert(memberships).values({ orgId: organisation.id, userId: user!.id, role });
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: organisation.id,
          action: 'membership.create',
          object: { type: 'user', id: user!.id },
          data: { email, role, ...via },
        });
      }
      const session = await this.openSession(tx, user!.id, organisation.id, {
        ...via,
        ip: context.ip ?? null,
      });
      return { ...session, user: user!, organisation, role };
    });
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.type !== 'session' || !principal.sessionId) return;
    const sessionId = principal.sessionId;
    await this.db.transaction(async (tx) => {
      await tx.delete(sessions).where(eq(sessions.id, sessionId));
      await this.deps.audit.append(tx, {
        actor: { type: 'user', id: principal.userId },
        orgId: principal.orgId,
        action: 'session.delete',
        object: { type: 'session', id: sessionId },
      });
    });
  }

  async switchOrganisation(principal: Principal, orgId: string): Promise<Principal> {
    if (principal.type !== 'session' || !principal.sessionId) {
      throw new AppError('forbidden', 'a token is bound to one organisation; sign in to switch');
    }
    const chosen = (await this.membershipsOf(this.db, principal.userId)).find((m) => m.org.id === orgId);
    if (!chosen) throw notFound(`organisation ${orgId}`);
    await this.db.update(sessions).set({ orgId }).where(eq(sessions.id, principal.sessionId));
    return {
      ...principal,
      orgId,
      orgKinds: chosen.org.kinds,
      orgStatus: chosen.org.status,
      role: chosen.role,
    };
  }

  async principalFor(
    type: Principal['type'],
    userId: string,
    orgId: string,
    ids: { sessionId?: string; tokenId?: string },
  ): Promise<Principal | null> {
    const [row] = await this.db
      .select({ user: users, org: organisations, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(memberships.userId, users.id))
      .innerJoin(organisations, eq(memberships.orgId, organisations.id))
      .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)));
    return principalOf(type, userId, orgId, row, ids);
  }

  /**
   * Resolves a session cookie or a bearer token to a principal; null when unknown, expired or revoked.
   * The session (or token) and the membership it acts in are read in one statement: every request
   * pays this, and the membership is read afresh each time (a removed member or a disabled user is
   * refused on the very next request).
   */
  async authenticate(secret: string): Promise<Principal | null> {
    const now = this.deps.clock.now();
    const hash = hashSecret(secret);
    if (secret.startsWith(sessionPrefix)) {
      const [row] = await this.db
        .select({ session: sessions, user: users, org: organisations, role: memberships.role })
        .from(sessions)
        .leftJoin(
          memberships,
          and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)),
        )
        .leftJoin(users, eq(users.id, memberships.userId))
        .leftJoin(organisations, eq(organisations.id, memberships.orgId))
        .where(eq(sessions.secretHash, hash));
      const session = row?.session;
      if (!session || session.expiresAt <= now) return null;
      const { idle, absolute } = this.sessionDeadline(session.createdAt, now);
      if (absolute <= now) return null;
      const principal = principalOf('session', session.userId, session.orgId, row, {
        sessionId: session.id,
      });
      // Slide the idle deadline on (a minute's precision will do; it also brings a session opened
      // before idle expiry existed, or under a longer setting, into line).
      if (principal && Math.abs(idle.getTime() - session.expiresAt.getTime()) > touchIntervalMs) {
        await this.db.update(sessions).set({ expiresAt: idle }).where(eq(sessions.id, session.id));
      }
      return principal;
    }
    if (secret.startsWith(tokenPrefix)) {
      const [row] = await this.db
        .select({ token: personalTokens, user: users, org: organisations, role: memberships.role })
        .from(personalTokens)
        .leftJoin(
          memberships,
          and(eq(memberships.userId, personalTokens.userId), eq(memberships.orgId, personalTokens.orgId)),
        )
        .leftJoin(users, eq(users.id, memberships.userId))
        .leftJoin(organisations, eq(organisations.id, memberships.orgId))
        .where(eq(personalTokens.secretHash, hash));
      const token = row?.token;
      if (!token || token.revokedAt || this.tokenExpiresAt(token) <= now) return null;
      const principal = principalOf('token', token.userId, token.orgId, row, { tokenId: token.id });
      // Last use is a hint for people cleaning up tokens, not evidence: a minute's precision will do.
      if (principal && (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > touchIntervalMs)) {
        await this.db.update(personalTokens).set({ lastUsedAt: now }).where(eq(personalTokens.id, token.id));
      }
      return principal;
    }
    return null;
  }

  async me(principal: Principal) {
    const [user] = await this.db.select().from(users).where(eq(users.id, principal.userId));
    const list = await this.membershipsOf(this.db, principal.userId);
    const current = list.find((m) => m.org.id === principal.orgId);
    return { user: user!, organisation: current!.org, role: principal.role, memberships: list };
  }

  // ---- account self-service ------------------------------------------------------------------

  /** A person edits their own profile: the name others see (the e-mail is the sign-in and stays). */
  async updateMe(principal: Principal, patch: { name: string }) {
    const name = patch.name.trim();
    if (!name) throw validationFailed('body/name', 'a name needs at least one character that is not a space');
    await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(users).where(eq(users.id, principal.userId)).for('update');
      if (!before) throw notFound(`user ${principal.userId}`);
      await tx.update(users).set({ name }).where(eq(users.id, principal.userId));
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'user.update',
        object: { type: 'user', id: principal.userId },
        data: { fields: ['name'], from: { name: before.name }, to: { name } },
      });
    });
    return this.me(principal);
  }

  /**
   * A signed-in person changes their password, proving the current one first (so a session left
   * open on a shared machine cannot lock its owner out). Wrong current passwords count as failed
   * sign-ins of the account (./throttle.ts). Every other session of the person ends; this one stays,
   * since it just proved the password.
   */
  async changePassword(
    principal: Principal,
    input: { currentPassword: string; newPassword: string },
    context: { ip?: string } = {},
  ): Promise<{ sessionsEnded: number }> {
    if (principal.type !== 'session' || !principal.sessionId) {
      // A leaked token must not be able to take the account over.
      throw new AppError('forbidden', 'a password is changed from a signed-in session, not with a token');
    }
    const sessionId = principal.sessionId;
    const attempt = { email: normaliseEmail(principal.email), ip: context.ip };
    await this.loginThrottle.check(attempt);
    const [user] = await this.db.select().from(users).where(eq(users.id, principal.userId));
    if (!user) throw notFound(`user ${principal.userId}`);
    const isCurrent = await verifyPassword(
      user.passwordHash ?? (await decoyPasswordHash()),
      input.currentPassword,
    );
    if (!user.passwordHash || !isCurrent) {
      await this.loginThrottle.recordFailure(attempt);
      await this.deps.audit.record({
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'user.password.change',
        object: { type: 'user', id: principal.userId },
        decision: 'deny',
        reason: user.passwordHash ? 'wrong current password' : 'the account has no password',
        data: { ip: context.ip ?? null },
      });
      throw new AppError(
        'current-password-incorrect',
        user.passwordHash
          ? 'body/currentPassword: is not your current password'
          : 'body/currentPassword: this account signs in through single sign-on and has no password; use "forgotten password" to set one',
      );
    }
    await checkPasswordPolicy(input.newPassword, { email: user.email });
    const passwordHash = await hashPassword(input.newPassword);
    return this.db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
      const ended = await tx
        .delete(sessions)
        .where(and(eq(sessions.userId, user.id), sql`${sessions.id} <> ${sessionId}`))
        .returning({ id: sessions.id });
      await this.loginThrottle.clear(tx, attempt.email);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'user.password.change',
        object: { type: 'user', id: user.id },
        data: { sessionsEnded: ended.length, ip: context.ip ?? null },
      });
      return { sessionsEnded: ended.length };
    });
  }

  /**
   * Someone asks for a password-reset link. The caller learns nothing either way (OWASP Forgot
   * Password Cheat Sheet): the answer is the same for known and unknown addresses, requests are
   * throttled per address and per IP whether or not an account has the address, and the mail goes
   * out after the answer is decided, not before. The ledger says what happened, for operators.
   */
  async requestPasswordReset(input: { email: string }, context: { ip?: string } = {}): Promise<void> {
    const email = normaliseEmail(input.email);
    const attempt = { email, ip: context.ip };
    await this.resetThrottle.check(attempt);
    await this.resetThrottle.recordFailure(attempt);
    const [user] = await this.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    if (!user || user.disabledAt) {
      await this.deps.audit.record({
        actor: { type: 'anonymous' },
        action: 'password-reset.request',
        object: { type: 'user', id: user?.id ?? null },
        decision: 'deny',
        reason: user ? 'user disabled' : 'no account has this e-mail address',
        data: { email, ip: context.ip ?? null },
      });
      return;
    }
    const { secret, hash } = newSecret(passwordResetPrefix);
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + passwordResetTtlMinutes * 60_000);
    await this.db.transaction(async (tx) => {
      const id = newId('passwordReset');
      await tx
        .insert(passwordResets)
        .values({ id, userId: user.id, secretHash: hash, expiresAt, createdAt: now });
      await this.deps.audit.append(tx, {
        actor: { type: 'anonymous' },
        action: 'password-reset.request',
        object: { type: 'user', id: user.id },
        data: { email, ip: context.ip ?? null, resetId: id, expiresAt: expiresAt.toISOString() },
      });
    });
    // The token travels in the fragment: browsers do not send it to the server or in a Referer.
    const link = `${(this.deps.portalUrl ?? 'http://localhost:8080').replace(/\/+$/, '')}/reset-password#token=${secret}`;
    void this.deps.mailer?.send({
      to: user.email,
      subject: 'Reset your STP Platform password',
      text: [
        `Hello ${user.name},`,
        '',
        'Someone (we hope you) asked to reset the password of your STP Platform account.',
        `To choose a new password, open this link within ${passwordResetTtlMinutes} minutes:`,
        '',
        link,
        '',
        'The link works once. If you did not ask, ignore this mail: your password stays as it is.',
      ].join('\n'),
    });
  }

  /**
   * Sets a new password with a reset link's token. The token works once and for
   * `passwordResetTtlMinutes`; a weak password leaves it unspent, to try again. On success every
   * outstanding link of the person is spent and every session of theirs ends: whoever may have
   * been signed in with the old password is signed out.
   */
  async resetPassword(input: { token: string; password: string }): Promise<{ sessionsEnded: number }> {
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ reset: passwordResets, user: users })
        .from(passwordResets)
        .innerJoin(users, eq(users.id, passwordResets.userId))
        .where(eq(passwordResets.secretHash, hashSecret(input.token)))
        .for('update');
      if (!row || row.reset.usedAt || row.reset.expiresAt <= now || row.user.disabledAt) {
        throw new AppError('password-reset-invalid', 'ask for a new link from the sign-in page');
      }
      const { user } = row;
      await checkPasswordPolicy(input.password, { email: user.email });
      await tx
        .update(users)
        .set({ passwordHash: await hashPassword(input.password) })
        .where(eq(users.id, user.id));
      await tx
        .update(passwordResets)
        .set({ usedAt: now })
        .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
      const ended = await tx
        .delete(sessions)
        .where(eq(sessions.userId, user.id))
        .returning({ id: sessions.id });
      await this.loginThrottle.clear(tx, normaliseEmail(user.email));
      await this.deps.audit.append(tx, {
        actor: { type: 'user', id: user.id },
        action: 'password-reset.complete',
        object: { type: 'user', id: user.id },
        data: { resetId: row.reset.id, sessionsEnded: ended.length },
      });
      return { sessionsEnded: ended.length };
    });
  }

  /**
   * Display names for ledger readers: people (with the organisations they belong to, limited to
   * those the reader may see) and organisations, for a page of entries, in one statement.
   * Display only: the sealed entries keep the ids they were written with.
   */
  async ledgerNames(
    reader: Principal,
    ids: { userIds: string[]; orgIds: string[] },
  ): Promise<{
    people: Record<string, { name: string; organisations: { id: string; name: string }[] }>;
    organisations: Record<string, string>;
  }> {
    const people: Record<string, { name: string; organisations: { id: string; name: string }[] }> = {};
    const names: Record<string, string> = {};
    const userIds = [...new Set(ids.userIds)];
    const orgIds = [...new Set(ids.orgIds)];
    if (userIds.length === 0 && orgIds.length === 0) return { people, organisations: names };
    // Overseers see every membership; anyone else only their own organisation and the platform's
    // operators and regulators, whose staff act on every organisation.
    const membershipVisible = isOverseer(reader)
      ? sql`true`
      : sql`(${organisations.id} = ${reader.orgId} or 'operator' = any(${organisations.kinds}) or 'regulator' = any(${organisations.kinds}))`;
    const personRows = this.db
      .select({
        kind: sql<string>`'user'`.as('kind'),
        id: users.id,
        name: users.name,
        orgId: organisations.id,
        orgName: organisations.name,
      })
      .from(users)
      .leftJoin(memberships, eq(memberships.userId, users.id))
      .leftJoin(organisations, and(eq(organisations.id, memberships.orgId), membershipVisible))
      .where(userIds.length > 0 ? inArray(users.id, userIds) : sql`false`);
    const orgRows = this.db
      .select({
        kind: sql<string>`'organisation'`.as('kind'),
        id: organisations.id,
        name: organisations.name,
        orgId: sql<string | null>`null`.as('org_id'),
        orgName: sql<string | null>`null`.as('org_name'),
      })
      .from(organisations)
      .where(orgIds.length > 0 ? inArray(organisations.id, orgIds) : sql`false`);
    const rows = await personRows.unionAll(orgRows);
    for (const row of rows) {
      if (row.kind === 'organisation') {
        names[row.id] = row.name;
        continue;
      }
      people[row.id] ??= { name: row.name, organisations: [] };
      const person = people[row.id]!;
      if (row.orgId && row.orgName) person.organisations.push({ id: row.orgId, name: row.orgName });
    }
    return { people, organisations: names };
  }

  // ---- personal access tokens ----------------------------------------------------------------

  /**
   * When a token stops working. Tokens made before expiry was required have none stored: they end
   * the longest lifetime after they were made, like a token made today could.
   */
  private tokenExpiresAt(token: { expiresAt: Date | null; createdAt: Date }): Date {
    return token.expiresAt ?? new Date(token.createdAt.getTime() + tokenLifetimeDays.max * dayMs);
  }

  async createToken(principal: Principal, input: { name: string; expiresInDays?: number }) {
    if (principal.type !== 'session') {
      // A leaked token must not be able to mint more tokens.
      throw new AppError('forbidden', 'tokens are created from a signed-in session, not with another token');
    }
    const days = input.expiresInDays ?? tokenLifetimeDays.default;
    if (!Number.isInteger(days) || days < 1 || days > tokenLifetimeDays.max) {
      throw validationFailed(
        'body/expiresInDays',
        `a token lives 1 to ${tokenLifetimeDays.max} days (${tokenLifetimeDays.default} when not given)`,
      );
    }
    const { secret, hash } = newSecret(tokenPrefix);
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + days * dayMs);
    return this.db.transaction(async (tx) => {
      const [token] = await tx
        .insert(personalTokens)
        .values({
          id: newId('token'),
          userId: principal.userId,
          orgId: principal.orgId,
          name: input.name,
          prefix: secret.slice(0, visiblePrefixLength),
          secretHash: hash,
          expiresAt,
        })
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'token.create',
        object: { type: 'token', id: token!.id },
        data: { name: input.name, expiresAt: expiresAt.toISOString() },
      });
      return { token: token!, secret };
    });
  }

  async listTokens(principal: Principal) {
    return this.db
      .select()
      .from(personalTokens)
      .where(and(eq(personalTokens.userId, principal.userId), eq(personalTokens.orgId, principal.orgId)))
      .orderBy(desc(personalTokens.createdAt));
  }

  async revokeToken(principal: Principal, id: string) {
    return this.db.transaction(async (tx) => {
      const [token] = await tx
        .select()
        .from(personalTokens)
        .where(and(eq(personalTokens.id, id), eq(personalTokens.userId, principal.userId)));
      authorize(principal, token, `token ${id}`);
      if (token!.revokedAt) return token!;
      const [revoked] = await tx
        .update(personalTokens)
        .set({ revokedAt: this.deps.clock.now() })
        .where(eq(personalTokens.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'token.revoke',
        object: { type: 'token', id },
      });
      return revoked!;
    });
  }

  // ---- members and invitations ---------------------------------------------------------------

  async listMembers(principal: Principal, orgId: string) {
    authorize(principal, { orgId }, `organisation ${orgId}`, { operatorMay: true });
    return this.db
      .select({ user: users, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(memberships.userId, users.id))
      .where(eq(memberships.orgId, orgId))
      .orderBy(asc(users.email));
  }

  async invite(principal: Principal, orgId: string, input: { email: string; role: OrgRole }) {
    authorize(principal, { orgId }, `organisation ${orgId}`);
    requireRole(principal, 'admin');
    if (input.role === 'owner' && !hasRole(principal, 'owner')) {
      throw new AppError('forbidden', 'only an owner can invite another owner');
    }
    const { secret, hash } = newSecret(invitationPrefix);
    const email = normaliseEmail(input.email);
    const expiresAt = new Date(this.deps.clock.now().getTime() + invitationTtlDays * 86_400_000);
    return this.db.transaction(async (tx) => {
      const [invitation] = await tx
        .insert(invitations)
        .values({
          id: newId('invitation'),
          orgId,
          email,
          role: input.role,
          secretHash: hash,
          invitedBy: principal.userId,
          expiresAt,
        })
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId,
        action: 'invitation.create',
        object: { type: 'invitation', id: invitation!.id },
        data: { email, role: input.role },
      });
      return { invitation: invitation!, secret };
    });
  }

  async listInvitations(principal: Principal, orgId: string) {
    authorize(principal, { orgId }, `organisation ${orgId}`);
    requireRole(principal, 'admin');
    return this.db
      .select()
      .from(invitations)
      .where(eq(invitations.orgId, orgId))
      .orderBy(desc(invitations.createdAt));
  }

  async revokeInvitation(principal: Principal, orgId: string, id: string) {
    authorize(principal, { orgId }, `organisation ${orgId}`);
    requireRole(principal, 'admin');
    return this.db.transaction(async (tx) => {
      const [invitation] = await tx
        .update(invitations)
        .set({ revokedAt: this.deps.clock.now() })
        .where(and(eq(invitations.id, id), eq(invitations.orgId, orgId), isNull(invitations.acceptedAt)))
        .returning();
      if (!invitation) throw notFound(`invitation ${id}`);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId,
        action: 'invitation.revoke',
        object: { type: 'invitation', id },
      });
      return invitation;
    });
  }

  /**
   * Accepting an invitation joins its organisation. A newcomer sets a name and password; someone
   * who already has an account proves it with their password. The invitation is single-use.
   */
  async acceptInvitation(input: { token: string; name?: string; password: string }) {
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [invitation] = await tx
        .select()
        .from(invitations)
        .where(eq(invitations.secretHash, hashSecret(input.token)))
        .for('update');
      if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) {
        throw new AppError('invitation-invalid');
      }
      let [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${invitation.email}`);
      if (user) {
        if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) {
          throw new AppError(
            'invalid-credentials',
            'this e-mail has an account: give its password to accept',
          );
        }
      } else {
        if (!input.name) throw new AppError('validation-failed', 'body/name is required for a new account');
        user = await this.insertUser(tx, {
          email: invitation.email,
          name: input.name,
          password: input.password,
        });
      }
      const [existing] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, user.id)));
      if (existing) throw new AppError('already-exists', 'you are already a member of this organisation');
      await tx
        .insert(memberships)
        .values({ orgId: invitation.orgId, userId: user.id, role: invitation.role });
      await tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invitation.id));
      await this.deps.audit.append(tx, {
        actor: { type: 'user', id: user.id },
        orgId: invitation.orgId,
        action: 'invitation.accept',
        object: { type: 'invitation', id: invitation.id },
        data: { role: invitation.role },
      });
      return { user, orgId: invitation.orgId, role: invitation.role };
    });
  }

  private async ownerCount(tx: Tx, orgId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
    return row?.n ?? 0;
  }

  async changeRole(principal: Principal, orgId: string, userId: string, role: OrgRole) {
    authorize(principal, { orgId }, `organisation ${orgId}`);
    requireRole(principal, 'admin');
    return this.db.transaction(async (tx) => {
      const [member] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
        .for('update');
      if (!member) throw notFound(`member ${userId}`);
      if ((role === 'owner' || member.role === 'owner') && !hasRole(principal, 'owner')) {
        throw new AppError('forbidden', 'only an owner can grant or take the owner role');
      }
      if (member.role === 'owner' && role !== 'owner' && (await this.ownerCount(tx, orgId)) <= 1) {
        throw conflict('an organisation keeps at least one owner');
      }
      await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId,
        action: 'membership.update',
        object: { type: 'user', id: userId },
        data: { from: member.role, to: role },
      });
      return { ...member, role };
    });
  }

  async removeMember(principal: Principal, orgId: string, userId: string) {
    authorize(principal, { orgId }, `organisation ${orgId}`);
    if (userId !== principal.userId) requireRole(principal, 'admin');
    await this.db.transaction(async (tx) => {
      const [member] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
        .for('update');
      if (!member) throw notFound(`member ${userId}`);
      if (member.role === 'owner' && userId !== principal.userId && !hasRole(principal, 'owner')) {
        throw new AppError('forbidden', 'only an owner can remove an owner');
      }
      if (member.role === 'owner' && (await this.ownerCount(tx, orgId)) <= 1) {
        throw conflict('an organisation keeps at least one owner');
      }
      await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
      // Their sessions and tokens for this organisation stop working with the membership.
      await tx.delete(sessions).where(and(eq(sessions.orgId, orgId), eq(sessions.userId, userId)));
      await tx
        .update(personalTokens)
        .set({ revokedAt: this.deps.clock.now() })
        .where(
          and(
            eq(personalTokens.orgId, orgId),
            eq(personalTokens.userId, userId),
            isNull(personalTokens.revokedAt),
          ),
        );
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId,
        action: 'membership.delete',
        object: { type: 'user', id: userId },
        data: { role: member.role },
      });
    });
  }

  async listUsers(principal: Principal, query: { cursor?: string; limit: number; email?: string }) {
    requireKind(principal, 'operator');
    const conditions: SQL[] = [];
    if (query.cursor) conditions.push(gt(users.id, query.cursor));
    if (query.email) conditions.push(sql`lower(${users.email}) = ${normaliseEmail(query.email)}`);
    const rows = await this.db
      .select()
      .from(users)
      .where(and(...conditions))
      .orderBy(asc(users.id))
      .limit(query.limit + 1);
    return pageOf(rows, query.limit, (row) => row.id);
  }

  // ---- bootstrap -----------------------------------------------------------------------------

  /**
   * Makes sure an operator organisation and its first admin exist. Idempotent: on a database
   * that has them it changes nothing. Returns the password when it generated one, to print once.
   */
  async bootstrapOperator(input: { email: string; password: string }): Promise<{ created: boolean }> {
    const [existing] = await this.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(sql`'operator' = any(${organisations.kinds})`)
      .limit(1);
    if (existing) return { created: false };
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${0x5354_5003})`);
      const [again] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(sql`'operator' = any(${organisations.kinds})`)
        .limit(1);
      if (again) return;
      const organisation = await this.insertOrganisation(
        tx,
        {
          name: 'STP Platform Operations',
          slug: 'stp-operations',
          kinds: ['operator'],
          sector: 'Platform operator',
          description: 'Runs the STP Platform for the science park community.',
        },
        'active',
      );
      const now = this.deps.clock.now();
      await tx
        .update(organisations)
        .set({ location: 'hong-kong', locationVerifiedAt: now })
        .where(eq(organisations.id, organisation.id));
      const user = await this.insertUser(tx, {
        email: input.email,
        name: 'Platform administrator',
        password: input.password,
      });
      await tx.insert(memberships).values({ orgId: organisation.id, userId: user.id, role: 'owner' });
      await this.deps.audit.append(tx, {
        actor: { type: 'system' },
        orgId: organisation.id,
        action: 'platform.bootstrap',
        object: { type: 'organisation', id: organisation.id },
        data: { adminUserId: user.id },
      });
    });
    return { created: true };
  }

  /**
   * An operator provisions an account directly into an organisation (seeding, support). Ordinary
   * members join through invitations instead, which let the person set their own password.
   */
  async provisionMember(
    principal: Principal,
    orgId: string,
    input: NewUserInput & { role: OrgRole },
  ): Promise<User> {
    requireKind(principal, 'operator');
    return this.db.transaction(async (tx) => {
      const user = await this.insertUser(tx, input);
      await tx.insert(memberships).values({ orgId, userId: user.id, role: input.role });
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId,
        action: 'membership.create',
        object: { type: 'user', id: user.id },
        data: { email: user.email, role: input.role },
      });
      return user;
    });
  }

  /** For seeding and tests: finds an organisation by slug, whoever asks. */
  async findOrganisationBySlug(slug: string): Promise<Organisation | undefined> {
    const [org] = await this.db.select().from(organisations).where(eq(organisations.slug, slug));
    return org;
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const [user] = await this.db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${normaliseEmail(email)}`);
    return user;
  }

  async organisationsByIds(ids: string[]): Promise<Organisation[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(organisations).where(inArray(organisations.id, ids));
  }
}

/**
 * A principal from a membership row with its user and organisation (null parts: no membership),
 * or null when there is no membership, the user is disabled or the organisation was rejected.
 */
function principalOf(
  type: Principal['type'],
  userId: string,
  orgId: string,
  row:
    | {
        user: typeof users.$inferSelect | null;
        org: typeof organisations.$inferSelect | null;
        role: Principal['role'] | null;
      }
    | undefined,
  ids: { sessionId?: string; tokenId?: string },
): Principal | null {
  if (!row?.user || !row.org || !row.role || row.user.disabledAt || row.org.status === 'rejected')
    return null;
  return {
    type,
    userId,
    email: row.user.email,
    orgId,
    orgKinds: row.org.kinds,
    orgStatus: row.org.status,
    role: row.role,
    ...ids,
  };
}
