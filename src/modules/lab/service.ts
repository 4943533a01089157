import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { writeAside } from '../../infra/atomic-files.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import { isNumericType } from '../access/terms.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import type { EventPublisher } from '../community/events.js';
import { isOverseer, type Principal, requireKind, requireRole } from '../identity/principal.js';
import { parseSelect } from '../query/guard.js';
import type { QueryService } from '../query/service.js';
import {
  type CleanRoomPlan,
  comparedColumns,
  compileCleanRoomQuery,
  foldIdentifier,
  type LabTable,
  planCleanRoomQuery,
  subjectKey,
  subjectRow,
} from './cleanroom.js';
import {
  budgetTolerance,
  cryptoUniform,
  maxMeasureBound,
  minEpsilonFloor,
  type UniformSource,
} from './dp.js';
import { noiseScalesOf, releaseWithNoise } from './release.js';

export { budgetTolerance, maxMeasureBound, minEpsilonFloor } from './dp.js';
export { noiseScalesOf, type ReleaseOptions, releaseWithNoise } from './release.js';

import {
  type BudgetHolderScope,
  type BudgetScope,
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
  maxGroupsPerSubject?: number;
  minEpsilon?: number;
  budgetScope?: BudgetScope;
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
  /** Who shares this budget: the analyst, their organisation or the whole lab. */
  scope: BudgetScope;
  total: number;
  spent: number;
  remaining: number;
}

const defaults = {
  minGroupSize: 10,
  epsilonBudget: 3,
  defaultEpsilon: 0.5,
  maxRowsPerSubject: 5,
  maxGroupsPerSubject: 1,
  minEpsilon: 0.01,
  budgetScope: 'analyst' as BudgetScope,
};

/** What a clean-room query that failed in the engine answers: the same text whatever the data. */
function engineFailed(): AppError {
  return new AppError(
    'query-invalid',
    'the clean room could not run this query; check that the columns and literals fit the datasets',
  );
}

