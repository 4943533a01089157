import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { plantedPatientsCsv as patientsCsv } from '../../../test/lab-data.js';

const logisticJob = {
  name: 'diabetes-risk',
  inputs: ['patients'],
  features: [
    { column: 'age', lower: 20, upper: 90 },
    { column: 'hba1c', lower: 4, upper: 14 },
  ],
  target: { column: 'diagnosis', equals: 'E11' },
  model: { kind: 'logistic-regression', epochs: 5, batchSize: 256, learningRate: 2 },
  split: { testFraction: 0.2, seed: 7 },
  epsilon: 1,
  delta: 1e-6,
};

/** The query workers' memory cap in these tests, in MiB. */
const memoryCapMb = 320;

/**
 * A job that cannot fit its worker: 64 features on the 285,000 training subjects of 300,000 is a
 * training buffer (65 Float64s a row, doubled as it grows) of 272 MiB, over the cap with the worker.
 */
const oversizedJob = {
  ...logisticJob,
  name: 'too-big',
  features: Array.from({ length: 64 }, (_, i) =>
    i % 2 ? { column: 'age', lower: 20, upper: 90 } : { column: 'hba1c', lower: 4, upper: 14 },
  ),
  split: { testFraction: 0.05, seed: 7 },
  epsilon: 0.5,
};

