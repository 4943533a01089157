/**
 * The consent filter's cost. Two questions:
 * 1. How the live subject keys should reach DuckDB. Three ways over the same Parquet file, each timed
 *    as "create the view, count the visible rows" on a fresh connection, for 1,000 to 100,000 keys:
 *    - in-list: `subject IN ('k1', 'k2', …)`, one literal per key;
 *    - split (what compileSelect does): one newline-separated literal split inside DuckDB;
 *    - temp table: the keys appended to a temporary table the view reads.
 *    A second reference to the view (a self-join) shows which ways pay per reference.
 * 2. What it costs end to end on the embedded database: importing 100,000 consents from CSV, loading
 *    the live keys (ConsentService.filtersFor), and a governed count(*) as the consumer, against the
 *    same query with the dataset's consent requirement switched off.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../src/infra/duck-engine.js';
import type { DatasetColumn } from '../src/modules/catalog/schema.js';
import { compileSelect, type Grant } from '../src/modules/query/views.js';
import { grantAccess, publishDataset, runQuery } from '../test/data-products.js';
import { createTenant, createTestPlatform } from '../test/harness.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const subjectCount = env('BENCH_CONSENT_SUBJECTS', 100_000);
const rowCount = env('BENCH_CONSENT_ROWS', 2 * subjectCount);
const repeats = Math.max(1, env('BENCH_CONSENT_REPEATS', 5));

const key = (i: number) => `SUBJ-${String(i).padStart(8, '0')}`;

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

// ---- 1. the engine alone ------------------------------------------------------------------------

const dir = await mkdtemp(path.join(tmpdir(), 'stp-bench-consent-'));
const file = path.join(dir, 'subjects.parquet');
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const setup = await instance.connect();
await setup.run(
  `COPY (SELECT 'SUBJ-' || lpad(CAST(i AS VARCHAR), 8, '0') AS subject, i % 100 AS v FROM range(${rowCount}) t(i)) ` +
    `TO ${quoteLiteral(file)} (FORMAT parquet)`,
);
setup.closeSync();

const column: DatasetColumn = {
  name: 'subject',
  type: 'VARCHAR',
  suggested: 'identifier',
  reasons: [],
  classification: 'identifier',
  description: null,
  statistics: { nullCount: 0, distinctApprox: rowCount, min: null, max: null, mean: null },
};
const valueColumn: DatasetColumn = { ...column, name: 'v', type: 'BIGINT', classification: 'public' };

function grantFor(subjects: string[]): Grant {
  return {
    name: 'd',
    datasetId: 'ds_bench',
    versionId: 'dsv_bench',
    file,
    ownerOrgId: 'org_bench',
    subjectColumn: 'k',
    columns: [column, valueColumn],
    terms: {
      actions: ['query'],
      purpose: 'credit-assessment',
      purposeText: '',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      columns: ['subject', 'v'],
      masks: {},
      rowFilter: [],
      aggregateOnly: false,
      minGroupSize: null,
      maxQueries: null,
      maxRowsPerQuery: 100_000,
      regions: ['hong-kong'],
      pinnedVersionId: null,
      duties: [],
      prohibitions: [],
    },
    agreementId: 'agr_bench',
    secret: 'bench',
    via: 'agreement',
    consent: { subjectColumn: 'subject', subjects },
  };
}

const plain = `SELECT subject, v FROM read_parquet(${quoteLiteral(file)})`;
const ways: Record<string, (subjects: string[]) => (sql: string) => Promise<unknown>> = {
  'in-list': (subjects) => async (sql) => {
    const connection = await instance.connect();
    try {
      const list = subjects.map(quoteLiteral).join(', ');
      await connection.run(`CREATE TEMP VIEW d AS ${plain} WHERE CAST(subject AS VARCHAR) IN (${list})`);
      return (await connection.runAndReadAll(sql)).getRowsJson();
    } finally {
      connection.closeSync();
    }
  },
  split: (subjects) => async (sql) => {
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TEMP VIEW d AS ${compileSelect(grantFor(subjects))}`);
      return (await connection.runAndReadAll(sql)).getRowsJson();
    } finally {
      connection.closeSync();
    }
  },
  'temp table': (subjects) => async (sql) => {
    const connection = await instance.connect();
    try {
      await connection.run('CREATE TEMP TABLE consenting (k VARCHAR)');
      const appender = await connection.createAppender('consenting', 'main', 'temp');
      for (const subject of subjects) {
        appender.appendVarchar(subject);
        appender.endRow();
      }
      appender.closeSync();
      await connection.run(`CREATE TEMP VIEW d AS ${plain} WHERE subject IN (SELECT k FROM consenting)`);
      return (await connection.runAndReadAll(sql)).getRowsJson();
    } finally {
      connection.closeSync();
    }
  },
};

const engine: Record<string, Record<string, { oneReferenceMs: number; twoReferencesMs: number }>> = {};
console.log(`engine: ${rowCount.toLocaleString('en')} rows, median of ${repeats}`);
for (const size of [1_000, 10_000, subjectCount]) {
  const subjects = Array.from({ length: size }, (_, i) => key(i * 2));
  engine[size] = {};
  for (const [name, way] of Object.entries(ways)) {
    const run = way(subjects);
    const oneReferenceMs = await median(() => run('SELECT count(*), sum(v) FROM d'));
    const twoReferencesMs = await median(() => run('SELECT count(*) FROM d a JOIN d b USING (subject)'));
    engine[size]![name] = { oneReferenceMs, twoReferencesMs };
    console.log(
      `  ${String(size).padStart(7)} keys  ${name.padEnd(10)}  one reference ${oneReferenceMs} ms, two ${twoReferencesMs} ms`,
    );
  }
}
instance.closeSync();

// ---- 2. end to end on the embedded database ---------------------------------------------------

const platform = await createTestPlatform('pglite');
let endToEnd: Record<string, number>;
try {
  const bank = await createTenant(platform, { kinds: ['provider'] });
  const lender = await createTenant(platform, { kinds: ['consumer'] });
  const lines = ['customer_id,v'];
  for (let i = 0; i < rowCount; i++) lines.push(`${key(i)},${i % 100}`);
  const dataset = await publishDataset(platform, bank, {
    title: 'Bench subjects',
    slug: 'bench_subjects',
    content: `${lines.join('\n')}\n`,
    classifications: { customer_id: 'identifier' },
  });
  await grantAccess(platform, lender, bank, dataset.id, {
    columns: ['customer_id', 'v'],
    purpose: 'credit-assessment',
  });
  const consentLines = ['subject_key,purpose,grantee_org_id'];
  for (let i = 0; i < subjectCount; i++) consentLines.push(`${key(i * 2)},credit-assessment,${lender.orgId}`);
  const csv = `${consentLines.join('\n')}\n`;
  const setConsentRequired = async (consentRequired: boolean) => {
    const response = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${dataset.id}`,
      headers: bank.headers,
      payload: { consentRequired, subjectColumn: 'customer_id' },
    });
    if (response.statusCode !== 200) throw new Error(response.body);
  };
  const count = async () => {
    const response = await runQuery(platform, lender, 'SELECT count(*) FROM bench_subjects');
    if (response.statusCode !== 200) throw new Error(response.body);
    return Number(response.json().rows[0][0]);
  };

  const importStarted = performance.now();
  const imported = await platform.app.inject({
    method: 'POST',
    url: '/v1/consents/import',
    headers: { ...bank.headers, 'content-type': 'text/csv' },
    payload: csv,
  });
  if (imported.statusCode !== 201) throw new Error(imported.body);
  const importMs = Math.round(performance.now() - importStarted);

  const queryWithoutConsentMs = await median(count);
  await setConsentRequired(true);
  if ((await count()) !== subjectCount)
    throw new Error('the filter did not keep exactly the consenting rows');
  const loadKeysMs = await median(() =>
    platform.consents.filtersFor(lender.orgId, [{ datasetId: dataset.id, purpose: 'credit-assessment' }]),
  );
  const queryWithConsentMs = await median(count);
  endToEnd = { importMs, loadKeysMs, queryWithoutConsentMs, queryWithConsentMs };
  console.log(
    `end to end: ${subjectCount.toLocaleString('en')} consents over ${rowCount.toLocaleString('en')} rows`,
  );
  console.log(`  CSV import (one transaction, one ledger entry): ${importMs} ms`);
  console.log(`  loading the live subject keys: ${loadKeysMs} ms`);
  console.log(
    `  governed count(*): ${queryWithoutConsentMs} ms without the requirement, ${queryWithConsentMs} ms with it`,
  );
} finally {
  await platform.dispose();
  await rm(dir, { recursive: true, force: true });
}

const results = {
  benchmark: 'consent',
  at: new Date().toISOString(),
  node: process.version,
  rows: rowCount,
  subjects: subjectCount,
  repeats,
  engine,
  endToEnd,
};
const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
await mkdir(resultsDir, { recursive: true });
const out = path.join(resultsDir, 'consent.json');
await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
await rename(`${out}.${process.pid}.tmp`, out);
