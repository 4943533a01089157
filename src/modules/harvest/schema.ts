import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const harvestKinds = ['ckan', 'dcat'] as const;
export type HarvestKind = (typeof harvestKinds)[number];

/** The serialisations a DCAT source may be read as; `auto` follows the response's content type. */
export const dcatFormats = ['auto', 'json-ld', 'turtle', 'rdf-xml'] as const;
export type DcatFormat = (typeof dcatFormats)[number];

export interface HarvestOptions {
  /** CKAN: a Solr filter passed to package_search as `fq` (e.g. `tags:air-quality`). */
  fq?: string;
  /** CKAN: only the packages of this organisation (its name), as `fq=organization:{name}`. */
  organization?: string;
  /** CKAN: packages per package_search page (`rows`). */
  pageSize?: number;
  /** DCAT: how to read the catalogue when the server's content type does not say. */
  format?: DcatFormat;
}

export const harvestSourceStatuses = ['active', 'disabled'] as const;
export type HarvestSourceStatus = (typeof harvestSourceStatuses)[number];

/**
 * A catalogue the platform copies dataset metadata from: a CKAN portal (Action API) or a DCAT
 * catalogue. Harvested datasets belong to the registering organisation. `intervalHours` null means
 * manual runs only; otherwise the scheduler runs the source once `nextRunAt` has passed. Deleting
 * disables (runs and what they imported stay, as evidence).
 */
export const harvestSources = pgTable(
  'harvest_sources',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    kind: text('kind').$type<HarvestKind>().notNull(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    intervalHours: integer('interval_hours'),
    options: jsonb('options').$type<HarvestOptions>().notNull(),
    status: text('status').$type<HarvestSourceStatus>().notNull(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('harvest_sources_org_idx').on(t.orgId), index('harvest_sources_due_idx').on(t.nextRunAt)],
);

export const harvestRunStatuses = ['running', 'succeeded', 'failed'] as const;
export type HarvestRunStatus = (typeof harvestRunStatuses)[number];

export interface HarvestCounts {
  new: number;
  changed: number;
  unchanged: number;
  withdrawn: number;
  failed: number;
}

export interface HarvestFailure {
  /** The record's identifier at the source, or its position when it has none. */
  record: string;
  reason: string;
}

/** A licence the harvest's table does not know, with how many records used it and how many stayed open. */
export interface UnmappedLicence {
  licence: string;
  records: number;
  keptOpen: number;
}

/**
 * A harvested record whose DCAT-AP 3 record (as the catalogue republishes it) breaks a mandatory
 * shape. The dataset is kept (the source is the authority on its own records); the run flags it.
 */
export interface HarvestRecordReport {
  /** The record's identifier at the source. */
  record: string;
  datasetId: string;
  violations: { focusNode: string; path: string; message: string }[];
  warnings: { focusNode: string; path: string; message: string }[];
}

export interface HarvestProgress {
  pages: number;
  /** Records fetched so far, and how many the source says there are (null: it does not say). */
  fetched: number;
  total: number | null;
}

/**
 * One run of a source. `isComplete` says the whole catalogue was fetched: only then may records
 * missing from it be withdrawn. A failed fetch (an HTTP error midway, an unreadable page) ends the
 * run `failed` with `error`; what it did fetch is still applied, but nothing is withdrawn.
 */
export const harvestRuns = pgTable(
  'harvest_runs',
  {
    id: text('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => harvestSources.id),
    orgId: text('org_id').notNull(),
    trigger: text('trigger').$type<'manual' | 'schedule'>().notNull(),
    status: text('status').$type<HarvestRunStatus>().notNull(),
    isComplete: boolean('is_complete').notNull().default(false),
    counts: jsonb('counts').$type<HarvestCounts>().notNull(),
    failures: jsonb('failures').$type<HarvestFailure[]>().notNull(),
    /** Licences the table could not map to SPDX in this run, kept as the source gave them. */
    unmappedLicences: jsonb('unmapped_licences').$type<UnmappedLicence[]>().notNull().default([]),
    /** Records whose DCAT-AP 3 record does not conform, with their reports (at most 200 listed). */
    nonConforming: jsonb('non_conforming').$type<HarvestRecordReport[]>().notNull().default([]),
    progress: jsonb('progress').$type<HarvestProgress>().notNull(),
    error: text('error'),
    startedBy: text('started_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('harvest_runs_source_idx').on(t.sourceId, t.startedAt)],
);
