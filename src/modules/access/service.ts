import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import type { AuditLedger } from '../audit/service.js';
import type { EventPublisher, EventType } from '../community/events.js';
import { authorize, isOperator, type Principal, requireKind, requireRole } from '../identity/principal.js';
import { hashSecret, newSecret } from '../identity/secrets.js';
import type { SnapshotCredential, SnapshotSubscription } from './gateway-view.js';
import { type CredentialKind, credentials, plans, type SubscriptionState, subscriptions } from './schema.js';

export type Plan = typeof plans.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Credential = typeof credentials.$inferSelect;

/** What access needs to know of an API: who owns it and whether the caller may see it. */
export interface ApiDirectory {
  /** The API if the principal may see it; throws not-found otherwise. */
  visibleApi(principal: Principal, apiId: string): Promise<{ id: string; orgId: string; slug: string }>;
  /** Slugs of these APIs (for OAuth2 scopes `api:{slug}`). */
  slugs(apiIds: string[]): Promise<string[]>;
}

export interface PlanInput {
  name: string;
  description?: string;
  rateLimitPerSecond: number;
  burst: number;
  monthlyQuota?: number | null;
  requiresApproval: boolean;
  includedTags?: string[];
  includedPaths?: string[];
}

/**
 * Subscription states and who may move them. `pending → active | rejected` is the provider's
 * decision; `active ⇄ suspended` the provider's; `revoked` ends it for good and either side may.
 */
const transitions: Record<
  'approve' | 'reject' | 'suspend' | 'resume' | 'revoke',
  { from: SubscriptionState[]; to: SubscriptionState; by: 'provider' | 'either' }
> = {
  approve: { from: ['pending'], to: 'active', by: 'provider' },
  reject: { from: ['pending'], to: 'rejected', by: 'provider' },
  suspend: { from: ['active'], to: 'suspended', by: 'provider' },
  resume: { from: ['suspended'], to: 'active', by: 'provider' },
  revoke: { from: ['pending', 'active', 'suspended'], to: 'revoked', by: 'either' },
};
export type SubscriptionDecision = keyof typeof transitions;

const credentialPrefixes: Record<CredentialKind, string> = {
  'api-key': 'stp_key_',
  'oauth-client': 'stp_cs_',
};
const visiblePrefix = 14;
/** Longest grace a rotated secret may keep working: long enough to roll a fleet, short enough to matter. */
export const maxRotationGraceSeconds = 30 * 86_400;

/** The event each decision publishes (its audience, from the catalogue, says who hears it). */
const decisionEvents = {
  approve: 'subscription.approved',
  reject: 'subscription.rejected',
  suspend: 'subscription.suspended',
  resume: 'subscription.resumed',
  revoke: 'subscription.revoked',
} as const satisfies Record<SubscriptionDecision, EventType>;

function subscriptionFacts(row: Subscription) {
  return {
    subscriptionId: row.id,
    apiId: row.apiId,
    planId: row.planId,
    consumerOrgId: row.orgId,
    providerOrgId: row.providerOrgId,
    endsAt: row.endsAt?.toISOString() ?? null,
  };
}

