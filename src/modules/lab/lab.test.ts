import { createHmac } from 'node:crypto';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { and, eq } from 'drizzle-orm';
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
import { notifications } from '../community/schema.js';
import { loadFunctionCatalog, parseSelect } from '../query/guard.js';
import { type CleanRoomPlan, planCleanRoomQuery } from './cleanroom.js';
import { laplace, seededUniform } from './dp.js';
import { hmacExpression, releaseWithNoise } from './service.js';

const aggregatePlan = (columns: CleanRoomPlan['columns']): CleanRoomPlan => ({
  tables: ['t'],
  columns,
  from: { kind: 'table', table: 't', alias: null },
  where: null,
});

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

  it('gives a mean over 150 subjects at ε 0.3 on values 0–50,000 a 95% interval under 10% of the range, and the interval holds', () => {
    // The demo's question: a mean claim per district, about 150 claimants each. The compiled query
    // hands over, per group, the sum of each subject's mean centred on the middle of the bounds and
    // the number of subjects; here 150 subjects with means spread over the range (true mean 17,000).
    const lower = 0;
    const upper = 50_000;
    const plan = aggregatePlan([
      { name: 'subjects', kind: 'count-subjects' },
      { name: 'mean', kind: 'avg', bounds: { lower, upper } },
    ]);
    const values = Array.from({ length: 150 }, (_, i) => (i * 4567) % 34_000);
    const exactMean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const centred = values.reduce((sum, value) => sum + (value - (lower + upper) / 2), 0);
    const uniform = seededUniform(2026);
    let covered = 0;
    const halfWidths: number[] = [];
    const releases = 4000;
    for (let i = 0; i < releases; i++) {
      const release = releaseWithNoise(plan, [[150, centred, 150]], {
        epsilon: 0.3,
        minGroupSize: 10,
        maxRowsPerSubject: 5,
        maxGroupsPerSubject: 1,
        uniform,
      });
      const [, mean] = release.rows[0] as [number, number];
      const [, halfWidth] = release.intervals[0] as [null, number];
      halfWidths.push(halfWidth);
      if (Math.abs(mean - exactMean) <= halfWidth) covered += 1;
    }
    // The half-width depends on the noisy count and mean only: typically 7% of the range, and
    // under 10% in 99% of releases (the rest are releases whose noisy count fell far below 150).
    halfWidths.sort((a, b) => a - b);
    expect(halfWidths[releases / 2]).toBeLessThan(0.08 * (upper - lower));
    expect(halfWidths[releases * 0.99]).toBeLessThan(0.1 * (upper - lower));
    // And the documented approximation covers the exact mean about 95% of the time.
    expect(covered / releases).toBeGreaterThan(0.93);
    expect(covered / releases).toBeLessThan(0.99);
  });

  it('puts every released count within its interval 95% of the time', () => {
    const plan = aggregatePlan([{ name: 'rows', kind: 'count' }]);
    const uniform = seededUniform(11);
    let covered = 0;
    for (let i = 0; i < 4000; i++) {
      const release = releaseWithNoise(plan, [[500, 200]], {
        epsilon: 0.5,
        minGroupSize: 10,
        maxRowsPerSubject: 5,
        maxGroupsPerSubject: 1,
        uniform,
      });
      if (Math.abs(Number(release.rows[0]![0]) - 500) <= Number(release.intervals[0]![0])) covered += 1;
    }
    expect(covered / 4000).toBeGreaterThan(0.93);
    expect(covered / 4000).toBeLessThan(0.97);
  });

  it('compares with a decimal literal as written (40.5 is not its unscaled 405)', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const functions = await loadFunctionCatalog(connection);
      const tables = new Map([['t', { name: 't', dimensions: ['age'], measures: {}, allowMinMax: false }]]);
      for (const [written, text] of [
        ['40.5', '40.5'],
        ['0.05', '0.05'],
        ['12.00', '12.00'],
        ['7', '7'],
        ['1e0', '1'],
      ]) {
        const [statement] = await parseSelect(connection, `SELECT count(*) FROM t WHERE age > ${written}`);
        const plan = planCleanRoomQuery(statement!, tables, functions);
        expect(plan.where, written).toMatchObject({ op: 'compare', literal: { text } });
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
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
  let patientsId: string;
  let claimsId: string;

  const lab = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url: `/v1/labs/${labId}${url}`, headers: tenant.headers, payload });

  /** Another lab with the same members and datasets, under other settings. */
  async function openLab(
    settings: Record<string, unknown>,
    amountBounds = { lower: 0, upper: 50_000 },
  ): Promise<
    (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) => ReturnType<typeof lab>
  > {
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/labs',
      headers: hospital.headers,
      payload: { name: `Lab ${Math.random()}`, ...settings },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().lab.id;
    const call = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
      platform.app.inject({ method, url: `/v1/labs/${id}${url}`, headers: tenant.headers, payload });
    for (const [org, role] of [
      [insurer, 'data-owner'],
      [researcher, 'researcher'],
    ] as const) {
      expect((await call(hospital, 'POST', '/members', { orgId: org.orgId, role })).statusCode).toBe(201);
    }
    const patientsAttached = await call(hospital, 'POST', '/datasets', {
      datasetId: patientsId,
      name: 'patients',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'district', 'diagnosis'],
      measures: { age: { lower: 0, upper: 110 } },
    });
    expect(patientsAttached.statusCode, patientsAttached.body).toBe(201);
    const claimsAttached = await call(insurer, 'POST', '/datasets', {
      datasetId: claimsId,
      name: 'claims',
      subjectColumn: 'member_ref',
      dimensions: ['claim_type'],
      measures: { amount: amountBounds },
    });
    expect(claimsAttached.statusCode, claimsAttached.body).toBe(201);
    return call;
  }

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
    patientsId = patients.id;
    claimsId = claims.id;
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
      // One dataset joined to itself multiplies a subject's rows before the bound: a timing oracle.
      'SELECT sex, count(*) FROM patients JOIN patients p2 USING (subject_key) GROUP BY sex',
    ]) {
      const response = await lab(researcher, 'POST', '/queries', { sql, epsilon: 0.01 });
      expect(response.statusCode, `${sql}: ${response.body}`).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
    }
  });

  it('puts refused lab queries on the record, naming the lab and the datasets they touched', async () => {
    const probe = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT subject_key, count(*) FROM patients GROUP BY subject_key',
      epsilon: 0.01,
    });
    expect(probe.statusCode).toBe(403);
    await platform.query.deps.refusals.flush();
    const entries = await platform.audit.list({ orgId: researcher.orgId, limit: 500 });
    const refusals = entries.filter((entry) => entry.action.startsWith('lab.query.refuse'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((entry) => entry.decision === 'deny')).toBe(true);
    const named = refusals.flatMap((entry) => (entry.data as { datasetIds: string[] }).datasetIds);
    expect(named).toContain(patientsId);
    expect(
      refusals.some(
        (entry) =>
          (entry.data as { labId?: string; labIds?: string[] }).labId === labId ||
          (entry.data as { labIds?: string[] }).labIds?.includes(labId),
      ),
    ).toBe(true);
  });

  it('refuses every expression the shape does not allow, wherever it is in the tree', async () => {
    for (const sql of [
      // COLUMNS(…), star expressions and lambdas reach measures and the subject key.
      "SELECT district, count(*) FROM patients WHERE COLUMNS('age|subject_key') > 40 GROUP BY district",
      'SELECT district, count(*) FROM patients WHERE COLUMNS(*) IS NOT NULL GROUP BY district',
      "SELECT district, count(*) FROM patients WHERE *COLUMNS('age') = 42 GROUP BY district",
      'SELECT district, count(*) FROM patients WHERE list_filter([age], lambda x: x > 40) = [] GROUP BY district',
      "SELECT COLUMNS('district'), count(*) FROM patients GROUP BY district",
      "SELECT district, sum(COLUMNS('age')) FROM patients GROUP BY district",
      "SELECT district, count(*) FROM patients GROUP BY COLUMNS('district')",
      // Function calls in WHERE are error oracles: error(), failing casts, LIKE and the rest.
      'SELECT district, count(*) FROM patients WHERE error(age::VARCHAR) IS NULL GROUP BY district',
      'SELECT district, count(*) FROM patients WHERE district = CAST(age AS VARCHAR) GROUP BY district',
      'SELECT district, count(*) FROM patients WHERE CAST(district AS INTEGER) = 1 GROUP BY district',
      "SELECT district, count(*) FROM patients WHERE district LIKE 'S%' GROUP BY district",
      'SELECT district, count(*) FROM patients WHERE district = sex GROUP BY district',
      'SELECT district, count(*) FROM patients WHERE (SELECT 1) = 1 GROUP BY district',
      'SELECT district, count(*) FROM patients WHERE subject_key = 1 GROUP BY district',
      "SELECT district, count(*) FROM patients WHERE district = 'Sha Tin' OR age > 40 GROUP BY district",
      'SELECT district, count(*) FROM patients WHERE CASE WHEN age > 40 THEN true END GROUP BY district',
      // FROM forms that rename, sample or reach past the lab's datasets.
      'SELECT sex, count(*) FROM patients AS p(sex) GROUP BY sex',
      'SELECT district, count(*) FROM patients AS sex GROUP BY district',
      'SELECT district, count(*) FROM patients TABLESAMPLE 50% GROUP BY district',
      'SELECT district, count(*) FROM main.patients GROUP BY district',
      'SELECT district, count(*) FROM patients p ASOF JOIN claims c USING (subject_key) GROUP BY district',
      'SELECT district, count(*) FROM patients GROUP BY ALL',
      'SELECT district, count(*) FILTER (WHERE age > 40) FROM patients GROUP BY district',
    ]) {
      const response = await lab(researcher, 'POST', '/queries', { sql, epsilon: 0.01 });
      expect(response.statusCode, `${sql}: ${response.body}`).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
    }
    expect((await lab(researcher, 'GET', '/budget')).json().spent).toBe(0);
  });

  it('casts literals to the column type, so a comparison never raises an error that depends on the data', async () => {
    // DuckDB would cast the text column to a number here and fail on the first row it reads, only
    // when such a row exists: the clean room casts the literal instead, and nothing matches.
    for (const sql of [
      'SELECT district, count(*) FROM patients WHERE district = 5 GROUP BY district',
      "SELECT district, count(*) FROM patients WHERE sex = 'F' AND district IN (1, 2) GROUP BY district",
    ]) {
      const response = await lab(researcher, 'POST', '/queries', { sql, epsilon: 0.01 });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().result.rows).toEqual([]);
    }
    const filtered = await lab(researcher, 'POST', '/queries', {
      sql: "SELECT district, count(DISTINCT subject_key) AS n FROM patients WHERE district IN ('Sha Tin', 'Tai Po') AND NOT sex IS NULL GROUP BY district",
      epsilon: 0.08,
    });
    expect(filtered.statusCode, filtered.body).toBe(201);
    expect(filtered.json().result.rows.map((row: unknown[]) => row[0])).toEqual(['Sha Tin', 'Tai Po']);
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
    // Neither the result nor the ledger entry says how many groups were left out.
    const [entry] = await platform.audit.list({ objectId: response.json().id, limit: 1 });
    expect(entry?.data).toMatchObject({ groupsReleased: result.rows.length });
    expect(JSON.stringify(entry?.data)).not.toMatch(/suppress/i);
  });

  it('joins owners on pseudonyms without returning any identifier', async () => {
    const response = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT p.sex, count(DISTINCT subject_key) AS people, sum(c.amount) AS total FROM patients p JOIN claims c USING (subject_key) GROUP BY p.sex',
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
    expect(rows.length).toBe(2); // F and M, 60 people each with two claims
    for (const row of rows) expect(Math.abs(Number(row[1]) - 60)).toBeLessThan(8 * noiseScales.people!);
  });

  it('refuses a query the budget cannot pay, saying what remains', async () => {
    const budget = (await lab(researcher, 'GET', '/budget')).json();
    expect(budget).toMatchObject({ scope: 'analyst', total: 2 });
    expect(budget.spent).toBeCloseTo(1.1, 5);
    const ok = await lab(researcher, 'POST', '/queries', {
      sql: 'SELECT sex, count(*) FROM patients GROUP BY sex',
      epsilon: 0.8,
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

  it('tells the seat holder and the reviewers of a seat, the reviewers of a pending result and the researcher of the decision, once each', async () => {
    /** Organisations told of `kind` about this lab (optionally about one result), sorted. */
    const heard = async (kind: string, id: string, queryId?: string) => {
      const rows = await platform.database.db
        .select({ orgId: notifications.orgId, data: notifications.data })
        .from(notifications)
        .where(and(eq(notifications.kind, kind), eq(notifications.objectId, id)));
      return rows
        .filter((row) => queryId === undefined || (row.data as { queryId?: string }).queryId === queryId)
        .map((row) => row.orgId)
        .sort();
    };
    const sorted = (...ids: string[]) => [...ids].sort();
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/labs',
      headers: hospital.headers,
      payload: { name: 'Reviewed events', outputReview: true, minGroupSize: 5 },
    });
    const reviewedId = created.json().lab.id as string;
    const call = (tenant: Tenant, url: string, payload: object) =>
      platform.app.inject({
        method: 'POST',
        url: `/v1/labs/${reviewedId}${url}`,
        headers: tenant.headers,
        payload,
      });
    expect((await call(hospital, '/members', { orgId: insurer.orgId, role: 'data-owner' })).statusCode).toBe(
      201,
    );
    expect(
      (await call(hospital, '/members', { orgId: researcher.orgId, role: 'researcher' })).statusCode,
    ).toBe(201);
    // The seat holder and the lab's reviewers (the owner, and the data owner already in it).
    expect(await heard('lab.access-granted', reviewedId)).toEqual(
      sorted(hospital.orgId, insurer.orgId, hospital.orgId, researcher.orgId, insurer.orgId),
    );
    expect(
      (
        await call(hospital, '/datasets', {
          datasetId: patientsId,
          name: 'patients',
          subjectColumn: 'patient_id',
          dimensions: ['sex'],
          measures: {},
        })
      ).statusCode,
    ).toBe(201);
    const ask = async () => {
      const run = await call(researcher, '/queries', {
        sql: 'SELECT sex, count(*) AS n FROM patients GROUP BY sex',
      });
      expect(run.statusCode, run.body).toBe(201);
      return run.json().id as string;
    };
    const releasedId = await ask();
    expect(await heard('lab.output-pending', reviewedId, releasedId)).toEqual(
      sorted(hospital.orgId, insurer.orgId),
    );
    expect((await call(insurer, `/queries/${releasedId}/approve`, {})).statusCode).toBe(200);
    expect(await heard('lab.output-released', reviewedId, releasedId)).toEqual([researcher.orgId]);
    const withheldId = await ask();
    expect((await call(hospital, `/queries/${withheldId}/reject`, { reason: 'too fine' })).statusCode).toBe(
      200,
    );
    expect(await heard('lab.output-rejected', reviewedId, withheldId)).toEqual([researcher.orgId]);
    expect(await heard('lab.output-released', reviewedId, withheldId)).toEqual([]);
    // Nothing of this lab reached an organisation outside it.
    const outsiderInbox = (
      await platform.app.inject({ url: '/v1/notifications?limit=200', headers: outsider.headers })
    ).json().items as { objectId: string }[];
    expect(outsiderInbox.filter((note) => note.objectId === reviewedId)).toEqual([]);
  });

  it('refuses an ε under the floor, and any ε once the budget is spent, with no tolerance for tiny ones', async () => {
    const tight = await openLab({ epsilonBudget: 0.35, minEpsilon: 0.1, defaultEpsilon: 0.1 });
    const sql = 'SELECT sex, count(*) AS n FROM patients GROUP BY sex';
    // Ten at once at the end of the budget: exactly three are affordable; none waits on another.
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => tight(researcher, 'POST', '/queries', { sql, epsilon: 0.1 })),
    );
    const codes = responses.map((response) => response.statusCode).sort();
    expect(codes, responses.map((response) => response.body).join('\n')).toEqual([
      201, 201, 201, 403, 403, 403, 403, 403, 403, 403,
    ]);
    for (const response of responses.filter((response) => response.statusCode === 403)) {
      expect(problemOf(response).code).toBe('privacy-budget-exhausted');
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    const budget = (await tight(researcher, 'GET', '/budget')).json();
    expect(budget.spent).toBeCloseTo(0.3, 9);
    expect(budget.spent).toBeLessThanOrEqual(0.35);
    // Under the floor, whatever remains: a validation failure naming ε.
    for (const epsilon of [1e-300, Number.MIN_VALUE, 0.09]) {
      const response = await tight(researcher, 'POST', '/queries', { sql, epsilon });
      expect(response.statusCode, response.body).toBe(400);
      expect(problemOf(response).detail).toMatch(/epsilon.*floor 0\.1/);
    }
    // At the floor, with 0.05 left: refused by the budget, exactly.
    const refused = await tight(researcher, 'POST', '/queries', { sql, epsilon: 0.1 });
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('privacy-budget-exhausted');
    // The platform keeps serving: another analyst's budget is untouched.
    const owner = await tight(hospital, 'POST', '/queries', { sql, epsilon: 0.1 });
    expect(owner.statusCode, owner.body).toBe(201);
  });

  it('answers an ε too small for any finite noise with the same clean problem whether a group exists or not', async () => {
    // The smallest floor an owner may set, the widest bounds, many aggregates: the scale stays finite.
    const wide = await openLab(
      { minEpsilon: 0.0001, defaultEpsilon: 0.0001, epsilonBudget: 1 },
      {
        lower: -1e15,
        upper: 1e15,
      },
    );
    const many = Array.from({ length: 20 }, (_, i) => `sum(amount) AS s${i}`).join(', ');
    const response = await wide(researcher, 'POST', '/queries', {
      sql: `SELECT claim_type, avg(amount) AS mean, ${many} FROM claims GROUP BY claim_type`,
      epsilon: 0.0001,
    });
    expect(response.statusCode, response.body).toBe(201);
    const { result } = response.json();
    for (const scale of Object.values(result.noiseScales) as number[])
      expect(Number.isFinite(scale)).toBe(true);
    for (const cell of result.intervals.flat()) expect(cell === null || Number.isFinite(cell)).toBe(true);
    // Below the floor: the same answer for a group that exists and one that does not.
    const answers = [];
    for (const where of ["claim_type = 'inpatient'", "claim_type = 'no such type'"]) {
      const tiny = await wide(researcher, 'POST', '/queries', {
        sql: `SELECT claim_type, sum(amount) FROM claims WHERE ${where} GROUP BY claim_type`,
        epsilon: 1e-300,
      });
      expect(tiny.statusCode, tiny.body).toBe(400);
      const {
        requestId: _requestId,
        instance: _instance,
        ...problem
      } = problemOf(tiny) as Record<string, unknown>;
      answers.push(problem);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(await wide(researcher, 'GET', '/budget').then((r) => r.json().spent)).toBeCloseTo(0.0001, 12);
  });

  it('counts a subject in at most G groups of a row-level dimension and scales the noise by G', async () => {
    // Claims: 120 members, each with one outpatient and one inpatient claim (a row-level dimension).
    const sql = 'SELECT claim_type, count(DISTINCT subject_key) AS members FROM claims GROUP BY claim_type';
    const totalOf = (rows: [string, number][]) => rows.reduce((sum, [, members]) => sum + members, 0);
    const one = await openLab({ epsilonBudget: 5, budgetScope: 'lab' });
    const single = await one(researcher, 'POST', '/queries', { sql, epsilon: 1 });
    expect(single.statusCode, single.body).toBe(201);
    // G = 1: each member in one of the two groups, chosen at random; the subject count's b = G/ε = 1.
    expect(single.json().result.noiseScales.members).toBeCloseTo(1, 9);
    expect(Math.abs(totalOf(single.json().result.rows) - 120)).toBeLessThan(20);
    const two = await openLab({ epsilonBudget: 5, maxGroupsPerSubject: 2 });
    const double = await two(researcher, 'POST', '/queries', { sql, epsilon: 1 });
    expect(double.statusCode, double.body).toBe(201);
    // G = 2: every member in both groups, and twice the noise.
    expect(double.json().result.noiseScales.members).toBeCloseTo(2, 9);
    expect(Math.abs(totalOf(double.json().result.rows) - 240)).toBeLessThan(30);
    expect(double.json().result.intervals[0][1]).toBeCloseTo(2 * Math.log(20), 2);

    // The first lab's budget is the lab's: what the researcher spent, the data owner has spent too.
    const shared = (await one(insurer, 'GET', '/budget')).json();
    expect(shared).toMatchObject({ scope: 'lab', total: 5, spent: 1 });
    const mean = await one(insurer, 'POST', '/queries', {
      sql: 'SELECT p.sex, avg(c.amount) AS mean_amount FROM patients p JOIN claims c USING (subject_key) GROUP BY p.sex',
      epsilon: 4,
    });
    expect(mean.statusCode, mean.body).toBe(201);
    const exhausted = await one(researcher, 'POST', '/queries', { sql, epsilon: 0.01 });
    expect(exhausted.statusCode).toBe(403);
    expect(problemOf(exhausted).detail).toMatch(/for everyone/);
  });
});
