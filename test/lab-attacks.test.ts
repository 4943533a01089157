import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowBuffer } from '../src/modules/lab/training.js';
import { publishDataset } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';
import { plantedPatientsCsv } from './lab-data.js';

/**
 * The Data Lab's training jobs, synthetic twins and model downloads as a hostile lab member or an
 * outsider would attack them, through the HTTP API: spec bombs and bounds that break the
 * sensitivity analysis, failures that depend on one subject's value, cancel races, budget races, and
 * other labs' objects. One platform per database; jobs read 1,200 patients and end in a second.
 */
const linearJob = {
  name: 'bp',
  inputs: ['patients'],
  features: [{ column: 'age', lower: 20, upper: 90 }],
  target: { column: 'systolic_bp', lower: 60, upper: 260 },
  model: { kind: 'linear-regression' },
  epsilon: 0.5,
};

function expectCleanProblem(response: LightMyRequestResponse, status: number, context: string) {
  expect(response.statusCode, `${context}: ${response.body}`).toBe(status);
  const problem = problemOf(response);
  expect(JSON.stringify(problem), context).not.toMatch(/\n\s+at |\.ts:\d|Error:|duckdb|\.parquet/i);
  return problem;
}

describe('the training rows a worker keeps (second line behind the job SQL)', () => {
  it('clamps every scaled value into [−1, 1] and reads what is not a number as 0', () => {
    const buffer = new RowBuffer(4);
    buffer.push([2, Number.NaN, Number.NEGATIVE_INFINITY], Number.POSITIVE_INFINITY);
    buffer.push([0.5, -0.25, 1], Number.NaN);
    const rows = buffer.rows();
    expect(Array.from(rows.x)).toEqual([1, 1, 0, -1, 1, 0.5, -0.25, 1]);
    expect(Array.from(rows.y)).toEqual([1, 0]);
  });
});

