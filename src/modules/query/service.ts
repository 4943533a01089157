import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { writeAside, writeFileAtomic } from '../../infra/atomic-files.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { AgreementService } from '../access/agreements.js';
import { fullAccessTerms } from '../access/terms.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService, QueryableVersion } from '../catalog/datasets.js';
import { restrictedClassifications } from '../catalog/schema.js';
import type { Principal } from '../identity/principal.js';
import type { Location } from '../identity/schema.js';
import { cryptoUniform, type UniformSource } from '../lab/dp.js';
import { compileAggregateOnly } from './aggregate.js';
import type { GrantFiles } from './grant-files.js';
import type { GrantSources } from './grant-sources.js';
import {
  asciiLower,
  checkQuery,
  type FunctionCatalog,
  loadFunctionCatalog,
  parseSelect,
  type SyntaxNode,
  type ViewRule,
} from './guard.js';
import {
  chargeEpsilon,
  epsilonFor,
  type NoiseRelease,
  type NoisyQuery,
  planNoisyAggregate,
  releasedColumns,
  releaseNoisy,
} from './noisy-aggregate.js';
import type { RefusalLog } from './refusals.js';
import type { ConsentFilter, Grant } from './views.js';
import { EngineError, type QueryWorkerPool } from './workers.js';

export const queryFormats = ['json', 'csv', 'parquet'] as const;
export type QueryFormat = (typeof queryFormats)[number];

/** The most rows one query may return, whatever an agreement allows. */
export const rowCeiling = 100_000;

export interface QueryInput {
  sql: string;
  maxRows?: number;
  /** ε to spend on an aggregate-only grant with noise (default: the grant's own). */
  epsilon?: number;
}

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryResult {
  queryId: string;
  columns: QueryColumn[];
  rows: unknown[][];
  rowCount: number;
  /** More rows existed than the cap allowed; they were not returned. */
  truncated: boolean;
  datasets: { name: string; datasetId: string; versionId: string; agreementId: string | null }[];
  /** Present when the values carry differential-privacy noise (an aggregate-only grant with noise). */
  noise?: NoiseRelease;
}

/** A dataset the caller may query, as `GET /v1/query/tables` lists it. */
export interface QueryTable {
  name: string;
  datasetId: string;
  versionId: string;
  via: Grant['via'];
  agreementId: string | null;
  aggregateOnly: boolean;
  columns: { name: string; type: string; mask: string | null }[];
  /** Why the caller cannot use it right now (e.g. a region rule), or null. */
  blockedBy: string | null;
}

interface ResolvedGrants {
  grants: Grant[];
  /** Grants the caller holds but may not use now (keyed by name), with the problem to answer. */
  blocked: Map<string, { grant: Grant; problem: AppError; refused?: () => Promise<void> }>;
}

export interface QueryServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLedger;
  engine: DuckEngine;
  /** Where each grant's data is written; consumer queries read these files only. */
  grantFiles: GrantFiles;
  /** The processes consumer SQL runs in, each query in an engine confined to its grant files. */
  workers: QueryWorkerPool;
  /** Refused and failed queries, on the record. */
  refusals: RefusalLog;
  /**
   * Tests only, never set from configuration: run consumer SQL without the guard, to show that
   * the worker's confinement to grant files holds on its own.
   */
  unguarded?: boolean;
  datasets: DatasetService;
  agreements: AgreementService;
  /** What an organisation's grants are made of, in one read (grant-sources.ts). */
  grantSources(orgId: string): Promise<GrantSources>;
  timeoutMs: number;
  /**
   * The consent filter of each consent-required dataset among those another
   * organisation reads under agreements (ConsentService.filtersFor); others are absent.
   */
  consentFilters(
    granteeOrgId: string,
    grants: { datasetId: string; purpose: Grant['terms']['purpose'] }[],
  ): Promise<Map<string, ConsentFilter>>;
  /** Where noise for noisy aggregate-only grants is drawn: the OS CSPRNG unless a test seeds it. */
  uniform?: UniformSource;
  /** The cross-boundary gate for personal data (crossborder module); null means the flow may go. */
  gate?: (
    flow: { providerOrgId: string; recipientOrgId: string; datasetId: string; actorId: string },
    /** The two parties' verified locations, as the grants' own read saw them. */
    known: { providerLocation: Location | null; recipientLocation: Location | null },
  ) => Promise<AppError | null>;
  /**
   * Records a gate refusal in the ledger: called when a caller actually tries to read the data,
   * not when grants are merely listed (tables, shares), so the ledger holds decisions, not browsing.
   */
  gateRefused?: (
    flow: { providerOrgId: string; recipientOrgId: string; datasetId: string; actorId: string },
    problem: AppError,
  ) => Promise<void>;
}

