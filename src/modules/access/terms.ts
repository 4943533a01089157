import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../../errors.js';
import { maxMeasureBound, minEpsilonFloor } from '../../infra/privacy-limits.js';
import type { DatasetColumn } from '../catalog/schema.js';
import { type Location, locations } from '../identity/schema.js';
import { purposes } from './schema.js';

/**
 * An agreement's terms: one machine-readable document that every exit (governed query, download,
 * later the gateway's response filter and shares) compiles from, so no exit keeps its own copy of
 * the rules. The vocabulary follows ODRL 2.2 (https://www.w3.org/TR/odrl-model/): a permission
 * with actions and constraints (purpose, expiry, regions, counts), duties and prohibitions.
 * The JSON Schema below is published at `GET /v1/agreements/terms-schema`.
 */

const enumOf = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const actions = ['query', 'download'] as const;
export type Action = (typeof actions)[number];
export const duties = ['attribution', 'delete-on-expiry'] as const;
export const prohibitions = ['re-identification', 'onward-transfer'] as const;
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

const ColumnName = Type.String({ minLength: 1, maxLength: 128 });
const Scalar = Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean()]);

export const MaskSchema = Type.Union(
  [
    Type.Object(
      { kind: Type.Literal('hash') },
      {
        additionalProperties: false,
        description: 'keyed SHA-256 under a secret of this agreement: joinable within it, not across',
      },
    ),
    Type.Object(
      { kind: Type.Literal('redact') },
      { additionalProperties: false, description: 'always null' },
    ),
    Type.Object(
      { kind: Type.Literal('truncate-date'), unit: enumOf(['year', 'month'] as const) },
      { additionalProperties: false, description: 'a date or timestamp cut to its year or month' },
    ),
    Type.Object(
      { kind: Type.Literal('band'), width: Type.Number({ exclusiveMinimum: 0, maximum: 1e12 }) },
      { additionalProperties: false, description: 'a number as the band it falls in, e.g. "30-39"' },
    ),
    Type.Object(
      { kind: Type.Literal('keep-last'), n: Type.Integer({ minimum: 1, maximum: 32 }) },
      { additionalProperties: false, description: 'all but the last n characters replaced by *' },
    ),
  ],
  { description: 'how a column is transformed before the consumer sees it' },
);
export type Mask = Static<typeof MaskSchema>;

export const ConditionSchema = Type.Object(
  {
    column: ColumnName,
    op: enumOf(filterOperators),
    value: Type.Optional(Scalar),
    values: Type.Optional(Type.Array(Scalar, { minItems: 1, maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof ConditionSchema>;

/** Who shares a grant's ε budget: each analyst of the consumer organisation, or the organisation as one. */
export const noiseBudgetScopes = ['analyst', 'organisation'] as const;
export type NoiseBudgetScope = (typeof noiseBudgetScopes)[number];

const Epsilon = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 1000, description });

export const MeasureBoundsSchema = Type.Object(
  {
    lower: Type.Number({ minimum: -maxMeasureBound, maximum: maxMeasureBound }),
    upper: Type.Number({ minimum: -maxMeasureBound, maximum: maxMeasureBound }),
  },
  { additionalProperties: false, description: 'each value is clamped to [lower, upper] before it counts' },
);

/**
 * Differential privacy on an aggregate-only grant: every aggregate is released through the Data
 * Lab's mechanism (per-subject clipping, Laplace noise, a 95% interval per value) and paid for from
 * an ε budget, because thresholds alone cannot stop two exact aggregates from being differenced.
 */
export const NoiseSchema = Type.Object(
  {
    epsilon: Epsilon('ε one query spends unless the caller asks for another (at least minEpsilon)'),
    minEpsilon: Epsilon(`the least ε one query may spend (the owner's floor, at least ${minEpsilonFloor})`),
    epsilonBudget: Epsilon('the total ε each budget holder may spend under this grant'),
    budgetScope: Type.Optional(
      enumOf(
        noiseBudgetScopes,
        'analyst (default): each of the consumer’s users has the budget; organisation: they share one',
      ),
    ),
    maxRowsPerSubject: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'L: rows one subject contributes (default 5)' }),
    ),
    maxGroupsPerSubject: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: 'G: groups one subject is counted in (default 1)',
      }),
    ),
    measures: Type.Record(Type.String(), MeasureBoundsSchema, {
      description: 'numeric columns that sum and avg may read, with their clamping bounds',
    }),
  },
  { additionalProperties: false },
);
export type Noise = Static<typeof NoiseSchema>;
export const defaultNoiseBounds = { maxRowsPerSubject: 5, maxGroupsPerSubject: 1 } as const;