describe.each(dbTargets)('attacks on the Data Lab (%s)', (target) => {
  let platform: TestPlatform;
  let hospital: Tenant;
  let researcher: Tenant;
  let outsider: Tenant;
  let patientsId: string;

  const call = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, ...(payload ? { payload } : {}) });

  async function openLab(settings: Record<string, unknown> = {}): Promise<string> {
    const created = await call(hospital, 'POST', '/v1/labs', {
      name: `Attacks ${Math.random()}`,
      epsilonBudget: 3,
      defaultEpsilon: 0.5,
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

  const spent = async (labId: string) =>
    (await call(researcher, 'GET', `/v1/labs/${labId}/budget`)).json().spent as number;

  async function runJob(labId: string, spec: object) {
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, spec);
    expect(submitted.statusCode, submitted.body).toBe(202);
    await platform.labModels.settle();
    return (await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${submitted.json().id}`)).json();
  }

  /**
   * The job refusals the ledger holds for a lab: each minute's first refusal of a principal is an
   * entry of its own, the rest are counted in the minute's summary (closed here by a flush). Each
   * test's refusals come after the previous test's flush, so they share no minute with another lab.
   */
  async function refusalsIn(labId: string, of: 'job' | 'twin' = 'job') {
    await platform.labModels.deps.refusals.flush();
    const first = (await platform.audit.list({ action: `lab.${of}.refuse`, limit: 100 })).filter(
      (entry) => entry.data.labId === labId,
    );
    const summaries = (await platform.audit.list({ action: `lab.${of}.refuse.summary`, limit: 100 })).filter(
      (entry) => (entry.data.labIds as string[]).includes(labId),
    );
    const count = summaries.reduce((sum, entry) => sum + (entry.data.count as number), first.length);
    return { first, count };
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target, {
      env: { STP_QUERY_MEMORY_MB: '320', STP_LAB_JOB_TIMEOUT_MS: '20000' },
    });
    hospital = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer', 'provider'] });
    const patients = await publishDataset(platform, hospital, {
      title: 'Patients under attack',
      slug: `patients_attacks_${target}`,
      content: plantedPatientsCsv(1200),
    });
    patientsId = patients.id;
  });
  afterAll(async () => platform?.dispose());

  it('refuses spec bombs before any ε is spent, as clean problems', async () => {
    const labId = await openLab();
    const column = (name: string) => ({ ...linearJob, features: [{ column: name, lower: 0, upper: 1 }] });
    const bombs: [string, object, number][] = [
      [
        '65 features',
        { ...linearJob, features: Array.from({ length: 65 }, () => linearJob.features[0]) },
        400,
      ],
      ['a billion epochs', { ...linearJob, model: { kind: 'logistic-regression', epochs: 1e9 } }, 400],
      ['ε of 1e-300', { ...linearJob, epsilon: 1e-300 }, 400],
      ['ε of 1e300', { ...linearJob, epsilon: 1e300 }, 400],
      ['ε of 0', { ...linearJob, epsilon: 0 }, 400],
      ['ε as NaN text', { ...linearJob, epsilon: 'NaN' }, 400],
      ['δ of 1', { ...linearJob, delta: 1 }, 400],
      ['bounds of ±1e308', { ...linearJob, features: [{ column: 'age', lower: -1e308, upper: 1e308 }] }, 400],
      ['upper below lower', { ...linearJob, features: [{ column: 'age', lower: 90, upper: 20 }] }, 400],
      ['a quoted name', column("age\" FROM read_csv('/etc/passwd') --"), 400],
      ['COLUMNS(*)', column('COLUMNS(*)'), 400],
      ['a subquery', column('(SELECT subject_key FROM patients)'), 400],
      ['the pseudonym', column('subject_key'), 400],
      ['a file as input', { ...linearJob, inputs: ["read_parquet('x')"] }, 400],
      ['a dimension as a measure', column('diagnosis'), 400],
    ];
    for (const [name, spec, status] of bombs) {
      const refused = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, spec);
      expectCleanProblem(refused, status, name);
    }
    expect(await spent(labId)).toBe(0);
    // Refused by the service (past the request schema): on the ledger like a refused query.
    const { first } = await refusalsIn(labId);
    expect(first[0]?.data).toMatchObject({ code: 'validation-failed', labId, datasetIds: [patientsId] });
    expect(first[0]?.data.specSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses bounds too close for their size to scale into [−1, 1], and records the refusal', async () => {
    const labId = await openLab();
    // 1e16 and 1e16 + 2 are one ulp apart: the middle rounds onto lower, so upper scales to 2.
    const ulpApart = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, {
      ...linearJob,
      features: [{ column: 'age', lower: 1e16, upper: 1e16 + 2 }],
    });
    expect(expectCleanProblem(ulpApart, 400, 'ulp-apart bounds').detail).toMatch(
      /features\/0.*cannot be scaled/,
    );
    // Bounds at the smallest doubles: a half-range of 0, every scaled value ±∞ or NaN.
    const subnormal = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, {
      ...linearJob,
      target: { column: 'systolic_bp', lower: 0, upper: 5e-324 },
    });
    expect(expectCleanProblem(subnormal, 400, 'subnormal bounds').detail).toMatch(/target.*cannot be scaled/);
    expect(await spent(labId)).toBe(0);
    expect((await refusalsIn(labId)).count).toBe(2);
  });

  it('compares an indicator with a value of another type without failing on any row', async () => {
    // `diagnosis = 11` would cast every diagnosis to a number and fail on the first that is not one:
    // whether the job failed would say whether any subject holds such a value, beyond the noise.
    // HTTP turns the number into text (the schema's first type); the service takes it as it is.
    const labId = await openLab();
    const principal = (await platform.identity.principalFor(
      'session',
      researcher.userId,
      researcher.orgId,
      {},
    ))!;
    const submitted = await platform.labModels.submit(principal, labId, {
      ...linearJob,
      name: 'typed-indicator',
      features: [
        { column: 'age', lower: 20, upper: 90 },
        { column: 'diagnosis', equals: 11 },
        { column: 'sex', equals: 'F' },
      ],
    });
    await platform.labModels.settle();
    const job = (await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${submitted.id}`)).json();
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.spec.features[1].equals).toBe(11);
    expect(await spent(labId)).toBeCloseTo(0.5, 9);
  });

  it('leaves no model behind when a job is cancelled as it finishes, and charges ε once', async () => {
    const labId = await openLab();
    const workers = platform.labModels.deps.workers;
    const realRun = workers.run.bind(workers);
    let jobId = '';
    let cancelled: LightMyRequestResponse | undefined;
    // The worker has the model; the cancel lands before the platform records the success.
    workers.run = async (job) => {
      const outcome = await realRun(job);
      if (job.train) cancelled = await call(researcher, 'POST', `/v1/labs/${labId}/jobs/${jobId}/cancel`);
      return outcome;
    };
    try {
      const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, linearJob);
      expect(submitted.statusCode, submitted.body).toBe(202);
      jobId = submitted.json().id;
      await platform.labModels.settle();
    } finally {
      workers.run = realRun;
    }
    expect(cancelled?.statusCode, cancelled?.body).toBe(200);
    const job = (await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${jobId}`)).json();
    expect(job).toMatchObject({ state: 'cancelled', modelId: null });
    expect((await call(researcher, 'GET', `/v1/labs/${labId}/models`)).json().items).toEqual([]);
    const actions = (await platform.audit.list({ objectId: jobId, limit: 10 })).map((entry) => entry.action);
    expect(actions.sort()).toEqual(['lab.job.cancel', 'lab.job.charge']);
    expect(await spent(labId)).toBeCloseTo(0.5, 9);
  });

  it('lets exactly one of concurrent cancels win, and refuses a cancel after the end', async () => {
    const labId = await openLab();
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, linearJob);
    expect(submitted.statusCode, submitted.body).toBe(202);
    const jobId = submitted.json().id as string;
    const cancels = await Promise.all(
      Array.from({ length: 5 }, () => call(researcher, 'POST', `/v1/labs/${labId}/jobs/${jobId}/cancel`)),
    );
    await platform.labModels.settle();
    const job = (await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${jobId}`)).json();
    const won = cancels.filter((response) => response.statusCode === 200);
    const actions = (await platform.audit.list({ objectId: jobId, limit: 10 })).map((entry) => entry.action);
    if (job.state === 'cancelled') {
      expect(won).toHaveLength(1);
      expect(actions.filter((action) => action === 'lab.job.cancel')).toHaveLength(1);
      expect(job.modelId).toBeNull();
    } else {
      // The run finished before any cancel arrived: every cancel is refused, the model stands.
      expect(won).toHaveLength(0);
      expect(job.state).toBe('succeeded');
    }
    for (const refused of cancels.filter((response) => response.statusCode !== 200)) {
      expectCleanProblem(refused, 409, 'a losing cancel');
    }
    expectCleanProblem(
      await call(researcher, 'POST', `/v1/labs/${labId}/jobs/${jobId}/cancel`),
      409,
      'cancel after the end',
    );
    expect(actions.filter((action) => action === 'lab.job.charge')).toHaveLength(1);
    expect(await spent(labId)).toBeCloseTo(0.5, 9);
  });

  it('accepts exactly the jobs the budget pays for when they arrive at once, and records the refusals', async () => {
    const labId = await openLab({ epsilonBudget: 2 });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(researcher, 'POST', `/v1/labs/${labId}/jobs`, { ...linearJob, name: `race-${i}`, epsilon: 0.5 }),
      ),
    );
    await platform.labModels.settle();
    expect(answers.filter((answer) => answer.statusCode === 202)).toHaveLength(4);
    for (const refused of answers.filter((answer) => answer.statusCode !== 202)) {
      expect(expectCleanProblem(refused, 403, 'over budget').code).toBe('privacy-budget-exhausted');
    }
    expect(await spent(labId)).toBeCloseTo(2, 9);
    expect((await refusalsIn(labId)).count).toBe(2);
  });

  it("keeps one lab's jobs, models and twins from outsiders and from another lab's members", async () => {
    const labId = await openLab();
    const job = await runJob(labId, linearJob);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const twin = await call(hospital, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, { epsilon: 0.5 });
    expect(twin.statusCode, twin.body).toBe(202);
    await platform.labTwins.settle();
    // The outsider owns a lab of its own and asks for the first lab's objects through it, too.
    const own = await call(outsider, 'POST', '/v1/labs', { name: `Own ${target}`, epsilonBudget: 1 });
    expect(own.statusCode, own.body).toBe(201);
    const ownId = own.json().lab.id as string;
    for (const lab of [labId, ownId]) {
      for (const [method, url] of [
        ['GET', `/v1/labs/${lab}/jobs/${job.id}`],
        ['POST', `/v1/labs/${lab}/jobs/${job.id}/cancel`],
        ['GET', `/v1/labs/${lab}/models/${job.modelId}`],
        ['GET', `/v1/labs/${lab}/models/${job.modelId}/card.json`],
        ['GET', `/v1/labs/${lab}/datasets/patients/twin`],
        ['GET', `/v1/labs/${lab}/datasets/patients/twin/data?format=csv`],
        ['POST', `/v1/labs/${lab}/models/${job.modelId}/publish`],
      ] as const) {
        const answer = await call(outsider, method, url, method === 'POST' ? { slug: 'stolen' } : undefined);
        expectCleanProblem(answer, 404, `${method} ${url}`);
      }
    }
    // A member may not pay for a twin of a dataset it does not own, nor ask for a format it made up.
    const byResearcher = await call(researcher, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, {
      epsilon: 0.5,
    });
    expectCleanProblem(byResearcher, 403, 'a researcher paying for a twin');
    const { first } = await refusalsIn(labId, 'twin');
    expect(first.map((entry) => [entry.actorId, entry.data.code])).toEqual([
      [researcher.userId, 'forbidden'],
    ]);
    const badFormat = await call(
      researcher,
      'GET',
      `/v1/labs/${labId}/datasets/patients/twin/data?format=${encodeURIComponent("csv'); COPY x TO '/tmp/y")}`,
    );
    expectCleanProblem(badFormat, 400, 'an invented format');
  });

  it('charges the data owner exactly what its budget holds when twins are asked for at once', async () => {
    const labId = await openLab({ epsilonBudget: 1.5 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(hospital, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, { epsilon: 0.5, rows: 200 }),
      ),
    );
    await platform.labTwins.settle();
    expect(answers.filter((answer) => answer.statusCode === 202)).toHaveLength(3);
    for (const refused of answers.filter((answer) => answer.statusCode !== 202)) {
      expect(expectCleanProblem(refused, 403, 'twin over budget').code).toBe('privacy-budget-exhausted');
    }
    const budget = await call(hospital, 'GET', `/v1/labs/${labId}/datasets/patients/twin/budget`);
    expect(budget.json().spent).toBeCloseTo(1.5, 9);
    for (const [name, payload] of [
      ['ε of 1e-300', { epsilon: 1e-300 }],
      ['ε of 1e300', { epsilon: 1e300 }],
      ['ε as NaN text', { epsilon: 'NaN' }],
      ['δ of 1', { epsilon: 0.5, delta: 1 }],
      ['a billion rows', { epsilon: 0.5, rows: 1e9 }],
    ] as const) {
      const refused = await call(hospital, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, payload);
      expectCleanProblem(refused, 400, name);
    }
    // The two twins the budget could not pay, with the budget, and ε under the floor (the schema
    // refuses the others before the service) with its code: all on the ledger.
    const { first, count } = await refusalsIn(labId, 'twin');
    expect(first.filter((entry) => entry.data.remaining === 0)).toHaveLength(2);
    expect(first.filter((entry) => entry.data.code === 'validation-failed')).toHaveLength(1);
    expect(count).toBe(3);
  });
});