/** Every table name a statement's tree mentions (for the record of a refusal). */
function tableNames(statement: SyntaxNode): string[] {
  const names = new Set<string>();
  const stack: unknown[] = [statement];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      const node = value as SyntaxNode;
      if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') names.add(node.table_name);
      for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push(child);
    }
  }
  return [...names];
}

/** What the guard made of one query over one set of grants (see `QueryService.verdictFor`). */
interface Verdict {
  /** Every table name the statement mentions. */
  named: string[];
  /** The views it reads, as the guard resolved them (ASCII-folded names). */
  views: string[];
  columnRefs: ColumnRefs;
  /** The SQL that runs: the caller's, or the platform's own for an aggregate-only grant. */
  text: string;
  /** Engine errors answer no engine text (aggregate-only). */
  opaque: boolean;
  /** For an aggregate-only grant with noise: the plan the lab's mechanism releases. */
  noisy?: NoisyQuery;
}

/** Guard verdicts kept at most, each for SQL of this many characters at most (a few MB in all). */
const verdictsKept = 1000;
const verdictTextKept = 4096;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A grant moved to another version of its dataset (Delta Sharing time travel): the same terms,
 * masks, row filter and consent filter over that version's file. An open grant's terms are that
 * version's own full access; an agreement keeps the columns its current grant shows, less those the
 * version lacks. Deny by default, as for the current version: a version without a column the row
 * filter or the consent filter needs, or without any granted column, shows nothing and is refused.
 * Callers decide which versions a grant reaches at all (sharing/history.ts).
 */
export function grantAtVersion(grant: Grant, entry: QueryableVersion, now: Date): Grant {
  const moved: Grant = {
    ...grant,
    versionId: entry.version.id,
    file: entry.file,
    columns: entry.version.columns,
  };
  if (grant.via !== 'agreement') {
    return { ...moved, terms: fullAccessTerms(entry.version.columns, now, true) };
  }
  const present = new Set(entry.version.columns.map((column) => column.name));
  const columns = grant.terms.columns.filter((name) => present.has(name));
  const missing =
    grant.terms.rowFilter.find((condition) => !present.has(condition.column))?.column ??
    (grant.consent && !present.has(grant.consent.subjectColumn) ? grant.consent.subjectColumn : null) ??
    (columns.length === 0 ? 'any granted column' : null);
  if (missing) {
    throw new AppError(
      'table-version-not-shared',
      `version ${entry.version.version} of ${grant.name} lacks ${missing === 'any granted column' ? missing : `column ${missing}`}, which the grant relies on`,
    );
  }
  return { ...moved, terms: { ...grant.terms, columns } };
}

/**
 * Governed SQL: the caller's SQL runs in DuckDB against views compiled from what it may read
 * (its own datasets, open datasets, and its agreements' terms), never against the files. Each
 * query opens its own connection, creates the views as temporary views there (seen by no other
 * connection), runs, and closes. Evidence: every query that returns data is counted against its
 * agreements and written to the ledger in one transaction before the rows leave.
 */
export class QueryService {
  private functions: Promise<FunctionCatalog> | undefined;
  private readonly uniform: UniformSource;
  /** Guard verdicts by SQL and grants, least recently used first (see `verdictFor`). */
  private readonly verdicts = new Map<string, Verdict>();

  constructor(readonly deps: QueryServiceDeps) {
    this.uniform = deps.uniform ?? cryptoUniform();
  }

  /** DuckDB's functions as the guard sees them (loaded once; the clean room shares it). */
  functionCatalog(connection: DuckDBConnection): Promise<FunctionCatalog> {
    this.functions ??= loadFunctionCatalog(connection);
    return this.functions;
  }

  private grantOf(
    entry: QueryableVersion,
    via: Grant['via'],
    agreement: { id: string; terms: Grant['terms']; secret: string } | null,
  ): Grant {
    const now = this.deps.clock.now();
    return {
      name: entry.dataset.slug,
      datasetId: entry.dataset.id,
      versionId: entry.version.id,
      file: entry.file,
      columns: entry.version.columns,
      terms: agreement?.terms ?? fullAccessTerms(entry.version.columns, now, true),
      agreementId: agreement?.id ?? null,
      secret: agreement?.secret ?? null,
      via,
      ownerOrgId: entry.dataset.orgId,
      subjectColumn: entry.dataset.subjectColumn ?? null,
    };
  }

