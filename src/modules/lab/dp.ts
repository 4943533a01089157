import { randomBytes } from 'node:crypto';

/**
 * Differential privacy for the clean room (see docs/differential-privacy.md).
 *
 * The Laplace mechanism: a query f with L1 sensitivity Δ (the most one subject's data can change
 * it) released as f + Lap(Δ/ε) is ε-differentially private (Dwork, McSherry, Nissim, Smith 2006;
 * Dwork & Roth, "The Algorithmic Foundations of Differential Privacy", Theorem 3.6). Several
 * releases over the same subjects add their ε (sequential composition, Theorem 3.16); releases
 * over disjoint groups of subjects cost the largest ε among them (parallel composition), which is
 * why a GROUP BY pays once per aggregate, not once per group.
 */

/** A source of uniform numbers in the open interval (0, 1). */
export type UniformSource = () => number;

/**
 * Uniform (0,1) from the operating system's CSPRNG: 53 random bits, so every double step is
 * reachable, and 0 is excluded so log() below never sees it. Draws 8 KiB at a time.
 */
export function cryptoUniform(): UniformSource {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    for (;;) {
      if (offset + 8 > pool.length) {
        pool = randomBytes(8192);
        offset = 0;
      }
      const high = pool.readUInt32BE(offset) >>> 11; // 21 bits
      const low = pool.readUInt32BE(offset + 4); // 32 bits
      offset += 8;
      const value = (high * 2 ** 32 + low) / 2 ** 53;
      if (value > 0) return value;
    }
  };
}

/** A seeded source for tests only (mulberry32): reproducible draws, never used for releases. */
export function seededUniform(seed: number): UniformSource {
  let state = seed >>> 0;
  return () => {
    for (;;) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      if (value > 0) return value;
    }
  };
}

/** One draw from Laplace(0, scale) by inverting its CDF. Variance is 2·scale². */
export function laplace(scale: number, uniform: UniformSource): number {
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new Error(`Laplace scale must be positive, got ${scale}`);
  const u = uniform() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/** The Laplace mechanism: value + Lap(sensitivity / epsilon). */
export function laplaceMechanism(
  value: number,
  sensitivity: number,
  epsilon: number,
  uniform: UniformSource,
): number {
  return value + laplace(sensitivity / epsilon, uniform);
}

// The limits every ε budget and measure bound obeys, wherever it is set (lab, agreement terms).
export { budgetTolerance, maxMeasureBound, minEpsilonFloor } from '../../infra/privacy-limits.js';
