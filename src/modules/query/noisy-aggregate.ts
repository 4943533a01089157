import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError, validationFailed } from '../../errors.js';
import type { AgreementService, NoiseBudget } from '../access/agreements.js';
import { defaultNoiseBounds, type Noise } from '../access/terms.js';
import type { AuditLedger } from '../audit/service.js';
import type { Principal } from '../identity/principal.js';
import {
  type CleanRoomPlan,
  compileCleanRoomQuery,
  foldIdentifier,
  type LabTable,
  planCleanRoomQuery,
} from '../lab/cleanroom.js';
import type { UniformSource } from '../lab/dp.js';
import { noiseScalesOf, type ReleaseOptions, releaseWithNoise } from '../lab/release.js';
import { subjectColumnName } from './aggregate.js';
import type { FunctionCatalog, SyntaxNode } from './guard.js';

/**
 * Aggregate-only grants with noise. A minimum group size cannot stop differencing: two allowed
 * aggregates whose groups differ by one subject (WHERE age <= 40 and WHERE age < 40) subtract to
 * that subject's value. When the owner's terms add `noise`, a query on the grant is planned and
 * written as a clean-room query of the Data Lab (lab/cleanroom.ts) over the grant file, with its
 * hidden `__subject` as the subject: each subject's rows cut to L, one clipped value per subject and
 * group, each subject in at most G groups; the rows are released by the lab's mechanism
 * (lab/release.ts): Laplace noise scaled to that sensitivity and ε, groups under k (exact and noisy)
 * left out without saying how many, a 95% interval per value. ε is spent from the grant's budget
 * before the query runs, in one conditional statement (AgreementService.spendEpsilon).
 */

export interface NoisyGrant {
  name: string;
  agreementId: string;
  /** The grant file's columns as the holder sees them (types after masks), hidden ones included. */
  columns: { name: string; type: string }[];
  minGroupSize: number | null;
  noise: Noise;
}

export interface NoisyQuery {
  plan: CleanRoomPlan;
  sql: string;
  epsilon: number;
  options: Omit<ReleaseOptions, 'uniform'>;
}

/** What a noisy release adds to a query result. */
export interface NoiseRelease {
  epsilon: number;
  /** Per cell, the half-width of its 95% interval; null for group keys. */
  intervals: (number | null)[][];
  /** Laplace scale b per released aggregate (and `__subjects` for the noisy subject count). */
  noiseScales: Record<string, number>;
  budget: NoiseBudget;
}

const prefix = 'clean room: ';

/** The clean room's refusals, reworded for a grant. */
function reworded(error: unknown): unknown {
  if (error instanceof AppError && error.message.startsWith(prefix)) {
    return new AppError(
      error.code,
      `this dataset is aggregate-only with noise: ${error.message.slice(prefix.length)}`,
      error.extensions,
    );
  }
  return error;
}

/** The ε a query spends: the caller's choice or the grant's default, within the owner's floor and budget. */
export function epsilonFor(noise: Noise, requested: number | undefined): number {
  const epsilon = requested ?? noise.epsilon;
  if (!Number.isFinite(epsilon) || epsilon < noise.minEpsilon || epsilon > noise.epsilonBudget) {
    throw validationFailed(
      'epsilon',
      `must be at least the grant's floor ${noise.minEpsilon} and at most its budget ${noise.epsilonBudget}`,
    );
  }
  return epsilon;
}

/**
 * Checks a statement on a noisy grant and writes the SQL that runs. Allowed: SELECT dimensions,
 * count(*), sum(m), avg(m) FROM the grant [WHERE conditions on columns] GROUP BY the dimensions,
 * where m is a column the owner bounded (`noise.measures`); anything else is refused.
 */
