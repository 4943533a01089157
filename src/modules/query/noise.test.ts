import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAccess, publishDataset, runQuery } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';

/**
 * A clinic's visits: 120 patients in three districts, one to three visits each, and one patient
 * (P999) who alone is 99 years old: the target of a differencing attack.
 */
function visitsCsv(): {
  csv: string;
  rows: { patient: string; district: string; age: number; cost: number }[];
} {
  const districts = ['Sha Tin', 'Kwun Tong', 'Tai Po'];
  const rows: { patient: string; district: string; age: number; cost: number }[] = [];
  for (let i = 1; i <= 120; i++) {
    const visits = 1 + (i % 3);
    for (let v = 0; v < visits; v++) {
      rows.push({
        patient: `P${String(i).padStart(3, '0')}`,
        district: districts[i % 3]!,
        age: 20 + (i % 60),
        cost: 100 + ((i * 37 + v * 11) % 400),
      });
    }
  }
  rows.push({ patient: 'P999', district: 'Sha Tin', age: 99, cost: 777 });
  const lines = ['visit_id,patient_id,district,age,cost'];
  for (const [i, row] of rows.entries()) {
    lines.push(`V${i + 1},${row.patient},${row.district},${row.age},${row.cost}`);
  }
  return { csv: `${lines.join('\n')}\n`, rows };
}

const noise = {
  epsilon: 0.5,
  minEpsilon: 0.1,
  epsilonBudget: 2,
  maxRowsPerSubject: 3,
  measures: { cost: { lower: 0, upper: 1000 } },
};