  /** Everything the caller's organisation may read now, one grant per dataset. */
  async resolveGrants(principal: Principal): Promise<ResolvedGrants> {
    const grants = new Map<string, Grant>();
    const blocked: ResolvedGrants['blocked'] = new Map();
    // One read: the caller's own and open datasets, its agreements with the versions they read,
    // and the verified locations the region rule and the gate need (grant-sources.ts).
    const { readable, agreements: active, location } = await this.deps.grantSources(principal.orgId);
    for (const entry of readable) {
      const via = entry.dataset.orgId === principal.orgId ? 'owner' : 'open';
      grants.set(entry.dataset.id, this.grantOf(entry, via, null));
    }
    const agreements = active.filter((agreement) => !grants.has(agreement.datasetId));
    const consentRequired = new Set<string>();
    if (agreements.length > 0) {
      for (const agreement of agreements) {
        // Newest agreement first: an older one for the same dataset never overrides it.
        if (grants.has(agreement.datasetId)) continue;
        const entry = agreement.entry;
        if (!entry) continue;
        if (entry.dataset.consentRequired) consentRequired.add(entry.dataset.id);
        const grant = this.grantOf(entry, 'agreement', agreement);
        // A later version may have dropped a column: it simply is not granted any more, but a row
        // filter that cannot be applied means no rows may be shown at all (deny by default).
        const present = new Set(entry.version.columns.map((column) => column.name));
        grant.terms = { ...grant.terms, columns: grant.terms.columns.filter((name) => present.has(name)) };
        const unfilterable = grant.terms.rowFilter.find((condition) => !present.has(condition.column));
        if (unfilterable || grant.terms.columns.length === 0) {
          blocked.set(grant.name, {
            grant,
            problem: new AppError(
              'agreement-not-active',
              `the current version of ${grant.name} lacks column ${unfilterable?.column ?? 'any granted column'} ` +
                `that agreement ${agreement.id} relies on; ask the provider to update the agreement`,
            ),
          });
          continue;
        }
        if (!location || !agreement.terms.regions.includes(location)) {
          blocked.set(grant.name, {
            grant,
            problem: new AppError(
              'region-not-allowed',
              `agreement ${agreement.id} allows access from ${agreement.terms.regions.join(', ')}; ` +
                `your organisation's verified location is ${location ?? 'not verified'}`,
            ),
          });
          continue;
        }
        if (agreement.terms.maxQueries !== null && agreement.queriesUsed >= agreement.terms.maxQueries) {
          blocked.set(grant.name, {
            grant,
            problem: new AppError(
              'query-limit-reached',
              `agreement ${agreement.id} allowed ${agreement.terms.maxQueries} queries; all are used`,
            ),
          });
          continue;
        }
        if (!agreement.terms.actions.includes('query')) continue;
        // Personal data crossing a boundary (Hong Kong, Macao, the Mainland GBA cities) passes the
        // cross-boundary gate: an approved, in-date transfer, or a refusal naming the missing step.
        const personal = grant.terms.columns.some((name) => {
          const column = grant.columns.find((candidate) => candidate.name === name);
          return column && restrictedClassifications.includes(column.classification ?? column.suggested);
        });
        const gateProblem = personal
          ? await this.deps.gate?.(
              {
                providerOrgId: entry.dataset.orgId,
                recipientOrgId: principal.orgId,
                datasetId: entry.dataset.id,
                actorId: principal.userId,
              },
              { providerLocation: agreement.providerLocation, recipientLocation: location },
            )
          : null;
        if (gateProblem) {
          const flow = {
            providerOrgId: entry.dataset.orgId,
            recipientOrgId: principal.orgId,
            datasetId: entry.dataset.id,
            actorId: principal.userId,
          };
          blocked.set(grant.name, {
            grant,
            problem: gateProblem,
            refused: async () => this.deps.gateRefused?.(flow, gateProblem),
          });
          continue;
        }
        grants.set(agreement.datasetId, grant);
      }
    }
    // A consent-required dataset read by another organisation shows only the rows of subjects with
    // a live consent for the agreement's purpose, granted to this organisation (or any), covering
    // the dataset (or all). Consents are read afresh on every call, never cached, so a revocation
    // holds from the next query; the filter is compiled into the view itself (views.ts), so every
    // exit that compiles a grant (query, sample, download, shares) applies it. The owner's own
    // grant is never filtered. Whether a dataset requires consent comes with its row above (read
    // in this same call), so a grant on one that does not costs no further lookup.
    const agreed = [...grants.values()].filter(
      (grant) => grant.via === 'agreement' && consentRequired.has(grant.datasetId),
    );
    const consentFilters = await this.deps.consentFilters(
      principal.orgId,
      agreed.map((grant) => ({ datasetId: grant.datasetId, purpose: grant.terms.purpose })),
    );
    for (const grant of agreed) {
      const filter = consentFilters.get(grant.datasetId);
      if (!filter) continue;
      if (!grant.columns.some((column) => column.name === filter.subjectColumn)) {
        // Deny by default: without its subject column no row can be matched to a consent.
        grants.delete(grant.datasetId);
        blocked.set(grant.name, {
          grant,
          problem: new AppError(
            'consent-required',
            `${grant.name} requires consent, but this version lacks its subject column ${filter.subjectColumn}`,
          ),
        });
        continue;
      }
      grant.consent = filter;
    }
    return { grants: [...grants.values()], blocked };
  }

