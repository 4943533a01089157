import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { writeAside } from '../../infra/atomic-files.js';
import { csvField } from '../../infra/csv.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { AuditLedger } from '../audit/service.js';
import type { Principal } from '../identity/principal.js';
import type { RefusalLog } from '../query/refusals.js';
import type { QueryWorkerPool } from '../query/workers.js';
import type { UniformSource } from './dp.js';
import {
  type LabTwinState,
  labBudgets,
  labDatasets,
  labs,
  labTwins,
  type TwinReport,
  twinBudgetScope,
} from './schema.js';
import type { LabService } from './service.js';
import { drawingUniform, type NoisyModel, sampleTwin, statedOneWayBound, twinIdColumn } from './synthesis.js';

export type LabTwin = typeof labTwins.$inferSelect;
type LabDatasetRow = typeof labDatasets.$inferSelect;
type LabRow = typeof labs.$inferSelect;

/** δ of a twin when none is asked for. */
export const defaultTwinDelta = 1e-6;
/** Equal-width bins per measure, and values kept per dimension at most. */
export const twinBins = 16;
export const twinMaxCategories = 64;
/** The most rows a twin may have. */
export const maxTwinRows = 5_000_000;

export interface TwinInput {
  epsilon?: number;
  delta?: number;
  rows?: number;
}

export interface TwinBudget {
  scope: typeof twinBudgetScope;
  /** The catalogue dataset whose owner pays. */
  datasetId: string;
  total: number;
  spent: number;
  remaining: number;
}

export type TwinFormat = 'csv' | 'parquet';

/** A twin as members see it: its state, report and what paid for it; never its file's place. */
export type TwinView = Omit<LabTwin, 'file'>;

function view(twin: LabTwin): TwinView {
  const { file: _file, ...rest } = twin;
  return rest;
}

/** The data owner's twin budget for a dataset: its own setting, else the lab's budget. */
function twinBudgetTotal(lab: LabRow, dataset: LabDatasetRow): number {
  return dataset.twinEpsilonBudget ?? lab.epsilonBudget;
}

function twinBudgetExhausted(budget: TwinBudget, epsilon: number): AppError {
  return new AppError(
    'privacy-budget-exhausted',
    `this twin needs ε=${epsilon} but only ε=${budget.remaining.toFixed(4)} of ${budget.total} remains ` +
      `in the data owner's budget for dataset ${budget.datasetId} in this lab`,
    { remaining: budget.remaining, total: budget.total, scope: budget.scope },
  );
}

/**
 * Synthetic twins of lab datasets (docs/differential-privacy.md, "Synthetic twins"). The data owner
 * (the organisation that attached the dataset) asks for one and pays from its own ε budget for that
 * dataset in the lab — never from the researchers'. The noisy marginals are measured in a query
 * worker confined to the lab's files (synthesis.ts); the rows are drawn here from that noisy model
 * only, written as CSV and Parquet under DATA_DIR/labs, and downloaded by the lab's members.
 *
 * A new version of the dataset reaching the lab (`LabService.refreshCopies`, run by the
 * `lab-dataset-versions` sweep) makes the platform generate the next twin with the last one's ε,
 * again from the owner's budget, or record a refusal when that budget cannot pay.
 */
