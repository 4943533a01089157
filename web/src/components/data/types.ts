/**
 * Shapes of the data-product API (src/modules/catalog/dataset-routes.ts, access/agreement-routes.ts,
 * access/terms.ts, query/routes.ts, lab/routes.ts) and its vocabularies, as the portal reads them.
 */

export const classifications = ['public', 'internal', 'personal', 'sensitive', 'identifier'] as const;
export type Classification = (typeof classifications)[number];
export const restrictedClassifications: readonly Classification[] = ['personal', 'sensitive', 'identifier'];

export const datasetFormats = ['csv', 'tsv', 'parquet', 'jsonl'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

export const openLicences = [
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'ODC-BY-1.0',
  'ODbL-1.0',
  'PDDL-1.0',
] as const;

export const purposes = [
  'research',
  'product-development',
  'service-provision',
  'credit-assessment',
  'fraud-prevention',
  'insurance-underwriting',
  'public-health',
  'urban-planning',
  'sustainability-reporting',
  'regulatory-compliance',
  'statistics',
  'marketing',
] as const;
export type Purpose = (typeof purposes)[number];

/** access/agreements.ts maxDurationDays */
export const maxDurationDays = 3 * 366;

export const maskKinds = ['hash', 'redact', 'truncate-date', 'band', 'keep-last'] as const;
export type MaskKind = (typeof maskKinds)[number];

export const filterOperators = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'not-in',
  'is-null',
  'is-not-null',
] as const;
export type FilterOperator = (typeof filterOperators)[number];

/** The places an organisation may declare and an operator may verify (src/modules/identity/vocabulary.ts). */
export const locations = [
  'hong-kong',
  'macao',
  'guangzhou',
  'shenzhen',
  'zhuhai',
  'foshan',
  'huizhou',
  'dongguan',
  'zhongshan',
  'jiangmen',
  'zhaoqing',
  'elsewhere',
] as const;
export type Location = (typeof locations)[number];

export interface ColumnStatistics {
  nullCount: number;
  distinctApprox: number;
  min: string | null;
  max: string | null;
  mean: number | null;
}

/** Why a classification was suggested: the rule, the share of sampled values that matched, both languages. */
export interface ColumnExplanation {
  rule: string;
  share: number | null;
  en: string;
  'zh-HK': string;
}

export interface DatasetColumn {
  name: string;
  type: string;
  suggested: Classification;
  reasons: string[];
  explanations: ColumnExplanation[];
  classification: Classification | null;
  /** Counted among the quasi-identifiers on which re-identification risk is measured. */
  quasiIdentifier: boolean;
  description: string | null;
  statistics: ColumnStatistics;
}

export interface DatasetVersion {
  id: string;
  version: number;
  sourceFormat: DatasetFormat;
  sourceName: string;
  sourceBytes: number;
  sourceSha256: string;
  rowCount: number;
  columns: DatasetColumn[];
  confirmedAt: string | null;
  createdAt: string;
  /** The owner only: equivalence-class figures on the quasi-identifiers. */
  risk: RiskFigures | null;
}

/** catalog/risk.ts: rows unique on the quasi-identifiers and the smallest equivalence class k. */
export interface RiskFigures {
  rows: number;
  quasiIdentifiers: string[];
  uniqueRows: number;
  uniqueShare: number;
  k: number | null;
  classes: number;
}

export type Generalisation =
  | { kind: 'truncate-date'; unit: 'year' | 'month' }
  | { kind: 'band'; width: number }
  | { kind: 'redact' };

export interface RiskAssessment extends RiskFigures {
  threshold: number;
  isBelowThreshold: boolean;
  masks: { column: string; mask: Generalisation; k: number | null; uniqueShare: number }[];
}

