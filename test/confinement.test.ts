import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, grantAccess, publishDataset, runQuery } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  type Tenant,
  type TestPlatform,
} from './harness.js';
import { recordReliability } from './reliability-stats.js';

/**
 * Defence in depth, shown with the guard switched off (a test-only platform option that no
 * configuration reaches): consumer SQL runs as written, and only the query worker's confinement
 * stands between it and the data. Whatever the query tries, nothing outside the caller's grant
 * files may come back: no raw file, no other dataset, no unmasked value, no row outside the
 * agreement's filter, no mask key, no environment. The same corpus then runs with the guard on.
 *
 * `{datasets}` is DATA_DIR/datasets (the raw, unmasked Parquet files), `{dataDir}` DATA_DIR,
 * `{grants}` DATA_DIR/grants and `{rawFile}` the raw Parquet file of the dataset the consumer reads.
 */
const escapes: string[] = [
  "SELECT * FROM read_parquet('{datasets}/**/*.parquet')",
  "SELECT * FROM read_parquet('{rawFile}')",
  "SELECT * FROM '{rawFile}'",
  "SELECT * FROM parquet_metadata('{rawFile}')",
  "SELECT * FROM read_parquet('{grants}/*.parquet')",
  "SELECT * FROM glob('{dataDir}/**')",
  "SELECT * FROM glob('/**')",
  "SELECT * FROM read_text('/etc/passwd')",
  "SELECT * FROM read_csv('/etc/passwd')",
  "SELECT * FROM read_blob('{dataDir}/**')",
  'SELECT sql FROM duckdb_views()',
  'SELECT * FROM duckdb_settings()',
  "SELECT json_serialize_plan('SELECT * FROM bank_customers') AS plan",
  "SELECT getenv('HOME') AS home",
  'SELECT * FROM secret_ledger',
  "COPY bank_customers TO '{grants}/copied.parquet'",
  "COPY (SELECT 1 AS x) TO '{rawFile}'",
  "ATTACH '{dataDir}/stolen.duckdb' AS stolen",
  'SET enable_external_access = true',
  'SET lock_configuration = false',
  "SET allowed_directories = ['/']",
  'INSTALL httpfs',
  'LOAD httpfs',
  "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
  // Read what the grant holds in every shape: masked, filtered rows only.
  'SELECT * FROM bank_customers',
  'SELECT customer_id, email, district FROM bank_customers ORDER BY customer_id',
  'SELECT min(email) AS a, max(email) AS b, list(customer_id) AS c FROM bank_customers',
  'SELECT DISTINCT district FROM bank_customers',
  'SELECT * FROM bank_customers a, bank_customers b',
];

const customers = customersCsv(40);
const rawRows = customers
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const otherDistricts = ['Kwun Tong', 'Central and Western', 'Yau Tsim Mong'];

