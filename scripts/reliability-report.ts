/**
 * `npm run reliability:report`: runs the reliability and security suites and writes
 * docs/reliability.md, the table of what was tried and what held, from what the tests counted while
 * they ran (test/reliability-stats.ts) and from their results. Nothing in the document is typed by
 * hand: change a test, run this again.
 *
 * With DATABASE_URL (and REDIS_URL) set, the suites also run on PostgreSQL, as in CI. The last soak
 * (`npm run soak`, bench/results/soak.json), if there is one, is summarised too; it is not run here.
 * Exits non-zero, leaving the document as it was, when a test fails. What a run counted is kept in
 * bench/results/reliability/, so `npm run reliability:report -- --render-only` rewrites the document
 * from the last run (after editing its text below) without running the suites again.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The suites, in the order the document lists them. */
const suites = [
  { file: 'test/fuzz.test.ts', about: 'hostile input to every operation, generated from the OpenAPI' },
  { file: 'test/adversarial-queries.test.ts', about: 'governed SQL that tries to get past the views' },
  {
    file: 'test/confinement.test.ts',
    about: 'the same kind of SQL with the guard off: the query workers alone must hold',
  },
  { file: 'test/authorization-matrix.test.ts', about: 'every operation × every role, as reviewed' },
  { file: 'test/security.test.ts', about: 'tenant isolation, ids, tokens' },
  { file: 'test/security-headers.test.ts', about: 'headers on every control-plane answer' },
  { file: 'test/secrets-in-logs.test.ts', about: 'no secret reaches the logs' },
  { file: 'test/faults-crash.test.ts', about: 'kill -9 in the middle of changes, then restart' },
  { file: 'test/faults-postgres.test.ts', about: 'PostgreSQL lost under load (needs DATABASE_URL)' },
  { file: 'test/faults-redis.test.ts', about: 'Redis lost, both fallback modes' },
  { file: 'test/faults-upstream.test.ts', about: 'an upstream that hangs and flaps' },
  {
    file: 'test/faults-client.test.ts',
    about: 'idempotency keys, a full and a read-only disk (tmpfs), sweeps while running',
  },
  { file: 'src/modules/gateway/breaker.test.ts', about: 'the circuit breaker, with a property test' },
  {
    file: 'src/modules/query/guard.test.ts',
    about: 'the guard, with a property test of non-ASCII identifiers against DuckDB',
  },
  {
    file: 'src/modules/lab/lab.test.ts',
    about: 'the clean room: noise, ε floor, budgets, concurrent queries at the end of a budget',
  },
  {
    file: 'src/modules/query/noise.test.ts',
    about: 'noisy aggregate-only grants: differencing, ε budgets, concurrent queries',
  },
];

interface Record {
  kind: string;
  what: string;
  on?: string;
  count: number;
  held?: string;
  details?: { [name: string]: string | number };
}

