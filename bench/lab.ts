/**
 * The clean room's cost. Two generated datasets (encounters, 10M rows by default, and claims, a
 * tenth of that, sharing patient numbers) are uploaded as dataset versions, attached to a lab (which
 * pseudonymises every patient number with HMAC-SHA256 inside DuckDB; the time is reported), and five
 * aggregate queries then run two ways:
 * - raw: the query on a plain DuckDB connection over the stored Parquet files (no pseudonyms, no
 *   bounds, no noise), on an instance with the platform's threads and memory limit;
 * - clean room: `LabService.runQuery` as a researcher (parse and check, rewrite, contribution bound,
 *   run, Laplace noise and suppression, ε spent with the result and its ledger entry).
 * clean room / raw is the target. Two diagnostic paths split the difference, run on the lab's own
 * pseudonymised files: the compiled SQL alone (what the clean room runs, without the service
 * around it), and the same with its contribution bound (the QUALIFY row_number() window) removed.
 * EXPLAIN ANALYZE of the compiled SQL shows which operators the time goes to.
 *
 * `node --import tsx bench/lab.ts --rows 1000000 --repeats 3`, or BENCH_ROWS / BENCH_LAB_REPEATS.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../src/infra/duck-engine.js';
import type { DatasetEntry } from '../src/modules/catalog/datasets.js';
import type { Principal } from '../src/modules/identity/principal.js';
import { compileCleanRoomQuery, type LabTable, planCleanRoomQuery } from '../src/modules/lab/cleanroom.js';
import { parseSelect } from '../src/modules/query/guard.js';
import { createTenant, createTestPlatform, type TestPlatform } from '../test/harness.js';
import { districts } from './support/districts.js';

const { values: flags } = parseArgs({
  options: { rows: { type: 'string' }, repeats: { type: 'string' } },
});
const rowCount = Number(flags.rows ?? process.env.BENCH_ROWS ?? 10_000_000);
const repeats = Math.max(1, Number(flags.repeats ?? process.env.BENCH_LAB_REPEATS ?? 5));
if (!Number.isInteger(rowCount) || rowCount < 1000) throw new Error(`--rows must be an integer ≥ 1000`);
const claimRows = Math.max(100, Math.round(rowCount / 10));
const patients = Math.ceil(rowCount * 0.6);
/** Every run spends it: five queries × (warm-up + repeats) must fit the lab's budget. */
const epsilon = 0.1;
const epsilonBudget = 100;
const target = { cleanRoomOverRaw: 2 };
const maxRowsPerSubject = 5;

/** The clean-room SQL and the raw SQL asking the same; they differ only where raw names the identifier. */
const queries: { name: string; cleanRoom: string; raw: string }[] = [
  {
    name: 'count by district',
    cleanRoom: 'SELECT district, count(*) AS encounters FROM encounters GROUP BY district',
    raw: 'SELECT district, count(*) AS encounters FROM encounters GROUP BY district',
  },
  {
    name: 'avg age by sex',
    cleanRoom: 'SELECT sex, avg(age) AS mean_age FROM encounters GROUP BY sex',
    raw: 'SELECT sex, avg(age) AS mean_age FROM encounters GROUP BY sex',
  },
  {
    name: 'sum by district, sex',
    cleanRoom: 'SELECT district, sex, sum(cost_hkd) AS cost FROM encounters GROUP BY district, sex',
    raw: 'SELECT district, sex, sum(cost_hkd) AS cost FROM encounters GROUP BY district, sex',
  },
  {
    name: 'distinct patients by district',
    cleanRoom: 'SELECT district, count(DISTINCT subject_key) AS patients FROM encounters GROUP BY district',
    raw: 'SELECT district, count(DISTINCT patient_id) AS patients FROM encounters GROUP BY district',
  },
  {
    name: 'join claims by district',
    cleanRoom:
      'SELECT e.district, count(*) AS rows, sum(c.amount_hkd) AS claimed ' +
      'FROM encounters e JOIN claims c USING (subject_key) GROUP BY e.district',
    raw:
      'SELECT e.district, count(*) AS rows, sum(c.amount_hkd) AS claimed ' +
      'FROM encounters e JOIN claims c USING (patient_id) GROUP BY e.district',
  },
];

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const geometricMean = (values: number[]) =>
  Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
