import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, asc, desc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { escapeLike } from '../../db/like.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { asidePath, putInPlace } from '../../infra/atomic-files.js';
import type { DuckEngine } from '../../infra/duck-engine.js';
import { type Page, pageOf } from '../../infra/paging.js';
import { datasetSlug } from '../../infra/slugs.js';
import type { SweepReport } from '../../infra/sweeps.js';
import type { AuditLedger } from '../audit/service.js';
import { authorize, type Principal, requireKind, requireRole } from '../identity/principal.js';
import { suggestColumns } from './classify.js';
import type { RecordReport } from './dcat-ap-validation.js';
import { ingestFile } from './ingest.js';
import { loadPersonNames } from './person-names.js';
import {
  assessRisk,
  type Generalisation,
  measureRisk,
  type RiskAssessment,
  type RiskFigures,
} from './risk.js';
import {
  type Classification,
  type DatasetColumn,
  type DatasetFormat,
  type DatasetOrigin,
  type DatasetResource,
  type DatasetTranslations,
  datasets,
  datasetVersions,
  openLicences,
  restrictedClassifications,
} from './schema.js';
import { canSeeDataset, datasetsVisibleTo } from './visibility.js';

export type Dataset = typeof datasets.$inferSelect;
export type DatasetVersion = typeof datasetVersions.$inferSelect;

export interface DatasetMetadata {
  title: string;
  description?: string | null;
  licence: string;
  keywords?: string[];
  themes?: string[];
  updateFrequency?: string | null;
  spatial?: string[];
  temporalStart?: string | null;
  temporalEnd?: string | null;
  /** Consent: rows reach other organisations only for subjects with a live consent. */
  consentRequired?: boolean;
  /** The column holding each row's subject key; required with consentRequired. */
  subjectColumn?: string | null;
  /** The smallest equivalence class on the quasi-identifiers the owner accepts in a release (default 5). */
  kThreshold?: number;
}

export interface CreateDatasetInput extends DatasetMetadata {
  slug?: string;
}

export interface DatasetEntry {
  dataset: Dataset;
  currentVersion: DatasetVersion | null;
  /** Open licence, published, classifications confirmed, no personal, sensitive or identifier column. */
  isOpen: boolean;
}

export interface DatasetQuery {
  q?: string;
  orgId?: string;
  open?: boolean;
  theme?: string;
  cursor?: string;
  limit: number;
}

export interface Upload {
  stream: Readable;
  filename: string;
  format?: DatasetFormat;
}

/** What the query engine needs of a dataset version to compile a view. */
export interface QueryableVersion {
  dataset: Dataset;
  version: DatasetVersion;
  /** Absolute path of the Parquet file. */
  file: string;
}

const slugPattern = /^[a-z][a-z0-9_]{0,62}$/;

const formatByExtension: Record<string, DatasetFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

export function isOpenDataset(dataset: Dataset, version: DatasetVersion | null): boolean {
  // A harvested dataset is metadata about files held elsewhere, with no rows here to classify:
  // it is open when it is published under an open licence.
  if (dataset.origin && version === null) {
    return (
      dataset.status === 'published' &&
      !dataset.consentRequired &&
      ((openLicences as readonly string[]).includes(dataset.licence) || dataset.origin.licenceIsOpen === true)
    );
  }
  return (
    dataset.status === 'published' &&
    // Rows about consenting data subjects are personal data by definition.
    !dataset.consentRequired &&
    version !== null &&
    version.confirmedAt !== null &&
    (openLicences as readonly string[]).includes(dataset.licence) &&
    version.columns.every(
      (column) => !restrictedClassifications.includes(column.classification ?? column.suggested),
    )
  );
}

function searchTextOf(metadata: DatasetMetadata): string {
  return [
    metadata.title,
    metadata.description ?? '',
    ...(metadata.keywords ?? []),
    ...(metadata.themes ?? []),
  ]
    .join('\n')
    .toLowerCase();
}

/** A dataset's metadata as a harvest source describes it, mapped to the platform's fields. */
export interface HarvestedMetadata {
  title: string;
  description: string | null;
  licence: string;
  keywords: string[];
  themes: string[];
  updateFrequency: string | null;
  spatial: string[];
  temporalStart: string | null;
  temporalEnd: string | null;
  resources: DatasetResource[];
  translations: DatasetTranslations;
}

export interface HarvestWrite {
  actor: { type: string; id: string | null };
  runId: string;
  metadata: HarvestedMetadata;
  origin: DatasetOrigin;
}

