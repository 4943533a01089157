import { noiseMultiplierFor, sampledGaussianEpsilon } from './accountant.js';
import { laplace, type UniformSource } from './dp.js';

/**
 * Differentially private model training over rows already clamped and scaled (see
 * docs/differential-privacy.md, "Model training"). Each row belongs to one subject (the job takes
 * one row per subject), so a neighbouring dataset adds or removes one row.
 *
 * Rows arrive as the intercept 1 followed by every feature scaled into [−1, 1]; a linear target is
 * scaled into [−1, 1] too, a logistic one is 0 or 1. Arrays are Float64Array so a million rows of
 * twenty features train in seconds. Runs in the query worker process (worker-process.ts).
 */

/** Rows of one split: n rows × p columns, row-major. */
export interface Rows {
  x: Float64Array;
  y: Float64Array;
  n: number;
  p: number;
}

/**
 * A scaled value as the sensitivity analysis assumes it: within [−1, 1], and 0 when it is not a
 * number at all. The job's SQL scales and clamps already; this holds the bound if that SQL ever
 * does not (one row outside [−1, 1] is one subject the noise was not sized for).
 */
export function unitClamped(value: number): number {
  return Number.isNaN(value) ? 0 : Math.max(-1, Math.min(1, value));
}

/** Rows appended one at a time into arrays that grow by doubling; every value clamped into [−1, 1]. */
export class RowBuffer {
  private x: Float64Array;
  private y: Float64Array;
  n = 0;

  constructor(readonly p: number) {
    this.x = new Float64Array(1024 * p);
    this.y = new Float64Array(1024);
  }

  push(features: ArrayLike<number>, target: number): void {
    if (this.n === this.y.length) {
      const x = new Float64Array(this.x.length * 2);
      x.set(this.x);
      this.x = x;
      const y = new Float64Array(this.y.length * 2);
      y.set(this.y);
      this.y = y;
    }
    const offset = this.n * this.p;
    this.x[offset] = 1;
    for (let j = 1; j < this.p; j++) this.x[offset + j] = unitClamped(features[j - 1]!);
    this.y[this.n] = unitClamped(target);
    this.n += 1;
  }

  rows(): Rows {
    return { x: this.x.subarray(0, this.n * this.p), y: this.y.subarray(0, this.n), n: this.n, p: this.p };
  }
}

/** One N(0, 1) draw (Box–Muller over the given uniform source). */
export function gaussian(uniform: UniformSource): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export type LinearNoise = 'gaussian' | 'laplace';

export interface PrivacySpent {
  mechanism: string;
  epsilon: number;
  delta: number;
  /** Gaussian noise standard deviation over the L2 sensitivity (Gaussian mechanisms). */
  noiseMultiplier?: number;
  /** Laplace scale of each released statistic (Laplace mechanism). */
  laplaceScale?: number;
  steps?: number;
  samplingRate?: number;
}

export interface Trained {
  /** Coefficients in the scaled space: the intercept, then one per feature. */
  beta: number[];
  privacy: PrivacySpent;
}

/** Solves A·β = b for symmetric positive definite A (p × p, row-major) by Cholesky; null if A is not. */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * p + i] = Math.sqrt(sum);
      } else l[i * p + j] = sum / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * z[k]!;
    z[i] = sum / l[i * p + i]!;
  }
  const beta = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * beta[k]!;
    beta[i] = sum / l[i * p + i]!;
  }
  return beta;
}

/**
 * Linear regression from noisy sufficient statistics (Dwork et al. 2014 "Analyze Gauss"; Wang 2018
 * "Revisiting differentially private linear regression"): XᵀX (upper triangle) and Xᵀy are released
 * once with noise, then solved. One row x (intercept 1, features in [−1, 1]) with target y ∈ [−1, 1]
 * changes the released vector by (x_j·x_k)_{j≤k} ‖ (x_j·y)_j, whose L2 norm is at most
 * √(p(p+1)/2 + p) and L1 norm at most p(p+1)/2 + p. Gaussian noise of standard deviation
 * multiplier·Δ₂ (the multiplier from the RDP accountant for one step) gives (ε, δ)-DP; Laplace noise
 * of scale Δ₁/ε gives ε-DP. A noisy XᵀX can lose positive definiteness: a ridge λ·I is added, from
 * the noise's scale, doubling until Cholesky succeeds.
 */