export const AgreementTermsSchema = Type.Object(
  {
    actions: Type.Array(enumOf(actions), { minItems: 1, uniqueItems: true }),
    purpose: enumOf(purposes),
    purposeText: Type.String({ maxLength: 2000 }),
    expiresAt: Type.String({ format: 'date-time' }),
    columns: Type.Array(ColumnName, { minItems: 1, maxItems: 2000, uniqueItems: true }),
    masks: Type.Record(Type.String(), MaskSchema),
    rowFilter: Type.Array(ConditionSchema, {
      maxItems: 50,
      description: 'every condition must hold for a row to be visible (AND)',
    }),
    aggregateOnly: Type.Boolean({
      description:
        'only aggregate results: one dataset, plain columns and aggregates, rewritten by the platform (docs/governed-queries.md)',
    }),
    minGroupSize: Type.Union([Type.Integer({ minimum: 2, maximum: 1_000_000 }), Type.Null()], {
      description:
        "with aggregateOnly: groups of fewer distinct subjects (the dataset's subject column, else rows) are left out",
    }),
    noise: Type.Optional(
      Type.Union([NoiseSchema, Type.Null()], {
        description:
          'with aggregateOnly: every aggregate released with differential-privacy noise within an ε budget (docs/differential-privacy.md); null or absent: exact aggregates',
      }),
    ),
    maxQueries: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null: unlimited' }),
    maxRowsPerQuery: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    regions: Type.Array(enumOf(locations), {
      minItems: 1,
      uniqueItems: true,
      description: "the verified locations the consumer's organisation may access from",
    }),
    pinnedVersionId: Type.Union([Type.String(), Type.Null()], {
      description: 'null: follow the latest version',
    }),
    duties: Type.Array(enumOf(duties), { uniqueItems: true }),
    prohibitions: Type.Array(enumOf(prohibitions), { uniqueItems: true }),
  },
  {
    $id: 'https://stp-platform.dev/schemas/agreement-terms.json',
    title: 'STP Platform agreement terms',
    additionalProperties: false,
  },
);
export type AgreementTerms = Static<typeof AgreementTermsSchema>;

/** What a provider may set when approving: any of these narrows the request; the rest come from it. */
export const TermsOverridesSchema = Type.Partial(
  Type.Object({
    actions: AgreementTermsSchema.properties.actions,
    expiresAt: AgreementTermsSchema.properties.expiresAt,
    columns: AgreementTermsSchema.properties.columns,
    masks: AgreementTermsSchema.properties.masks,
    rowFilter: AgreementTermsSchema.properties.rowFilter,
    aggregateOnly: AgreementTermsSchema.properties.aggregateOnly,
    minGroupSize: AgreementTermsSchema.properties.minGroupSize,
    noise: AgreementTermsSchema.properties.noise,
    maxQueries: AgreementTermsSchema.properties.maxQueries,
    maxRowsPerQuery: AgreementTermsSchema.properties.maxRowsPerQuery,
    regions: AgreementTermsSchema.properties.regions,
    pinnedVersionId: AgreementTermsSchema.properties.pinnedVersionId,
    duties: AgreementTermsSchema.properties.duties,
    prohibitions: AgreementTermsSchema.properties.prohibitions,
  }),
  { additionalProperties: false },
);
export type TermsOverrides = Static<typeof TermsOverridesSchema>;

export const defaultMaxRowsPerQuery = 10_000;
export const defaultMinGroupSize = 5;
export const defaultRegions: Location[] = ['hong-kong'];

