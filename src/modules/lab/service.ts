import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { isNumericType } from '../access/terms.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import { isOverseer, type Principal, requireKind, requireRole } from '../identity/principal.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../query/engine.js';
import { parseSelect } from '../query/guard.js';
import type { QueryService } from '../query/service.js';
import {
  type CleanRoomPlan,
  compileCleanRoomQuery,
  type LabTable,
  planCleanRoomQuery,
  subjectKey,
  subjectRow,
} from './cleanroom.js';
import { cryptoUniform, laplaceMechanism, type UniformSource } from './dp.js';
import {
  type LabQueryState,
  type LabRelease,
  type LabRole,
  labBudgets,
  labDatasets,
  labMembers,
  labQueries,
  labs,
  type MeasureBounds,
} from './schema.js';

type LabRow = typeof labs.$inferSelect;
export type Lab = Omit<LabRow, 'key'>;
export type LabMember = typeof labMembers.$inferSelect;
export type LabDataset = typeof labDatasets.$inferSelect;
export type LabQuery = typeof labQueries.$inferSelect;

export interface LabInput {
  name: string;
  description?: string | null;
  minGroupSize?: number;
  epsilonBudget?: number;
  defaultEpsilon?: number;
  maxRowsPerSubject?: number;
  outputReview?: boolean;
}

export interface AttachInput {
  datasetId: string;
  name?: string;
  subjectColumn: string;
  dimensions: string[];
  measures: Record<string, MeasureBounds>;
  allowMinMax?: boolean;
}

export interface LabDetail {
  lab: Lab;
  members: LabMember[];
  datasets: Omit<LabDataset, 'file'>[];
}

export interface Budget {
  total: number;
  spent: number;
  remaining: number;
}

const defaults = { minGroupSize: 10, epsilonBudget: 3, defaultEpsilon: 0.5, maxRowsPerSubject: 5 };

function withoutKey(row: LabRow): Lab {
  const { key: _key, ...lab } = row;
  return lab;
}

/**
 * HMAC-SHA256 (RFC 2104) of a column under the lab key, in DuckDB SQL: H((K⊕opad) ‖ H((K⊕ipad) ‖ m)).
 * Written as SQL so a 10-million-row dataset is pseudonymised inside DuckDB, not row by row in Node;
 * a test checks it against node:crypto's createHmac.
 */
export function hmacExpression(keyHex: string, valueSql: string): string {
  const key = Buffer.alloc(64);
  Buffer.from(keyHex, 'hex').copy(key);
  const ipad = Buffer.from(key.map((byte) => byte ^ 0x36)).toString('hex');
  const opad = Buffer.from(key.map((byte) => byte ^ 0x5c)).toString('hex');
  return `sha256(unhex('${opad}') || unhex(sha256(unhex('${ipad}') || encode(CAST(${valueSql} AS VARCHAR)))))`;
}

/**
 * The Data Lab: clean rooms in which researchers learn from sensitive data without any record
 * leaving. See docs/differential-privacy.md for the mechanism and what it guarantees.
 */