export function planNoisyAggregate(
  statement: SyntaxNode,
  grant: NoisyGrant,
  functions: FunctionCatalog,
  epsilon: number,
): NoisyQuery {
  const tableName = foldIdentifier(grant.name);
  const visible = grant.columns.filter((column) => !column.name.startsWith('__'));
  const table: LabTable = {
    name: tableName,
    dimensions: visible.map((column) => column.name),
    measures: grant.noise.measures,
    allowMinMax: false,
  };
  let plan: CleanRoomPlan;
  try {
    plan = planCleanRoomQuery(statement, new Map([[tableName, table]]), functions);
  } catch (error) {
    throw reworded(error);
  }
  const options = {
    epsilon,
    minGroupSize: grant.minGroupSize ?? 0,
    maxRowsPerSubject: grant.noise.maxRowsPerSubject ?? defaultNoiseBounds.maxRowsPerSubject,
    maxGroupsPerSubject: grant.noise.maxGroupsPerSubject ?? defaultNoiseBounds.maxGroupsPerSubject,
  };
  // The noise scales depend on the plan and the terms only: a scale that is not finite is refused
  // here, before any ε is spent or any row is read.
  try {
    noiseScalesOf(plan.columns, options);
  } catch (error) {
    throw reworded(error);
  }
  const types = new Map([
    [tableName, new Map(visible.map((column) => [foldIdentifier(column.name), column.type]))],
  ]);
  let sql: string;
  try {
    sql = compileCleanRoomQuery(plan, {
      maxRowsPerSubject: options.maxRowsPerSubject,
      maxGroupsPerSubject: options.maxGroupsPerSubject,
      seed: randomInt(0, 2 ** 31),
      types,
      subjectColumn: subjectColumnName,
      hasStoredRank: false,
    });
  } catch (error) {
    throw reworded(error);
  }
  return { plan, sql, epsilon, options };
}

/** The DuckDB type each released column has. */
export function releasedColumns(query: NoisyQuery, grant: NoisyGrant): { name: string; type: string }[] {
  return query.plan.columns.map((column) => {
    if (column.kind === 'dimension') {
      const source = column.source!.column;
      const type = grant.columns.find((candidate) => foldIdentifier(candidate.name) === source)?.type;
      return { name: column.name, type: type ?? 'VARCHAR' };
    }
    return {
      name: column.name,
      type: column.kind === 'count' || column.kind === 'count-subjects' ? 'BIGINT' : 'DOUBLE',
    };
  });
}

/** The engine's rows released with noise; a failure here answers the fixed aggregate-only problem. */
export function releaseNoisy(query: NoisyQuery, rows: unknown[][], uniform: UniformSource) {
  try {
    return releaseWithNoise(query.plan, rows, { ...query.options, uniform });
  } catch {
    throw new AppError(
      'query-failed',
      'the query failed while it ran; queries on an aggregate-only dataset answer no engine detail',
    );
  }
}

function budgetExhausted(budget: NoiseBudget, epsilon: number, agreementId: string): AppError {
  const whose = budget.scope === 'organisation' ? 'for your organisation' : 'for you';
  return new AppError(
    'privacy-budget-exhausted',
    `this query needs ε=${epsilon} but only ε=${budget.remaining.toFixed(4)} of ${budget.total} remains ${whose} under agreement ${agreementId}`,
    { remaining: budget.remaining, total: budget.total, scope: budget.scope },
  );
}

/**
 * Spends the query's ε before it runs (a query stopped for time or by an engine error must not
 * answer for free whether some group exists), with its ledger entry in the same transaction; the
 * budget after spending. Refused with `privacy-budget-exhausted` when the holder's budget cannot pay.
 */
export async function chargeEpsilon(
  deps: { db: Db; audit: AuditLedger; agreements: AgreementService },
  principal: Principal,
  grant: NoisyGrant & { datasetId: string },
  epsilon: number,
  sqlText: string,
): Promise<NoiseBudget> {
  const holder = deps.agreements.noiseHolderOf(grant.noise, principal);
  const before = await deps.agreements.noiseBudget(deps.db, grant.agreementId, grant.noise, holder);
  if (epsilon > before.remaining + 1e-9) throw budgetExhausted(before, epsilon, grant.agreementId);
  return deps.db.transaction(async (tx) => {
    if (!(await deps.agreements.spendEpsilon(tx, grant.agreementId, grant.noise, holder, epsilon))) {
      const now = await deps.agreements.noiseBudget(tx, grant.agreementId, grant.noise, holder);
      throw budgetExhausted(now, epsilon, grant.agreementId);
    }
    await deps.audit.append(tx, {
      actor: { type: principal.type, id: principal.userId },
      orgId: principal.orgId,
      action: 'query.charge',
      object: { type: 'agreement', id: grant.agreementId },
      decision: 'allow',
      data: {
        agreements: [grant.agreementId],
        datasets: [{ id: grant.datasetId }],
        epsilon,
        budgetScope: holder.scope,
        sqlSha256: createHash('sha256').update(sqlText).digest('hex'),
      },
    });
    return deps.agreements.noiseBudget(tx, grant.agreementId, grant.noise, holder);
  });
}
