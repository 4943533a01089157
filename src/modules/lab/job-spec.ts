import { createHash } from 'node:crypto';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { validationFailed } from '../../errors.js';
import { quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import { subjectKey, subjectRow } from './cleanroom.js';
import type { MeasureBounds } from './schema.js';

/**
 * A training job as a researcher writes it (JSON or YAML): the lab datasets it reads (joined on
 * subject_key), the features with their clamping bounds, the target, the model, a seeded train/test
 * split and the privacy parameters. The schema is published at GET /v1/labs/job-schema.
 */

export const modelKinds = ['linear-regression', 'logistic-regression'] as const;
export type ModelKind = (typeof modelKinds)[number];

const Name = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });

const NumericFeature = Type.Object(
  {
    column: Type.String({ minLength: 1, maxLength: 128, description: 'a measure of one of the inputs' }),
    lower: Type.Number({ description: 'values below are raised to this' }),
    upper: Type.Number({ description: 'values above are lowered to this' }),
  },
  { additionalProperties: false },
);

const IndicatorFeature = Type.Object(
  {
    column: Type.String({ minLength: 1, maxLength: 128, description: 'a dimension of one of the inputs' }),
    equals: Type.Union([Type.String(), Type.Number()], {
      description: 'the feature is 1 where the column equals this, else 0',
    }),
  },
  { additionalProperties: false },
);

export const JobSpecSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9-]{0,62}$',
      description: 'the model name; each run is a new version',
    }),
    inputs: Type.Array(Name, {
      minItems: 1,
      maxItems: 4,
      description: 'lab datasets, joined on subject_key',
    }),
    features: Type.Array(Type.Union([NumericFeature, IndicatorFeature]), { minItems: 1, maxItems: 64 }),
    target: Type.Union([NumericFeature, IndicatorFeature], {
      description:
        'linear regression: a measure with bounds; logistic regression: a column and the value that counts as 1',
    }),
    model: Type.Object(
      {
        kind: Type.Union(modelKinds.map((kind) => Type.Literal(kind))),
        noise: Type.Optional(
          Type.Union([Type.Literal('gaussian'), Type.Literal('laplace')], {
            description: 'linear regression: the noise of the sufficient statistics (default gaussian)',
          }),
        ),
        epochs: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
        batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
        learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
        clipNorm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
      },
      { additionalProperties: false },
    ),
    split: Type.Optional(
      Type.Object(
        {
          testFraction: Type.Number({ minimum: 0.05, maximum: 0.5 }),
          seed: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
        },
        { additionalProperties: false },
      ),
    ),
    epsilon: Type.Number({ exclusiveMinimum: 0, description: 'ε this run spends from the lab budget' }),
    delta: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1e-3, description: 'δ (default 10⁻⁶)' }),
    ),
    maxSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3600, description: 'the run is stopped past this' }),
    ),
  },
  { additionalProperties: false },
);
export type JobSpec = Static<typeof JobSpecSchema>;

export type Feature =
  | { column: string; lower: number; upper: number }
  | { column: string; equals: string | number };

/** The spec's SHA-256 over its canonical JSON (keys sorted): the ledger names the exact job. */
export function specHash(spec: JobSpec): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, inner]) => [key, canonical(inner)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(spec)))
    .digest('hex');
}

/** The schema's first complaint as a validation-failed problem naming the field. */
export function parseJobSpec(candidate: unknown): JobSpec {
  const [first] = Value.Errors(JobSpecSchema, candidate);
  if (first) throw validationFailed(first.instancePath || 'spec', first.message);
  const spec = candidate as JobSpec;
  for (const [i, feature] of [...spec.features, spec.target].entries()) {
    const field = i < spec.features.length ? `features/${i}` : 'target';
    if (
      'lower' in feature &&
      !(feature.lower < feature.upper && Number.isFinite(feature.upper - feature.lower))
    ) {
      throw validationFailed(field, 'lower must be below upper');
    }
    if ('lower' in feature && !scalesIntoUnitRange(feature.lower, feature.upper)) {
      throw validationFailed(
        field,
        'lower and upper are too close for their size: the values between them cannot be scaled into [−1, 1]',
      );
    }
  }
  if (spec.model.kind === 'linear-regression' && !('lower' in spec.target)) {
    throw validationFailed('target', 'linear regression needs a numeric target with lower and upper');
  }
  if (spec.model.kind === 'logistic-regression' && !('equals' in spec.target)) {
    throw validationFailed(
      'target',
      'logistic regression needs a target column and the value that counts as 1',
    );
  }
  if (new Set(spec.inputs).size !== spec.inputs.length)
    throw validationFailed('inputs', 'a dataset is named twice');
  return spec;
}

