import { createHash } from 'node:crypto';
import { and, desc, eq, gt, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { checkOutboundUrl, refusePrivateHost } from '../../infra/outbound.js';
import { type Page, pageOf } from '../../infra/paging.js';
import type { AuditLedger } from '../audit/service.js';
import type { Dataset, DatasetService } from '../catalog/datasets.js';
import type { RecordReport } from '../catalog/dcat-ap-validation.js';
import { authorize, isOperator, type Principal, requireKind, requireRole } from '../identity/principal.js';
import { readCkan } from './ckan-source.js';
import { readDcat } from './dcat-source.js';
import {
  type FetchText,
  HarvestFetchError,
  recordHash,
  type SourcePage,
  type SourceRecord,
} from './mapping.js';
import {
  type HarvestCounts,
  type HarvestFailure,
  type HarvestKind,
  type HarvestOptions,
  type HarvestProgress,
  type HarvestRecordReport,
  harvestRuns,
  harvestSources,
  type UnmappedLicence,
} from './schema.js';

export type HarvestSource = typeof harvestSources.$inferSelect;
export type HarvestRun = typeof harvestRuns.$inferSelect;

export interface CreateSourceInput {
  kind: HarvestKind;
  name: string;
  url: string;
  /** Hours between scheduled runs; null or absent: manual runs only. */
  intervalHours?: number | null;
  options?: HarvestOptions;
}

export interface RunOptions {
  trigger?: 'manual' | 'schedule';
  /** Called after each page, for progress bars. */
  onProgress?: (progress: HarvestProgress) => void;
}

type Actor = { type: string; id: string | null };

const fetchTimeoutMs = 30_000;
const fetchMaxBytes = 50 * 1024 * 1024;
const maxRedirects = 5;
/** A run that has said nothing for this long died with its process; it no longer blocks the next. */
const abandonedAfterMs = 60 * 60 * 1000;
/** Failures kept in a run's report (the count is exact; the list is a sample). */
const maxReportedFailures = 200;
const schedulerActor: Actor = { type: 'system', id: 'harvest-scheduler' };

const emptyCounts = (): HarvestCounts => ({ new: 0, changed: 0, unchanged: 0, withdrawn: 0, failed: 0 });

/**
 * Harvesting: organisations register CKAN portals and DCAT catalogues; each run reads the whole
 * catalogue, maps its records to datasets owned by the registering organisation, and compares them
 * with what earlier runs imported (by the record's identifier at the source): new records are
 * created and published, changed ones updated, missing ones withdrawn. Withdrawal happens only
 * after the catalogue was read to its end, so an outage or a broken page never empties the
 * catalogue; a record that cannot be mapped or written fails alone and is named in the report.
 */
export class HarvestService {
  /** Runs started in the background (HTTP `wait=false`, the scheduler), awaited on shutdown. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private sweeping: Promise<void> | undefined;

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      datasets: DatasetService;
      /** Sources may be on loopback or private networks (tests, closed deployments). Default: no. */
      allowPrivateFetch: boolean;
      /** A harvested dataset's DCAT-AP 3 record checked against the profile's shapes. */
      checkRecord?: (dataset: Dataset) => Promise<RecordReport>;
    },
  ) {}

  private get db() {
    return this.deps.db;
  }

  // ---- sources ----------------------------------------------------------------------------------

  private async checkUrl(value: string): Promise<string> {
    return (await checkOutboundUrl(value, { allowPrivate: this.deps.allowPrivateFetch })).toString();
  }

  async create(principal: Principal, input: CreateSourceInput): Promise<HarvestSource> {
    requireKind(principal, 'operator', 'provider');
    requireRole(principal, 'admin');
    const url = await this.checkUrl(input.url);
    const options = input.options ?? {};
    if (input.kind === 'ckan' && options.format) {
      throw validationFailed('options.format', 'applies to DCAT sources only');
    }
    if (input.kind === 'dcat' && (options.fq || options.organization || options.pageSize)) {
      throw validationFailed('options', 'fq, organization and pageSize apply to CKAN sources only');
    }
    const now = this.deps.clock.now();
    const id = newId('harvestSource');
    return this.db.transaction(async (tx) => {
      const [row] = (await tx
        .insert(harvestSources)
        .values({
          id,
          orgId: principal.orgId,
          kind: input.kind,
          name: input.name,
          url,
          intervalHours: input.intervalHours ?? null,
          options,
          status: 'active',
          // A scheduled source runs at the scheduler's next sweep, then every intervalHours.
          nextRunAt: input.intervalHours ? now : null,
          createdBy: principal.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning()) as [HarvestSource];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'harvest.source.create',
        object: { type: 'harvest-source', id },
        data: { kind: input.kind, name: input.name, url, intervalHours: row.intervalHours, options },
      });
      return row;
    });
  }

  /** A source the caller's organisation registered (operators reach every source). */
  async get(principal: Principal, sourceId: string): Promise<HarvestSource> {
    const [row] = await this.db.select().from(harvestSources).where(eq(harvestSources.id, sourceId));
    return authorize(principal, row, `harvest source ${sourceId}`, { operatorMay: true });
  }

  async list(principal: Principal, query: { cursor?: string; limit: number }): Promise<Page<HarvestSource>> {
    const conditions: (SQL | undefined)[] = [
      isOperator(principal) ? undefined : eq(harvestSources.orgId, principal.orgId),
      query.cursor ? gt(harvestSources.id, query.cursor) : undefined,
    ];
    const rows = await this.db
      .select()
      .from(harvestSources)
      .where(and(...conditions))
      .orderBy(harvestSources.id)
      .limit(query.limit + 1);
    return pageOf(rows, query.limit, (row) => row.id);
  }

  /** Disables a source: no more runs; what it imported stays (withdraw it by editing, if wanted). */
  async disable(principal: Principal, sourceId: string): Promise<HarvestSource> {
    const source = await this.get(principal, sourceId);
    requireRole(principal, 'admin');
    return this.db.transaction(async (tx) => {
      const [row] = (await tx
        .update(harvestSources)
        .set({ status: 'disabled', nextRunAt: null, updatedAt: this.deps.clock.now() })
        .where(eq(harvestSources.id, source.id))
        .returning()) as [HarvestSource];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: source.orgId,
        action: 'harvest.source.disable',
        object: { type: 'harvest-source', id: source.id },
      });
      return row;
    });
  }

  // ---- runs -------------------------------------------------------------------------------------

  async listRuns(principal: Principal, sourceId: string, limit = 20): Promise<HarvestRun[]> {
    const source = await this.get(principal, sourceId);
    return this.db
      .select()
      .from(harvestRuns)
      .where(eq(harvestRuns.sourceId, source.id))
      .orderBy(desc(harvestRuns.startedAt), desc(harvestRuns.id))
      .limit(limit);
  }

  async getRun(principal: Principal, sourceId: string, runId: string): Promise<HarvestRun> {
    const source = await this.get(principal, sourceId);
    const [row] = await this.db
      .select()
      .from(harvestRuns)
      .where(and(eq(harvestRuns.id, runId), eq(harvestRuns.sourceId, source.id)));
    return authorize(principal, row, `harvest run ${runId}`, { operatorMay: true });
  }

  /** Runs a source now and returns its report once it is finished. */
  async run(principal: Principal, sourceId: string, options: RunOptions = {}): Promise<HarvestRun> {
    const source = await this.get(principal, sourceId);
    requireRole(principal, 'admin');
    const actor = { type: principal.type, id: principal.userId };
    const run = await this.begin(source, actor, options.trigger ?? 'manual');
    return this.execute(source, run, actor, options);
  }

  /** Starts a run and returns it at once (status `running`); poll getRun for progress and the report. */
  async start(principal: Principal, sourceId: string): Promise<HarvestRun> {
    const source = await this.get(principal, sourceId);
    requireRole(principal, 'admin');
    const actor = { type: principal.type, id: principal.userId };
    const run = await this.begin(source, actor, 'manual');
    this.track(this.execute(source, run, actor, {}));
    return run;
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch(() => {});
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  /** Runs every active scheduled source whose time has come, one after another. */
  runDue(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        const due = await this.db
          .select()
          .from(harvestSources)
          .where(
            and(
              eq(harvestSources.status, 'active'),
              isNotNull(harvestSources.intervalHours),
              lte(harvestSources.nextRunAt, this.deps.clock.now()),
            ),
          );
        for (const source of due) {
          const run = await this.begin(source, schedulerActor, 'schedule').catch(() => null);
          if (run) await this.execute(source, run, schedulerActor, { trigger: 'schedule' }).catch(() => {});
        }
      } finally {
        this.sweeping = undefined;
      }
    })();
    const sweep = this.sweeping;
    this.track(sweep);
    return sweep;
  }

  /** Waits for background runs (shutdown). */
  async stop(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /**
   * Records a run as started. The source row is the lock: one run per source at a time, across
   * processes; a run silent for an hour is taken as dead (its process went away) and closed.
   */
  private async begin(
    source: HarvestSource,
    actor: Actor,
    trigger: 'manual' | 'schedule',
  ): Promise<HarvestRun> {
    if (source.status !== 'active') throw conflict(`harvest source ${source.id} is disabled`);
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      await tx
        .select({ id: harvestSources.id })
        .from(harvestSources)
        .where(eq(harvestSources.id, source.id))
        .for('update');
      const [running] = await tx
        .select()
        .from(harvestRuns)
        .where(and(eq(harvestRuns.sourceId, source.id), eq(harvestRuns.status, 'running')));
      if (running) {
        if (now.getTime() - running.startedAt.getTime() < abandonedAfterMs) {
          throw new AppError('harvest-running', `run ${running.id} of this source is still in progress`);
        }
        await tx
          .update(harvestRuns)
          .set({ status: 'failed', error: 'interrupted: the process running it stopped', finishedAt: now })
          .where(eq(harvestRuns.id, running.id));
      }
      if (source.intervalHours) {
        await tx
          .update(harvestSources)
          .set({ nextRunAt: new Date(now.getTime() + source.intervalHours * 3_600_000) })
          .where(eq(harvestSources.id, source.id));
      }
      const [run] = (await tx
        .insert(harvestRuns)
        .values({
          id: newId('harvestRun'),
          sourceId: source.id,
          orgId: source.orgId,
          trigger,
          status: 'running',
          counts: emptyCounts(),
          failures: [],
          progress: { pages: 0, fetched: 0, total: null },
          startedBy: actor.id,
          startedAt: now,
        })
        .returning()) as [HarvestRun];
      return run;
    });
  }

  private reader(source: HarvestSource): AsyncGenerator<SourcePage> {
    const fetchText: FetchText = (url, accept) => this.fetchText(url, accept);
    return source.kind === 'ckan'
      ? readCkan(source.url, source.options, fetchText)
      : readDcat(source.url, source.options, fetchText);
  }

  private async execute(
    source: HarvestSource,
    run: HarvestRun,
    actor: Actor,
    options: RunOptions,
  ): Promise<HarvestRun> {
    const fetchedAt = this.deps.clock.now().toISOString();
    const earlier = new Map<string, Dataset>();
    for (const dataset of await this.deps.datasets.harvestedFrom(source.id)) {
      if (dataset.origin) earlier.set(dataset.origin.originalId, dataset);
    }
    const counts = emptyCounts();
    const failures: HarvestFailure[] = [];
    const fail = (record: string, reason: string) => {
      counts.failed += 1;
      if (failures.length < maxReportedFailures) failures.push({ record, reason });
    };
    const seen = new Set<string>();
    const unchanged: string[] = [];
    const unmapped = new Map<string, UnmappedLicence>();
    const nonConforming: HarvestRecordReport[] = [];
    const progress: HarvestProgress = { pages: 0, fetched: 0, total: null };
    let isComplete = false;
    let error: string | null = null;
    try {
      for await (const page of this.reader(source)) {
        for (const result of page.results) {
          if (!result.ok) {
            fail(result.record, result.reason);
            continue;
          }
          const { record } = result;
          if (seen.has(record.originalId)) {
            fail(record.originalId, 'listed more than once; the first listing was used');
            continue;
          }
          seen.add(record.originalId);
          if (record.licence.unmapped) {
            const entry = unmapped.get(record.licence.unmapped) ?? {
              licence: record.licence.unmapped,
              records: 0,
              keptOpen: 0,
            };
            entry.records += 1;
            if (record.licence.isOpen) entry.keptOpen += 1;
            unmapped.set(record.licence.unmapped, entry);
          }
          try {
            const { outcome, dataset } = await this.apply(
              source,
              run,
              actor,
              record,
              earlier.get(record.originalId),
              fetchedAt,
            );
            counts[outcome] += 1;
            if (outcome === 'unchanged') unchanged.push(dataset.id);
            // Kept either way: a record that breaks the profile is flagged in the run, not dropped.
            const report = await this.deps.checkRecord?.(dataset);
            if (report && !report.conforms && nonConforming.length < maxReportedFailures) {
              nonConforming.push({
                record: record.originalId,
                datasetId: dataset.id,
                violations: report.violations,
                warnings: report.warnings,
              });
            }
          } catch (cause) {
            fail(record.originalId, `cannot be saved: ${(cause as Error).message}`);
          }
        }
        progress.pages += 1;
        progress.fetched += page.results.length;
        progress.total = page.total ?? progress.total;
        await this.db.update(harvestRuns).set({ progress, counts }).where(eq(harvestRuns.id, run.id));
        options.onProgress?.({ ...progress });
      }
      isComplete = true;
    } catch (cause) {
      error =
        cause instanceof HarvestFetchError || cause instanceof AppError
          ? cause.message
          : `the catalogue could not be read: ${(cause as Error).message}`;
    }
    await this.deps.datasets.confirmHarvested(unchanged, fetchedAt);
    // Only a catalogue read to its end tells what is gone; a partial read withdraws nothing.
    if (isComplete) {
      for (const [originalId, dataset] of earlier) {
        if (seen.has(originalId) || dataset.status !== 'published') continue;
        try {
          await this.db.transaction((tx) =>
            this.deps.datasets.withdrawHarvested(tx, dataset, { actor, runId: run.id }),
          );
          counts.withdrawn += 1;
        } catch (cause) {
          fail(originalId, `cannot be withdrawn: ${(cause as Error).message}`);
        }
      }
    }
    const digest = createHash('sha256')
      .update([...seen].sort().join('\n'))
      .digest('hex');
    return this.db.transaction(async (tx) => {
      const [finished] = (await tx
        .update(harvestRuns)
        .set({
          status: isComplete ? 'succeeded' : 'failed',
          isComplete,
          counts,
          failures,
          progress,
          error,
          unmappedLicences: [...unmapped.values()].sort((a, b) => b.records - a.records),
          nonConforming,
          finishedAt: this.deps.clock.now(),
        })
        .where(eq(harvestRuns.id, run.id))
        .returning()) as [HarvestRun];
      await this.deps.audit.append(tx, {
        actor,
        orgId: source.orgId,
        action: 'harvest.run',
        object: { type: 'harvest-source', id: source.id },
        decision: 'info',
        reason: error,
        data: {
          runId: run.id,
          trigger: run.trigger,
          url: source.url,
          isComplete,
          counts,
          // The ids the source listed, as one hash: enough to prove later what this run saw.
          recordDigest: digest,
          records: seen.size,
        },
      });
      return finished;
    });
  }

  /** Creates, updates or leaves one record's dataset, with its ledger entry, in one transaction. */
  private async apply(
    source: HarvestSource,
    run: HarvestRun,
    actor: Actor,
    record: SourceRecord,
    existing: Dataset | undefined,
    fetchedAt: string,
  ): Promise<{ outcome: 'new' | 'changed' | 'unchanged'; dataset: Dataset }> {
    const hash = recordHash(record);
    if (existing?.origin?.hash === hash && existing.status === 'published') {
      return { outcome: 'unchanged', dataset: existing };
    }
    const write = {
      actor,
      runId: run.id,
      metadata: record.metadata,
      origin: {
        sourceId: source.id,
        originalId: record.originalId,
        fetchedAt,
        landingPage: record.landingPage,
        publisher: record.publisher,
        hash,
        licenceIsOpen: record.licence.isOpen,
      },
    };
    const dataset = await this.db.transaction((tx) =>
      existing
        ? this.deps.datasets.updateHarvested(tx, existing, write)
        : this.deps.datasets.createHarvested(tx, source.orgId, record.slugHint, write),
    );
    return { outcome: existing ? 'changed' : 'new', dataset };
  }

  // ---- fetching ---------------------------------------------------------------------------------

  /**
   * A GET for a run: http(s) only, public addresses only (unless allowPrivateFetch), every
   * redirect target checked again, bounded in time and size. Any failure is a HarvestFetchError,
   * which ends the run's reading without withdrawing anything.
   */
  async fetchText(url: string, accept: string): Promise<{ text: string; contentType: string | null }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new HarvestFetchError(`"${url}" is not a URL`);
    }
    for (let hop = 0; hop <= maxRedirects; hop++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw new HarvestFetchError(`${target} is not an http(s) URL`);
      }
      if (!this.deps.allowPrivateFetch) {
        await refusePrivateHost(target.hostname).catch((cause: Error) => {
          throw new HarvestFetchError(`${target}: ${cause.message.replace(/^url: /, '')}`);
        });
      }
      let response: Response;
      try {
        response = await fetch(target, {
          headers: { accept },
          redirect: 'manual',
          signal: AbortSignal.timeout(fetchTimeoutMs),
        });
      } catch (cause) {
        const name = (cause as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError') {
          throw new HarvestFetchError(`${target} did not answer within ${fetchTimeoutMs / 1000} s`);
        }
        const reason = (cause as Error & { cause?: Error }).cause?.message ?? (cause as Error).message;
        throw new HarvestFetchError(`cannot fetch ${target}: ${reason}`);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => {});
        target = new URL(location, target);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new HarvestFetchError(`${target} answered ${response.status} ${response.statusText}`.trim());
      }
      return {
        text: await this.readBounded(response, target),
        contentType: response.headers.get('content-type'),
      };
    }
    throw new HarvestFetchError(`${url} redirects more than ${maxRedirects} times`);
  }

  private async readBounded(response: Response, target: URL): Promise<string> {
    const tooLarge = () => new HarvestFetchError(`${target} is larger than ${fetchMaxBytes} bytes`);
    if (Number(response.headers.get('content-length') ?? 0) > fetchMaxBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > fetchMaxBytes) {
            await reader.cancel().catch(() => {});
            throw tooLarge();
          }
          chunks.push(value);
        }
      } catch (cause) {
        if (cause instanceof HarvestFetchError) throw cause;
        throw new HarvestFetchError(`${target} broke off: ${(cause as Error).message}`);
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
