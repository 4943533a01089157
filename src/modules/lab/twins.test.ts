import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { plantedPatientsCsv as patientsCsv } from '../../../test/lab-data.js';
import { twinBins } from './twins.js';

const patientRows = 6000;
const measures = {
  age: { lower: 0, upper: 110 },
  hba1c: { lower: 3, upper: 20 },
  systolic_bp: { lower: 60, upper: 260 },
};
const dimensions = ['sex', 'diagnosis'];

/** The source rows as the twin's columns: dimensions as text, measures as numbers. */
function sourceRows(csv: string): Record<string, string | number>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(
      names.map((name, i) => [name, name in measures ? Number(cells[i]) : cells[i]!]),
    );
  });
}

/** A column's share of rows per cell: a dimension by value, a measure by the twin's bins. */
function shares(rows: Record<string, unknown>[], column: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = row[column];
    let cell: string;
    if (column in measures) {
      const { lower, upper } = measures[column as keyof typeof measures];
      if (value === null || value === '' || value === undefined) cell = 'null';
      else {
        const width = (upper - lower) / twinBins;
        const clamped = Math.min(upper, Math.max(lower, Number(value)));
        cell = String(Math.min(twinBins - 1, Math.max(0, Math.floor((clamped - lower) / width))));
      }
    } else cell = String(value);
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
  }
  return new Map([...counts].map(([cell, count]) => [cell, count / rows.length]));
}

function l1(a: Map<string, number>, b: Map<string, number>): number {
  let sum = 0;
  for (const cell of new Set([...a.keys(), ...b.keys()]))
    sum += Math.abs((a.get(cell) ?? 0) - (b.get(cell) ?? 0));
  return sum;
}

/** Parses the twin's CSV (its fields hold no commas or quotes: codes and numbers). */
function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, cell])));
}

