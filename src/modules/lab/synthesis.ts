import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import { epsilonFromRdp, rdpOrders } from './accountant.js';
import type { UniformSource } from './dp.js';
import { gaussian } from './training.js';

/**
 * Differentially private synthetic data from noisy marginals, in the manner of MST (McKenna,
 * Miklau, Sheldon 2021, "Winning the NIST Contest: A scalable and general approach to
 * differentially private synthetic data") and PrivBayes (Zhang et al. 2017). See
 * docs/differential-privacy.md, "Synthetic twins".
 *
 * 1. Every column is made discrete: a measure into equal-width bins over its clamping bounds (public:
 *    members see them) plus one bin for null; a dimension keeps its values as they are.
 * 2. One-way marginals of every column with Gaussian noise. A dimension's values are not public, so
 *    its histogram is released with Gaussian thresholding: only values whose noisy count passes a
 *    threshold τ are kept (Wilson et al. 2020, "Differentially Private SQL with Bounded User
 *    Contribution"; Google's partition selection). A value held by one subject alone passes with
 *    probability at most δ_τ over all of them.
 * 3. A maximum spanning tree of the columns: d − 1 rounds of the exponential mechanism, each picking,
 *    among the pairs that join two parts of the forest, one with probability ∝ exp(ε_r·s/(2Δ)), where
 *    s is the L1 distance between the pair's true two-way counts and what the noisy one-way marginals
 *    predict if the two were independent (Δ = L: one subject's rows move it by at most L).
 * 4. The tree's two-way marginals with Gaussian noise.
 * 5. Each edge's noisy table is fitted (iterative proportional fitting) to its two columns' noisy
 *    one-way marginals, so every column of the twin follows its own one-way marginal; rows are then
 *    drawn along the tree from a root: the root from its marginal, each child from its conditional
 *    given its parent. A measure's value is drawn uniformly within its bin.
 * 6. The L1 error of each fitted marginal against the true counts, with Gaussian noise: the
 *    utility report's measured errors.
 *
 * Steps 2–4 and 6 read the data and run in a query worker confined to the lab's files (`runSynthesis`
 * is called by worker-process.ts); they return the noisy model only. Drawing rows (`sampleTwin`) is
 * post-processing of that model and needs no data.
 *
 * Accounting is zero-concentrated DP (zCDP, Bun & Steinke 2016): the Gaussian mechanism with L2
 * sensitivity Δ and standard deviation σ is Δ²/(2σ²)-zCDP, the ε-DP exponential mechanism is
 * ε²/8-zCDP (Cesar & Rogers 2021), and zCDP adds up. ρ-zCDP is (α, αρ)-RDP at every order α, so
 * the total converts to (ε, δ) with the RDP conversion of accountant.ts; δ is split between that
 * conversion and the thresholds.
 */

/** A column of the dataset as the twin treats it. */
export interface SynthesisColumn {
  name: string;
  kind: 'dimension' | 'measure';
  /** A measure's clamping bounds (public). */
  lower?: number;
  upper?: number;
}

export interface SynthesisRequest {
  /** The lab dataset's view in the worker. */
  view: string;
  columns: SynthesisColumn[];
  epsilon: number;
  delta: number;
  /** Rows per subject that count (L): the stored random rank `subject_row` ≤ L. */
  maxRowsPerSubject: number;
  /** Equal-width bins per measure. */
  bins: number;
  /** A dimension keeps at most this many values (the most frequent by noisy count). */
  maxCategories: number;
}

/** The share of ρ each step spends. */
export const budgetShares = { oneWay: 0.35, selection: 0.15, twoWay: 0.4, report: 0.1 } as const;

/** The part of δ the thresholds take when there are dimensions; the rest goes to the zCDP conversion. */
const thresholdDeltaShare = 0.5;

export interface SynthesisPlan {
  rho: number;
  /** δ of the zCDP → (ε, δ) conversion and of the thresholds. */
  conversionDelta: number;
  thresholdDelta: number;
  /** Gaussian standard deviations: one-way cells, two-way cells, measured errors. */
  sigmaOneWay: number;
  sigmaTwoWay: number;
  sigmaReport: number;
  /** ε of each exponential-mechanism round of the tree. */
  selectionEpsilon: number;
  /** A dimension value is kept when its noisy count passes this. */
  threshold: number;
  /** The (ε, δ) the whole run spends, from the accountant. */
  epsilon: number;
  delta: number;
}

