import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { RiskFigures } from './risk.js';
import { classifications, datasetFormats } from './vocabulary.js';

export const apiVisibilities = ['public', 'private', 'orgs'] as const;
export type ApiVisibility = (typeof apiVisibilities)[number];

export const specFormats = ['swagger-2.0', 'openapi-3.0', 'openapi-3.1'] as const;
export type SpecFormat = (typeof specFormats)[number];

/** One operation of an API, as the catalog, plans and the gateway see it. */
export interface ApiOperation {
  method: string;
  /** The path template as written in the document, e.g. `/buildings/{id}/energy`. */
  path: string;
  operationId: string | null;
  summary: string | null;
  /** Searched, not listed; may be missing from versions stored by earlier releases. */
  description?: string | null;
  tags: string[];
}

/** What the catalog keeps of a document besides the original: enough to search, plan and route. */
export interface NormalisedSpec {
  title: string;
  description: string | null;
  version: string;
  operations: ApiOperation[];
  tags: string[];
  securitySchemes: Record<string, { type: string; [key: string]: unknown }>;
  servers: string[];
  /**
   * What the validator let through but the provider should fix, each with a JSON pointer into the
   * document (duplicate or empty enums); may be missing from versions stored by earlier releases.
   */
  warnings?: { field: string; message: string }[];
}

/**
 * An API in the hub. Owned by its provider organisation; `slug` is its address under `/gw/{slug}/`.
 * `visibility`: public (every signed-in organisation), private (the owner only) or orgs (the owner
 * and `allowedOrgIds`).
 */
export const apis = pgTable(
  'apis',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    category: text('category'),
    tags: text('tags').array().notNull(),
    visibility: text('visibility').$type<ApiVisibility>().notNull(),
    allowedOrgIds: text('allowed_org_ids').array().notNull(),
    /** Where the gateway forwards calls: an absolute http(s) URL; null for a built-in upstream. */
    upstreamUrl: text('upstream_url'),
    /**
     * A built-in upstream: the platform answers the calls itself (`lab-model:{modelId}`, a released
     * Data Lab model served by lab/serving.ts); null for a proxied API.
     */
    builtinUpstream: text('builtin_upstream'),
    /** Check requests against the OpenAPI document at the gateway before proxying. */
    validateRequests: boolean('validate_requests').notNull().default(false),
    currentVersionId: text('current_version_id'),
    /** Title, description, tags and operation summaries, lower-cased, for catalogue search. */
    searchText: text('search_text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('apis_slug_key').on(t.slug),
    index('apis_org_idx').on(t.orgId),
    // Exactly one upstream: a URL to proxy to, or one the platform serves itself.
    check('apis_one_upstream', sql`(${t.upstreamUrl} is null) <> (${t.builtinUpstream} is null)`),
  ],
);

/** Each imported document is a version; a new version keeps the API's plans and subscriptions. */
export const apiVersions = pgTable(
  'api_versions',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id')
      .notNull()
      .references(() => apis.id),
    version: text('version').notNull(),
    specFormat: text('spec_format').$type<SpecFormat>().notNull(),
    sourceFormat: text('source_format').$type<'json' | 'yaml'>().notNull(),
    /** The document exactly as it was uploaded. */
    original: text('original').notNull(),
    normalised: jsonb('normalised').$type<NormalisedSpec>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Retirement, set by the provider: from `deprecatedAt` calls carry `Deprecation` (RFC 9745),
     * `Sunset` (RFC 8594) and `Link` headers; from `sunsetAt` the gateway answers 410. Null: not
     * deprecated. `link` documents the retirement; `successorApiId` names the API to move to.
     */
    deprecatedAt: timestamp('deprecated_at', { withTimezone: true }),
    sunsetAt: timestamp('sunset_at', { withTimezone: true }),
    deprecationLink: text('deprecation_link'),
    successorApiId: text('successor_api_id'),
    /** When the sweep recorded the sunset (ledger entry and notice to the callers); null until then. */
    sunsetRecordedAt: timestamp('sunset_recorded_at', { withTimezone: true }),
  },
  (t) => [
    index('api_versions_api_idx').on(t.apiId, t.createdAt),
    index('api_versions_sunset_due_idx')
      .on(t.sunsetAt)
      .where(sql`sunset_at is not null and sunset_recorded_at is null`),
  ],
);

// ---- datasets ----------------------------------------------------------------------------------

export { classifications };
export type Classification = (typeof classifications)[number];
export const restrictedClassifications: readonly Classification[] = ['personal', 'sensitive', 'identifier'];

export { datasetFormats };
export type DatasetFormat = (typeof datasetFormats)[number];

/** Licences under which a dataset without personal columns is open to every signed-in user. */
export const openLicences = [
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'ODC-BY-1.0',
  'ODbL-1.0',
  'PDDL-1.0',
  'CC-BY-3.0',
  'CC-BY-SA-3.0',
  'OGL-UK-3.0',
  'DL-DE-BY-2.0',
  'DL-DE-ZERO-2.0',
  'etalab-2.0',
] as const;