export class AccessService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      changes: ChangeFeed;
      apis: ApiDirectory;
      /** Tells the parties of each subscription decision, in the decision's transaction. */
      events: EventPublisher;
    },
  ) {}

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  /**
   * Tells the gateway to rebuild its snapshot; after commit, so it never sees uncommitted state.
   * Best effort: the change is committed either way, and the gateway's periodic reload catches up.
   */
  private async changed() {
    await this.deps.changes.notify('gateway').catch(() => {});
  }

  // ---- plans ---------------------------------------------------------------------------------

  private async ownedApi(principal: Principal, apiId: string) {
    const api = await this.deps.apis.visibleApi(principal, apiId);
    authorize(principal, api, `api ${apiId}`);
    requireRole(principal, 'admin');
    return api;
  }

  async createPlan(principal: Principal, apiId: string, input: PlanInput): Promise<Plan> {
    const api = await this.ownedApi(principal, apiId);
    return this.insertPlan(this.db, principal, api, input);
  }

  /**
   * A plan for an API a flow of another module has just created in its own transaction `tx` (a
   * published lab model): the catalogue checked the principal owns it there, and this connection
   * cannot see it before the commit, so the API is taken as given. The caller notifies the gateway
   * after its commit.
   */
  async createPlanIn(
    tx: Tx,
    principal: Principal,
    api: { id: string; orgId: string },
    input: PlanInput,
  ): Promise<Plan> {
    authorize(principal, api, `api ${api.id}`);
    requireRole(principal, 'admin');
    return this.insertPlan(tx, principal, api, input);
  }

  private async insertPlan(
    executor: Db | Tx,
    principal: Principal,
    api: { id: string; orgId: string },
    input: PlanInput,
  ): Promise<Plan> {
    return executor.transaction(async (tx) => {
      const [plan] = await tx
        .insert(plans)
        .values({
          id: newId('plan'),
          apiId: api.id,
          orgId: api.orgId,
          name: input.name,
          description: input.description ?? null,
          rateLimitPerSecond: input.rateLimitPerSecond,
          burst: input.burst,
          monthlyQuota: input.monthlyQuota ?? null,
          requiresApproval: input.requiresApproval,
          includedTags: input.includedTags ?? [],
          includedPaths: input.includedPaths ?? [],
        })
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: api.orgId,
        action: 'plan.create',
        object: { type: 'plan', id: plan!.id },
        data: { apiId: api.id, ...input },
      });
      return plan!;
    });
  }

  async updatePlan(principal: Principal, planId: string, patch: Partial<PlanInput>): Promise<Plan> {
    const plan = await this.getPlanOwned(principal, planId);
    const updated = await this.db.transaction(async (tx) => {
      const [row] = await tx.update(plans).set(patch).where(eq(plans.id, plan.id)).returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: plan.orgId,
        action: 'plan.update',
        object: { type: 'plan', id: plan.id },
        data: patch,
      });
      return row!;
    });
    await this.changed();
    return updated;
  }

  async archivePlan(principal: Principal, planId: string): Promise<Plan> {
    const plan = await this.getPlanOwned(principal, planId);
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(plans)
        .set({ archivedAt: this.deps.clock.now() })
        .where(eq(plans.id, plan.id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: plan.orgId,
        action: 'plan.archive',
        object: { type: 'plan', id: plan.id },
      });
      return row!;
    });
  }

  private async getPlanOwned(principal: Principal, planId: string): Promise<Plan> {
    const [plan] = await this.db.select().from(plans).where(eq(plans.id, planId));
    authorize(principal, plan, `plan ${planId}`);
    requireRole(principal, 'admin');
    return plan!;
  }

  /** Plans of an API the caller may see (archived ones only for the owner). */
  async listPlans(principal: Principal, apiId: string): Promise<Plan[]> {
    const api = await this.deps.apis.visibleApi(principal, apiId);
    const rows = await this.db.select().from(plans).where(eq(plans.apiId, api.id)).orderBy(plans.createdAt);
    return api.orgId === principal.orgId ? rows : rows.filter((plan) => !plan.archivedAt);
  }

  async getPlan(principal: Principal, planId: string): Promise<Plan> {
    const [plan] = await this.db.select().from(plans).where(eq(plans.id, planId));
    if (!plan) throw notFound(`plan ${planId}`);
    await this.deps.apis.visibleApi(principal, plan.apiId).catch(() => {
      throw notFound(`plan ${planId}`);
    });
    return plan;
  }

  // ---- subscriptions -------------------------------------------------------------------------

  /** A consumer organisation subscribes to a plan: active at once, or pending the provider's approval. */
  async subscribe(principal: Principal, planId: string): Promise<Subscription> {
    requireKind(principal, 'consumer');
    const plan = await this.getPlan(principal, planId);
    if (plan.archivedAt) throw conflict(`plan ${planId} is archived`);
    const subscription = await this.db.transaction(async (tx) => {
      const [open] = await tx
        .select({ id: subscriptions.id, state: subscriptions.state })
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.orgId, principal.orgId),
            eq(subscriptions.apiId, plan.apiId),
            inArray(subscriptions.state, ['pending', 'active', 'suspended']),
          ),
        );
      if (open)
        throw new AppError(
          'already-exists',
          `your organisation already has subscription ${open.id} (${open.state}) to this API`,
        );
      const state: SubscriptionState = plan.requiresApproval ? 'pending' : 'active';
      const [row] = await tx
        .insert(subscriptions)
        .values({
          id: newId('subscription'),
          apiId: plan.apiId,
          planId: plan.id,
          orgId: principal.orgId,
          providerOrgId: plan.orgId,
          state,
          requestedBy: principal.userId,
        })
        .returning()
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            throw new AppError(
              'already-exists',
              'your organisation already has an open subscription to this API',
            );
          }
          throw error;
        });
      await this.deps.audit.append(tx, [
        {
          actor: this.actor(principal),
          orgId: principal.orgId,
          action: 'subscription.request',
          object: { type: 'subscription', id: row!.id },
          data: { planId: plan.id, apiId: plan.apiId, providerOrgId: plan.orgId },
        },
        ...(state === 'active'
          ? [
              {
                actor: { type: 'system' },
                orgId: plan.orgId,
                action: 'subscription.approve' as const,
                object: { type: 'subscription', id: row!.id },
                reason: 'plan needs no approval',
                data: { consumerOrgId: principal.orgId },
              },
            ]
          : []),
      ]);
      if (state === 'active') {
        await this.deps.events.publish(tx, 'subscription.approved', {
          to: { consumer: row!.orgId, provider: row!.providerOrgId },
          objectId: row!.id,
          title: 'Subscription active',
          body: `Subscription ${row!.id} to plan ${plan.name} is active (the plan needs no approval).`,
          data: subscriptionFacts(row!),
        });
      } else {
        await this.deps.events.publish(tx, 'subscription.requested', {
          to: { provider: row!.providerOrgId },
          objectId: row!.id,
          title: 'A new subscription request',
          body: `An organisation subscribed to plan ${plan.name}; it awaits your approval.`,
          data: subscriptionFacts(row!),
        });
      }
      return row!;
    });
    await this.changed();
    return subscription;
  }

  /** Both sides find a subscription by their own organisation; anyone else gets not-found. */
  private visibleSubscription(principal: Principal): SQL | undefined {
    if (isOperator(principal)) return undefined;
    return or(eq(subscriptions.orgId, principal.orgId), eq(subscriptions.providerOrgId, principal.orgId));
  }

  async getSubscription(principal: Principal, id: string): Promise<Subscription> {
    const [row] = await this.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.id, id), this.visibleSubscription(principal)));
    if (!row) throw notFound(`subscription ${id}`);
    return row;
  }

  async listSubscriptions(
    principal: Principal,
    query: { as?: 'consumer' | 'provider'; state?: SubscriptionState; apiId?: string },
  ): Promise<Subscription[]> {
    const conditions: (SQL | undefined)[] = [];
    if (query.as === 'consumer') conditions.push(eq(subscriptions.orgId, principal.orgId));
    else if (query.as === 'provider') conditions.push(eq(subscriptions.providerOrgId, principal.orgId));
    else conditions.push(this.visibleSubscription(principal));
    if (query.state) conditions.push(eq(subscriptions.state, query.state));
    if (query.apiId) conditions.push(eq(subscriptions.apiId, query.apiId));
    return this.db
      .select()
      .from(subscriptions)
      .where(and(...conditions))
      .orderBy(desc(subscriptions.createdAt))
      .limit(500);
  }

  /**
   * A provider's (or, for revoke, either side's) decision. Approving may set `endsAt`, when access
   * ends: the lifecycle sweep then expires the subscription and the gateway refuses its calls.
   */
  async decide(
    principal: Principal,
    id: string,
    decision: SubscriptionDecision,
    reason?: string,
    endsAt?: Date,
  ): Promise<Subscription> {
    const rule = transitions[decision];
    if (endsAt && decision !== 'approve') {
      throw new AppError('validation-failed', 'body/endsAt: can only be set when approving');
    }
    if (endsAt && endsAt <= this.deps.clock.now()) {
      throw new AppError('validation-failed', 'body/endsAt: must be in the future');
    }
    const updated = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.id, id), this.visibleSubscription(principal)))
        .for('update');
      if (!row) throw notFound(`subscription ${id}`);
      // The data owner decides; an operator may end a subscription (revoke) but not grant one.
      const isProvider = row.providerOrgId === principal.orgId;
      if (rule.by === 'provider' && !isProvider) {
        throw new AppError('forbidden', `only the API's provider can ${decision} a subscription`);
      }
      requireRole(principal, 'admin');
      if (!rule.from.includes(row.state))
        throw conflict(`subscription ${id} is ${row.state}; cannot ${decision} it`);
      if ((decision === 'reject' || decision === 'suspend') && !reason) {
        throw new AppError('validation-failed', `body/reason: is required to ${decision}`);
      }
      const [next] = await tx
        .update(subscriptions)
        .set({
          state: rule.to,
          reason: reason ?? null,
          ...(endsAt ? { endsAt } : {}),
          // A plan change waits only on a live subscription; one that ends takes it along.
          ...(rule.to === 'revoked' ? { pendingPlanId: null } : {}),
          decidedBy: principal.userId,
          updatedAt: this.deps.clock.now(),
        })
        .where(eq(subscriptions.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: row.providerOrgId,
        action: `subscription.${decision}`,
        object: { type: 'subscription', id },
        decision: rule.to === 'active' ? 'allow' : 'deny',
        reason: reason ?? null,
        data: {
          from: row.state,
          to: rule.to,
          consumerOrgId: row.orgId,
          providerOrgId: row.providerOrgId,
          ...(endsAt ? { endsAt: endsAt.toISOString() } : {}),
        },
      });
      const type = decisionEvents[decision];
      await this.deps.events.publish(tx, type, {
        to: { consumer: row.orgId, provider: row.providerOrgId },
        objectId: id,
        title: `Subscription ${rule.to}`,
        body: `Subscription ${id} is now ${rule.to}${reason ? `: ${reason}` : ''}${endsAt ? `, until ${endsAt.toISOString()}` : ''}.`,
        data: { ...subscriptionFacts(next!), reason: reason ?? '' },
      });
      return next!;
    });
    await this.changed();
    return updated;
  }

  /**
   * The consumer moves its active subscription to another plan of the same API. A plan without
   * approval applies at once; a plan that needs approval waits for the provider, and the
   * subscription keeps its current plan (and its limits) until the provider decides.
   */
  async changePlan(principal: Principal, id: string, planId: string): Promise<Subscription> {
    const target = await this.getPlan(principal, planId);
    const changed = await this.db.transaction(async (tx) => {
      const row = await this.lockedSubscription(tx, principal, id);
      if (row.orgId !== principal.orgId) {
        throw new AppError('forbidden', 'only the subscribing organisation can change its plan');
      }
      requireRole(principal, 'admin');
      if (row.state !== 'active')
        throw conflict(`subscription ${id} is ${row.state}; cannot change its plan`);
      if (target.apiId !== row.apiId) {
        throw new AppError('validation-failed', `body/planId: plan ${planId} is not a plan of this API`);
      }
      if (target.archivedAt) throw conflict(`plan ${planId} is archived`);
      if (target.id === row.planId) throw conflict(`subscription ${id} is already on plan ${target.name}`);
      if (row.pendingPlanId) {
        throw conflict(`subscription ${id} already waits for a change to plan ${row.pendingPlanId}`);
      }
      const now = this.deps.clock.now();
      if (target.requiresApproval) {
        const [next] = await tx
          .update(subscriptions)
          .set({ pendingPlanId: target.id, updatedAt: now })
          .where(eq(subscriptions.id, id))
          .returning();
        await this.deps.audit.append(tx, {
          actor: this.actor(principal),
          orgId: row.orgId,
          action: 'subscription.plan.request',
          object: { type: 'subscription', id },
          data: { from: row.planId, to: target.id, providerOrgId: row.providerOrgId },
        });
        await this.deps.events.publish(tx, 'subscription.plan-change-requested', {
          to: { provider: row.providerOrgId },
          objectId: id,
          title: 'A plan change awaits your approval',
          body: `An organisation asked to move subscription ${id} to plan ${target.name}.`,
          data: { ...subscriptionFacts(next!), requestedPlanId: target.id },
        });
        return { row: next!, isApplied: false };
      }
      const [next] = await tx
        .update(subscriptions)
        .set({ planId: target.id, updatedAt: now })
        .where(eq(subscriptions.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: row.providerOrgId,
        action: 'subscription.plan.change',
        object: { type: 'subscription', id },
        reason: 'plan needs no approval',
        data: { from: row.planId, to: target.id, consumerOrgId: row.orgId },
      });
      await this.deps.events.publish(tx, 'subscription.plan-changed', {
        to: { consumer: row.orgId, provider: row.providerOrgId },
        objectId: id,
        title: 'Plan changed',
        body: `Subscription ${id} is now on plan ${target.name}.`,
        data: { ...subscriptionFacts(next!), previousPlanId: row.planId },
      });
      return { row: next!, isApplied: true };
    });
    if (changed.isApplied) await this.changed();
    return changed.row;
  }

  /** The provider decides a waiting plan change: approved, the subscription moves; rejected, it stays. */
  async decidePlanChange(
    principal: Principal,
    id: string,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<Subscription> {
    if (decision === 'reject' && !reason) {
      throw new AppError('validation-failed', 'body/reason: is required to reject');
    }
    const decided = await this.db.transaction(async (tx) => {
      const row = await this.lockedSubscription(tx, principal, id);
      if (row.providerOrgId !== principal.orgId) {
        throw new AppError('forbidden', `only the API's provider can ${decision} a plan change`);
      }
      requireRole(principal, 'admin');
      const requested = row.pendingPlanId;
      if (!requested) throw conflict(`subscription ${id} has no plan change waiting`);
      if (row.state !== 'active')
        throw conflict(`subscription ${id} is ${row.state}; cannot change its plan`);
      const [next] = await tx
        .update(subscriptions)
        .set({
          ...(decision === 'approve' ? { planId: requested } : {}),
          pendingPlanId: null,
          decidedBy: principal.userId,
          updatedAt: this.deps.clock.now(),
        })
        .where(eq(subscriptions.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: row.providerOrgId,
        action: decision === 'approve' ? 'subscription.plan.approve' : 'subscription.plan.reject',
        object: { type: 'subscription', id },
        decision: decision === 'approve' ? 'allow' : 'deny',
        reason: reason ?? null,
        data: { from: row.planId, to: requested, consumerOrgId: row.orgId },
      });
      if (decision === 'approve') {
        await this.deps.events.publish(tx, 'subscription.plan-changed', {
          to: { consumer: row.orgId, provider: row.providerOrgId },
          objectId: id,
          title: 'Plan change approved',
          body: `Subscription ${id} moved to the plan it asked for.`,
          data: { ...subscriptionFacts(next!), previousPlanId: row.planId },
        });
      } else {
        await this.deps.events.publish(tx, 'subscription.plan-change-rejected', {
          to: { consumer: row.orgId, provider: row.providerOrgId },
          objectId: id,
          title: 'Plan change rejected',
          body: `Subscription ${id} keeps its plan: ${reason}.`,
          data: { ...subscriptionFacts(next!), requestedPlanId: requested, reason: reason ?? '' },
        });
      }
      return next!;
    });
    if (decision === 'approve') await this.changed();
    return decided;
  }

  private async lockedSubscription(tx: Tx, principal: Principal, id: string): Promise<Subscription> {
    const [row] = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.id, id), this.visibleSubscription(principal)))
      .for('update');
    if (!row) throw notFound(`subscription ${id}`);
    return row;
  }

  /**
   * Ends every subscription whose end date has passed: state `expired`, a ledger entry and the
   * `subscription.expired` event in one transaction per batch, then the gateway's snapshot is
   * rebuilt (the snapshot already leaves out subscriptions past their end). Run every second by the
   * platform's lifecycle sweep; a row another node expired first is skipped by the state check.
   */
  async expireDue(): Promise<number> {
    const now = this.deps.clock.now();
    const ending = and(
      inArray(subscriptions.state, ['active', 'suspended']),
      isNotNull(subscriptions.endsAt),
      lte(subscriptions.endsAt, now),
    );
    // Most seconds nothing is due: one indexed read, and no transaction unless something is.
    const [due] = await this.db.select({ id: subscriptions.id }).from(subscriptions).where(ending).limit(1);
    if (!due) return 0;
    const expired = await this.db.transaction(async (tx) => {
      const rows = await tx
        .update(subscriptions)
        .set({ state: 'expired', updatedAt: now })
        .where(ending)
        .returning();
      if (rows.length === 0) return rows;
      await this.deps.audit.append(
        tx,
        rows.map((row) => ({
          actor: { type: 'system' },
          orgId: row.providerOrgId,
          action: 'subscription.expire',
          object: { type: 'subscription', id: row.id },
          decision: 'deny' as const,
          reason: 'the subscription reached its end date',
          data: {
            consumerOrgId: row.orgId,
            providerOrgId: row.providerOrgId,
            endsAt: row.endsAt!.toISOString(),
          },
        })),
      );
      for (const row of rows) {
        await this.deps.events.publish(tx, 'subscription.expired', {
          to: { consumer: row.orgId, provider: row.providerOrgId },
          objectId: row.id,
          title: 'Subscription expired',
          body: `Subscription ${row.id} reached its end at ${row.endsAt!.toISOString()}; the gateway refuses its calls from now.`,
          data: subscriptionFacts(row),
        });
      }
      return rows;
    });
    if (expired.length > 0) await this.changed();
    return expired.length;
  }

  // ---- credentials ---------------------------------------------------------------------------

  async createCredential(
    principal: Principal,
    input: { name: string; kind: CredentialKind; expiresAt?: Date },
  ) {
    requireKind(principal, 'consumer');
    requireRole(principal, 'admin');
    if (input.expiresAt && input.expiresAt <= this.deps.clock.now()) {
      throw new AppError('validation-failed', 'body/expiresAt: must be in the future');
    }
    const { secret, hash } = newSecret(credentialPrefixes[input.kind]);
    const id = newId(input.kind === 'api-key' ? 'apiKey' : 'oauthClient');
    const credential = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(credentials)
        .values({
          id,
          orgId: principal.orgId,
          kind: input.kind,
          name: input.name,
          prefix: secret.slice(0, visiblePrefix),
          secretHash: hash,
          expiresAt: input.expiresAt ?? null,
          createdBy: principal.userId,
        })
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'credential.create',
        object: { type: 'credential', id },
        data: { kind: input.kind, name: input.name, expiresAt: input.expiresAt?.toISOString() ?? null },
      });
      return row!;
    });
    await this.changed();
    return { credential, secret };
  }

  private async ownedCredential(tx: Tx, principal: Principal, id: string): Promise<Credential> {
    const [row] = await tx.select().from(credentials).where(eq(credentials.id, id)).for('update');
    authorize(principal, row, `credential ${id}`);
    requireRole(principal, 'admin');
    if (row!.revokedAt) throw conflict(`credential ${id} is revoked`);
    return row!;
  }

  /**
   * Issues a new secret; the old one keeps working for `graceSeconds` so deployed clients can be
   * updated without an outage. A second rotation inside the grace ends the first grace at once.
   */
  async rotateCredential(principal: Principal, id: string, graceSeconds: number) {
    if (graceSeconds < 0 || graceSeconds > maxRotationGraceSeconds) {
      throw new AppError(
        'validation-failed',
        `body/graceSeconds: must be between 0 and ${maxRotationGraceSeconds}`,
      );
    }
    const result = await this.db.transaction(async (tx) => {
      const row = await this.ownedCredential(tx, principal, id);
      const { secret, hash } = newSecret(credentialPrefixes[row.kind]);
      const validUntil = new Date(this.deps.clock.now().getTime() + graceSeconds * 1000);
      const [next] = await tx
        .update(credentials)
        .set({
          secretHash: hash,
          prefix: secret.slice(0, visiblePrefix),
          previousSecretHash: graceSeconds > 0 ? row.secretHash : null,
          previousValidUntil: graceSeconds > 0 ? validUntil : null,
        })
        .where(eq(credentials.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'credential.rotate',
        object: { type: 'credential', id },
        data: { graceSeconds, previousValidUntil: graceSeconds > 0 ? validUntil.toISOString() : null },
      });
      return { credential: next!, secret };
    });
    await this.changed();
    return result;
  }

  async revokeCredential(principal: Principal, id: string): Promise<Credential> {
    const revoked = await this.db.transaction(async (tx) => {
      await this.ownedCredential(tx, principal, id);
      const [row] = await tx
        .update(credentials)
        .set({ revokedAt: this.deps.clock.now(), previousSecretHash: null, previousValidUntil: null })
        .where(eq(credentials.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'credential.revoke',
        object: { type: 'credential', id },
      });
      return row!;
    });
    await this.changed();
    return revoked;
  }

  async listCredentials(principal: Principal): Promise<Credential[]> {
    return this.db
      .select()
      .from(credentials)
      .where(eq(credentials.orgId, principal.orgId))
      .orderBy(desc(credentials.createdAt));
  }

  /** For the OAuth2 token endpoint: the live client whose secret (current or in grace) matches. */
  async authenticateClient(clientId: string, secret: string): Promise<Credential | null> {
    const [row] = await this.db
      .select()
      .from(credentials)
      .where(
        and(
          eq(credentials.id, clientId),
          eq(credentials.kind, 'oauth-client'),
          isNull(credentials.revokedAt),
        ),
      );
    if (!row || (row.expiresAt && row.expiresAt <= this.deps.clock.now())) return null;
    const hash = hashSecret(secret);
    if (hash === row.secretHash) return row;
    const inGrace = row.previousValidUntil && row.previousValidUntil > this.deps.clock.now();
    return inGrace && hash === row.previousSecretHash ? row : null;
  }

  /** Slugs of the APIs an organisation has active subscriptions to, for OAuth2 scopes. */
  async activeApiIds(orgId: string): Promise<string[]> {
    const rows = await this.db
      .select({ apiId: subscriptions.apiId })
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.state, 'active')));
    return rows.map((row) => row.apiId);
  }

  // ---- the gateway's snapshot ----------------------------------------------------------------

  async snapshotCredentials(): Promise<{
    apiKeysByHash: Map<string, SnapshotCredential>;
    oauthClientsById: Map<string, SnapshotCredential>;
  }> {
    const rows = await this.db.select().from(credentials).where(isNull(credentials.revokedAt));
    const now = this.deps.clock.now().getTime();
    const apiKeysByHash = new Map<string, SnapshotCredential>();
    const oauthClientsById = new Map<string, SnapshotCredential>();
    for (const row of rows) {
      // An end date is enforced by the gateway on every call (validUntil), so it needs no sweep.
      const endsAt = row.expiresAt?.getTime() ?? null;
      if (endsAt !== null && endsAt <= now) continue;
      const credential = { id: row.id, orgId: row.orgId, validUntil: endsAt };
      if (row.kind === 'oauth-client') {
        oauthClientsById.set(row.id, credential);
        continue;
      }
      apiKeysByHash.set(row.secretHash, credential);
      const graceEnds = row.previousValidUntil?.getTime();
      if (row.previousSecretHash && graceEnds && graceEnds > now) {
        const validUntil = endsAt === null ? graceEnds : Math.min(graceEnds, endsAt);
        apiKeysByHash.set(row.previousSecretHash, { ...credential, validUntil });
      }
    }
    return { apiKeysByHash, oauthClientsById };
  }

  async snapshotSubscriptions(): Promise<SnapshotSubscription[]> {
    const rows = await this.db
      .select({ subscription: subscriptions, plan: plans })
      .from(subscriptions)
      .innerJoin(plans, eq(subscriptions.planId, plans.id))
      .where(
        and(
          eq(subscriptions.state, 'active'),
          // Past its end, a subscription is out of the snapshot even before the sweep expires it.
          or(isNull(subscriptions.endsAt), gt(subscriptions.endsAt, this.deps.clock.now())),
        ),
      );
    return rows.map(({ subscription, plan }) => ({
      id: subscription.id,
      apiId: subscription.apiId,
      orgId: subscription.orgId,
      providerOrgId: subscription.providerOrgId,
      endsAt: subscription.endsAt?.getTime() ?? null,
      plan: {
        id: plan.id,
        rateLimitPerSecond: plan.rateLimitPerSecond,
        burst: plan.burst,
        monthlyQuota: plan.monthlyQuota,
        includedTags: plan.includedTags,
        includedPaths: plan.includedPaths,
      },
    }));
  }
}
