import type { DuckDBResult } from '@duckdb/node-api';
import { cryptoUniform } from './dp.js';
import type { ModelKind } from './job-spec.js';
import {
  type LinearNoise,
  type NoisyMetrics,
  noisyMetrics,
  type PrivacySpent,
  RowBuffer,
  trainLinear,
  trainLogistic,
} from './training.js';

/**
 * One training run inside a query worker: the rows of the job's SQL (features scaled into [−1, 1],
 * the target, whether the row is held out) are read chunk by chunk into Float64Arrays, the model is
 * trained on the training part and measured, with noise, on the held-out part. Nothing but the
 * noisy outcome leaves the worker.
 */

export interface TrainingRequest {
  kind: ModelKind;
  features: number;
  epsilon: number;
  delta: number;
  noise: LinearNoise;
  epochs: number;
  /** Expected rows per DP-SGD step; null: about 1% of the training rows, within [64, 4096]. */
  batchSize: number | null;
  learningRate: number;
  clipNorm: number;
  /** A linear target's half-range, for the RMSE in its units. */
  targetHalfRange: number;
}

export interface TrainingOutcome {
  beta: number[];
  privacy: PrivacySpent;
  metrics: NoisyMetrics;
}

export async function runTraining(
  result: DuckDBResult,
  request: TrainingRequest,
  onProgress: (done: number) => void,
): Promise<TrainingOutcome> {
  const p = request.features + 1;
  const train = new RowBuffer(p);
  const test = new RowBuffer(p);
  const features = new Float64Array(request.features);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const columns = chunk.getColumns();
    const held = columns[p]!;
    const target = columns[request.features]!;
    for (let i = 0; i < chunk.rowCount; i++) {
      for (let j = 0; j < request.features; j++) features[j] = Number(columns[j]![i]);
      (held[i] ? test : train).push(features, Number(target[i]));
    }
  }
  const uniform = cryptoUniform();
  const rows = train.rows();
  if (rows.n === 0) throw new Error('Training Error: no rows to train on');
  const trained =
    request.kind === 'linear-regression'
      ? trainLinear(rows, { epsilon: request.epsilon, delta: request.delta, noise: request.noise, uniform })
      : trainLogistic(rows, {
          epsilon: request.epsilon,
          delta: request.delta,
          epochs: request.epochs,
          batchSize: request.batchSize ?? Math.min(4096, Math.max(64, Math.round(rows.n / 100))),
          learningRate: request.learningRate,
          clipNorm: request.clipNorm,
          uniform,
          onProgress,
        });
  const metrics = noisyMetrics(request.kind, trained.beta, test.rows(), {
    epsilon: request.epsilon,
    uniform,
    targetHalfRange: request.targetHalfRange,
  });
  return { ...trained, metrics };
}
