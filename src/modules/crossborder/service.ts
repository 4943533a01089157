import { and, arrayContains, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import type { LedgerAction } from '../audit/actions.js';
import type { AuditLedger } from '../audit/service.js';
import type { NotificationService } from '../community/notifications.js';
import { isOverseer, type Principal, requireKind, requireRole } from '../identity/principal.js';
import type { Location } from '../identity/schema.js';
import { type HolidayCalendar, hongKongDate, startOfHongKongDay } from './calendar.js';
import {
  type ApiTransferFlow,
  apiFlowKey,
  boundaryBetween,
  isCrossBoundary,
  jurisdictionOf,
  missingSubmissionSteps,
  stepMissedBy,
} from './gate.js';
import { type ImpactAssessment, type TransferState, transfers } from './schema.js';

/** The catalogued events of a transfer's state (reminders are the reminder service's). */
type TransferEvent =
  | 'transfer.submitted'
  | 'transfer.under-review'
  | 'transfer.approved'
  | 'transfer.filed'
  | 'transfer.rejected'
  | 'transfer.revoked'
  | 'transfer.suspended'
  | 'transfer.expired';

export type Transfer = typeof transfers.$inferSelect;

export { isCrossBoundary, type Jurisdiction, jurisdictionOf } from './gate.js';

/** Days the sender has to file after the contract takes effect (working days). */
export const filingWorkingDays = 10;
export const minimumRetentionYears = 3;

export interface TransferInput {
  providerOrgId: string;
  recipientOrgId: string;
  datasetIds: string[];
  /** APIs whose calls carry the personal data through the gateway. */
  apiIds?: string[];
  dataCategories: string[];
  volume: string;
  purpose: string;
  noOnwardTransfer: boolean;
  retentionYears: number;
  expiresAt: string;
}

type OrgLocations = (orgIds: string[]) => Promise<Map<string, Location | null>>;

/**
 * The state a transfer is in now. Stored state is what was decided; time can move it further: an
 * approved transfer whose filing date has passed unfiled is suspended, one past its end is expired.
 * The gate reads this, so a deadline takes effect even before the sweep records it.
 */
export function currentState(transfer: Transfer, now: Date): TransferState {
  if (transfer.state === 'revoked' || transfer.state === 'rejected') return transfer.state;
  if (transfer.expiresAt <= now && ['approved', 'filed', 'suspended'].includes(transfer.state))
    return 'expired';
  if (transfer.state === 'approved' && transfer.filingDueOn && !transfer.filedOn) {
    if (hongKongDate(now) > transfer.filingDueOn) return 'suspended';
  }
  return transfer.state;
}

/**
 * The instant (epoch ms) a transfer in force now stops being in force by time alone: its end, or
 * for an approved transfer still unfiled, the end of its filing due date in Hong Kong. Null when it
 * is not in force now. The same rules as currentState, as a window the gateway can compare with the
 * clock on every call instead of waiting for a reload.
 */
export function inForceUntil(transfer: Transfer, now: Date): number | null {
  const state = currentState(transfer, now);
  if (state !== 'approved' && state !== 'filed') return null;
  const end = transfer.expiresAt.getTime();
  if (state === 'approved' && transfer.filingDueOn && !transfer.filedOn) {
    return Math.min(end, startOfHongKongDay(transfer.filingDueOn) + 86_400_000);
  }
  return end;
}

/**
 * Transfers and the gate. The gate is asked wherever personal data leaves (the governed query
 * engine; downloads): a flow between jurisdictions needs a transfer for that dataset that is
 * approved or filed, in date and not suspended; the refusal names the missing step. The gateway,
 * which never reads the database, holds the same rule for APIs in its snapshot (snapshotApiFlows).
 */
export class TransferService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      notifications: NotificationService;
      calendar: HolidayCalendar;
      locationsOf: OrgLocations;
      /** Told after a change to a transfer that covers APIs: the gateway's snapshot holds those. */
      changes?: ChangeFeed;
    },
  ) {}

  /** Tells the gateway to reload when a changed transfer covers APIs (dataset-only ones do not concern it). */
  private async announced<T extends { apiIds: string[] }>(row: T): Promise<T> {
    if (row.apiIds.length > 0) await this.deps.changes?.notify('gateway').catch(() => {});
    return row;
  }

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  private async find(transferId: string): Promise<Transfer | undefined> {
    const [row] = await this.db.select().from(transfers).where(eq(transfers.id, transferId));
    return row;
  }

  /** Either party, and regulators and operators, may read a transfer; anyone else gets 404. */
  async get(principal: Principal, transferId: string): Promise<Transfer & { currentState: TransferState }> {
    const row = await this.find(transferId);
    const isParty = row && (row.providerOrgId === principal.orgId || row.recipientOrgId === principal.orgId);
    if (!row || (!isParty && !isOverseer(principal))) throw notFound(`transfer ${transferId}`);
    return { ...row, currentState: currentState(row, this.deps.clock.now()) };
  }

  async list(
    principal: Principal,
    query: { state?: TransferState },
  ): Promise<(Transfer & { currentState: TransferState })[]> {
    const conditions: (SQL | undefined)[] = [];
    if (!isOverseer(principal)) {
      conditions.push(
        or(eq(transfers.providerOrgId, principal.orgId), eq(transfers.recipientOrgId, principal.orgId)),
      );
    }
    const rows = await this.db
      .select()
      .from(transfers)
      .where(and(...conditions))
      .orderBy(desc(transfers.createdAt))
      .limit(500);
    const now = this.deps.clock.now();
    const all = rows.map((row) => ({ ...row, currentState: currentState(row, now) }));
    return query.state ? all.filter((row) => row.currentState === query.state) : all;
  }

  /**
   * A draft transfer between two organisations, started by either. Both locations must be
   * verified, the flow must cross a boundary, and the recipient must be inside the GBA: a
   * recipient elsewhere cannot use this route at all.
   */
  async create(principal: Principal, input: TransferInput): Promise<Transfer> {
    requireRole(principal, 'admin');
    if (principal.orgId !== input.providerOrgId && principal.orgId !== input.recipientOrgId) {
      throw new AppError('forbidden', 'a transfer is started by its sender or its recipient');
    }
    const datasetIds = [...new Set(input.datasetIds)];
    const apiIds = [...new Set(input.apiIds ?? [])];
    if (datasetIds.length === 0 && apiIds.length === 0) {
      throw validationFailed(
        'datasetIds',
        'a transfer covers at least one dataset or API (datasetIds, apiIds)',
      );
    }
    if (input.retentionYears < minimumRetentionYears) {
      throw validationFailed(
        'retentionYears',
        `records are kept for at least ${minimumRetentionYears} years`,
      );
    }
    const locations = await this.deps.locationsOf([input.providerOrgId, input.recipientOrgId]);
    const from = locations.get(input.providerOrgId);
    const to = locations.get(input.recipientOrgId);
    if (!from || !to) {
      throw new AppError(
        'location-unverified',
        'both organisations need a location verified by an operator first',
      );
    }
    if (jurisdictionOf(to) === 'elsewhere' || jurisdictionOf(from) === 'elsewhere') {
      throw new AppError(
        'transfer-not-permitted',
        `the GBA standard contract covers Hong Kong, Macao and the nine Mainland GBA cities; ${jurisdictionOf(to) === 'elsewhere' ? 'the recipient' : 'the sender'} is elsewhere`,
      );
    }
    if (!isCrossBoundary(from, to))
      throw conflict(`${from} to ${to} does not cross a boundary: no transfer is needed`);
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt <= this.deps.clock.now()) throw validationFailed('expiresAt', 'must lie in the future');
    const now = this.deps.clock.now();
    return this.announced(
      await this.db.transaction(async (tx) => {
        const [row] = (await tx
          .insert(transfers)
          .values({
            id: newId('transfer'),
            providerOrgId: input.providerOrgId,
            recipientOrgId: input.recipientOrgId,
            providerLocation: from,
            recipientLocation: to,
            datasetIds,
            apiIds,
            dataCategories: input.dataCategories,
            volume: input.volume,
            purpose: input.purpose,
            noOnwardTransfer: input.noOnwardTransfer,
            retentionYears: input.retentionYears,
            expiresAt,
            state: 'draft',
            createdBy: principal.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning()) as [Transfer];
        await this.deps.audit.append(tx, {
          actor: this.actor(principal),
          orgId: principal.orgId,
          action: 'transfer.create',
          object: { type: 'transfer', id: row.id },
          data: { ...input, providerLocation: from, recipientLocation: to },
        });
        return row;
      }),
    );
  }

  /** Loads a transfer for a change by one party, locked, in the states the change needs. */
  private async forChange(
    tx: Tx,
    principal: Principal,
    transferId: string,
    party: 'provider' | 'recipient' | 'either',
    states: TransferState[],
  ): Promise<Transfer> {
    const [row] = await tx.select().from(transfers).where(eq(transfers.id, transferId)).for('update');
    const isProvider = row?.providerOrgId === principal.orgId;
    const isRecipient = row?.recipientOrgId === principal.orgId;
    if (!row || (!isProvider && !isRecipient)) throw notFound(`transfer ${transferId}`);
    requireRole(principal, 'admin');
    if (party === 'provider' && !isProvider) throw new AppError('forbidden', 'only the sender may do this');
    if (party === 'recipient' && !isRecipient)
      throw new AppError('forbidden', 'only the recipient may do this');
    const state = currentState(row, this.deps.clock.now());
    if (!states.includes(state))
      throw conflict(`the transfer is ${state}; this needs ${states.join(' or ')}`);
    return row;
  }

  private async update(
    tx: Tx,
    principal: Principal,
    row: Transfer,
    patch: Partial<Transfer>,
    action: LedgerAction,
    data: Record<string, unknown> = {},
    decision?: 'allow' | 'deny',
  ): Promise<Transfer> {
    const [updated] = (await tx
      .update(transfers)
      .set({ ...patch, updatedAt: this.deps.clock.now() })
      .where(eq(transfers.id, row.id))
      .returning()) as [Transfer];
    await this.deps.audit.append(tx, {
      actor: this.actor(principal),
      orgId: principal.orgId,
      action,
      object: { type: 'transfer', id: row.id },
      decision,
      reason: patch.reason ?? null,
      data,
    });
    return updated;
  }

  /** The sender records its personal-information impact assessment (before submitting). */
  async recordAssessment(
    principal: Principal,
    transferId: string,
    assessment: ImpactAssessment,
  ): Promise<Transfer> {
    const today = hongKongDate(this.deps.clock.now());
    if (assessment.completedOn > today) throw validationFailed('completedOn', 'cannot lie in the future');
    return this.announced(
      await this.db.transaction(async (tx) => {
        const row = await this.forChange(tx, principal, transferId, 'provider', ['draft']);
        return this.update(
          tx,
          principal,
          row,
          { impactAssessment: assessment },
          'transfer.assessment.record',
          {
            ...assessment,
          },
        );
      }),
    );
  }

  /**
   * Each party signs the standard contract. When both have, it takes effect on the later date
   * and the filing falls due 10 working days after (by the holiday calendar).
   */
  async sign(principal: Principal, transferId: string): Promise<Transfer> {
    const now = this.deps.clock.now();
    return this.announced(
      await this.db.transaction(async (tx) => {
        const row = await this.forChange(tx, principal, transferId, 'either', ['draft']);
        const isProvider = row.providerOrgId === principal.orgId;
        const patch: Partial<Transfer> = isProvider ? { providerSignedAt: now } : { recipientSignedAt: now };
        const provider = isProvider ? now : row.providerSignedAt;
        const recipient = isProvider ? row.recipientSignedAt : now;
        if (provider && recipient) {
          const effective = hongKongDate(new Date(Math.max(provider.getTime(), recipient.getTime())));
          patch.contractEffectiveOn = effective;
          patch.filingDueOn = this.deps.calendar.addWorkingDays(effective, filingWorkingDays);
        }
        return this.update(tx, principal, row, patch, 'transfer.contract.sign', {
          side: isProvider ? 'sender' : 'recipient',
          contractEffectiveOn: patch.contractEffectiveOn ?? null,
          filingDueOn: patch.filingDueOn ?? null,
        });
      }),
    );
  }

  /**
   * A transfer's change of state, as its catalogued event: to the sending and the receiving side
   * as the catalogue names them (a submission only to the recipient), in the change's transaction.
   */
  private async announce(
    tx: Executor,
    type: TransferEvent,
    row: Transfer,
    state: TransferState,
    title: string,
    body: string,
  ): Promise<void> {
    await this.deps.notifications.publish(tx, type, {
      to: { sender: row.providerOrgId, recipient: row.recipientOrgId },
      objectId: row.id,
      title,
      body,
      data: {
        transferId: row.id,
        providerOrgId: row.providerOrgId,
        recipientOrgId: row.recipientOrgId,
        state,
      },
    });
  }

  /** What is still missing before a transfer can be submitted, in the order the steps come. */
  missingSteps(row: Transfer): string[] {
    return missingSubmissionSteps(row);
  }

  async submit(principal: Principal, transferId: string): Promise<Transfer> {
    return this.announced(
      await this.db.transaction(async (tx) => {
        const row = await this.forChange(tx, principal, transferId, 'provider', ['draft']);
        const missing = this.missingSteps(row);
        if (missing.length > 0) {
          throw new AppError('transfer-incomplete', `cannot submit yet: ${missing.join('; ')}`, {
            missingSteps: missing,
          });
        }
        const result = await this.update(tx, principal, row, { state: 'submitted' }, 'transfer.submit');
        await this.announce(
          tx,
          'transfer.submitted',
          row,
          'submitted',
          'A cross-boundary transfer was submitted for review',
          `Transfer ${row.id} (${row.providerLocation} → ${row.recipientLocation}) awaits a regulator's review.`,
        );
        return result;
      }),
    );
  }

  /** A regulator takes a submitted transfer into review, then approves or rejects it with a reason. */
  async review(
    principal: Principal,
    transferId: string,
    decision: 'start' | 'approve' | 'reject',
    reason?: string,
  ): Promise<Transfer> {
    requireKind(principal, 'regulator');
    if (decision !== 'start' && !reason) throw validationFailed('reason', 'a decision needs a reason');
    return this.announced(
      await this.db.transaction(async (tx) => {
        const [row] = await tx.select().from(transfers).where(eq(transfers.id, transferId)).for('update');
        if (!row) throw notFound(`transfer ${transferId}`);
        const state = currentState(row, this.deps.clock.now());
        const from: TransferState = decision === 'start' ? 'submitted' : 'under-review';
        if (state !== from) throw conflict(`the transfer is ${state}; this needs ${from}`);
        const to: TransferState =
          decision === 'start' ? 'under-review' : decision === 'approve' ? 'approved' : 'rejected';
        const updated = await this.update(
          tx,
          principal,
          row,
          { state: to, reason: reason ?? null, decidedBy: principal.userId },
          `transfer.review.${decision}`,
          { providerOrgId: row.providerOrgId, recipientOrgId: row.recipientOrgId },
          decision === 'start' ? undefined : decision === 'approve' ? 'allow' : 'deny',
        );
        await this.announce(
          tx,
          `transfer.${to}`,
          row,
          to,
          `Cross-boundary transfer ${to}`,
          decision === 'start'
            ? `A regulator is reviewing transfer ${row.id}.`
            : decision === 'approve'
              ? `Transfer ${row.id} is approved. The sender must file it with the authority by ${row.filingDueOn}.`
              : `Transfer ${row.id} was rejected: ${reason}`,
        );
        return updated;
      }),
    );
  }

  /** The sender records the filing with its authority (after approval; lifts a suspension for late filing). */
  async recordFiling(
    principal: Principal,
    transferId: string,
    filing: { filedOn: string; reference: string },
  ) {
    if (filing.filedOn > hongKongDate(this.deps.clock.now())) {
      throw validationFailed('filedOn', 'cannot lie in the future');
    }
    return this.announced(
      await this.db.transaction(async (tx) => {
        const row = await this.forChange(tx, principal, transferId, 'provider', ['approved', 'suspended']);
        const late = row.filingDueOn !== null && filing.filedOn > row.filingDueOn;
        const result = await this.update(
          tx,
          principal,
          row,
          { state: 'filed', filedOn: filing.filedOn, filingReference: filing.reference },
          'transfer.file',
          { ...filing, filingDueOn: row.filingDueOn, late },
        );
        await this.announce(
          tx,
          'transfer.filed',
          row,
          'filed',
          'Cross-boundary transfer filed',
          `Transfer ${row.id} was filed with the authority on ${filing.filedOn} (reference ${filing.reference}).`,
        );
        return result;
      }),
    );
  }

  async revoke(principal: Principal, transferId: string, reason: string): Promise<Transfer> {
    return this.announced(
      await this.db.transaction(async (tx) => {
        const row = await this.forChange(tx, principal, transferId, 'either', [
          'draft',
          'submitted',
          'under-review',
          'approved',
          'filed',
          'suspended',
        ]);
        const result = await this.update(tx, principal, row, { state: 'revoked', reason }, 'transfer.revoke');
        await this.announce(
          tx,
          'transfer.revoked',
          row,
          'revoked',
          'Cross-boundary transfer revoked',
          `Transfer ${row.id} was revoked: ${reason}`,
        );
        return result;
      }),
    );
  }

  /**
   * Records what time has done: approved transfers whose filing is overdue are suspended (both
   * parties are told), transfers past their end expire. The gate does not wait for this.
   */
  async sweep(): Promise<{ suspended: number; expired: number }> {
    const now = this.deps.clock.now();
    const open = await this.db
      .select()
      .from(transfers)
      .where(inArray(transfers.state, ['approved', 'filed', 'suspended']));
    let suspended = 0;
    let expired = 0;
    for (const row of open) {
      const state = currentState(row, now);
      if (state === row.state) continue;
      const isMoved = await this.db.transaction(async (tx) => {
        // A transfer another node's sweep moved first is left to that sweep's entry and notices.
        const moved = await tx
          .update(transfers)
          .set({ state, updatedAt: now })
          .where(and(eq(transfers.id, row.id), eq(transfers.state, row.state)))
          .returning({ id: transfers.id });
        if (moved.length === 0) return false;
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: row.providerOrgId,
          action: `transfer.${state === 'suspended' ? 'suspend' : 'expire'}`,
          object: { type: 'transfer', id: row.id },
          reason:
            state === 'suspended'
              ? `the filing was due on ${row.filingDueOn}`
              : 'the transfer reached its end',
          data: { filingDueOn: row.filingDueOn, expiresAt: row.expiresAt.toISOString() },
        });
        await this.announce(
          tx,
          state === 'suspended' ? 'transfer.suspended' : 'transfer.expired',
          row,
          state,
          state === 'suspended' ? 'Transfer suspended: filing overdue' : 'Transfer expired',
          state === 'suspended'
            ? `Transfer ${row.id} was not filed by ${row.filingDueOn} and is suspended until it is. No personal data crosses meanwhile.`
            : `Transfer ${row.id} has expired.`,
        );
        return true;
      });
      if (!isMoved) continue;
      if (state === 'suspended') suspended += 1;
      else expired += 1;
    }
    return { suspended, expired };
  }

  /**
   * The gate: may personal data of `datasetId` flow from the provider to the recipient now?
   * Returns null when it may (same jurisdiction, or an approved/filed transfer in force), else the
   * problem that names the missing step. The caller records a refusal (recordRefusal) when data was asked for.
   * A caller that has just read both parties' verified locations (the query engine's grants read)
   * passes them as `known` rather than have them read again; transfers are always read here.
   */
  async check(
    flow: { providerOrgId: string; recipientOrgId: string; datasetId: string; actorId: string },
    known?: { providerLocation: Location | null; recipientLocation: Location | null },
  ): Promise<AppError | null> {
    if (flow.providerOrgId === flow.recipientOrgId) return null;
    let from: Location | null | undefined;
    let to: Location | null | undefined;
    if (known) {
      from = known.providerLocation;
      to = known.recipientLocation;
    } else {
      const locations = await this.deps.locationsOf([flow.providerOrgId, flow.recipientOrgId]);
      from = locations.get(flow.providerOrgId);
      to = locations.get(flow.recipientOrgId);
    }
    const boundary = boundaryBetween(from, to);
    if (boundary === 'same-jurisdiction') return null;
    const problem =
      boundary === 'cross-boundary'
        ? // Both locations are verified: boundaryBetween refuses otherwise.
          await this.transferProblem(flow, from!, to!)
        : new AppError(boundary.code, boundary.detail, { missingStep: boundary.missingStep });
    return problem;
  }

  /** Writes a refusal of the gate to the ledger (the caller tried to read the data). */
  async recordRefusal(
    flow: { providerOrgId: string; recipientOrgId: string; datasetId: string; actorId: string },
    problem: AppError,
  ): Promise<void> {
    await this.deps.audit.record({
      actor: { type: 'user', id: flow.actorId },
      orgId: flow.recipientOrgId,
      action: 'transfer.gate',
      object: { type: 'dataset', id: flow.datasetId },
      decision: 'deny',
      reason: problem.message,
      data: { providerOrgId: flow.providerOrgId, missingStep: problem.extensions.missingStep ?? null },
    });
  }

  private async transferProblem(
    flow: { providerOrgId: string; recipientOrgId: string; datasetId: string },
    from: Location,
    to: Location,
  ): Promise<AppError | null> {
    const now = this.deps.clock.now();
    const rows = await this.db
      .select()
      .from(transfers)
      .where(
        and(
          eq(transfers.providerOrgId, flow.providerOrgId),
          eq(transfers.recipientOrgId, flow.recipientOrgId),
          arrayContains(transfers.datasetIds, [flow.datasetId]),
        ),
      )
      .orderBy(desc(transfers.createdAt));
    const states = rows.map((row) => ({ row, state: currentState(row, now) }));
    if (states.some(({ state }) => state === 'approved' || state === 'filed')) return null;
    const best = states[0];
    const { missingStep, detail } = best
      ? stepMissedBy(best.row, best.state)
      : {
          missingStep: 'transfer',
          detail: 'no transfer covers this dataset; the parties must start one (POST /v1/transfers)',
        };
    return new AppError(
      'transfer-required',
      `${from} → ${to} is a cross-boundary flow of personal data: ${detail}`,
      { missingStep, transferId: best?.row.id ?? null },
    );
  }

  /**
   * The gateway's part of the gate (see TransferGate): for every flow (sender → recipient, one API)
   * that some transfer covers, until when a transfer in force covers it, and what a refusal names
   * after that. Transfers covering APIs are few (each is a signed contract), so all of them are read.
   */
  async snapshotApiFlows(): Promise<Map<string, ApiTransferFlow>> {
    const now = this.deps.clock.now();
    const rows = await this.db
      .select()
      .from(transfers)
      .where(sql`cardinality(${transfers.apiIds}) > 0`)
      .orderBy(desc(transfers.createdAt));
    const byFlow = new Map<string, Transfer[]>();
    for (const row of rows) {
      for (const apiId of row.apiIds) {
        const key = apiFlowKey(row.providerOrgId, row.recipientOrgId, apiId);
        byFlow.set(key, [...(byFlow.get(key) ?? []), row]);
      }
    }
    const flows = new Map<string, ApiTransferFlow>();
    for (const [key, covering] of byFlow) {
      // The transfer in force longest governs; with none in force, the latest names the missing step.
      let governing = covering[0]!;
      let untilMs = 0;
      for (const row of covering) {
        const until = inForceUntil(row, now);
        if (until !== null && until > untilMs) {
          governing = row;
          untilMs = until;
        }
      }
      const lapsedAt = untilMs > 0 ? new Date(untilMs) : now;
      const step = stepMissedBy(governing, currentState(governing, lapsedAt));
      flows.set(key, { inForceUntilMs: untilMs, lapsed: { ...step, transferId: governing.id } });
    }
    return flows;
  }
}