export class LabService {
  private readonly uniform: UniformSource;

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      engine: DuckEngine;
      datasets: DatasetService;
      query: QueryService;
      /** Tests pass a seeded source; production draws from the OS CSPRNG. */
      uniform?: UniformSource;
    },
  ) {
    this.uniform = deps.uniform ?? cryptoUniform();
  }

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  // ---- labs and members ------------------------------------------------------------------------

  async create(principal: Principal, input: LabInput): Promise<LabDetail> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const settings = {
      ...defaults,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    };
    if (settings.defaultEpsilon > settings.epsilonBudget) {
      throw validationFailed('defaultEpsilon', 'must not exceed epsilonBudget');
    }
    const id = newId('lab');
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = (await tx
        .insert(labs)
        .values({
          id,
          orgId: principal.orgId,
          name: input.name,
          description: input.description ?? null,
          minGroupSize: settings.minGroupSize,
          epsilonBudget: settings.epsilonBudget,
          defaultEpsilon: settings.defaultEpsilon,
          maxRowsPerSubject: settings.maxRowsPerSubject,
          outputReview: input.outputReview ?? false,
          key: randomBytes(32).toString('hex'),
          createdBy: principal.userId,
          createdAt: now,
        })
        .returning()) as [LabRow];
      const [member] = (await tx
        .insert(labMembers)
        .values({
          labId: id,
          orgId: principal.orgId,
          role: 'owner',
          addedBy: principal.userId,
          createdAt: now,
        })
        .returning()) as [LabMember];
      const lab = withoutKey(row);
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'lab.create',
        object: { type: 'lab', id },
        data: { ...lab, createdAt: undefined },
      });
      return { lab, members: [member], datasets: [] };
    });
  }

  private async findLab(labId: string): Promise<LabRow | undefined> {
    const [row] = await this.db.select().from(labs).where(eq(labs.id, labId));
    return row;
  }

  private async roleIn(labId: string, orgId: string): Promise<LabRole | null> {
    const [member] = await this.db
      .select()
      .from(labMembers)
      .where(and(eq(labMembers.labId, labId), eq(labMembers.orgId, orgId)));
    return member?.role ?? null;
  }

  /** The lab if the caller's organisation is in it (or oversees); otherwise 404, as for any object. */
  private async visibleLab(
    principal: Principal,
    labId: string,
  ): Promise<{ lab: LabRow; role: LabRole | null }> {
    const lab = await this.findLab(labId);
    if (!lab) throw notFound(`lab ${labId}`);
    const role = await this.roleIn(labId, principal.orgId);
    if (!role && !isOverseer(principal)) throw notFound(`lab ${labId}`);
    return { lab, role };
  }

  private async requireLabRole(principal: Principal, labId: string, ...roles: LabRole[]) {
    const visible = await this.visibleLab(principal, labId);
    if (!visible.role || !roles.includes(visible.role)) {
      throw new AppError('forbidden', `this needs the lab role ${roles.join(' or ')}`);
    }
    return visible as { lab: LabRow; role: LabRole };
  }

  async get(principal: Principal, labId: string): Promise<LabDetail> {
    const { lab } = await this.visibleLab(principal, labId);
    const members = await this.db.select().from(labMembers).where(eq(labMembers.labId, labId));
    const datasets = await this.db.select().from(labDatasets).where(eq(labDatasets.labId, labId));
    return {
      lab: withoutKey(lab),
      members,
      datasets: datasets.map(({ file: _file, ...dataset }) => dataset),
    };
  }

  async list(principal: Principal): Promise<Lab[]> {
    const rows = isOverseer(principal)
      ? await this.db.select().from(labs).orderBy(desc(labs.createdAt))
      : await this.db
          .select({ lab: labs })
          .from(labs)
          .innerJoin(labMembers, eq(labMembers.labId, labs.id))
          .where(eq(labMembers.orgId, principal.orgId))
          .orderBy(desc(labs.createdAt))
          .then((joined) => joined.map((row) => row.lab));
    return rows.map(withoutKey);
  }

  async addMember(
    principal: Principal,
    labId: string,
    input: { orgId: string; role: LabRole },
  ): Promise<LabMember> {
    await this.requireLabRole(principal, labId, 'owner');
    requireRole(principal, 'admin');
    if (input.role === 'owner')
      throw validationFailed('role', 'a lab has one owner; add data-owner or researcher');
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      let member: LabMember;
      try {
        [member] = (await tx
          .insert(labMembers)
          .values({ labId, orgId: input.orgId, role: input.role, addedBy: principal.userId, createdAt: now })
          .returning()) as [LabMember];
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('already-exists', 'that organisation is in the lab');
        throw error;
      }
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'lab.member.add',
        object: { type: 'lab', id: labId },
        data: { orgId: input.orgId, role: input.role },
      });
      return member;
    });
  }

  // ---- datasets --------------------------------------------------------------------------------

  /**
   * A data owner brings one of its datasets into the lab: the chosen columns only, with the
   * subject column replaced by its HMAC under the lab key and renamed `subject_key`, written as a
   * new Parquet file under DATA_DIR/labs. Raw identifiers never enter the clean room.
   */
  async attachDataset(
    principal: Principal,
    labId: string,
    input: AttachInput,
  ): Promise<Omit<LabDataset, 'file'>> {
    const { lab } = await this.requireLabRole(principal, labId, 'owner', 'data-owner');
    requireRole(principal, 'admin');
    const entry = await this.deps.datasets.get(principal, input.datasetId);
    if (entry.dataset.orgId !== principal.orgId) throw notFound(`dataset ${input.datasetId}`);
    const version = entry.currentVersion;
    if (!version) throw conflict('the dataset has no version');
    const types = new Map(version.columns.map((column) => [column.name, column.type]));
    const name = (input.name ?? entry.dataset.slug).toLowerCase();
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name))
      throw validationFailed('name', 'letters, digits and _, from a letter');
    if (!types.has(input.subjectColumn)) throw validationFailed('subjectColumn', 'no such column');
    for (const column of [...input.dimensions, ...Object.keys(input.measures)]) {
      if (!types.has(column)) throw validationFailed('columns', `the dataset has no column ${column}`);
      if (column === input.subjectColumn || column === subjectKey) {
        throw validationFailed('columns', 'the subject column is neither a dimension nor a measure');
      }
    }
    for (const [column, bounds] of Object.entries(input.measures)) {
      if (!isNumericType(types.get(column)!)) throw validationFailed(`measures.${column}`, 'must be numeric');
      if (!(bounds.lower < bounds.upper))
        throw validationFailed(`measures.${column}`, 'lower must be below upper');
    }
    const overlap = input.dimensions.find((column) => column in input.measures);
    if (overlap) throw validationFailed('dimensions', `${overlap} cannot be both a dimension and a measure`);

    const dir = path.join(this.deps.engine.labsDir, lab.id);
    await mkdir(dir, { recursive: true });
    const final = path.join(dir, `${name}.parquet`);
    const partial = `${final}.${randomBytes(6).toString('hex')}.partial`;
    // The pseudonym is the HMAC's first 64 bits as an integer: joins and distinct counts over
    // millions of subjects stay small (a collision among 10 million subjects has odds ≈ 3·10⁻⁶).
    // Each row also gets its rank among its subject's rows, in random order, once: single-table
    // queries bound every subject's contribution with `subject_row <= L` instead of a window per query.
    const pseudonym = `('0x' || substr(${hmacExpression(lab.key, quoteIdentifier(input.subjectColumn))}, 1, 16))::UBIGINT`;
    const columns = [
      `${pseudonym} AS ${subjectKey}`,
      ...[...input.dimensions, ...Object.keys(input.measures)].map((column) => quoteIdentifier(column)),
    ];
    const connection = await this.deps.engine.ingestConnection();
    let rowCount: number;
    try {
      const reader = await connection.runAndReadAll(
        `COPY (SELECT *, row_number() OVER (PARTITION BY ${subjectKey} ORDER BY random()) AS ${subjectRow} ` +
          `FROM (SELECT ${columns.join(', ')} FROM read_parquet(${quoteLiteral(this.deps.datasets.fileOf(version))}))) ` +
          `TO ${quoteLiteral(partial)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      rowCount = Number(reader.getRowsJson()[0]?.[0] ?? 0);
      await rename(partial, final);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    } finally {
      connection.closeSync();
    }
    const now = this.deps.clock.now();
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = (await tx
          .insert(labDatasets)
          .values({
            labId,
            name,
            datasetId: entry.dataset.id,
            versionId: version.id,
            orgId: principal.orgId,
            subjectColumn: input.subjectColumn,
            dimensions: input.dimensions,
            measures: input.measures,
            allowMinMax: input.allowMinMax ?? false,
            file: path.relative(this.deps.engine.labsDir, final),
            rowCount,
            attachedBy: principal.userId,
            createdAt: now,
          })
          .returning()) as [LabDataset];
        await this.deps.audit.append(tx, {
          actor: this.actor(principal),
          orgId: principal.orgId,
          action: 'lab.dataset.attach',
          object: { type: 'lab', id: labId },
          data: {
            name,
            datasetId: entry.dataset.id,
            versionId: version.id,
            subjectColumn: input.subjectColumn,
            dimensions: input.dimensions,
            measures: input.measures,
            rows: rowCount,
          },
        });
        const { file: _file, ...dataset } = row;
        return dataset;
      });
    } catch (error) {
      await rm(final, { force: true });
      if (isUniqueViolation(error))
        throw new AppError('already-exists', `the lab has a dataset named ${name}`);
      throw error;
    }
  }

  // ---- queries ---------------------------------------------------------------------------------

  async budget(principal: Principal, labId: string, userId = principal.userId): Promise<Budget> {
    const { lab } = await this.visibleLab(principal, labId);
    const [row] = await this.db
      .select()
      .from(labBudgets)
      .where(and(eq(labBudgets.labId, labId), eq(labBudgets.userId, userId)));
    const spent = row?.spent ?? 0;
    return { total: lab.epsilonBudget, spent, remaining: Math.max(0, lab.epsilonBudget - spent) };
  }

  /**
   * Runs a clean-room query: checked and rewritten (cleanroom.ts), run on the pseudonymised copies,
   * released with Laplace noise and small groups suppressed. The ε is spent in the same transaction
   * that stores the result and its ledger entry; a query the budget cannot pay is refused before it runs.
   */
  async runQuery(
    principal: Principal,
    labId: string,
    input: { sql: string; epsilon?: number },
  ): Promise<LabQuery> {
    const { lab, role } = await this.requireLabRole(principal, labId, 'researcher', 'owner', 'data-owner');
    const epsilon = input.epsilon ?? lab.defaultEpsilon;
    if (!(epsilon > 0) || epsilon > lab.epsilonBudget) {
      throw validationFailed('epsilon', `must be above 0 and at most the lab's budget ${lab.epsilonBudget}`);
    }
    const before = await this.budget(principal, labId);
    if (epsilon > before.remaining + 1e-12) throw budgetExhausted(before, epsilon);
    const attached = await this.db.select().from(labDatasets).where(eq(labDatasets.labId, labId));
    const tables = new Map<string, LabTable>(
      attached.map((dataset) => [
        dataset.name,
        {
          name: dataset.name,
          dimensions: dataset.dimensions,
          measures: dataset.measures,
          allowMinMax: dataset.allowMinMax,
        },
      ]),
    );
    let plan: CleanRoomPlan;
    const connection = await this.deps.engine.governedConnection();
    try {
      const [statement] = await parseSelect(connection, input.sql);
      const planned = planCleanRoomQuery(
        statement!,
        tables,
        await this.deps.query.functionCatalog(connection),
      );
      plan = await compileCleanRoomQuery(connection, planned, lab.maxRowsPerSubject);
    } finally {
      connection.closeSync();
    }
    const rows = await this.execute(
      plan.sql,
      plan.tables.map((name) => {
        const dataset = attached.find((candidate) => candidate.name === name)!;
        return { name, file: path.join(this.deps.engine.labsDir, dataset.file) };
      }),
    );
    const release = releaseWithNoise(plan, rows, {
      epsilon,
      minGroupSize: lab.minGroupSize,
      maxRowsPerSubject: lab.maxRowsPerSubject,
      uniform: this.uniform,
    });
    const state: LabQueryState = lab.outputReview ? 'pending-review' : 'released';
    const used = attached
      .filter((dataset) => plan.tables.includes(dataset.name))
      .map((dataset) => ({ name: dataset.name, datasetId: dataset.datasetId, versionId: dataset.versionId }));
    const now = this.deps.clock.now();
    const id = newId('labQuery');
    return this.db.transaction(async (tx) => {
      const spent = await tx
        .insert(labBudgets)
        .values({ labId, userId: principal.userId, spent: epsilon })
        .onConflictDoUpdate({
          target: [labBudgets.labId, labBudgets.userId],
          set: { spent: sql`${labBudgets.spent} + ${epsilon}` },
          setWhere: sql`${labBudgets.spent} + ${epsilon} <= ${lab.epsilonBudget} + 1e-12`,
        })
        .returning();
      // A concurrent query may have spent the budget since it was read: nothing is released then.
      if (spent.length === 0) throw budgetExhausted(await this.budget(principal, labId), epsilon);
      const [row] = (await tx
        .insert(labQueries)
        .values({
          id,
          labId,
          orgId: principal.orgId,
          userId: principal.userId,
          sql: input.sql,
          sqlSha256: createHash('sha256').update(input.sql).digest('hex'),
          epsilon,
          datasets: used,
          state,
          result: release,
          createdAt: now,
        })
        .returning()) as [LabQuery];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'lab.query',
        object: { type: 'lab-query', id },
        decision: 'allow',
        data: {
          labId,
          sqlSha256: row.sqlSha256,
          epsilon,
          datasets: used,
          groupsReleased: release.rows.length,
          groupsSuppressed: release.suppressedGroups,
          state,
        },
      });
      return this.view(row, role);
    });
  }

  /**
   * Runs the platform's clean-room SQL in a query worker whose engine may read this lab's files
   * named here and nothing else, within the governed query time limit. Engine errors answer a
   * fixed problem: their text could carry values.
   */
  private async execute(sql: string, views: { name: string; file: string }[]): Promise<unknown[][]> {
    const { workers, timeoutMs } = this.deps.query.deps;
    try {
      const result = await workers.run({ sql, views, maxRows: 1_000_000, timeoutMs });
      return result.rows;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/out of memory|memory limit/i.test(message)) {
        throw new AppError(
          'query-resources-exceeded',
          'the query needs more memory than the clean room allows: group by fewer dimensions',
        );
      }
      throw new AppError('query-invalid', 'the clean room could not run this query');
    }
  }

  /** What a member may see of a query: the analyst's own and every query for owners; results once released. */
  private view(query: LabQuery, role: LabRole | null): LabQuery {
    const mayReview = role === 'owner' || role === 'data-owner';
    if (query.state === 'released' || mayReview) return query;
    return { ...query, result: { columns: [], rows: [], suppressedGroups: 0, noiseScales: {} } };
  }

  async listQueries(principal: Principal, labId: string): Promise<LabQuery[]> {
    const { role } = await this.visibleLab(principal, labId);
    const rows = await this.db
      .select()
      .from(labQueries)
      .where(eq(labQueries.labId, labId))
      .orderBy(desc(labQueries.createdAt))
      .limit(500);
    return rows.map((row) => this.view(row, role));
  }

  async getQuery(principal: Principal, labId: string, queryId: string): Promise<LabQuery> {
    const { role } = await this.visibleLab(principal, labId);
    const [row] = await this.db
      .select()
      .from(labQueries)
      .where(and(eq(labQueries.labId, labId), eq(labQueries.id, queryId)));
    if (!row) throw notFound(`lab query ${queryId}`);
    return this.view(row, role);
  }

  /** Output review: a data owner releases or withholds a result before the researcher sees it. */
  async review(
    principal: Principal,
    labId: string,
    queryId: string,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<LabQuery> {
    await this.requireLabRole(principal, labId, 'owner', 'data-owner');
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(labQueries)
        .set({
          state: decision === 'approve' ? 'released' : 'rejected',
          reviewedBy: principal.userId,
          reviewReason: reason ?? null,
        })
        .where(
          and(
            eq(labQueries.labId, labId),
            eq(labQueries.id, queryId),
            eq(labQueries.state, 'pending-review'),
          ),
        )
        .returning();
      if (!row) throw conflict('no pending result with that id in this lab');
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: `lab.query.${decision}`,
        object: { type: 'lab-query', id: queryId },
        decision: decision === 'approve' ? 'allow' : 'deny',
        reason: reason ?? null,
        data: { labId },
      });
      return row;
    });
  }

  /** Lab ids an organisation belongs to (for the portal and for other modules). */
  async labIdsOf(orgId: string): Promise<string[]> {
    const rows = await this.db
      .select({ labId: labMembers.labId })
      .from(labMembers)
      .where(eq(labMembers.orgId, orgId));
    return rows.map((row) => row.labId);
  }

  async datasetsOf(labIds: string[]): Promise<LabDataset[]> {
    if (labIds.length === 0) return [];
    return this.db
      .select()
      .from(labDatasets)
      .where(or(inArray(labDatasets.labId, labIds)));
  }
}

