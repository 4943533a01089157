import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { budgetTolerance } from '../../infra/privacy-limits.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import type { Generalisation, RiskAssessment } from '../catalog/risk.js';
import type { EventPublisher } from '../community/events.js';
import { authorize, isOverseer, type Principal, requireKind, requireRole } from '../identity/principal.js';
import {
  type AccessRequestState,
  accessRequests,
  agreementBudgets,
  agreements,
  type Purpose,
} from './schema.js';
import {
  type AgreementTerms,
  grantedTerms,
  type Mask,
  type Noise,
  type NoiseBudgetScope,
  type TermsOverrides,
} from './terms.js';
import { type TermsTemplateService, templateOverrides } from './terms-templates.js';

export type AccessRequest = typeof accessRequests.$inferSelect;
type AgreementRow = typeof agreements.$inferSelect;
/** An agreement as the API shows it: never its mask secret; its state derived from the facts. */
export type Agreement = Omit<AgreementRow, 'secret'> & { state: AgreementState };
export type AgreementState = 'active' | 'expired' | 'revoked';
export const agreementStates: readonly AgreementState[] = ['active', 'expired', 'revoked'];

export interface AccessRequestInput {
  datasetId: string;
  purpose: Purpose;
  purposeText: string;
  columns: string[];
  durationDays: number;
  wantsDownload: boolean;
  /** A lab the dataset is attached to: approval also gives a researcher's seat in it, ending with the agreement. */
  labId?: string;
}

/** What the query engine needs to compile an agreement into a view. */
export interface ActiveAgreement {
  id: string;
  datasetId: string;
  terms: AgreementTerms;
  secret: string;
  queriesUsed: number;
}

export interface NoiseBudgetHolder {
  scope: NoiseBudgetScope;
  holderId: string;
}

export interface NoiseBudget {
  scope: NoiseBudgetScope;
  total: number;
  spent: number;
  remaining: number;
}

export const maxDurationDays = 3 * 366;

/** Grants that come with an agreement beyond its own terms, given and taken in its transactions. */
export interface Provisioning {
  /** Refuses a request whose lab the dataset is not in (before anything is written). */
  checkRequest(request: { datasetId: string; labId: string }): Promise<void>;
  onApproved(tx: Tx, request: AccessRequest, agreement: AgreementRow): Promise<void>;
  onRevoked(tx: Tx, agreement: AgreementRow, reason: string): Promise<void>;
}

export function agreementState(row: Pick<AgreementRow, 'revokedAt' | 'terms'>, now: Date): AgreementState {
  if (row.revokedAt) return 'revoked';
  return new Date(row.terms.expiresAt) <= now ? 'expired' : 'active';
}

function requestFacts(row: AccessRequest) {
  return {
    requestId: row.id,
    datasetId: row.datasetId,
    consumerOrgId: row.orgId,
    providerOrgId: row.providerOrgId,
  };
}

function agreementFacts(row: AgreementRow) {
  return {
    agreementId: row.id,
    datasetId: row.datasetId,
    consumerOrgId: row.orgId,
    providerOrgId: row.providerOrgId,
    expiresAt: row.terms.expiresAt,
  };
}

function view(row: AgreementRow, now: Date): Agreement {
  const { secret: _secret, ...rest } = row;
  return { ...rest, state: agreementState(row, now) };
}

/**
 * What the masks of an agreement do to equivalence classes: dates cut, numbers banded, columns
 * redacted. A keyed hash or a kept suffix maps equal values to equal values, so classes stay as
 * they are and these count as unmasked.
 */
function generalisationsOf(masks: Record<string, Mask>): Record<string, Generalisation> {
  const out: Record<string, Generalisation> = {};
  for (const [column, mask] of Object.entries(masks)) {
    if (mask.kind === 'truncate-date' || mask.kind === 'band' || mask.kind === 'redact') out[column] = mask;
  }
  return out;
}

