import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEmail, createTestPlatform, password, signIn, type TestPlatform } from '../../test/harness.js';
import {
  clinicalWorld,
  demoLabSettings,
  type LabSeedResult,
  labDemoDatasets,
  plantedDiabetes,
  seedDemoLab,
} from './lab.js';
import { demoModelSlug } from './lab-model.js';
import { seedDemoCommunity } from './seed.js';

const researcherEmail = 'alex@shatin-ai-labs.demo';
const hospitalEmail = 'dr.chan@hospital-data-lab.demo';
const consumerEmail = 'lin@qianhai-fintech.demo';

describe('demo lab', () => {
  let platform: TestPlatform;
  let first: LabSeedResult;
  let second: LabSeedResult;
  /** Sha Tin AI Labs: the lab's researcher. */
  let researcher: string;
  /** The hospital: the lab's owner. */
  let hospital: string;
  /** Qianhai FinTech: outside the lab, a consumer of the model's API. */
  let consumer: string;
  let base: string;

  const as = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const predict = (key: string, rows: object[]) =>
    fetch(`${base}/gw/${demoModelSlug}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ rows }),
    });

  const labQuery = (sql: string, epsilon?: number) =>
    platform.app.inject({
      method: 'POST',
      url: `/v1/labs/${first.lab.id}/queries`,
      headers: { cookie: researcher },
      payload: { sql, ...(epsilon === undefined ? {} : { epsilon }) },
    });

  beforeAll(async () => {
    platform = await createTestPlatform('pglite');
    await seedDemoCommunity(platform.identity, { adminEmail, demoPassword: password });
    first = await seedDemoLab(platform);
    second = await seedDemoLab(platform);
    researcher = await signIn(platform, researcherEmail);
    hospital = await signIn(platform, hospitalEmail);
    consumer = await signIn(platform, consumerEmail);
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => platform?.dispose());

  it('adds nothing when seeded again: one lab, three member organisations, four lab datasets', async () => {
    const slugs = labDemoDatasets.map((spec) => spec.metadata.slug);
    expect(first).toMatchObject({ created: slugs, existing: [], lab: { created: true } });
    expect(first.model).toMatchObject({ slug: demoModelSlug, created: true });
    expect(second).toEqual({
      ...first,
      created: [],
      existing: slugs,
      lab: { ...first.lab, created: false },
      model: { ...first.model, created: false },
    });
    const jobs = (await as(researcher, 'GET', `/v1/labs/${first.lab.id}/jobs`)).json().items;
    expect(jobs).toHaveLength(1);

    const { items } = (
      await platform.app.inject({ method: 'GET', url: '/v1/labs', headers: { cookie: researcher } })
    ).json();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: first.lab.id, ...demoLabSettings });
    const detail = (
      await platform.app.inject({ url: `/v1/labs/${first.lab.id}`, headers: { cookie: researcher } })
    ).json();
    expect(detail.members).toHaveLength(3);
    expect(detail.datasets.map((dataset: { name: string }) => dataset.name).sort()).toEqual([
      'claims',
      'diagnoses',
      'lab_results',
      'patients',
    ]);
    const world = clinicalWorld();
    const rowCounts = Object.fromEntries(
      detail.datasets.map((dataset: { name: string; rowCount: number }) => [dataset.name, dataset.rowCount]),
    );
    expect(rowCounts).toEqual({
      patients: world.patients.length,
      diagnoses: world.diagnoses.length,
      lab_results: world.labResults.length,
      claims: world.claims.length,
    });
  });

  it("lets the researcher join the hospital's patients and the insurer's claims, noisy and without identifiers", async () => {
    const response = await labQuery(first.sampleQuery, 0.3);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.body).not.toMatch(/HN\d{8}/);
    const { state, result } = response.json();
    expect(state).toBe('released');
    expect(result.columns.map((column: { name: string }) => column.name)).toEqual([
      'district',
      'patients',
      'mean_claim',
    ]);

    // What the noise hides: patients with at least one claim, per district of residence.
    const world = clinicalWorld();
    const claimants = new Set(world.claims.map((claim) => claim.patient_id));
    const exact = new Map<string, number>();
    for (const patient of world.patients) {
      if (claimants.has(patient.patient_id))
        exact.set(patient.district, (exact.get(patient.district) ?? 0) + 1);
    }
    expect(exact.size).toBe(18);
    expect(result.rows.length).toBeLessThanOrEqual(18);
    expect(result.rows.length).toBeGreaterThanOrEqual(17); // every district has 60+ such patients
    // ε = 0.3 in two shares: the subject count (also the mean's denominator) and the mean's sum.
    // b = 1 / 0.15 for the count.
    expect(result.noiseScales.patients).toBeCloseTo(1 / 0.15, 6);
    const rows = result.rows as [string, number, number][];
    rows.forEach(([district, patients, meanClaim], i) => {
      // |Lap(6.7)| > 100 has probability e^(-15) ≈ 3e-7.
      expect(Math.abs(patients - exact.get(district)!), district).toBeLessThan(100);
      expect(meanClaim).toBeGreaterThanOrEqual(0);
      expect(meanClaim).toBeLessThanOrEqual(50_000);
      const [, countHalfWidth, meanHalfWidth] = result.intervals[i] as [null, number, number];
      expect(countHalfWidth).toBeCloseTo(Math.log(20) / 0.15, 1);
      expect(meanHalfWidth).toBeGreaterThan(0);
    });
    // The mean claim of the largest district (about 250 claimants) is not swamped by the noise:
    // its 95% interval is a few thousand dollars wide on a range of 50,000.
    const largest = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
    const largestIntervals = result.intervals[rows.indexOf(largest)] as [null, number, number];
    expect(largestIntervals[2]).toBeLessThan(5000);
    // Noisy, not exact: a count rounds to its true value with probability 1 − e^(−0.5/6) ≈ 8%, all 17+ ≈ 0.
    expect(
      result.rows.some(([district, patients]: [string, number]) => patients !== exact.get(district)),
    ).toBe(true);
  });

  it('plants a logistic diabetes risk in age and HbA1c', () => {
    const { patients } = clinicalWorld();
    const share = (rows: typeof patients) => rows.filter((p) => p.diabetes).length / rows.length;
    const adults = patients.filter((p) => p.age >= 18);
    const young = adults.filter((p) => p.age < 50 && p.hba1c < 6);
    const old = adults.filter((p) => p.age >= 65 && p.hba1c >= 6.5);
    expect(share(old)).toBeGreaterThan(share(young) + 0.3);
    expect(patients.every((p) => p.diabetes === p.codes.includes('E11'))).toBe(true);
    expect(plantedDiabetes.age).toBeGreaterThan(0);
    expect(plantedDiabetes.hba1c).toBeGreaterThan(0);
  });

  it('holds the released model diabetes-risk, trained in the lab with the planted signs, served and metered through the gateway', async () => {
    const labId = first.lab.id;
    const models = (await as(researcher, 'GET', `/v1/labs/${labId}/models`)).json().items;
    expect(models).toHaveLength(1);
    const [model] = models;
    expect(model).toMatchObject({
      id: first.model.modelId,
      name: demoModelSlug,
      version: 1,
      state: 'released',
      publication: { apiId: first.model.apiId, slug: demoModelSlug, isRetired: false },
    });
    // The planted log-odds rise with age and HbA1c: DP-SGD at ε 1 finds both signs.
    expect(model.card.coefficients.age).toBeGreaterThan(0);
    expect(model.card.coefficients.hba1c).toBeGreaterThan(0);
    expect(model.card.privacy.epsilon).toBeLessThanOrEqual(1);
    expect(model.card.datasets).toEqual([expect.objectContaining({ name: 'patients' })]);
    const published = await platform.audit.list({
      action: 'lab.model.publish',
      objectId: model.id,
      limit: 2,
    });
    expect(published).toHaveLength(1);

    // A demo organisation subscribes to the open plan with a key of its own and calls predict.
    const plans = (await as(consumer, 'GET', `/v1/apis/${first.model.apiId}/plans`)).json();
    const planId = (plans.items ?? plans)[0].id as string;
    expect((await as(consumer, 'POST', '/v1/subscriptions', { planId })).statusCode).toBe(201);
    const credential = await as(consumer, 'POST', '/v1/credentials', { name: 'risk', kind: 'api-key' });
    expect(credential.statusCode, credential.body).toBe(201);
    const key = credential.json().secret as string;
    await platform.gateway.refresh();
    const answered = await predict(key, [
      { age: 40, hba1c: 5.5 },
      { age: 70, hba1c: 8 },
    ]);
    expect(answered.status).toBe(200);
    const [low, high] = ((await answered.json()) as { predictions: { probability: number }[] }).predictions;
    expect(high!.probability).toBeGreaterThan(low!.probability);
    await platform.meter.flush();
    const usage = await as(consumer, 'GET', `/v1/usage?apiId=${first.model.apiId}&granularity=day`);
    const calls = (usage.json().items as { calls: number }[]).reduce((sum, row) => sum + row.calls, 0);
    expect(calls).toBe(1);

    // Unpublished by the lab owner alone: predict is refused from then on, with the ledger entry.
    const url = `/v1/labs/${labId}/models/${model.id}/unpublish`;
    const byResearcher = await as(researcher, 'POST', url, {});
    expect(byResearcher.statusCode).toBe(403);
    const unpublished = await as(hospital, 'POST', url, { reason: 'demo: retired' });
    expect(unpublished.statusCode, unpublished.body).toBe(200);
    expect(unpublished.json()).toMatchObject({ slug: demoModelSlug, isRetired: true });
    await platform.gateway.refresh();
    const refused = await predict(key, [{ age: 40, hba1c: 5.5 }]);
    expect(refused.status).toBe(410);
    const [entry] = await platform.audit.list({
      action: 'lab.model.unpublish',
      objectId: model.id,
      limit: 1,
    });
    expect(entry).toMatchObject({ reason: 'demo: retired', data: { slug: demoModelSlug } });
    expect((await as(hospital, 'POST', url, {})).statusCode).toBe(409);
    // Seeding again leaves the retired API as it is: the slug stays taken, nothing is trained again.
    const third = await seedDemoLab(platform);
    expect(third.model).toMatchObject({ modelId: model.id, created: false });
  });

  it('refuses the researcher a row-level query', async () => {
    const response = await labQuery('SELECT * FROM patients', 0.01);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().code).toBe('query-refused');
    expect(response.body).not.toMatch(/HN\d{8}/);
  });
});