function harvestedSearchText(metadata: HarvestedMetadata): string {
  const translated = Object.values(metadata.translations).flatMap((t) => [
    t.title ?? '',
    t.description ?? '',
  ]);
  return [searchTextOf(metadata), ...translated, metadata.resources.map((r) => r.format ?? '').join(' ')]
    .join('\n')
    .toLowerCase();
}

/**
 * A consent-required dataset must say which column holds the subject key, and that column must
 * exist in the current version (when there is one): the query engine filters on it, and a filter
 * on a missing column would have to hide every row.
 */
function checkConsentSettings(
  settings: { consentRequired: boolean; subjectColumn: string | null },
  version: DatasetVersion | null,
): void {
  if (settings.consentRequired && !settings.subjectColumn) {
    throw validationFailed(
      'subjectColumn',
      'a consent-required dataset needs the column holding the subject key',
    );
  }
  if (settings.subjectColumn && version && !version.columns.some((c) => c.name === settings.subjectColumn)) {
    throw validationFailed('subjectColumn', `the current version has no column ${settings.subjectColumn}`);
  }
}

/** The columns of a version that are personal, sensitive or identifiers, as confirmed (or else as suggested). */
export function restrictedColumns(version: DatasetVersion): string[] {
  return version.columns
    .filter((column) => restrictedClassifications.includes(column.classification ?? column.suggested))
    .map((column) => column.name);
}

/**
 * An open licence lets anyone copy the rows and pass them on, and the platform serves open
 * datasets to every organisation, in its Delta share and anonymous CKAN: a dataset with a
 * personal, sensitive or identifier column is never published under one. The refusal names the
 * columns so the provider can drop, mask or reclassify them, or choose a licence for agreements.
 */
function refuseOpenWithRestrictedColumns(licence: string, version: DatasetVersion | null): void {
  if (!version || !(openLicences as readonly string[]).includes(licence)) return;
  const columns = restrictedColumns(version);
  if (columns.length === 0) return;
  throw new AppError(
    'open-data-restricted-columns',
    `${licence} is an open licence and these columns are personal, sensitive or identifiers: ${columns.join(', ')}. ` +
      'Remove or reclassify them, or publish under a licence for agreements (such as "proprietary").',
    { columns },
  );
}

/** What GET /v1/datasets/{id}/risk answers: the figures when the version has a personal column. */
export interface DatasetRisk {
  datasetId: string;
  versionId: string | null;
  /** The personal, sensitive and identifier columns: risk is measured only when there are some. */
  restrictedColumns: string[];
  risk: RiskAssessment | null;
}

