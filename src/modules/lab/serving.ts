import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { labModels, type ModelCard } from './schema.js';

/**
 * A released model served as an API in the hub: its OpenAPI document, generated from the model
 * card, and its one operation, `POST /predict`. The gateway admits each call (key, plan, limits,
 * metering) and hands it here (gateway/builtin.ts, kind `lab-model`).
 *
 * Inputs are clamped to the bounds the model was trained within, as training clamped them: outside
 * them the model has seen nothing, and a coefficient's DP guarantee says nothing about extrapolation.
 */

/** Rows per call: enough for a batch scoring job, small enough to answer within a request. */
export const maxPredictRows = 1000;

/** The built-in upstream of a model's API. */
export const modelUpstream = (modelId: string) => `lab-model:${modelId}`;

/** One input a caller gives per row: a feature's column, numeric or (for an indicator) its value. */
interface ModelInput {
  column: string;
  /** Numeric features: the clamping bounds. */
  bounds?: { lower: number; upper: number };
  /** Indicator features on this column: the value each one tests and its coefficient. */
  indicators: { equals: string | number; coefficient: number }[];
  coefficient: number;
}

function inputsOf(card: ModelCard): ModelInput[] {
  const byColumn = new Map<string, ModelInput>();
  for (const feature of card.features) {
    let input = byColumn.get(feature.column);
    if (!input) {
      input = { column: feature.column, indicators: [], coefficient: 0 };
      byColumn.set(feature.column, input);
    }
    const coefficient = card.coefficients[feature.column] ?? 0;
    if (feature.equals !== undefined) input.indicators.push({ equals: feature.equals, coefficient });
    else {
      input.bounds = { lower: feature.lower, upper: feature.upper };
      input.coefficient = coefficient;
    }
  }
  return [...byColumn.values()];
}

/**
 * A model whose card can be served unambiguously: the card keys coefficients by column, so a column
 * used by two features (two indicators, or an indicator and a number) has one coefficient for both.
 */
export function servableProblem(card: ModelCard): string | null {
  const columns = card.features.map((feature) => feature.column);
  const repeated = columns.find((column, i) => columns.indexOf(column) !== i);
  return repeated ? `the column ${repeated} is used by more than one feature` : null;
}

const outputName = (card: ModelCard) => (card.kind === 'logistic-regression' ? 'probability' : 'value');

