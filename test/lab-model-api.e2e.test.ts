import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labJobs } from '../src/modules/lab/schema.js';
import { createCredential, subscribe } from './api-hub.js';
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

const job = {
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
};

/**
 * A released lab model published as an API in the hub and called through the gateway over a real
 * socket: the platform answers `POST /gw/{slug}/predict` itself, behind the same key, plan, rate
 * limit, metering and ledger as a proxied API.
 */
describe.each(dbTargets)('a lab model served through the API hub (%s)', (target) => {
  let platform: TestPlatform;
  let base: string;
  let hospital: Tenant;
  let researcher: Tenant;
  let outsider: Tenant;
  let consumer: Tenant;
  let labId: string;
  let modelId: string;
  const slug = `diabetes-risk-${target}`;

  const call = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });
  const publish = (tenant: Tenant, body: object = { slug }) =>
    call(tenant, 'POST', `/v1/labs/${labId}/models/${modelId}/publish`, body);
  const predict = (key: string | undefined, body: unknown) =>
    fetch(`${base}/gw/${slug}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    hospital = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    const patients = await publishDataset(platform, hospital, {
      title: 'Patients',
      slug: `patients_model_api_${target}`,
      content: plantedPatientsCsv(6000),
    });
    const created = await call(hospital, 'POST', '/v1/labs', {
      name: 'Model API lab',
      epsilonBudget: 5,
      defaultEpsilon: 1,
      outputReview: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    labId = created.json().lab.id;
    expect(
      (
        await call(hospital, 'POST', `/v1/labs/${labId}/members`, {
          orgId: researcher.orgId,
          role: 'researcher',
        })
      ).statusCode,
    ).toBe(201);
    const attached = await call(hospital, 'POST', `/v1/labs/${labId}/datasets`, {
      datasetId: patients.id,
      name: 'patients',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'diagnosis'],
      measures: { age: { lower: 0, upper: 110 }, hba1c: { lower: 3, upper: 20 } },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, job);
    expect(submitted.statusCode, submitted.body).toBe(202);
    await platform.labModels.settle();
    const done = await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${submitted.json().id}`);
    expect(done.json().state, done.body).toBe('succeeded');
    modelId = done.json().modelId;
  }, 240_000);
  afterAll(async () => platform?.dispose());

  it('refuses to publish a model still awaiting output review', async () => {
    const refused = await publish(hospital);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(problemOf(refused).detail).toMatch(/pending-review: only a released model/);
    const apis = await call(hospital, 'GET', '/v1/apis?limit=100');
    expect(apis.json().items.map((api: { slug: string }) => api.slug)).not.toContain(slug);
  });

  it('lets only the lab owner publish: a researcher is refused, an outsider does not see the lab', async () => {
    const approved = await call(hospital, 'POST', `/v1/labs/${labId}/models/${modelId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const byResearcher = await publish(researcher);
    expect(byResearcher.statusCode, byResearcher.body).toBe(403);
    const byOutsider = await publish(outsider);
    expect(byOutsider.statusCode, byOutsider.body).toBe(404);
    const entries = await platform.audit.list({ action: 'lab.model.publish', objectId: modelId, limit: 5 });
    expect(entries).toHaveLength(0);
  });

  it('publishes a released model with a plan, and answers predictions through the gateway with a key', async () => {
    const published = await publish(hospital, {
      slug,
      visibility: 'public',
      plan: { name: 'research', rateLimitPerSecond: 20, burst: 40, monthlyQuota: 1000 },
    });
    expect(published.statusCode, published.body).toBe(201);
    const { api, plan } = published.json();
    expect(api).toMatchObject({ slug, visibility: 'public', builtinUpstream: `lab-model:${modelId}` });
    expect(plan).toMatchObject({ name: 'research', rateLimitPerSecond: 20, burst: 40, monthlyQuota: 1000 });
    const [entry] = await platform.audit.list({ action: 'lab.model.publish', objectId: modelId, limit: 1 });
    expect(entry?.data).toMatchObject({ labId, apiId: api.id, slug, planId: plan.id });

    // Its document comes from the model card: the features with their bounds, a probability out.
    const document = await call(consumer, 'GET', `/v1/apis/${api.id}/openapi`);
    expect(document.statusCode, document.body).toBe(200);
    const text = document.body;
    expect(text).toContain('/predict');
    expect(text).toContain('clamped to [20, 90]');
    expect(text).toContain('probability');

    // The same slug cannot be taken twice, and nothing is left behind by the refusal.
    const again = await publish(hospital, { slug });
    expect(again.statusCode).toBe(409);

    expect((await subscribe(platform, consumer, plan.id)).statusCode).toBe(201);
    const { secret } = await createCredential(platform, consumer, 'api-key');
    await platform.gateway.refresh();

    expect((await predict(undefined, { rows: [{ age: 50, hba1c: 6 }] })).status).toBe(401);
    const answered = await predict(secret, {
      rows: [
        { age: 50, hba1c: 5 },
        { age: 50, hba1c: 10 },
        { age: 200, hba1c: 10 },
      ],
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('ratelimit-limit')).toBe('40');
    const body = (await answered.json()) as {
      model: { name: string; version: number };
      predictions: { probability: number; clamped?: string[] }[];
    };
    expect(body.model).toEqual({ name: 'diabetes-risk', version: 1 });
    const [low, high, old] = body.predictions;
    for (const p of body.predictions) {
      expect(p.probability).toBeGreaterThan(0);
      expect(p.probability).toBeLessThan(1);
    }
    // The planted relationship: risk rises with HbA1c, and an age past the trained bounds counts as 90.
    expect(high!.probability).toBeGreaterThan(low!.probability);
    expect(old!.clamped).toEqual(['age']);
    const at90 = (await (await predict(secret, { rows: [{ age: 90, hba1c: 10 }] })).json()) as typeof body;
    expect(at90.predictions[0]!.probability).toBeCloseTo(old!.probability, 12);

    // Metered like any API: usage counted for the consumer, the calls committed to the ledger.
    await platform.meter.flush();
    const usage = await call(consumer, 'GET', `/v1/usage?apiId=${api.id}&granularity=day`);
    expect(usage.statusCode, usage.body).toBe(200);
    const calls = (usage.json().items as { calls: number }[]).reduce((sum, row) => sum + row.calls, 0);
    expect(calls).toBe(2);
    const commits = await platform.audit.list({ action: 'gateway.calls.commit', limit: 5 });
    expect(commits.length).toBeGreaterThan(0);
  });

  it('answers bad input with problem+json naming the field, and meters the refusal', async () => {
    const { secret } = await createCredential(platform, consumer, 'api-key', 'bad-input');
    const cases: [unknown, RegExp][] = [
      [{ rows: [{ age: 50 }] }, /rows\/0\/hba1c: is required/],
      [
        {
          rows: [
            { age: 50, hba1c: 6 },
            { age: 'old', hba1c: 6 },
          ],
        },
        /rows\/1\/age: must be a finite number/,
      ],
      [{ rows: [{ age: 50, hba1c: 6, weight: 80 }] }, /rows\/0\/weight: is not a feature/],
      [{ rows: [] }, /rows: must hold 1 to 1000 rows/],
      [{ rows: Array.from({ length: 1001 }, () => ({ age: 50, hba1c: 6 })) }, /rows: must hold 1 to 1000/],
      [{ data: [] }, /data: is not a known property/],
    ];
    for (const [input, detail] of cases) {
      const refused = await predict(secret, input);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await refused.json()) as { code: string; detail: string; stack?: unknown };
      expect(problem.code).toBe('request-invalid');
      expect(problem.detail).toMatch(detail);
      expect(problem.stack).toBeUndefined();
    }
    const malformed = await predict(secret, '{"rows": [');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('malformed-json');
    const batch = await predict(secret, {
      rows: Array.from({ length: 1000 }, (_, i) => ({ age: 20 + (i % 70), hba1c: 6 })),
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { predictions: unknown[] }).predictions).toHaveLength(1000);
  });

  it('fails a job a stopped process left running, with the reason, and leaves this node’s own jobs alone', async () => {
    const submitted = await call(researcher, 'POST', `/v1/labs/${labId}/jobs`, { ...job, epsilon: 0.5 });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const jobId = submitted.json().id as string;
    // This node runs it: not abandoned, however old its heartbeat.
    expect((await platform.labModels.failAbandoned(0)).map((row) => row.id)).not.toContain(jobId);
    await platform.labModels.settle();
    // The row a stopped process leaves behind: still running, no node keeping its heartbeat.
    await platform.database.db
      .update(labJobs)
      .set({ state: 'running', finishedAt: null, heartbeatAt: new Date(Date.now() - 120_000) })
      .where(eq(labJobs.id, jobId));
    expect(await platform.labModels.failAbandoned(600_000)).toEqual([]);
    const failed = await platform.labModels.failAbandoned(60_000);
    expect(failed.map((row) => row.id)).toEqual([jobId]);
    const shown = await call(researcher, 'GET', `/v1/labs/${labId}/jobs/${jobId}`);
    expect(shown.json()).toMatchObject({ state: 'failed', error: { code: 'job-abandoned' } });
    expect(shown.json().error.detail).toMatch(/the platform stopped while the job was running/);
    const [entry] = await platform.audit.list({ action: 'lab.job.abandon', objectId: jobId, limit: 1 });
    expect(entry?.data).toMatchObject({ labId, state: 'running', epsilon: 0.5 });
    expect(await platform.labModels.failAbandoned(0)).toEqual([]);
  });
});
