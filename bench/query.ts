/**
 * The governed query path's cost. A generated dataset (10M rows by default) is uploaded as a
 * dataset version, published, and granted to a consumer under an agreement with masks and a row
 * filter. Five analytical queries then run three ways over the same Parquet file, on DuckDB
 * instances with the same threads and memory limit:
 * - raw: the query on a plain view of the file (no masks, no filter);
 * - raw with masks: the query on a plain view holding the very SELECT the grant compiles to, so the
 *   same masks and filter, applied by hand;
 * - governed: `QueryService.run` as the consumer (grants lookup, parse and guard, the hop to a query
 *   worker process and its DuckDB instance confined to the grant file, run, count and ledger entry
 *   in one transaction). The grant file (masks computed at write time) is written by the first
 *   governed query; that write is timed on its own and is not part of the per-query figures.
 * governed / raw is the target; raw-with-masks shows what masking per query would cost instead.
 * An empty query gives the machinery's fixed cost per query.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../src/infra/duck-engine.js';
import { compileSelect } from '../src/modules/query/views.js';
import { grantAccess } from '../test/data-products.js';
import { createTenant, createTestPlatform } from '../test/harness.js';
import { districts } from './support/districts.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rowCount = env('BENCH_QUERY_ROWS', 10_000_000);
const repeats = Math.max(1, env('BENCH_QUERY_REPEATS', 5));
const target = { governedOverRaw: 1.15, fixedCostMs: 10 };
const slug = 'bank_accounts';

const sectors = [
  'Retail',
  'Finance',
  'Logistics',
  'Healthcare',
  'Education',
  'Technology',
  'Property',
  'Hospitality',
  'Manufacturing',
  'Public sector',
];

/** What a data team asks of an accounts table: profiles by area, rankings, a cohort, reach, spread. */
const queries: { name: string; sql: string }[] = [
  {
    name: 'district profile',
    sql: `SELECT district, count(*) AS accounts, avg(age) AS mean_age, avg(txn_count) AS mean_txns
          FROM ${slug} GROUP BY district ORDER BY district`,
  },
  {
    name: 'top sectors',
    sql: `SELECT sector, sum(txn_count) AS txns FROM ${slug} GROUP BY sector ORDER BY txns DESC LIMIT 5`,
  },
  {
    name: 'cohort count',
    sql: `SELECT count(*) AS accounts FROM ${slug}
          WHERE opened_on >= DATE '2015-01-01' AND opened_on < DATE '2020-01-01' AND age BETWEEN 25 AND 44`,
  },
  { name: 'distinct customers', sql: `SELECT count(DISTINCT customer_id) AS customers FROM ${slug}` },
  {
    name: 'median per sector',
    // 9 / 10, not 0.9: the guard refuses a decimal literal (its parse tree carries DECIMAL_TYPE_INFO).
    sql: `SELECT sector, median(age) AS median_age, quantile_cont(txn_count, 9 / 10) AS p90_txns
          FROM ${slug} GROUP BY sector ORDER BY sector`,
  },
];
/** Reads no rows: what is left is the per-query cost of each path. */
const emptyQuery = { name: 'empty (fixed cost)', sql: `SELECT count(*) AS n FROM ${slug} WHERE false` };

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const geometricMean = (values: number[]) =>
  Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
const listLiteral = (values: string[]) => `[${values.map(quoteLiteral).join(', ')}]`;

/**
 * An accounts table built by DuckDB from range(): every column a hash of the row number, so the
 * same row count always gives the same file. Customers hold 1–2 accounts on average.
 */