function seatFacts(member: LabMember) {
  return {
    labId: member.labId,
    memberOrgId: member.orgId,
    role: member.role,
    agreementId: member.agreementId,
    endsAt: member.endsAt?.toISOString() ?? null,
  };
}

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
  /** Copies whose dataset's new version lacked their columns, already on the record. */
  private readonly refusedRefreshes = new Set<string>();

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      engine: DuckEngine;
      datasets: DatasetService;
      query: QueryService;
      /** Tells the seat holder, the lab's reviewers and researchers of seats and results, in the change's transaction. */
      events: EventPublisher;
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
    if (!(settings.minEpsilon >= minEpsilonFloor) || settings.minEpsilon > settings.defaultEpsilon) {
      throw validationFailed('minEpsilon', `must be at least ${minEpsilonFloor} and at most defaultEpsilon`);
    }
    for (const field of ['maxRowsPerSubject', 'maxGroupsPerSubject'] as const) {
      if (!Number.isInteger(settings[field]) || settings[field] < 1) {
        throw validationFailed(field, 'must be a positive integer');
      }
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
          maxGroupsPerSubject: settings.maxGroupsPerSubject,
          minEpsilon: settings.minEpsilon,
          budgetScope: settings.budgetScope,
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

  /** A seat opens the lab until its end: checked on every use, so an ended seat is shut before the sweep records it. */
  private liveSeat(): SQL {
    return or(isNull(labMembers.endsAt), gt(labMembers.endsAt, this.deps.clock.now())) as SQL;
  }

  private async roleIn(labId: string, orgId: string): Promise<LabRole | null> {
    const [member] = await this.db
      .select()
      .from(labMembers)
      .where(and(eq(labMembers.labId, labId), eq(labMembers.orgId, orgId), this.liveSeat()));
    return member?.role ?? null;
  }

  /** The lab if the caller's organisation is in it (or oversees); otherwise 404, as for any object. */
  async visibleLab(principal: Principal, labId: string): Promise<{ lab: LabRow; role: LabRole | null }> {
    const lab = await this.findLab(labId);
    if (!lab) throw notFound(`lab ${labId}`);
    const role = await this.roleIn(labId, principal.orgId);
    if (!role && !isOverseer(principal)) throw notFound(`lab ${labId}`);
    return { lab, role };
  }

  async requireLabRole(principal: Principal, labId: string, ...roles: LabRole[]) {
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
          .where(and(eq(labMembers.orgId, principal.orgId), this.liveSeat()))
          .orderBy(desc(labs.createdAt))
          .then((joined) => joined.map((row) => row.lab));
    return rows.map(withoutKey);
  }

  async addMember(
    principal: Principal,
    labId: string,
    input: { orgId: string; role: LabRole; endsAt?: string },
  ): Promise<LabMember> {
    await this.requireLabRole(principal, labId, 'owner');
    requireRole(principal, 'admin');
    if (input.role === 'owner')
      throw validationFailed('role', 'a lab has one owner; add data-owner or researcher');
    const now = this.deps.clock.now();
    const endsAt = input.endsAt === undefined ? null : new Date(input.endsAt);
    if (endsAt && !(endsAt.getTime() > now.getTime()))
      throw validationFailed('endsAt', 'must lie in the future');
    return this.db.transaction(async (tx) => {
      let member: LabMember;
      try {
        [member] = (await tx
          .insert(labMembers)
          .values({
            labId,
            orgId: input.orgId,
            role: input.role,
            endsAt,
            addedBy: principal.userId,
            createdAt: now,
          })
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
        data: { orgId: input.orgId, role: input.role, endsAt: endsAt?.toISOString() ?? null },
      });
      await this.announceSeat(tx, member);
      return member;
    });
  }

  /** The organisations that review a lab's results: its owner and its data owners. */
  async reviewersOf(tx: Executor, labId: string): Promise<string[]> {
    const rows = await tx
      .select({ orgId: labMembers.orgId })
      .from(labMembers)
      .where(and(eq(labMembers.labId, labId), inArray(labMembers.role, ['owner', 'data-owner'])));
    return rows.map((row) => row.orgId);
  }

  /** `lab.access-granted` to the seat's holder and the lab's reviewers, in the caller's transaction. */
  private async announceSeat(tx: Executor, member: LabMember): Promise<void> {
    const [lab] = await tx.select({ name: labs.name }).from(labs).where(eq(labs.id, member.labId));
    await this.deps.events.publish(tx, 'lab.access-granted', {
      to: { member: member.orgId, owner: await this.reviewersOf(tx, member.labId) },
      objectId: member.labId,
      title: `A seat in the lab "${lab?.name ?? member.labId}"`,
      body: `The organisation ${member.orgId} joined the lab as ${member.role}.`,
      data: seatFacts(member),
    });
  }

  // ---- seats provisioned and ended -----------------------------------------------------------------

  /**
   * Refuses an access request naming a lab the dataset is not attached to (the same answer whether
   * the lab exists or not, so lab ids are not probed).
   */
  async checkSeatRequest(labId: string, datasetId: string): Promise<void> {
    const [attached] = await this.db
      .select({ labId: labDatasets.labId })
      .from(labDatasets)
      .where(and(eq(labDatasets.labId, labId), eq(labDatasets.datasetId, datasetId)))
      .limit(1);
    if (!attached) throw validationFailed('labId', 'the dataset is not attached to that lab');
  }

  /**
   * Provisions a researcher's seat from an approved agreement, in the approval's transaction: the
   * seat ends with the agreement. A seat the owner gave by hand is left as it is; a seat from an
   * earlier agreement takes the new one's end.
   */
  async grantSeat(
    tx: Tx,
    seat: { labId: string; orgId: string; agreementId: string; endsAt: Date; grantedBy: string },
  ): Promise<LabMember | null> {
    const now = this.deps.clock.now();
    const [member] = (await tx
      .insert(labMembers)
      .values({
        labId: seat.labId,
        orgId: seat.orgId,
        role: 'researcher',
        agreementId: seat.agreementId,
        endsAt: seat.endsAt,
        addedBy: seat.grantedBy,
        createdAt: now,
      })
      .onConflictDoUpdate({
        target: [labMembers.labId, labMembers.orgId],
        set: { agreementId: seat.agreementId, endsAt: seat.endsAt },
        setWhere: isNotNull(labMembers.agreementId),
      })
      .returning()) as LabMember[];
    if (!member) return null;
    await this.deps.audit.append(tx, {
      actor: { type: 'system' },
      orgId: seat.orgId,
      action: 'lab.member.provision',
      object: { type: 'lab', id: seat.labId },
      data: seatFacts(member),
    });
    await this.announceSeat(tx, member);
    return member;
  }

  /** Ends seats now, in the caller's transaction: each one removed, recorded and announced. */
  private async endSeats(tx: Tx, seats: LabMember[], reason: string): Promise<number> {
    let ended = 0;
    for (const seat of seats) {
      const removed = await tx
        .delete(labMembers)
        .where(and(eq(labMembers.labId, seat.labId), eq(labMembers.orgId, seat.orgId)))
        .returning();
      if (removed.length === 0) continue;
      ended += 1;
      await this.deps.audit.append(tx, {
        actor: { type: 'system' },
        orgId: seat.orgId,
        action: 'lab.member.end',
        object: { type: 'lab', id: seat.labId },
        reason,
        data: seatFacts(seat),
      });
      await this.deps.events.publish(tx, 'lab.access-ended', {
        to: { member: seat.orgId, owner: await this.reviewersOf(tx, seat.labId) },
        objectId: seat.labId,
        title: 'A lab seat ended',
        body: `The seat of ${seat.orgId} in lab ${seat.labId} ended: ${reason}.`,
        data: { ...seatFacts(seat), reason },
      });
    }
    return ended;
  }

  /** The seats an agreement provisioned end with it (revocation), in the revocation's transaction. */
  async endSeatsOf(tx: Tx, agreementId: string, reason: string): Promise<number> {
    const seats = await tx.select().from(labMembers).where(eq(labMembers.agreementId, agreementId));
    return this.endSeats(tx, seats, reason);
  }

  /** Records seats past their end: removed, in the ledger and announced (run by the per-second sweep). */
  async expireSeats(): Promise<number> {
    const now = this.deps.clock.now();
    const due = await this.db
      .select()
      .from(labMembers)
      .where(and(isNotNull(labMembers.endsAt), lte(labMembers.endsAt, now)));
    let ended = 0;
    for (const seat of due) {
      ended += await this.db.transaction(async (tx) => {
        // Another node's sweep, or a renewal from a new agreement, may have got there first.
        const [current] = await tx
          .select()
          .from(labMembers)
          .where(
            and(
              eq(labMembers.labId, seat.labId),
              eq(labMembers.orgId, seat.orgId),
              lte(labMembers.endsAt, now),
            ),
          )
          .for('update');
        return current ? this.endSeats(tx, [current], 'the seat reached its end') : 0;
      });
    }
    return ended;
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
      if (!(Math.abs(bounds.lower) <= maxMeasureBound && Math.abs(bounds.upper) <= maxMeasureBound)) {
        throw validationFailed(`measures.${column}`, `bounds must lie within ±${maxMeasureBound}`);
      }
    }
    const overlap = input.dimensions.find((column) => column in input.measures);
    if (overlap) throw validationFailed('dimensions', `${overlap} cannot be both a dimension and a measure`);

    const dir = path.join(this.deps.engine.labsDir, lab.id);
    await mkdir(dir, { recursive: true });
    const final = path.join(dir, `${name}.parquet`);
    const rowCount = await this.writeCopy(lab, input, this.deps.datasets.fileOf(version), final);
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

  /**
   * Writes a lab copy of a dataset version to `final` (aside, then renamed): the chosen columns only,
   * the subject column replaced by its pseudonym. Returns the rows written.
   */
  private async writeCopy(
    lab: LabRow,
    input: Pick<AttachInput, 'subjectColumn' | 'dimensions' | 'measures'>,
    source: string,
    final: string,
  ): Promise<number> {
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
    try {
      return await writeAside(final, async (aside) => {
        const reader = await connection.runAndReadAll(
          `COPY (SELECT *, row_number() OVER (PARTITION BY ${subjectKey} ORDER BY random()) AS ${subjectRow} ` +
            `FROM (SELECT ${columns.join(', ')} FROM read_parquet(${quoteLiteral(source)}))) ` +
            `TO ${quoteLiteral(aside)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        return Number(reader.getRowsJson()[0]?.[0] ?? 0);
      });
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Brings each lab copy up to its dataset's current version: the same columns, pseudonymised under
   * the same key, written over the copy (aside, then renamed, so a query in flight reads the old file
   * or the new one whole). A version that lacks a column the copy needs is not copied; the ledger
   * says why. Run by the `lab-dataset-versions` sweep. Returns the copies refreshed.
   */
  async refreshCopies(): Promise<number> {
    const attached = await this.db.select().from(labDatasets);
    if (attached.length === 0) return 0;
    const current = await this.deps.datasets.currentVersions([
      ...new Set(attached.map((dataset) => dataset.datasetId)),
    ]);
    let refreshed = 0;
    for (const dataset of attached) {
      const latest = current.get(dataset.datasetId);
      if (!latest || latest.version.id === dataset.versionId) continue;
      const lab = await this.findLab(dataset.labId);
      if (!lab) continue;
      const names = new Set(latest.version.columns.map((column) => column.name));
      const missing = [dataset.subjectColumn, ...dataset.dimensions, ...Object.keys(dataset.measures)].filter(
        (column) => !names.has(column),
      );
      const facts = {
        name: dataset.name,
        datasetId: dataset.datasetId,
        fromVersionId: dataset.versionId,
        toVersionId: latest.version.id,
      };
      if (missing.length > 0) {
        // Recorded once per version while this node runs; the copy keeps its version.
        const key = `${dataset.labId}/${dataset.name}/${latest.version.id}`;
        if (this.refusedRefreshes.has(key)) continue;
        this.refusedRefreshes.add(key);
        await this.db.transaction(async (tx) => {
          await this.deps.audit.append(tx, {
            actor: { type: 'system' },
            orgId: dataset.orgId,
            action: 'lab.dataset.refresh',
            object: { type: 'lab', id: dataset.labId },
            decision: 'deny',
            reason: `the new version lacks ${missing.join(', ')}`,
            data: facts,
          });
        });
        continue;
      }
      const rows = await this.writeCopy(
        lab,
        dataset,
        latest.file,
        path.join(this.deps.engine.labsDir, dataset.file),
      );
      await this.db.transaction(async (tx) => {
        await tx
          .update(labDatasets)
          .set({ versionId: latest.version.id, rowCount: rows })
          .where(and(eq(labDatasets.labId, dataset.labId), eq(labDatasets.name, dataset.name)));
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: dataset.orgId,
          action: 'lab.dataset.refresh',
          object: { type: 'lab', id: dataset.labId },
          decision: 'allow',
          data: { ...facts, rows },
        });
      });
      refreshed += 1;
    }
    return refreshed;
  }

  // ---- queries ---------------------------------------------------------------------------------

  /** The row that holds the caller's spending under the lab's budget scope. */
  holderOf(lab: LabRow, principal: Principal): { scope: BudgetScope; holderId: string } {
    const scope = lab.budgetScope;
    const holderId = scope === 'lab' ? lab.id : scope === 'organisation' ? principal.orgId : principal.userId;
    return { scope, holderId };
  }

  async budgetOf(db: Pick<Db, 'select'>, lab: LabRow, principal: Principal): Promise<Budget> {
    const holder = this.holderOf(lab, principal);
    const [row] = await db
      .select()
      .from(labBudgets)
      .where(
        and(
          eq(labBudgets.labId, lab.id),
          eq(labBudgets.scope, holder.scope),
          eq(labBudgets.holderId, holder.holderId),
        ),
      );
    const spent = row?.spent ?? 0;
    return {
      scope: holder.scope,
      total: lab.epsilonBudget,
      spent,
      remaining: Math.max(0, lab.epsilonBudget - spent),
    };
  }

  /** The caller's budget in a lab: their own, their organisation's or the lab's, as the owner chose. */
  async budget(principal: Principal, labId: string): Promise<Budget> {
    const { lab } = await this.visibleLab(principal, labId);
    return this.budgetOf(this.db, lab, principal);
  }

  /**
   * Runs a clean-room query: checked and rewritten (cleanroom.ts), run on the pseudonymised copies,
   * released with Laplace noise and small groups suppressed. ε must be at least the lab's floor and
   * within the remaining budget; it is spent in the same transaction that stores the result and its
   * ledger entry, by one conditional update, so concurrent queries can neither overspend nor wait on
   * each other. Whatever fails in the engine answers one fixed problem, never the engine's text.
   */
  async runQuery(
    principal: Principal,
    labId: string,
    input: { sql: string; epsilon?: number },
  ): Promise<LabQuery> {
    const { lab, role } = await this.requireLabRole(principal, labId, 'researcher', 'owner', 'data-owner');
    try {
      return await this.runChecked(principal, lab, role, input);
    } catch (error) {
      // An unforeseen failure (a 500) is on the record too, as `internal`.
      const problem =
        error instanceof AppError ? error : new AppError('internal', 'the query failed unexpectedly');
      await this.recordRefusal(principal, lab, input.sql, problem);
      throw error;
    }
  }

  /** A refused or failed lab query on the record (query.refuse's lab twin), naming the lab's datasets it used. */
  private async recordRefusal(principal: Principal, lab: LabRow, sqlText: string, problem: AppError) {
    const attached = await this.db.select().from(labDatasets).where(eq(labDatasets.labId, lab.id));
    const words = new Set(sqlText.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
    await this.deps.query.deps.refusals.record(principal, {
      kind: 'lab',
      code: problem.code,
      sqlSha256: createHash('sha256').update(sqlText).digest('hex'),
      datasets: attached
        .filter((dataset) => words.has(dataset.name))
        .map((dataset) => ({ id: dataset.datasetId, orgId: dataset.orgId })),
      unknownNames: [],
      labId: lab.id,
    });
  }

  private async runChecked(
    principal: Principal,
    lab: LabRow,
    role: LabRole,
    input: { sql: string; epsilon?: number },
  ): Promise<LabQuery> {
    const labId = lab.id;
    const epsilon = input.epsilon ?? lab.defaultEpsilon;
    if (!Number.isFinite(epsilon) || epsilon < lab.minEpsilon || epsilon > lab.epsilonBudget) {
      throw validationFailed(
        'epsilon',
        `must be at least the lab's floor ${lab.minEpsilon} and at most its budget ${lab.epsilonBudget}`,
      );
    }
    const before = await this.budgetOf(this.db, lab, principal);
    if (epsilon > before.remaining + budgetTolerance) throw budgetExhausted(before, epsilon);
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
    const parser = await this.deps.engine.governedConnection();
    let plan: CleanRoomPlan;
    try {
      const [statement] = await parseSelect(parser, input.sql);
      plan = planCleanRoomQuery(statement!, tables, await this.deps.query.functionCatalog(parser));
    } finally {
      parser.closeSync();
    }
    const options = {
      epsilon,
      minGroupSize: lab.minGroupSize,
      maxRowsPerSubject: lab.maxRowsPerSubject,
      maxGroupsPerSubject: lab.maxGroupsPerSubject,
      uniform: this.uniform,
    };
    // The noise scales depend on the plan and the settings only: checked before anything runs.
    noiseScalesOf(plan.columns, options);
    const files = plan.tables.map((name) => {
      const dataset = attached.find((candidate) => candidate.name === name)!;
      return { name, file: path.join(this.deps.engine.labsDir, dataset.file) };
    });
    const holder = this.holderOf(lab, principal);
    // ε is spent before the query runs, not after it succeeds: a query stopped for time, memory or
    // an engine error would otherwise answer whether some group exists (how long it ran, whether
    // it failed) for nothing.
    await this.db.transaction(async (tx) => {
      if (!(await this.spend(tx, lab, holder, epsilon))) {
        throw budgetExhausted(await this.budgetOf(tx, lab, principal), epsilon);
      }
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'lab.query.charge',
        object: { type: 'lab', id: labId },
        decision: 'allow',
        data: {
          labId,
          epsilon,
          budgetScope: holder.scope,
          sqlSha256: createHash('sha256').update(input.sql).digest('hex'),
        },
      });
    });
    let rows: unknown[][];
    try {
      const types = new Map<string, Map<string, string>>();
      const compared = comparedColumns(plan.where);
      if (compared.length > 0) {
        const described = await this.execute(
          files
            .map(
              (file) =>
                `SELECT ${quoteLiteral(file.name)}, column_name, column_type FROM (DESCRIBE ${quoteIdentifier(file.name)})`,
            )
            .join(' UNION ALL '),
          files,
          principal.orgId,
        );
        for (const [table, column, type] of described as [string, string, string][]) {
          if (!types.has(table)) types.set(table, new Map());
          types.get(table)!.set(foldIdentifier(column), type);
        }
      }
      const sql = compileCleanRoomQuery(plan, {
        maxRowsPerSubject: lab.maxRowsPerSubject,
        maxGroupsPerSubject: lab.maxGroupsPerSubject,
        seed: randomInt(0, 2 ** 31),
        types,
      });
      rows = await this.execute(sql, files, principal.orgId);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/interrupt/i.test(message)) {
        throw new AppError(
          'query-timeout',
          `the query ran longer than ${this.deps.query.deps.timeoutMs} ms and was stopped`,
        );
      }
      throw engineFailed();
    }
    let release: LabRelease;
    try {
      release = releaseWithNoise(plan, rows, options);
    } catch {
      throw engineFailed();
    }
    const state: LabQueryState = lab.outputReview ? 'pending-review' : 'released';
    const used = attached
      .filter((dataset) => plan.tables.includes(dataset.name))
      .map((dataset) => ({ name: dataset.name, datasetId: dataset.datasetId, versionId: dataset.versionId }));
    const now = this.deps.clock.now();
    const id = newId('labQuery');
    return this.db.transaction(async (tx) => {
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
          budgetScope: holder.scope,
          datasets: used,
          groupsReleased: release.rows.length,
          state,
        },
      });
      if (state === 'pending-review') {
        await this.deps.events.publish(tx, 'lab.output-pending', {
          to: { owner: await this.reviewersOf(tx, labId) },
          objectId: labId,
          title: `A result in the lab "${lab.name}" awaits your review`,
          body: `Analysis ${id} must be released or withheld before the researcher sees it.`,
          data: { labId, queryId: id, memberOrgId: principal.orgId },
        });
      }
      return this.view(row, role);
    });
  }

  /**
   * Spends ε from the holder's budget in one statement: under concurrency the row is locked and the
   * condition is evaluated on its latest value, so the sum of what is spent never passes the total.
   * False when the budget cannot pay.
   */
  async spend(
    tx: Tx,
    lab: LabRow,
    holder: { scope: BudgetHolderScope; holderId: string },
    epsilon: number,
    /** The holder's total; default the lab's budget. */
    total: number = lab.epsilonBudget,
  ): Promise<boolean> {
    const spent = await tx
      .insert(labBudgets)
      .values({ labId: lab.id, scope: holder.scope, holderId: holder.holderId, spent: epsilon })
      .onConflictDoUpdate({
        target: [labBudgets.labId, labBudgets.scope, labBudgets.holderId],
        set: { spent: sql`${labBudgets.spent} + ${epsilon}::double precision` },
        setWhere: sql`${labBudgets.spent} + ${epsilon}::double precision <= ${total + budgetTolerance}::double precision`,
      })
      .returning();
    return spent.length > 0;
  }

  /**
   * Runs SQL on the lab's files in a query worker whose engine may read the files named here and
   * nothing else, within the governed query time limit; the rows as JSON values. A query stopped
   * for time or memory answers its problem (workers.ts); other engine errors come back as raised,
   * and the caller decides what to say.
   */
  private async execute(
    sql: string,
    views: { name: string; file: string }[],
    orgId: string,
  ): Promise<unknown[][]> {
    const { workers, timeoutMs } = this.deps.query.deps;
    return (await workers.run({ sql, views, maxRows: 1_000_000, timeoutMs, orgId, mayWait: true })).rows;
  }

  /** What a member may see of a query: the analyst's own and every query for owners; results once released. */
  private view(query: LabQuery, role: LabRole | null): LabQuery {
    const mayReview = role === 'owner' || role === 'data-owner';
    if (query.state === 'released' || mayReview) {
      const { columns, rows, noiseScales } = query.result;
      // Results stored before intervals were part of a release carry none.
      const intervals = query.result.intervals ?? rows.map((row) => row.map(() => null));
      return { ...query, result: { columns, rows, intervals, noiseScales } };
    }
    return { ...query, result: { columns: [], rows: [], intervals: [], noiseScales: {} } };
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
      const output = { labId, queryId, memberOrgId: row.orgId };
      if (decision === 'approve') {
        await this.deps.events.publish(tx, 'lab.output-released', {
          to: { member: row.orgId },
          objectId: labId,
          title: 'An analysis result was released',
          body: `Analysis ${queryId} passed review; its result can be read now.`,
          data: output,
        });
      } else {
        await this.deps.events.publish(tx, 'lab.output-rejected', {
          to: { member: row.orgId },
          objectId: labId,
          title: 'An analysis result was withheld',
          body: `Analysis ${queryId} was withheld by a reviewer${reason ? `: ${reason}` : '.'}`,
          data: { ...output, reason: reason ?? null },
        });
      }
      return this.view(row, 'data-owner');
    });
  }

  /** Lab ids an organisation belongs to (for the portal and for other modules). */
  async labIdsOf(orgId: string): Promise<string[]> {
    const rows = await this.db
      .select({ labId: labMembers.labId })
      .from(labMembers)
      .where(and(eq(labMembers.orgId, orgId), this.liveSeat()));
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

export function budgetExhausted(budget: Budget, epsilon: number): AppError {
  const whose = { analyst: 'for you', organisation: 'for your organisation', lab: 'for everyone' }[
    budget.scope
  ];
  return new AppError(
    'privacy-budget-exhausted',
    `this query needs ε=${epsilon} but only ε=${budget.remaining.toFixed(4)} of ${budget.total} remains ${whose} in this lab`,
    { remaining: budget.remaining, total: budget.total, scope: budget.scope },
  );
}
