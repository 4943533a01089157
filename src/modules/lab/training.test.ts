import { describe, expect, it } from 'vitest';
import { seededUniform } from './dp.js';
import {
  gaussian,
  noisyMetrics,
  RowBuffer,
  trainLinear,
  trainLogistic,
  unscaleCoefficients,
} from './training.js';

/** Rows with a planted relationship in the scaled space: features uniform in [−1, 1]. */
function plantedRows(
  n: number,
  truth: number[],
  kind: 'linear' | 'logistic',
  seed: number,
): ReturnType<RowBuffer['rows']> {
  const uniform = seededUniform(seed);
  const buffer = new RowBuffer(truth.length);
  const features = new Float64Array(truth.length - 1);
  for (let i = 0; i < n; i++) {
    let z = truth[0]!;
    for (let j = 0; j < features.length; j++) {
      features[j] = 2 * uniform() - 1;
      z += truth[j + 1]! * features[j]!;
    }
    const y =
      kind === 'linear'
        ? Math.max(-1, Math.min(1, z + 0.1 * gaussian(uniform)))
        : uniform() < 1 / (1 + Math.exp(-z))
          ? 1
          : 0;
    buffer.push(features, y);
  }
  return buffer.rows();
}

describe('private model training', () => {
  it('recovers a planted linear relationship from noisy sufficient statistics at ε = 1', () => {
    const truth = [0.1, 0.5, -0.3, 0];
    const rows = plantedRows(20_000, truth, 'linear', 11);
    for (const noise of ['gaussian', 'laplace'] as const) {
      const trained = trainLinear(rows, { epsilon: 1, delta: 1e-6, noise, uniform: seededUniform(5) });
      expect(trained.privacy.epsilon).toBeLessThanOrEqual(1);
      for (let j = 0; j < truth.length; j++)
        expect(Math.abs(trained.beta[j]! - truth[j]!)).toBeLessThan(0.05);
    }
  });

  it('recovers a planted logistic relationship by DP-SGD at ε = 1, and its noisy AUC is high', () => {
    const truth = [-1, 1.5, 2, 0];
    const rows = plantedRows(40_000, truth, 'logistic', 12);
    const test = plantedRows(10_000, truth, 'logistic', 13);
    const trained = trainLogistic(rows, {
      epsilon: 1,
      delta: 1e-6,
      epochs: 5,
      batchSize: 1000,
      learningRate: 2,
      clipNorm: 1,
      uniform: seededUniform(6),
    });
    expect(trained.privacy.epsilon).toBeLessThanOrEqual(1);
    expect(trained.privacy.epsilon).toBeGreaterThan(0.97);
    const [intercept, first, second, none] = trained.beta as [number, number, number, number];
    expect(intercept).toBeLessThan(0);
    // Sign and rough size: within 35% of the planted coefficients, the null feature near 0.
    expect(first / 1.5).toBeGreaterThan(0.65);
    expect(first / 1.5).toBeLessThan(1.35);
    expect(second / 2).toBeGreaterThan(0.65);
    expect(second / 2).toBeLessThan(1.35);
    expect(Math.abs(none)).toBeLessThan(0.3);
    const metrics = noisyMetrics('logistic-regression', trained.beta, test, {
      epsilon: 1,
      uniform: seededUniform(7),
    });
    // The planted model's own AUC on these rows is about 0.84.
    expect(metrics.auc).toBeGreaterThan(0.78);
    expect(Math.abs(metrics.testRows - 10_000)).toBeLessThan(200);
  });

  it('turns scaled coefficients back into the units of the features', () => {
    // logit = −1 + 0.04·(age − 50)/… : with age in [20, 80] (middle 50, half 30) and β = 1.2.
    const { intercept, coefficients } = unscaleCoefficients(
      [-1, 1.2],
      [{ name: 'age', lower: 20, upper: 80 }],
    );
    expect(coefficients.age).toBeCloseTo(0.04, 12);
    expect(intercept).toBeCloseTo(-1 - 0.04 * 50, 12);
    // A linear target in [0, 200] (middle 100, half 100).
    const linear = unscaleCoefficients([0.5, 0.3], [{ name: 'x', lower: 0, upper: 10 }], {
      lower: 0,
      upper: 200,
    });
    // ŷ = 100 + 100·(0.5 + 0.3·(x − 5)/5) = 150 + 6x − 30.
    expect(linear.coefficients.x).toBeCloseTo(6, 12);
    expect(linear.intercept).toBeCloseTo(120, 12);
  });
});
