import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, grantAccess, publishDataset, runQuery } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';
import { recordReliability } from './reliability-stats.js';

/**
 * What a consumer may try through `POST /v1/query` to get past the governed views: read files,
 * change or probe the engine, read the catalog (view definitions hold the mask key), reach datasets
 * it holds no agreement for, and hide any of that in CTEs, subqueries, comments or odd characters.
 * Every one must be refused before it runs and the refusal must not carry what it was after.
 *
 * `{datasets}` stands for DATA_DIR/datasets (the one directory the engine may read: the raw,
 * unmasked Parquet files), `{dataDir}` for DATA_DIR; both are filled in per platform.
 */
interface AdversarialQuery {
  name: string;
  sql: string;
}

const refusedQueries: AdversarialQuery[] = [
  // Files
  { name: 'read_csv of /etc/passwd', sql: "SELECT * FROM read_csv('/etc/passwd')" },
  { name: 'read_csv_auto', sql: "SELECT * FROM read_csv_auto('/etc/passwd', header = false)" },
  { name: 'read_text', sql: "SELECT content FROM read_text('/etc/passwd')" },
  { name: 'read_blob', sql: "SELECT content FROM read_blob('/etc/hosts')" },
  { name: 'read_json', sql: "SELECT * FROM read_json('/etc/passwd')" },
  {
    name: 'read_parquet on the datasets directory',
    sql: "SELECT * FROM read_parquet('{datasets}/*/*.parquet')",
  },
  { name: 'read_parquet with a root glob', sql: "SELECT * FROM read_parquet('/**/*.parquet')" },
  { name: 'a file name as a table', sql: "SELECT * FROM '/etc/passwd'" },
  { name: 'a relative CSV name as a table', sql: "SELECT * FROM 'x.csv'" },
  { name: 'the raw Parquet files as a table', sql: "SELECT * FROM '{datasets}/*/*.parquet'" },
  { name: 'glob', sql: "SELECT * FROM glob('*')" },
  { name: 'parquet_metadata', sql: "SELECT * FROM parquet_metadata('{datasets}/*/*.parquet')" },
  { name: 'sniff_csv', sql: "SELECT * FROM sniff_csv('/etc/passwd')" },
  { name: 'read_text as a scalar', sql: "SELECT read_text('/etc/passwd') AS t" },
  // Statements other than SELECT
  { name: 'COPY TO', sql: "COPY (SELECT * FROM bank_customers) TO '{dataDir}/copied.csv'" },
  { name: 'EXPORT DATABASE', sql: "EXPORT DATABASE '{dataDir}/exported'" },
  { name: 'ATTACH', sql: "ATTACH '{dataDir}/attached.duckdb' AS other" },
  { name: 'DETACH', sql: 'DETACH memory' },
  { name: 'INSTALL httpfs', sql: 'INSTALL httpfs' },
  { name: 'LOAD httpfs', sql: 'LOAD httpfs' },
  { name: 'PRAGMA', sql: 'PRAGMA database_list' },
  { name: 'SET enable_external_access', sql: 'SET enable_external_access = true' },
  { name: 'RESET', sql: 'RESET lock_configuration' },
  { name: 'CALL', sql: 'CALL duckdb_settings()' },
  { name: 'CREATE TABLE', sql: 'CREATE TABLE stolen AS SELECT * FROM bank_customers' },
  { name: 'CREATE VIEW', sql: "CREATE VIEW bank_customers_raw AS SELECT * FROM '{datasets}/*/*.parquet'" },
  { name: 'CREATE MACRO', sql: "CREATE MACRO env() AS getenv('HOME')" },
  { name: 'INSERT', sql: "INSERT INTO bank_customers VALUES ('x', 'y', 'Sha Tin', 1)" },
  { name: 'UPDATE', sql: 'UPDATE bank_customers SET age = 0' },
  { name: 'DELETE', sql: 'DELETE FROM bank_customers' },
  { name: 'DROP VIEW', sql: 'DROP VIEW bank_customers' },
  // The catalog and the settings
  { name: 'information_schema.tables', sql: 'SELECT * FROM information_schema.tables' },
  { name: 'duckdb_tables()', sql: 'SELECT * FROM duckdb_tables()' },
  { name: 'duckdb_views() (the mask key)', sql: 'SELECT sql FROM duckdb_views(), bank_customers' },
  { name: 'the duckdb_views view', sql: 'SELECT sql FROM duckdb_views, bank_customers' },
  { name: 'duckdb_settings()', sql: 'SELECT * FROM duckdb_settings()' },
  { name: 'pg_catalog.pg_class', sql: 'SELECT * FROM pg_catalog.pg_class' },
  { name: 'sqlite_master', sql: 'SELECT sql FROM sqlite_master, bank_customers' },
  { name: 'current_setting', sql: "SELECT current_setting('allowed_directories') AS d" },
  { name: 'getvariable', sql: "SELECT getvariable('x') AS v" },
  { name: 'pg_get_viewdef', sql: "SELECT pg_get_viewdef('bank_customers') AS d FROM bank_customers" },
  { name: 'pragma_table_info', sql: "SELECT * FROM pragma_table_info('bank_customers')" },
  // Raw names and other datasets
  { name: 'a dataset without an agreement', sql: 'SELECT * FROM secret_ledger' },
  { name: 'it quoted', sql: 'SELECT * FROM "secret_ledger"' },
  {
    name: 'it in a UNION branch',
    sql: 'SELECT district FROM bank_customers UNION ALL SELECT * FROM secret_ledger',
  },
  {
    name: 'it in an IN subquery',
    sql: 'SELECT * FROM bank_customers WHERE district IN (SELECT * FROM secret_ledger)',
  },
  { name: 'main.bank_customers', sql: 'SELECT * FROM main.bank_customers' },
  { name: 'temp.main.bank_customers', sql: 'SELECT * FROM temp.main.bank_customers' },
  { name: 'memory.bank_customers', sql: 'SELECT * FROM memory.bank_customers' },
  // CTEs and subqueries
  { name: 'a CTE over read_csv', sql: "WITH c AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM c" },
  {
    name: 'a CTE named duckdb_views used outside its scope',
    sql: 'SELECT sql FROM duckdb_views, (WITH duckdb_views AS (SELECT 1) SELECT 1) AS t, bank_customers',
  },
  {
    name: 'a CTE named sqlite_master referenced before it is defined',
    sql: 'WITH a AS (SELECT sql FROM sqlite_master), sqlite_master AS (SELECT 1 AS sql) SELECT * FROM a, bank_customers',
  },
  {
    name: 'a CTE named sqlite_master reading itself without RECURSIVE',
    sql: 'WITH sqlite_master AS (SELECT sql FROM sqlite_master) SELECT * FROM sqlite_master, bank_customers',
  },
  {
    name: 'a CTE named like the raw files used outside its scope',
    sql: 'SELECT * FROM (WITH "{datasets}/*/*.parquet" AS (SELECT 1) SELECT 1) AS t, \'{datasets}/*/*.parquet\'',
  },
  {
    name: 'a CTE named with a Kelvin sign for duckdb_views (JavaScript folds it to k, DuckDB does not)',
    sql: 'WITH duc\u212Adb_views AS (SELECT 1 AS sql) SELECT sql FROM duckdb_views, bank_customers',
  },
  {
    name: 'a quoted CTE with a Kelvin sign for a raw Parquet file',
    sql: 'WITH "{datasets}/\u212A.parquet" AS (SELECT 1) SELECT * FROM \'{datasets}/k.parquet\'',
  },
  {
    name: 'a CTE named like the raw files, in scope',
    sql: 'WITH "{datasets}/*/*.parquet" AS (SELECT 1 AS x) SELECT * FROM \'{datasets}/*/*.parquet\'',
  },
  {
    name: 'a table name with a dotted capital I',
    sql: 'WITH secret_ledger AS (SELECT 1 AS x) SELECT * FROM secret_ledger, "secret_ledger\u0130"',
  },
  {
    name: 'a CTE named like a system view, in scope',
    sql: "WITH duckdb_views AS (SELECT 'x' AS sql) SELECT sql FROM duckdb_views, bank_customers",
  },
  { name: 'a subquery over read_text', sql: "SELECT * FROM (SELECT * FROM read_text('/etc/hosts'))" },
  {
    name: 'a scalar subquery over duckdb_views()',
    sql: 'SELECT (SELECT sql FROM duckdb_views() LIMIT 1) AS s FROM bank_customers',
  },
  { name: 'VALUES over duckdb_views', sql: 'VALUES ((SELECT sql FROM duckdb_views LIMIT 1))' },
  {
    name: 'ORDER BY a subquery over the catalog',
    sql: 'SELECT * FROM bank_customers ORDER BY (SELECT count(*) FROM duckdb_tables())',
  },
  {
    name: 'a LATERAL table function',
    sql: 'SELECT * FROM bank_customers b, LATERAL (SELECT * FROM read_text(b.district))',
  },
  { name: 'query()', sql: "SELECT * FROM query('SELECT 1')" },
  { name: 'query_table()', sql: "SELECT * FROM query_table('secret_ledger')" },
  // More than one statement
  { name: 'two SELECTs', sql: 'SELECT 1; SELECT 2' },
  { name: 'a trailing DROP', sql: 'SELECT * FROM bank_customers; DROP VIEW bank_customers' },
  {
    name: 'a -- comment hiding a second statement across a newline',
    sql: "SELECT 1 AS x -- just a comment\n; COPY bank_customers TO '{dataDir}/copied.csv'",
  },
  {
    name: 'a -- comment hiding a UNION across a newline',
    sql: 'SELECT * FROM bank_customers -- masked\nUNION ALL SELECT * FROM secret_ledger',
  },
  { name: 'a /* */ comment inside the FROM', sql: "SELECT * FROM/* hidden */read_csv/**/('/etc/passwd')" },
  // Characters that look like others
  { name: 'fullwidth letters in a table function', sql: "SELECT * FROM ｒｅａｄ_csv('/etc/passwd')" },
  { name: 'a Cyrillic homoglyph in a table name', sql: 'SELECT * FROM \u0455ecret_ledger' },
  { name: 'a Cyrillic homoglyph in duckdb_views', sql: 'SELECT * FROM duckdb_v\u0456ews()' },
  { name: 'a zero-width space in a table name', sql: 'SELECT * FROM secret\u200bledger' },
  { name: 'a NUL byte before a second statement', sql: 'SELECT 1\u0000; DROP VIEW bank_customers' },
  { name: 'a quoted "read_csv"', sql: 'SELECT * FROM "read_csv"(\'/etc/passwd\')' },
  // Functions that reach outside the data
  { name: 'getenv', sql: "SELECT getenv('HOME') AS home" },
  {
    name: 'json_execute_serialized_sql',
    sql: "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM duckdb_views()'))",
  },
  { name: 'json_deserialize_sql', sql: "SELECT json_deserialize_sql(json_serialize_sql('SELECT 1')) AS q" },
  {
    name: 'json_serialize_plan (file path and mask key in the plan)',
    sql: "SELECT json_serialize_plan('SELECT * FROM bank_customers') AS p FROM bank_customers",
  },
  {
    name: 'stats (Parquet min/max over filtered-out rows)',
    sql: 'SELECT stats(district) AS s FROM bank_customers',
  },
  { name: 'pg_sleep', sql: 'SELECT pg_sleep(10)' },
  { name: 'error() raising a column value', sql: 'SELECT error(customer_id) FROM bank_customers' },
  {
    name: 'error() in a WHERE clause',
    sql: 'SELECT count(*) FROM bank_customers WHERE CASE WHEN age > 30 THEN error(email) ELSE true END',
  },
  { name: 'setseed', sql: 'SELECT setseed(0.5)' },
  { name: 'nextval', sql: "SELECT nextval('seq')" },
  { name: 'a query parameter', sql: 'SELECT * FROM bank_customers WHERE age = $1' },
  // Statement-like SELECTs
  { name: 'EXPLAIN', sql: 'EXPLAIN SELECT * FROM bank_customers' },
  { name: 'DESCRIBE', sql: 'DESCRIBE bank_customers' },
  { name: 'SUMMARIZE', sql: 'SUMMARIZE bank_customers' },
  { name: 'SHOW TABLES', sql: 'SHOW TABLES' },
  { name: 'PIVOT', sql: 'PIVOT bank_customers ON district USING count(*)' },
];