function budgetExhausted(budget: Budget, epsilon: number): AppError {
  return new AppError(
    'privacy-budget-exhausted',
    `this query needs ε=${epsilon} but only ε=${budget.remaining.toFixed(4)} of ${budget.total} remains for you in this lab`,
    { remaining: budget.remaining, total: budget.total },
  );
}

/**
 * Noise and suppression. ε is split evenly over the released aggregates plus one share for the
 * noisy subject count that, with the exact count, decides suppression. Sensitivities with at most L rows per subject and values clamped to [lo, hi]:
 * count(*) → L; count(DISTINCT subject) → 1; sum → L·max(|lo|, |hi|); avg = noisy sum / noisy count
 * (each with half its share). Groups are disjoint in subjects, so each share is paid once
 * (parallel composition). min/max, where an owner allows them, are clamped but not noised:
 * they are outside the guarantee and the docs say so.
 */
export function releaseWithNoise(
  plan: CleanRoomPlan,
  rows: unknown[][],
  options: { epsilon: number; minGroupSize: number; maxRowsPerSubject: number; uniform: UniformSource },
): LabRelease {
  const aggregates = plan.columns.filter((column) => column.kind !== 'dimension');
  const share = options.epsilon / (aggregates.length + 1);
  const L = options.maxRowsPerSubject;
  const noiseScales: Record<string, number> = { __subjects: 1 / share };
  // The SQL's column order: per planned column one output, two for avg (sum, count), then __subjects.
  const offsets: number[] = [];
  let offset = 0;
  for (const column of plan.columns) {
    offsets.push(offset);
    offset += column.kind === 'avg' ? 2 : 1;
  }
  const subjectsIndex = offset;
  const released: (string | number | null)[][] = [];
  let suppressed = 0;
  for (const row of rows) {
    const subjects = Number(row[subjectsIndex]);
    const noisySubjects = laplaceMechanism(subjects, 1, share, options.uniform);
    // Two conditions: the exact count meets k (no group of fewer subjects is ever released) and so
    // does the noisy one (so whether a group near k appears is itself randomised).
    if (subjects < options.minGroupSize || noisySubjects < options.minGroupSize) {
      suppressed += 1;
      continue;
    }
    const out: (string | number | null)[] = [];
    plan.columns.forEach((column, i) => {
      const value = row[offsets[i]!];
      const bound = column.bounds
        ? Math.max(Math.abs(column.bounds.lower), Math.abs(column.bounds.upper))
        : 0;
      switch (column.kind) {
        case 'dimension':
          out.push(value === null ? null : (value as string | number));
          break;
        case 'count': {
          noiseScales[column.name] = L / share;
          out.push(Math.max(0, Math.round(laplaceMechanism(Number(value), L, share, options.uniform))));
          break;
        }
        case 'count-subjects': {
          noiseScales[column.name] = 1 / share;
          out.push(Math.max(0, Math.round(laplaceMechanism(Number(value), 1, share, options.uniform))));
          break;
        }
        case 'sum': {
          noiseScales[column.name] = (L * bound) / share;
          out.push(round2(laplaceMechanism(Number(value ?? 0), L * bound, share, options.uniform)));
          break;
        }
        case 'avg': {
          const half = share / 2;
          noiseScales[column.name] = (L * bound) / half;
          const sum = laplaceMechanism(Number(value ?? 0), L * bound, half, options.uniform);
          const count = laplaceMechanism(Number(row[offsets[i]! + 1]), L, half, options.uniform);
          const avg = sum / Math.max(1, count);
          out.push(round2(Math.min(column.bounds!.upper, Math.max(column.bounds!.lower, avg))));
          break;
        }
        default:
          out.push(value === null ? null : Number(value));
      }
    });
    released.push(out);
  }
  released.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    columns: plan.columns.map((column) => ({ name: column.name, kind: column.kind })),
    rows: released,
    suppressedGroups: suppressed,
    noiseScales,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
