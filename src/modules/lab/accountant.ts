/**
 * The privacy accountant of model training: Rényi differential privacy (RDP, Mironov 2017) of the
 * Gaussian mechanism, alone and Poisson-subsampled, composed over steps and converted to (ε, δ).
 * See docs/differential-privacy.md ("Model training").
 *
 * - A mechanism is (α, r)-RDP when the Rényi divergence of order α between its outputs on two
 *   neighbouring datasets (one subject added or removed) is at most r. RDP composes by addition:
 *   T steps of an (α, r)-RDP step are (α, T·r)-RDP.
 * - The Gaussian mechanism with noise multiplier σ (noise standard deviation σ·Δ for L2
 *   sensitivity Δ) is (α, α/(2σ²))-RDP for every α > 1 (Mironov 2017, Proposition 7).
 * - Each row drawn independently with probability q (Poisson subsampling) before a Gaussian step:
 *   for integer α ≥ 2 the RDP is log(A_α)/(α − 1) with
 *   A_α = Σ_{i=0..α} C(α, i)·(1 − q)^{α−i}·q^i·exp((i² − i)/(2σ²))
 *   (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
 *   Section 3.3; the same sum as `_compute_log_a_int` in TensorFlow Privacy, Opacus and Google's
 *   dp_accounting). Only integer orders are used: the bound stays valid, at most a little looser
 *   than with fractional orders.
 * - (α, r)-RDP implies (ε, δ)-DP with ε = r + log(1 − 1/α) − log(δ·α)/(α − 1) (Balle et al. 2020,
 *   "Hypothesis Testing Interpretations and Rényi Differential Privacy", Theorem 21; Canonne, Kamath,
 *   Steinke 2020), the conversion Google's dp_accounting uses; the least ε over the orders is taken.
 */

/** The orders tried: every integer from 2 to 64, then a few larger ones for very small ε or δ. */
export const rdpOrders: readonly number[] = [
  ...Array.from({ length: 63 }, (_, i) => i + 2),
  80,
  96,
  128,
  192,
  256,
];

function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 2)
    throw new Error(`RDP order must be an integer ≥ 2, got ${order}`);
}

/** RDP of one Gaussian mechanism of noise multiplier σ at order α: α/(2σ²). */
export function rdpGaussian(noiseMultiplier: number, order: number): number {
  if (!(noiseMultiplier > 0)) return Number.POSITIVE_INFINITY;
  return order / (2 * noiseMultiplier * noiseMultiplier);
}

/** RDP of one Poisson-subsampled Gaussian step (rate q, noise multiplier σ) at integer order α. */
export function rdpSampledGaussian(q: number, noiseMultiplier: number, order: number): number {
  checkOrder(order);
  if (!(q >= 0 && q <= 1)) throw new Error(`sampling rate must lie in [0, 1], got ${q}`);
  if (q === 0) return 0;
  if (q === 1) return rdpGaussian(noiseMultiplier, order);
  if (!(noiseMultiplier > 0)) return Number.POSITIVE_INFINITY;
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logBinomial = 0; // log C(α, 0)
  let logA = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= order; i++) {
    if (i > 0) logBinomial += Math.log((order - i + 1) / i);
    const term =
      logBinomial + i * logQ + (order - i) * log1mQ + (i * i - i) / (2 * noiseMultiplier * noiseMultiplier);
    logA = logAdd(logA, term);
  }
  return logA / (order - 1);
}

/** The (ε, δ) guarantee of an RDP curve: the least ε over the orders, and the order that gives it. */
export function epsilonFromRdp(
  orders: readonly number[],
  rdp: readonly number[],
  delta: number,
): { epsilon: number; order: number } {
  if (!(delta > 0 && delta < 1)) throw new Error(`δ must lie in (0, 1), got ${delta}`);
  let best = { epsilon: Number.POSITIVE_INFINITY, order: orders[0] ?? 2 };
  orders.forEach((order, i) => {
    const r = rdp[i]!;
    let epsilon: number;
    // When δ² > 1 − e^{−r} the KL bound δ ≤ √(1 − e^{−KL}) already gives ε = 0.
    if (delta * delta + Math.expm1(-r) > 0) epsilon = 0;
    else epsilon = r + Math.log1p(-1 / order) - Math.log(delta * order) / (order - 1);
    if (epsilon < best.epsilon) best = { epsilon, order };
  });
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}

export interface SampledGaussianRun {
  /** Poisson sampling rate per step (1: every row every step). */
  q: number;
  /** Noise standard deviation over the L2 sensitivity. */
  noiseMultiplier: number;
  steps: number;
  delta: number;
}

/** ε spent by `steps` Poisson-subsampled Gaussian steps, at the given δ. */
export function sampledGaussianEpsilon(run: SampledGaussianRun): number {
  const rdp = rdpOrders.map((order) => run.steps * rdpSampledGaussian(run.q, run.noiseMultiplier, order));
  return epsilonFromRdp(rdpOrders, rdp, run.delta).epsilon;
}

/**
 * The least noise multiplier (to 0.1%) whose run spends at most `epsilon`: bisection, since ε falls
 * as the noise grows. Throws when even a multiplier of 10⁴ cannot meet it.
 */
export function noiseMultiplierFor(
  run: Omit<SampledGaussianRun, 'noiseMultiplier'> & { epsilon: number },
): number {
  const spends = (multiplier: number) => sampledGaussianEpsilon({ ...run, noiseMultiplier: multiplier });
  let high = 1;
  while (spends(high) > run.epsilon) {
    high *= 2;
    if (high > 1e4) throw new Error(`no noise multiplier up to 10⁴ meets ε = ${run.epsilon}`);
  }
  let low = high / 2;
  if (spends(low) <= run.epsilon) low = 0;
  while (high - low > high * 1e-3) {
    const middle = (low + high) / 2;
    if (spends(middle) <= run.epsilon) high = middle;
    else low = middle;
  }
  return high;
}