interface VitestJson {
  testResults: {
    name: string;
    assertionResults: { status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' }[];
  }[];
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const thousands = (n: number) => n.toLocaleString('en-GB');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main() {
  const kept = path.join(root, 'bench/results/reliability');
  const statsFile = path.join(kept, 'stats.jsonl');
  const resultsFile = path.join(kept, 'vitest.json');
  const targetsFile = path.join(kept, 'targets.json');
  if (!process.argv.includes('--render-only')) {
    await mkdir(kept, { recursive: true });
    await writeFile(statsFile, '');
    const code = await run(
      process.execPath,
      [
        path.join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        ...suites.map((suite) => suite.file),
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${resultsFile}`,
      ],
      { ...process.env, STP_RELIABILITY_STATS: statsFile },
    );
    if (code !== 0 || !existsSync(resultsFile)) {
      process.stderr.write('reliability:report: a suite failed; docs/reliability.md is unchanged\n');
      process.exitCode = 1;
      return;
    }
    const targets = {
      postgres: Boolean(process.env.DATABASE_URL),
      redis: Boolean(process.env.REDIS_URL),
      on: new Date().toISOString().slice(0, 10),
    };
    await writeFile(targetsFile, JSON.stringify(targets));
    const soakFile = path.join(root, 'bench/results/soak.json');
    if (existsSync(soakFile)) await copyFile(soakFile, path.join(kept, 'soak.json'));
  }
  if (!existsSync(resultsFile) || !existsSync(targetsFile)) {
    throw new Error('no run to render: run `npm run reliability:report` first');
  }
  const results = JSON.parse(await readFile(resultsFile, 'utf8')) as VitestJson;
  const records = (await readFile(statsFile, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record);
  const matrix = JSON.parse(await readFile(path.join(root, 'test/authorization-matrix.json'), 'utf8')) as {
    matrix: { [operation: string]: { [role: string]: string } };
  };
  const keptSoak = path.join(kept, 'soak.json');
  const soak = existsSync(keptSoak) ? (JSON.parse(await readFile(keptSoak, 'utf8')) as SoakResult) : null;
  const targets = JSON.parse(await readFile(targetsFile, 'utf8')) as Targets;
  const document = render({ results, records, matrix: matrix.matrix, soak, targets });
  const target = path.join(root, 'docs/reliability.md');
  await writeFile(target, document);
  // Biome formats Markdown too (its tables), so the generated file passes `npm run lint` as it is.
  await run(
    process.execPath,
    [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', target],
    process.env,
  );
  process.stdout.write(`reliability:report: wrote docs/reliability.md (${records.length} counted items)\n`);
}

interface Targets {
  postgres: boolean;
  redis: boolean;
  /** The day of the run (YYYY-MM-DD). */
  on: string;
}

function render(input: {
  results: VitestJson;
  records: Record[];
  matrix: { [operation: string]: { [role: string]: string } };
  soak: SoakResult | null;
  targets: Targets;
}): string {
  const { results, records, matrix, soak } = input;
  const databases = ['PGlite', ...(input.targets.postgres ? ['PostgreSQL'] : [])].join(' and ');
  const operations = Object.keys(matrix);
  const roles = new Set(Object.values(matrix).flatMap((cells) => Object.keys(cells)));

  // ---- the headline counts ----
  const sum = (kind: string) => records.filter((r) => r.kind === kind).reduce((n, r) => n + r.count, 0);
  const fuzz = records.find((r) => r.kind === 'fuzz');
  const adversarial = records.filter((r) => r.kind === 'adversarial-queries');
  const faults = records.filter((r) => r.kind === 'fault');
  const headline = table(
    ['what was tried', 'how many', 'what held'],
    [
      [
        `HTTP requests fuzzed from the OpenAPI (${fuzz?.details?.operations ?? '?'} operations, seed ${fuzz?.details?.seed ?? '?'})`,
        thousands(sum('fuzz')),
        fuzz?.held ?? '',
      ],
      [
        `hostile queries in the adversarial corpus (${adversarial.map((r) => r.on).join(', ')}; plus ${adversarial[0]?.details?.generatedPerRun ?? '?'} generated per database)`,
        `${adversarial[0]?.count ?? 0} × ${adversarial.length}`,
        adversarial[0]?.held ?? '',
      ],
      [
        `authorisation matrix: operations × roles`,
        `${operations.length} × ${roles.size} = ${thousands(operations.length * roles.size)}`,
        'every cell answers the status class reviewed in test/authorization-matrix.json',
      ],
      [
        'faults injected (kills, outages, failing upstreams)',
        String(faults.reduce((n, r) => n + r.count, 0)),
        'see below',
      ],
    ],
  );

  // ---- faults, one row per kind and target ----
  const grouped = new Map<string, Record & { count: number }>();
  for (const record of faults) {
    const key = `${record.what}\u0000${record.on ?? ''}`;
    const seen = grouped.get(key);
    if (seen) seen.count += record.count;
    else grouped.set(key, { ...record });
  }
  const faultTable = table(
    ['fault', 'on', 'times', 'what held'],
    [...grouped.values()].map((r) => [r.what, r.on ?? 'gateway', String(r.count), r.held ?? '']),
  );

  // ---- the suites' results ----
  const byFile = new Map(results.testResults.map((result) => [path.relative(root, result.name), result]));
  const suiteTable = table(
    ['suite', 'about', 'passed', 'failed', 'skipped'],
    suites.map((suite) => {
      const tests = byFile.get(suite.file)?.assertionResults ?? [];
      const count = (status: string) => String(tests.filter((test) => test.status === status).length);
      const skipped = tests.filter((test) => test.status !== 'passed' && test.status !== 'failed').length;
      return [`\`${suite.file}\``, suite.about, count('passed'), count('failed'), String(skipped)];
    }),
  );

  const lines = [
    '# Reliability and security: what was tried, what held',
    '',
    `<!-- Generated by \`npm run reliability:report\` (scripts/reliability-report.ts). Do not edit by hand. -->`,
    '',
    `Generated from a run of the suites below on ${input.targets.on}, on ${databases}` +
      `${input.targets.redis ? ' with Redis' : ''}.`,
    'Every figure is counted by the tests while they run; what the platform does on each fault is',
    'described after the tables.',
    '',
    headline,
    '',
    '## Faults injected',
    '',
    faultTable,
    '',
    '## Suites',
    '',
    suiteTable,
    '',
    soak ? soakSection(soak) : '',
    behaviour,
  ];
  return `${lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n')}\n`;
}

interface SoakStream {
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}
interface SoakResult {
  seconds: number;
  gatewayRate: number;
  queryRate: number;
  gateway: SoakStream;
  query: SoakStream;
  checks: { name: string; value: string; ok: boolean }[];
}

function soakSection(soak: SoakResult): string {
  const row = (name: string, s: SoakStream) => [
    name,
    thousands(s.requests),
    `${(s.errorRate * 100).toFixed(2)}%`,
    String(s.p50Ms),
    String(s.p99Ms),
  ];
  return [
    '## Last soak on this machine',
    '',
    `\`npm run soak\` (bench/soak.ts): ${soak.seconds} s at ${soak.gatewayRate} gateway calls/s and ` +
      `${soak.queryRate} governed queries/s`,
    'against `stp serve` on PGlite, loopback only, on a shared 2-core machine (the load generator competes',
    'for the same cores). Growth is measured from a fifth of the run to its end, so a major collection',
    'late in the run shows as a fall.',
    '',
    table(
      ['stream', 'requests', 'error rate', 'p50 ms', 'p99 ms'],
      [row('gateway', soak.gateway), row('query', soak.query)],
    ),
    '',
    table(
      ['check', 'value', 'held'],
      soak.checks.map((check) => [check.name, check.value, check.ok ? 'yes' : 'NO']),
    ),
    '',
  ].join('\n');
}

/** What the product does on each fault: the behaviour the tests above pin down. */
const behaviour = `## What the platform does on each fault

**A crash (\`kill -9\`) in the middle of a change.** Every state change and its ledger entry commit in
one transaction, so a crash before the commit leaves neither. What lives outside the database is
ordered around that commit and finished or undone at the next start:
- *Dataset upload*: the body streams to \`DATA_DIR/incoming\`, is converted beside its final place as
  \`.partial\`, renamed into place, and only then is the version row committed. What a crash leaves is
  swept once at start and then every \`STP_SWEEP_INTERVAL_MS\` (5 min) while the platform runs, on
  PGlite and PostgreSQL alike: incoming and \`.partial\` files are removed, and a version file no row
  points at (a crash between the rename and the commit) is moved to \`DATA_DIR/orphans\`, out of the
  engine's reach but not deleted. Only files last written more than ten minutes ago are touched, so an
  upload in progress, on this node or another sharing \`DATA_DIR\`, is left alone; the one exception is
  the start on PGlite, whose directory is locked to one process with nothing in progress yet, which
  takes them all. A sweep that removes something logs the paths and bytes once; the totals are
  \`stp_swept_files_total\` and \`stp_swept_bytes_total\` in \`/metrics\`. Delta Sharing's \`.partial\`
  files (\`DATA_DIR/sharing\`) are swept by the same rule.
- *OAuth signing-key rotation*: the key is written aside (\`.tmp\`), its \`oauth.signing-key.rotate\`
  entry committed, then renamed into place. At start a \`.tmp\` key whose entry committed is put in
  place, any other is deleted: no key signs tokens without its entry in the ledger.
- *Gateway metering*: every 200 ms the calls metered since the last time are appended to a spool
  file in \`DATA_DIR/spool\` (one write and one fdatasync per batch); every 2 s the spooled batches
  are committed in one transaction (usage rows, the call batch, its Merkle root in the ledger), and
  the spool is truncated. A \`kill -9\` loses only the calls of the last spool interval (at most
  200 ms; the row above counts them). At the next start, before the gateway serves, the spool is
  replayed: batches the database already holds (found by their calls' request ids) are skipped, the
  rest committed as one batch, so no call is counted twice. SIGTERM flushes before exiting. A flush
  whose commit went through but whose answer was lost is retried with the same batch id and
  recognised.
- *Approvals, API key rotations*: one transaction each; after a crash before the commit the request
  is still pending, the old secret still works, and the same call succeeds when made again. After a
  crash between the commit and the answer, a client that sent an \`Idempotency-Key\` gets the
  original answer when it retries (below), not \`409 conflict\`.

**Retries a client can make safely.** Every state-changing \`/v1\` operation (POST, PUT, PATCH,
DELETE) takes an \`Idempotency-Key\` header (the IETF httpapi draft). A request with a key runs its
changes in one transaction of its own: the key and the request's fingerprint (method, path, body)
are its first statement, the answer its last, so the change and the answer commit together or not
at all. A retry within 24 h with the same key and body gets the original status and body, marked
\`Idempotent-Replayed: true\`; the same key with another body \`422 idempotency-key-reused\`; a
duplicate while the first still runs \`409 idempotency-key-in-use\` with \`Retry-After\`. A 5xx keeps
nothing (the transaction rolls back), so its retry runs again. Keys belong to the caller (organisation
and user) and are swept after 24 h. \`stp\` sends a new key with every state-changing command and, when
the connection drops before an answer, retries once with the same key.

**A full or read-only disk.** ENOSPC or EDQUOT under \`DATA_DIR\` is answered \`507 storage-full\`,
EROFS or EACCES \`503 storage-unavailable\` with \`Retry-After: 30\`: one warning in the log naming the
errno and the path (the answer names neither the path nor anything else of the server's disk), and a
count in \`stp_storage_failures_total{code,errno}\`. An upload refused so leaves no incoming, partial
or version file and no row (tested on a 1 MiB tmpfs, filled and then remounted read-only).

**PostgreSQL lost.** The gateway never reads the database on a call: it keeps serving from its
in-memory snapshot and meters into memory and its spool (the meter retries its flush until the database is back,
holding at most a million calls). The control plane answers \`503 unavailable\` with \`Retry-After\`
(\`/readyz\` answers 503 with \`Retry-After: 5\` too) and recovers by itself when the database is back: the pool reconnects, the
change feed's \`LISTEN\` connection reconnects and reloads the snapshot. A connection that drops while
checked out for a transaction no longer crashes the process (found by these tests). Tested by cutting
a TCP proxy between the platform and a database of the test's own, and with \`pg_terminate_backend\`
on that database, never by restarting the PostgreSQL server the suite shares.

**Redis lost** (\`STP_RATE_LIMIT_FALLBACK\`, default \`fail-closed\`):
- \`fail-closed\`: calls that need a limit decision are refused with \`503 unavailable\` and
  \`Retry-After: 1\`, at once (no wait on a dead connection), and no upstream is called: no call
  passes unless the shared limit allowed it.
- \`local\`: each gateway process decides alone with the same rules (GCRA rate limit, monthly quota)
  while Redis is away. With N processes a consumer can get up to N times its rate, and a quota can be
  passed by what is let through during the outage (the local counts are not merged back).
- Either way the gateway goes back to Redis as soon as it answers again. A command that takes longer
  than 250 ms fails: in \`local\` mode Redis is then left alone for a second, in \`fail-closed\` the next
  call asks again. The outage and the return are logged once each. Quotas live in Redis, so run it
  with persistence (AOF) if a restart of Redis must not reset them.

**An upstream that fails or hangs.** Per upstream origin and gateway process, at most
\`STP_UPSTREAM_CONCURRENCY\` (256) calls are in flight and the connection pool is no larger: a call past
that is answered \`503 upstream-busy\` at once instead of queueing. \`STP_BREAKER_FAILURES\` (5)
consecutive failures (no connection, a reset, a timeout after \`STP_UPSTREAM_TIMEOUT_MS\`, or the
upstream's own 502/503/504) open the circuit: calls are answered \`503 upstream-circuit-open\` with
\`Retry-After\`, without connecting and before any quota is used, for \`STP_BREAKER_COOLDOWN_MS\`
(10 s). Then one call is let through as a probe: success closes the circuit, failure opens it again.
An upstream's 500 does not count: it answered, and one consumer's bad requests must not shut an API
for every other consumer.

**Known limits.** A \`kill -9\` loses the gateway calls metered in the last spool interval (at most
200 ms, above). A spool left by a process on another host that shares \`DATA_DIR\` is replayed when a
process starts again on that host. A request with an \`Idempotency-Key\` holds its transaction from
its first change to its answer: on PGlite other writes wait that long (an upload's transfer and
conversion come before it). An upload sent without \`Content-Length\` is fingerprinted by its media
type alone, so a retry with the same key and another chunked file gets the first answer. Shared files
for Delta Sharing (\`DATA_DIR/sharing\`) whose row never committed (a crash between the rename and the
insert) are not swept: nothing can reach them, but they stay on disk until removed by hand. Two nodes
sharing \`DATA_DIR\` that start and rotate the OAuth signing key at the same instant could race on the
rotation's temp file.
`;

await main();
