import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const labRoles = ['owner', 'data-owner', 'researcher'] as const;
export type LabRole = (typeof labRoles)[number];

/** Who shares one ε budget: each analyst, each organisation, or everyone in the lab together. */
export const budgetScopes = ['analyst', 'organisation', 'lab'] as const;
export type BudgetScope = (typeof budgetScopes)[number];

/**
 * The budget a data owner spends on the synthetic twins of one lab dataset: a `lab_budgets` row of
 * this scope whose holder is the catalogue dataset's id (so one dataset attached twice still has
 * one budget in the lab).
 */
export const twinBudgetScope = 'dataset-owner' as const;
export type BudgetHolderScope = BudgetScope | typeof twinBudgetScope;

/**
 * A clean room between data owners and researcher organisations. Datasets attached to it are
 * pseudonymised copies; researchers only get aggregates of groups of at least `minGroupSize`
 * subjects, with Laplace noise, within an ε budget per analyst, organisation or lab
 * (`budgetScope`), at least `minEpsilon` per query, each subject counted in at most
 * `maxGroupsPerSubject` groups. `key` (HMAC-SHA256 key of the pseudonyms) never leaves the platform.
 */
export const labs = pgTable('labs', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  minGroupSize: integer('min_group_size').notNull(),
  epsilonBudget: doublePrecision('epsilon_budget').notNull(),
  defaultEpsilon: doublePrecision('default_epsilon').notNull(),
  maxRowsPerSubject: integer('max_rows_per_subject').notNull(),
  maxGroupsPerSubject: integer('max_groups_per_subject').notNull().default(1),
  minEpsilon: doublePrecision('min_epsilon').notNull().default(0.01),
  budgetScope: text('budget_scope').$type<BudgetScope>().notNull().default('analyst'),
  outputReview: boolean('output_review').notNull(),
  key: text('key').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const labMembers = pgTable(
  'lab_members',
  {
    labId: text('lab_id').notNull(),
    orgId: text('org_id').notNull(),
    role: text('role').$type<LabRole>().notNull(),
    /** The agreement the seat was provisioned from (an approved access request naming the lab); null when added by hand. */
    agreementId: text('agreement_id'),
    /** When the seat ends (null: until removed). A seat past its end opens nothing; the sweep records it and removes it. */
    endsAt: timestamp('ends_at', { withTimezone: true }),
    addedBy: text('added_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.labId, t.orgId] }),
    index('lab_members_org_idx').on(t.orgId),
    index('lab_members_ends_idx').on(t.endsAt).where(sql`ends_at is not null`),
  ],
);

/** Clamping bounds of a measure: values are cut into [lower, upper] before summing (bounds the sensitivity). */
export interface MeasureBounds {
  lower: number;
  upper: number;
}

/** A dataset in a lab: which of its columns are dimensions (GROUP BY) and measures (aggregated), and the subject. */
export const labDatasets = pgTable(
  'lab_datasets',
  {
    labId: text('lab_id').notNull(),
    name: text('name').notNull(),
    datasetId: text('dataset_id').notNull(),
    versionId: text('version_id').notNull(),
    orgId: text('org_id').notNull(),
    subjectColumn: text('subject_column').notNull(),
    dimensions: text('dimensions').array().notNull(),
    measures: jsonb('measures').$type<Record<string, MeasureBounds>>().notNull(),
    allowMinMax: boolean('allow_min_max').notNull(),
    /** The pseudonymised Parquet file, relative to DATA_DIR/labs. */
    file: text('file').notNull(),
    rowCount: integer('row_count').notNull(),
    /** The data owner's ε budget for this dataset's twins; null: the lab's budget. */
    twinEpsilonBudget: doublePrecision('twin_epsilon_budget'),
    attachedBy: text('attached_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.labId, t.name] })],
);

export const labQueryStates = ['released', 'pending-review', 'rejected'] as const;
export type LabQueryState = (typeof labQueryStates)[number];

export interface LabRelease {
  columns: { name: string; kind: 'dimension' | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'count-subjects' }[];
  rows: (string | number | null)[][];
  /**
   * Per cell, the half-width of its 95% interval (value ± half-width holds the exact aggregate of
   * the bounded data 95% of the time); null for group keys and for min/max, which carry no noise.
   */
  intervals: (number | null)[][];
  /** Noise scale per released aggregate column (Laplace b = sensitivity / ε). */
  noiseScales: Record<string, number>;
}

export const labQueries = pgTable(
  'lab_queries',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id').notNull(),
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    sql: text('sql').notNull(),
    sqlSha256: text('sql_sha256').notNull(),
    epsilon: doublePrecision('epsilon').notNull(),
    datasets: jsonb('datasets').$type<{ name: string; datasetId: string; versionId: string }[]>().notNull(),
    state: text('state').$type<LabQueryState>().notNull(),
    result: jsonb('result').$type<LabRelease>().notNull(),
    reviewedBy: text('reviewed_by'),
    reviewReason: text('review_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lab_queries_lab_idx').on(t.labId, t.createdAt)],
);

/**
 * ε spent per budget holder in a lab: a user id, an organisation id or the lab id, as the lab's
 * `budgetScope` says. The update that spends checks the budget in the same statement.
 */
export const labBudgets = pgTable(
  'lab_budgets',
  {
    labId: text('lab_id').notNull(),
    scope: text('scope').$type<BudgetHolderScope>().notNull().default('analyst'),
    holderId: text('holder_id').notNull(),
    spent: doublePrecision('spent').notNull(),
  },
  (t) => [primaryKey({ columns: [t.labId, t.scope, t.holderId] })],
);

export const labJobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type LabJobState = (typeof labJobStates)[number];

/**
 * A training job: the researcher's spec (job-spec.ts), run in a query worker. ε is charged when the
 * job is accepted; the run's outcome (or why it failed) is kept on the row, the model in lab_models.
 */
export const labJobs = pgTable(
  'lab_jobs',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id').notNull(),
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    specSha256: text('spec_sha256').notNull(),
    epsilon: doublePrecision('epsilon').notNull(),
    delta: doublePrecision('delta').notNull(),
    datasets: jsonb('datasets').$type<{ name: string; datasetId: string; versionId: string }[]>().notNull(),
    state: text('state').$type<LabJobState>().notNull(),
    progress: doublePrecision('progress').notNull().default(0),
    error: jsonb('error').$type<{ code: string; detail: string } | null>(),
    modelId: text('model_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /**
     * Touched every few seconds by the node running the job (models.ts): a queued or running job
     * whose heartbeat stopped belongs to a node that stopped, and is failed with that reason.
     */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  },
  (t) => [index('lab_jobs_lab_idx').on(t.labId, t.createdAt)],
);

/** A trained model's card: what a reviewer reads and, once released, what members download. */
export interface ModelCard {
  name: string;
  version: number;
  kind: string;
  target: string;
  intercept: number;
  coefficients: Record<string, number>;
  /** Each feature's clamping bounds (an indicator feature: the value it tests, bounds [0, 1]). */
  features: { column: string; lower: number; upper: number; equals?: string | number }[];
  metrics: { testRows: number; rmse?: number; auc?: number; accuracy?: number; laplaceScale: number };
  privacy: {
    mechanism: string;
    epsilon: number;
    delta: number;
    noiseMultiplier?: number;
    laplaceScale?: number;
    steps?: number;
    samplingRate?: number;
  };
  datasets: { name: string; datasetId: string; versionId: string }[];
  specSha256: string;
  spec: Record<string, unknown>;
}

/** Trained models: versioned by name within a lab, held for output review like query results. */
export const labModels = pgTable(
  'lab_models',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id').notNull(),
    jobId: text('job_id').notNull(),
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    state: text('state').$type<LabQueryState>().notNull(),
    card: jsonb('card').$type<ModelCard>().notNull(),
    reviewedBy: text('reviewed_by'),
    reviewReason: text('review_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lab_models_version_idx').on(t.labId, t.name, t.version)],
);

export const labTwinStates = ['running', 'ready', 'failed', 'refused'] as const;
export type LabTwinState = (typeof labTwinStates)[number];

/** What a twin's members read about how far to trust it (synthesis.ts). */
export interface TwinReport {
  /** Rows in the twin. */
  rows: number;
  /** Rows of the dataset that counted, noisy. */
  noisyRows: number;
  /** The tree of column pairs the twin keeps (parent, child). */
  tree: [string, string][];
  /** Per marginal: cells, noise, noisy measured L1 error, and for one-way marginals a stated 95% bound. */
  marginals: {
    columns: string[];
    cells: number;
    noiseStd: number;
    measuredError: number;
    statedBound?: number;
  }[];
  /** Values of each dimension kept (those rarer than the threshold never appear). */
  keptValues: Record<string, number>;
  privacy: Record<string, number | string>;
}

/**
 * A synthetic twin of a lab dataset: differentially private rows drawn from noisy marginals,
 * paid from the data owner's budget for that dataset. The newest ready twin of a dataset is the one
 * members download; a new version of the dataset makes the next one (twins.ts).
 */
export const labTwins = pgTable(
  'lab_twins',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id').notNull(),
    datasetName: text('dataset_name').notNull(),
    datasetId: text('dataset_id').notNull(),
    versionId: text('version_id').notNull(),
    /** The data owner organisation that paid. */
    orgId: text('org_id').notNull(),
    /** Who asked; null when the platform regenerated it for a new version. */
    userId: text('user_id'),
    epsilon: doublePrecision('epsilon').notNull(),
    delta: doublePrecision('delta').notNull(),
    /** Rows asked for; null: as many as the dataset has (noisy). */
    requestedRows: integer('requested_rows'),
    state: text('state').$type<LabTwinState>().notNull(),
    progress: doublePrecision('progress').notNull().default(0),
    report: jsonb('report').$type<TwinReport>(),
    error: jsonb('error').$type<{ code: string; detail: string } | null>(),
    /** The twin's files without extension (.csv, .parquet), relative to DATA_DIR/labs. */
    file: text('file'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('lab_twins_dataset_idx').on(t.labId, t.datasetName, t.createdAt)],
);