export class LabTwins {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly uniform: UniformSource;

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      engine: DuckEngine;
      labs: LabService;
      workers: QueryWorkerPool;
      /** Where refused twin requests go on the ledger. */
      refusals: RefusalLog;
      /** The longest the marginals may take, in ms. */
      maxJobMs: number;
      uniform?: UniformSource;
    },
  ) {
    this.uniform = deps.uniform ?? drawingUniform();
  }

  private async dataset(labId: string, name: string): Promise<LabDatasetRow> {
    const [row] = await this.deps.db
      .select()
      .from(labDatasets)
      .where(and(eq(labDatasets.labId, labId), eq(labDatasets.name, name)));
    if (!row) throw notFound(`lab dataset ${name}`);
    return row;
  }

  private async budgetOf(db: Pick<Db, 'select'>, lab: LabRow, dataset: LabDatasetRow): Promise<TwinBudget> {
    const { datasetId } = dataset;
    const total = twinBudgetTotal(lab, dataset);
    const [row] = await db
      .select()
      .from(labBudgets)
      .where(
        and(
          eq(labBudgets.labId, lab.id),
          eq(labBudgets.scope, twinBudgetScope),
          eq(labBudgets.holderId, datasetId),
        ),
      );
    const spent = row?.spent ?? 0;
    return {
      scope: twinBudgetScope,
      datasetId,
      total,
      spent,
      remaining: Math.max(0, total - spent),
    };
  }

  /** The data owner's twin budget for a lab dataset (any member may read it). */
  async budget(principal: Principal, labId: string, name: string): Promise<TwinBudget> {
    const { lab } = await this.deps.labs.visibleLab(principal, labId);
    const dataset = await this.dataset(labId, name);
    return this.budgetOf(this.deps.db, lab, dataset);
  }

  /**
   * The data owner sets its ε budget for a dataset's twins (at most the lab's budget, which bounds
   * every holder in the lab). Lowering it below what is spent leaves nothing to spend; what was spent
   * stays spent.
   */
  async setBudget(principal: Principal, labId: string, name: string, total: number): Promise<TwinBudget> {
    const { lab } = await this.deps.labs.requireLabRole(principal, labId, 'owner', 'data-owner');
    const dataset = await this.dataset(labId, name);
    if (dataset.orgId !== principal.orgId) {
      throw new AppError('forbidden', `only the data owner of ${name} may set its twin budget`);
    }
    if (!(Number.isFinite(total) && total > 0 && total <= lab.epsilonBudget)) {
      throw validationFailed('total', `must be above 0 and at most the lab's budget ${lab.epsilonBudget}`);
    }
    return this.deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(labDatasets)
        .set({ twinEpsilonBudget: total })
        .where(and(eq(labDatasets.labId, labId), eq(labDatasets.name, name)))
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'lab.twin.budget.set',
        object: { type: 'lab', id: labId },
        data: {
          dataset: name,
          datasetId: dataset.datasetId,
          total,
          previous: twinBudgetTotal(lab, dataset),
        },
      });
      return this.budgetOf(tx, lab, row!);
    });
  }

  /**
   * Generates a twin: the data owner's request is checked, charged to its budget for the dataset and
   * recorded in one transaction, then run. A request the budget cannot pay is refused and recorded.
   */
  async generate(principal: Principal, labId: string, name: string, input: TwinInput): Promise<TwinView> {
    // Outside the lab: 404, as if it did not exist, and nothing to record against it.
    await this.deps.labs.visibleLab(principal, labId);
    try {
      const { lab } = await this.deps.labs.requireLabRole(principal, labId, 'owner', 'data-owner');
      return await this.checkAndCharge(principal, lab, name, input);
    } catch (error) {
      // A budget refusal is on the ledger already, with the budget; anything else is recorded here,
      // rate-limited per principal and minute as refused queries and jobs are.
      if (error instanceof AppError && error.code !== 'privacy-budget-exhausted') {
        const attached = await this.deps.db
          .select()
          .from(labDatasets)
          .where(and(eq(labDatasets.labId, labId), eq(labDatasets.name, name)));
        await this.deps.refusals.record(principal, {
          kind: 'lab-twin',
          code: error.code,
          sqlSha256: createHash('sha256')
            .update(JSON.stringify({ dataset: name, ...input }))
            .digest('hex'),
          datasets: attached.map((dataset) => ({ id: dataset.datasetId, orgId: dataset.orgId })),
          unknownNames: [],
          labId,
        });
      }
      throw error;
    }
  }

  private async checkAndCharge(
    principal: Principal,
    lab: LabRow,
    name: string,
    input: TwinInput,
  ): Promise<TwinView> {
    const labId = lab.id;
    const dataset = await this.dataset(labId, name);
    if (dataset.orgId !== principal.orgId) {
      throw new AppError('forbidden', `only the data owner of ${name} may pay for its twin`);
    }
    const epsilon = input.epsilon ?? lab.defaultEpsilon;
    const total = twinBudgetTotal(lab, dataset);
    if (!(epsilon >= lab.minEpsilon && epsilon <= total)) {
      throw validationFailed(
        'epsilon',
        `must be at least the lab's floor ${lab.minEpsilon} and at most the twin budget ${total}`,
      );
    }
    const delta = input.delta ?? defaultTwinDelta;
    if (!(delta > 0 && delta <= 1e-3)) throw validationFailed('delta', 'must lie in (0, 0.001]');
    if (
      input.rows !== undefined &&
      !(Number.isInteger(input.rows) && input.rows >= 1 && input.rows <= maxTwinRows)
    ) {
      throw validationFailed('rows', `must be an integer from 1 to ${maxTwinRows}`);
    }
    return this.charge(lab, dataset, { epsilon, delta, rows: input.rows ?? null }, principal);
  }

  /** Charge, record and start; `principal` null for a regeneration by the platform. */
  private async charge(
    lab: LabRow,
    dataset: LabDatasetRow,
    settings: { epsilon: number; delta: number; rows: number | null },
    principal: Principal | null,
  ): Promise<TwinView> {
    const actor = principal ? { type: principal.type, id: principal.userId } : { type: 'system' as const };
    const id = newId('labTwin');
    const facts = {
      labId: lab.id,
      dataset: dataset.name,
      datasetId: dataset.datasetId,
      versionId: dataset.versionId,
      epsilon: settings.epsilon,
      delta: settings.delta,
      budgetScope: twinBudgetScope,
    };
    const charged = await this.deps.db.transaction(async (tx) => {
      const paid = await this.deps.labs.spend(
        tx,
        lab,
        { scope: twinBudgetScope, holderId: dataset.datasetId },
        settings.epsilon,
        twinBudgetTotal(lab, dataset),
      );
      if (!paid) return null;
      const [row] = (await tx
        .insert(labTwins)
        .values({
          id,
          labId: lab.id,
          datasetName: dataset.name,
          datasetId: dataset.datasetId,
          versionId: dataset.versionId,
          orgId: dataset.orgId,
          userId: principal?.userId ?? null,
          epsilon: settings.epsilon,
          delta: settings.delta,
          requestedRows: settings.rows,
          state: 'running',
          createdAt: this.deps.clock.now(),
        })
        .returning()) as [LabTwin];
      await this.deps.audit.append(tx, {
        actor,
        orgId: dataset.orgId,
        action: 'lab.twin.charge',
        object: { type: 'lab-twin', id },
        decision: 'allow',
        data: facts,
      });
      return row;
    });
    if (!charged) {
      const budget = await this.budgetOf(this.deps.db, lab, dataset);
      const problem = twinBudgetExhausted(budget, settings.epsilon);
      await this.deps.db.transaction(async (tx) => {
        // A regeneration the budget cannot pay leaves a refused twin for that version, so the sweep
        // does not ask again; the previous twin stays downloadable.
        if (!principal) {
          await tx.insert(labTwins).values({
            id,
            labId: lab.id,
            datasetName: dataset.name,
            datasetId: dataset.datasetId,
            versionId: dataset.versionId,
            orgId: dataset.orgId,
            userId: null,
            epsilon: settings.epsilon,
            delta: settings.delta,
            requestedRows: settings.rows,
            state: 'refused',
            error: { code: problem.code, detail: problem.message },
            createdAt: this.deps.clock.now(),
            finishedAt: this.deps.clock.now(),
          });
        }
        await this.deps.audit.append(tx, {
          actor,
          orgId: dataset.orgId,
          action: 'lab.twin.refuse',
          object: { type: 'lab', id: lab.id },
          decision: 'deny',
          reason: problem.message,
          data: { ...facts, remaining: budget.remaining, total: budget.total },
        });
      });
      if (principal) throw problem;
      const [refused] = await this.deps.db.select().from(labTwins).where(eq(labTwins.id, id));
      return view(refused!);
    }
    const run = this.run(lab, dataset, charged).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return view(charged);
  }

  /** Waits for every twin this node is generating (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(lab: LabRow, dataset: LabDatasetRow, twin: LabTwin): Promise<void> {
    const base = path.join(this.deps.engine.labsDir, lab.id, 'twins', twin.id);
    try {
      const columns = [
        ...dataset.dimensions.map((name) => ({ name, kind: 'dimension' as const })),
        ...Object.entries(dataset.measures).map(([name, bounds]) => ({
          name,
          kind: 'measure' as const,
          lower: bounds.lower,
          upper: bounds.upper,
        })),
      ];
      let lastWrite = 0;
      const outcome = await this.deps.workers.run({
        sql: 'SELECT 1',
        views: [{ name: dataset.name, file: path.join(this.deps.engine.labsDir, dataset.file) }],
        maxRows: 0,
        timeoutMs: this.deps.maxJobMs,
        synthesize: {
          view: dataset.name,
          columns,
          epsilon: twin.epsilon,
          delta: twin.delta,
          maxRowsPerSubject: lab.maxRowsPerSubject,
          bins: twinBins,
          maxCategories: twinMaxCategories,
        },
        onProgress: (done) => {
          const now = Date.now();
          if (now - lastWrite < 1000) return;
          lastWrite = now;
          void this.deps.db
            .update(labTwins)
            .set({ progress: 0.5 * done })
            .where(and(eq(labTwins.id, twin.id), eq(labTwins.state, 'running')))
            .catch(() => {});
        },
      });
      const model = outcome.synthesized;
      if (!model) throw new Error('the worker returned no model');
      const rows = twin.requestedRows ?? Math.max(1, Math.round(model.noisyRows));
      await mkdir(path.dirname(base), { recursive: true });
      await this.writeTwin(model, rows, base);
      const report = reportOf(model, rows);
      await this.deps.db.transaction(async (tx) => {
        await tx
          .update(labTwins)
          .set({
            state: 'ready',
            progress: 1,
            report,
            file: path.relative(this.deps.engine.labsDir, base),
            finishedAt: this.deps.clock.now(),
          })
          .where(eq(labTwins.id, twin.id));
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: twin.orgId,
          action: 'lab.twin.generate',
          object: { type: 'lab-twin', id: twin.id },
          data: {
            labId: lab.id,
            dataset: dataset.name,
            datasetId: dataset.datasetId,
            versionId: dataset.versionId,
            rows,
            privacy: model.privacy,
            tree: report.tree,
          },
        });
      });
    } catch (error) {
      await rm(`${base}.csv`, { force: true });
      await rm(`${base}.parquet`, { force: true });
      const problem =
        error instanceof AppError
          ? { code: error.code, detail: error.message }
          : { code: 'query-failed', detail: 'the twin could not be generated; check the dataset’s columns' };
      await this.deps.db
        .update(labTwins)
        .set({ state: 'failed', error: problem, finishedAt: this.deps.clock.now() })
        .where(eq(labTwins.id, twin.id));
    }
  }

  /**
   * Draws the rows (post-processing of the noisy model) into `<base>.csv`, then converts it to
   * `<base>.parquet` with each dimension in its dataset type and each measure as DOUBLE (a value
   * drawn within its bin). Both are written aside and renamed.
   */
  private async writeTwin(model: NoisyModel, rows: number, base: string): Promise<void> {
    const names = [twinIdColumn, ...model.columns.map((column) => column.name)];
    await writeAside(`${base}.csv`, async (aside) => {
      const out = createWriteStream(aside);
      const finished = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
      });
      let buffer = `${names.map(csvField).join(',')}\n`;
      let written = 0;
      const flush = async () => {
        if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        buffer = '';
      };
      const batch = 20_000;
      for (let from = 0; from < rows; from += batch) {
        const count = Math.min(batch, rows - from);
        sampleTwin(model, count, this.uniform, (values) => {
          written += 1;
          let line = String(written);
          for (const value of values) line += `,${csvField(value)}`;
          buffer += `${line}\n`;
        });
        await flush();
      }
      out.end();
      await finished;
    });
    const types = [
      `${quoteIdentifier(twinIdColumn)} BIGINT`,
      ...model.columns.map(
        (column) => `${quoteIdentifier(column.name)} ${column.kind === 'measure' ? 'DOUBLE' : 'VARCHAR'}`,
      ),
    ];
    const selected = [
      quoteIdentifier(twinIdColumn),
      ...model.columns.map((column) =>
        column.kind === 'measure'
          ? quoteIdentifier(column.name)
          : `TRY_CAST(${quoteIdentifier(column.name)} AS ${column.type}) AS ${quoteIdentifier(column.name)}`,
      ),
    ];
    const columnsLiteral = `{${types
      .map((type, i) => `${quoteLiteral(names[i]!)}: ${quoteLiteral(type.slice(type.lastIndexOf(' ') + 1))}`)
      .join(', ')}}`;
    const connection = await this.deps.engine.ingestConnection();
    try {
      await writeAside(`${base}.parquet`, async (aside) => {
        await connection.run(
          `COPY (SELECT ${selected.join(', ')} FROM read_csv(${quoteLiteral(`${base}.csv`)}, header = true, ` +
            `columns = ${columnsLiteral}, quote = '"', escape = '"')) TO ${quoteLiteral(aside)} (FORMAT parquet, COMPRESSION zstd)`,
        );
      });
    } finally {
      connection.closeSync();
    }
  }

  /** The newest twin of a lab dataset, whatever its state, for any member. */
  async status(
    principal: Principal,
    labId: string,
    name: string,
  ): Promise<{ twin: TwinView | null; ready: TwinView | null }> {
    await this.deps.labs.visibleLab(principal, labId);
    await this.dataset(labId, name);
    const [latest] = await this.latest(labId, name);
    const [ready] = await this.latest(labId, name, ['ready']);
    return { twin: latest ? view(latest) : null, ready: ready ? view(ready) : null };
  }

  private latest(labId: string, name: string, states?: LabTwinState[]) {
    return this.deps.db
      .select()
      .from(labTwins)
      .where(
        and(
          eq(labTwins.labId, labId),
          eq(labTwins.datasetName, name),
          states ? inArray(labTwins.state, states) : undefined,
        ),
      )
      .orderBy(desc(labTwins.createdAt), desc(labTwins.id))
      .limit(1);
  }

  /** The newest ready twin's file, for a lab member; the download is on the record. */
  async download(
    principal: Principal,
    labId: string,
    name: string,
    format: TwinFormat,
  ): Promise<{ file: string; filename: string; twin: TwinView }> {
    await this.deps.labs.requireLabRole(principal, labId, 'owner', 'data-owner', 'researcher');
    await this.dataset(labId, name);
    const [ready] = await this.latest(labId, name, ['ready']);
    if (!ready?.file) throw conflict(`the dataset ${name} has no synthetic twin yet`);
    await this.deps.db.transaction(async (tx) => {
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'lab.twin.download',
        object: { type: 'lab-twin', id: ready.id },
        data: { labId, dataset: name, versionId: ready.versionId, format },
      });
    });
    return {
      file: path.join(this.deps.engine.labsDir, `${ready.file}.${format}`),
      filename: `${name}-twin-${ready.id}.${format}`,
      twin: view(ready),
    };
  }

  /**
   * The next twin of every lab dataset whose newest twin was made from an older version than the
   * lab's copy holds now: the last one's ε, δ and rows, paid from the owner's budget, or refused.
   */
  async regenerateStale(): Promise<number> {
    const attached = await this.deps.db.select().from(labDatasets);
    let started = 0;
    for (const dataset of attached) {
      const [twin] = await this.latest(dataset.labId, dataset.name);
      if (!twin || twin.state === 'running' || twin.versionId === dataset.versionId) continue;
      const [lab] = await this.deps.db.select().from(labs).where(eq(labs.id, dataset.labId));
      if (!lab) continue;
      await this.charge(
        lab,
        dataset,
        { epsilon: twin.epsilon, delta: twin.delta, rows: twin.requestedRows },
        null,
      );
      started += 1;
    }
    return started;
  }
}

/** The utility report: the model's measured errors and, per one-way marginal, the stated bound. */
export function reportOf(model: NoisyModel, rows: number): TwinReport {
  return {
    rows,
    noisyRows: Math.round(model.noisyRows),
    tree: model.edges.map((edge) => [model.columns[edge.parent]!.name, model.columns[edge.child]!.name]),
    marginals: model.marginals.map((marginal) =>
      marginal.columns.length === 1
        ? {
            ...marginal,
            statedBound: statedOneWayBound(marginal.cells, model.privacy.sigmaOneWay, model.noisyRows, rows),
          }
        : marginal,
    ),
    keptValues: Object.fromEntries(
      model.columns
        .filter((column) => column.kind === 'dimension')
        .map((column) => [column.name, column.values!.length]),
    ),
    privacy: { ...model.privacy },
  };
}
