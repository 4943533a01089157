import { describe, expect, it } from 'vitest';
import {
  epsilonFromRdp,
  noiseMultiplierFor,
  rdpGaussian,
  rdpOrders,
  rdpSampledGaussian,
  sampledGaussianEpsilon,
} from './accountant.js';

/** The standard normal density. */
const phi = (x: number, sigma: number) =>
  Math.exp((-x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));

/**
 * A_α of the sampled Gaussian straight from its definition, by numerical integration:
 * A_α = ∫ μ0(z)·((1 − q) + q·μ1(z)/μ0(z))^α dz with μ0 = N(0, σ²), μ1 = N(1, σ²) (Mironov, Talwar,
 * Zhang 2019, Section 3) — the reference dp_accounting's own test computes with mpmath.quad.
 */
function integratedLogA(q: number, sigma: number, order: number): number {
  // The integrand's mass moves right with α/σ²: the range reaches well past it.
  const from = -15 * sigma - 2;
  const to = 15 * sigma + 2 + order / (sigma * sigma);
  const steps = 200_000;
  const h = (to - from) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const z = from + i * h;
    const ratio = 1 - q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma));
    const value = phi(z, sigma) * ratio ** order;
    sum += (i === 0 || i === steps ? 0.5 : 1) * value;
  }
  return Math.log(sum * h);
}

describe('RDP accountant', () => {
  it('gives the Gaussian mechanism (q = 1) its closed form α/(2σ²), composed over steps', () => {
    for (const sigma of [0.7, 1.1, 4.53]) {
      for (const order of [2, 7, 32]) {
        expect(rdpSampledGaussian(1, sigma, order)).toBeCloseTo(order / (2 * sigma * sigma), 12);
        expect(rdpGaussian(sigma, order)).toBeCloseTo(order / (2 * sigma * sigma), 12);
      }
    }
    // ε of T full-batch Gaussian steps, computed here from the closed form and the conversion.
    const sigma = 3;
    const steps = 10;
    const delta = 1e-5;
    let expected = Number.POSITIVE_INFINITY;
    for (const order of rdpOrders) {
      const r = (steps * order) / (2 * sigma * sigma);
      expected = Math.min(expected, r + Math.log(1 - 1 / order) - Math.log(delta * order) / (order - 1));
    }
    expect(sampledGaussianEpsilon({ q: 1, noiseMultiplier: sigma, steps, delta })).toBeCloseTo(expected, 10);
  });

  it("matches Google dp_accounting's reference RDP of the Poisson-sampled Gaussian (q 0.01, σ 2.5, 50 steps)", () => {
    // Reference values from google/differential-privacy, python/dp_accounting/dp_accounting/rdp/
    // rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian (also in TF Privacy's
    // rdp_accountant_test): orders 5, 50, 100 → 2.18075656e-03, 2.38460375e-02, 1.67416308e+02.
    const cases: [number, number][] = [
      [5, 2.18075656e-3],
      [50, 2.38460375e-2],
      [100, 1.67416308e2],
    ];
    for (const [order, reference] of cases) {
      const rdp = 50 * rdpSampledGaussian(0.01, 2.5, order);
      expect(Math.abs(rdp - reference) / reference).toBeLessThan(1e-4);
    }
  });

  it('agrees with the definition of A_α integrated numerically', () => {
    for (const [q, sigma, order] of [
      [0.01, 1, 8],
      [0.1, 2, 20],
      [0.5, 1.5, 4],
    ] as const) {
      const logA = rdpSampledGaussian(q, sigma, order) * (order - 1);
      // dp_accounting's own test compares with rtol 1e-4.
      expect(Math.abs(logA - integratedLogA(q, sigma, order)) / logA).toBeLessThan(1e-6);
    }
  });

  it("converts RDP to (ε, δ) as dp_accounting's compute_epsilon does (pure DP reference 1.32783806176)", () => {
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const { epsilon, order } = epsilonFromRdp(
      orders,
      orders.map(() => 1.1),
      1e-5,
    );
    expect(epsilon).toBeCloseTo(1.32783806176, 9);
    expect(order).toBe(32);
  });

  it('spends less with more noise and more with more steps, and calibrates the noise to a target ε', () => {
    const base = { q: 0.01, steps: 1000, delta: 1e-5 };
    expect(sampledGaussianEpsilon({ ...base, noiseMultiplier: 2 })).toBeLessThan(
      sampledGaussianEpsilon({ ...base, noiseMultiplier: 1 }),
    );
    expect(sampledGaussianEpsilon({ ...base, steps: 2000, noiseMultiplier: 1 })).toBeGreaterThan(
      sampledGaussianEpsilon({ ...base, noiseMultiplier: 1 }),
    );
    for (const target of [0.5, 1, 3]) {
      const multiplier = noiseMultiplierFor({ ...base, epsilon: target });
      const spent = sampledGaussianEpsilon({ ...base, noiseMultiplier: multiplier });
      expect(spent).toBeLessThanOrEqual(target);
      expect(spent).toBeGreaterThan(target * 0.98);
    }
  });
});