/** The sentence an approver reads when the release's k is below the owner's threshold. */
export function riskWarning(risk: RiskAssessment | null): string | null {
  if (!risk?.isBelowThreshold) return null;
  const masks = risk.masks.map((step) => {
    const what =
      step.mask.kind === 'truncate-date'
        ? `truncate ${step.column} to the ${step.mask.unit}`
        : step.mask.kind === 'band'
          ? `band ${step.column} by ${step.mask.width}`
          : `leave out ${step.column}`;
    return `${what} (k ${step.k ?? 0})`;
  });
  return (
    `k is ${risk.k} (threshold ${risk.threshold}): ${risk.uniqueRows} of ${risk.rows} rows are unique on ` +
    `${risk.quasiIdentifiers.join(', ')}.` +
    (masks.length > 0 ? ` Masks that raise it: ${masks.join('; ')}.` : '')
  );
}

/**
 * A provider's decision to approve: terms overrides, and optionally a terms template of its own
 * they are laid over. With neither, the dataset's default template (if it has one) gives the terms.
 */
export type Approval = TermsOverrides & { template?: string };

export interface ReleasePreview {
  terms: AgreementTerms;
  /** The slug of the terms template the terms started from; null when none. */
  template: string | null;
  /** Re-identification figures of what the terms release; null without quasi-identifiers or personal columns. */
  risk: RiskAssessment | null;
  /** Set when k is below the dataset's threshold: the figure and the masks that would raise it. */
  warning: string | null;
}

/**
 * Access requests and the agreements they become. Approval creates the agreement in the same
 * transaction as the decision and both ledger entries; revocation and expiry take effect on the
 * next use because every use reads `revokedAt` and `terms.expiresAt` (nothing is cached).
 */