/** (ε, δ) of ρ-zCDP through the RDP curve α·ρ (accountant.ts). */
export function zcdpEpsilon(rho: number, delta: number): number {
  return epsilonFromRdp(
    rdpOrders,
    rdpOrders.map((order) => order * rho),
    delta,
  ).epsilon;
}

/** The largest ρ (to 0.01%) whose conversion spends at most ε at δ: bisection. */
export function rhoFor(epsilon: number, delta: number): number {
  let low = 0;
  let high = 1;
  while (zcdpEpsilon(high, delta) <= epsilon) high *= 2;
  while (high - low > high * 1e-4) {
    const middle = (low + high) / 2;
    if (zcdpEpsilon(middle, delta) <= epsilon) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * t with P(Z > t) ≤ p for Z ~ N(0, 1), from the Chernoff bound P(Z > t) ≤ ½·exp(−t²/2): a little
 * larger than the exact quantile, so the thresholds and stated bounds err on the safe side.
 */
export function normalTail(p: number): number {
  return p >= 0.5 ? 0 : Math.sqrt(2 * Math.log(1 / (2 * p)));
}

/** How the budget is spent for `columns` (d columns, of which `dimensions` are dimensions). */
export function planSynthesis(
  request: Pick<SynthesisRequest, 'epsilon' | 'delta' | 'maxRowsPerSubject'>,
  counts: { columns: number; dimensions: number },
): SynthesisPlan {
  const { epsilon, delta, maxRowsPerSubject: L } = request;
  const d = counts.columns;
  if (d < 1) throw new Error('a twin needs at least one column');
  const thresholdDelta = counts.dimensions > 0 ? delta * thresholdDeltaShare : 0;
  const conversionDelta = delta - thresholdDelta;
  const rho = rhoFor(epsilon, conversionDelta);
  const edges = d - 1;
  // With one column there is no tree: its share goes to the one-way marginal.
  const oneWay =
    edges > 0 ? budgetShares.oneWay : budgetShares.oneWay + budgetShares.selection + budgetShares.twoWay;
  const perColumn = (rho * oneWay) / d;
  const sigmaOneWay = L / Math.sqrt(2 * perColumn);
  const sigmaTwoWay = edges > 0 ? L / Math.sqrt((2 * rho * budgetShares.twoWay) / edges) : 0;
  // Each measured error moves by at most L: the vector of 2d − 1 errors has L2 sensitivity L·√(2d − 1).
  const reported = d + edges;
  const sigmaReport = (L * Math.sqrt(reported)) / Math.sqrt(2 * rho * budgetShares.report);
  const selectionEpsilon = edges > 0 ? Math.sqrt((8 * rho * budgetShares.selection) / edges) : 0;
  // A subject adds at most L new values to each dimension, each with count ≤ L.
  const threshold =
    counts.dimensions > 0 ? L + sigmaOneWay * normalTail(thresholdDelta / (L * counts.dimensions)) : 0;
  return {
    rho,
    conversionDelta,
    thresholdDelta,
    sigmaOneWay,
    sigmaTwoWay,
    sigmaReport,
    selectionEpsilon,
    threshold,
    epsilon: zcdpEpsilon(rho, conversionDelta),
    delta,
  };
}

/** A column of the noisy model: its discrete domain and noisy one-way counts. */
export interface ModelColumn {
  name: string;
  kind: 'dimension' | 'measure';
  /** The column's DuckDB type in the lab dataset (the twin's Parquet keeps it). */
  type: string;
  /** A dimension's kept values (text; null for SQL NULL). */
  values?: (string | null)[];
  /** A measure's bins: `bins` equal-width bins over [lower, upper], then one for null. */
  lower?: number;
  upper?: number;
  bins?: number;
  /** Noisy count per cell (negative counts possible: noise). */
  oneWay: number[];
  /** The fitted distribution the twin draws from (sums to 1). */
  distribution: number[];
}

export interface ModelEdge {
  parent: number;
  child: number;
  /** Noisy two-way counts, parent-major (parent cell × child cells). */
  noisy: number[];
  /** P(child cell | parent cell), parent-major. */
  conditional: number[];
}

export interface MarginalReport {
  /** Column names: one for a one-way marginal, two for a tree edge. */
  columns: string[];
  cells: number;
  /** Standard deviation of each cell's noise. */
  noiseStd: number;
  /** L1 error of the fitted marginal against the true counts, as a share of rows, with Gaussian noise. */
  measuredError: number;
  /**
   * A bound, holding with probability at least 95%, on the L1 distance between the twin's share of
   * rows in each cell and the data's, from the noise and the twin's size alone; values too rare to be
   * kept add their share of rows to it (the measured error includes them).
   */
  statedBound?: number;
}

export interface TwinPrivacy {
  mechanism: 'mst-gaussian';
  epsilon: number;
  delta: number;
  rho: number;
  accountant: 'zcdp';
  sigmaOneWay: number;
  sigmaTwoWay: number;
  sigmaReport: number;
  selectionEpsilon: number;
  threshold: number;
  maxRowsPerSubject: number;
}

export interface NoisyModel {
  columns: ModelColumn[];
  edges: ModelEdge[];
  /** The root of the tree (a column index). */
  root: number;
  /** Rows counted (noisy; from the first column's one-way marginal). */
  noisyRows: number;
  marginals: MarginalReport[];
  privacy: TwinPrivacy;
}

/** A measure's bin for a value: [0, bins) by clamped value, `bins` for null. */
export function binExpression(column: ModelColumn | SynthesisColumn, bins: number): string {
  const lower = column.lower!;
  const width = (column.upper! - lower) / bins;
  const value = `TRY_CAST(${quoteIdentifier(column.name)} AS DOUBLE)`;
  return (
    `CASE WHEN ${value} IS NULL OR isnan(${value}) THEN ${bins} ` +
    `ELSE least(${bins - 1}, greatest(0, floor((${value} - ${lower}) / ${width})))::INTEGER END`
  );
}

/** The marker of a row whose dimension value was not kept (too rare): counted in no cell. */
const dropped = -1;

function dimensionCodeExpression(column: ModelColumn): string {
  const values = column.values!;
  const nullIndex = values.indexOf(null);
  const text = values.map((value) => (value === null ? 'NULL' : quoteLiteral(value)));
  const name = quoteIdentifier(column.name);
  if (values.every((value) => value === null))
    return `CASE WHEN ${name} IS NULL THEN ${nullIndex} ELSE ${dropped} END`;
  return (
    `CASE WHEN ${name} IS NULL THEN ${nullIndex} ` +
    `ELSE coalesce(list_position([${text.filter((value) => value !== 'NULL').join(', ')}], CAST(${name} AS VARCHAR)) - 1, ${dropped}) END`
  );
}

/** Cells of a model column. */
export function cellsOf(column: ModelColumn): number {
  return column.kind === 'measure' ? column.bins! + 1 : column.values!.length;
}

/** Clipped at 0 and normalised; uniform when nothing is left. */
function normalise(counts: readonly number[]): number[] {
  const clipped = counts.map((count) => Math.max(0, count));
  const total = clipped.reduce((sum, count) => sum + count, 0);
  return total > 0 ? clipped.map((count) => count / total) : clipped.map(() => 1 / clipped.length);
}

/**
 * Fits a noisy two-way table (parent-major) to its margins by iterative proportional fitting and
 * returns P(child | parent). Cells clipped at 0 get a floor of a small share of the table so that
 * every cell the margins need can be reached.
 */
export function fitConditional(
  noisy: readonly number[],
  parent: readonly number[],
  child: readonly number[],
): number[] {
  const rows = parent.length;
  const columns = child.length;
  const table = noisy.map((count) => Math.max(0, count));
  const total = table.reduce((sum, count) => sum + count, 0);
  const floor = Math.max(total, 1) * 1e-6;
  for (let i = 0; i < table.length; i++) table[i] = table[i]! + floor;
  const sum = table.reduce((all, count) => all + count, 0);
  for (let i = 0; i < table.length; i++) table[i] = table[i]! / sum;
  for (let iteration = 0; iteration < 50; iteration++) {
    for (let r = 0; r < rows; r++) {
      let rowSum = 0;
      for (let c = 0; c < columns; c++) rowSum += table[r * columns + c]!;
      const factor = rowSum > 0 ? parent[r]! / rowSum : 0;
      for (let c = 0; c < columns; c++) table[r * columns + c] = table[r * columns + c]! * factor;
    }
    let worst = 0;
    for (let c = 0; c < columns; c++) {
      let columnSum = 0;
      for (let r = 0; r < rows; r++) columnSum += table[r * columns + c]!;
      worst = Math.max(worst, Math.abs(columnSum - child[c]!));
      const factor = columnSum > 0 ? child[c]! / columnSum : 0;
      for (let r = 0; r < rows; r++) table[r * columns + c] = table[r * columns + c]! * factor;
    }
    if (worst < 1e-9) break;
  }
  const conditional = new Array<number>(table.length).fill(0);
  for (let r = 0; r < rows; r++) {
    let rowSum = 0;
    for (let c = 0; c < columns; c++) rowSum += table[r * columns + c]!;
    for (let c = 0; c < columns; c++) {
      conditional[r * columns + c] = rowSum > 0 ? table[r * columns + c]! / rowSum : child[c]!;
    }
  }
  return conditional;
}

/**
 * A 95% bound on the L1 distance between the twin's shares and the data's in a marginal of `cells`
 * cells whose counts got N(0, σ²) noise, for `rows` rows of data (noisy) and a twin of `twinRows`:
 * - the noise's L1 norm, Σ|Zᵢ|, has mean k·σ·√(2/π) and standard deviation σ·√(k(1 − 2/π)); its mean
 *   plus 2.5 standard deviations, doubled because normalising by the total moves the shares by at
 *   most 2‖noise‖₁/n (clipping at 0 only brings a count nearer a true count ≥ 0);
 * - drawing `twinRows` rows adds at most √(k/N) on average and, by McDiarmid's inequality (one row
 *   moves the L1 distance by at most 2/N), √(2·ln 40/N) more with probability 97.5%.
 */
export function statedOneWayBound(cells: number, sigma: number, rows: number, twinRows: number): number {
  const noise = cells * sigma * Math.sqrt(2 / Math.PI) + 2.5 * sigma * Math.sqrt(cells * (1 - 2 / Math.PI));
  const sampling = Math.sqrt(cells / twinRows) + Math.sqrt((2 * Math.log(40)) / twinRows);
  return Math.min(2, (2 * noise) / Math.max(rows, 1) + sampling);
}

/**
 * Runs steps 2–4 and 6 in a query worker: `connection` is on an instance confined to the lab's
 * files, `request.view` names the lab dataset. Only the noisy model leaves.
 */
export async function runSynthesis(
  connection: DuckDBConnection,
  request: SynthesisRequest,
  uniform: UniformSource,
  onProgress: (done: number) => void = () => {},
): Promise<NoisyModel> {
  const L = request.maxRowsPerSubject;
  const view = quoteIdentifier(request.view);
  const counted = `(SELECT * FROM ${view} WHERE subject_row <= ${L})`;
  const described = await connection.runAndReadAll(`DESCRIBE ${view}`);
  const types = new Map((described.getRowsJson() as string[][]).map((row) => [row[0]!, String(row[1])]));
  const d = request.columns.length;
  const dimensions = request.columns.filter((column) => column.kind === 'dimension').length;
  const plan = planSynthesis(request, { columns: d, dimensions });
  const noise = (sigma: number) => sigma * gaussian(uniform);

  // Step 2 for dimensions: the histogram over the values present, noised and thresholded.
  const columns: ModelColumn[] = [];
  for (const column of request.columns) {
    const type = types.get(column.name);
    if (!type) throw new Error(`the lab dataset has no column ${column.name}`);
    if (column.kind === 'measure') {
      columns.push({
        name: column.name,
        kind: 'measure',
        type,
        lower: column.lower!,
        upper: column.upper!,
        bins: request.bins,
        oneWay: [],
        distribution: [],
      });
      continue;
    }
    const reader = await connection.runAndReadAll(
      `SELECT CAST(${quoteIdentifier(column.name)} AS VARCHAR) AS value, count(*)::DOUBLE AS n FROM ${counted} GROUP BY 1`,
    );
    const kept = (reader.getRowsJson() as [string | null, number][])
      .map(([value, count]) => ({ value, noisy: Number(count) + noise(plan.sigmaOneWay) }))
      .filter((cell) => cell.noisy > plan.threshold)
      .sort((a, b) => b.noisy - a.noisy)
      .slice(0, request.maxCategories);
    columns.push({
      name: column.name,
      kind: 'dimension',
      type,
      values: kept.map((cell) => cell.value),
      oneWay: kept.map((cell) => cell.noisy),
      distribution: [],
    });
  }
  onProgress(0.1);

  // One pass over the rows, each column as its cell: true one-way counts of measures and true
  // two-way counts of every pair (for the tree's scores and the chosen edges).
  const expressions = columns.map((column) =>
    column.kind === 'measure' ? binExpression(column, column.bins!) : dimensionCodeExpression(column),
  );
  const cells = columns.map(cellsOf);
  const trueOneWay = cells.map((k) => new Float64Array(Math.max(k, 0)));
  const pairs: { a: number; b: number; counts: Float64Array }[] = [];
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) pairs.push({ a, b, counts: new Float64Array(cells[a]! * cells[b]!) });
  }
  const result = await connection.stream(
    `SELECT ${expressions.map((expression, i) => `(${expression})::INTEGER AS c${i}`).join(', ')} FROM ${counted}`,
  );
  // Column-major over each chunk, pair by pair over typed arrays: a million rows of twenty columns
  // (190 pairs) is a few hundred million increments.
  let block = Array.from({ length: d }, () => new Int32Array(2048));
  let seen = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (block[0]!.length < rows) block = Array.from({ length: d }, () => new Int32Array(rows));
    for (let j = 0; j < d; j++) {
      const values = chunk.getColumnVector(j).toArray() as number[];
      const codes = block[j]!;
      const counts = trueOneWay[j]!;
      for (let i = 0; i < rows; i++) {
        const code = values[i]!;
        codes[i] = code;
        if (code >= 0) counts[code]! += 1;
      }
    }
    for (const pair of pairs) {
      const xs = block[pair.a]!;
      const ys = block[pair.b]!;
      const counts = pair.counts;
      const kb = cells[pair.b]!;
      for (let i = 0; i < rows; i++) {
        const x = xs[i]!;
        const y = ys[i]!;
        if (x >= 0 && y >= 0) counts[x * kb + y]! += 1;
      }
    }
    seen += rows;
    if (seen % 262_144 < rows) onProgress(0.1 + 0.6 * Math.min(1, seen / 5_000_000));
  }
  onProgress(0.7);

  // Step 2 for measures: their domain is public, every bin is released.
  for (const [j, column] of columns.entries()) {
    if (column.kind === 'measure')
      column.oneWay = Array.from(trueOneWay[j]!, (count) => count + noise(plan.sigmaOneWay));
    column.distribution = normalise(column.oneWay);
  }
  const noisyRows = Math.max(
    1,
    columns.find((column) => column.kind === 'measure')?.oneWay.reduce((sum, count) => sum + count, 0) ??
      columns[0]!.oneWay.reduce((sum, count) => sum + count, 0),
  );

  // Step 3: the tree, by the exponential mechanism over pairs joining two parts of the forest.
  const part = Array.from({ length: d }, (_, i) => i);
  const find = (i: number): number => {
    while (part[i] !== i) {
      part[i] = part[part[i]!]!;
      i = part[i]!;
    }
    return i;
  };
  const scores = pairs.map((pair) => {
    const pa = columns[pair.a]!.distribution;
    const pb = columns[pair.b]!.distribution;
    const kb = cells[pair.b]!;
    let score = 0;
    for (let x = 0; x < cells[pair.a]!; x++) {
      for (let y = 0; y < kb; y++) score += Math.abs(pair.counts[x * kb + y]! - noisyRows * pa[x]! * pb[y]!);
    }
    return score;
  });
  const chosen: number[] = [];
  for (let round = 0; round < d - 1; round++) {
    const candidates = pairs
      .map((pair, index) => ({ pair, index }))
      .filter(({ pair }) => find(pair.a) !== find(pair.b));
    const weights = candidates.map(({ index }) => (plan.selectionEpsilon * scores[index]!) / (2 * L));
    const top = Math.max(...weights);
    const exp = weights.map((weight) => Math.exp(weight - top));
    let draw = uniform() * exp.reduce((sum, weight) => sum + weight, 0);
    let pick = candidates.length - 1;
    for (let i = 0; i < exp.length; i++) {
      draw -= exp[i]!;
      if (draw <= 0) {
        pick = i;
        break;
      }
    }
    const { pair, index } = candidates[pick]!;
    part[find(pair.a)] = find(pair.b);
    chosen.push(index);
  }

  // Step 4 and 5: noisy two-way marginals of the tree, oriented from the root (column 0) outwards.
  const root = 0;
  const adjacent = new Map<number, number[]>();
  for (const index of chosen) {
    const { a, b } = pairs[index]!;
    adjacent.set(a, [...(adjacent.get(a) ?? []), index]);
    adjacent.set(b, [...(adjacent.get(b) ?? []), index]);
  }
  const edges: ModelEdge[] = [];
  const fittedTwoWay: { edge: ModelEdge; trueCounts: Float64Array }[] = [];
  const visited = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const index of adjacent.get(parent) ?? []) {
      const pair = pairs[index]!;
      const child = pair.a === parent ? pair.b : pair.a;
      if (visited.has(child)) continue;
      visited.add(child);
      queue.push(child);
      const kp = cells[parent]!;
      const kc = cells[child]!;
      const trueCounts = new Float64Array(kp * kc);
      for (let x = 0; x < kp; x++) {
        for (let y = 0; y < kc; y++) {
          trueCounts[x * kc + y] =
            pair.a === parent ? pair.counts[x * kc + y]! : pair.counts[y * cells[pair.b]! + x]!;
        }
      }
      const noisy = Array.from(trueCounts, (count) => count + noise(plan.sigmaTwoWay));
      const edge: ModelEdge = {
        parent,
        child,
        noisy,
        conditional: fitConditional(noisy, columns[parent]!.distribution, columns[child]!.distribution),
      };
      edges.push(edge);
      fittedTwoWay.push({ edge, trueCounts });
    }
  }
  onProgress(0.9);

  // Step 6: the fitted marginals' L1 errors against the truth, noised.
  const share = (count: number) => count / noisyRows;
  const marginals: MarginalReport[] = columns.map((column, j) => {
    let error = 0;
    for (let x = 0; x < cells[j]!; x++)
      error += Math.abs(noisyRows * column.distribution[x]! - trueOneWay[j]![x]!);
    // The rows whose value was dropped are in no cell: their share counts as error too.
    const inCells = trueOneWay[j]!.reduce((sum, count) => sum + count, 0);
    error += Math.max(0, seen - inCells);
    return {
      columns: [column.name],
      cells: cells[j]!,
      noiseStd: plan.sigmaOneWay,
      measuredError: Math.max(0, share(error + noise(plan.sigmaReport))),
    };
  });
  for (const { edge, trueCounts } of fittedTwoWay) {
    const parent = columns[edge.parent]!.distribution;
    const kc = cells[edge.child]!;
    let error = 0;
    for (let x = 0; x < parent.length; x++) {
      for (let y = 0; y < kc; y++) {
        error += Math.abs(noisyRows * parent[x]! * edge.conditional[x * kc + y]! - trueCounts[x * kc + y]!);
      }
    }
    marginals.push({
      columns: [columns[edge.parent]!.name, columns[edge.child]!.name],
      cells: trueCounts.length,
      noiseStd: plan.sigmaTwoWay,
      measuredError: Math.max(0, share(error + noise(plan.sigmaReport))),
    });
  }
  onProgress(1);
  return {
    columns,
    edges,
    root,
    noisyRows,
    marginals,
    privacy: {
      mechanism: 'mst-gaussian',
      epsilon: plan.epsilon,
      delta: plan.delta,
      rho: plan.rho,
      accountant: 'zcdp',
      sigmaOneWay: plan.sigmaOneWay,
      sigmaTwoWay: plan.sigmaTwoWay,
      sigmaReport: plan.sigmaReport,
      selectionEpsilon: plan.selectionEpsilon,
      threshold: plan.threshold,
      maxRowsPerSubject: L,
    },
  };
}