  async tables(principal: Principal): Promise<QueryTable[]> {
    const { grants, blocked } = await this.resolveGrants(principal);
    const tableOf = (grant: Grant, blockedBy: string | null): QueryTable => ({
      name: grant.name,
      datasetId: grant.datasetId,
      versionId: grant.versionId,
      via: grant.via,
      agreementId: grant.agreementId,
      aggregateOnly: grant.terms.aggregateOnly,
      columns: grant.terms.columns.map((name) => ({
        name,
        type: grant.columns.find((column) => column.name === name)?.type ?? 'VARCHAR',
        mask: grant.terms.masks[name]?.kind ?? null,
      })),
      blockedBy,
    });
    return [
      ...grants.map((grant) => tableOf(grant, null)),
      ...[...blocked.values()].map(({ grant, problem }) => tableOf(grant, problem.message)),
    ];
  }

  /**
   * Runs one governed query and returns at most the allowed number of rows. Whatever stops it (the
   * guard, a policy, the engine) is recorded as a refusal before the caller hears of it.
   */
  async run(principal: Principal, input: QueryInput): Promise<QueryResult> {
    const resolved = await this.resolveGrants(principal);
    const named: string[] = [];
    try {
      return await this.runResolved(principal, input, resolved, named);
    } catch (error) {
      // A failure nobody foresaw (a 500) is on the record too, as `internal`: a query that breaks
      // the platform is evidence of probing as much as one the guard refuses.
      const problem =
        error instanceof AppError ? error : new AppError('internal', 'the query failed unexpectedly');
      await this.recordRefusal(principal, input.sql, problem, resolved, named);
      throw error;
    }
  }

  private async recordRefusal(
    principal: Principal,
    sql: string,
    problem: AppError,
    { grants, blocked }: ResolvedGrants,
    named: string[],
  ): Promise<void> {
    const known = new Map<string, Grant>();
    for (const grant of [...grants, ...[...blocked.values()].map((hit) => hit.grant)]) {
      known.set(asciiLower(grant.name), grant);
    }
    const datasets = new Map<string, string>();
    const unknownNames: string[] = [];
    for (const name of named) {
      const grant = known.get(asciiLower(name));
      if (grant) datasets.set(grant.datasetId, grant.ownerOrgId);
      else unknownNames.push(name.slice(0, 200));
    }
    await this.deps.refusals.record(principal, {
      kind: 'query',
      code: problem.code,
      sqlSha256: sha256(sql),
      datasets: [...datasets].map(([id, orgId]) => ({ id, orgId })),
      unknownNames,
    });
  }

