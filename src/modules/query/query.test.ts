import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, grantAccess, publishDataset, runQuery } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { QueryService } from './service.js';

describe.each(dbTargets)('governed query (%s)', (target) => {
  let platform: TestPlatform;
  let bank: Tenant;
  let fintech: Tenant;
  let insurer: Tenant;
  let dataset: Awaited<ReturnType<typeof publishDataset>>;
  const csv = customersCsv(40);
  const raw = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    bank = await createTenant(platform, { kinds: ['provider'] });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    insurer = await createTenant(platform, { kinds: ['consumer'] });
    dataset = await publishDataset(platform, bank, {
      title: 'Bank customers',
      slug: 'bank_customers',
      content: csv,
      classifications: {
        customer_id: 'identifier',
        full_name: 'personal',
        email: 'personal',
        balance: 'sensitive',
      },
    });
  });
  afterAll(async () => platform?.dispose());

  it('suggests classifications from names and values and keeps a personal dataset closed', () => {
    expect(dataset.isOpen).toBe(false);
    const columns = Object.fromEntries(dataset.currentVersion.columns.map((c) => [c.name, c.suggested]));
    expect(columns.email).toBe('personal');
    expect(columns.district).toBe('public');
  });

  it('refuses a consumer without an agreement, naming the datasets it may query', async () => {
    const response = await runQuery(platform, fintech, 'SELECT * FROM bank_customers');
    expect(response.statusCode).toBe(403);
    const problem = problemOf(response);
    expect(problem.code).toBe('query-refused');
    expect(problem.detail).toContain('unknown dataset');
  });

  it('applies columns, masks and the row filter of the agreement', async () => {
    const agreement = await grantAccess(platform, fintech, bank, dataset.id, {
      columns: ['customer_id', 'email', 'district', 'age', 'balance', 'opened_on'],
      terms: {
        masks: {
          customer_id: { kind: 'hash' },
          email: { kind: 'keep-last', n: 3 },
          age: { kind: 'band', width: 10 },
          balance: { kind: 'redact' },
          opened_on: { kind: 'truncate-date', unit: 'year' },
        },
        rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin', 'Kwun Tong'] }],
      },
    });
    expect(agreement.state).toBe('active');
    const response = await runQuery(platform, fintech, 'SELECT * FROM bank_customers ORDER BY customer_id');
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result.columns.map((c: { name: string }) => c.name)).toEqual([
      'customer_id',
      'email',
      'district',
      'age',
      'balance',
      'opened_on',
    ]);
    const expected = raw.filter((row) => row[3] === 'Sha Tin' || row[3] === 'Kwun Tong');
    expect(result.rowCount).toBe(expected.length);
    for (const row of result.rows) {
      expect(row[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(row[1]).toMatch(/^\*+\.hk$/);
      expect(['Sha Tin', 'Kwun Tong']).toContain(row[2]);
      expect(row[3]).toMatch(/^\d0-\d9$/);
      expect(row[4]).toBeNull();
      expect(String(row[5])).toMatch(/^20\d\d-01-01/);
    }
    const notGranted = await runQuery(platform, fintech, 'SELECT full_name FROM bank_customers');
    expect(notGranted.statusCode).toBe(400);
    expect(problemOf(notGranted).code).toBe('query-invalid');
  });

  it('never returns a masked raw value, also not through GROUP BY, MIN/MAX or a self-join', async () => {
    const rawIds = new Set(raw.map((row) => row[0]));
    const rawEmails = new Set(raw.map((row) => row[2]));
    const rawBalances = new Set(raw.map((row) => row[5]));
    for (const sql of [
      'SELECT customer_id, count(*) FROM bank_customers GROUP BY customer_id',
      'SELECT min(customer_id), max(customer_id), min(email), max(email), max(balance) FROM bank_customers',
      'SELECT a.customer_id, b.email FROM bank_customers a JOIN bank_customers b USING (customer_id)',
      "SELECT string_agg(customer_id, ',') AS ids, list(email) AS emails FROM bank_customers",
      'SELECT DISTINCT substr(customer_id, 1, 6) AS prefix, length(email) AS n FROM bank_customers',
    ]) {
      const response = await runQuery(platform, fintech, sql);
      expect(response.statusCode, sql).toBe(200);
      const cells = JSON.stringify(response.json().rows);
      for (const value of [...rawIds, ...rawEmails, ...rawBalances])
        expect(cells, sql).not.toContain(`"${value}"`);
    }
  });

  it('gives the same pseudonym within an agreement and a different one under another', async () => {
    await grantAccess(platform, insurer, bank, dataset.id, {
      columns: ['customer_id', 'district'],
      terms: { masks: { customer_id: { kind: 'hash' } } },
    });
    const sql = "SELECT customer_id FROM bank_customers WHERE district = 'Sha Tin' ORDER BY 1";
    const first = (await runQuery(platform, fintech, sql)).json().rows.flat();
    const again = (await runQuery(platform, fintech, sql)).json().rows.flat();
    const other = (await runQuery(platform, insurer, sql)).json().rows.flat();
    expect(first).toEqual(again);
    expect(first.length).toBeGreaterThan(0);
    for (const id of first) expect(other).not.toContain(id);
  });

  it('records each query in the ledger with the SQL hash, agreement, columns and rows', async () => {
    const response = await runQuery(platform, fintech, 'SELECT district, age FROM bank_customers LIMIT 3');
    const { queryId } = response.json();
    const [entry] = await platform.audit.list({ objectId: queryId, limit: 10 });
    if (!entry) throw new Error('no ledger entry for the query');
    expect(entry.action).toBe('query.run');
    const data = entry.data as Record<string, unknown>;
    expect(data.rows).toBe(3);
    expect(data.sqlSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(data.agreements).toHaveLength(1);
    expect(data.columns).toEqual({ bank_customers: ['district', 'age'] });
  });

  it('answers CSV when asked', async () => {
    const response = await runQuery(
      platform,
      fintech,
      'SELECT district, count(*) AS n FROM bank_customers GROUP BY 1 ORDER BY 1',
      {
        format: 'csv',
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.body.split('\r\n')[0]).toBe('district,n');
  });

  it("answers Parquet with the result's column types when asked", async () => {
    const response = await runQuery(
      platform,
      fintech,
      'SELECT district, count(*) AS n, max(age) AS top_band, min(opened_on) AS first FROM bank_customers GROUP BY 1 ORDER BY 1',
      { format: 'parquet' },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.apache.parquet');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stp-parquet-'));
    const file = path.join(dir, 'result.parquet');
    await writeFile(file, response.rawPayload);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    expect(reader.columnNames()).toEqual(['district', 'n', 'top_band', 'first']);
    expect(reader.columnTypes().map(String)).toEqual(['VARCHAR', 'BIGINT', 'VARCHAR', 'DATE']);
    expect(reader.getRowsJson()).toHaveLength(2);
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('caps rows at maxRowsPerQuery and says the result was truncated', async () => {
    const consumer = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, consumer, bank, dataset.id, {
      columns: ['district'],
      terms: { maxRowsPerQuery: 5 },
    });
    const response = await runQuery(platform, consumer, 'SELECT * FROM bank_customers');
    const result = response.json();
    expect(result.rowCount).toBe(5);
    expect(result.truncated).toBe(true);
    expect(response.headers['x-result-truncated']).toBe('true');
  });

  it('enforces aggregate-only with a minimum group size', async () => {
    const researcher = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, researcher, bank, dataset.id, {
      columns: ['district', 'age', 'balance'],
      terms: { aggregateOnly: true, minGroupSize: 11 },
    });
    for (const sql of [
      'SELECT * FROM bank_customers',
      'SELECT age FROM bank_customers',
      'SELECT district, age FROM bank_customers GROUP BY district',
      'SELECT district, list(age) FROM bank_customers GROUP BY district',
      'SELECT district, list(age) FROM bank_customers GROUP BY ALL',
      "SELECT district, string_agg(CAST(balance AS VARCHAR), ',') FROM bank_customers GROUP BY 1",
      'SELECT age, count(*) OVER () FROM bank_customers',
    ]) {
      const response = await runQuery(platform, researcher, sql);
      expect(response.statusCode, sql).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
    }
    const grouped = await runQuery(
      platform,
      researcher,
      'SELECT age, count(*) AS n, avg(balance) AS mean FROM bank_customers GROUP BY age ORDER BY age',
    );
    expect(grouped.statusCode, grouped.body).toBe(200);
    // 40 rows over ~7 ages: groups smaller than 11 rows are left out.
    for (const row of grouped.json().rows) expect(Number(row[1])).toBeGreaterThanOrEqual(11);
    // Each district has exactly 10 customers: every group is below 11 and none is released.
    for (const sql of [
      'SELECT district, count(*) FROM bank_customers GROUP BY 1',
      'SELECT district, count(*) FROM bank_customers GROUP BY ALL',
      'SELECT count(*) AS n FROM bank_customers GROUP BY district',
    ]) {
      const byDistrict = await runQuery(platform, researcher, sql);
      expect(byDistrict.statusCode, byDistrict.body).toBe(200);
      expect(byDistrict.json().rowCount, sql).toBe(0);
    }
    const whole = await runQuery(platform, researcher, 'SELECT count(*) AS n FROM bank_customers');
    expect(whole.json().rows).toEqual([['40']]);
  });

  it('counts distinct subjects, not rows, and reads an aggregate-only dataset alone', async () => {
    // Three Sha Tin customers with four visits each (12 rows, 3 subjects); six Kwun Tong customers
    // with one visit each (6 rows, 6 subjects).
    const lines = ['visit_id,customer_id,district,amount'];
    const visitsOf = (customer: string, district: string, count: number) => {
      for (let i = 0; i < count; i++)
        lines.push(`T${lines.length},${customer},${district},${10 * lines.length}`);
    };
    for (const customer of ['V01', 'V02', 'V03']) visitsOf(customer, 'Sha Tin', 4);
    for (const customer of ['V04', 'V05', 'V06', 'V07', 'V08', 'V09']) visitsOf(customer, 'Kwun Tong', 1);
    const visits = await publishDataset(platform, bank, {
      title: 'Branch visits',
      slug: 'bank_visits',
      content: `${lines.join('\n')}\n`,
      classifications: { customer_id: 'identifier' },
    });
    const patched = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${visits.id}`,
      headers: bank.headers,
      payload: { subjectColumn: 'customer_id' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const analyst = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, analyst, bank, visits.id, {
      columns: ['district', 'amount'],
      terms: { aggregateOnly: true, minGroupSize: 5 },
    });
    await grantAccess(platform, analyst, bank, dataset.id, { columns: ['district', 'age'] });

    const grouped = await runQuery(
      platform,
      analyst,
      'SELECT district, count(*) AS n FROM bank_visits GROUP BY district ORDER BY district',
    );
    expect(grouped.statusCode, grouped.body).toBe(200);
    // Sha Tin has 12 rows but 3 subjects, under k = 5: left out.
    expect(grouped.json().rows).toEqual([['Kwun Tong', '6']]);

    for (const sql of [
      // Joins and products multiply rows: every group would pass a row threshold.
      'SELECT a.district, count(*) AS n FROM bank_visits a, bank_visits b GROUP BY a.district',
      'SELECT a.district, count(*) AS n FROM bank_visits a JOIN bank_visits b USING (district) GROUP BY 1',
      'SELECT a.district, count(*) AS n FROM bank_visits a CROSS JOIN bank_visits b GROUP BY 1',
      'SELECT v.district, count(*) AS n FROM bank_visits v, bank_customers c GROUP BY 1',
      'SELECT district, count(*) AS n FROM bank_visits, (SELECT 1 AS x UNION ALL SELECT 2) AS t GROUP BY 1',
      'SELECT district, sum(amount) AS s FROM bank_visits, bank_customers GROUP BY 1',
      // Other tables, subqueries and set operations around it.
      'SELECT district, count(*) AS n FROM (SELECT * FROM bank_visits) AS v GROUP BY 1',
      'WITH v AS (SELECT * FROM bank_visits) SELECT district, count(*) AS n FROM v GROUP BY 1',
      'SELECT district, count(*) AS n FROM bank_visits WHERE district IN (SELECT district FROM bank_customers) GROUP BY 1',
      'SELECT district, count(*) AS n FROM bank_visits GROUP BY 1 UNION ALL SELECT district, count(*) FROM bank_visits GROUP BY 1',
      'SELECT district, count(*) AS n FROM bank_visits GROUP BY district HAVING count(*) >= 1',
    ]) {
      const response = await runQuery(platform, analyst, sql);
      expect(response.statusCode, `${sql}\n${response.body}`).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
    }
  });

  it('refuses what isolates one row of an aggregate-only dataset and answers the allowed shape', async () => {
    const analyst = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, analyst, bank, dataset.id, {
      columns: ['district', 'email', 'age', 'balance', 'opened_on'],
      terms: { aggregateOnly: true, minGroupSize: 5, masks: { email: { kind: 'keep-last', n: 3 } } },
    });
    const rawValues = raw.flatMap((row) => [row[0]!, row[1]!, row[2]!]);
    for (const sql of [
      // One row's value: single-value aggregates of text, FILTER, differences inside one query.
      'SELECT min(district) AS m FROM bank_customers',
      'SELECT district, max(email) AS m FROM bank_customers GROUP BY 1',
      'SELECT quantile_disc(email, 0.5) AS q FROM bank_customers',
      'SELECT median(district) AS m FROM bank_customers',
      'SELECT arg_max(email, balance) AS m FROM bank_customers',
      'SELECT count(*) FILTER (WHERE age = 62) AS n FROM bank_customers',
      'SELECT sum(balance) FILTER (WHERE age < 25) AS s FROM bank_customers',
      'SELECT count(*) - count(age) AS d FROM bank_customers',
      'SELECT sum(balance) - avg(balance) AS d FROM bank_customers',
      'SELECT sum(DISTINCT balance) AS s FROM bank_customers',
      'SELECT quantile_cont(balance, [0.1, 0.9]) AS q FROM bank_customers',
      'SELECT list(age) AS l FROM bank_customers',
      "SELECT string_agg(email, ',') AS l FROM bank_customers",
      'SELECT first(email) AS f FROM bank_customers',
      'SELECT count(*) OVER () AS n FROM bank_customers',
      'SELECT DISTINCT district FROM bank_customers',
      'SELECT district, count(*) AS n FROM bank_customers GROUP BY ROLLUP (district)',
      // Errors that carry or reveal a row's value: casts, overflow, error().
      'SELECT sum(age * 2147483647 * 2147483647) AS s FROM bank_customers',
      'SELECT avg(CAST(email AS INTEGER)) AS a FROM bank_customers',
      'SELECT count(*) AS n FROM bank_customers WHERE CAST(email AS INTEGER) > 0',
      'SELECT count(*) AS n FROM bank_customers WHERE age * 2147483647 * 2147483647 > 0',
      'SELECT count(*) AS n FROM bank_customers WHERE district = 12',
      "SELECT count(*) AS n FROM bank_customers WHERE age = 'x'",
      'SELECT count(*) AS n FROM bank_customers WHERE length(email) > 3',
      'SELECT count(*) AS n FROM bank_customers WHERE error(email) IS NULL',
      // Star expressions.
      'SELECT * FROM bank_customers',
      'SELECT bank_customers.* FROM bank_customers',
      'SELECT COLUMNS(*) FROM bank_customers',
      'SELECT count(COLUMNS(*)) FROM bank_customers',
      "SELECT max(COLUMNS('bal.*')) FROM bank_customers",
      "SELECT district, count(*) AS n FROM bank_customers WHERE COLUMNS('e.*') = 'x' GROUP BY 1",
      // The platform's subject column.
      'SELECT count(__subject) AS n FROM bank_customers',
      'SELECT count(DISTINCT "__subject") AS n FROM bank_customers',
      'SELECT district, count(*) AS n FROM bank_customers WHERE __subject = 1 GROUP BY 1',
      'SELECT district, count(*) AS __n FROM bank_customers GROUP BY 1',
    ]) {
      const response = await runQuery(platform, analyst, sql);
      expect(response.statusCode, `${sql}\n${response.body}`).toBe(403);
      expect(problemOf(response).code, sql).toBe('query-refused');
      for (const value of rawValues) expect(response.body, sql).not.toContain(value);
    }

    const allowed = await runQuery(
      platform,
      analyst,
      'SELECT district, count(*) AS n, count(DISTINCT age) AS ages, sum(balance) AS total, avg(balance) AS mean, ' +
        'min(age) AS youngest, max(age) AS oldest, median(balance) AS mid, quantile_cont(balance, 0.9) AS p90, ' +
        'stddev(balance) AS sd, variance(age) AS var ' +
        "FROM bank_customers WHERE age BETWEEN 20 AND 90 AND district IN ('Sha Tin', 'Kwun Tong') " +
        "AND opened_on >= '2000-01-01' AND NOT email IS NULL AND balance > 0.5 " +
        'GROUP BY district ORDER BY n DESC, district LIMIT 10',
    );
    expect(allowed.statusCode, allowed.body).toBe(200);
    const rows = allowed.json().rows as unknown[][];
    expect(rows.map((row) => row[0])).toEqual(['Kwun Tong', 'Sha Tin']);
    for (const row of rows) {
      const members = raw.filter((line) => line[3] === row[0]);
      expect(Number(row[1])).toBe(members.length);
      expect(Number(row[3])).toBeCloseTo(
        members.reduce((sum, line) => sum + Number(line[5]), 0),
        2,
      );
      expect(Number(row[5])).toBe(Math.min(...members.map((line) => Number(line[4]))));
    }
    const typed = await runQuery(
      platform,
      analyst,
      "SELECT count(*) AS n FROM bank_customers WHERE opened_on > 'not a date'",
    );
    expect(typed.statusCode, typed.body).toBe(400);
    expect(problemOf(typed).code).toBe('query-invalid');
  });

  it('answers a variance over values at the limits of DOUBLE instead of failing on them', async () => {
    const extremes = await publishDataset(platform, bank, {
      title: 'Extremes',
      slug: 'extremes',
      content: 'id,x\nE1,1e308\nE2,-1e308\nE3,1e308\nE4,-1e308\nE5,1e308\nE6,-1e308\n',
    });
    const analyst = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, analyst, bank, extremes.id, {
      columns: ['x'],
      terms: { aggregateOnly: true, minGroupSize: 5 },
    });
    // Unclamped, this variance raises "out of range": whether it failed would be a bit about the data.
    const variance = await runQuery(
      platform,
      analyst,
      'SELECT variance(x) AS v, stddev(x) AS s FROM extremes',
    );
    expect(variance.statusCode, variance.body).toBe(200);
    const [[v, sd]] = variance.json().rows as [[number, number]];
    expect(Number.isFinite(v) && Number.isFinite(sd)).toBe(true);
    const answered = await runQuery(platform, analyst, 'SELECT count(*) AS n, sum(x) AS s FROM extremes');
    expect(answered.statusCode, answered.body).toBe(200);
  });

  it('cuts values and numbers out of engine errors of row-level queries', async () => {
    for (const sql of [
      // Age is banded ('20-29'): the conversion error would quote the band.
      'SELECT CAST(age AS INTEGER) AS a FROM bank_customers',
      // The overflow message shows the operands: here a year from the data.
      'SELECT year(opened_on) * 4611686018427387904 * 4 AS y FROM bank_customers',
      // A failed parse quotes the value in double quotes.
      "SELECT strptime(district, '%Y') AS d FROM bank_customers",
    ]) {
      const response = await runQuery(platform, fintech, sql);
      expect(response.statusCode, `${sql}\n${response.body}`).toBe(400);
      const detail = problemOf(response).detail ?? '';
      expect(detail, sql).not.toMatch(/(?<![A-Za-z_\d])\d/);
      for (const value of ['Sha Tin', 'Kwun Tong', '20-29', '2014']) expect(detail, sql).not.toContain(value);
    }
  });

  it('refuses once maxQueries are used, after a revocation and after expiry', async () => {
    const limited = await createTenant(platform, { kinds: ['consumer'] });
    const agreement = await grantAccess(platform, limited, bank, dataset.id, {
      columns: ['district'],
      terms: { maxQueries: 2 },
    });
    expect((await runQuery(platform, limited, 'SELECT 1 AS x FROM bank_customers LIMIT 1')).statusCode).toBe(
      200,
    );
    expect((await runQuery(platform, limited, 'SELECT 1 AS x FROM bank_customers LIMIT 1')).statusCode).toBe(
      200,
    );
    const third = await runQuery(platform, limited, 'SELECT 1 AS x FROM bank_customers LIMIT 1');
    expect(third.statusCode).toBe(403);
    expect(problemOf(third).code).toBe('query-limit-reached');

    const revoked = await createTenant(platform, { kinds: ['consumer'] });
    const second = await grantAccess(platform, revoked, bank, dataset.id, { columns: ['district'] });
    expect((await runQuery(platform, revoked, 'SELECT count(*) FROM bank_customers')).statusCode).toBe(200);
    const revoke = await platform.app.inject({
      method: 'POST',
      url: `/v1/agreements/${second.id}/revoke`,
      headers: bank.headers,
      payload: { reason: 'the partnership ended' },
    });
    expect(revoke.json().state).toBe('revoked');
    const after = await runQuery(platform, revoked, 'SELECT count(*) FROM bank_customers');
    expect(after.statusCode).toBe(403);
    expect(agreement.id).not.toBe(second.id);

    const expiring = await createTenant(platform, { kinds: ['consumer'] });
    const third_ = await grantAccess(platform, expiring, bank, dataset.id, {
      columns: ['district'],
      terms: { expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect((await runQuery(platform, expiring, 'SELECT count(*) FROM bank_customers')).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const expired = await runQuery(platform, expiring, 'SELECT count(*) FROM bank_customers');
    expect(expired.statusCode).toBe(403);
    const shown = await platform.app.inject({
      url: `/v1/agreements/${third_.id}`,
      headers: expiring.headers,
    });
    expect(shown.json().state).toBe('expired');
    expect(await platform.agreements.recordExpiries()).toBeGreaterThanOrEqual(1);
  });

  it('refuses access from a region the agreement does not allow', async () => {
    const shenzhen = await createTenant(platform, { kinds: ['consumer'] });
    await platform.identity.verifyLocation(platform.operator, shenzhen.orgId, 'shenzhen');
    await grantAccess(platform, shenzhen, bank, dataset.id, { columns: ['district'] });
    const response = await runQuery(platform, shenzhen, 'SELECT count(*) FROM bank_customers');
    expect(response.statusCode).toBe(403);
    expect(problemOf(response).code).toBe('region-not-allowed');
  });

  it('interrupts a query that runs past the time limit', async () => {
    const impatient = new QueryService({ ...platform.query.deps, timeoutMs: 200 });
    const principal = await platform.identity.principalFor('session', bank.userId, bank.orgId, {});
    await expect(
      impatient.run(principal!, {
        sql: 'SELECT count(*) FROM bank_customers a, bank_customers b, bank_customers c, bank_customers d, bank_customers e, bank_customers f',
      }),
    ).rejects.toMatchObject({ code: 'query-timeout' });
  });

  it('downloads masked data only when the agreement permits it', async () => {
    const denied = await platform.app.inject({
      url: `/v1/datasets/${dataset.id}/download?format=csv`,
      headers: fintech.headers,
    });
    expect(denied.statusCode).toBe(403);
    expect(problemOf(denied).code).toBe('download-not-permitted');
    const downloader = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, downloader, bank, dataset.id, {
      columns: ['customer_id', 'district'],
      wantsDownload: true,
      terms: { masks: { customer_id: { kind: 'hash' } } },
    });
    const response = await platform.app.inject({
      url: `/v1/datasets/${dataset.id}/download?format=csv`,
      headers: downloader.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toBe('customer_id,district');
    expect(lines).toHaveLength(41);
    expect(response.body).not.toContain('C00001');
  });
});