export interface ColumnStatistics {
  nullCount: number;
  distinctApprox: number;
  min: string | null;
  max: string | null;
  mean: number | null;
}

/** Why a classification was suggested: the rule, the share of sampled values it matched, in both languages. */
export interface ColumnExplanation {
  /** A stable name of the rule (`hkid`, `person-name`, `unique-key` …; see docs/classification.md). */
  rule: string;
  /** The share of sampled values that matched (0–1); null for a rule on the column's name. */
  share: number | null;
  en: string;
  'zh-HK': string;
}

/** A column of a dataset version: its type, the suggested and the confirmed classification, its statistics. */
export interface DatasetColumn {
  name: string;
  type: string;
  /** What the platform suggests from the name and the values, with the reasons it saw. */
  suggested: Classification;
  /** The reasons in English (each explanation's `en`). */
  reasons: string[];
  /** Absent on versions profiled before explanations were kept. */
  explanations?: ColumnExplanation[];
  /** What the provider confirmed; null until then. */
  classification: Classification | null;
  /**
   * Part of the quasi-identifiers (birth date, sex, postcode, district …) on which the
   * re-identification risk is measured: suggested, then as the provider confirmed it.
   */
  quasiIdentifier?: boolean;
  description: string | null;
  statistics: ColumnStatistics;
}

/** Provenance of a harvested dataset: the source, the record's id there, and when it was read. */
export interface DatasetOrigin {
  sourceId: string;
  originalId: string;
  fetchedAt: string;
  landingPage: string | null;
  /** The publisher named by the source (an organisation of the remote portal, not of this platform). */
  publisher: string | null;
  /** SHA-256 of the mapped record: a later run compares it to tell changed from unchanged. */
  hash: string;
  /**
   * The licence is open though the platform does not list it as an open licence: the harvest's
   * licence table says so (OGL, DL-DE, `other-open`…), or the source marks it open. Absent: the
   * licence decides alone.
   */
  licenceIsOpen?: boolean;
}

export interface DatasetResource {
  name: string;
  format: string | null;
  url: string;
  mediaType: string | null;
}

export type DatasetTranslations = Record<string, { title?: string; description?: string }>;

/**
 * A data product. Metadata follows what DCAT can carry (title, description, licence, keywords,
 * themes, publisher, frequency, spatial and temporal coverage). `slug` is its name in SQL, so it
 * is an identifier (`[a-z][a-z0-9_]*`). Draft datasets are seen by their owner only.
 */
export const datasets = pgTable(
  'datasets',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    licence: text('licence').notNull(),
    keywords: text('keywords').array().notNull(),
    themes: text('themes').array().notNull(),
    updateFrequency: text('update_frequency'),
    /** Hong Kong districts (or `hong-kong` for the whole territory). */
    spatial: text('spatial').array().notNull(),
    temporalStart: text('temporal_start'),
    temporalEnd: text('temporal_end'),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    currentVersionId: text('current_version_id'),
    /**
     * Other organisations see only the rows whose subject (the value in `subjectColumn`) has a
     * live consent for their agreement's purpose (src/modules/consent). Never open data.
     */
    consentRequired: boolean('consent_required').notNull().default(false),
    subjectColumn: text('subject_column'),
    /** Where a harvested dataset came from; null for datasets made here. Harvested ones have no versions. */
    origin: jsonb('origin').$type<DatasetOrigin>(),
    /** The files and services a harvested dataset points at, at its source (never fetched by the platform). */
    resources: jsonb('resources').$type<DatasetResource[]>().notNull().default([]),
    /** Title and description in the languages other than the one shown, by BCP 47 tag (`zh-hk`). */
    translations: jsonb('translations').$type<DatasetTranslations>().notNull().default({}),
    /**
     * The smallest equivalence class on the quasi-identifiers the owner accepts in a release (k of
     * k-anonymity): below it, approving an agreement warns with the figure and the masks that raise it.
     */
    kThreshold: integer('k_threshold').notNull().default(5),
    searchText: text('search_text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('datasets_slug_key').on(t.slug), index('datasets_org_idx').on(t.orgId)],
);

/** Each upload is a version: one Parquet file under DATA_DIR/datasets, its schema and statistics. */
export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: text('id').primaryKey(),
    datasetId: text('dataset_id')
      .notNull()
      .references(() => datasets.id),
    version: integer('version').notNull(),
    sourceFormat: text('source_format').$type<DatasetFormat>().notNull(),
    sourceName: text('source_name').notNull(),
    sourceBytes: bigint('source_bytes', { mode: 'number' }).notNull(),
    sourceSha256: text('source_sha256').notNull(),
    /** The Parquet file, relative to DATA_DIR/datasets. */
    file: text('file').notNull(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    columns: jsonb('columns').$type<DatasetColumn[]>().notNull(),
    /** Re-identification figures on the quasi-identifier columns, measured at upload and at confirmation. */
    risk: jsonb('risk').$type<RiskFigures>(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: text('confirmed_by'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('dataset_versions_number_key').on(t.datasetId, t.version)],
);