describe.each(dbTargets)('query workers hold without the guard (%s)', (target) => {
  let guarded: TestPlatform;
  let unguarded: TestPlatform;
  const consumers = new Map<TestPlatform, Tenant>();
  const rawFiles = new Map<TestPlatform, string>();
  const banks = new Map<TestPlatform, Tenant>();
  const datasetIds = new Map<TestPlatform, string>();

  async function seed(platform: TestPlatform): Promise<void> {
    const bank = await createTenant(platform, { kinds: ['provider'] });
    const consumer = await createTenant(platform, { kinds: ['consumer'] });
    const dataset = await publishDataset(platform, bank, {
      title: 'Bank customers',
      slug: 'bank_customers',
      content: customers,
      classifications: {
        customer_id: 'identifier',
        full_name: 'personal',
        email: 'personal',
        balance: 'sensitive',
      },
    });
    await publishDataset(platform, bank, {
      title: 'Secret ledger',
      slug: 'secret_ledger',
      content: 'entry_id,customer_id,amount\nL1,C00001,100.50\nL2,C00002,-20.00\n',
      classifications: { customer_id: 'identifier', amount: 'sensitive' },
    });
    await grantAccess(platform, consumer, bank, dataset.id, {
      columns: ['customer_id', 'email', 'district', 'age'],
      terms: {
        masks: { customer_id: { kind: 'hash' }, email: { kind: 'keep-last', n: 3 } },
        rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin'] }],
      },
    });
    consumers.set(platform, consumer);
    banks.set(platform, bank);
    datasetIds.set(platform, dataset.id);
    const versions = path.join(platform.dataDir, 'datasets', dataset.id);
    const [file] = (await readdir(versions)).filter((name) => name.endsWith('.parquet'));
    rawFiles.set(platform, path.join(versions, file!));
  }

  beforeAll(async () => {
    // A small memory cap per query worker, so one query can outgrow it in a test.
    const env = { STP_QUERY_MEMORY_MB: '320' };
    [guarded, unguarded] = await Promise.all([
      createTestPlatform(target, { env }),
      createTestPlatform(target, { env, unguardedQueries: true }),
    ]);
    await Promise.all([seed(guarded), seed(unguarded)]);
  });
  afterAll(async () => {
    recordReliability({
      kind: 'adversarial-queries',
      what: 'hostile governed queries with the guard switched off (files, catalog, settings, writes, environment)',
      on: target,
      count: escapes.length,
      held: "nothing outside the caller's grant files: no raw value, no other row, no key, no file written",
    });
    recordReliability({
      kind: 'fault',
      what: 'a query outgrowing its worker memory cap, with another query and the control plane running',
      on: target,
      count: 1,
      held: 'that query 503 query-resources-exceeded; the other query and the control plane answered; a new worker took over',
    });
    await Promise.all([guarded?.dispose(), unguarded?.dispose()]);
  });

  function fill(platform: TestPlatform, sql: string): string {
    return sql
      .replaceAll('{datasets}', path.join(platform.dataDir, 'datasets'))
      .replaceAll('{grants}', path.join(platform.dataDir, 'grants'))
      .replaceAll('{rawFile}', rawFiles.get(platform)!)
      .replaceAll('{dataDir}', platform.dataDir);
  }

  /** Nothing outside the grant: no raw id, name, e-mail or balance, no other district, no key, no file. */
  function expectConfined(platform: TestPlatform, response: LightMyRequestResponse, sql: string): void {
    expect(response.statusCode, `${sql}\n${response.body}`).toBeLessThan(500);
    // The caller's own words echoed back ("unknown dataset '/…'") are no leak; grant files are named
    // by a SHA-256 of what writes them, which is no key.
    let body = response.body.replace(/[0-9a-f]{64}\.parquet/g, '<grant>.parquet');
    for (const quoted of sql.match(/'[^']*'/g) ?? []) body = body.replaceAll(quoted.slice(1, -1), '<echo>');
    const context = `${sql}\n${body.slice(0, 500)}`;
    expect(body, context).not.toMatch(/C\d{5}/);
    expect(body, context).not.toMatch(/customer\d+@example\.hk/);
    expect(body, context).not.toMatch(/Customer \d+/);
    expect(body, context).not.toMatch(/[0-9a-f]{64}/i);
    expect(body, context).not.toContain('root:');
    expect(body, context).not.toContain('postgres://');
    expect(body, context).not.toContain(path.join(platform.dataDir, 'datasets'));
    for (const district of otherDistricts) expect(body, context).not.toContain(district);
    for (const row of rawRows) expect(body, context).not.toContain(`"${row[5]}"`);
  }

  it.each(escapes)('answers %s with nothing outside the grant, guard off', async (template) => {
    const sql = fill(unguarded, template);
    expectConfined(unguarded, await runQuery(unguarded, consumers.get(unguarded)!, sql), sql);
  });

  it.each(escapes)('answers %s with nothing outside the grant, guard on', async (template) => {
    const sql = fill(guarded, template);
    expectConfined(guarded, await runQuery(guarded, consumers.get(guarded)!, sql), sql);
  });

  it('still answers a consumer its masked, filtered rows with the guard off', async () => {
    const response = await runQuery(
      unguarded,
      consumers.get(unguarded)!,
      'SELECT customer_id, email, district FROM bank_customers',
    );
    expect(response.statusCode, response.body).toBe(200);
    const { rows } = response.json() as { rows: string[][] };
    expect(rows.length).toBe(rawRows.filter((row) => row[3] === 'Sha Tin').length);
    for (const [id, email, district] of rows) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(email).toMatch(/^\*+\.hk$/);
      expect(district).toBe('Sha Tin');
    }
  });

  it('wrote no file outside the grants and kept the raw file as it was', async () => {
    const grants = await readdir(path.join(unguarded.dataDir, 'grants'));
    expect(grants.filter((name) => !/^[0-9a-f]{64}\.parquet$/.test(name))).toEqual([]);
    const response = await runQuery(
      unguarded,
      consumers.get(unguarded)!,
      'SELECT count(*) AS n FROM bank_customers',
    );
    expect(response.json().rows.map((row: unknown[]) => Number(row[0]))).toEqual([10]);
  });

  it('stops a query that outgrows its worker while another query and the control plane keep answering', async () => {
    const consumer = consumers.get(guarded)!;
    const hog = runQuery(
      guarded,
      consumer,
      'SELECT length(repeat(email, 200000000)) AS n FROM bank_customers',
    );
    const others = Promise.all([
      runQuery(guarded, consumer, 'SELECT count(*) AS n FROM bank_customers'),
      guarded.app.inject({ method: 'GET', url: '/v1/me', headers: consumer.headers }),
      guarded.app.inject({ method: 'GET', url: '/healthz' }),
    ]);
    const [stopped, [query, me, health]] = await Promise.all([hog, others]);
    expect(stopped.statusCode, stopped.body).toBe(503);
    expect(stopped.json().code).toBe('query-resources-exceeded');
    expect(stopped.body).not.toMatch(/\*\*\*|\.hk/);
    expect(query.statusCode, query.body).toBe(200);
    expect(me.statusCode).toBe(200);
    expect(health.statusCode).toBe(200);
    // A new worker takes the dead one's place.
    const after = await runQuery(guarded, consumer, 'SELECT count(*) AS n FROM bank_customers');
    expect(after.statusCode, after.body).toBe(200);
  });

  it('puts refusals on the record per principal and minute, as probes in the dataset history, and tells the owner', async () => {
    const platform = guarded;
    const bank = banks.get(platform)!;
    const datasetId = datasetIds.get(platform)!;
    const prober = await createTenant(platform, { kinds: ['consumer'] });
    await grantAccess(platform, prober, bank, datasetId, { columns: ['district', 'age'] });
    const refused = [
      'SELECT sql FROM duckdb_views(), bank_customers',
      "SELECT * FROM bank_customers, read_text('/etc/passwd')",
      'SELECT * FROM bank_customers, secret_ledger',
      'SELECT getenv(district) FROM bank_customers',
      'SELECT * FROM main.bank_customers',
      'SELECT * FROM bank_customers; SELECT 1',
    ];
    for (const sql of refused) {
      const response = await runQuery(platform, prober, sql);
      expect(response.statusCode, response.body).toBe(403);
    }
    await platform.query.deps.refusals.flush();
    const entries = await platform.audit.list({ orgId: prober.orgId, limit: 100 });
    const single = entries.filter((entry) => entry.action === 'query.refuse');
    const summaries = entries.filter((entry) => entry.action === 'query.refuse.summary');
    expect(single).toHaveLength(1);
    expect(single[0]!.decision).toBe('deny');
    expect(single[0]!.data).toMatchObject({ code: 'query-refused', datasetIds: [datasetId] });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.data).toMatchObject({ count: refused.length - 1, datasetIds: [datasetId] });
    expect((summaries[0]!.data as { unknownNames?: unknown }).unknownNames).toBeUndefined();

    const history = await platform.app.inject({
      method: 'GET',
      url: `/v1/regulator/datasets/${datasetId}/access?limit=100`,
      headers: { cookie: await operatorCookie(platform) },
    });
    expect(history.statusCode, history.body).toBe(200);
    const probes = (
      history.json().items as { via: string; org: { id: string }; refusal: { count: number } }[]
    ).filter((item) => item.via === 'probe' && item.org.id === prober.orgId);
    expect(probes.map((probe) => probe.refusal.count).sort()).toEqual([1, refused.length - 1].sort());

    const notices = await platform.app.inject({
      method: 'GET',
      url: '/v1/notifications',
      headers: bank.headers,
    });
    const about = (notices.json().items as { kind: string; objectId: string }[]).filter(
      (item) => item.kind === 'query.refusals' && item.objectId === prober.orgId,
    );
    expect(about).toHaveLength(1);
    const own = await platform.app.inject({
      method: 'GET',
      url: '/v1/notifications',
      headers: prober.headers,
    });
    expect((own.json().items as { kind: string }[]).some((item) => item.kind === 'query.refusals')).toBe(
      false,
    );
  });
});
