import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import type { AuditEventInput, AuditLedger } from '../audit/service.js';
import type { Principal } from '../identity/principal.js';

/** A governed or lab query, or a lab training job, that was refused or failed, as the ledger records it. */
export interface Refusal {
  kind: 'query' | 'lab' | 'lab-job' | 'lab-twin';
  /** The problem code the caller was answered with. */
  code: string;
  /**
   * The SHA-256 of the query's SQL; of a training job's spec (`specSha256` on the ledger); of a twin
   * request's dataset and parameters (`requestSha256`).
   */
  sqlSha256: string;
  /** Datasets the query named (ids), with the organisation that owns each. */
  datasets: { id: string; orgId: string }[];
  /** Names the query used that are none of the caller's datasets (probes for other data). */
  unknownNames: string[];
  labId?: string;
}

interface Window {
  start: number;
  principal: Principal;
  kind: Refusal['kind'];
  count: number;
  codes: Set<string>;
  datasets: Map<string, string>;
  sqlHashes: Set<string>;
  labIds: Set<string>;
  notified: Set<string>;
}

export interface RefusalLogDeps {
  db: Db;
  clock: Clock;
  audit: AuditLedger;
  /** Tells data owners that an organisation keeps being refused on their data (in the caller's transaction). */
  notifyOwners?: (
    tx: Executor,
    notice: { ownerOrgIds: string[]; probingOrgId: string; count: number; datasetIds: string[] },
  ) => Promise<void>;
  windowMs?: number;
  /** Refusals of one principal within a window after which the data owners hear of it. */
  notifyAfter?: number;
}

const maxNames = 10;

/**
 * Per kind of refusal: the ledger actions of the first of a minute and of the minute's summary, and
 * the name its hash goes by.
 */
const refusalActions = {
  query: { first: 'query.refuse', summary: 'query.refuse.summary', hash: 'sqlSha256' },
  lab: { first: 'lab.query.refuse', summary: 'lab.query.refuse.summary', hash: 'sqlSha256' },
  'lab-job': { first: 'lab.job.refuse', summary: 'lab.job.refuse.summary', hash: 'specSha256' },
  'lab-twin': { first: 'lab.twin.refuse', summary: 'lab.twin.refuse.summary', hash: 'requestSha256' },
} as const;
const maxHashes = 20;

/**
 * Refusals on the record, without letting a prober flood the ledger. Per principal and minute (a
 * window opened by the principal's first refusal), the first refusal is a ledger entry of its own (`query.refuse` / `lab.query.refuse`: principal,
 * organisation, SQL hash, code, datasets and labs named); later ones in the same minute are counted
 * and written as one `query.refuse.summary` entry when the minute closes (on the next refusal, the
 * periodic flush, or shutdown). When one principal's refusals in a minute reach `notifyAfter`, the
 * organisations owning the datasets named are notified once for that minute. Both entries name
 * their datasets as `datasetIds`, so a regulator's per-dataset history shows them as probes.
 */
export class RefusalLog {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly notifyAfter: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RefusalLogDeps) {
    this.windowMs = deps.windowMs ?? 60_000;
    this.notifyAfter = deps.notifyAfter ?? 5;
  }

  /** Starts the periodic flush of closed windows. */
  start(): void {
    this.timer ??= setInterval(() => {
      void this.flush(false).catch(() => {});
    }, this.windowMs);
    this.timer.unref();
  }

  async record(principal: Principal, refusal: Refusal): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const key = `${refusal.kind}\u0000${principal.orgId}\u0000${principal.userId}`;
    let window = this.windows.get(key);
    if (window && now >= window.start + this.windowMs) {
      this.windows.delete(key);
      const summary = this.summaryOf(window);
      if (summary) await this.deps.audit.record(summary);
      window = undefined;
    }
    const names = refusal.unknownNames.slice(0, maxNames);
    if (!window) {
      window = {
        start: now,
        principal,
        kind: refusal.kind,
        count: 0,
        codes: new Set(),
        datasets: new Map(),
        sqlHashes: new Set(),
        labIds: new Set(),
        notified: new Set(),
      };
      this.windows.set(key, window);
      await this.deps.audit.record({
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: refusalActions[refusal.kind].first,
        object: refusal.labId ? { type: 'lab', id: refusal.labId } : { type: 'query', id: null },
        decision: 'deny',
        reason: refusal.code,
        data: {
          code: refusal.code,
          [refusalActions[refusal.kind].hash]: refusal.sqlSha256,
          datasetIds: refusal.datasets.map((dataset) => dataset.id),
          unknownNames: names,
          ...(refusal.labId ? { labId: refusal.labId } : {}),
        },
      });
    } else {
      window.count += 1;
      window.codes.add(refusal.code);
      if (window.sqlHashes.size < maxHashes) window.sqlHashes.add(refusal.sqlSha256);
      if (refusal.labId) window.labIds.add(refusal.labId);
    }
    for (const dataset of refusal.datasets) window.datasets.set(dataset.id, dataset.orgId);
    await this.maybeNotify(window, refusal);
  }

  private async maybeNotify(window: Window, refusal: Refusal): Promise<void> {
    if (!this.deps.notifyOwners || window.count + 1 < this.notifyAfter) return;
    const owners = [
      ...new Set(
        refusal.datasets.map((dataset) => dataset.orgId).filter((orgId) => orgId !== window.principal.orgId),
      ),
    ].filter((orgId) => !window.notified.has(orgId));
    if (owners.length === 0) return;
    for (const orgId of owners) window.notified.add(orgId);
    const notify = this.deps.notifyOwners;
    await this.deps.db.transaction((tx) =>
      notify(tx, {
        ownerOrgIds: owners,
        probingOrgId: window.principal.orgId,
        count: window.count + 1,
        datasetIds: [...window.datasets.entries()]
          .filter(([, orgId]) => owners.includes(orgId))
          .map(([id]) => id),
      }),
    );
  }

  /** The summary entry of a closed window; none when nothing followed its first refusal. */
  private summaryOf(window: Window): AuditEventInput | null {
    if (window.count === 0) return null;
    const { principal } = window;
    return {
      actor: { type: principal.type, id: principal.userId },
      orgId: principal.orgId,
      action: refusalActions[window.kind].summary,
      object: { type: 'query', id: null },
      decision: 'deny',
      reason: [...window.codes].sort().join(','),
      data: {
        count: window.count,
        codes: [...window.codes].sort(),
        [`${refusalActions[window.kind].hash}s`]: [...window.sqlHashes],
        datasetIds: [...window.datasets.keys()].sort(),
        labIds: [...window.labIds].sort(),
        windowStart: new Date(window.start).toISOString(),
        windowEnd: new Date(window.start + this.windowMs).toISOString(),
      },
    };
  }

  /**
   * Writes the summaries of closed windows (all windows when `everything`, as at shutdown) as one
   * batch: one transaction and one turn of the ledger lock, however many principals were refused.
   */
  async flush(everything = true): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const summaries: AuditEventInput[] = [];
    for (const [key, window] of [...this.windows]) {
      if (!everything && window.start + this.windowMs > now) continue;
      this.windows.delete(key);
      const summary = this.summaryOf(window);
      if (summary) summaries.push(summary);
    }
    if (summaries.length > 0) await this.deps.audit.record(summaries);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush(true).catch(() => {});
  }
}