export function trainLinear(
  rows: Rows,
  options: { epsilon: number; delta: number; noise: LinearNoise; uniform: UniformSource },
): Trained {
  const { p } = rows;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let i = 0; i < rows.n; i++) {
    const offset = i * p;
    const y = rows.y[i]!;
    for (let j = 0; j < p; j++) {
      const xj = rows.x[offset + j]!;
      xty[j]! += xj * y;
      for (let k = j; k < p; k++) xtx[j * p + k]! += xj * rows.x[offset + k]!;
    }
  }
  const released = (p * (p + 1)) / 2 + p;
  let draw: () => number;
  let scale: number;
  let privacy: PrivacySpent;
  if (options.noise === 'gaussian') {
    const multiplier = noiseMultiplierFor({ q: 1, steps: 1, delta: options.delta, epsilon: options.epsilon });
    scale = multiplier * Math.sqrt(released);
    draw = () => scale * gaussian(options.uniform);
    privacy = {
      mechanism: 'gaussian-sufficient-statistics',
      epsilon: sampledGaussianEpsilon({ q: 1, noiseMultiplier: multiplier, steps: 1, delta: options.delta }),
      delta: options.delta,
      noiseMultiplier: multiplier,
    };
  } else {
    scale = released / options.epsilon;
    draw = () => laplace(scale, options.uniform);
    privacy = {
      mechanism: 'laplace-sufficient-statistics',
      epsilon: options.epsilon,
      delta: 0,
      laplaceScale: scale,
    };
  }
  for (let j = 0; j < p; j++) {
    xty[j]! += draw();
    for (let k = j; k < p; k++) {
      xtx[j * p + k]! += draw();
      xtx[k * p + j] = xtx[j * p + k]!;
    }
  }
  for (let ridge = 0, attempt = 0; attempt < 60; attempt++) {
    const a = Float64Array.from(xtx);
    for (let j = 0; j < p; j++) a[j * p + j]! += ridge;
    const beta = choleskySolve(a, xty, p);
    if (beta) return { beta: Array.from(beta), privacy };
    ridge = ridge === 0 ? scale * Math.sqrt(p) : ridge * 2;
  }
  throw new Error('the noisy normal equations could not be solved');
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export interface SgdOptions {
  epsilon: number;
  delta: number;
  epochs: number;
  /** Expected rows per step (Poisson sampling rate q = batchSize / n). */
  batchSize: number;
  learningRate: number;
  /** Per-example gradient L2 bound C. */
  clipNorm: number;
  uniform: UniformSource;
  /** Called now and then with the share of steps done. */
  onProgress?: (done: number) => void;
}

/**
 * Logistic regression by DP-SGD (Abadi et al. 2016): each step draws every row independently with
 * probability q (Poisson sampling, by geometric skips so a step costs O(q·n)), clips each row's
 * gradient to L2 norm C, adds N(0, (σC)²) to the sum of each coordinate and divides by the expected
 * batch q·n. σ is the least noise multiplier the RDP accountant (accountant.ts) finds for
 * T = ⌈epochs/q⌉ steps at (ε, δ). As in Opacus and TF Privacy, the number of training rows n is
 * taken as public (a lab's dataset row counts are shown to its members).
 */
export function trainLogistic(rows: Rows, options: SgdOptions): Trained {
  const { p, n } = rows;
  if (n === 0) throw new Error('no training rows');
  const q = Math.min(1, options.batchSize / n);
  const steps = Math.max(1, Math.ceil(options.epochs / q));
  const multiplier = noiseMultiplierFor({ q, steps, delta: options.delta, epsilon: options.epsilon });
  const w = new Float64Array(p);
  const gradient = new Float64Array(p);
  const logSkip = Math.log1p(-q);
  const expected = q * n;
  const noise = multiplier * options.clipNorm;
  const reportEvery = Math.max(1, Math.floor(steps / 100));
  for (let step = 0; step < steps; step++) {
    gradient.fill(0);
    // Poisson sampling: the gap to the next drawn row is geometric with success probability q.
    let i = q === 1 ? 0 : Math.floor(Math.log(options.uniform()) / logSkip);
    while (i < n) {
      const offset = i * p;
      let z = 0;
      let squared = 0;
      for (let j = 0; j < p; j++) {
        const xj = rows.x[offset + j]!;
        z += w[j]! * xj;
        squared += xj * xj;
      }
      const residual = sigmoid(z) - rows.y[i]!;
      const norm = Math.abs(residual) * Math.sqrt(squared);
      const factor = norm > options.clipNorm ? (residual * options.clipNorm) / norm : residual;
      for (let j = 0; j < p; j++) gradient[j]! += factor * rows.x[offset + j]!;
      i += q === 1 ? 1 : 1 + Math.floor(Math.log(options.uniform()) / logSkip);
    }
    const rate = options.learningRate / expected;
    for (let j = 0; j < p; j++) w[j]! -= rate * (gradient[j]! + noise * gaussian(options.uniform));
    if (options.onProgress && step % reportEvery === 0) options.onProgress(step / steps);
  }
  return {
    beta: Array.from(w),
    privacy: {
      mechanism: 'dp-sgd',
      epsilon: sampledGaussianEpsilon({ q, noiseMultiplier: multiplier, steps, delta: options.delta }),
      delta: options.delta,
      noiseMultiplier: multiplier,
      steps,
      samplingRate: q,
    },
  };
}

function linearPredictor(beta: readonly number[], x: Float64Array, offset: number): number {
  let z = 0;
  for (let j = 0; j < beta.length; j++) z += beta[j]! * x[offset + j]!;
  return z;
}

/** Histogram bins of predicted probability for the noisy AUC and accuracy. */
export const scoreBins = 20;

export interface NoisyMetrics {
  /** Test rows, with Laplace noise. */
  testRows: number;
  rmse?: number;
  auc?: number;
  accuracy?: number;
  /** The Laplace scale of each noisy statistic behind the metrics. */
  laplaceScale: number;
}