  private async runResolved(
    principal: Principal,
    input: QueryInput,
    { grants, blocked }: ResolvedGrants,
    named: string[],
  ): Promise<QueryResult> {
    const byName = new Map(grants.map((grant) => [asciiLower(grant.name), grant]));
    const rules = new Map<string, ViewRule>();
    for (const grant of grants)
      rules.set(asciiLower(grant.name), { aggregateOnly: grant.terms.aggregateOnly });
    // A blocked grant is still a known name, so the caller hears why rather than "unknown dataset".
    for (const name of blocked.keys()) rules.set(asciiLower(name), { aggregateOnly: false });
    const queryId = newId('query');
    let used: Grant[];
    let referenced: Record<string, string[]>;
    let text: string;
    let opaque = false;
    let noisy: { query: NoisyQuery; grant: Grant } | null = null;
    if (input.epsilon !== undefined && this.deps.unguarded) {
      throw validationFailed('epsilon', 'applies only to aggregate-only grants with noise');
    }
    if (this.deps.unguarded) {
      // Tests only: the guard is off and the query runs as written over every grant the caller
      // holds, so the tests can show that the worker's confinement alone keeps data in.
      used = grants;
      referenced = Object.fromEntries(grants.map((grant) => [grant.name, grant.terms.columns]));
      text = input.sql;
    } else {
      const verdict = await this.verdictFor(input.sql, grants, blocked, rules, named, input.epsilon);
      used = verdict.views.map((name) => byName.get(name)!);
      referenced = referencedColumns(verdict.columnRefs, used);
      text = verdict.text;
      opaque = verdict.opaque;
      if (verdict.noisy) {
        noisy = { query: verdict.noisy, grant: used.find((grant) => grant.terms.aggregateOnly)! };
      }
    }
    const cap = Math.min(
      input.maxRows ?? rowCeiling,
      rowCeiling,
      ...used.map((grant) => grant.terms.maxRowsPerQuery),
    );
    let result: Omit<QueryResult, 'queryId'>;
    if (noisy) {
      const grant = noisyGrantOf(noisy.grant);
      const budget = await chargeEpsilon(
        this.deps,
        principal,
        { ...grant, datasetId: noisy.grant.datasetId },
        noisy.query.epsilon,
        input.sql,
      );
      // Every group comes back from the engine: suppression and noise decide what is released.
      // Its ε is spent: it waits for a worker rather than being refused for its organisation's others.
      const exact = await this.execute(text, noisyGroupCeiling, used, true, principal.orgId, true);
      const release = releaseNoisy(noisy.query, exact.rows, this.uniform);
      result = {
        columns: releasedColumns(noisy.query, grant),
        rows: release.rows.slice(0, cap),
        rowCount: Math.min(release.rows.length, cap),
        truncated: release.rows.length > cap || exact.truncated,
        datasets: exact.datasets,
        noise: {
          epsilon: noisy.query.epsilon,
          intervals: release.intervals.slice(0, cap),
          noiseScales: release.noiseScales,
          budget,
        },
      };
    } else {
      result = await this.execute(text, cap, used, opaque, principal.orgId);
    }
    const agreementIds = used.flatMap((grant) => grant.agreementId ?? []);
    await this.deps.db.transaction(async (tx) => {
      await this.deps.agreements.countQuery(tx, agreementIds);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'query.run',
        object: { type: 'query', id: queryId },
        decision: 'allow',
        data: {
          sqlSha256: sha256(input.sql),
          agreements: agreementIds,
          datasets: used.map((grant) => ({
            id: grant.datasetId,
            versionId: grant.versionId,
            via: grant.via,
            agreementId: grant.agreementId,
          })),
          columns: referenced,
          rows: result.rowCount,
          truncated: result.truncated,
          ...(result.noise ? { epsilon: result.noise.epsilon } : {}),
        },
      });
    });
    return { queryId, ...result };
  }

  /**
   * What the guard makes of a query: the views it reads, the columns it names and the SQL that
   * runs. A verdict depends on the SQL and on what the caller's grants say of each name (which
   * names exist or are blocked, which are aggregate-only and with which columns and threshold),
   * never on the data or the clock, so one is kept for the same SQL over the same grants and
   * reused (a grant that changes in any of these ways gives another key). Refusals are never kept:
   * each is checked and recorded afresh. Long queries are not kept either (they are rarely repeated).
   */
  private async verdictFor(
    sql: string,
    grants: Grant[],
    blocked: ResolvedGrants['blocked'],
    rules: Map<string, ViewRule>,
    named: string[],
    epsilon?: number,
  ): Promise<Verdict> {
    const key = sha256(
      JSON.stringify([
        sql,
        epsilon ?? null,
        grants
          .map((grant) => [
            asciiLower(grant.name),
            grant.terms.aggregateOnly,
            grant.terms.aggregateOnly ? grantedColumns(grant) : null,
            grant.terms.aggregateOnly ? grant.terms.minGroupSize : null,
            grant.terms.aggregateOnly ? (grant.terms.noise ?? null) : null,
          ])
          .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
        [...blocked.keys()].map(asciiLower).sort(),
      ]),
    );
    const kept = this.verdicts.get(key);
    if (kept) {
      this.verdicts.delete(key);
      this.verdicts.set(key, kept);
      named.push(...kept.named);
      return kept;
    }
    const byName = new Map(grants.map((grant) => [asciiLower(grant.name), grant]));
    const connection = await this.deps.engine.governedConnection();
    let verdict: Verdict;
    try {
      const [statement] = await parseSelect(connection, sql);
      const names = tableNames(statement!);
      named.push(...names);
      const checked = checkQuery(statement!, rules, await this.functionCatalog(connection));
      for (const name of checked.views) {
        const hit = [...blocked].find(([blockedName]) => asciiLower(blockedName) === name);
        if (hit) {
          await hit[1].refused?.();
          throw hit[1].problem;
        }
      }
      const used = checked.views.map((name) => byName.get(name)!);
      // An aggregate-only grant is read alone, through SQL the platform writes (aggregate.ts).
      const summarised = used.find((grant) => grant.terms.aggregateOnly);
      if (summarised && used.length > 1) {
        throw new AppError(
          'query-refused',
          `${summarised.name} is aggregate-only: query it alone, without other datasets`,
        );
      }
      const noise = summarised?.terms.noise;
      if (epsilon !== undefined && !noise) {
        throw validationFailed('epsilon', 'applies only to aggregate-only grants with noise');
      }
      // With noise, the lab's mechanism plans the query and releases its answer (noisy-aggregate.ts).
      const noisy =
        summarised && noise
          ? planNoisyAggregate(
              statement!,
              noisyGrantOf(summarised),
              await this.functionCatalog(connection),
              epsilonFor(noise, epsilon),
            )
          : undefined;
      const text = noisy
        ? noisy.sql
        : summarised
          ? await compileAggregateOnly(connection, statement!, {
              name: summarised.name,
              columns: grantedColumns(summarised),
              minGroupSize: summarised.terms.minGroupSize,
            })
          : sql;
      verdict = {
        named: names,
        views: checked.views,
        columnRefs: columnRefsOf(statement!),
        text,
        opaque: summarised !== undefined,
        noisy,
      };
    } finally {
      connection.closeSync();
    }
    // A noisy plan is made afresh each time: it carries the ε this query spends.
    if (verdict.noisy || verdict.text.length > verdictTextKept) return verdict;
    this.verdicts.set(key, verdict);
    for (const oldest of this.verdicts.keys()) {
      if (this.verdicts.size <= verdictsKept) break;
      this.verdicts.delete(oldest);
    }
    return verdict;
  }

  /**
   * Runs the query in a worker process whose engine may read the used grants' files and nothing
   * else (not the datasets' own files, not another grant's, not the directories around them).
   */
  private async execute(
    text: string,
    cap: number,
    used: Grant[],
    opaque: boolean,
    orgId: string,
    mayWait = false,
  ): Promise<Omit<QueryResult, 'queryId'>> {
    const files = await Promise.all(used.map((grant) => this.deps.grantFiles.fileFor(grant)));
    const views = used.map((grant, i) => ({ name: grant.name, file: files[i]! }));
    try {
      const result = await this.deps.workers.run({
        sql: text,
        views,
        maxRows: cap,
        timeoutMs: this.deps.timeoutMs,
        orgId,
        mayWait,
      });
      return {
        columns: result.columns,
        rows: result.rows,
        rowCount: result.rows.length,
        truncated: result.truncated,
        datasets: used.map((grant) => ({
          name: grant.name,
          datasetId: grant.datasetId,
          versionId: grant.versionId,
          agreementId: grant.agreementId,
        })),
      };
    } catch (error) {
      throw this.engineProblem(error, views, opaque, { sql: text, used });
    }
  }

  /**
   * DuckDB's message, without anything the caller must not learn: file paths are cut out, values in
   * quotes and numbers (a failing cast or an overflow quotes a row's value) are replaced; what is
   * left (which column, which type, which function) helps them fix the query. An aggregate-only
   * query (`opaque`) answers a fixed problem with no engine text: the platform wrote and checked its
   * SQL, so an engine error there could only come from the data.
   */
  private engineProblem(
    error: unknown,
    views: { name: string; file: string }[],
    opaque: boolean,
    context: { sql: string; used: Grant[] },
  ): AppError {
    if (error instanceof AppError) return error;
    if (!(error instanceof EngineError)) throw error;
    let message = error.message;
    if (opaque) {
      return new AppError(
        'query-failed',
        'the query failed while it ran; queries on an aggregate-only dataset answer no engine detail',
      );
    }
    if (/^Permission Error/i.test(message))
      return new AppError('query-refused', 'the query tried to access files');
    for (const view of views) message = message.replaceAll(view.file, view.name);
    const known = new Set<string>([
      ...(context.sql.toLowerCase().match(/[\p{L}_][\p{L}\p{N}_$]*/gu) ?? []),
      ...context.used
        .flatMap((grant) => [grant.name, ...grant.terms.columns])
        .map((name) => name.toLowerCase()),
    ]);
    message = message.replaceAll(this.deps.grantFiles.dir, '<grants>');
    message = message.replaceAll(this.deps.engine.datasetsDir, '<datasets>');
    message = message
      .split('\n')[0]!
      .replace(/'(?:[^']|'')*'/g, "'…'")
      // Double quotes name identifiers (keep those the caller wrote or may read) or, in a failed
      // parse or conversion, a row's value (cut).
      .replace(/"(?:[^"]|"")*"/g, (quoted) => (known.has(quoted.slice(1, -1).toLowerCase()) ? quoted : '"…"'))
      .replace(/(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])/gi, '…');
    return new AppError('query-invalid', message);
  }

  /**
   * A masked sample of a dataset for its page: the same grant (and so the same masks and filter)
   * as a query, twenty rows, recorded like any query.
   */
  async sample(principal: Principal, datasetId: string): Promise<QueryResult> {
    const grant = await this.grantForDataset(principal, datasetId);
    if (grant.terms.aggregateOnly) {
      throw new AppError(
        'query-refused',
        'this dataset is aggregate-only under your agreement: no row sample',
      );
    }
    return this.run(principal, { sql: `SELECT * FROM "${grant.name}" LIMIT 20` });
  }

  private async grantForDataset(principal: Principal, datasetId: string): Promise<Grant> {
    const { grants, blocked } = await this.resolveGrants(principal);
    const grant = grants.find((candidate) => candidate.datasetId === datasetId);
    if (grant) return grant;
    const entry = await this.deps.datasets.get(principal, datasetId);
    const hit = blocked.get(entry.dataset.slug);
    if (hit) {
      await hit.refused?.();
      throw hit.problem;
    }
    throw new AppError(
      'agreement-not-active',
      `your organisation has no agreement in force for dataset ${datasetId}; request access first`,
    );
  }

  /**
   * Downloads what the grant allows (masked, filtered) as CSV or Parquet: the grant's file, copied
   * by the platform's own SQL (no consumer SQL) to the requested format, streamed and removed. Recorded in the ledger before the first byte leaves.
   */
  async download(
    principal: Principal,
    datasetId: string,
    format: 'csv' | 'parquet',
  ): Promise<{ file: string; filename: string; rows: number; cleanup: () => Promise<void> }> {
    const grant = await this.grantForDataset(principal, datasetId);
    if (!grant.terms.actions.includes('download')) {
      throw new AppError(
        'download-not-permitted',
        `agreement ${grant.agreementId} permits queries, not downloads`,
      );
    }
    if (grant.terms.aggregateOnly) {
      throw new AppError(
        'download-not-permitted',
        'an aggregate-only agreement permits no row-level download',
      );
    }
    const exportsDir = path.join(path.dirname(this.deps.engine.datasetsDir), 'exports');
    await mkdir(exportsDir, { recursive: true });
    const file = path.join(exportsDir, `${newId('query')}.${format}`);
    const cleanup = () => rm(file, { force: true });
    const grantFile = await this.deps.grantFiles.fileFor(grant);
    const connection = await this.deps.engine.ingestConnection();
    let rows: number;
    try {
      const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet, COMPRESSION zstd)';
      rows = await writeAside(file, async (aside) => {
        const reader = await connection.runAndReadAll(
          `COPY (SELECT * FROM read_parquet(${quoteLiteral(grantFile)})) TO ${quoteLiteral(aside)} ${options}`,
        );
        return Number(reader.getRowsJson()[0]?.[0] ?? 0);
      });
      await this.deps.db.transaction(async (tx) => {
        await this.deps.agreements.countQuery(tx, grant.agreementId ? [grant.agreementId] : []);
        await this.deps.audit.append(tx, {
          actor: { type: principal.type, id: principal.userId },
          orgId: principal.orgId,
          action: 'dataset.download',
          object: { type: 'dataset', id: grant.datasetId },
          decision: 'allow',
          data: {
            versionId: grant.versionId,
            agreementId: grant.agreementId,
            via: grant.via,
            format,
            rows,
            columns: grant.terms.columns,
            masks: Object.fromEntries(
              Object.entries(grant.terms.masks).map(([name, mask]) => [name, mask.kind]),
            ),
          },
        });
      });
    } catch (error) {
      await cleanup();
      throw error;
    } finally {
      connection.closeSync();
    }
    return { file, filename: `${grant.name}.${format}`, rows, cleanup };
  }

  /**
   * A result already released (counted and in the ledger) as a Parquet file with the result's own
   * column types: the rows go through a JSON Lines file that the ingest engine reads with those
   * types declared, so no consumer SQL touches the file system.
   */
  async resultToParquet(result: QueryResult): Promise<{ file: string; cleanup: () => Promise<void> }> {
    const exportsDir = path.join(path.dirname(this.deps.engine.datasetsDir), 'exports');
    await mkdir(exportsDir, { recursive: true });
    const base = path.join(exportsDir, result.queryId);
    const lines = result.rows.map((row) =>
      JSON.stringify(Object.fromEntries(row.map((value, i) => [`c${i}`, value]))),
    );
    await writeFileAtomic(`${base}.jsonl`, lines.length > 0 ? `${lines.join('\n')}\n` : '');
    const cleanup = async () => {
      await rm(`${base}.jsonl`, { force: true });
      await rm(`${base}.parquet`, { force: true });
    };
    const connection = await this.deps.engine.ingestConnection();
    try {
      const declared = result.columns.map((column, i) => `c${i}: ${quoteLiteral(column.type)}`).join(', ');
      const renamed = result.columns
        .map((column, i) => `c${i} AS ${quoteIdentifier(column.name)}`)
        .join(', ');
      const source =
        result.rows.length > 0
          ? `read_json(${quoteLiteral(`${base}.jsonl`)}, format = 'newline_delimited', columns = {${declared}})`
          : `(SELECT ${result.columns.map((column, i) => `CAST(NULL AS ${column.type}) AS c${i}`).join(', ')} LIMIT 0)`;
      await writeAside(`${base}.parquet`, async (aside) => {
        await connection.run(
          `COPY (SELECT ${renamed} FROM ${source}) TO ${quoteLiteral(aside)} (FORMAT parquet, COMPRESSION zstd)`,
        );
      });
    } catch (error) {
      await cleanup();
      throw error;
    } finally {
      connection.closeSync();
    }
    await rm(`${base}.jsonl`, { force: true });
    return { file: `${base}.parquet`, cleanup };
  }

  /** Ensures the dataset exists for the caller before a route answers with more specific errors. */
  async requireVisible(principal: Principal, datasetId: string): Promise<void> {
    await this.deps.datasets.get(principal, datasetId).catch(() => {
      throw notFound(`dataset ${datasetId}`);
    });
  }
}

