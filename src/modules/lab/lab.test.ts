import { createHmac } from 'node:crypto';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
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
import type { CleanRoomPlan } from './cleanroom.js';
import { laplace, seededUniform } from './dp.js';
import { hmacExpression, releaseWithNoise } from './service.js';

/** 240 patients over four districts, plus 3 on Lamma (a group too small to release). */
function patientsCsv(): string {
  const districts = ['Sha Tin', 'Tai Po', 'Kwun Tong', 'Yuen Long'];
  const lines = ['patient_id,sex,district,age,diagnosis'];
  for (let i = 1; i <= 240; i++) {
    lines.push(
      `P${String(i).padStart(6, '0')},${i % 2 ? 'F' : 'M'},${districts[i % 4]},${20 + (i % 60)},E11`,
    );
  }
  for (let i = 241; i <= 243; i++) lines.push(`P${String(i).padStart(6, '0')},F,Islands,${30 + (i % 5)},I10`);
  return `${lines.join('\n')}\n`;
}

/** Claims for the first 120 patients, two each. */
function claimsCsv(): string {
  const lines = ['member_ref,claim_type,amount'];
  for (let i = 1; i <= 120; i++) {
    lines.push(`P${String(i).padStart(6, '0')},outpatient,${(i * 37) % 5000}`);
    lines.push(`P${String(i).padStart(6, '0')},inpatient,${(i * 91) % 40000}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('differential privacy mechanism', () => {
  it('draws Laplace noise with the documented scale (E|X| = b, Var X = 2b²)', () => {
    const uniform = seededUniform(20261125);
    const b = 2.5;
    const draws = Array.from({ length: 40_000 }, () => laplace(b, uniform));
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    const meanAbs = draws.reduce((sum, x) => sum + Math.abs(x), 0) / draws.length;
    const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(meanAbs / b).toBeGreaterThan(0.97);
    expect(meanAbs / b).toBeLessThan(1.03);
    expect(variance / (2 * b * b)).toBeGreaterThan(0.94);
    expect(variance / (2 * b * b)).toBeLessThan(1.06);
  });

  it('makes two datasets that differ by one person nearly indistinguishable (ratio within e^ε)', () => {
    // A differencing attack: the same count with and without one person. Under ε-DP, every outcome
    // is at most e^ε times more likely with the person than without.
    const plan: CleanRoomPlan = {
      tables: ['t'],
      columns: [{ name: 'n', kind: 'count-subjects' }],
      from: { kind: 'table', table: 't', alias: null },
      where: null,
    };
    const epsilon = 1;
    const uniform = seededUniform(7);
    const histogram = (subjects: number) => {
      const counts = new Map<number, number>();
      for (let i = 0; i < 60_000; i++) {
        const release = releaseWithNoise(plan, [[subjects, subjects]], {
          epsilon,
          minGroupSize: 0,
          maxRowsPerSubject: 1,
          maxGroupsPerSubject: 1,
          uniform,
        });
        const value = Number(release.rows[0]?.[0]);
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      return counts;
    };
    const withPerson = histogram(51);
    const withoutPerson = histogram(50);
    // The subject count is released with the whole ε: the same noisy count decides suppression.
    const bound = Math.exp(epsilon);
    let checked = 0;
    for (const [value, count] of withPerson) {
      const other = withoutPerson.get(value) ?? 0;
      if (count < 500 || other < 500) continue; // too few draws for a stable ratio
      checked += 1;
      expect(count / other).toBeLessThan(bound * 1.15);
      expect(other / count).toBeLessThan(bound * 1.15);
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('computes HMAC-SHA256 in SQL exactly as node:crypto does', async () => {
    const key = 'ab'.repeat(32);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT ${hmacExpression(key, "'P000042'")} AS h`);
    expect(reader.getRowsJson()[0]![0]).toBe(
      createHmac('sha256', Buffer.from(key, 'hex')).update('P000042').digest('hex'),
    );
    connection.closeSync();
    instance.closeSync();
  });
});

