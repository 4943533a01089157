import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEmail, createTestPlatform, password, signIn, type TestPlatform } from '../../test/harness.js';
import { clinicalWorld, demoLabSettings, type LabSeedResult, labDemoDatasets, seedDemoLab } from './lab.js';
import { seedDemoCommunity } from './seed.js';

const researcherEmail = 'alex@shatin-ai-labs.demo';

describe('demo lab', () => {
  let platform: TestPlatform;
  let first: LabSeedResult;
  let second: LabSeedResult;
  /** Sha Tin AI Labs: the lab's researcher. */
  let researcher: string;

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
  });
  afterAll(async () => platform?.dispose());

  it('adds nothing when seeded again: one lab, three member organisations, four lab datasets', async () => {
    const slugs = labDemoDatasets.map((spec) => spec.metadata.slug);
    expect(first).toMatchObject({ created: slugs, existing: [], lab: { created: true } });
    expect(second).toEqual({ ...first, created: [], existing: slugs, lab: { ...first.lab, created: false } });

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

  it('refuses the researcher a row-level query', async () => {
    const response = await labQuery('SELECT * FROM patients', 0.01);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().code).toBe('query-refused');
    expect(response.body).not.toMatch(/HN\d{8}/);
  });
});