function termsInvalid(detail: string, field: string): AppError {
  return new AppError('terms-invalid', detail, { field });
}

const numericType =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const dateType = /^(DATE|TIMESTAMP.*)$/;

export function isNumericType(type: string): boolean {
  return numericType.test(type);
}

/** Which masks fit which column types: a band of a string or a month of a number is a provider's typo. */
function checkMaskFits(mask: Mask, column: DatasetColumn): void {
  if (mask.kind === 'band' && !isNumericType(column.type)) {
    throw termsInvalid(
      `mask band needs a numeric column; ${column.name} is ${column.type}`,
      `masks.${column.name}`,
    );
  }
  if (mask.kind === 'truncate-date' && !dateType.test(column.type)) {
    throw termsInvalid(
      `mask truncate-date needs a date or timestamp column; ${column.name} is ${column.type}`,
      `masks.${column.name}`,
    );
  }
}

/**
 * Parses a terms document against the dataset it governs: the schema first, then what the schema
 * cannot say (every named column exists, masks fit their columns, filter operators have operands,
 * expiry lies ahead). Returns the typed terms; throws `terms-invalid` naming the field.
 */
export function parseTerms(candidate: unknown, columns: DatasetColumn[], now: Date): AgreementTerms {
  const errors = [...Value.Errors(AgreementTermsSchema, candidate)];
  if (errors.length > 0) {
    const first = errors[0]!;
    throw termsInvalid(`${first.instancePath || '/'} ${first.message}`, first.instancePath);
  }
  const terms = candidate as AgreementTerms;
  const byName = new Map(columns.map((column) => [column.name, column]));
  for (const name of terms.columns) {
    if (!byName.has(name)) throw termsInvalid(`the dataset has no column ${name}`, 'columns');
  }
  for (const [name, mask] of Object.entries(terms.masks)) {
    const column = byName.get(name);
    if (!column) throw termsInvalid(`the dataset has no column ${name}`, `masks.${name}`);
    if (!terms.columns.includes(name)) {
      throw termsInvalid(`column ${name} is masked but not granted`, `masks.${name}`);
    }
    checkMaskFits(mask, column);
  }
  terms.rowFilter.forEach((condition, i) => {
    if (!byName.has(condition.column)) {
      throw termsInvalid(`the dataset has no column ${condition.column}`, `rowFilter[${i}].column`);
    }
    const needsValues = condition.op === 'in' || condition.op === 'not-in';
    const needsValue = !needsValues && condition.op !== 'is-null' && condition.op !== 'is-not-null';
    if (needsValues && !condition.values) {
      throw termsInvalid(`operator ${condition.op} needs values`, `rowFilter[${i}].values`);
    }
    if (needsValue && condition.value === undefined) {
      throw termsInvalid(`operator ${condition.op} needs a value`, `rowFilter[${i}].value`);
    }
  });
  if (terms.noise) checkNoise(terms, byName);
  const expiresAt = new Date(terms.expiresAt);
  if (Number.isNaN(expiresAt.getTime()) || expiresAt <= now) {
    throw termsInvalid('expiresAt must lie in the future', 'expiresAt');
  }
  return terms;
}