const listLiteral = (values: string[]) => `[${values.map(quoteLiteral).join(', ')}]`;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/**
 * Encounters and claims built by DuckDB from range(): every column a hash of the row or patient
 * number, so one row count always gives the same files. A patient's sex, district and age are
 * functions of the patient, so they agree across their rows; a patient has ~1.7 encounters.
 */
async function generate(connection: DuckDBConnection, dir: string): Promise<Record<string, string>> {
  const files = {
    encounters: path.join(dir, 'encounters.parquet'),
    claims: path.join(dir, 'claims.parquet'),
  };
  await connection.run(`COPY (
    SELECT
      printf('HN%08d', p) AS patient_id,
      (['F', 'M'])[1 + (hash(p, 'sex') % 2)::INTEGER] AS sex,
      d[1 + (hash(p, 'district') % ${districts.length})::INTEGER] AS district,
      (hash(p, 'age') % 100)::INTEGER AS age,
      round((hash(i, 'cost') % 5000000) / 100.0, 2)::DOUBLE AS cost_hkd
    FROM (SELECT i, hash(i, 'patient') % ${patients} AS p FROM range(${rowCount}) AS r(i)),
      (SELECT ${listLiteral(districts)} AS d)
  ) TO ${quoteLiteral(files.encounters)} (FORMAT parquet, COMPRESSION zstd)`);
  await connection.run(`COPY (
    SELECT
      printf('HN%08d', hash(i, 'claimant') % ${patients}) AS patient_id,
      (['outpatient', 'inpatient', 'day surgery'])[1 + (hash(i, 'type') % 3)::INTEGER] AS claim_type,
      round((hash(i, 'amount') % 20000000) / 100.0, 2)::DOUBLE AS amount_hkd
    FROM range(${claimRows}) AS r(i)
  ) TO ${quoteLiteral(files.claims)} (FORMAT parquet, COMPRESSION zstd)`);
  return files;
}

interface Profile {
  operators: { operator: string; seconds: number; share: number }[];
  peakBufferMb: number;
  peakTempMb: number;
}

/** An EXPLAIN (ANALYZE, FORMAT json) profile: operators by total time, largest first, and peak memory. */
function profileOf(root: unknown): Profile {
  type Node = {
    operator_name?: string;
    operator_timing?: number;
    system_peak_buffer_memory?: number;
    system_peak_temp_dir_size?: number;
    children?: Node[];
  };
  const totals = new Map<string, number>();
  const stack = [root as Node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (
      node.operator_name &&
      node.operator_timing !== undefined &&
      node.operator_name !== 'EXPLAIN_ANALYZE'
    ) {
      const name = node.operator_name.trim();
      totals.set(name, (totals.get(name) ?? 0) + node.operator_timing);
    }
    stack.push(...(node.children ?? []));
  }
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const top = root as Node;
  return {
    operators: [...totals]
      .map(([operator, seconds]) => ({
        operator,
        seconds: round(seconds, 3),
        share: round(seconds / sum, 3),
      }))
      .sort((a, b) => b.seconds - a.seconds),
    peakBufferMb: round((top.system_peak_buffer_memory ?? 0) / 1024 ** 2),
    peakTempMb: round((top.system_peak_temp_dir_size ?? 0) / 1024 ** 2),
  };
}

const paths = ['raw', 'cleanRoom', 'compiled', 'unbounded'] as const;
type PathName = (typeof paths)[number];
const boundClause = /\s*QUALIFY row_number\(\) OVER \(PARTITION BY "__subject" ORDER BY random\(\)\) <= \d+/;