/** Rejected by DuckDB's own parser: nothing was bound or run, so a syntax error (400) is as good. */
const syntaxErrors: AdversarialQuery[] = [
  { name: 'a /* */ comment splitting SELECT', sql: 'SEL/**/ECT * FROM secret_ledger' },
  { name: 'a /* */ comment splitting COPY', sql: "CO/**/PY bank_customers TO '{dataDir}/copied.csv'" },
  { name: 'a fullwidth SELECT', sql: 'ＳＥＬＥＣＴ * FROM bank_customers' },
  { name: 'a zero-width space inside SELECT', sql: 'SEL\u200bECT * FROM secret_ledger' },
  {
    name: 'a number beyond DOUBLE (Infinity in the parsed tree)',
    sql: 'SELECT 1e400 AS x FROM bank_customers',
  },
];

/** Fragments for the property: whole statements or SELECTs; each is dangerous unless marked otherwise. */
const fragments: { sql: string; isDangerous: boolean }[] = [
  ...refusedQueries.map((query) => ({ sql: query.sql, isDangerous: true })),
  { sql: 'SELECT 1 AS x', isDangerous: false },
  { sql: 'SELECT district FROM bank_customers', isDangerous: false },
  { sql: 'SELECT count(*) AS n FROM bank_customers', isDangerous: false },
];

