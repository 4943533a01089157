import path from 'node:path';
import { and, desc, eq, inArray, lte, max, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import type { DuckEngine } from '../../infra/duck-engine.js';
import type { AuditLedger } from '../audit/service.js';
import type { Principal } from '../identity/principal.js';
import type { RefusalLog } from '../query/refusals.js';
import { JobCancelled, type QueryWorkerPool } from '../query/workers.js';
import { budgetTolerance } from './dp.js';
import { boundsOf, compileJobSql, type JobSpec, parseJobSpec, specHash } from './job-spec.js';
import {
  type LabQueryState,
  type LabRole,
  labDatasets,
  labJobs,
  labModels,
  labs,
  type ModelCard,
} from './schema.js';
import { budgetExhausted, type LabService } from './service.js';
import { unscaleCoefficients } from './training.js';
import type { TrainingOutcome, TrainingRequest } from './training-run.js';

export type LabJob = typeof labJobs.$inferSelect;
export type LabModel = typeof labModels.$inferSelect;

/** δ when a spec names none. */
export const defaultDelta = 1e-6;

/**
 * Model development in the Data Lab (docs/differential-privacy.md, "Model training"): a researcher
 * submits a declarative job (job-spec.ts); ε is charged from the lab budget with the job on the
 * record (the spec's hash, the data versions); the job runs in a query worker confined to the lab's
 * files, within its time cap and the worker memory cap, and can be cancelled; a successful run
 * leaves a versioned model card which, in a lab with output review, waits for an owner's release.
 *
 * Jobs run on the node that accepted them, which keeps their heartbeat; a job whose node stopped
 * is failed with that reason (`failAbandoned`, at start and on a schedule), never left `running`.
 */
export class LabModels {
  /** Jobs running on this node, to be stopped on cancel. */
  private readonly running = new Map<string, AbortController>();
  /** Runs in flight (tests and shutdown wait for them). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      engine: DuckEngine;
      labs: LabService;
      workers: QueryWorkerPool;
      /** Where refused jobs go on the ledger, rate-limited as refused queries are. */
      refusals: RefusalLog;
      /** The longest a job may run, in ms (a spec may ask for less). */
      maxJobMs: number;
    },
  ) {}

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  /** Starts a query worker ahead of a job known to come (the demo seed trains while it seeds). */
  warmUp(): void {
    this.deps.workers.warm();
  }

  /**
   * Accepts a job: checked, charged and recorded in one transaction, then started. A job refused
   * after the caller's seat is known (a bad spec, ε outside the lab's limits, an exhausted budget) is
   * on the ledger as `lab.job.refuse`, as refused lab queries are.
   */
  async submit(principal: Principal, labId: string, candidate: unknown): Promise<LabJob> {
    const { lab } = await this.deps.labs.requireLabRole(
      principal,
      labId,
      'researcher',
      'owner',
      'data-owner',
    );
    try {
      return await this.accept(principal, lab, candidate);
    } catch (error) {
      const problem =
        error instanceof AppError ? error : new AppError('internal', 'the job was not accepted');
      await this.recordRefusal(principal, labId, candidate, problem);
      throw error;
    }
  }

  private async recordRefusal(principal: Principal, labId: string, candidate: unknown, problem: AppError) {
    const attached = await this.deps.db.select().from(labDatasets).where(eq(labDatasets.labId, labId));
    const inputs = (candidate as { inputs?: unknown } | null)?.inputs;
    const named = new Set(Array.isArray(inputs) ? inputs : []);
    await this.deps.refusals.record(principal, {
      kind: 'lab-job',
      code: problem.code,
      sqlSha256: specHash((candidate ?? null) as JobSpec),
      datasets: attached
        .filter((dataset) => named.has(dataset.name))
        .map((dataset) => ({ id: dataset.datasetId, orgId: dataset.orgId })),
      unknownNames: [],
      labId,
    });
  }

  private async accept(
    principal: Principal,
    lab: typeof labs.$inferSelect,
    candidate: unknown,
  ): Promise<LabJob> {
    const labId = lab.id;
    const spec = parseJobSpec(candidate);
    if (spec.epsilon < lab.minEpsilon || spec.epsilon > lab.epsilonBudget) {
      throw validationFailed(
        'epsilon',
        `must be at least the lab's floor ${lab.minEpsilon} and at most its budget ${lab.epsilonBudget}`,
      );
    }
    const attached = await this.deps.db.select().from(labDatasets).where(eq(labDatasets.labId, labId));
    compileJobSql(spec, attached);
    const before = await this.deps.labs.budgetOf(this.deps.db, lab, principal);
    if (spec.epsilon > before.remaining + budgetTolerance) throw budgetExhausted(before, spec.epsilon);
    const holder = this.deps.labs.holderOf(lab, principal);
    const used = spec.inputs.map((name) => {
      const dataset = attached.find((candidate) => candidate.name === name)!;
      return { name, datasetId: dataset.datasetId, versionId: dataset.versionId };
    });
    const id = newId('labJob');
    const delta = spec.delta ?? defaultDelta;
    const job = await this.deps.db.transaction(async (tx) => {
      if (!(await this.deps.labs.spend(tx, lab, holder, spec.epsilon))) {
        throw budgetExhausted(await this.deps.labs.budgetOf(tx, lab, principal), spec.epsilon);
      }
      const [row] = (await tx
        .insert(labJobs)
        .values({
          id,
          labId,
          orgId: principal.orgId,
          userId: principal.userId,
          spec: spec as unknown as Record<string, unknown>,
          specSha256: specHash(spec),
          epsilon: spec.epsilon,
          delta,
          datasets: used,
          state: 'queued',
          createdAt: this.deps.clock.now(),
        })
        .returning()) as [LabJob];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'lab.job.charge',
        object: { type: 'lab-job', id },
        decision: 'allow',
        data: {
          labId,
          model: spec.model.kind,
          epsilon: spec.epsilon,
          delta,
          budgetScope: holder.scope,
          specSha256: row.specSha256,
          datasets: used,
        },
      });
      return row;
    });
    const run = this.run(job, spec, attached).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return job;
  }

  /** Marks this node's queued and running jobs as alive (every few seconds, on every node). */
  async heartbeat(): Promise<number> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return 0;
    const rows = await this.deps.db
      .update(labJobs)
      .set({ heartbeatAt: this.deps.clock.now() })
      .where(and(inArray(labJobs.id, ids), inArray(labJobs.state, ['queued', 'running'])))
      .returning({ id: labJobs.id });
    return rows.length;
  }

  /**
   * Fails the queued and running jobs no node is running any more: their heartbeat (or, before the
   * first, their creation) is older than `staleAfterMs`, and this node is not running them. A job is
   * never resumed: its run may already have read the data, so its ε stays spent, and the researcher
   * decides whether to submit it again. At start on the embedded database, where the data directory
   * is this process's alone, everything left is a stopped process's (`staleAfterMs` 0).
   */
  async failAbandoned(staleAfterMs: number): Promise<LabJob[]> {
    const now = this.deps.clock.now();
    const cutoff = new Date(now.getTime() - staleAfterMs);
    const candidates = await this.deps.db
      .select()
      .from(labJobs)
      .where(
        and(
          inArray(labJobs.state, ['queued', 'running']),
          lte(sql`coalesce(${labJobs.heartbeatAt}, ${labJobs.createdAt})`, cutoff),
        ),
      );
    const failed: LabJob[] = [];
    for (const job of candidates) {
      if (this.running.has(job.id)) continue;
      const detail =
        'the platform stopped while the job was ' +
        `${job.state}; its ε stays spent (the run may have read the data): submit it again`;
      const row = await this.deps.db.transaction(async (tx) => {
        const [row] = await tx
          .update(labJobs)
          .set({ state: 'failed', finishedAt: now, error: { code: 'job-abandoned', detail } })
          .where(and(eq(labJobs.id, job.id), eq(labJobs.state, job.state)))
          .returning();
        if (!row) return null;
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: job.orgId,
          action: 'lab.job.abandon',
          object: { type: 'lab-job', id: job.id },
          reason: detail,
          data: { labId: job.labId, state: job.state, epsilon: job.epsilon, specSha256: job.specSha256 },
        });
        return row;
      });
      if (row) failed.push(row);
    }
    return failed;
  }

  /** Waits for every job this node is running (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(
    job: LabJob,
    spec: JobSpec,
    attached: (typeof labDatasets.$inferSelect)[],
  ): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    try {
      const [started] = await this.deps.db
        .update(labJobs)
        .set({ state: 'running', startedAt: this.deps.clock.now() })
        .where(and(eq(labJobs.id, job.id), eq(labJobs.state, 'queued')))
        .returning();
      if (!started) return; // cancelled while queued
      const views = spec.inputs.map((name) => ({
        name,
        file: path.join(this.deps.engine.labsDir, attached.find((dataset) => dataset.name === name)!.file),
      }));
      const target = boundsOf(spec.target);
      const train: TrainingRequest = {
        kind: spec.model.kind,
        features: spec.features.length,
        epsilon: spec.epsilon,
        delta: job.delta,
        noise: spec.model.noise ?? 'gaussian',
        epochs: spec.model.epochs ?? 5,
        batchSize: spec.model.batchSize ?? null,
        learningRate: spec.model.learningRate ?? 2,
        clipNorm: spec.model.clipNorm ?? 1,
        targetHalfRange: (target.upper - target.lower) / 2,
      };
      let lastWrite = 0;
      const outcome = await this.deps.workers.run({
        sql: compileJobSql(spec, attached),
        views,
        maxRows: 0,
        timeoutMs: Math.min(this.deps.maxJobMs, (spec.maxSeconds ?? Number.POSITIVE_INFINITY) * 1000),
        train,
        signal: controller.signal,
        orgId: job.orgId,
        onProgress: (done) => {
          const now = Date.now();
          if (now - lastWrite < 1000) return;
          lastWrite = now;
          void this.deps.db
            .update(labJobs)
            .set({ progress: done })
            .where(and(eq(labJobs.id, job.id), eq(labJobs.state, 'running')))
            .catch(() => {});
        },
      });
      if (!outcome.trained) throw new Error('the worker returned no model');
      await this.succeed(job, spec, outcome.trained);
    } catch (error) {
      if (error instanceof JobCancelled) return;
      const problem =
        error instanceof AppError
          ? { code: error.code, detail: error.message }
          : { code: 'query-failed', detail: 'the job failed while it ran; check its columns and bounds' };
      await this.fail(job, problem);
    } finally {
      this.running.delete(job.id);
    }
  }

  /** Records a run that ended in an error: on the job (what the researcher sees) and on the ledger. */
  private async fail(job: LabJob, problem: { code: string; detail: string }): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(labJobs)
        .set({ state: 'failed', finishedAt: this.deps.clock.now(), error: problem, modelId: null })
        .where(and(eq(labJobs.id, job.id), eq(labJobs.state, 'running')))
        .returning({ id: labJobs.id });
      if (!row) return; // cancelled meanwhile: the cancel is on the ledger
      await this.deps.audit.append(tx, {
        actor: { type: 'system' },
        orgId: job.orgId,
        action: 'lab.job.fail',
        object: { type: 'lab-job', id: job.id },
        data: { labId: job.labId, code: problem.code, detail: problem.detail },
      });
    });
  }

  private async succeed(job: LabJob, spec: JobSpec, trained: TrainingOutcome): Promise<void> {
    const [lab] = await this.deps.db.select().from(labs).where(eq(labs.id, job.labId));
    const state: LabQueryState = lab?.outputReview ? 'pending-review' : 'released';
    const features = spec.features.map((feature) => ({
      column: feature.column,
      ...boundsOf(feature),
      ...('equals' in feature ? { equals: feature.equals } : {}),
    }));
    const { intercept, coefficients } = unscaleCoefficients(
      trained.beta,
      features.map((feature) => ({ name: feature.column, lower: feature.lower, upper: feature.upper })),
      spec.model.kind === 'linear-regression' ? boundsOf(spec.target) : undefined,
    );
    await this.deps.db.transaction(async (tx) => {
      const [latest] = await tx
        .select({ version: max(labModels.version) })
        .from(labModels)
        .where(and(eq(labModels.labId, job.labId), eq(labModels.name, spec.name)));
      const version = (latest?.version ?? 0) + 1;
      const id = newId('labModel');
      const card: ModelCard = {
        name: spec.name,
        version,
        kind: spec.model.kind,
        target:
          'equals' in spec.target ? `${spec.target.column} = ${spec.target.equals}` : spec.target.column,
        intercept,
        coefficients,
        features,
        metrics: trained.metrics,
        privacy: trained.privacy,
        datasets: job.datasets,
        specSha256: job.specSha256,
        spec: job.spec,
      };
      // The job's end is claimed first: a cancel that won the race leaves no model behind (its ε
      // stays spent, as for every cancelled run, and the ledger says cancelled, not succeeded).
      const [claimed] = await tx
        .update(labJobs)
        .set({ state: 'succeeded', progress: 1, finishedAt: this.deps.clock.now(), error: null, modelId: id })
        .where(and(eq(labJobs.id, job.id), eq(labJobs.state, 'running')))
        .returning({ id: labJobs.id });
      if (!claimed) return;
      await tx.insert(labModels).values({
        id,
        labId: job.labId,
        jobId: job.id,
        orgId: job.orgId,
        userId: job.userId,
        name: spec.name,
        version,
        state,
        card,
        createdAt: this.deps.clock.now(),
      });
      await this.deps.audit.append(tx, {
        actor: { type: 'system' },
        orgId: job.orgId,
        action: 'lab.job.succeed',
        object: { type: 'lab-job', id: job.id },
        data: { labId: job.labId, modelId: id, name: spec.name, version, state, privacy: trained.privacy },
      });
      if (state === 'pending-review') {
        await this.deps.labs.deps.events.publish(tx, 'lab.model-pending', {
          to: { owner: await this.deps.labs.reviewersOf(tx, job.labId) },
          objectId: job.labId,
          title: `A model in the lab "${lab?.name ?? job.labId}" awaits your review`,
          body: `Model ${spec.name} version ${version} (${id}) must be released or withheld before its card leaves the lab.`,
          data: { labId: job.labId, modelId: id, name: spec.name, version, memberOrgId: job.orgId },
        });
      }
    });
  }

  /** Stops a queued or running job; its ε stays spent (a stopped run may already have read the data). */
  async cancel(principal: Principal, labId: string, jobId: string): Promise<LabJob> {
    const { role } = await this.deps.labs.requireLabRole(
      principal,
      labId,
      'researcher',
      'owner',
      'data-owner',
    );
    const job = await this.findJob(labId, jobId);
    if (job.orgId !== principal.orgId && role === 'researcher') {
      throw new AppError('forbidden', "a researcher may cancel only their organisation's jobs");
    }
    const row = await this.deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(labJobs)
        .set({ state: 'cancelled', finishedAt: this.deps.clock.now() })
        .where(and(eq(labJobs.id, jobId), inArray(labJobs.state, ['queued', 'running'])))
        .returning();
      if (!row) throw conflict(`job ${jobId} has already ended (${job.state})`);
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'lab.job.cancel',
        object: { type: 'lab-job', id: jobId },
        data: { labId },
      });
      return row;
    });
    this.running.get(jobId)?.abort();
    return row;
  }

  private async findJob(labId: string, jobId: string): Promise<LabJob> {
    const [row] = await this.deps.db
      .select()
      .from(labJobs)
      .where(and(eq(labJobs.labId, labId), eq(labJobs.id, jobId)));
    if (!row) throw notFound(`lab job ${jobId}`);
    return row;
  }

  async getJob(principal: Principal, labId: string, jobId: string): Promise<LabJob> {
    await this.deps.labs.visibleLab(principal, labId);
    return this.findJob(labId, jobId);
  }

  async listJobs(principal: Principal, labId: string): Promise<LabJob[]> {
    await this.deps.labs.visibleLab(principal, labId);
    return this.deps.db
      .select()
      .from(labJobs)
      .where(eq(labJobs.labId, labId))
      .orderBy(desc(labJobs.createdAt))
      .limit(500);
  }

  /** A model's card is seen by reviewers always, by other members once released. */
  private view(model: LabModel, role: LabRole | null): LabModel | (Omit<LabModel, 'card'> & { card: null }) {
    const mayReview = role === 'owner' || role === 'data-owner';
    return model.state === 'released' || mayReview ? model : { ...model, card: null };
  }

  async listModels(principal: Principal, labId: string) {
    const { role } = await this.deps.labs.visibleLab(principal, labId);
    const rows = await this.deps.db
      .select()
      .from(labModels)
      .where(eq(labModels.labId, labId))
      .orderBy(desc(labModels.createdAt))
      .limit(500);
    return rows.map((row) => this.view(row, role));
  }

  async getModel(principal: Principal, labId: string, modelId: string) {
    const { role } = await this.deps.labs.visibleLab(principal, labId);
    const [row] = await this.deps.db
      .select()
      .from(labModels)
      .where(and(eq(labModels.labId, labId), eq(labModels.id, modelId)));
    if (!row) throw notFound(`lab model ${modelId}`);
    return this.view(row, role);
  }

  /** A released model's card, the document a member downloads; 403 while it awaits review or was withheld. */
  async download(principal: Principal, labId: string, modelId: string): Promise<ModelCard> {
    const model = await this.getModel(principal, labId, modelId);
    if (model.state !== 'released' || !model.card) {
      throw new AppError(
        'forbidden',
        `model ${modelId} is ${model.state}: only a released model can be downloaded`,
      );
    }
    return model.card;
  }

  /** Output review of a model: an owner or data owner releases or withholds it. */
  async review(
    principal: Principal,
    labId: string,
    modelId: string,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<LabModel> {
    await this.deps.labs.requireLabRole(principal, labId, 'owner', 'data-owner');
    return this.deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(labModels)
        .set({
          state: decision === 'approve' ? 'released' : 'rejected',
          reviewedBy: principal.userId,
          reviewReason: reason ?? null,
        })
        .where(
          and(eq(labModels.labId, labId), eq(labModels.id, modelId), eq(labModels.state, 'pending-review')),
        )
        .returning();
      if (!row) throw conflict('no pending model with that id in this lab');
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: `lab.model.${decision}`,
        object: { type: 'lab-model', id: modelId },
        decision: decision === 'approve' ? 'allow' : 'deny',
        reason: reason ?? null,
        data: { labId, name: row.name, version: row.version },
      });
      const facts = {
        labId,
        modelId,
        name: row.name,
        version: row.version,
        memberOrgId: row.orgId,
      };
      if (decision === 'approve') {
        await this.deps.labs.deps.events.publish(tx, 'lab.model-released', {
          to: { member: row.orgId },
          objectId: labId,
          title: 'A trained model was released',
          body: `Model ${row.name} version ${row.version} passed review; its card can be downloaded now.`,
          data: facts,
        });
      } else {
        await this.deps.labs.deps.events.publish(tx, 'lab.model-rejected', {
          to: { member: row.orgId },
          objectId: labId,
          title: 'A trained model was withheld',
          body: `Model ${row.name} version ${row.version} was withheld by a reviewer${reason ? `: ${reason}` : '.'}`,
          data: { ...facts, reason: reason ?? null },
        });
      }
      return row;
    });
  }
}