describe.each(dbTargets)('lab model development (%s)', (target) => {
  let platform: TestPlatform;
  let hospital: Tenant;
  let researcher: Tenant;
  let outsider: Tenant;
  let patientsId: string;

  const call = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });

  /** A lab with the researcher in it and the patients attached. */
  async function openLab(settings: Record<string, unknown> = {}): Promise<string> {
    const created = await call(hospital, 'POST', '/v1/labs', {
      name: `Models ${Math.random()}`,
      epsilonBudget: 5,
      defaultEpsilon: 1,
      ...settings,
    });
    expect(created.statusCode, created.body).toBe(201);
    const labId = created.json().lab.id as string;
    const added = await call(hospital, 'POST', `/v1/labs/${labId}/members`, {
      orgId: researcher.orgId,
      role: 'researcher',
    });
    expect(added.statusCode, added.body).toBe(201);
    const attached = await call(hospital, 'POST', `/v1/labs/${labId}/datasets`, {
      datasetId: patientsId,
      name: 'patients',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'diagnosis'],
      measures: {
        age: { lower: 0, upper: 110 },
        hba1c: { lower: 3, upper: 20 },
        systolic_bp: { lower: 60, upper: 260 },
      },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    return labId;
  }

  /** Submits a job and waits for it to end (through the public surface: GET until final). */
  async function runJob(labId: string, spec: object) {
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, spec);
    expect(submitted.statusCode, submitted.body).toBe(202);
    const jobId = submitted.json().id as string;
    expect(submitted.json().state).toBe('queued');
    await platform.labModels.settle();
    const job = await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${jobId}`);
    expect(job.statusCode, job.body).toBe(200);
    return job.json();
  }

  beforeAll(async () => {
    // Workers capped low enough that one job can outgrow its worker while every other job and query
    // here fits with room to spare.
    platform = await createTestPlatform(target, { env: { STP_QUERY_MEMORY_MB: String(memoryCapMb) } });
    hospital = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer'] });
    const patients = await publishDataset(platform, hospital, {
      title: 'Patients with lab values',
      slug: `patients_models_${target}`,
      content: patientsCsv(8000),
    });
    patientsId = patients.id;
  });
  afterAll(async () => platform?.dispose());

  it('publishes the job schema', async () => {
    const schema = await call(researcher, 'GET', '/v1/labs/job-schema');
    expect(schema.statusCode).toBe(200);
    expect(Object.keys(schema.json().properties)).toEqual(
      expect.arrayContaining(['inputs', 'features', 'target', 'model', 'split', 'epsilon', 'delta']),
    );
  });

  it('recovers the planted diabetes relationship by DP-SGD at ε = 1, charges the budget and records the run', async () => {
    const labId = await openLab();
    const job = await runJob(labId, logisticJob);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.datasets).toEqual([expect.objectContaining({ name: 'patients', datasetId: patientsId })]);
    const model = await call(researcher, 'GET', `/v1/labs/${labId}/models/${job.modelId}`);
    expect(model.statusCode, model.body).toBe(200);
    const { card } = model.json();
    expect(card.version).toBe(1);
    // Sign and rough size of the planted effects (0.04 a year, 0.9 a point of HbA1c).
    expect(card.coefficients.age).toBeGreaterThan(0.015);
    expect(card.coefficients.age).toBeLessThan(0.07);
    expect(card.coefficients.hba1c).toBeGreaterThan(0.45);
    expect(card.coefficients.hba1c).toBeLessThan(1.35);
    expect(card.privacy.mechanism).toBe('dp-sgd');
    expect(card.privacy.epsilon).toBeLessThanOrEqual(1);
    expect(card.metrics.auc).toBeGreaterThan(0.7);
    expect(Math.abs(card.metrics.testRows - 1600)).toBeLessThan(150);
    const budget = await call(researcher, 'GET', `/v1/labs/${labId}/budget`);
    expect(budget.json().spent).toBeCloseTo(1, 9);
    const ledger = await platform.audit.list({ objectId: job.id, limit: 10 });
    const charge = ledger.find((entry) => entry.action === 'lab.job.charge');
    expect(charge?.data).toMatchObject({ epsilon: 1, specSha256: job.specSha256, datasets: job.datasets });
    expect(ledger.map((entry) => entry.action)).toContain('lab.job.succeed');
    const download = await call(researcher, 'GET', `/v1/labs/${labId}/models/${job.modelId}/card.json`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('diabetes-risk-v1.json');
    // A second run of the same name is version 2.
    const again = await runJob(labId, logisticJob);
    const second = await call(researcher, 'GET', `/v1/labs/${labId}/models/${again.modelId}`);
    expect(second.json().version).toBe(2);
  });

  it('recovers a linear relationship from noisy sufficient statistics', async () => {
    const labId = await openLab();
    const job = await runJob(labId, {
      name: 'blood-pressure',
      inputs: ['patients'],
      features: [{ column: 'age', lower: 20, upper: 90 }],
      target: { column: 'systolic_bp', lower: 80, upper: 200 },
      model: { kind: 'linear-regression' },
      epsilon: 1,
    });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const { card } = (await call(researcher, 'GET', `/v1/labs/${labId}/models/${job.modelId}`)).json();
    expect(card.coefficients.age).toBeGreaterThan(0.45);
    expect(card.coefficients.age).toBeLessThan(0.75);
    expect(card.intercept).toBeGreaterThan(85);
    expect(card.intercept).toBeLessThan(115);
    // The planted noise has sd 8 mmHg; the noisy sum of squares over ~1,600 held-out subjects has a
    // Laplace scale of 5 at ε = 1 (docs/differential-privacy.md): the RMSE is good to about ±25%.
    expect(card.metrics.rmse).toBeGreaterThan(4);
    expect(card.metrics.rmse).toBeLessThan(12);
  });

  it('holds a model for output review: no card and no download for the researcher until released', async () => {
    const labId = await openLab({ outputReview: true });
    const job = await runJob(labId, logisticJob);
    expect(job.state).toBe('succeeded');
    const held = await call(researcher, 'GET', `/v1/labs/${labId}/models/${job.modelId}`);
    expect(held.json()).toMatchObject({ state: 'pending-review', card: null });
    const blocked = await call(researcher, 'GET', `/v1/labs/${labId}/models/${job.modelId}/card.json`);
    expect(blocked.statusCode).toBe(403);
    expect(problemOf(blocked).detail).toMatch(/pending-review/);
    expect(
      (await call(researcher, 'POST', `/v1/labs/${labId}/models/${job.modelId}/approve`, {})).statusCode,
    ).toBe(403);
    const seen = await call(hospital, 'GET', `/v1/labs/${labId}/models/${job.modelId}`);
    expect(seen.json().card.coefficients).toHaveProperty('hba1c');
    const approved = await call(hospital, 'POST', `/v1/labs/${labId}/models/${job.modelId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const download = await call(researcher, 'GET', `/v1/labs/${labId}/models/${job.modelId}/card.json`);
    expect(download.statusCode).toBe(200);
    expect(download.json().name).toBe('diabetes-risk');
  });

  it('fails a job past its time cap alone: the lab keeps answering', async () => {
    const labId = await openLab();
    const job = await runJob(labId, {
      ...logisticJob,
      name: 'too-long',
      model: { kind: 'logistic-regression', epochs: 1000, batchSize: 1 },
      maxSeconds: 1,
    });
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('query-timeout');
    const ledger = await platform.audit.list({ objectId: job.id, limit: 10 });
    expect(ledger.find((entry) => entry.action === 'lab.job.fail')?.data).toMatchObject({
      code: 'query-timeout',
    });
    const after = await runJob(labId, { ...logisticJob, epsilon: 0.5 });
    expect(after.state).toBe('succeeded');
    const query = await call(researcher, 'POST', `/v1/labs/${labId}/queries`, {
      sql: 'SELECT diagnosis, count(*) FROM patients GROUP BY diagnosis',
      epsilon: 0.5,
    });
    expect(query.statusCode, query.body).toBe(201);
  });

  it('fails a job past its memory cap alone: ε stays spent, the lab, /healthz and the next job answer', async () => {
    const big = await publishDataset(platform, hospital, {
      title: 'Many patients',
      slug: `patients_many_${target}`,
      content: patientsCsv(300_000),
    });
    const labId = await openLab();
    const attached = await call(hospital, 'POST', `/v1/labs/${labId}/datasets`, {
      datasetId: big.id,
      name: 'many',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'diagnosis'],
      measures: { age: { lower: 0, upper: 110 }, hba1c: { lower: 3, upper: 20 } },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, {
      ...oversizedJob,
      inputs: ['many'],
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const jobId = submitted.json().id as string;
    // While the job grows, the platform answers: health and a lab query (on another worker, or on
    // the job's once it has been killed).
    const health = await platform.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode, health.body).toBe(200);
    const during = await call(researcher, 'POST', `/v1/labs/${labId}/queries`, {
      sql: 'SELECT diagnosis, count(*) FROM patients GROUP BY diagnosis',
      epsilon: 0.5,
    });
    expect(during.statusCode, during.body).toBe(201);
    await platform.labModels.settle();
    const job = (await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${jobId}`)).json();
    expect(job).toMatchObject({ state: 'failed', modelId: null });
    expect(job.error).toEqual({
      code: 'query-resources-exceeded',
      detail: expect.stringContaining(`${memoryCapMb} MiB of memory`),
    });
    expect(job.error.detail).not.toMatch(/duckdb|heap|stack|Error:/i);
    // ε stays spent on a failed job (whether it failed could depend on the data), and the charge is
    // on the ledger with the spec's hash; the failure is recorded beside it.
    const budget = (await call(researcher, 'GET', `/v1/labs/${labId}/budget`)).json();
    expect(budget.spent).toBeCloseTo(1, 9);
    const ledger = await platform.audit.list({ objectId: jobId, limit: 10 });
    expect(ledger.find((entry) => entry.action === 'lab.job.charge')?.data).toMatchObject({
      epsilon: 0.5,
      specSha256: job.specSha256,
    });
    expect(ledger.find((entry) => entry.action === 'lab.job.fail')?.data).toMatchObject({
      code: 'query-resources-exceeded',
    });
    expect((await platform.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const after = await runJob(labId, { ...logisticJob, epsilon: 0.5 });
    expect(after.state, JSON.stringify(after.error)).toBe('succeeded');
  });

  it('cancels a running job', async () => {
    const labId = await openLab();
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, {
      ...logisticJob,
      model: { kind: 'logistic-regression', epochs: 1000, batchSize: 1 },
    });
    const jobId = submitted.json().id;
    const cancelled = await call(researcher, 'POST', `/v1/labs/${labId}/jobs/${jobId}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().state).toBe('cancelled');
    await platform.labModels.settle();
    const job = (await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${jobId}`)).json();
    expect(job).toMatchObject({ state: 'cancelled', modelId: null });
    expect((await call(researcher, 'POST', `/v1/labs/${labId}/jobs/${jobId}/cancel`)).statusCode).toBe(409);
  });

  it('refuses bad specs naming the field, unknown columns, an ε over the budget, and outsiders', async () => {
    const labId = await openLab({ epsilonBudget: 1.5 });
    const bad = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, { ...logisticJob, epsilon: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(bad).detail).toMatch(/epsilon/);
    const unknown = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, {
      ...logisticJob,
      features: [{ column: 'income', lower: 0, upper: 1 }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(problemOf(unknown).detail).toMatch(/income/);
    const linearWithoutBounds = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, {
      ...logisticJob,
      model: { kind: 'linear-regression' },
    });
    expect(linearWithoutBounds.statusCode).toBe(400);
    expect(problemOf(linearWithoutBounds).detail).toMatch(/target/);
    expect((await runJob(labId, logisticJob)).state).toBe('succeeded');
    const broke = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, logisticJob);
    expect(broke.statusCode).toBe(403);
    expect(problemOf(broke).code).toBe('privacy-budget-exhausted');
    const outside = await call(outsider, 'POST', `/v1/labs/${labId}/jobs`, logisticJob);
    expect(outside.statusCode).toBe(404);
    expect((await call(outsider, 'GET', `/v1/labs/${labId}/models`)).statusCode).toBe(404);
  });
});