const benignQueries = [
  'SELECT district, age FROM bank_customers',
  'SELECT customer_id FROM bank_customers WHERE age > 30',
  'SELECT count(*) AS n FROM bank_customers',
];

/** Generated queries (a dangerous fragment hidden in a benign one) per database. */
const adversarialRuns = 60;

const customers = customersCsv(40);
const rawRows = customers
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const shaTinRows = rawRows.filter((row) => row[3] === 'Sha Tin');

describe.each(dbTargets)('adversarial governed queries (%s)', (target) => {
  let platform: TestPlatform;
  let consumer: Tenant;
  let ledgerBefore: number;

  const fill = (sql: string) =>
    sql
      .replaceAll('{datasets}', path.join(platform.dataDir, 'datasets'))
      .replaceAll('{dataDir}', platform.dataDir);

  const queryRuns = async () =>
    (await platform.audit.list({ orgId: consumer.orgId, action: 'query.run', limit: 10_000 })).length;

  /**
   * What a refusal must not carry: file contents, the data directory, Parquet file names, a 64-hex
   * key, raw identifiers or e-mails. The caller's own words echoed back ("unknown dataset
   * '/etc/…'") are no leak, so a marker may appear as often as the query itself wrote it.
   */
  function expectNoLeak(response: LightMyRequestResponse, sql: string): void {
    const count = (text: string, marker: string) => text.split(marker).length - 1;
    for (const marker of ['root:', platform.dataDir, '.parquet']) {
      expect(count(response.body, marker), `"${marker}" in ${response.body}`).toBeLessThanOrEqual(
        count(sql, marker),
      );
    }
    for (const secret of [/[0-9a-f]{64}/i, /C\d{5}/, /customer\d+@example\.hk/]) {
      expect(response.body, sql).not.toMatch(secret);
    }
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    const bank = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    const customersDataset = await publishDataset(platform, bank, {
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
    await grantAccess(platform, consumer, bank, customersDataset.id, {
      columns: ['customer_id', 'email', 'district', 'age'],
      terms: {
        masks: { customer_id: { kind: 'hash' }, email: { kind: 'keep-last', n: 3 } },
        rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin'] }],
      },
    });
    ledgerBefore = await queryRuns();
  });
  afterAll(async () => {
    recordReliability({
      kind: 'adversarial-queries',
      what: 'hostile governed queries in the corpus (files, settings, catalog, other datasets, syntax)',
      on: target,
      count: refusedQueries.length + syntaxErrors.length,
      held: 'each refused before it ran, nothing leaked in the answer, no query in the ledger',
      details: { generatedPerRun: adversarialRuns },
    });
    await platform?.dispose();
  });

  it.each(refusedQueries)('refuses $name', async ({ sql: template }) => {
    const sql = fill(template);
    const response = await runQuery(platform, consumer, sql);
    expect(response.statusCode, `${sql}\n${response.body}`).toBe(403);
    expect(problemOf(response).code).toBe('query-refused');
    expectNoLeak(response, sql);
  });

  it.each(syntaxErrors)('rejects $name as a syntax error', async ({ sql: template }) => {
    const sql = fill(template);
    const response = await runQuery(platform, consumer, sql);
    expect(response.statusCode, `${sql}\n${response.body}`).toBe(400);
    expect(problemOf(response).code).toBe('query-invalid');
    expectNoLeak(response, sql);
  });

  it('ran none of them: no query in the ledger, no file written, the engine still locked', async () => {
    expect(await queryRuns()).toBe(ledgerBefore);
    for (const name of ['copied.csv', 'exported', 'attached.duckdb']) {
      expect(existsSync(path.join(platform.dataDir, name)), name).toBe(false);
    }
    const connection = await platform.engine.governedConnection();
    try {
      const reader = await connection.runAndReadAll(
        "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked",
      );
      expect(reader.getRowObjectsJson()).toEqual([{ external: false, locked: true }]);
    } finally {
      connection.closeSync();
    }
  });

  it.each([
    {
      name: 'a CTE',
      sql: 'WITH older AS (SELECT customer_id, email, district FROM bank_customers WHERE age > 20) SELECT * FROM older',
    },
    {
      name: 'a subquery',
      sql: 'SELECT customer_id, email, district FROM (SELECT * FROM bank_customers) AS b WHERE b.age < 100',
    },
    {
      name: 'a self-join',
      sql: 'SELECT a.customer_id, b.email, a.district FROM bank_customers a JOIN bank_customers b ON a.customer_id = b.customer_id',
    },
    {
      name: 'chained and recursive CTEs',
      sql:
        'WITH RECURSIVE steps(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM steps WHERE n < 1), ' +
        'people AS (SELECT * FROM bank_customers), paired AS (SELECT p.*, s.n FROM people p, steps s) ' +
        'SELECT customer_id, email, district FROM paired',
    },
  ])('answers $name with masked rows of the filtered district only', async ({ sql }) => {
    const response = await runQuery(platform, consumer, sql);
    expect(response.statusCode, response.body).toBe(200);
    const { rows } = response.json() as { rows: string[][] };
    expect(rows).toHaveLength(shaTinRows.length);
    for (const [customerId, email, district] of rows) {
      expect(customerId).toMatch(/^[0-9a-f]{32}$/);
      expect(email).toMatch(/^\*+\.hk$/);
      expect(district).toBe('Sha Tin');
    }
    expectNoLeak(response, sql);
  });

  it('answers a GROUP BY with ORDER BY and LIMIT over the filtered district only', async () => {
    const sql =
      'SELECT district, count(*) AS n, min(email) AS first_email FROM bank_customers ' +
      'GROUP BY district ORDER BY n DESC LIMIT 5';
    const response = await runQuery(platform, consumer, sql);
    expect(response.statusCode, response.body).toBe(200);
    const [row, ...others] = (response.json() as { rows: string[][] }).rows;
    expect(others).toEqual([]);
    expect(row?.[0]).toBe('Sha Tin');
    expect(Number(row?.[1])).toBe(shaTinRows.length);
    expect(row?.[2]).toMatch(/^\*+\.hk$/);
  });

  it('never answers 200 to a dangerous fragment in a benign query, never 5xx, never leaks (property)', async () => {
    const placements = [
      (benign: string, fragment: string) => `${benign} -- harmless\n${fragment}`,
      (benign: string, fragment: string) => `${benign} /* harmless */; ${fragment}`,
      (benign: string, fragment: string) => `WITH injected AS (${fragment}) ${benign}`,
      (benign: string, fragment: string) => `SELECT * FROM (${benign}) AS b, (${fragment}) AS f`,
      (benign: string, fragment: string) => `${benign} UNION ALL ${fragment}`,
      (benign: string, fragment: string) => `SELECT * FROM (${benign}) AS b WHERE EXISTS (${fragment})`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...benignQueries),
        fc.constantFrom(...fragments),
        fc.constantFrom(...placements),
        fc.constantFrom(' ', '\n', '\t', ' /**/ '),
        async (benign, fragment, place, space) => {
          const sql = place(benign, fill(fragment.sql)).replaceAll(' FROM ', `${space}FROM${space}`);
          const response = await runQuery(platform, consumer, sql);
          expect(response.statusCode, `${sql}\n${response.body}`).toBeLessThan(500);
          if (fragment.isDangerous) expect(response.statusCode, `${sql}\n${response.body}`).not.toBe(200);
          expectNoLeak(response, sql);
        },
      ),
      { numRuns: adversarialRuns },
    );
  });
});