/** What the schema cannot say of a noise setting: finite ε within its floor and budget, bounded measures. */
function checkNoise(terms: AgreementTerms, byName: Map<string, DatasetColumn>): void {
  const noise = terms.noise!;
  if (!terms.aggregateOnly) {
    throw termsInvalid('noise applies to aggregate-only grants; set aggregateOnly', 'noise');
  }
  for (const field of ['epsilon', 'minEpsilon', 'epsilonBudget'] as const) {
    if (!Number.isFinite(noise[field]) || !(noise[field] > 0)) {
      throw termsInvalid(`${field} must be a finite number above 0`, `noise.${field}`);
    }
  }
  if (noise.minEpsilon < minEpsilonFloor) {
    throw termsInvalid(`minEpsilon must be at least ${minEpsilonFloor}`, 'noise.minEpsilon');
  }
  if (noise.epsilon < noise.minEpsilon) {
    throw termsInvalid(
      `epsilon must be at least the floor minEpsilon (${noise.minEpsilon})`,
      'noise.epsilon',
    );
  }
  if (noise.epsilon > noise.epsilonBudget) {
    throw termsInvalid('epsilon must not exceed epsilonBudget', 'noise.epsilon');
  }
  for (const [name, bounds] of Object.entries(noise.measures)) {
    const column = byName.get(name);
    const field = `noise.measures.${name}`;
    if (!column) throw termsInvalid(`the dataset has no column ${name}`, field);
    if (!terms.columns.includes(name)) throw termsInvalid(`column ${name} is not granted`, field);
    if (!isNumericType(column.type) || terms.masks[name]) {
      throw termsInvalid(`${name} must be an unmasked numeric column to be summed`, field);
    }
    if (!(Number.isFinite(bounds.lower) && Number.isFinite(bounds.upper) && bounds.lower < bounds.upper)) {
      throw termsInvalid('lower must be a finite number below upper', field);
    }
  }
}

export interface RequestedAccess {
  purpose: (typeof purposes)[number];
  purposeText: string;
  columns: string[];
  durationDays: number;
  wantsDownload: boolean;
}

/**
 * The terms an approval grants: the request's own, narrowed by the provider's overrides. A provider
 * may only narrow (fewer columns, an earlier expiry, no download if none was asked for); masks,
 * filters and limits are the provider's to add.
 */
export function grantedTerms(
  request: RequestedAccess,
  overrides: TermsOverrides,
  columns: DatasetColumn[],
  now: Date,
): AgreementTerms {
  const requestedUntil = new Date(now.getTime() + request.durationDays * 86_400_000);
  const requestedActions: Action[] = request.wantsDownload ? ['query', 'download'] : ['query'];
  const terms: AgreementTerms = {
    actions: overrides.actions ?? requestedActions,
    purpose: request.purpose,
    purposeText: request.purposeText,
    expiresAt: overrides.expiresAt ?? requestedUntil.toISOString(),
    columns: overrides.columns ?? request.columns,
    masks: overrides.masks ?? {},
    rowFilter: overrides.rowFilter ?? [],
    aggregateOnly: overrides.aggregateOnly ?? false,
    minGroupSize: overrides.minGroupSize ?? (overrides.aggregateOnly ? defaultMinGroupSize : null),
    ...(overrides.noise ? { noise: overrides.noise } : {}),
    maxQueries: overrides.maxQueries ?? null,
    maxRowsPerQuery: overrides.maxRowsPerQuery ?? defaultMaxRowsPerQuery,
    regions: overrides.regions ?? defaultRegions,
    pinnedVersionId: overrides.pinnedVersionId ?? null,
    duties: overrides.duties ?? ['attribution', 'delete-on-expiry'],
    prohibitions: overrides.prohibitions ?? ['re-identification', 'onward-transfer'],
  };
  const widened = terms.columns.filter((name) => !request.columns.includes(name));
  if (widened.length > 0) {
    throw termsInvalid(`columns ${widened.join(', ')} were not requested`, 'columns');
  }
  if (terms.actions.includes('download') && !request.wantsDownload) {
    throw termsInvalid('download was not requested', 'actions');
  }
  if (new Date(terms.expiresAt) > requestedUntil) {
    throw termsInvalid(`expiresAt lies beyond the requested ${request.durationDays} days`, 'expiresAt');
  }
  return parseTerms(terms, columns, now);
}

/** Terms for the provider's own data and open datasets: everything, as it is, for querying. */
export function fullAccessTerms(columns: DatasetColumn[], now: Date, download: boolean): AgreementTerms {
  return {
    actions: download ? ['query', 'download'] : ['query'],
    purpose: 'statistics',
    purposeText: '',
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    columns: columns.map((column) => column.name),
    masks: {},
    rowFilter: [],
    aggregateOnly: false,
    minGroupSize: null,
    maxQueries: null,
    maxRowsPerQuery: 100_000,
    regions: [...locations],
    pinnedVersionId: null,
    duties: [],
    prohibitions: [],
  };
}