/** The most groups a noisy aggregate reads back from the engine before noise and suppression. */
const noisyGroupCeiling = 1_000_000;

/** An aggregate-only grant with noise, as the noisy planner needs it. */
function noisyGrantOf(grant: Grant) {
  return {
    name: grant.name,
    agreementId: grant.agreementId ?? '',
    columns: grantedColumns(grant),
    minGroupSize: grant.terms.minGroupSize,
    noise: grant.terms.noise!,
  };
}

/** The column names a statement refers to, and whether it selects `*` anywhere. */
interface ColumnRefs {
  star: boolean;
  names: string[];
}

function columnRefsOf(statement: SyntaxNode): ColumnRefs {
  const names = new Set<string>();
  let star = false;
  const stack: unknown[] = [statement];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      const node = value as SyntaxNode;
      if (node.class === 'STAR') star = true;
      if (node.class === 'COLUMN_REF') {
        const parts = node.column_names as string[];
        names.add(String(parts[parts.length - 1]).toLowerCase());
      }
      for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push(child);
    }
  }
  return { star, names: [...names] };
}

/**
 * The columns a query reads of each view, for the ledger: every granted column where the query
 * uses `*`, otherwise the granted columns it names.
 */
function referencedColumns({ star, names }: ColumnRefs, used: Grant[]): Record<string, string[]> {
  const named = new Set(names);
  return Object.fromEntries(
    used.map((grant) => [
      grant.name,
      star ? grant.terms.columns : grant.terms.columns.filter((column) => named.has(column.toLowerCase())),
    ]),
  );
}

/**
 * The columns of a grant's file as its holder sees them, with the types masks give them (a keyed
 * hash, a band or the last characters are text; a truncated date is a date), so the aggregate-only
 * shape can tell numbers from text without opening the file.
 */
function grantedColumns(grant: Grant): { name: string; type: string }[] {
  return grant.terms.columns.map((name) => {
    const type = grant.columns.find((column) => column.name === name)?.type ?? 'VARCHAR';
    switch (grant.terms.masks[name]?.kind) {
      case 'hash':
      case 'band':
      case 'keep-last':
        return { name, type: 'VARCHAR' };
      case 'truncate-date':
        return { name, type: 'DATE' };
      default:
        return { name, type };
    }
  });
}