async function generate(connection: DuckDBConnection, file: string, rows: number): Promise<void> {
  const customers = Math.max(1, Math.ceil(rows * 0.6));
  await connection.run(`COPY (
    SELECT
      printf('C%09d', c) AS customer_id,
      d[1 + (hash(i, 'district') % ${districts.length})::INTEGER] AS district,
      s[1 + (hash(i, 'sector') % ${sectors.length})::INTEGER] AS sector,
      (16 + hash(i, 'age') % 70)::INTEGER AS age,
      round((hash(i, 'balance') % 100000000) / 100.0, 2)::DOUBLE AS balance,
      DATE '2000-01-01' + (hash(i, 'opened') % 9497)::INTEGER AS opened_on,
      (hash(i, 'txns') % 500)::INTEGER AS txn_count,
      'customer' || c || '@' || (['example.hk', 'mail.hk', 'post.com.hk'])[1 + (c % 3)::INTEGER] AS email
    FROM (SELECT i, hash(i, 'customer') % ${customers} AS c FROM range(${rows}) AS r(i)),
      (SELECT ${listLiteral(districts)} AS d, ${listLiteral(sectors)} AS s)
  ) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
}

async function rawQuery(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJson() as unknown[][];
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

const paths = ['raw', 'masked', 'governed'] as const;
type PathName = (typeof paths)[number];

const workDir = await mkdtemp(path.join(tmpdir(), 'stp-bench-query-'));
const platform = await createTestPlatform('pglite');
const rawInstance = await DuckDBInstance.create(':memory:', {
  threads: String(platform.config.queryThreads),
  memory_limit: platform.config.queryMemoryLimit,
});
try {
  const generatedFile = path.join(workDir, `${slug}.parquet`);
  const generator = await rawInstance.connect();
  process.stderr.write(`  generating ${rowCount.toLocaleString('en')} rows\n`);
  const generation = await timed(() => generate(generator, generatedFile, rowCount));
  generator.closeSync();
  const fileBytes = (await stat(generatedFile)).size;

  const bank = await createTenant(platform, { kinds: ['provider'], name: 'Bench Bank' });
  const analytics = await createTenant(platform, { kinds: ['consumer'], name: 'Bench Analytics' });
  const provider = (await platform.identity.principalFor('session', bank.userId, bank.orgId, {}))!;
  const consumer = (await platform.identity.principalFor('session', analytics.userId, analytics.orgId, {}))!;
  const { dataset } = await platform.datasets.create(provider, {
    title: 'Bank accounts',
    slug,
    licence: 'proprietary',
  });
  process.stderr.write('  ingesting through addVersion\n');
  const ingestion = await timed(() =>
    platform.datasets.addVersion(provider, dataset.id, {
      stream: createReadStream(generatedFile),
      filename: `${slug}.parquet`,
    }),
  );
  await platform.datasets.confirmClassifications(provider, dataset.id, {
    columns: { customer_id: 'identifier', email: 'personal', age: 'personal', balance: 'sensitive' },
  });
  await platform.datasets.publish(provider, dataset.id);
  const columns = ingestion.value.currentVersion!.columns.map((column) => column.name);
  await grantAccess(platform, analytics, bank, dataset.id, {
    columns,
    terms: {
      masks: {
        customer_id: { kind: 'hash' },
        email: { kind: 'keep-last', n: 4 },
        balance: { kind: 'band', width: 1000 },
        opened_on: { kind: 'truncate-date', unit: 'year' },
      },
      rowFilter: [
        { column: 'district', op: 'not-in', values: ['Islands', 'North'] },
        { column: 'age', op: '>=', value: 18 },
      ],
    },
  });
  // The consumer's own grant, as the governed path resolves it: its file and compiled SELECT.
  const grant = (await platform.query.resolveGrants(consumer)).grants.find(
    (candidate) => candidate.datasetId === dataset.id,
  )!;

  process.stderr.write('  writing the grant file (first governed query)\n');
  const grantWrite = await timed(() => platform.query.run(consumer, { sql: emptyQuery.sql }));
  const raw = await rawInstance.connect();
  await raw.run(
    `CREATE TEMP VIEW ${quoteIdentifier(slug)} AS SELECT * FROM read_parquet(${quoteLiteral(grant.file)})`,
  );
  const masked = await rawInstance.connect();
  await masked.run(`CREATE TEMP VIEW ${quoteIdentifier(slug)} AS ${compileSelect(grant)}`);
  const runners: Record<PathName, (sql: string) => Promise<unknown[][]>> = {
    raw: (sql) => rawQuery(raw, sql),
    masked: (sql) => rawQuery(masked, sql),
    governed: async (sql) => (await platform.query.run(consumer, { sql })).rows,
  };

  const measured: {
    name: string;
    ms: Record<PathName, number>;
    runs: Record<PathName, number[]>;
    isGovernedSameAsMasked: boolean;
  }[] = [];
  for (const query of [...queries, emptyQuery]) {
    process.stderr.write(`  ${query.name}\n`);
    const runs: Record<PathName, number[]> = { raw: [], masked: [], governed: [] };
    const warm = {} as Record<PathName, unknown[][]>;
    for (const name of paths) warm[name] = await runners[name](query.sql);
    // Each round starts with another path, so none of them always runs on the caches of another.
    for (let round = 0; round < repeats; round++) {
      for (let k = 0; k < paths.length; k++) {
        const name = paths[(round + k) % paths.length]!;
        runs[name].push((await timed(() => runners[name](query.sql))).ms);
      }
    }
    measured.push({
      name: query.name,
      ms: { raw: median(runs.raw), masked: median(runs.masked), governed: median(runs.governed) },
      runs,
      isGovernedSameAsMasked: JSON.stringify(warm.governed) === JSON.stringify(warm.masked),
    });
  }
  raw.closeSync();
  masked.closeSync();

  const analytical = measured.slice(0, queries.length);
  const fixed = measured[queries.length]!;
  const ratioOf = (m: (typeof measured)[number], over: PathName) => m.ms.governed / m.ms[over];
  const geomean = {
    governedOverRaw: round(geometricMean(analytical.map((m) => ratioOf(m, 'raw'))), 3),
    governedOverMasked: round(geometricMean(analytical.map((m) => ratioOf(m, 'masked'))), 3),
    maskedOverRaw: round(geometricMean(analytical.map((m) => m.ms.masked / m.ms.raw)), 3),
  };
  const isMet = geomean.governedOverRaw <= target.governedOverRaw;
  const isFixedMet = fixed.ms.governed <= target.fixedCostMs;

  const ingestSeconds = ingestion.ms / 1000;
  console.log(
    `dataset: ${rowCount.toLocaleString('en')} rows, ${round(fileBytes / 1024 ** 2)} MB Parquet, ` +
      `generated in ${round(generation.ms / 1000, 2)} s`,
  );
  console.log(
    `ingestion (addVersion: copy, convert, profile, classify, record): ${round(ingestSeconds, 2)} s, ` +
      `${Math.round(rowCount / ingestSeconds).toLocaleString('en')} rows/s`,
  );
  console.log(`grant file (masks and filter applied, once per grant): ${round(grantWrite.ms / 1000, 2)} s`);
  const cells = [
    ['query', 'raw ms', 'masked ms', 'governed ms', 'gov/raw', 'gov/masked', 'same rows'],
  ].concat(
    measured.map((m) => [
      m.name,
      m.ms.raw.toFixed(1),
      m.ms.masked.toFixed(1),
      m.ms.governed.toFixed(1),
      ratioOf(m, 'raw').toFixed(2),
      ratioOf(m, 'masked').toFixed(2),
      m.isGovernedSameAsMasked ? 'yes' : 'NO',
    ]),
  );
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  for (const row of cells) {
    console.log(
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    );
  }
  console.log(
    `geometric mean of the five: governed/raw ${geomean.governedOverRaw}, ` +
      `governed/masked ${geomean.governedOverMasked}, masked/raw ${geomean.maskedOverRaw}`,
  );
  console.log(
    `target governed <= ${target.governedOverRaw} x raw: ${isMet ? 'MET' : 'NOT MET'} (${geomean.governedOverRaw})`,
  );
  console.log(
    `target fixed cost per query p50 <= ${target.fixedCostMs} ms (worker hop included): ` +
      `${isFixedMet ? 'MET' : 'NOT MET'} (${round(fixed.ms.governed, 2)} ms)`,
  );
  console.log(
    `median of ${repeats} runs per path after one warm-up, paths alternating; ` +
      `DuckDB ${platform.config.queryThreads} threads, ${platform.config.queryMemoryLimit}`,
  );
  console.log('"same rows": governed answers equal raw-with-masks; targets are information only');

  const results = {
    benchmark: 'query',
    at: new Date().toISOString(),
    node: process.version,
    rows: rowCount,
    repeats,
    threads: platform.config.queryThreads,
    memoryLimit: platform.config.queryMemoryLimit,
    target,
    generation: { seconds: round(generation.ms / 1000, 3), parquetBytes: fileBytes },
    ingestion: { seconds: round(ingestSeconds, 3), rowsPerSecond: Math.round(rowCount / ingestSeconds) },
    grantFileSeconds: round(grantWrite.ms / 1000, 3),
    queries: measured.map((m) => ({
      name: m.name,
      sql: [...queries, emptyQuery].find((q) => q.name === m.name)!.sql.replace(/\s+/g, ' '),
      medianMs: {
        raw: round(m.ms.raw, 2),
        masked: round(m.ms.masked, 2),
        governed: round(m.ms.governed, 2),
      },
      governedOverRaw: round(ratioOf(m, 'raw'), 3),
      governedOverMasked: round(ratioOf(m, 'masked'), 3),
      isGovernedSameAsMasked: m.isGovernedSameAsMasked,
      runsMs: Object.fromEntries(paths.map((name) => [name, m.runs[name].map((ms) => round(ms, 2))])),
    })),
    fixedCostMs: { raw: round(fixed.ms.raw, 2), governed: round(fixed.ms.governed, 2) },
    geomean,
    met: isMet,
    fixedCostMet: isFixedMet,
  };
  const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const out = path.join(resultsDir, 'query.json');
  await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  await rename(`${out}.${process.pid}.tmp`, out);
} finally {
  rawInstance.closeSync();
  await platform.dispose();
  await rm(workDir, { recursive: true, force: true });
}