/** The OpenAPI 3.1 document of a model's API, from its card: what a consumer reads in the hub. */
export function modelDocument(card: ModelCard, options: { title: string; description?: string }) {
  const inputs = inputsOf(card);
  const properties: Record<string, unknown> = {};
  for (const input of inputs) {
    properties[input.column] = input.bounds
      ? {
          type: 'number',
          description: `clamped to [${input.bounds.lower}, ${input.bounds.upper}], the bounds the model was trained within`,
          'x-clamp': input.bounds,
        }
      : {
          type: ['string', 'number'],
          description: `indicator: ${input.indicators.map((i) => JSON.stringify(i.equals)).join(', ')} count as 1, anything else as 0`,
        };
  }
  const output = outputName(card);
  const logistic = card.kind === 'logistic-regression';
  const metrics = Object.entries(card.metrics)
    .filter(([name]) => name !== 'laplaceScale')
    .map(([name, value]) => `${name} ${typeof value === 'number' ? Number(value.toFixed(4)) : value}`)
    .join(', ');
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: String(card.version),
      description: [
        options.description ??
          `${card.kind} of ${card.target}, trained with differential privacy in the Data Lab.`,
        `Privacy: ε ${card.privacy.epsilon}, δ ${card.privacy.delta} (${card.privacy.mechanism}).`,
        `Noisy held-out metrics: ${metrics}.`,
        `Model: ${card.name} version ${card.version}; spec sha256 ${card.specSha256}.`,
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'model' }],
    paths: {
      '/predict': {
        post: {
          operationId: 'predict',
          tags: ['model'],
          summary: logistic
            ? `Probability that ${card.target}, per row`
            : `Predicted ${card.target}, per row`,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['rows'],
                  additionalProperties: false,
                  properties: {
                    rows: {
                      type: 'array',
                      minItems: 1,
                      maxItems: maxPredictRows,
                      items: {
                        type: 'object',
                        required: inputs.map((input) => input.column),
                        additionalProperties: false,
                        properties,
                      },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '200': {
              description: `one ${output} per row, in the order given`,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['model', 'predictions'],
                    properties: {
                      model: {
                        type: 'object',
                        properties: { name: { type: 'string' }, version: { type: 'integer' } },
                      },
                      predictions: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: [output],
                          properties: {
                            [output]: logistic
                              ? { type: 'number', minimum: 0, maximum: 1 }
                              : { type: 'number' },
                            clamped: {
                              type: 'array',
                              items: { type: 'string' },
                              description: 'the inputs that were outside their bounds and were clamped',
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            '400': { description: 'the input names the field that is wrong (application/problem+json)' },
          },
        },
      },
    },
  };
}

const invalid = (field: string, message: string) =>
  new AppError('request-invalid', `${field}: ${message}`, { errors: [{ field, message }] });

export interface Prediction {
  probability?: number;
  value?: number;
  clamped?: string[];
}

/** Scores a batch of rows; a wrong row is refused naming its field (`rows/3/age`). */
export function predict(card: ModelCard, input: unknown): Prediction[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('body', 'must be a JSON object with rows');
  }
  const extra = Object.keys(input).find((key) => key !== 'rows');
  if (extra !== undefined) throw invalid(extra, 'is not a known property; send {"rows": [...]}');
  const rows = (input as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) throw invalid('rows', 'must be an array of rows');
  if (rows.length < 1 || rows.length > maxPredictRows) {
    throw invalid('rows', `must hold 1 to ${maxPredictRows} rows, not ${rows.length}`);
  }
  const inputs = inputsOf(card);
  const known = new Set(inputs.map((i) => i.column));
  const logistic = card.kind === 'logistic-regression';
  return rows.map((row, r) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw invalid(`rows/${r}`, 'must be an object of feature values');
    }
    const unknownField = Object.keys(row).find((key) => !known.has(key));
    if (unknownField !== undefined) {
      throw invalid(`rows/${r}/${unknownField}`, `is not a feature of this model (${[...known].join(', ')})`);
    }
    let eta = card.intercept;
    const clamped: string[] = [];
    for (const feature of inputs) {
      const field = `rows/${r}/${feature.column}`;
      const value = (row as Record<string, unknown>)[feature.column];
      if (value === undefined || value === null) throw invalid(field, 'is required');
      if (feature.bounds) {
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw invalid(field, 'must be a finite number');
        const { lower, upper } = feature.bounds;
        const x = Math.min(upper, Math.max(lower, value));
        if (x !== value) clamped.push(feature.column);
        eta += feature.coefficient * x;
      } else {
        if (typeof value !== 'string' && typeof value !== 'number') {
          throw invalid(field, 'must be a string or a number');
        }
        for (const indicator of feature.indicators) {
          if (String(indicator.equals) === String(value)) eta += indicator.coefficient;
        }
      }
    }
    const prediction: Prediction = logistic ? { probability: 1 / (1 + Math.exp(-eta)) } : { value: eta };
    if (clamped.length > 0) prediction.clamped = clamped;
    return prediction;
  });
}

/**
 * The `lab-model` handler of the gateway's built-in upstreams. A released model's card never
 * changes, so each is read once and kept; a model that is not released (or no longer exists) is
 * not served.
 */
export function modelServing(db: Db) {
  const cards = new Map<string, ModelCard>();
  const cardOf = async (modelId: string): Promise<ModelCard | null> => {
    const cached = cards.get(modelId);
    if (cached) return cached;
    const [row] = await db
      .select({ card: labModels.card })
      .from(labModels)
      .where(and(eq(labModels.id, modelId), eq(labModels.state, 'released')));
    if (!row) return null;
    cards.set(modelId, row.card);
    return row.card;
  };
  return async (call: {
    id: string;
    method: string;
    path: string;
    contentType: string | undefined;
    body: Buffer;
  }) => {
    if (call.method !== 'POST' || call.path !== '/predict') {
      throw new AppError('not-found', `this model answers POST /predict only`);
    }
    const card = await cardOf(call.id);
    if (!card) throw new AppError('unavailable', 'the model behind this API is not released');
    if (!call.contentType?.toLowerCase().startsWith('application/json')) {
      throw invalid('content-type', 'send application/json');
    }
    let input: unknown;
    try {
      input = JSON.parse(call.body.toString('utf8'));
    } catch {
      throw new AppError('malformed-json', 'the request body is not valid JSON');
    }
    return {
      status: 200,
      body: { model: { name: card.name, version: card.version }, predictions: predict(card, input) },
    };
  };
}