/**
 * Metrics on the held-out split with Laplace noise. The held-out subjects are not the training
 * subjects (the split is a fixed function of the pseudonym), so by parallel composition the
 * metrics cost no ε beyond the training's: each subject is in one of the two parts.
 * - Linear: the count (sensitivity 1, ε/5) and the sum of squared scaled residuals, each clipped
 *   to [−2, 2] (sensitivity 4, 4ε/5): both Laplace(5/ε).
 * - Logistic: one histogram of predicted probabilities in 20 bins, for positives and negatives
 *   (each row falls in one cell: L1 sensitivity 1), Laplace(1/ε) per cell, counts below 0 set to 0;
 *   AUC from the binned histograms (ties in a bin count a half), accuracy at threshold 0.5.
 */
export function noisyMetrics(
  kind: 'linear-regression' | 'logistic-regression',
  beta: readonly number[],
  rows: Rows,
  options: { epsilon: number; uniform: UniformSource; targetHalfRange?: number },
): NoisyMetrics {
  if (kind === 'linear-regression') {
    // ε/5 for the count (sensitivity 1), 4ε/5 for the sum of squares (sensitivity 4): both get
    // the Laplace scale 5/ε, and the sum, the noisier of the two relative to its size, gets more ε.
    const scale = 5 / options.epsilon;
    let squared = 0;
    for (let i = 0; i < rows.n; i++) {
      const residual = Math.max(-2, Math.min(2, linearPredictor(beta, rows.x, i * rows.p) - rows.y[i]!));
      squared += residual * residual;
    }
    const count = Math.max(1, rows.n + laplace(scale, options.uniform));
    const noisySquared = Math.max(0, squared + laplace(scale, options.uniform));
    const half = options.targetHalfRange ?? 1;
    return {
      testRows: Math.round(count),
      rmse: Math.sqrt(noisySquared / count) * half,
      laplaceScale: scale,
    };
  }
  const positives = new Float64Array(scoreBins);
  const negatives = new Float64Array(scoreBins);
  for (let i = 0; i < rows.n; i++) {
    const probability = sigmoid(linearPredictor(beta, rows.x, i * rows.p));
    const bin = Math.min(scoreBins - 1, Math.floor(probability * scoreBins));
    if (rows.y[i]! > 0.5) positives[bin]! += 1;
    else negatives[bin]! += 1;
  }
  const scale = 1 / options.epsilon;
  for (let bin = 0; bin < scoreBins; bin++) {
    positives[bin] = Math.max(0, positives[bin]! + laplace(scale, options.uniform));
    negatives[bin] = Math.max(0, negatives[bin]! + laplace(scale, options.uniform));
  }
  let totalPositive = 0;
  let totalNegative = 0;
  for (let bin = 0; bin < scoreBins; bin++) {
    totalPositive += positives[bin]!;
    totalNegative += negatives[bin]!;
  }
  // AUC: the chance a random positive scores above a random negative.
  let negativesBelow = 0;
  let concordant = 0;
  for (let bin = 0; bin < scoreBins; bin++) {
    concordant += positives[bin]! * (negativesBelow + negatives[bin]! / 2);
    negativesBelow += negatives[bin]!;
  }
  let correct = 0;
  for (let bin = 0; bin < scoreBins; bin++) {
    correct += bin >= scoreBins / 2 ? positives[bin]! : negatives[bin]!;
  }
  const total = totalPositive + totalNegative;
  return {
    testRows: Math.round(total),
    auc: totalPositive > 0 && totalNegative > 0 ? concordant / (totalPositive * totalNegative) : 0.5,
    accuracy: total > 0 ? correct / total : 0,
    laplaceScale: scale,
  };
}

/** A feature's clamping bounds: its values are cut into [lower, upper] and scaled to [−1, 1]. */
export interface ScaledFeature {
  name: string;
  lower: number;
  upper: number;
}

/**
 * Coefficients in the features' own units from those in the scaled space: with
 * s_j = (x_j − m_j)/h_j (m the middle, h the half-range), β₀ + Σ β_j·s_j = b₀ + Σ b_j·x_j with
 * b_j = β_j/h_j and b₀ = β₀ − Σ β_j·m_j/h_j; a linear target scaled the same way multiplies all by
 * its half-range and adds its middle.
 */
export function unscaleCoefficients(
  beta: readonly number[],
  features: readonly ScaledFeature[],
  target?: { lower: number; upper: number },
): { intercept: number; coefficients: Record<string, number> } {
  const targetHalf = target ? (target.upper - target.lower) / 2 : 1;
  const targetMiddle = target ? (target.upper + target.lower) / 2 : 0;
  let intercept = beta[0]!;
  const coefficients: Record<string, number> = {};
  features.forEach((feature, j) => {
    const middle = (feature.upper + feature.lower) / 2;
    const half = (feature.upper - feature.lower) / 2;
    const b = beta[j + 1]! / half;
    coefficients[feature.name] = b * targetHalf;
    intercept -= b * middle;
  });
  return { intercept: intercept * targetHalf + targetMiddle, coefficients };
}