export interface Dataset {
  id: string;
  orgId: string;
  slug: string;
  title: string;
  description: string | null;
  licence: string;
  keywords: string[];
  themes: string[];
  updateFrequency: string | null;
  spatial: string[];
  temporalStart: string | null;
  temporalEnd: string | null;
  status: 'draft' | 'published';
  consentRequired: boolean;
  subjectColumn: string | null;
  kThreshold: number;
  origin: { sourceId: string; landingPage: string | null; publisher: string | null } | null;
  isOpen: boolean;
  currentVersion: DatasetVersion | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccessRequest {
  id: string;
  datasetId: string;
  orgId: string;
  providerOrgId: string;
  purpose: Purpose;
  purposeText: string;
  columns: string[];
  durationDays: number;
  wantsDownload: boolean;
  state: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  reason: string | null;
  agreementId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Mask =
  | { kind: 'hash' }
  | { kind: 'redact' }
  | { kind: 'truncate-date'; unit: 'year' | 'month' }
  | { kind: 'band'; width: number }
  | { kind: 'keep-last'; n: number };

export type Scalar = string | number | boolean;

export interface Condition {
  column: string;
  op: FilterOperator;
  value?: Scalar;
  values?: Scalar[];
}

export const noiseBudgetScopes = ['analyst', 'organisation'] as const;
export type NoiseBudgetScope = (typeof noiseBudgetScopes)[number];

export interface Noise {
  epsilon: number;
  minEpsilon: number;
  epsilonBudget: number;
  budgetScope?: NoiseBudgetScope;
  maxRowsPerSubject?: number;
  maxGroupsPerSubject?: number;
  measures: Record<string, { lower: number; upper: number }>;
}

export interface AgreementTerms {
  actions: ('query' | 'download')[];
  purpose: Purpose;
  purposeText: string;
  expiresAt: string;
  columns: string[];
  masks: Record<string, Mask>;
  rowFilter: Condition[];
  aggregateOnly: boolean;
  minGroupSize: number | null;
  /** With aggregateOnly: every aggregate released with differential-privacy noise within an ε budget. */
  noise?: Noise | null;
  maxQueries: number | null;
  maxRowsPerQuery: number;
  regions: Location[];
  pinnedVersionId: string | null;
  duties: string[];
  prohibitions: string[];
}

export type TermsOverrides = Partial<
  Pick<
    AgreementTerms,
    | 'actions'
    | 'expiresAt'
    | 'columns'
    | 'masks'
    | 'rowFilter'
    | 'aggregateOnly'
    | 'minGroupSize'
    | 'noise'
    | 'maxQueries'
    | 'maxRowsPerQuery'
    | 'regions'
  >
>;

export interface Agreement {
  id: string;
  datasetId: string;
  orgId: string;
  providerOrgId: string;
  requestId: string | null;
  state: 'active' | 'expired' | 'revoked';
  terms: AgreementTerms;
  queriesUsed: number;
  revokedAt: string | null;
  revokeReason: string | null;
  createdAt: string;
}

export interface QueryResult {
  queryId: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  datasets: { name: string; datasetId: string; versionId: string; agreementId: string | null }[];
  /** Present when the grant adds noise: per cell the half-width of its 95% interval, and the budget. */
  noise?: {
    epsilon: number;
    intervals: (number | null)[][];
    noiseScales: Record<string, number>;
    budget: { scope: NoiseBudgetScope; total: number; spent: number; remaining: number };
  };
}

export interface QueryTable {
  name: string;
  datasetId: string;
  versionId: string;
  via: 'agreement' | 'owner' | 'open';
  agreementId: string | null;
  aggregateOnly: boolean;
  columns: { name: string; type: string; mask: MaskKind | null }[];
  blockedBy: string | null;
}

export interface Lab {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  minGroupSize: number;
  epsilonBudget: number;
  defaultEpsilon: number;
  maxRowsPerSubject: number;
  maxGroupsPerSubject: number;
  minEpsilon: number;
  budgetScope: BudgetScope;
  outputReview: boolean;
  createdAt: string;
}

export type BudgetScope = 'analyst' | 'organisation' | 'lab';

export interface LabDataset {
  labId: string;
  name: string;
  datasetId: string;
  versionId: string;
  orgId: string;
  subjectColumn: string;
  dimensions: string[];
  measures: Record<string, { lower: number; upper: number }>;
  allowMinMax: boolean;
  rowCount: number;
  createdAt: string;
}

export interface LabDetail {
  lab: Lab;
  members: {
    labId: string;
    orgId: string;
    role: 'owner' | 'data-owner' | 'researcher';
    endsAt?: string | null;
    createdAt: string;
  }[];
  datasets: LabDataset[];
}

export interface LabQuery {
  id: string;
  labId: string;
  orgId: string;
  userId: string;
  sql: string;
  sqlSha256: string;
  epsilon: number;
  datasets: { name: string; datasetId: string; versionId: string }[];
  state: 'released' | 'pending-review' | 'rejected';
  result: {
    columns: { name: string; kind: string }[];
    rows: (string | number | null)[][];
    /** Per cell, the half-width of its 95% interval; null for group keys and un-noised values. */
    intervals: (number | null)[][];
    noiseScales: Record<string, number>;
  };
  reviewReason: string | null;
  createdAt: string;
}

export interface Budget {
  scope: BudgetScope;
  total: number;
  spent: number;
  remaining: number;
}

const numericType =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const dateType = /^(DATE|TIMESTAMP.*)$/;

export const isNumericType = (type: string) => numericType.test(type);
export const isDateType = (type: string) => dateType.test(type);

/** The mask kinds that fit a column of this type (terms.ts checkMaskFits). */
export function masksFor(type: string): MaskKind[] {
  return maskKinds.filter(
    (kind) => (kind !== 'band' || isNumericType(type)) && (kind !== 'truncate-date' || isDateType(type)),
  );
}

/** The confirmed classification, or the suggestion until the provider confirms. */
export const classificationOf = (column: DatasetColumn): Classification =>
  column.classification ?? column.suggested;