/**
 * Whether clamping bounds scale into [−1, 1] as the sensitivity analysis assumes. Bounds a few ulps
 * apart lose the middle or the half-range to rounding (a half-range of 0, or a middle one ulp off),
 * so the scaled ends land at 0, ±2 or ±∞ and one subject moves the released statistics by more
 * than the noise was sized for.
 */
function scalesIntoUnitRange(lower: number, upper: number): boolean {
  const middle = (lower + upper) / 2;
  const half = (upper - lower) / 2;
  if (!(half >= Number.MIN_VALUE * 2 ** 52) || !Number.isFinite(middle)) return false;
  return Math.abs((lower - middle) / half + 1) <= 1e-9 && Math.abs((upper - middle) / half - 1) <= 1e-9;
}

/** What a job may read of a lab dataset: its dimensions and measures. */
export interface JobInput {
  name: string;
  dimensions: string[];
  measures: Record<string, MeasureBounds>;
}

/** The feature or target bounds after scaling: indicators are 0/1 with bounds [0, 1]. */
export function boundsOf(feature: Feature): { lower: number; upper: number } {
  return 'lower' in feature ? { lower: feature.lower, upper: feature.upper } : { lower: 0, upper: 1 };
}

/**
 * The SQL a worker streams: one row per subject (each input's first row in its random subject
 * order, so a subject counts once), joined on subject_key; each feature clamped and scaled into
 * [−1, 1]; the target scaled (linear) or 0/1 (logistic); and whether the row is held out — a hash of
 * the pseudonym and the seed, so the split is a fixed function of the subject. Rows with a missing
 * value are left out.
 */
export function compileJobSql(spec: JobSpec, inputs: JobInput[]): string {
  const byName = new Map(inputs.map((input) => [input.name, input]));
  for (const [i, name] of spec.inputs.entries()) {
    if (!byName.has(name)) throw validationFailed(`inputs/${i}`, `the lab has no dataset ${name}`);
  }
  const owner = (feature: Feature, field: string): string => {
    const isNumeric = 'lower' in feature;
    const found = spec.inputs.filter((name) => {
      const input = byName.get(name)!;
      return isNumeric ? feature.column in input.measures : input.dimensions.includes(feature.column);
    });
    if (found.length === 0) {
      throw validationFailed(
        field,
        `no input has the ${isNumeric ? 'measure' : 'dimension'} ${feature.column}`,
      );
    }
    return `t${spec.inputs.indexOf(found[0]!)}.${quoteIdentifier(feature.column)}`;
  };
  const scaled = (feature: Feature, field: string): { sql: string; column: string } => {
    const column = owner(feature, field);
    if ('lower' in feature) {
      const middle = (feature.lower + feature.upper) / 2;
      const half = (feature.upper - feature.lower) / 2;
      // The outer clamp keeps rounding in the scaling within [−1, 1]; the worker clamps again.
      return {
        column,
        sql: `least(greatest((least(greatest(${column}::DOUBLE, ${feature.lower}), ${feature.upper}) - ${middle}) / ${half}, -1.0), 1.0)`,
      };
    }
    // Compared through TRY_CAST, never an implicit cast: `text_column = 5` casts every row's text to
    // a number and fails on the first that is not one, so whether the job failed would tell whether
    // any subject holds such a value, outside the noise and the budget. A value that does not
    // convert simply does not match.
    const comparison =
      typeof feature.equals === 'number'
        ? `TRY_CAST(${column} AS DOUBLE) = ${String(feature.equals)}`
        : `TRY_CAST(${column} AS VARCHAR) = ${quoteLiteral(feature.equals)}`;
    return { column, sql: `CASE WHEN ${comparison} THEN 1.0 ELSE -1.0 END` };
  };
  const features = spec.features.map((feature, i) => scaled(feature, `features/${i}`));
  const target = scaled(spec.target, 'target');
  const targetSql =
    spec.model.kind === 'logistic-regression'
      ? `CASE WHEN ${target.sql} > 0 THEN 1.0 ELSE 0.0 END`
      : target.sql;
  const from = spec.inputs
    .map((name, i) => {
      const table = `(SELECT * FROM ${quoteIdentifier(name)} WHERE ${subjectRow} = 1) t${i}`;
      return i === 0 ? table : `JOIN ${table} USING (${subjectKey})`;
    })
    .join(' ');
  const split = spec.split ?? { testFraction: 0.2, seed: 1 };
  const notNull = [...new Set([...features.map((feature) => feature.column), target.column])]
    .map((column) => `${column} IS NOT NULL`)
    .join(' AND ');
  return (
    `SELECT ${features.map((feature) => feature.sql).join(', ')}, ${targetSql}, ` +
    `(hash(${subjectKey}, ${split.seed}) % 1000000) < ${Math.round(split.testFraction * 1_000_000)} ` +
    `FROM ${from} WHERE ${notNull}`
  );
}