describe.each(dbTargets)('aggregate-only grants with noise (%s)', (target) => {
  let platform: TestPlatform;
  let clinic: Tenant;
  let datasetId: string;
  const { csv, rows } = visitsCsv();

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    clinic = await createTenant(platform, { kinds: ['provider'] });
    const dataset = await publishDataset(platform, clinic, {
      title: 'Clinic visits',
      slug: 'clinic_visits',
      content: csv,
      classifications: { patient_id: 'identifier', visit_id: 'identifier' },
    });
    datasetId = dataset.id;
    const patched = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${datasetId}`,
      headers: clinic.headers,
      payload: { subjectColumn: 'patient_id' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
  });
  afterAll(async () => platform?.dispose());

  async function researcherWith(terms: object): Promise<{ tenant: Tenant; agreementId: string }> {
    const tenant = await createTenant(platform, { kinds: ['consumer'] });
    const agreement = await grantAccess(platform, tenant, clinic, datasetId, {
      columns: ['district', 'age', 'cost'],
      terms: { aggregateOnly: true, minGroupSize: 5, ...terms },
    });
    return { tenant, agreementId: agreement.id };
  }

  it('releases every aggregate with noise and a 95% interval, and records the ε spent', async () => {
    const { tenant, agreementId } = await researcherWith({ noise });
    const response = await runQuery(
      platform,
      tenant,
      'SELECT district, count(*) AS visits, sum(cost) AS total, avg(cost) AS mean FROM clinic_visits GROUP BY district',
    );
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result.columns.map((column: { name: string }) => column.name)).toEqual([
      'district',
      'visits',
      'total',
      'mean',
    ]);
    expect(result.noise.epsilon).toBe(0.5);
    expect(result.noise.budget).toEqual({ scope: 'analyst', total: 2, spent: 0.5, remaining: 1.5 });
    expect(result.rows).toHaveLength(3);
    expect(result.noise.intervals).toHaveLength(3);
    for (const [i, row] of (result.rows as [string, number, number, number][]).entries()) {
      const [district, visits, total, mean] = row;
      const exact = rows.filter((r) => r.district === district);
      const exactTotal = exact.reduce((sum, r) => sum + r.cost, 0);
      const [keyWidth, visitsWidth, totalWidth, meanWidth] = result.noise.intervals[i];
      expect(keyWidth).toBeNull();
      for (const width of [visitsWidth, totalWidth, meanWidth]) expect(width).toBeGreaterThan(0);
      // Noisy, not exact; within five half-widths (a Laplace draw passes that with odds 20⁻⁵).
      expect(total).not.toBe(exactTotal);
      expect(Math.abs(total - exactTotal)).toBeLessThan(5 * totalWidth);
      expect(Math.abs(visits - exact.length)).toBeLessThan(5 * visitsWidth);
      expect(mean).toBeGreaterThanOrEqual(0);
      expect(mean).toBeLessThanOrEqual(1000);
    }
    const charges = await platform.audit.list({ action: 'query.charge', objectId: agreementId, limit: 10 });
    expect(charges).toHaveLength(1);
    expect(charges[0]!.data).toMatchObject({
      epsilon: 0.5,
      budgetScope: 'analyst',
      datasets: [{ id: datasetId }],
    });
    const runs = await platform.audit.list({ action: 'query.run', objectId: result.queryId, limit: 1 });
    expect(runs[0]!.data).toMatchObject({ epsilon: 0.5, agreements: [agreementId] });
  });

  it('spends the budget, then refuses with privacy-budget-exhausted', async () => {
    const { tenant } = await researcherWith({ noise });
    const sql = 'SELECT count(*) AS n FROM clinic_visits';
    const first = await runQuery(platform, tenant, sql, { epsilon: 1.5 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().noise.budget.remaining).toBe(0.5);
    const tooMuch = await runQuery(platform, tenant, sql, { epsilon: 1 });
    expect(tooMuch.statusCode).toBe(403);
    expect(problemOf(tooMuch)).toMatchObject({ code: 'privacy-budget-exhausted', remaining: 0.5, total: 2 });
    const last = await runQuery(platform, tenant, sql);
    expect(last.statusCode, last.body).toBe(200);
    expect(last.json().noise.budget.remaining).toBe(0);
    const refused = await runQuery(platform, tenant, sql, { epsilon: 0.1 });
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('privacy-budget-exhausted');
  });

  it("refuses an ε under the owner's floor and an ε on a grant without noise", async () => {
    const { tenant } = await researcherWith({ noise });
    const below = await runQuery(platform, tenant, 'SELECT count(*) AS n FROM clinic_visits', {
      epsilon: 0.01,
    });
    expect(below.statusCode).toBe(400);
    expect(problemOf(below).code).toBe('validation-failed');
    expect(problemOf(below).detail).toContain('floor');
    const exact = await researcherWith({});
    const needless = await runQuery(platform, exact.tenant, 'SELECT count(*) AS n FROM clinic_visits', {
      epsilon: 0.5,
    });
    expect(needless.statusCode).toBe(400);
    expect(problemOf(needless).code).toBe('validation-failed');
  });

  it('refuses what the mechanism cannot bound, before any ε is spent', async () => {
    const { tenant } = await researcherWith({ noise: { ...noise, epsilonBudget: 0.5 } });
    for (const sql of [
      'SELECT district, min(cost) AS low FROM clinic_visits GROUP BY district',
      'SELECT district, sum(age) AS ages FROM clinic_visits GROUP BY district',
      'SELECT district, count(*) AS n FROM clinic_visits GROUP BY district ORDER BY n LIMIT 1',
      'SELECT district, median(cost) AS m FROM clinic_visits GROUP BY district',
    ]) {
      const response = await runQuery(platform, tenant, sql);
      expect(response.statusCode, `${sql}\n${response.body}`).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
      expect(problemOf(response).detail).toContain('aggregate-only with noise');
    }
    const allowed = await runQuery(platform, tenant, 'SELECT count(*) AS n FROM clinic_visits');
    expect(allowed.statusCode, allowed.body).toBe(200);
  });

  it('stops a differencing attack that thresholds alone let through', async () => {
    const target = rows.find((row) => row.patient === 'P999')!;
    const everyone = 'SELECT count(*) AS n, sum(cost) AS total FROM clinic_visits';
    const allButOne = 'SELECT count(*) AS n, sum(cost) AS total FROM clinic_visits WHERE age < 99';

    // With exact aggregates both groups pass k, and their difference is the target's cost.
    const exact = await researcherWith({});
    const a = await runQuery(platform, exact.tenant, everyone);
    const b = await runQuery(platform, exact.tenant, allButOne);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(Number(a.json().rows[0][1]) - Number(b.json().rows[0][1])).toBe(target.cost);

    // With noise the same two queries no longer subtract to it.
    const noisy = await researcherWith({ noise });
    const c = await runQuery(platform, noisy.tenant, everyone);
    const d = await runQuery(platform, noisy.tenant, allButOne);
    expect(c.statusCode, c.body).toBe(200);
    expect(d.statusCode, d.body).toBe(200);
    const difference = c.json().rows[0][1] - d.json().rows[0][1];
    expect(Math.abs(difference - target.cost)).toBeGreaterThan(0.5);
    expect(c.json().rows[0][0] - d.json().rows[0][0]).not.toBe(1);
  });

  it('never overspends when concurrent queries race for the end of a budget', async () => {
    const { tenant, agreementId } = await researcherWith({
      noise: { ...noise, epsilon: 0.25, minEpsilon: 0.25, epsilonBudget: 1, budgetScope: 'organisation' },
    });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        runQuery(platform, tenant, 'SELECT district, count(*) AS n FROM clinic_visits GROUP BY district'),
      ),
    );
    const codes = responses.map((response) => response.statusCode).sort();
    expect(codes).toEqual([200, 200, 200, 200, 403, 403, 403, 403]);
    for (const response of responses.filter((r) => r.statusCode === 403)) {
      expect(problemOf(response).code).toBe('privacy-budget-exhausted');
    }
    const charges = await platform.audit.list({ action: 'query.charge', objectId: agreementId, limit: 20 });
    expect(charges.reduce((sum, entry) => sum + Number(entry.data.epsilon), 0)).toBeCloseTo(1, 9);
    // The platform still answers.
    const tables = await platform.app.inject({
      method: 'GET',
      url: '/v1/query/tables',
      headers: tenant.headers,
    });
    expect(tables.statusCode).toBe(200);
  });

  it('validates the noise terms when the owner approves', async () => {
    const cases: [object, string][] = [
      [{ noise }, 'noise'],
      [{ aggregateOnly: true, noise: { ...noise, minEpsilon: 0.00001, epsilon: 0.5 } }, 'noise.minEpsilon'],
      [{ aggregateOnly: true, noise: { ...noise, epsilon: 0.05 } }, 'noise.epsilon'],
      [{ aggregateOnly: true, noise: { ...noise, epsilon: 3 } }, 'noise.epsilon'],
      [{ aggregateOnly: true, noise: { ...noise, epsilon: 0 } }, 'noise/epsilon'],
      [
        { aggregateOnly: true, noise: { ...noise, measures: { district: { lower: 0, upper: 1 } } } },
        'noise.measures.district',
      ],
      [
        { aggregateOnly: true, noise: { ...noise, measures: { cost: { lower: 5, upper: 5 } } } },
        'noise.measures.cost',
      ],
    ];
    for (const [terms, field] of cases) {
      const tenant = await createTenant(platform, { kinds: ['consumer'] });
      const request = await platform.app.inject({
        method: 'POST',
        url: '/v1/access-requests',
        headers: tenant.headers,
        payload: {
          datasetId,
          purpose: 'research',
          purposeText: 'testing noise terms',
          columns: ['district', 'age', 'cost'],
          durationDays: 30,
          wantsDownload: false,
        },
      });
      expect(request.statusCode, request.body).toBe(201);
      const approved = await platform.app.inject({
        method: 'POST',
        url: `/v1/access-requests/${request.json().id}/approve`,
        headers: clinic.headers,
        payload: terms,
      });
      expect(approved.statusCode, `${JSON.stringify(terms)}\n${approved.body}`).toBe(
        field.includes('/') ? 400 : 422,
      );
      expect(JSON.stringify(problemOf(approved)), JSON.stringify(terms)).toContain(field);
    }
  });
});
