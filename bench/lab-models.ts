/**
 * Model development in the Data Lab at scale. A generated patients dataset (1M rows by default) with
 * twenty numeric features and a planted relationship (the demo's: the log-odds of a type 2 diabetes
 * diagnosis rise with age and HbA1c; three more features carry small effects, fifteen none) is
 * uploaded, attached to a lab, and then:
 * - a DP logistic regression job (DP-SGD, ε = 1, δ = 10⁻⁶) on all twenty features runs through
 *   `LabModels.submit` in a query worker; the time from submit to its model is the figure;
 * - the same split (the job's own SQL run on the lab's file) is fitted without privacy (Newton's
 *   method), and both models' exact test AUCs are computed here on the held-out rows; the gap is the
 *   figure (the model card's own AUC is noisy, and shown too);
 * - a synthetic twin of the dataset with as many rows is generated through `LabTwins.generate`
 *   (noisy marginals in a worker, rows drawn, CSV and Parquet written); its time is the figure.
 * The machine's load average is printed with the figures: it is shared, and they move with it.
 *
 * `npm run bench -- lab-models`, or `node --import tsx bench/lab-models.ts --rows 100000`
 * (BENCH_LAB_MODELS_ROWS).
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../src/infra/duck-engine.js';
import { compileJobSql, parseJobSpec } from '../src/modules/lab/job-spec.js';
import { createTenant, createTestPlatform } from '../test/harness.js';

const { values: flags } = parseArgs({ options: { rows: { type: 'string' } } });
const rowCount = Number(flags.rows ?? process.env.BENCH_LAB_MODELS_ROWS ?? 1_000_000);
if (!Number.isInteger(rowCount) || rowCount < 10_000) throw new Error('--rows must be an integer ≥ 10000');
const target = { trainingSeconds: 60, aucGap: 0.05, issueAucGap: 0.03, twinSeconds: 30 };
const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const load = () => loadavg().map((value) => round(value, 2));

/** Eighteen extra features x1…x18 in [0, 10]; x1–x3 carry small effects, the rest none. */
const extra = Array.from({ length: 18 }, (_, i) => `x${i + 1}`);
const effects: Record<string, number> = { x1: 0.15, x2: -0.1, x3: 0.05 };

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** Exact AUC (Mann–Whitney, ties a half) of scores against 0/1 labels. */
function auc(scores: Float64Array, labels: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives += 1;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Non-private logistic regression by Newton's method (IRLS) on rows of p columns (intercept first). */
function fitLogistic(x: Float64Array, y: Uint8Array, n: number, p: number): Float64Array {
  const beta = new Float64Array(p);
  for (let iteration = 0; iteration < 25; iteration++) {
    const hessian = new Float64Array(p * p);
    const gradient = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < p; j++) z += beta[j]! * x[i * p + j]!;
      const mu = 1 / (1 + Math.exp(-z));
      const w = mu * (1 - mu);
      const r = y[i]! - mu;
      for (let j = 0; j < p; j++) {
        const xj = x[i * p + j]!;
        gradient[j]! += xj * r;
        for (let k = j; k < p; k++) hessian[j * p + k]! += w * xj * x[i * p + k]!;
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hessian[j * p + k] = hessian[k * p + j]!;
    // Solve H·step = gradient by Gaussian elimination (p is 21).
    const a = Float64Array.from(hessian);
    const b = Float64Array.from(gradient);
    for (let c = 0; c < p; c++) {
      let pivot = c;
      for (let r = c + 1; r < p; r++) if (Math.abs(a[r * p + c]!) > Math.abs(a[pivot * p + c]!)) pivot = r;
      for (let k = 0; k < p; k++) [a[c * p + k], a[pivot * p + k]] = [a[pivot * p + k]!, a[c * p + k]!];
      [b[c], b[pivot]] = [b[pivot]!, b[c]!];
      for (let r = c + 1; r < p; r++) {
        const f = a[r * p + c]! / a[c * p + c]!;
        for (let k = c; k < p; k++) a[r * p + k]! -= f * a[c * p + k]!;
        b[r]! -= f * b[c]!;
      }
    }
    const step = new Float64Array(p);
    for (let r = p - 1; r >= 0; r--) {
      let sum = b[r]!;
      for (let k = r + 1; k < p; k++) sum -= a[r * p + k]! * step[k]!;
      step[r] = sum / a[r * p + r]!;
    }
    let size = 0;
    for (let j = 0; j < p; j++) {
      beta[j]! += step[j]!;
      size = Math.max(size, Math.abs(step[j]!));
    }
    if (size < 1e-8) break;
  }
  return beta;
}

const workDir = await mkdtemp(path.join(tmpdir(), 'stp-bench-lab-models-'));
const platform = await createTestPlatform('pglite');
const raw = await DuckDBInstance.create(':memory:', {
  threads: String(platform.config.queryThreads),
  memory_limit: platform.config.queryMemoryLimit,
});
const loadAtStart = load();
try {
  const file = path.join(workDir, 'patients.parquet');
  const generator = await raw.connect();
  const u = (name: string) => `((hash(i, '${name}') % 1000000) / 1000000.0)`;
  const logit = [
    '-1',
    '0.04 * (age - 55)',
    '0.9 * (hba1c - 7)',
    ...Object.entries(effects).map(([name, b]) => `${b} * (${name} - 5)`),
  ].join(' + ');
  process.stderr.write(`  generating ${rowCount.toLocaleString('en')} patients\n`);
  await generator.run(`COPY (
    SELECT patient_id, sex, CASE WHEN ${u('y')} < 1 / (1 + exp(-(${logit}))) THEN 'E11' ELSE 'Z00' END AS diagnosis,
      age, hba1c, ${extra.join(', ')}
    FROM (
      SELECT i, printf('P%08d', i) AS patient_id, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
        25 + floor(${u('age')} * 60)::INTEGER AS age,
        round(4.5 + ${u('hba1c')} * 6.5, 1) AS hba1c,
        ${extra.map((name) => `round(${u(name)} * 10, 3) AS ${name}`).join(', ')}
      FROM range(${rowCount}) r(i)
    )
  ) TO ${quoteLiteral(file)} (FORMAT parquet)`);
  generator.closeSync();

  const hospitalTenant = await createTenant(platform, { kinds: ['provider'], name: 'Bench Hospital' });
  const researcherTenant = await createTenant(platform, { kinds: ['consumer'], name: 'Bench Research' });
  const principalOf = async (tenant: { userId: string; orgId: string }) =>
    (await platform.identity.principalFor('session', tenant.userId, tenant.orgId, {}))!;
  const hospital = await principalOf(hospitalTenant);
  const researcher = await principalOf(researcherTenant);
  process.stderr.write('  ingesting and attaching\n');
  const { dataset } = await platform.datasets.create(hospital, {
    title: 'patients',
    slug: 'patients',
    licence: 'proprietary',
  });
  await platform.datasets.addVersion(hospital, dataset.id, {
    stream: createReadStream(file),
    filename: 'patients.parquet',
  });
  await platform.datasets.confirmClassifications(hospital, dataset.id, {
    columns: { patient_id: 'identifier' },
  });
  const { lab } = await platform.labs.create(hospital, {
    name: 'Bench models lab',
    epsilonBudget: 10,
    defaultEpsilon: 1,
    maxRowsPerSubject: 1,
  });
  await platform.labs.addMember(hospital, lab.id, { orgId: researcherTenant.orgId, role: 'researcher' });
  const measures = {
    age: { lower: 20, upper: 90 },
    hba1c: { lower: 4, upper: 12 },
    ...Object.fromEntries(extra.map((name) => [name, { lower: 0, upper: 10 }])),
  };
  await platform.labs.attachDataset(hospital, lab.id, {
    datasetId: dataset.id,
    name: 'patients',
    subjectColumn: 'patient_id',
    dimensions: ['sex', 'diagnosis'],
    measures,
  });

  // DP logistic regression through the platform.
  const spec = {
    name: 'diabetes-risk',
    inputs: ['patients'],
    features: Object.entries(measures).map(([column, bounds]) => ({ column, ...bounds })),
    target: { column: 'diagnosis', equals: 'E11' },
    model: { kind: 'logistic-regression', epochs: 3, learningRate: 2 },
    split: { testFraction: 0.2, seed: 7 },
    epsilon: 1,
    delta: 1e-6,
  };
  process.stderr.write('  training (DP-SGD, ε = 1)\n');
  const loadBeforeTraining = load();
  const training = await timed(async () => {
    const job = await platform.labModels.submit(researcher, lab.id, spec);
    await platform.labModels.settle();
    return platform.labModels.getJob(researcher, lab.id, job.id);
  });
  const job = training.value;
  if (job.state !== 'succeeded') throw new Error(`the job ${job.state}: ${JSON.stringify(job.error)}`);
  const model = await platform.labModels.getModel(hospital, lab.id, job.modelId!);
  const card = model.card!;

  // The same split, read here from the lab's file, fitted without privacy; both AUCs exact.
  const attached = (await platform.labs.get(hospital, lab.id)).datasets;
  const labFile = path.join(platform.config.dataDir, 'labs', lab.id, 'patients.parquet');
  const connection = await raw.connect();
  await connection.run(`CREATE VIEW patients AS SELECT * FROM read_parquet(${quoteLiteral(labFile)})`);
  const sql = compileJobSql(
    parseJobSpec(spec),
    attached.map((row) => ({ ...row, file: '' })),
  );
  const result = await connection.stream(sql);
  const p = extra.length + 3;
  const trainX: number[] = [];
  const trainY: number[] = [];
  const testX: number[] = [];
  const testY: number[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const columns = chunk.getColumns();
    for (let i = 0; i < chunk.rowCount; i++) {
      const held = Boolean(columns[p]![i]);
      const xs = held ? testX : trainX;
      xs.push(1);
      for (let j = 0; j < p - 1; j++) xs.push(Number(columns[j]![i]));
      (held ? testY : trainY).push(Number(columns[p - 1]![i]));
    }
  }
  connection.closeSync();
  const nTrain = trainY.length;
  const nTest = testY.length;
  const plain = fitLogistic(Float64Array.from(trainX), Uint8Array.from(trainY), nTrain, p);
  // The card's coefficients are in the features' units; back to the scaled space of the SQL.
  const names = Object.keys(measures);
  const dp = new Float64Array(p);
  dp[0] = card.intercept;
  names.forEach((name, j) => {
    const { lower, upper } = measures[name as keyof typeof measures];
    const middle = (lower + upper) / 2;
    const half = (upper - lower) / 2;
    dp[j + 1] = card.coefficients[name]! * half;
    dp[0]! += card.coefficients[name]! * middle;
  });
  const score = (beta: Float64Array) => {
    const scores = new Float64Array(nTest);
    for (let i = 0; i < nTest; i++) {
      let z = 0;
      for (let j = 0; j < p; j++) z += beta[j]! * testX[i * p + j]!;
      scores[i] = z;
    }
    return auc(scores, Uint8Array.from(testY));
  };
  const aucPlain = score(plain);
  const aucDp = score(dp);

  // The synthetic twin, as many rows as the dataset.
  process.stderr.write('  synthesising the twin\n');
  const loadBeforeTwin = load();
  const twinRun = await timed(async () => {
    const started = await platform.labTwins.generate(hospital, lab.id, 'patients', {
      epsilon: 1,
      rows: rowCount,
    });
    await platform.labTwins.settle();
    return (await platform.labTwins.status(hospital, lab.id, 'patients')).twin ?? started;
  });
  const twin = twinRun.value;
  if (twin.state !== 'ready') throw new Error(`the twin ${twin.state}: ${JSON.stringify(twin.error)}`);
  const oneWay = twin.report!.marginals.filter((marginal) => marginal.columns.length === 1);
  const worstMeasured = Math.max(...oneWay.map((marginal) => marginal.measuredError));

  const figures = {
    date: new Date().toISOString().slice(0, 10),
    rows: rowCount,
    features: p - 1,
    loadAverage: {
      start: loadAtStart,
      beforeTraining: loadBeforeTraining,
      beforeTwin: loadBeforeTwin,
      end: load(),
    },
    training: {
      seconds: round(training.seconds, 1),
      target: target.trainingSeconds,
      met: training.seconds <= target.trainingSeconds,
      trainRows: nTrain,
      steps: card.privacy.steps,
      noiseMultiplier: card.privacy.noiseMultiplier,
      epsilonSpent: round(card.privacy.epsilon, 4),
    },
    auc: {
      dp: round(aucDp, 4),
      nonPrivate: round(aucPlain, 4),
      gap: round(aucPlain - aucDp, 4),
      cardNoisyAuc: card.metrics.auc === undefined ? null : round(card.metrics.auc, 4),
      testRows: nTest,
      target: target.aucGap,
      met: aucPlain - aucDp <= target.aucGap,
      issueTarget: target.issueAucGap,
      metIssueTarget: aucPlain - aucDp <= target.issueAucGap,
    },
    twin: {
      seconds: round(twinRun.seconds, 1),
      target: target.twinSeconds,
      met: twinRun.seconds <= target.twinSeconds,
      rows: twin.report!.rows,
      columns: names.length + 2,
      epsilonSpent: round(Number(twin.report!.privacy.epsilon), 4),
      worstOneWayMeasuredL1: round(worstMeasured, 4),
      worstOneWayStatedBound: round(Math.max(...oneWay.map((marginal) => marginal.statedBound ?? 0)), 4),
    },
  };
  console.log(
    `lab-models, ${rowCount.toLocaleString('en')} rows × ${p - 1} features (load average ${figures.loadAverage.start.join(' ')} at start; a shared machine)`,
  );
  console.log(
    `  DP logistic regression (DP-SGD, ε=1, ${card.privacy.steps} steps): ${figures.training.seconds} s (target ≤ ${target.trainingSeconds} s: ${figures.training.met ? 'met' : 'not met'})`,
  );
  console.log(
    `  test AUC: DP ${figures.auc.dp} vs non-private ${figures.auc.nonPrivate}, gap ${figures.auc.gap} (target ≤ ${target.aucGap}: ${figures.auc.met ? 'met' : 'not met'}; ≤ ${target.issueAucGap}: ${figures.auc.metIssueTarget ? 'met' : 'not met'}); the card's noisy AUC ${figures.auc.cardNoisyAuc}`,
  );
  console.log(
    `  synthetic twin of ${figures.twin.rows.toLocaleString('en')} rows × ${figures.twin.columns} columns: ${figures.twin.seconds} s (target ≤ ${target.twinSeconds} s: ${figures.twin.met ? 'met' : 'not met'}), worst one-way L1 error ${figures.twin.worstOneWayMeasuredL1} (noisy), stated bound ${figures.twin.worstOneWayStatedBound}`,
  );
  console.log(
    `  load average before training ${figures.loadAverage.beforeTraining.join(' ')}, before the twin ${figures.loadAverage.beforeTwin.join(' ')}, at the end ${figures.loadAverage.end.join(' ')}`,
  );
  const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const out = path.join(resultsDir, 'lab-models.json');
  await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(figures, null, 2)}\n`);
  await rename(`${out}.${process.pid}.tmp`, out);
} finally {
  raw.closeSync();
  await platform.dispose();
  await rm(workDir, { recursive: true, force: true });
}