export class AgreementService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      datasets: DatasetService;
      /** Tells both parties of each decision, in the decision's transaction. */
      events: EventPublisher;
      /**
       * What else approving provisions and revoking takes away, in the decision's transaction (a lab
       * seat for a request naming a lab: src/provisioning.ts). A failure rolls the decision back.
       */
      provisioning?: Provisioning;
      /** The provider's terms templates, and each dataset's default one. */
      templates: Pick<TermsTemplateService, 'findBySlug' | 'defaultFor'>;
    },
  ) {}

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  // ---- requests ----------------------------------------------------------------------------------

  async request(principal: Principal, input: AccessRequestInput): Promise<AccessRequest> {
    requireKind(principal, 'consumer', 'provider');
    const entry = await this.deps.datasets.get(principal, input.datasetId);
    if (entry.dataset.orgId === principal.orgId)
      throw conflict('this is your own dataset; query it directly');
    if (entry.dataset.status !== 'published' || !entry.currentVersion) {
      throw notFound(`dataset ${input.datasetId}`);
    }
    const names = new Set(entry.currentVersion.columns.map((column) => column.name));
    const unknown = input.columns.filter((name) => !names.has(name));
    if (unknown.length > 0)
      throw validationFailed('columns', `the dataset has no column ${unknown.join(', ')}`);
    if (input.labId !== undefined) {
      if (!this.deps.provisioning) throw validationFailed('labId', 'labs are not available here');
      await this.deps.provisioning.checkRequest({ datasetId: entry.dataset.id, labId: input.labId });
    }
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      let row: AccessRequest;
      try {
        [row] = (await tx
          .insert(accessRequests)
          .values({
            id: newId('accessRequest'),
            datasetId: entry.dataset.id,
            orgId: principal.orgId,
            providerOrgId: entry.dataset.orgId,
            purpose: input.purpose,
            purposeText: input.purposeText,
            columns: [...new Set(input.columns)],
            durationDays: input.durationDays,
            wantsDownload: input.wantsDownload,
            labId: input.labId ?? null,
            state: 'pending',
            requestedBy: principal.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning()) as [AccessRequest];
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('already-exists', 'your organisation has a pending request for this dataset');
        }
        throw error;
      }
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'access-request.create',
        object: { type: 'access-request', id: row.id },
        data: {
          datasetId: row.datasetId,
          providerOrgId: row.providerOrgId,
          purpose: row.purpose,
          purposeText: row.purposeText,
          columns: row.columns,
          durationDays: row.durationDays,
          wantsDownload: row.wantsDownload,
          labId: row.labId,
        },
      });
      await this.deps.events.publish(tx, 'access-request.created', {
        to: { provider: row.providerOrgId },
        objectId: row.id,
        title: 'A new access request',
        body: `An organisation asks for dataset ${row.datasetId} for ${row.purpose}; it awaits your decision.`,
        data: { ...requestFacts(row), purpose: row.purpose },
      });
      return row;
    });
  }

  private async findRequest(requestId: string): Promise<AccessRequest | undefined> {
    const [row] = await this.db.select().from(accessRequests).where(eq(accessRequests.id, requestId));
    return row;
  }

  /** Either side may read a request; overseers too. */
  async getRequest(principal: Principal, requestId: string): Promise<AccessRequest> {
    const row = await this.findRequest(requestId);
    if (!row) throw notFound(`access request ${requestId}`);
    if (row.orgId === principal.orgId || row.providerOrgId === principal.orgId || isOverseer(principal))
      return row;
    throw notFound(`access request ${requestId}`);
  }

  async listRequests(
    principal: Principal,
    query: { as?: 'consumer' | 'provider'; state?: AccessRequestState; datasetId?: string },
  ): Promise<AccessRequest[]> {
    const side =
      query.as === 'consumer'
        ? eq(accessRequests.orgId, principal.orgId)
        : query.as === 'provider'
          ? eq(accessRequests.providerOrgId, principal.orgId)
          : or(eq(accessRequests.orgId, principal.orgId), eq(accessRequests.providerOrgId, principal.orgId));
    const conditions: (SQL | undefined)[] = [side];
    if (query.state) conditions.push(eq(accessRequests.state, query.state));
    if (query.datasetId) conditions.push(eq(accessRequests.datasetId, query.datasetId));
    return this.db
      .select()
      .from(accessRequests)
      .where(and(...conditions))
      .orderBy(desc(accessRequests.createdAt))
      .limit(500);
  }

  /** The provider's pending request, locked for the decision. */
  private async pendingForProvider(tx: Tx, principal: Principal, requestId: string): Promise<AccessRequest> {
    const [row] = await tx
      .select()
      .from(accessRequests)
      .where(eq(accessRequests.id, requestId))
      .for('update');
    if (!row || row.providerOrgId !== principal.orgId) throw notFound(`access request ${requestId}`);
    requireRole(principal, 'admin');
    if (row.state !== 'pending') throw conflict(`the request is ${row.state}, not pending`);
    return row;
  }

  /**
   * The terms an approval with these overrides would grant, and the re-identification risk of
   * what they release: nothing is written.
   */
  async preview(principal: Principal, requestId: string, approval: Approval): Promise<ReleasePreview> {
    return (await this.prepare(principal, requestId, approval)).preview;
  }

  /** The template an approval starts from: the one it names, else the dataset's default when it gives no terms. */
  private async templateOf(principal: Principal, datasetId: string, approval: Approval) {
    const { template: slug, ...overrides } = approval;
    if (slug !== undefined) {
      const template = await this.deps.templates.findBySlug(principal.orgId, slug);
      if (!template) throw validationFailed('template', `your organisation has no terms template "${slug}"`);
      return { template, overrides };
    }
    const isWithoutTerms = Object.values(overrides).every((value) => value === undefined);
    return { template: isWithoutTerms ? await this.deps.templates.defaultFor(datasetId) : null, overrides };
  }

  private async prepare(principal: Principal, requestId: string, approval: Approval) {
    const now = this.deps.clock.now();
    const existing = await this.findRequest(requestId);
    if (!existing || existing.providerOrgId !== principal.orgId)
      throw notFound(`access request ${requestId}`);
    requireRole(principal, 'admin');
    const entry = await this.deps.datasets.get(principal, existing.datasetId);
    let version = entry.currentVersion;
    if (approval.pinnedVersionId) {
      const versions = await this.deps.datasets.listVersions(principal, existing.datasetId);
      version = versions.find((candidate) => candidate.id === approval.pinnedVersionId) ?? null;
      if (!version) throw validationFailed('pinnedVersionId', 'no such version of this dataset');
    }
    if (!version) throw conflict('the dataset has no version');
    const { template, overrides } = await this.templateOf(principal, existing.datasetId, approval);
    const base = template ? templateOverrides(template.terms, existing, now) : {};
    // Terms are checked against the columns of the version they will read.
    const terms = grantedTerms(existing, { ...base, ...overrides }, version.columns, now);
    const risk = await this.deps.datasets.releaseRisk(
      entry.dataset,
      version,
      terms.columns,
      generalisationsOf(terms.masks),
    );
    return {
      now,
      terms,
      preview: { terms, template: template?.slug ?? null, risk, warning: riskWarning(risk) },
    };
  }

  /**
   * Approves a request, possibly with narrower terms, and creates the agreement: both in one
   * transaction with their ledger entries. The approval goes through when the release's k is below
   * the owner's threshold; the answer carries the warning, as the preview did.
   */
  async approve(
    principal: Principal,
    requestId: string,
    approval: Approval,
  ): Promise<{
    request: AccessRequest;
    agreement: Agreement;
    template: string | null;
    risk: RiskAssessment | null;
    warning: string | null;
  }> {
    const { now, terms, preview } = await this.prepare(principal, requestId, approval);
    return this.db.transaction(async (tx) => {
      const request = await this.pendingForProvider(tx, principal, requestId);
      const agreementId = newId('agreement');
      const [agreement] = (await tx
        .insert(agreements)
        .values({
          id: agreementId,
          datasetId: request.datasetId,
          orgId: request.orgId,
          providerOrgId: request.providerOrgId,
          requestId: request.id,
          terms,
          secret: randomBytes(32).toString('hex'),
          approvedBy: principal.userId,
          createdAt: now,
        })
        .returning()) as [AgreementRow];
      const [updated] = (await tx
        .update(accessRequests)
        .set({ state: 'approved', agreementId, decidedBy: principal.userId, updatedAt: now })
        .where(eq(accessRequests.id, request.id))
        .returning()) as [AccessRequest];
      await this.deps.audit.append(tx, [
        {
          actor: this.actor(principal),
          orgId: request.providerOrgId,
          action: 'access-request.approve',
          object: { type: 'access-request', id: request.id },
          decision: 'allow',
          data: {
            agreementId,
            consumerOrgId: request.orgId,
            ...(preview.template ? { template: preview.template } : {}),
            ...(preview.risk ? { k: preview.risk.k, kThreshold: preview.risk.threshold } : {}),
          },
        },
        {
          actor: this.actor(principal),
          orgId: request.providerOrgId,
          action: 'agreement.create',
          object: { type: 'agreement', id: agreementId },
          data: { datasetId: request.datasetId, consumerOrgId: request.orgId, terms },
        },
      ]);
      await this.deps.provisioning?.onApproved(tx, updated, agreement);
      const parties = { consumer: request.orgId, provider: request.providerOrgId };
      await this.deps.events.publish(tx, 'access-request.approved', {
        to: parties,
        objectId: request.id,
        title: 'Access request approved',
        body: `The request for dataset ${request.datasetId} was approved: agreement ${agreementId} is in force until ${terms.expiresAt}.`,
        data: { ...requestFacts(request), agreementId },
      });
      await this.deps.events.publish(tx, 'agreement.approved', {
        to: parties,
        objectId: agreementId,
        title: 'Agreement in force',
        body: `Agreement ${agreementId} for dataset ${request.datasetId} is in force until ${terms.expiresAt}.`,
        data: agreementFacts(agreement),
      });
      return {
        request: updated,
        agreement: view(agreement, now),
        template: preview.template,
        risk: preview.risk,
        warning: preview.warning,
      };
    });
  }

  async reject(principal: Principal, requestId: string, reason: string): Promise<AccessRequest> {
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const request = await this.pendingForProvider(tx, principal, requestId);
      const [updated] = (await tx
        .update(accessRequests)
        .set({ state: 'rejected', reason, decidedBy: principal.userId, updatedAt: now })
        .where(eq(accessRequests.id, request.id))
        .returning()) as [AccessRequest];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: request.providerOrgId,
        action: 'access-request.reject',
        object: { type: 'access-request', id: request.id },
        decision: 'deny',
        reason,
        data: { consumerOrgId: request.orgId },
      });
      await this.deps.events.publish(tx, 'access-request.rejected', {
        to: { consumer: request.orgId },
        objectId: request.id,
        title: 'Access request rejected',
        body: `The request for dataset ${request.datasetId} was rejected: ${reason}`,
        data: { ...requestFacts(request), reason },
      });
      return updated;
    });
  }

  async withdraw(principal: Principal, requestId: string): Promise<AccessRequest> {
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(accessRequests)
        .where(eq(accessRequests.id, requestId))
        .for('update');
      const request = authorize(principal, row, `access request ${requestId}`);
      if (request.state !== 'pending') throw conflict(`the request is ${request.state}, not pending`);
      const [updated] = (await tx
        .update(accessRequests)
        .set({ state: 'withdrawn', updatedAt: now })
        .where(eq(accessRequests.id, request.id))
        .returning()) as [AccessRequest];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: request.orgId,
        action: 'access-request.withdraw',
        object: { type: 'access-request', id: request.id },
      });
      await this.deps.events.publish(tx, 'access-request.withdrawn', {
        to: { provider: request.providerOrgId },
        objectId: request.id,
        title: 'Access request withdrawn',
        body: `The request for dataset ${request.datasetId} was withdrawn by its requester.`,
        data: requestFacts(request),
      });
      return updated;
    });
  }

  // ---- agreements --------------------------------------------------------------------------------

  async getAgreement(principal: Principal, agreementId: string): Promise<Agreement> {
    const [row] = await this.db.select().from(agreements).where(eq(agreements.id, agreementId));
    if (
      row &&
      (row.orgId === principal.orgId || row.providerOrgId === principal.orgId || isOverseer(principal))
    ) {
      return view(row, this.deps.clock.now());
    }
    throw notFound(`agreement ${agreementId}`);
  }

  async listAgreements(
    principal: Principal,
    query: { as?: 'consumer' | 'provider'; state?: AgreementState; datasetId?: string },
  ): Promise<Agreement[]> {
    const side =
      query.as === 'consumer'
        ? eq(agreements.orgId, principal.orgId)
        : query.as === 'provider'
          ? eq(agreements.providerOrgId, principal.orgId)
          : or(eq(agreements.orgId, principal.orgId), eq(agreements.providerOrgId, principal.orgId));
    const conditions: (SQL | undefined)[] = [side];
    if (query.datasetId) conditions.push(eq(agreements.datasetId, query.datasetId));
    const rows = await this.db
      .select()
      .from(agreements)
      .where(and(...conditions))
      .orderBy(desc(agreements.createdAt))
      .limit(500);
    const now = this.deps.clock.now();
    const all = rows.map((row) => view(row, now));
    return query.state ? all.filter((agreement) => agreement.state === query.state) : all;
  }

  /** Either side may revoke; it takes effect for the next query. */
  async revoke(principal: Principal, agreementId: string, reason: string): Promise<Agreement> {
    requireRole(principal, 'admin');
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(agreements).where(eq(agreements.id, agreementId)).for('update');
      if (!row || (row.orgId !== principal.orgId && row.providerOrgId !== principal.orgId)) {
        throw notFound(`agreement ${agreementId}`);
      }
      if (row.revokedAt) throw conflict('the agreement is already revoked');
      const [updated] = (await tx
        .update(agreements)
        .set({ revokedAt: now, revokedBy: principal.userId, revokeReason: reason })
        .where(eq(agreements.id, row.id))
        .returning()) as [AgreementRow];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'agreement.revoke',
        object: { type: 'agreement', id: row.id },
        reason,
        data: { datasetId: row.datasetId, consumerOrgId: row.orgId, providerOrgId: row.providerOrgId },
      });
      await this.deps.events.publish(tx, 'agreement.revoked', {
        to: { consumer: row.orgId, provider: row.providerOrgId },
        objectId: row.id,
        title: 'Agreement revoked',
        body: `Agreement ${row.id} for dataset ${row.datasetId} was revoked: ${reason}. Access has ended.`,
        data: { ...agreementFacts(row), reason, revokedByOrgId: principal.orgId },
      });
      await this.deps.provisioning?.onRevoked(tx, updated, reason);
      return view(updated, now);
    });
  }

  /**
   * The agreements under which a subject's rows could have reached a grantee while a consent was
   * live: the provider's agreements for the consent's purpose over the given datasets, with the
   * consent's grantee (any, when it names none), in force at some time since `since`. Read in the
   * caller's transaction (a consent's revocation asks each of them to delete).
   */
  async coveringConsent(
    tx: Executor,
    consent: {
      providerOrgId: string;
      purpose: Purpose;
      granteeOrgId: string | null;
      datasetIds: string[];
      since: Date;
    },
  ): Promise<{ id: string; orgId: string; datasetId: string }[]> {
    if (consent.datasetIds.length === 0) return [];
    const since = consent.since.toISOString();
    return tx
      .select({ id: agreements.id, orgId: agreements.orgId, datasetId: agreements.datasetId })
      .from(agreements)
      .where(
        and(
          eq(agreements.providerOrgId, consent.providerOrgId),
          inArray(agreements.datasetId, consent.datasetIds),
          sql`${agreements.terms}->>'purpose' = ${consent.purpose}`,
          consent.granteeOrgId ? eq(agreements.orgId, consent.granteeOrgId) : undefined,
          or(isNull(agreements.revokedAt), sql`${agreements.revokedAt} > ${since}::timestamptz`),
          sql`(${agreements.terms}->>'expiresAt')::timestamptz > ${since}::timestamptz`,
        ),
      )
      .orderBy(agreements.id);
  }

  /** The caller organisation's agreements that are in force now, newest first, with their secrets. */
  async activeFor(orgId: string): Promise<ActiveAgreement[]> {
    const now = this.deps.clock.now();
    const rows = await this.db
      .select()
      .from(agreements)
      .where(and(eq(agreements.orgId, orgId), isNull(agreements.revokedAt)))
      .orderBy(desc(agreements.createdAt));
    return rows
      .filter((row) => agreementState(row, now) === 'active')
      .map((row) => ({
        id: row.id,
        datasetId: row.datasetId,
        terms: row.terms,
        secret: row.secret,
        queriesUsed: row.queriesUsed,
      }));
  }

  /**
   * Counts one query against each agreement, atomically with the ledger entry the caller appends
   * in the same transaction. An agreement revoked, expired or used up since it was read is refused.
   */
  /** Whose ε a query under a noisy grant spends: the analyst's own or the consumer organisation's. */
  noiseHolderOf(noise: Noise, principal: Principal): NoiseBudgetHolder {
    const scope = noise.budgetScope ?? 'analyst';
    return { scope, holderId: scope === 'organisation' ? principal.orgId : principal.userId };
  }

  /** The holder's ε budget under an agreement (read in `db`, which may be a transaction). */
  async noiseBudget(
    db: Pick<Db, 'select'>,
    agreementId: string,
    noise: Noise,
    holder: NoiseBudgetHolder,
  ): Promise<NoiseBudget> {
    const [row] = await db
      .select()
      .from(agreementBudgets)
      .where(
        and(
          eq(agreementBudgets.agreementId, agreementId),
          eq(agreementBudgets.scope, holder.scope),
          eq(agreementBudgets.holderId, holder.holderId),
        ),
      );
    const spent = row?.spent ?? 0;
    return {
      scope: holder.scope,
      total: noise.epsilonBudget,
      spent,
      remaining: Math.max(0, noise.epsilonBudget - spent),
    };
  }

  /**
   * Spends ε from the holder's budget in one statement: the row is locked and the condition is
   * evaluated on its latest value, so concurrent queries can neither overspend nor wait on a read
   * made outside the transaction. False when the budget cannot pay.
   */
  async spendEpsilon(
    tx: Tx,
    agreementId: string,
    noise: Noise,
    holder: NoiseBudgetHolder,
    epsilon: number,
  ): Promise<boolean> {
    // A first spend inserts the row unconditionally: it must fit the total on its own.
    if (!(epsilon <= noise.epsilonBudget + budgetTolerance)) return false;
    const spent = await tx
      .insert(agreementBudgets)
      .values({ agreementId, scope: holder.scope, holderId: holder.holderId, spent: epsilon })
      .onConflictDoUpdate({
        target: [agreementBudgets.agreementId, agreementBudgets.scope, agreementBudgets.holderId],
        set: { spent: sql`${agreementBudgets.spent} + ${epsilon}::double precision` },
        setWhere: sql`${agreementBudgets.spent} + ${epsilon}::double precision <= ${noise.epsilonBudget + budgetTolerance}::double precision`,
      })
      .returning();
    return spent.length > 0;
  }

  async countQuery(tx: Tx, agreementIds: string[]): Promise<void> {
    if (agreementIds.length === 0) return;
    const now = this.deps.clock.now();
    const counted = await tx
      .update(agreements)
      .set({ queriesUsed: sql`${agreements.queriesUsed} + 1` })
      .where(
        and(
          inArray(agreements.id, agreementIds),
          isNull(agreements.revokedAt),
          sql`(${agreements.terms}->>'expiresAt')::timestamptz > ${now.toISOString()}::timestamptz`,
          sql`(${agreements.terms}->'maxQueries' = 'null'::jsonb or ${agreements.queriesUsed} < (${agreements.terms}->>'maxQueries')::int)`,
        ),
      )
      .returning({ id: agreements.id });
    if (counted.length !== agreementIds.length) {
      const missing = agreementIds.filter((id) => !counted.some((row) => row.id === id));
      throw new AppError('query-limit-reached', `agreement ${missing.join(', ')} allows no further queries`);
    }
  }

  /** Records each agreement that expired since the last sweep in the ledger (enforcement never waits for this). */
  async recordExpiries(): Promise<number> {
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const expired = await tx
        .update(agreements)
        .set({ expiryRecordedAt: now })
        .where(
          and(
            isNull(agreements.revokedAt),
            isNull(agreements.expiryRecordedAt),
            sql`(${agreements.terms}->>'expiresAt')::timestamptz <= ${now.toISOString()}::timestamptz`,
          ),
        )
        .returning();
      await this.deps.audit.append(
        tx,
        expired.map((row) => ({
          actor: { type: 'system' },
          orgId: row.providerOrgId,
          action: 'agreement.expire',
          object: { type: 'agreement', id: row.id },
          data: {
            datasetId: row.datasetId,
            consumerOrgId: row.orgId,
            expiresAt: row.terms.expiresAt,
            duties: row.terms.duties,
          },
        })),
      );
      for (const row of expired) {
        await this.deps.events.publish(tx, 'agreement.expired', {
          to: { consumer: row.orgId, provider: row.providerOrgId },
          objectId: row.id,
          title: 'Agreement expired',
          body: `Agreement ${row.id} for dataset ${row.datasetId} reached its end at ${row.terms.expiresAt}; access has ended.`,
          data: agreementFacts(row),
        });
      }
      return expired.length;
    });
  }
}