describe.each(dbTargets)('data lab (%s)', (target) => {
  let platform: TestPlatform;
  let hospital: Tenant;
  let insurer: Tenant;
  let researcher: Tenant;
  let outsider: Tenant;
  let labId: string;

  const lab = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url: `/v1/labs/${labId}${url}`, headers: tenant.headers, payload });

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    hospital = await createTenant(platform, { kinds: ['provider'] });
    insurer = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer'] });
    const patients = await publishDataset(platform, hospital, {
      title: 'Patients',
      slug: `patients_${target}`,
      content: patientsCsv(),
    });
    const claims = await publishDataset(platform, insurer, {
      title: 'Claims',
      slug: `claims_${target}`,
      content: claimsCsv(),
    });
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/labs',
      headers: hospital.headers,
      payload: { name: 'Diabetes outcomes', minGroupSize: 10, epsilonBudget: 2, defaultEpsilon: 0.5 },
    });
    expect(created.statusCode, created.body).toBe(201);
    labId = created.json().lab.id;
    for (const [org, role] of [
      [insurer, 'data-owner'],
      [researcher, 'researcher'],
    ] as const) {
      const added = await lab(hospital, 'POST', '/members', { orgId: org.orgId, role });
      expect(added.statusCode, added.body).toBe(201);
    }
    const attached = await lab(hospital, 'POST', '/datasets', {
      datasetId: patients.id,
      name: 'patients',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'district', 'diagnosis'],
      measures: { age: { lower: 0, upper: 110 } },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const claimsAttached = await lab(insurer, 'POST', '/datasets', {
      datasetId: claims.id,
      name: 'claims',
      subjectColumn: 'member_ref',
      dimensions: ['claim_type'],
      measures: { amount: { lower: 0, upper: 50_000 } },
    });
    expect(claimsAttached.statusCode, claimsAttached.body).toBe(201);
  });
  afterAll(async () => platform?.dispose());

  it('keeps raw identifiers out of the clean room: only HMAC pseudonyms are copied', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const file = path.join(platform.engine.labsDir, labId, 'patients.parquet');
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${file}') ORDER BY subject_key LIMIT 3`,
    );
    const text = JSON.stringify(reader.getRowObjectsJson());
    expect(text).not.toMatch(/P0000\d\d/);
    expect(reader.columnNames()).toEqual([
      'subject_key',
      'sex',
      'district',
      'diagnosis',
      'age',
      'subject_row',
    ]);
    connection.closeSync();
    instance.closeSync();
  });

  it('refuses row-level queries and anything but dimensions and aggregates', async () => {
    for (const sql of [
      'SELECT * FROM patients',
      'SELECT subject_key FROM patients',
      'SELECT district, age FROM patients',
      'SELECT subject_key, count(*) FROM patients GROUP BY subject_key',
      'SELECT age, count(*) FROM patients GROUP BY age',
      'SELECT district, list(age) FROM patients GROUP BY district',
      'SELECT district, count(*) FROM patients GROUP BY district HAVING count(*) < 5',
      'SELECT district, count(*) FROM patients WHERE age = 42 GROUP BY district',
      'SELECT district, count(*) FROM patients GROUP BY district ORDER BY 2 LIMIT 1',
      'SELECT district, sum(age) + 1 FROM patients GROUP BY district',
      'SELECT district, median(age) FROM patients GROUP BY district',
      'SELECT district, count(*) FROM patients JOIN claims ON true GROUP BY district',
      "SELECT count(*) FROM read_parquet('/etc/passwd')",
      `SELECT count(*) FROM claims_${target}`,
      'WITH x AS (SELECT * FROM patients) SELECT count(*) FROM x',
    ]) {
      const response = await lab(researcher, 'POST', '/queries', { sql, epsilon: 0.01 });
      expect(response.statusCode, `${sql}: ${response.body}`).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
    }
  });

  it('releases noisy aggregates and suppresses groups under k subjects', async () => {
    const response = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT district, count(*) AS n, avg(age) AS mean_age FROM patients GROUP BY district',
      epsilon: 0.6,
    });
    expect(response.statusCode, response.body).toBe(201);
    const { result, state, datasets } = response.json();
    expect(state).toBe('released');
    expect(datasets[0].name).toBe('patients');
    const districts = result.rows.map((row: unknown[]) => row[0]);
    expect(districts).not.toContain('Islands'); // 3 subjects < k = 10
    // How many groups were suppressed is not said: it would tell that a small group exists.
    expect(result).not.toHaveProperty('suppressedGroups');
    expect(result.intervals).toHaveLength(result.rows.length);
    // 60 per district plus Laplace noise of scale b: |noise| > 8b has odds e^-8 ≈ 3·10⁻⁴ per group.
    for (const row of result.rows) {
      expect(Math.abs(Number(row[1]) - 60)).toBeLessThan(8 * result.noiseScales.n);
      expect(Number(row[2])).toBeGreaterThanOrEqual(0);
      expect(Number(row[2])).toBeLessThanOrEqual(110);
    }
    expect(result.noiseScales.n).toBeGreaterThan(0);
  });

  it('joins owners on pseudonyms without returning any identifier', async () => {
    const response = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT p.sex, c.claim_type, count(DISTINCT subject_key) AS people, sum(c.amount) AS total FROM patients p JOIN claims c USING (subject_key) GROUP BY p.sex, c.claim_type',
      epsilon: 0.4,
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = JSON.stringify(response.json().result);
    expect(body).not.toMatch(/P0000\d\d/);
    expect(body).not.toMatch(/[0-9a-f]{16}|\d{15,}/);
    const { rows, noiseScales } = response.json().result as {
      rows: unknown[][];
      noiseScales: Record<string, number>;
    };
    expect(rows.length).toBe(4); // F/M × inpatient/outpatient, 60 people each
    for (const row of rows) expect(Math.abs(Number(row[2]) - 60)).toBeLessThan(8 * noiseScales.people!);
  });

  it('refuses a query the budget cannot pay, saying what remains', async () => {
    const budget = (await lab(researcher, 'GET', '/budget')).json();
    expect(budget.spent).toBeCloseTo(1, 5);
    const ok = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT sex, count(*) FROM patients GROUP BY sex',
      epsilon: 0.9,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const refused = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT sex, count(*) FROM patients GROUP BY sex',
      epsilon: 0.2,
    });
    expect(refused.statusCode).toBe(403);
    const problem = problemOf(refused) as ReturnType<typeof problemOf> & { remaining: number };
    expect(problem.code).toBe('privacy-budget-exhausted');
    expect(problem.remaining).toBeCloseTo(0.1, 5);
  });

  it('keeps other organisations and other labs out', async () => {
    expect((await lab(outsider, 'GET', '')).statusCode).toBe(404);
    expect(
      (await lab(outsider, 'POST', '/queries', { sql: 'SELECT sex, count(*) FROM patients GROUP BY sex' }))
        .statusCode,
    ).toBe(404);
    const other = await platform.app.inject({
      method: 'POST',
      url: '/v1/labs',
      headers: insurer.headers,
      payload: { name: 'Claims only' },
    });
    const otherId = other.json().lab.id;
    const response = await platform.app.inject({ url: `/v1/labs/${otherId}`, headers: researcher.headers });
    expect(response.statusCode).toBe(404);
    // And lab datasets are not datasets: the governed query engine does not know them.
    const direct = await platform.app.inject({
      method: 'POST',
      url: '/v1/query',
      headers: researcher.headers,
      payload: { sql: 'SELECT count(*) FROM patients' },
    });
    expect(direct.statusCode).toBe(403);
  });

  it('holds results for output review when the owner asks for it, and records every query', async () => {
    const reviewed = await platform.app.inject({
      method: 'POST',
      url: '/v1/labs',
      headers: hospital.headers,
      payload: { name: 'Reviewed', outputReview: true, minGroupSize: 5 },
    });
    const reviewedId = reviewed.json().lab.id;
    const path_ = `/v1/labs/${reviewedId}`;
    await platform.app.inject({
      method: 'POST',
      url: `${path_}/members`,
      headers: hospital.headers,
      payload: { orgId: researcher.orgId, role: 'researcher' },
    });
    const dataset = (
      await platform.app.inject({ url: `/v1/datasets?q=patients`, headers: hospital.headers })
    ).json().items[0];
    await platform.app.inject({
      method: 'POST',
      url: `${path_}/datasets`,
      headers: hospital.headers,
      payload: {
        datasetId: dataset.id,
        name: 'patients',
        subjectColumn: 'patient_id',
        dimensions: ['sex'],
        measures: {},
      },
    });
    const run = await platform.app.inject({
      method: 'POST',
      url: `${path_}/queries`,
      headers: researcher.headers,
      payload: { sql: 'SELECT sex, count(*) AS n FROM patients GROUP BY sex' },
    });
    expect(run.statusCode, run.body).toBe(201);
    const query = run.json();
    expect(query.state).toBe('pending-review');
    expect(query.result.rows).toEqual([]);
    const approve = await platform.app.inject({
      method: 'POST',
      url: `${path_}/queries/${query.id}/approve`,
      headers: hospital.headers,
      payload: {},
    });
    expect(approve.statusCode, approve.body).toBe(200);
    const seen = await platform.app.inject({
      url: `${path_}/queries/${query.id}`,
      headers: researcher.headers,
    });
    expect(seen.json().state).toBe('released');
    expect(seen.json().result.rows).toHaveLength(2);
    const entries = await platform.audit.list({ objectId: query.id, limit: 10 });
    expect(entries.map((entry) => entry.action).sort()).toEqual(['lab.query', 'lab.query.approve']);
  });
});