describe.each(dbTargets)('synthetic twins of lab datasets (%s)', (target) => {
  let platform: TestPlatform;
  let hospital: Tenant;
  let researcher: Tenant;
  let outsider: Tenant;
  let patientsId: string;
  const csv = patientsCsv(patientRows);

  const call = (tenant: Tenant, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, ...(payload ? { payload } : {}) });

  async function openLab(settings: Record<string, unknown> = {}): Promise<string> {
    const created = await call(hospital, 'POST', '/v1/labs', {
      name: `Twins ${Math.random()}`,
      epsilonBudget: 3,
      defaultEpsilon: 1,
      maxRowsPerSubject: 1,
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
      dimensions,
      measures,
    });
    expect(attached.statusCode, attached.body).toBe(201);
    return labId;
  }

  async function generate(labId: string, payload: object = { epsilon: 1 }) {
    const started = await call(hospital, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, payload);
    expect(started.statusCode, started.body).toBe(202);
    await platform.labTwins.settle();
    const status = await call(researcher, 'GET', `/v1/labs/${labId}/datasets/patients/twin`);
    expect(status.statusCode, status.body).toBe(200);
    return status.json();
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    hospital = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer', 'provider'] });
    const patients = await publishDataset(platform, hospital, {
      title: 'Patients for twins',
      slug: `patients_twins_${target}`,
      content: csv,
    });
    patientsId = patients.id;
  });
  afterAll(async () => platform?.dispose());

  it('makes a twin with no real row, one-way marginals within the stated error, paid by the data owner', async () => {
    const labId = await openLab();
    const { twin, ready } = await generate(labId);
    expect(twin.state, JSON.stringify(twin.error)).toBe('ready');
    expect(ready.id).toBe(twin.id);
    const report = twin.report;
    expect(report.rows).toBeGreaterThan(patientRows * 0.9);
    expect(report.rows).toBeLessThan(patientRows * 1.1);
    expect(report.tree).toHaveLength(4);
    expect(report.privacy.epsilon).toBeLessThanOrEqual(1);
    expect(report.privacy.accountant).toBe('zcdp');
    expect(report.marginals).toHaveLength(5 + 4);

    const download = await call(
      researcher,
      'GET',
      `/v1/labs/${labId}/datasets/patients/twin/data?format=csv`,
    );
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toMatch(/^text\/csv/);
    const twinRows = parseCsv(download.body);
    expect(twinRows).toHaveLength(report.rows);
    expect(Object.keys(twinRows[0]!).sort()).toEqual(
      ['synthetic_id', 'sex', 'diagnosis', 'age', 'hba1c', 'systolic_bp'].sort(),
    );
    // Fresh ids, never a subject's.
    expect(twinRows.map((row) => row.synthetic_id)).toEqual(twinRows.map((_, i) => String(i + 1)));

    // No twin row equals a real row on every column but the id.
    const source = sourceRows(csv);
    const key = (row: Record<string, unknown>) =>
      [row.sex, row.diagnosis, Number(row.age), Number(row.hba1c), Number(row.systolic_bp)].join('|');
    const real = new Set(source.map(key));
    expect(twinRows.filter((row) => real.has(key(row)))).toEqual([]);

    // Each column's one-way distribution lies within the report's stated bound of the data's.
    for (const column of [...dimensions, ...Object.keys(measures)]) {
      const marginal = report.marginals.find(
        (candidate: { columns: string[] }) =>
          candidate.columns.length === 1 && candidate.columns[0] === column,
      );
      const distance = l1(shares(twinRows, column), shares(source, column));
      expect(distance, column).toBeLessThanOrEqual(marginal.statedBound);
      expect(marginal.statedBound).toBeLessThan(0.5);
      expect(marginal.measuredError).toBeGreaterThanOrEqual(0);
    }
    // The planted relationship survives where the tree keeps it: E11 is likelier among older patients.
    const olderShare = (rows: Record<string, unknown>[], older: boolean) => {
      const group = rows.filter((row) => Number(row.age) >= 55 === older);
      return group.filter((row) => row.diagnosis === 'E11').length / group.length;
    };
    expect(olderShare(source, true)).toBeGreaterThan(olderShare(source, false));

    // The data owner paid; the researchers' budgets are untouched.
    const budget = await call(researcher, 'GET', `/v1/labs/${labId}/datasets/patients/twin/budget`);
    expect(budget.json()).toMatchObject({ scope: 'dataset-owner', datasetId: patientsId, total: 3 });
    expect(budget.json().spent).toBeCloseTo(1, 9);
    const researcherBudget = await call(researcher, 'GET', `/v1/labs/${labId}/budget`);
    expect(researcherBudget.json().spent).toBe(0);

    const entries = await platform.audit.list({ objectId: twin.id, limit: 10 });
    expect(entries.map((entry: { action: string }) => entry.action).sort()).toEqual(
      ['lab.twin.charge', 'lab.twin.download', 'lab.twin.generate'].sort(),
    );
  });

  it('serves the twin as Parquet that DuckDB reads, with the dimension types kept', async () => {
    const labId = await openLab();
    const { twin } = await generate(labId, { epsilon: 0.5, rows: 2500 });
    expect(twin.state, JSON.stringify(twin.error)).toBe('ready');
    const download = await call(
      researcher,
      'GET',
      `/v1/labs/${labId}/datasets/patients/twin/data?format=parquet`,
    );
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/vnd.apache.parquet');
    const file = `${platform.dataDir}/twin-${target}.parquet`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, download.rawPayload);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
      const types = Object.fromEntries(
        (described.getRowsJson() as string[][]).map((row) => [row[0], row[1]]),
      );
      expect(types).toMatchObject({ synthetic_id: 'BIGINT', sex: 'VARCHAR', age: 'DOUBLE' });
      expect(types).not.toHaveProperty('subject_key');
      const counted = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER, min(age), max(age), count(DISTINCT diagnosis)::INTEGER FROM read_parquet('${file}')`,
      );
      const [rows, minAge, maxAge, diagnoses] = counted.getRowsJson()[0] as [number, number, number, number];
      expect(rows).toBe(2500);
      expect(minAge).toBeGreaterThanOrEqual(0);
      expect(maxAge).toBeLessThan(110);
      expect(diagnoses).toBe(2);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("refuses a twin the data owner's budget cannot pay, and records the refusal", async () => {
    const labId = await openLab({ epsilonBudget: 1.5 });
    const { twin } = await generate(labId, { epsilon: 1 });
    expect(twin.state).toBe('ready');
    const refused = await call(hospital, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, { epsilon: 1 });
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('privacy-budget-exhausted');
    const budget = await call(hospital, 'GET', `/v1/labs/${labId}/datasets/patients/twin/budget`);
    expect(budget.json().spent).toBeCloseTo(1, 9);
    const entries = await platform.audit.list({ objectId: labId, limit: 50 });
    const refusal = entries.find((entry: { action: string }) => entry.action === 'lab.twin.refuse');
    expect(refusal).toMatchObject({ decision: 'deny' });
    // The first twin stays downloadable.
    const still = await call(researcher, 'GET', `/v1/labs/${labId}/datasets/patients/twin/data?format=csv`);
    expect(still.statusCode).toBe(200);
  });

  it('lets only the data owner pay, and hides every twin route from non-members', async () => {
    const labId = await openLab();
    const byResearcher = await call(researcher, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, {});
    expect(byResearcher.statusCode).toBe(403);
    const before = await call(researcher, 'GET', `/v1/labs/${labId}/datasets/patients/twin/data?format=csv`);
    expect(before.statusCode).toBe(409);
    await generate(labId);
    for (const [method, url] of [
      ['POST', `/v1/labs/${labId}/datasets/patients/twin`],
      ['GET', `/v1/labs/${labId}/datasets/patients/twin`],
      ['GET', `/v1/labs/${labId}/datasets/patients/twin/budget`],
      ['PUT', `/v1/labs/${labId}/datasets/patients/twin/budget`],
      ['GET', `/v1/labs/${labId}/datasets/patients/twin/data?format=csv`],
      ['GET', `/v1/labs/${labId}/datasets/patients/twin/data?format=parquet`],
    ] as const) {
      const payload = method === 'POST' ? {} : method === 'PUT' ? { total: 1 } : undefined;
      const response = await call(outsider, method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(problemOf(response).code).toBe('not-found');
    }

    // The twin budget is the data owner's to set, within the lab's budget, and binds the next twin.
    const budgetUrl = `/v1/labs/${labId}/datasets/patients/twin/budget`;
    const setByResearcher = await call(researcher, 'PUT', budgetUrl, { total: 2 });
    expect(setByResearcher.statusCode).toBe(403);
    expect(problemOf(setByResearcher).code).toBe('forbidden');
    const overLab = await call(hospital, 'PUT', budgetUrl, { total: 4 });
    expect(overLab.statusCode).toBe(400);
    expect(problemOf(overLab).detail).toMatch(/total: must be above 0 and at most the lab's budget 3/);
    const set = await call(hospital, 'PUT', budgetUrl, { total: 1.5 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ total: 1.5, remaining: 0.5 });
    expect(set.json().spent).toBeCloseTo(1, 9);
    expect((await call(researcher, 'GET', budgetUrl)).json().total).toBe(1.5);
    const [entry] = await platform.audit.list({ action: 'lab.twin.budget.set', objectId: labId, limit: 1 });
    expect(entry?.data).toMatchObject({ dataset: 'patients', total: 1.5, previous: 3 });
    const refused = await call(hospital, 'POST', `/v1/labs/${labId}/datasets/patients/twin`, { epsilon: 1 });
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('privacy-budget-exhausted');
  });

  it('follows a new version of the dataset: the lab copy is refreshed and the next twin made from it', async () => {
    const labId = await openLab();
    const { twin: first } = await generate(labId, { epsilon: 0.5 });
    expect(first.state).toBe('ready');
    const body = multipartBody({ name: 'data.csv', content: patientsCsv(patientRows + 500) });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${patientsId}/versions`,
      headers: { ...hospital.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const confirmed = await platform.app.inject({
      method: 'PUT',
      url: `/v1/datasets/${patientsId}/classifications`,
      headers: hospital.headers,
      payload: { columns: {} },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(await platform.labs.refreshCopies()).toBeGreaterThanOrEqual(1);
    expect(await platform.labTwins.regenerateStale()).toBeGreaterThanOrEqual(1);
    await platform.labTwins.settle();
    const status = await call(researcher, 'GET', `/v1/labs/${labId}/datasets/patients/twin`);
    const { twin } = status.json();
    expect(twin.id).not.toBe(first.id);
    expect(twin.state, JSON.stringify(twin.error)).toBe('ready');
    expect(twin.versionId).toBe(uploaded.json().currentVersion.id);
    expect(twin.userId).toBeNull();
    expect(twin.report.noisyRows).toBeGreaterThan(patientRows);
    const budget = await call(hospital, 'GET', `/v1/labs/${labId}/datasets/patients/twin/budget`);
    expect(budget.json().spent).toBeCloseTo(1, 9);
    // Nothing is stale now: the sweep starts nothing more.
    expect(await platform.labTwins.regenerateStale()).toBe(0);
  });
});