/**
 * Aggregate-only grants answer no engine text, but whether a query fails at all is one bit: an
 * aggregate that raises on one row's value (a variance over an infinite or huge reading) would say
 * whether some row matching the WHERE, in a group far under k, holds such a value. Run with the
 * guard on (the platform writes the SQL, clamping values before a variance) and with it off (the
 * SQL runs as written over the grant file, whose floating-point values are held within ±1e100):
 * either alone answers the same for a subject with a huge value as for one without.
 */
describe.each(dbTargets)('aggregate-only queries that could fail on one row (%s)', (target) => {
  const platforms: { mode: string; platform: TestPlatform; analyst: Tenant }[] = [];
  /** customer7 (Yau Tsim Mong) reads 1e300; everyone else a small number. */
  const readings = (() => {
    const lines = customersCsv(40).trim().split('\n');
    lines[0] += ',reading';
    for (let i = 1; i < lines.length; i++) lines[i] += i === 7 ? ',1e300' : `,${i * 1.5}`;
    return `${lines.join('\n')}\n`;
  })();

  async function seed(unguardedQueries: boolean) {
    const platform = await createTestPlatform(target, { unguardedQueries });
    const owner = await createTenant(platform, { kinds: ['provider'] });
    const analyst = await createTenant(platform, { kinds: ['consumer'] });
    const dataset = await publishDataset(platform, owner, {
      title: 'Meter readings',
      slug: 'meter_readings',
      content: readings,
      classifications: { customer_id: 'identifier', email: 'personal' },
    });
    const patched = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${dataset.id}`,
      headers: owner.headers,
      payload: { subjectColumn: 'customer_id' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await grantAccess(platform, analyst, owner, dataset.id, {
      columns: ['email', 'district', 'reading'],
      terms: { aggregateOnly: true, minGroupSize: 5 },
    });
    return { mode: unguardedQueries ? 'guard off' : 'guard on', platform, analyst };
  }

  beforeAll(async () => {
    // One after the other: two platforms starting at once on a busy machine can outlast start-up limits.
    platforms.push(await seed(false));
    platforms.push(await seed(true));
  });
  afterAll(async () => {
    await Promise.all(platforms.map(({ platform }) => platform.dispose()));
  });

  const pairs = (aggregate: string) => [
    `SELECT ${aggregate}(reading) AS s FROM meter_readings WHERE email IN ('customer7@example.hk', 'customer1@example.hk')`,
    `SELECT ${aggregate}(reading) AS s FROM meter_readings WHERE email IN ('customer2@example.hk', 'customer1@example.hk')`,
  ];

  it.each(['stddev', 'stddev_pop', 'variance', 'var_samp', 'var_pop'])(
    'answers %s over two subjects alike whether one of them reads 1e300 or not, in both modes',
    async (aggregate) => {
      for (const { mode, platform, analyst } of platforms) {
        const [withHuge, without] = await Promise.all(
          pairs(aggregate).map((sql) => runQuery(platform, analyst, sql)),
        );
        expect(withHuge!.statusCode, `${mode}: ${withHuge!.body}`).toBe(200);
        expect(without!.statusCode, `${mode}: ${without!.body}`).toBe(200);
        for (const response of [withHuge!, without!]) {
          for (const row of (response.json() as { rows: unknown[][] }).rows) {
            // Guard off, the two rows come back (no threshold): finite, the huge value held at the bound.
            if (row[0] !== null)
              expect(Number.isFinite(Number(row[0])), `${mode}: ${response.body}`).toBe(true);
          }
        }
        if (mode === 'guard on') {
          // Two subjects are under k = 5: neither query releases a row.
          expect(withHuge!.json().rows).toEqual([]);
          expect(without!.json().rows).toEqual([]);
        }
      }
    },
  );

  it('answers a variance per district, the huge reading held at the bound, with the guard on', async () => {
    const { platform, analyst } = platforms.find(({ mode }) => mode === 'guard on')!;
    const response = await runQuery(
      platform,
      analyst,
      'SELECT district, variance(reading) AS v, max(reading) AS m FROM meter_readings GROUP BY district ORDER BY district',
    );
    expect(response.statusCode, response.body).toBe(200);
    const rows = (response.json() as { rows: [string, number, number][] }).rows;
    expect(rows).toHaveLength(4);
    for (const [, variance, max] of rows) {
      expect(Number.isFinite(variance)).toBe(true);
      expect(max).toBeLessThanOrEqual(1e100);
    }
  });

  it.each([0, 1, '1.0', '0.0', '1e0'])(
    'answers quantile(reading, %s) and a comparison with it, whole numbers written as DOUBLE included',
    async (fraction) => {
      const { platform, analyst } = platforms.find(({ mode }) => mode === 'guard on')!;
      const response = await runQuery(
        platform,
        analyst,
        `SELECT district, quantile(reading, ${fraction}) AS q FROM meter_readings WHERE reading <> ${fraction} GROUP BY district`,
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().rows).toHaveLength(4);
    },
  );
});
