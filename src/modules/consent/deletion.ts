import { and, desc, eq, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/client.js';
import { conflict, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Purpose } from '../access/schema.js';
import type { AuditLedger } from '../audit/service.js';
import type { EventPublisher } from '../community/events.js';
import { isOverseer, type Principal, requireRole } from '../identity/principal.js';
import { deletionRequests } from './schema.js';
import type { Consent } from './service.js';

type DeletionRequestRow = typeof deletionRequests.$inferSelect;
export const deletionRequestStates = ['pending', 'confirmed', 'overdue'] as const;
export type DeletionRequestState = (typeof deletionRequestStates)[number];
export type DeletionRequest = DeletionRequestRow & { state: DeletionRequestState };

const day = 86_400_000;

/** Derived from the facts on every read: confirmed once confirmed, overdue past the deadline without it. */
export function deletionRequestState(row: DeletionRequestRow, now: Date): DeletionRequestState {
  if (row.confirmedAt) return 'confirmed';
  return row.dueAt <= now ? 'overdue' : 'pending';
}

export interface DeletionRequestDeps {
  db: Db;
  clock: Clock;
  audit: AuditLedger;
  events: EventPublisher;
  /** Days a grantee has to confirm (STP_DELETION_DEADLINE_DAYS). */
  deadlineDays: number;
  /** The agreements that could have carried the subject's rows to a grantee (the access module's). */
  coveringAgreements(
    tx: Tx,
    consent: {
      providerOrgId: string;
      purpose: Purpose;
      granteeOrgId: string | null;
      datasetIds: string[];
      since: Date;
    },
  ): Promise<{ id: string; orgId: string; datasetId: string }[]>;
  /** Consent-required datasets among the ids, or all of a provider's (the catalogue's). */
  consentRequiredDatasets(tx: Tx, scope: { datasetIds: string[] } | { orgId: string }): Promise<string[]>;
}

/**
 * A revoked consent reaches every recipient. Filtering stops future reads at once (the query
 * engine and the gateway read consents on every use); what a grantee already took is asked back:
 * each organisation whose agreement covered the subject gets a deletion request, in the
 * revocation's transaction, with the `consent.revoked` event. The grantee confirms with an
 * optional evidence note; a request unconfirmed at its deadline is escalated by the sweep: both
 * sides are told and it appears in the regulator's queue. Every step is a ledger entry.
 */
export class DeletionRequestService {
  constructor(readonly deps: DeletionRequestDeps) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * The datasets whose rows a consent let through: the ones it names, or (naming neither datasets
   * nor APIs) every consent-required dataset of the provider; only consent-required ones are filtered.
   */
  private async coveredDatasets(tx: Tx, consent: Consent): Promise<string[]> {
    if (consent.datasetIds.length > 0)
      return this.deps.consentRequiredDatasets(tx, { datasetIds: consent.datasetIds });
    if (consent.apiIds.length > 0) return [];
    return this.deps.consentRequiredDatasets(tx, { orgId: consent.orgId });
  }

  /** In the revocation's transaction: one request per covering agreement, each announced to its grantee. */
  async requestForRevocation(tx: Tx, consent: Consent, principal: Principal): Promise<DeletionRequest[]> {
    const now = this.deps.clock.now();
    const covering = await this.deps.coveringAgreements(tx, {
      providerOrgId: consent.orgId,
      purpose: consent.purpose,
      granteeOrgId: consent.granteeOrgId,
      datasetIds: await this.coveredDatasets(tx, consent),
      since: consent.grantedAt,
    });
    if (covering.length === 0) return [];
    const dueAt = new Date(now.getTime() + this.deps.deadlineDays * day);
    const rows = (await tx
      .insert(deletionRequests)
      .values(
        covering.map((agreement) => ({
          id: newId('deletionRequest'),
          consentId: consent.id,
          providerOrgId: consent.orgId,
          granteeOrgId: agreement.orgId,
          agreementId: agreement.id,
          datasetId: agreement.datasetId,
          subjectKey: consent.subjectKey,
          dueAt,
          createdAt: now,
        })),
      )
      .returning()) as DeletionRequestRow[];
    for (const row of rows) {
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: row.providerOrgId,
        action: 'deletion-request.create',
        object: { type: 'deletion-request', id: row.id },
        data: {
          consentId: row.consentId,
          granteeOrgId: row.granteeOrgId,
          agreementId: row.agreementId,
          datasetId: row.datasetId,
          dueAt: row.dueAt.toISOString(),
        },
      });
      await this.deps.events.publish(tx, 'consent.revoked', {
        to: { grantee: row.granteeOrgId },
        objectId: row.id,
        title: 'A consent covering data you hold was withdrawn',
        body:
          `A data subject withdrew consent for data you received under agreement ${row.agreementId}. ` +
          `Delete your copies and confirm by ${row.dueAt.toISOString()}.`,
        data: {
          deletionRequestId: row.id,
          agreementId: row.agreementId,
          datasetId: row.datasetId,
          providerOrgId: row.providerOrgId,
          dueAt: row.dueAt.toISOString(),
        },
      });
    }
    return rows.map((row) => ({ ...row, state: deletionRequestState(row, now) }));
  }

  private view(row: DeletionRequestRow): DeletionRequest {
    return { ...row, state: deletionRequestState(row, this.deps.clock.now()) };
  }

  /** One request, for its provider, its grantee or an overseer; anyone else is told it does not exist. */
  async get(principal: Principal, id: string): Promise<DeletionRequest> {
    const [row] = await this.db.select().from(deletionRequests).where(eq(deletionRequests.id, id));
    if (!row || !(this.isParty(principal, row) || isOverseer(principal)))
      throw notFound(`deletion request ${id}`);
    return this.view(row);
  }

  private isParty(principal: Principal, row: DeletionRequestRow): boolean {
    return row.providerOrgId === principal.orgId || row.granteeOrgId === principal.orgId;
  }

  /**
   * The caller's requests, newest first: those it must confirm (`as: grantee`), those it asked for
   * (`as: provider`), or both; an overseer's list is every escalated request.
   */
  async list(
    principal: Principal,
    query: { as?: 'grantee' | 'provider'; consentId?: string; state?: DeletionRequestState; limit: number },
  ): Promise<DeletionRequest[]> {
    const now = this.deps.clock.now();
    const conditions: (SQL | undefined)[] = [];
    if (query.as === 'grantee') conditions.push(eq(deletionRequests.granteeOrgId, principal.orgId));
    else if (query.as === 'provider') conditions.push(eq(deletionRequests.providerOrgId, principal.orgId));
    else if (isOverseer(principal)) conditions.push(isNotNull(deletionRequests.escalatedAt));
    else
      conditions.push(
        or(
          eq(deletionRequests.granteeOrgId, principal.orgId),
          eq(deletionRequests.providerOrgId, principal.orgId),
        ),
      );
    if (query.consentId) conditions.push(eq(deletionRequests.consentId, query.consentId));
    const rows = await this.db
      .select()
      .from(deletionRequests)
      .where(and(...conditions))
      .orderBy(desc(deletionRequests.id))
      .limit(500);
    const all = rows.map((row) => ({ ...row, state: deletionRequestState(row, now) }));
    return (query.state ? all.filter((row) => row.state === query.state) : all).slice(0, query.limit);
  }

  /** The grantee confirms it deleted its copies (late confirmations are accepted and marked late). */
  async confirm(principal: Principal, id: string, evidence: string | null): Promise<DeletionRequest> {
    requireRole(principal, 'admin');
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(deletionRequests).where(eq(deletionRequests.id, id)).for('update');
      if (!row || row.granteeOrgId !== principal.orgId) throw notFound(`deletion request ${id}`);
      if (row.confirmedAt)
        throw conflict(`deletion request ${id} was confirmed on ${row.confirmedAt.toISOString()}`);
      const late = row.dueAt <= now;
      const [updated] = (await tx
        .update(deletionRequests)
        .set({ confirmedAt: now, confirmedBy: principal.userId, evidence })
        .where(eq(deletionRequests.id, id))
        .returning()) as [DeletionRequestRow];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'deletion-request.confirm',
        object: { type: 'deletion-request', id },
        data: {
          consentId: row.consentId,
          providerOrgId: row.providerOrgId,
          agreementId: row.agreementId,
          evidence,
          late,
        },
      });
      await this.deps.events.publish(tx, 'deletion-request.confirmed', {
        to: { provider: row.providerOrgId },
        objectId: id,
        title: 'Deletion confirmed',
        body: `The recipient under agreement ${row.agreementId} confirmed it deleted the subject's data${late ? ' (after the deadline)' : ''}.`,
        data: {
          deletionRequestId: id,
          consentId: row.consentId,
          granteeOrgId: row.granteeOrgId,
          evidence,
          late,
        },
      });
      return this.view(updated);
    });
  }

  /** Escalates requests past their deadline unconfirmed: both sides told, the regulator's queue shows them. */
  async escalateOverdue(): Promise<number> {
    const now = this.deps.clock.now();
    const due = await this.db
      .select({ id: deletionRequests.id })
      .from(deletionRequests)
      .where(
        and(
          isNull(deletionRequests.confirmedAt),
          isNull(deletionRequests.escalatedAt),
          lte(deletionRequests.dueAt, now),
        ),
      );
    let escalated = 0;
    for (const { id } of due) {
      escalated += await this.db.transaction(async (tx) => {
        // Claimed by its update: a second sweep, or a confirmation that came first, finds nothing to do.
        const [row] = (await tx
          .update(deletionRequests)
          .set({ escalatedAt: now })
          .where(
            and(
              eq(deletionRequests.id, id),
              isNull(deletionRequests.confirmedAt),
              isNull(deletionRequests.escalatedAt),
            ),
          )
          .returning()) as DeletionRequestRow[];
        if (!row) return 0;
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: row.providerOrgId,
          action: 'deletion-request.escalate',
          object: { type: 'deletion-request', id },
          reason: 'not confirmed by its deadline',
          data: { consentId: row.consentId, granteeOrgId: row.granteeOrgId, dueAt: row.dueAt.toISOString() },
        });
        await this.deps.events.publish(tx, 'deletion-request.overdue', {
          to: { provider: row.providerOrgId, grantee: row.granteeOrgId },
          objectId: id,
          title: 'Deletion not confirmed in time',
          body: `Deletion request ${id} was due at ${row.dueAt.toISOString()} and is not confirmed; it is in the regulator's queue.`,
          data: {
            deletionRequestId: id,
            consentId: row.consentId,
            granteeOrgId: row.granteeOrgId,
            dueAt: row.dueAt.toISOString(),
          },
        });
        return 1;
      });
    }
    return escalated;
  }

  /** Escalated requests still unconfirmed, oldest deadline first (the regulator's queue). */
  async escalated(limit: number): Promise<DeletionRequest[]> {
    const rows = await this.db
      .select()
      .from(deletionRequests)
      .where(and(isNotNull(deletionRequests.escalatedAt), isNull(deletionRequests.confirmedAt)))
      .orderBy(deletionRequests.dueAt)
      .limit(limit);
    return rows.map((row) => this.view(row));
  }
}
