import { AppError } from '../../errors.js';
import type { CleanRoomPlan, PlannedColumn } from './cleanroom.js';
import { laplaceMechanism, type UniformSource } from './dp.js';
import type { LabRelease } from './schema.js';

/**
 * The release of a clean-room query's rows: noise scales from the plan and the settings, Laplace
 * noise, suppression of small groups and a 95% interval per released value. Shared by the Data Lab
 * and by aggregate-only grants whose terms ask for noise (see docs/differential-privacy.md).
 */

export interface ReleaseOptions {
  epsilon: number;
  minGroupSize: number;
  maxRowsPerSubject: number;
  maxGroupsPerSubject: number;
  uniform: UniformSource;
}

/** ln 20: a Laplace(b) draw lies within ±b·ln 20 with probability 95%. */
const laplace95 = Math.log(20);

/**
 * The noise of every column, from the plan and the settings alone (see docs/differential-privacy.md).
 * ε is split evenly over one share for the noisy subject count per group (it decides suppression,
 * is released as count(DISTINCT subject_key) and is the denominator of every avg) and one share per
 * count(*), sum and avg. With L rows and G groups per subject (G ≤ L) and values clamped to
 * [lo, hi], the L1 sensitivities over the whole table of groups are: subject count G, count(*) L,
 * sum L·max(|lo|, |hi|), avg's centred sum G·(hi − lo)/2. Throws a refusal if a scale is not a
 * positive finite number (impossible above the ε floor with bounded measures, checked anyway).
 */
export function noiseScalesOf(
  columns: PlannedColumn[],
  options: Omit<ReleaseOptions, 'uniform' | 'minGroupSize'>,
): { subjects: number; columns: (number | null)[] } {
  const paid = columns.filter((column) => ['count', 'sum', 'avg'].includes(column.kind)).length;
  const share = options.epsilon / (paid + 1);
  const L = options.maxRowsPerSubject;
  const G = Math.min(options.maxGroupsPerSubject, L);
  const subjects = G / share;
  const scales = columns.map((column) => {
    const bounds = column.bounds;
    switch (column.kind) {
      case 'count':
        return L / share;
      case 'count-subjects':
        return subjects;
      case 'sum':
        return (L * Math.max(Math.abs(bounds!.lower), Math.abs(bounds!.upper))) / share;
      case 'avg':
        return (G * (bounds!.upper - bounds!.lower)) / 2 / share;
      default:
        return null;
    }
  });
  for (const scale of [subjects, ...scales]) {
    if (scale !== null && !(Number.isFinite(scale) && scale > 0)) {
      throw new AppError('query-refused', 'clean room: ε is too small for this query; use a larger ε');
    }
  }
  return { subjects, columns: scales };
}

/**
 * Noise and suppression over the compiled query's rows (one per group: a value per planned column,
 * then the exact subject count). A group is released only if its exact subject count and its noisy
 * one are both at least k; how many groups were left out is not said. Each released value carries
 * the half-width of its 95% interval: b·ln 20 for a Laplace release of scale b; for avg, the mean of
 * the noisy centred sum over the noisy subject count, the interval is the delta-method
 * approximation ln 20 · √(b_sum² + (mean − mid)²·b_subjects²) / noisy subjects, computed from
 * released values only. min/max, where an owner allows them, are clamped but not noised.
 */
export function releaseWithNoise(
  plan: CleanRoomPlan,
  rows: unknown[][],
  options: ReleaseOptions,
): LabRelease {
  const scales = noiseScalesOf(plan.columns, options);
  const noiseScales: Record<string, number> = { __subjects: scales.subjects };
  plan.columns.forEach((column, i) => {
    if (scales.columns[i] !== null) noiseScales[column.name] = scales.columns[i]!;
  });
  const subjectsIndex = plan.columns.length;
  const released: { row: (string | number | null)[]; intervals: (number | null)[] }[] = [];
  for (const row of rows) {
    const subjects = Number(row[subjectsIndex]);
    const noisySubjects = laplaceMechanism(subjects, 1, 1 / scales.subjects, options.uniform);
    // Two conditions: the exact count meets k (no group of fewer subjects is ever released) and so
    // does the noisy one (so whether a group near k appears is itself randomised).
    if (subjects < options.minGroupSize || noisySubjects < options.minGroupSize) continue;
    const out: (string | number | null)[] = [];
    const intervals: (number | null)[] = [];
    plan.columns.forEach((column, i) => {
      const value = row[i];
      const scale = scales.columns[i]!;
      switch (column.kind) {
        case 'dimension':
          out.push(value === null ? null : (value as string | number));
          intervals.push(null);
          break;
        case 'count':
          out.push(Math.max(0, Math.round(laplaceMechanism(Number(value), 1, 1 / scale, options.uniform))));
          intervals.push(round2(scale * laplace95));
          break;
        case 'count-subjects':
          out.push(Math.max(0, Math.round(noisySubjects)));
          intervals.push(round2(scale * laplace95));
          break;
        case 'sum':
          out.push(round2(laplaceMechanism(Number(value ?? 0), 1, 1 / scale, options.uniform)));
          intervals.push(round2(scale * laplace95));
          break;
        case 'avg': {
          const { lower, upper } = column.bounds!;
          const middle = (lower + upper) / 2;
          const centred = laplaceMechanism(Number(value ?? 0), 1, 1 / scale, options.uniform);
          const mean = Math.min(upper, Math.max(lower, middle + centred / noisySubjects));
          const spread = Math.hypot(scale, (mean - middle) * scales.subjects);
          out.push(round2(mean));
          intervals.push(round2(Math.min(upper - lower, (laplace95 * spread) / noisySubjects)));
          break;
        }
        default:
          out.push(value === null ? null : Number(value));
          intervals.push(null);
      }
    });
    if (![...out, ...intervals].every((cell) => typeof cell !== 'number' || Number.isFinite(cell))) {
      throw new Error('a released value is not finite');
    }
    released.push({ row: out, intervals });
  }
  released.sort((a, b) => JSON.stringify(a.row).localeCompare(JSON.stringify(b.row)));
  return {
    columns: plan.columns.map((column) => ({ name: column.name, kind: column.kind })),
    rows: released.map((entry) => entry.row),
    intervals: released.map((entry) => entry.intervals),
    noiseScales,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