/** Cumulative sums of a distribution, for drawing by binary search. */
function cumulative(distribution: ArrayLike<number>, from = 0, length = distribution.length): Float64Array {
  const sums = new Float64Array(length);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    sum += distribution[from + i]!;
    sums[i] = sum;
  }
  return sums;
}

function draw(sums: Float64Array, u: number): number {
  const target = u * sums[sums.length - 1]!;
  let low = 0;
  let high = sums.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sums[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A fast uniform source for drawing rows (xoshiro128**, seeded from the OS CSPRNG). Drawing is
 * post-processing of the noisy model: the guarantee rests on the model's noise, not on this
 * generator, so speed is all it needs (a million rows of twenty columns take ~40 million draws).
 */
export function drawingUniform(): UniformSource {
  const seed = randomBytes(16);
  let a = seed.readUInt32LE(0) | 1;
  let b = seed.readUInt32LE(4);
  let c = seed.readUInt32LE(8);
  let d = seed.readUInt32LE(12);
  return () => {
    for (;;) {
      const result = Math.imul(rotate(Math.imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotate(d, 11);
      if (result > 0) return result / 4294967296;
    }
  };
}

function rotate(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The twin's id column: fresh numbers 1…N, never a subject key. */
export const twinIdColumn = 'synthetic_id';

/**
 * Draws `rows` synthetic rows from the noisy model (post-processing: no data is read). Calls
 * `emit` with each row's values, in the model's column order: a dimension's value as text (null
 * for SQL NULL), a measure's as a number uniform within its bin (null for the null bin).
 */
export function sampleTwin(
  model: NoisyModel,
  rows: number,
  uniform: UniformSource,
  emit: (values: (string | number | null)[]) => void,
): void {
  const d = model.columns.length;
  const order = [model.root, ...model.edges.map((edge) => edge.child)];
  const parentOf = new Map(model.edges.map((edge) => [edge.child, edge]));
  // Columns outside the tree (none when it spans them all) are drawn on their own.
  for (let j = 0; j < d; j++) if (!order.includes(j)) order.push(j);
  const own = model.columns.map((column) => cumulative(column.distribution));
  const conditionals = new Map(
    model.edges.map((edge) => {
      const kc = cellsOf(model.columns[edge.child]!);
      const kp = cellsOf(model.columns[edge.parent]!);
      return [edge.child, Array.from({ length: kp }, (_, x) => cumulative(edge.conditional, x * kc, kc))];
    }),
  );
  const parents = Int32Array.from({ length: d }, (_, j) => parentOf.get(j)?.parent ?? -1);
  const given = Array.from({ length: d }, (_, j) => conditionals.get(j) ?? []);
  const isMeasure = model.columns.map((column) => column.kind === 'measure');
  const bins = model.columns.map((column) => column.bins ?? 0);
  const lowers = model.columns.map((column) => column.lower ?? 0);
  const widths = model.columns.map((column) =>
    column.kind === 'measure' ? (column.upper! - column.lower!) / column.bins! : 0,
  );
  const codes = new Int32Array(d);
  const values = new Array<string | number | null>(d);
  for (let i = 0; i < rows; i++) {
    for (const j of order) {
      const parent = parents[j]!;
      const sums = parent >= 0 && codes[parent]! >= 0 ? given[j]![codes[parent]!]! : own[j]!;
      codes[j] = sums.length === 0 ? -1 : draw(sums, uniform());
    }
    for (let j = 0; j < d; j++) {
      const code = codes[j]!;
      if (!isMeasure[j]) values[j] = code < 0 ? null : model.columns[j]!.values![code]!;
      else if (code >= bins[j]!) values[j] = null;
      else values[j] = lowers[j]! + (code + uniform()) * widths[j]!;
    }
    emit(values);
  }
}
