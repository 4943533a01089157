/**
 * Shapes of the data-product API (src/modules/catalog/dataset-routes.ts, access/agreement-routes.ts,
 * access/terms.ts, query/routes.ts, lab/routes.ts) and its vocabularies, as the portal reads them.
 */
import type { Answer, Shared } from '../../api';

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

export type DatasetVersion = Answer<'/v1/datasets/{datasetId}/versions', 'get'>['items'][number];

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

export type Dataset = Answer<'/v1/datasets/{datasetId}', 'get'>;

export type AccessRequest = Answer<'/v1/access-requests', 'get'>['items'][number];

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

/** The terms every agreement follows: the server's public JSON Schema (`/v1/agreements/terms-schema`). */
export type AgreementTerms = Shared<'agreement-terms'>;

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

export type Agreement = Answer<'/v1/agreements', 'get'>['items'][number];

export type QueryResult = Answer<'/v1/query', 'post'>;

export type QueryTable = Answer<'/v1/query/tables', 'get'>['items'][number];

export type Lab = Answer<'/v1/labs', 'get'>['items'][number];

export type BudgetScope = 'analyst' | 'organisation' | 'lab';

export type LabDataset = LabDetail['datasets'][number];

export type LabDetail = Answer<'/v1/labs/{labId}', 'get'>;

export type LabQuery = Answer<'/v1/labs/{labId}/queries', 'post'>;

export type Budget = Answer<'/v1/labs/{labId}/budget', 'get'>;

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