/** Counts bytes and hashes what passes, and stops the upload once it is larger than allowed. */
function meter(limit: number) {
  const hash = createHash('sha256');
  let bytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) {
        callback(new AppError('payload-too-large', `the file is larger than ${limit} bytes`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { transform, result: () => ({ bytes, sha256: hash.digest('hex') }) };
}

/**
 * Data products: metadata, versions (one Parquet file each), column classifications. Uploads are
 * streamed to DATA_DIR/incoming, converted to Parquet by DuckDB beside their final place, and only
 * renamed into DATA_DIR/datasets once conversion succeeded; the version row and its ledger entry
 * are written in one transaction after that, so a failed or interrupted upload leaves nothing.
 */
export class DatasetService {
  readonly datasetsDir: string;
  private readonly incomingDir: string;

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      engine: DuckEngine;
      dataDir: string;
      maxUploadBytes: number;
      /** Runs in the transaction that publishes a draft dataset (the directory tells followers). */
      onPublished?: (tx: Tx, dataset: Dataset) => Promise<void>;
      /** The dataset's DCAT-AP 3 record checked against the profile's shapes (dcat-ap-validation.ts). */
      checkRecord?: (
        dataset: Dataset,
        version: DatasetVersion | null,
        /** Where the catalogue is served (names the record's nodes); the configured public URL if absent. */
        baseUrl?: string,
      ) => Promise<RecordReport>;
    },
  ) {
    this.datasetsDir = deps.engine.datasetsDir;
    this.incomingDir = path.join(deps.dataDir, 'incoming');
  }

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  // ---- reading ---------------------------------------------------------------------------------

  private async findDataset(db: Executor, datasetId: string): Promise<Dataset | undefined> {
    const [row] = await db.select().from(datasets).where(eq(datasets.id, datasetId));
    return row;
  }

  private async currentVersionOf(dataset: Dataset): Promise<DatasetVersion | null> {
    if (!dataset.currentVersionId) return null;
    const [row] = await this.db
      .select()
      .from(datasetVersions)
      .where(eq(datasetVersions.id, dataset.currentVersionId));
    return row ?? null;
  }

  /** Published datasets are in the catalogue for every signed-in organisation; drafts for their owner. */
  async findVisible(principal: Principal, datasetId: string): Promise<Dataset> {
    const dataset = await this.findDataset(this.db, datasetId);
    if (!dataset || !canSeeDataset(principal, dataset)) throw notFound(`dataset ${datasetId}`);
    return dataset;
  }

  private async owned(principal: Principal, datasetId: string): Promise<Dataset> {
    const dataset = authorize(principal, await this.findDataset(this.db, datasetId), `dataset ${datasetId}`);
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    return dataset;
  }

  async get(principal: Principal, datasetId: string): Promise<DatasetEntry> {
    const dataset = await this.findVisible(principal, datasetId);
    const currentVersion = await this.currentVersionOf(dataset);
    return { dataset, currentVersion, isOpen: isOpenDataset(dataset, currentVersion) };
  }

  async list(principal: Principal, query: DatasetQuery): Promise<Page<DatasetEntry>> {
    const conditions: (SQL | undefined)[] = [datasetsVisibleTo(principal)];
    if (query.q)
      conditions.push(sql`${datasets.searchText} ilike ${`%${escapeLike(query.q.toLowerCase())}%`}`);
    if (query.orgId) conditions.push(eq(datasets.orgId, query.orgId));
    if (query.theme) conditions.push(sql`${query.theme} = any(${datasets.themes})`);
    if (query.cursor) conditions.push(gt(datasets.id, query.cursor));
    const rows = await this.db
      .select({ dataset: datasets, currentVersion: datasetVersions })
      .from(datasets)
      .leftJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
      .where(and(...conditions))
      .orderBy(asc(datasets.id))
      .limit(query.open === undefined ? query.limit + 1 : 1000);
    let entries = rows.map((row) => ({
      dataset: row.dataset,
      currentVersion: row.currentVersion,
      isOpen: isOpenDataset(row.dataset, row.currentVersion),
    }));
    // Openness is derived from several facts, so it is filtered here rather than stored twice.
    if (query.open !== undefined) entries = entries.filter((entry) => entry.isOpen === query.open);
    return pageOf(entries, query.limit, (entry) => entry.dataset.id);
  }

  async listVersions(principal: Principal, datasetId: string): Promise<DatasetVersion[]> {
    const dataset = await this.findVisible(principal, datasetId);
    return this.db
      .select()
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, dataset.id))
      .orderBy(desc(datasetVersions.version));
  }

  /** Versions by id with their datasets, for the query engine (no visibility check: callers hold a grant). */
  async versionsForGrants(versionIds: string[]): Promise<Map<string, QueryableVersion>> {
    if (versionIds.length === 0) return new Map();
    const rows = await this.db
      .select({ dataset: datasets, version: datasetVersions })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(inArray(datasetVersions.id, versionIds));
    return new Map(rows.map((row) => [row.version.id, { ...row, file: this.fileOf(row.version) }]));
  }

  /**
   * Every version of a dataset, oldest first, with the dataset (for time travel over shares; no
   * visibility check: the caller holds a grant and decides which versions it reaches).
   */
  async versionHistory(datasetId: string): Promise<QueryableVersion[]> {
    const rows = await this.db
      .select({ dataset: datasets, version: datasetVersions })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(eq(datasetVersions.datasetId, datasetId))
      .orderBy(asc(datasetVersions.version));
    return rows.map((row) => ({ ...row, file: this.fileOf(row.version) }));
  }

  /** Current versions of datasets by id (for agreements that follow the latest version). */
  async currentVersions(datasetIds: string[]): Promise<Map<string, QueryableVersion>> {
    if (datasetIds.length === 0) return new Map();
    const rows = await this.db
      .select({ dataset: datasets, version: datasetVersions })
      .from(datasets)
      .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
      .where(inArray(datasets.id, datasetIds));
    return new Map(rows.map((row) => [row.dataset.id, { ...row, file: this.fileOf(row.version) }]));
  }

  /** The caller's own datasets and every open one: readable without an agreement. */
  async ownAndOpen(principal: Principal): Promise<QueryableVersion[]> {
    const rows = await this.db
      .select({ dataset: datasets, version: datasetVersions })
      .from(datasets)
      .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
      .where(datasetsVisibleTo(principal));
    return rows
      .filter((row) => row.dataset.orgId === principal.orgId || isOpenDataset(row.dataset, row.version))
      .map((row) => ({ ...row, file: this.fileOf(row.version) }));
  }

  /** Consent: consent-required datasets, by id or all of one provider, with their current versions. */
  async consentRequired(
    scope: { datasetIds: string[] } | { orgId: string },
    db: Executor = this.db,
  ): Promise<{ dataset: Dataset; currentVersion: DatasetVersion | null }[]> {
    if ('datasetIds' in scope && scope.datasetIds.length === 0) return [];
    return db
      .select({ dataset: datasets, currentVersion: datasetVersions })
      .from(datasets)
      .leftJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
      .where(
        and(
          eq(datasets.consentRequired, true),
          'datasetIds' in scope ? inArray(datasets.id, scope.datasetIds) : eq(datasets.orgId, scope.orgId),
        ),
      )
      .orderBy(asc(datasets.id));
  }

  fileOf(version: DatasetVersion): string {
    return path.join(this.datasetsDir, version.file);
  }

  // ---- writing ---------------------------------------------------------------------------------

  async create(principal: Principal, input: CreateDatasetInput): Promise<DatasetEntry> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const id = newId('dataset');
    // A title with no Latin letters or digits (say, in Chinese) has no slug of its own: the id stands in.
    const slug =
      input.slug ?? (/[a-z0-9]/i.test(input.title.normalize('NFKD')) ? datasetSlug(input.title) : id);
    if (!slugPattern.test(slug)) {
      throw validationFailed(
        'slug',
        'must start with a letter; lower-case letters, digits and _; at most 63',
      );
    }
    const consentRequired = input.consentRequired ?? false;
    const subjectColumn = input.subjectColumn ?? null;
    checkConsentSettings({ consentRequired, subjectColumn }, null);
    const now = this.deps.clock.now();
    const dataset = await this.db.transaction(async (tx) => {
      let row: Dataset;
      try {
        [row] = (await tx
          .insert(datasets)
          .values({
            id,
            orgId: principal.orgId,
            slug,
            title: input.title,
            description: input.description ?? null,
            licence: input.licence,
            keywords: input.keywords ?? [],
            themes: input.themes ?? [],
            updateFrequency: input.updateFrequency ?? null,
            spatial: input.spatial ?? [],
            temporalStart: input.temporalStart ?? null,
            temporalEnd: input.temporalEnd ?? null,
            consentRequired,
            subjectColumn,
            kThreshold: input.kThreshold ?? 5,
            status: 'draft',
            searchText: searchTextOf(input),
            createdAt: now,
            updatedAt: now,
          })
          .returning()) as [Dataset];
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('already-exists', `a dataset named "${slug}" exists; give another slug`);
        }
        throw error;
      }
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'dataset.create',
        object: { type: 'dataset', id },
        data: { slug, title: input.title, licence: input.licence, consentRequired, subjectColumn },
      });
      return row;
    });
    return { dataset, currentVersion: null, isOpen: false };
  }

  async update(
    principal: Principal,
    datasetId: string,
    patch: Partial<DatasetMetadata>,
  ): Promise<DatasetEntry> {
    const dataset = await this.owned(principal, datasetId);
    const merged = { ...dataset, ...patch };
    if (patch.consentRequired !== undefined || patch.subjectColumn !== undefined) {
      checkConsentSettings(merged, await this.currentVersionOf(dataset));
    }
    if (patch.licence !== undefined && dataset.status === 'published') {
      refuseOpenWithRestrictedColumns(patch.licence, await this.currentVersionOf(dataset));
    }
    const updated = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(datasets)
        .set({ ...patch, searchText: searchTextOf(merged), updatedAt: this.deps.clock.now() })
        .where(eq(datasets.id, dataset.id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: dataset.orgId,
        action: 'dataset.update',
        object: { type: 'dataset', id: dataset.id },
        data: patch,
      });
      return row!;
    });
    const currentVersion = await this.currentVersionOf(updated);
    return { dataset: updated, currentVersion, isOpen: isOpenDataset(updated, currentVersion) };
  }

  /**
   * A new version from an upload. The body streams to disk (hashed and counted on the way), DuckDB
   * converts it to Parquet and profiles it, classifications are suggested, then the file is renamed
   * into place and the version recorded. Any failure removes every file this call made.
   */
  async addVersion(principal: Principal, datasetId: string, upload: Upload): Promise<DatasetEntry> {
    const dataset = await this.owned(principal, datasetId);
    // Harvest: a harvested dataset mirrors its source; its source's next run would overwrite it.
    if (dataset.origin) {
      throw conflict(
        'a harvested dataset is kept in step with its source; create a dataset of your own to upload',
      );
    }
    const format = upload.format ?? formatByExtension[path.extname(upload.filename).toLowerCase()];
    if (!format) {
      throw validationFailed(
        'format',
        `cannot tell the format of "${upload.filename}"; name it .csv, .tsv, .parquet or .jsonl, or give format`,
      );
    }
    await mkdir(this.incomingDir, { recursive: true });
    const datasetDir = path.join(this.datasetsDir, dataset.id);
    await mkdir(datasetDir, { recursive: true });
    const token = randomBytes(12).toString('hex');
    const incoming = path.join(this.incomingDir, `${token}.${format}`);
    const versionId = newId('datasetVersion');
    const final = path.join(datasetDir, `${versionId}.parquet`);
    // Converted aside and put in place only once profiled: another node sees the whole file or none.
    const converted = asidePath(final);
    let renamed = false;
    try {
      const metered = meter(this.deps.maxUploadBytes);
      await pipeline(upload.stream, metered.transform, createWriteStream(incoming, { flags: 'wx' }));
      const source = metered.result();
      if (source.bytes === 0) throw new AppError('invalid-dataset-file', 'the file is empty');
      const ingested = await ingestFile(this.deps.engine, { path: incoming, format }, converted);
      // Consent: a version without the subject column could not be filtered by consent.
      if (dataset.consentRequired && !ingested.columns.some((c) => c.name === dataset.subjectColumn)) {
        throw new AppError(
          'invalid-dataset-file',
          `this dataset requires consent and the file has no subject column ${dataset.subjectColumn}`,
        );
      }
      const previous = await this.currentVersionOf(dataset);
      const columns = await this.classify(ingested, previous);
      const risk = await this.measure(converted, columns);
      await putInPlace(converted, final);
      renamed = true;
      const now = this.deps.clock.now();
      const version = await this.db.transaction(async (tx) => {
        // The dataset row is the lock: concurrent uploads to one dataset number their versions in turn.
        await tx.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, dataset.id)).for('update');
        const [last] = await tx
          .select({ version: datasetVersions.version })
          .from(datasetVersions)
          .where(eq(datasetVersions.datasetId, dataset.id))
          .orderBy(desc(datasetVersions.version))
          .limit(1);
        const [row] = (await tx
          .insert(datasetVersions)
          .values({
            id: versionId,
            datasetId: dataset.id,
            version: (last?.version ?? 0) + 1,
            sourceFormat: format,
            sourceName: path.basename(upload.filename).slice(0, 255),
            sourceBytes: source.bytes,
            sourceSha256: source.sha256,
            file: path.relative(this.datasetsDir, final),
            rowCount: ingested.rowCount,
            columns,
            risk,
            createdBy: principal.userId,
            createdAt: now,
          })
          .returning()) as [DatasetVersion];
        await tx
          .update(datasets)
          .set({ currentVersionId: versionId, updatedAt: now })
          .where(eq(datasets.id, dataset.id));
        await this.deps.audit.append(tx, {
          actor: this.actor(principal),
          orgId: dataset.orgId,
          action: 'dataset.version.create',
          object: { type: 'dataset', id: dataset.id },
          data: {
            versionId,
            version: row.version,
            format,
            bytes: source.bytes,
            sha256: source.sha256,
            rows: ingested.rowCount,
            columns: columns.map((column) => ({
              name: column.name,
              type: column.type,
              suggested: column.suggested,
            })),
          },
        });
        return row;
      });
      const updated = (await this.findDataset(this.db, dataset.id))!;
      return { dataset: updated, currentVersion: version, isOpen: isOpenDataset(updated, version) };
    } catch (error) {
      await rm(converted, { force: true });
      if (renamed) await rm(final, { force: true });
      throw error;
    } finally {
      await rm(incoming, { force: true });
    }
  }

  /**
   * Suggests each column's classification; where the previous version had the same column with
   * the same type and a confirmed classification, that confirmation carries over.
   */
  private async classify(
    ingested: Awaited<ReturnType<typeof ingestFile>>,
    previous: DatasetVersion | null,
  ): Promise<DatasetColumn[]> {
    const before = new Map((previous?.columns ?? []).map((column) => [column.name, column]));
    const suggestions = suggestColumns(
      ingested.columns.map((column) => ({
        name: column.name,
        type: column.type,
        samples: ingested.samples[column.name] ?? [],
        distinct: column.statistics.distinctApprox,
        nullCount: column.statistics.nullCount,
      })),
      ingested.rowCount,
      { names: await loadPersonNames(), now: this.deps.clock.now() },
    );
    return ingested.columns.map((column, i) => {
      const suggestion = suggestions[i]!;
      const earlier = before.get(column.name);
      const isCarried =
        earlier !== undefined && earlier.type === column.type && earlier.classification !== null;
      return {
        name: column.name,
        type: column.type,
        suggested: suggestion.suggested,
        reasons: suggestion.reasons,
        explanations: suggestion.explanations,
        classification: isCarried ? earlier.classification : null,
        quasiIdentifier: isCarried ? (earlier.quasiIdentifier ?? false) : suggestion.isQuasiIdentifier,
        description: earlier?.description ?? null,
        statistics: column.statistics,
      };
    });
  }

  /**
   * The provider confirms (or corrects) the classification of every column of the current
   * version; columns not named keep the suggestion. Only confirmed datasets can be published.
   */
  async confirmClassifications(
    principal: Principal,
    datasetId: string,
    input: {
      columns: Record<string, Classification>;
      descriptions?: Record<string, string>;
      /** Columns to count (true) or not (false) among the quasi-identifiers; the rest keep theirs. */
      quasiIdentifiers?: Record<string, boolean>;
    },
  ): Promise<DatasetEntry> {
    const dataset = await this.owned(principal, datasetId);
    const version = await this.currentVersionOf(dataset);
    if (!version) throw conflict('upload a version before confirming its classifications');
    const names = new Set(version.columns.map((column) => column.name));
    for (const name of [
      ...Object.keys(input.columns),
      ...Object.keys(input.descriptions ?? {}),
      ...Object.keys(input.quasiIdentifiers ?? {}),
    ]) {
      if (!names.has(name))
        throw validationFailed(`columns.${name}`, 'the current version has no such column');
    }
    const columns = version.columns.map((column) => ({
      ...column,
      classification: input.columns[column.name] ?? column.classification ?? column.suggested,
      description: input.descriptions?.[column.name] ?? column.description,
      quasiIdentifier: input.quasiIdentifiers?.[column.name] ?? column.quasiIdentifier ?? false,
    }));
    const risk = await this.measure(this.fileOf(version), columns);
    const now = this.deps.clock.now();
    const updated = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(datasetVersions)
        .set({ columns, risk, confirmedAt: now, confirmedBy: principal.userId })
        .where(eq(datasetVersions.id, version.id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: dataset.orgId,
        action: 'dataset.classification.confirm',
        object: { type: 'dataset', id: dataset.id },
        data: {
          versionId: version.id,
          columns: Object.fromEntries(columns.map((column) => [column.name, column.classification])),
          quasiIdentifiers: columns.filter((column) => column.quasiIdentifier).map((column) => column.name),
        },
      });
      return row!;
    });
    return { dataset, currentVersion: updated, isOpen: isOpenDataset(dataset, updated) };
  }

  /**
   * Publishes a dataset. Its DCAT-AP 3 record, as the catalogue will serve it (at `baseUrl`), must
   * meet the profile's mandatory shapes: a violation refuses with every finding, and nothing
   * changes; recommendations not met come back with the published dataset as warnings.
   */
  async publish(
    principal: Principal,
    datasetId: string,
    options: { baseUrl?: string } = {},
  ): Promise<DatasetEntry & { record: RecordReport | null }> {
    const dataset = await this.owned(principal, datasetId);
    const version = await this.currentVersionOf(dataset);
    if (!version) throw conflict('upload a version before publishing');
    if (!version.confirmedAt) {
      throw new AppError(
        'classification-unconfirmed',
        'confirm the column classifications of the current version before publishing',
      );
    }
    refuseOpenWithRestrictedColumns(dataset.licence, version);
    const record = (await this.deps.checkRecord?.(dataset, version, options.baseUrl)) ?? null;
    if (record && !record.conforms) {
      const [first] = record.violations;
      throw new AppError(
        'dcat-ap-invalid',
        `the DCAT-AP 3 record breaks ${record.violations.length} mandatory shape(s); first: ${first!.path} on ${first!.focusNode}: ${first!.message}`,
        { violations: record.violations, warnings: record.warnings },
      );
    }
    const now = this.deps.clock.now();
    const updated = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(datasets)
        .set({ status: 'published', updatedAt: now })
        .where(eq(datasets.id, dataset.id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: dataset.orgId,
        action: 'dataset.publish',
        object: { type: 'dataset', id: dataset.id },
        data: { versionId: version.id, isOpen: isOpenDataset(row!, version) },
      });
      if (dataset.status !== 'published') await this.deps.onPublished?.(tx, row!);
      return row!;
    });
    return { dataset: updated, currentVersion: version, isOpen: isOpenDataset(updated, version), record };
  }

  // ---- re-identification risk -----------------------------------------------------------------

  /**
   * Equivalence-class figures of a version on its quasi-identifier columns, or null when it has no
   * personal, sensitive or identifier column (nothing about a person to find) or no quasi-identifier.
   */
  private async measure(file: string, columns: DatasetColumn[]): Promise<RiskFigures | null> {
    const quasi = columns.filter((column) => column.quasiIdentifier);
    const isAboutPeople = columns.some((column) =>
      restrictedClassifications.includes(column.classification ?? column.suggested),
    );
    if (!isAboutPeople || quasi.length === 0) return null;
    return measureRisk(this.deps.engine, file, quasi);
  }

  /** The owner's view of the current version's risk, with the masks that would bring k to the threshold. */
  async risk(principal: Principal, datasetId: string): Promise<DatasetRisk> {
    const dataset = authorize(principal, await this.findDataset(this.db, datasetId), `dataset ${datasetId}`);
    const version = await this.currentVersionOf(dataset);
    if (!version) return { datasetId, versionId: null, restrictedColumns: [], risk: null };
    const restricted = restrictedColumns(version);
    const quasi = version.columns.filter((column) => column.quasiIdentifier);
    const risk =
      restricted.length > 0 && quasi.length > 0
        ? await assessRisk(this.deps.engine, this.fileOf(version), quasi, dataset.kThreshold)
        : null;
    return { datasetId, versionId: version.id, restrictedColumns: restricted, risk };
  }

  /**
   * The risk of releasing `columns` of a version with `masks` (an agreement's): measured on the
   * quasi-identifiers among them, against the dataset's threshold. Null when the release holds no
   * quasi-identifier or the version nothing about people. For services that checked access already.
   */
  async releaseRisk(
    dataset: Dataset,
    version: DatasetVersion,
    columns: string[],
    masks: Record<string, Generalisation>,
  ): Promise<RiskAssessment | null> {
    if (restrictedColumns(version).length === 0) return null;
    const released = new Set(columns);
    const quasi = version.columns.filter(
      (column) =>
        column.quasiIdentifier && released.has(column.name) && masks[column.name]?.kind !== 'redact',
    );
    if (quasi.length === 0) return null;
    return assessRisk(this.deps.engine, this.fileOf(version), quasi, dataset.kThreshold, masks);
  }

  /** Every dataset a harvest source has imported, withdrawn ones included. */
  async harvestedFrom(sourceId: string): Promise<Dataset[]> {
    return this.db
      .select()
      .from(datasets)
      .where(sql`${datasets.origin}->>'sourceId' = ${sourceId}`)
      .orderBy(asc(datasets.id));
  }

  /**
   * A slug free for a harvested dataset: derived from the source's name for it (or its title), with
   * `_2`, `_3`… when taken. A name without Latin letters or digits (a Chinese title) uses the id.
   */
  private async freeSlug(tx: Tx, hint: string, id: string): Promise<string> {
    const base = /[a-z0-9]/i.test(hint.normalize('NFKD')) ? datasetSlug(hint).slice(0, 56) : id;
    const taken = new Set(
      (
        await tx
          .select({ slug: datasets.slug })
          .from(datasets)
          .where(or(eq(datasets.slug, base), sql`${datasets.slug} like ${`${escapeLike(base)}\\_%`}`))
      ).map((row) => row.slug),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
  }

  /** Imports a record as a new published dataset of `orgId`, with its ledger entry, in `tx`. */
  async createHarvested(tx: Tx, orgId: string, slugHint: string, write: HarvestWrite): Promise<Dataset> {
    const id = newId('dataset');
    const slug = await this.freeSlug(tx, slugHint, id);
    const now = this.deps.clock.now();
    const [row] = (await tx
      .insert(datasets)
      .values({
        id,
        orgId,
        slug,
        ...write.metadata,
        origin: write.origin,
        status: 'published',
        searchText: harvestedSearchText(write.metadata),
        createdAt: now,
        updatedAt: now,
      })
      .returning()) as [Dataset];
    await this.deps.audit.append(tx, {
      actor: write.actor,
      orgId,
      action: 'dataset.harvest.create',
      object: { type: 'dataset', id },
      data: {
        runId: write.runId,
        slug,
        sourceId: write.origin.sourceId,
        originalId: write.origin.originalId,
      },
    });
    return row;
  }

  /** Replaces a harvested dataset's metadata with the source's (and publishes it again if withdrawn). */
  async updateHarvested(tx: Tx, dataset: Dataset, write: HarvestWrite): Promise<Dataset> {
    const [row] = (await tx
      .update(datasets)
      .set({
        ...write.metadata,
        origin: write.origin,
        status: 'published',
        searchText: harvestedSearchText(write.metadata),
        updatedAt: this.deps.clock.now(),
      })
      .where(eq(datasets.id, dataset.id))
      .returning()) as [Dataset];
    await this.deps.audit.append(tx, {
      actor: write.actor,
      orgId: dataset.orgId,
      action: 'dataset.harvest.update',
      object: { type: 'dataset', id: dataset.id },
      data: {
        runId: write.runId,
        originalId: write.origin.originalId,
        republished: dataset.status !== 'published',
      },
    });
    return row;
  }

  /** Unpublishes a harvested dataset its source no longer lists; the row stays, as does its history. */
  async withdrawHarvested(
    tx: Tx,
    dataset: Dataset,
    context: { actor: HarvestWrite['actor']; runId: string },
  ): Promise<void> {
    await tx
      .update(datasets)
      .set({ status: 'draft', updatedAt: this.deps.clock.now() })
      .where(eq(datasets.id, dataset.id));
    await this.deps.audit.append(tx, {
      actor: context.actor,
      orgId: dataset.orgId,
      action: 'dataset.harvest.withdraw',
      object: { type: 'dataset', id: dataset.id },
      data: { runId: context.runId, originalId: dataset.origin?.originalId ?? null },
    });
  }

  /** Records that the source still lists these datasets unchanged (provenance: when last read). */
  async confirmHarvested(datasetIds: string[], fetchedAt: string): Promise<void> {
    if (datasetIds.length === 0) return;
    await this.db
      .update(datasets)
      .set({ origin: sql`jsonb_set(${datasets.origin}, '{fetchedAt}', to_jsonb(${fetchedAt}::text))` })
      .where(inArray(datasets.id, datasetIds));
  }

  /**
   * Clears what a crash in the middle of an upload leaves, none of which any row points at:
   * streamed uploads in DATA_DIR/incoming, partial conversions, and a version file renamed into
   * place whose row never committed (a crash between the rename and the commit). That last kind is
   * moved to DATA_DIR/orphans rather than deleted: were the database ever restored from a backup
   * older than the files, they would be the only copy. The governed engine cannot read it there.
   *
   * Only files last written more than `minAgeMs` ago are touched (wall-clock file times): an
   * upload in progress, this node's or another's sharing DATA_DIR, keeps writing its file, and a
   * converted file is committed within moments of its rename. 0 takes everything, for a start on
   * the embedded database, whose data directory no other process may use.
   */
  async sweepPartialFiles(minAgeMs: number): Promise<SweepReport> {
    const report: SweepReport = { removed: [], removedBytes: 0, movedAside: [] };
    const staleSize = async (file: string) => {
      const found = await stat(file).catch(() => null);
      if (!found) return null;
      return minAgeMs === 0 || found.mtimeMs <= Date.now() - minAgeMs ? found.size : null;
    };
    for (const file of await readdir(this.incomingDir).catch(() => [] as string[])) {
      const at = path.join(this.incomingDir, file);
      const size = await staleSize(at);
      if (size === null) continue;
      await rm(at, { recursive: true, force: true });
      report.removed.push(at);
      report.removedBytes += size;
    }
    const exists = await stat(this.datasetsDir).catch(() => null);
    if (!exists) return report;
    const recorded = new Set(
      (await this.db.select({ file: datasetVersions.file }).from(datasetVersions)).map((row) => row.file),
    );
    for (const dir of await readdir(this.datasetsDir, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const file of await readdir(path.join(this.datasetsDir, dir.name))) {
        const at = path.join(this.datasetsDir, dir.name, file);
        const isOrphan = file.endsWith('.parquet') && !recorded.has(path.join(dir.name, file));
        if (!(file.endsWith('.partial') || isOrphan)) continue;
        const size = await staleSize(at);
        if (size === null) continue;
        if (isOrphan) {
          const orphans = path.join(this.deps.dataDir, 'orphans', dir.name);
          await mkdir(orphans, { recursive: true });
          await rename(at, path.join(orphans, file));
          report.movedAside.push(at);
        } else {
          await rm(at, { force: true });
          report.removed.push(at);
          report.removedBytes += size;
        }
      }
    }
    return report;
  }
}