async function dataset(
  platform: TestPlatform,
  owner: Principal,
  slug: string,
  file: string,
  classifications: Record<string, 'identifier' | 'personal' | 'sensitive'>,
): Promise<{ entry: DatasetEntry; ms: number }> {
  const { dataset: created } = await platform.datasets.create(owner, {
    title: slug,
    slug,
    licence: 'proprietary',
  });
  const ingestion = await timed(() =>
    platform.datasets.addVersion(owner, created.id, {
      stream: createReadStream(file),
      filename: `${slug}.parquet`,
    }),
  );
  await platform.datasets.confirmClassifications(owner, created.id, { columns: classifications });
  await platform.datasets.publish(owner, created.id);
  return { entry: await platform.datasets.get(owner, created.id), ms: ingestion.ms };
}

if (queries.length * (repeats + 1) * epsilon > epsilonBudget) {
  throw new Error(`--repeats ${repeats} would spend more than the lab's ε budget of ${epsilonBudget}`);
}

const workDir = await mkdtemp(path.join(tmpdir(), 'stp-bench-lab-'));
const platform = await createTestPlatform('pglite');
const rawInstance = await DuckDBInstance.create(':memory:', {
  threads: String(platform.config.queryThreads),
  memory_limit: platform.config.queryMemoryLimit,
});
try {
  const generator = await rawInstance.connect();
  process.stderr.write(
    `  generating ${rowCount.toLocaleString('en')} encounters, ${claimRows.toLocaleString('en')} claims\n`,
  );
  const generation = await timed(() => generate(generator, workDir));
  generator.closeSync();
  const generated = generation.value;

  const principalOf = async (tenant: { userId: string; orgId: string }) =>
    (await platform.identity.principalFor('session', tenant.userId, tenant.orgId, {}))!;
  const hospitalTenant = await createTenant(platform, { kinds: ['provider'], name: 'Bench Hospital' });
  const insurerTenant = await createTenant(platform, { kinds: ['provider'], name: 'Bench Insurer' });
  const researcherTenant = await createTenant(platform, { kinds: ['consumer'], name: 'Bench Research' });
  const hospital = await principalOf(hospitalTenant);
  const insurer = await principalOf(insurerTenant);
  const researcher = await principalOf(researcherTenant);

  process.stderr.write('  ingesting through addVersion\n');
  const encounters = await dataset(platform, hospital, 'encounters', generated.encounters!, {
    patient_id: 'identifier',
    sex: 'personal',
    district: 'personal',
    age: 'personal',
    cost_hkd: 'sensitive',
  });
  const claims = await dataset(platform, insurer, 'claims', generated.claims!, {
    patient_id: 'identifier',
    claim_type: 'sensitive',
    amount_hkd: 'sensitive',
  });

  const { lab } = await platform.labs.create(hospital, {
    name: 'Bench lab',
    minGroupSize: 10,
    epsilonBudget,
    defaultEpsilon: epsilon,
    maxRowsPerSubject,
  });
  await platform.labs.addMember(hospital, lab.id, { orgId: insurerTenant.orgId, role: 'data-owner' });
  await platform.labs.addMember(hospital, lab.id, { orgId: researcherTenant.orgId, role: 'researcher' });
  process.stderr.write('  attaching (HMAC-SHA256 of every patient number)\n');
  const attachEncounters = await timed(() =>
    platform.labs.attachDataset(hospital, lab.id, {
      datasetId: encounters.entry.dataset.id,
      name: 'encounters',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'district'],
      measures: { age: { lower: 0, upper: 110 }, cost_hkd: { lower: 0, upper: 50_000 } },
    }),
  );
  const attachClaims = await timed(() =>
    platform.labs.attachDataset(insurer, lab.id, {
      datasetId: claims.entry.dataset.id,
      name: 'claims',
      subjectColumn: 'patient_id',
      dimensions: ['claim_type'],
      measures: { amount_hkd: { lower: 0, upper: 200_000 } },
    }),
  );

  // Raw: the stored dataset versions, as the owner uploaded them (converted by the platform).
  const raw = await rawInstance.connect();
  for (const entry of [encounters.entry, claims.entry]) {
    await raw.run(
      `CREATE TEMP VIEW ${quoteIdentifier(entry.dataset.slug)} AS SELECT * FROM read_parquet(${quoteLiteral(
        platform.datasets.fileOf(entry.currentVersion!),
      )})`,
    );
  }
  // Diagnostics: the lab's pseudonymised copies under the names clean-room SQL uses.
  const attached = await platform.labs.datasetsOf([lab.id]);
  const labFiles = attached.map((row) => path.join(platform.engine.labsDir, row.file));
  const diagnostic = await rawInstance.connect();
  for (const [i, row] of attached.entries()) {
    await diagnostic.run(
      `CREATE TEMP VIEW ${quoteIdentifier(row.name)} AS SELECT * FROM read_parquet(${quoteLiteral(labFiles[i]!)})`,
    );
  }
  const tables = new Map<string, LabTable>(attached.map((row) => [row.name, { ...row }]));
  const governed = await platform.engine.governedConnection();
  const functions = await platform.query.functionCatalog(governed);
  governed.closeSync();
  const compile = async (sql: string) => {
    const [statement] = await parseSelect(diagnostic, sql);
    const planned = planCleanRoomQuery(statement!, tables, functions);
    // The benchmark's queries have no WHERE: no column types are needed to compile them.
    return compileCleanRoomQuery(planned, {
      maxRowsPerSubject,
      maxGroupsPerSubject: 1,
      seed: 1,
      types: new Map(),
    });
  };
  const rowsOf = async (connection: DuckDBConnection, sql: string) =>
    (await connection.runAndReadAll(sql)).getRowsJson() as unknown[][];

  const measured: {
    name: string;
    /** Medians, for the paths that ran. */
    ms: Partial<Record<PathName, number>>;
    runs: Record<PathName, number[]>;
    /** The first line of the error of a path that failed (it is not run again for this query). */
    failures: Partial<Record<PathName, string>>;
    isSameGroups: boolean | null;
    firstAggregateMaxRelativeDifference: number | null;
    compiledSql: string;
    profile: Profile | { error: string };
  }[] = [];
  for (const query of queries) {
    process.stderr.write(`  ${query.name}\n`);
    const compiledSql = await compile(query.cleanRoom);
    const unboundedSql = boundClause.test(compiledSql) ? compiledSql.replace(boundClause, '') : null;
    const runners: Record<PathName, (() => Promise<unknown[][]>) | null> = {
      raw: () => rowsOf(raw, query.raw),
      cleanRoom: async () =>
        (await platform.labs.runQuery(researcher, lab.id, { sql: query.cleanRoom, epsilon })).result.rows,
      compiled: () => rowsOf(diagnostic, compiledSql),
      unbounded: unboundedSql ? () => rowsOf(diagnostic, unboundedSql) : null,
    };
    const failures: Partial<Record<PathName, string>> = {};
    const attempt = async <T>(name: PathName, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        failures[name] = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
        process.stderr.write(`    ${name} failed: ${failures[name]}\n`);
        return undefined;
      }
    };
    const warm: Partial<Record<PathName, unknown[][]>> = {};
    for (const name of paths) if (runners[name]) warm[name] = await attempt(name, runners[name]);
    const runs: Record<PathName, number[]> = { raw: [], cleanRoom: [], compiled: [], unbounded: [] };
    // Each round starts with another path, so none of them always runs on the caches of another.
    const active = paths.filter((name) => runners[name] && !failures[name]);
    for (let r = 0; r < repeats; r++) {
      for (let k = 0; k < active.length; k++) {
        const name = active[(r + k) % active.length]!;
        if (failures[name]) continue;
        const ran = await attempt(name, () => timed(runners[name]!));
        if (ran) runs[name].push(ran.ms);
      }
    }
    // The answers should describe the same groups; the first aggregate differs by noise and by the bound.
    let isSameGroups: boolean | null = null;
    let firstAggregateMaxRelativeDifference: number | null = null;
    if (warm.raw && warm.cleanRoom) {
      const keyCount = query.raw.split(' GROUP BY ')[1]!.split(',').length;
      const keyOf = (row: unknown[]) => JSON.stringify(row.slice(0, keyCount));
      const rawByKey = new Map(warm.raw.map((row) => [keyOf(row), Number(row[keyCount])]));
      const released = warm.cleanRoom;
      isSameGroups = released.length === rawByKey.size && released.every((row) => rawByKey.has(keyOf(row)));
      firstAggregateMaxRelativeDifference = Math.max(
        ...released.map((row) => {
          const exact = rawByKey.get(keyOf(row)) ?? Number.NaN;
          return Math.abs(Number(row[keyCount]) - exact) / Math.abs(exact);
        }),
      );
    }
    let profile: Profile | { error: string };
    try {
      const explained = await rowsOf(diagnostic, `EXPLAIN (ANALYZE, FORMAT json) ${compiledSql}`);
      profile = profileOf(JSON.parse(String(explained[0]![1])));
    } catch (error) {
      profile = { error: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
    }
    measured.push({
      name: query.name,
      ms: Object.fromEntries(
        paths.filter((name) => runs[name].length > 0).map((name) => [name, median(runs[name])]),
      ),
      runs,
      failures,
      isSameGroups,
      firstAggregateMaxRelativeDifference,
      compiledSql,
      profile,
    });
  }
  raw.closeSync();
  diagnostic.closeSync();

  type Measured = (typeof measured)[number];
  const ratio = (m: Measured, over: PathName, of: PathName = 'cleanRoom') =>
    m.ms[of] !== undefined && m.ms[over] !== undefined ? m.ms[of] / m.ms[over] : null;
  const geomeanOf = (over: PathName, of: PathName = 'cleanRoom') => {
    const ratios = measured.map((m) => ratio(m, over, of)).filter((r): r is number => r !== null);
    return ratios.length > 0 ? round(geometricMean(ratios), 3) : null;
  };
  const geomean = {
    cleanRoomOverRaw: geomeanOf('raw'),
    compiledOverRaw: geomeanOf('raw', 'compiled'),
    cleanRoomOverCompiled: geomeanOf('compiled'),
  };
  const completed = measured.filter((m) => ratio(m, 'raw') !== null).length;
  // A query the clean room could not answer at all misses the target, whatever the others do.
  const isMet =
    completed === measured.length &&
    geomean.cleanRoomOverRaw !== null &&
    geomean.cleanRoomOverRaw <= target.cleanRoomOverRaw;

  const mb = async (file: string) => round((await stat(file)).size / 1024 ** 2);
  console.log(
    `datasets: ${rowCount.toLocaleString('en')} encounters (${await mb(generated.encounters!)} MB), ` +
      `${claimRows.toLocaleString('en')} claims (${await mb(generated.claims!)} MB), ` +
      `${patients.toLocaleString('en')} possible patients; generated in ${round(generation.ms / 1000, 2)} s`,
  );
  console.log(
    `ingestion (addVersion): encounters ${round(encounters.ms / 1000, 2)} s, claims ${round(claims.ms / 1000, 2)} s`,
  );
  const attachRate = (ms: number, rows: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
  console.log(
    `attach (HMAC-SHA256 pseudonyms in DuckDB, copy to the lab): encounters ${round(attachEncounters.ms / 1000, 2)} s ` +
      `(${attachRate(attachEncounters.ms, rowCount)} rows/s, lab file ${await mb(labFiles[attached.findIndex((row) => row.name === 'encounters')]!)} MB), ` +
      `claims ${round(attachClaims.ms / 1000, 2)} s`,
  );
  const msCell = (m: Measured, name: PathName) =>
    m.ms[name]?.toFixed(1) ?? (m.failures[name] ? 'failed' : '-');
  const cells = [
    ['query', 'raw ms', 'clean room ms', 'ratio', 'compiled ms', 'no bound ms', 'same groups', 'max |Δ|'],
  ].concat(
    measured.map((m) => [
      m.name,
      msCell(m, 'raw'),
      msCell(m, 'cleanRoom'),
      ratio(m, 'raw')?.toFixed(2) ?? '-',
      msCell(m, 'compiled'),
      msCell(m, 'unbounded'),
      m.isSameGroups === null ? '-' : m.isSameGroups ? 'yes' : 'NO',
      m.firstAggregateMaxRelativeDifference === null
        ? '-'
        : `${(m.firstAggregateMaxRelativeDifference * 100).toFixed(2)}%`,
    ]),
  );
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  for (const row of cells) {
    console.log(
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    );
  }
  for (const m of measured) {
    for (const [name, message] of Object.entries(m.failures)) console.log(`  ${m.name}, ${name}: ${message}`);
  }
  console.log(
    `geometric mean over the ${completed} of ${measured.length} queries both paths answered: clean room/raw ` +
      `${geomean.cleanRoomOverRaw ?? '-'}, compiled SQL alone/raw ${geomean.compiledOverRaw ?? '-'}, ` +
      `clean room/compiled SQL alone ${geomean.cleanRoomOverCompiled ?? '-'}`,
  );
  console.log(
    `target clean room <= ${target.cleanRoomOverRaw} x raw: ${isMet ? 'MET' : 'NOT MET'} ` +
      `(${geomean.cleanRoomOverRaw ?? '-'}${completed < measured.length ? `; ${measured.length - completed} not answered` : ''})`,
  );
  console.log(
    'where the compiled SQL spends its time (EXPLAIN ANALYZE on the bench instance, which may spill):',
  );
  for (const m of measured) {
    if ('error' in m.profile) {
      console.log(`  ${m.name}: failed: ${m.profile.error}`);
      continue;
    }
    const top = m.profile.operators
      .slice(0, 4)
      .map((op) => `${op.operator} ${Math.round(op.share * 100)}%`)
      .join(', ');
    console.log(
      `  ${m.name}: ${top}; peak buffer ${m.profile.peakBufferMb} MB, spilled ${m.profile.peakTempMb} MB`,
    );
  }
  console.log(
    `median of ${repeats} runs per path after one warm-up, paths alternating; ε ${epsilon} a query; ` +
      `DuckDB ${platform.config.queryThreads} threads, ${platform.config.queryMemoryLimit}`,
  );
  console.log(
    '"compiled": the clean room\'s own SQL run alone on the lab files; "no bound": the same without the ' +
      'per-subject row bound; "max |Δ|": largest relative difference of the first aggregate from raw ' +
      '(noise and the bound); targets are information only',
  );

  const results = {
    benchmark: 'lab',
    at: new Date().toISOString(),
    node: process.version,
    rows: rowCount,
    claimRows,
    patients,
    repeats,
    epsilon,
    maxRowsPerSubject,
    threads: platform.config.queryThreads,
    memoryLimit: platform.config.queryMemoryLimit,
    target,
    generation: { seconds: round(generation.ms / 1000, 3) },
    ingestion: {
      encountersSeconds: round(encounters.ms / 1000, 3),
      claimsSeconds: round(claims.ms / 1000, 3),
    },
    attach: {
      encountersSeconds: round(attachEncounters.ms / 1000, 3),
      claimsSeconds: round(attachClaims.ms / 1000, 3),
    },
    queries: measured.map((m) => ({
      name: m.name,
      cleanRoomSql: queries.find((q) => q.name === m.name)!.cleanRoom,
      rawSql: queries.find((q) => q.name === m.name)!.raw,
      compiledSql: m.compiledSql,
      medianMs: Object.fromEntries(
        paths.map((name) => [name, m.ms[name] === undefined ? null : round(m.ms[name], 2)]),
      ),
      failures: m.failures,
      cleanRoomOverRaw: ratio(m, 'raw') === null ? null : round(ratio(m, 'raw')!, 3),
      isSameGroups: m.isSameGroups,
      firstAggregateMaxRelativeDifference:
        m.firstAggregateMaxRelativeDifference === null
          ? null
          : round(m.firstAggregateMaxRelativeDifference, 5),
      profile: m.profile,
      runsMs: Object.fromEntries(paths.map((name) => [name, m.runs[name].map((ms) => round(ms, 2))])),
    })),
    geomean,
    met: isMet,
  };
  const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const out = path.join(resultsDir, 'lab.json');
  await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  await rename(`${out}.${process.pid}.tmp`, out);
} finally {
  rawInstance.closeSync();
  await platform.dispose();
  await rm(workDir, { recursive: true, force: true });
}
