/**
 * The ledger's bulk append paths side by side, in one run, a batch of each in turn so that a busy
 * machine slows all of them alike: the insert statement every append used before (the old path),
 * the batched path (COPY on PostgreSQL, sealed while it streams), and a ceiling: the same kind of
 * rows, sealed beforehand (not timed), copied raw into a table of the same shape (generated jsonb
 * column and indexes) beside the ledger. On PGlite the batched path is the insert statement, and the
 * ceiling is measured both ways, insert and COPY FROM its in-memory blob device, which is how the
 * batched path there was chosen. Each database's ledger is verified at the end.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { systemClock } from '../src/clock.js';
import { type Database, openDatabase, type Tx } from '../src/db/client.js';
import { newId } from '../src/ids.js';
import type { LedgerAction } from '../src/modules/audit/actions.js';
import { genesisHash } from '../src/modules/audit/chain.js';
import {
  type AuditEventInput,
  AuditLedger,
  copyColumnList,
  copyLine,
  insertRows,
  type SealedEntry,
  sealEntries,
} from '../src/modules/audit/service.js';
import { loadOrCreateSigningKey } from '../src/modules/audit/signing.js';
import { withPostgres } from './support/postgres.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const batchSize = env('BENCH_LEDGER_BATCH', 5_000);
const pgliteCount = env('BENCH_LEDGER_PGLITE_EVENTS', 50_000);
const postgresCount = env('BENCH_LEDGER_PG_EVENTS', 200_000);
const target = 50_000;

const orgs = Array.from({ length: 20 }, () => newId('organisation'));
const users = Array.from({ length: 200 }, () => newId('user'));
const actions: LedgerAction[] = [
  'gateway.calls.commit',
  'gateway.calls.commit',
  'gateway.calls.commit',
  'dataset.download',
  'oauth.token',
  'session.create',
];

/** The same mix as the audit benchmark: mostly gateway calls, a refusal in fifty. */
function event(i: number): AuditEventInput {
  const status = i % 50 === 0 ? 403 : 200;
  return {
    actor: { type: i % 7 === 0 ? 'token' : 'user', id: users[i % users.length]! },
    orgId: orgs[i % orgs.length]!,
    action: actions[i % actions.length]!,
    object: { type: 'api', id: `api-${i % 37}` },
    decision: status === 403 ? 'deny' : 'allow',
    reason: status === 403 ? 'missing scope products:read' : null,
    data: { method: 'GET', path: `/v1/data/${i % 997}`, status, latencyMs: i % 250 },
  };
}
const batchOf = (start: number, size: number) => Array.from({ length: size }, (_, k) => event(start + k));
const round = (n: number) => Math.round(n);

/** A path under test: writes one batch of inputs, returns the milliseconds its own work took. */
type Path = { name: string; run(inputs: AuditEventInput[]): Promise<number> };

/** Runs every path a batch at a time, in turn, until each has written `count` events. */
async function interleaved(paths: Path[], count: number, label: string) {
  const ms = new Map(paths.map((p) => [p.name, 0]));
  for (let done = 0; done < count; ) {
    const inputs = batchOf(done, Math.min(batchSize, count - done));
    for (const p of paths) ms.set(p.name, ms.get(p.name)! + (await p.run(inputs)));
    done += inputs.length;
    if (done % 50_000 < batchSize) process.stderr.write(`  ${label}: ${done.toLocaleString('en')}\n`);
  }
  return paths.map((p) => ({
    path: p.name,
    events: count,
    perSecond: round(count / (ms.get(p.name)! / 1000)),
  }));
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Appends through a ledger in a transaction per batch, as a flush or an import does. */
const ledgerPath = (name: string, database: Database, ledger: AuditLedger): Path => ({
  name,
  run: (inputs) => timed(() => database.db.transaction((tx) => ledger.append(tx, inputs))),
});

/** Rows sealed ahead of time, chained among themselves, for the raw ceilings (not timed). */
function presealed() {
  let head = { seq: 0, hash: genesisHash };
  return (inputs: AuditEventInput[]): SealedEntry[] => {
    const sealed = sealEntries(head, inputs, systemClock.now());
    const tail = sealed[sealed.length - 1]!.entry;
    head = { seq: tail.seq, hash: tail.hash };
    return sealed;
  };
}

/** A table shaped like the ledger (the same columns and indexes), without its trigger. */
async function createRawTable(database: Database) {
  await database.db.execute(sql`create table audit_raw (like audit_events including all)`);
}

/** The insert statement the ledger uses, into the raw table. */
async function rawInsert(tx: Tx, rows: SealedEntry[]) {
  await insertRows(tx, rows, 'audit_raw');
}

type PgliteTx = { query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };

async function onPglite(signingKey: Awaited<ReturnType<typeof loadOrCreateSigningKey>>) {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await database.migrate();
    await createRawTable(database);
    const ledger = new AuditLedger({ db: database.db, clock: systemClock, signingKey });
    const sealInsert = presealed();
    const sealCopy = presealed();
    const paths: Path[] = [
      ledgerPath('ledger append (insert statement; the batched path here)', database, ledger),
      {
        name: 'raw insert statement, sealed beforehand',
        run: async (inputs) => {
          const rows = sealInsert(inputs);
          return timed(() => database.db.transaction((tx) => rawInsert(tx, rows)));
        },
      },
      {
        name: "raw COPY FROM '/dev/blob', sealed beforehand",
        run: async (inputs) => {
          // Its own sequence range, so both raw paths can share the raw table.
          const rows = sealCopy(inputs).map((row) => ({
            ...row,
            entry: { ...row.entry, seq: row.entry.seq + 1_000_000_000 },
          }));
          const text = rows.map(copyLine).join('');
          return timed(() =>
            database.db.transaction(async (tx) => {
              // The PGlite transaction under Drizzle's: Drizzle has no way to pass a blob.
              const client = (tx as unknown as { session: { client: PgliteTx } }).session.client;
              await client.query(`copy audit_raw ${copyColumnList} from '/dev/blob'`, [], {
                blob: new Blob([text]),
              });
            }),
          );
        },
      },
    ];
    const figures = await interleaved(paths, pgliteCount, 'pglite');
    const verify = await ledger.verify();
    if (!verify.ok || verify.count !== pgliteCount)
      throw new Error(`verify failed: ${JSON.stringify(verify)}`);
    return figures;
  } finally {
    await database.close();
  }
}

async function onPostgres(url: string, signingKey: Awaited<ReturnType<typeof loadOrCreateSigningKey>>) {
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  try {
    await database.migrate();
    await createRawTable(database);
    const oldPath = new AuditLedger({
      db: database.db,
      clock: systemClock,
      signingKey,
      bulkThreshold: Number.POSITIVE_INFINITY,
    });
    const batched = new AuditLedger({ db: database.db, clock: systemClock, signingKey });
    const seal = presealed();
    const paths: Path[] = [
      ledgerPath('ledger append, insert statement (old path)', database, oldPath),
      ledgerPath('ledger append, COPY sealed while streaming (batched)', database, batched),
      {
        name: 'raw COPY, sealed beforehand',
        run: async (inputs) => {
          const text = seal(inputs).map(copyLine).join('');
          return timed(async () => {
            await raw.query('begin');
            const copy = raw.query(copyFrom(`copy audit_raw ${copyColumnList} from stdin`));
            await pipeline(Readable.from([text]), copy);
            await raw.query('commit');
          });
        },
      },
    ];
    const figures = await interleaved(paths, postgresCount, 'postgres');
    const verify = await batched.verify();
    if (!verify.ok || verify.count !== 2 * postgresCount) {
      throw new Error(`verify failed: ${JSON.stringify(verify)}`);
    }
    return figures;
  } finally {
    await raw.end();
    await database.close();
  }
}

/** Sealing alone (build, canonicalise, hash), the CPU part every path but the raw ones pays. */
function sealOnly(count: number) {
  const seal = presealed();
  let ms = 0;
  for (let done = 0; done < count; done += batchSize) {
    const inputs = batchOf(done, Math.min(batchSize, count - done));
    const started = performance.now();
    seal(inputs);
    ms += performance.now() - started;
  }
  return { path: 'seal only (no database)', events: count, perSecond: round(count / (ms / 1000)) };
}

const keyDir = await mkdtemp(path.join(tmpdir(), 'stp-bench-ledger-'));
const signingKey = await loadOrCreateSigningKey(keyDir);
const cpu = sealOnly(Math.max(pgliteCount, 100_000));
const pglite = await onPglite(signingKey);
const databaseUrl = process.env.DATABASE_URL;
const postgres = databaseUrl ? await withPostgres(databaseUrl, (url) => onPostgres(url, signingKey)) : null;
await rm(keyDir, { recursive: true, force: true });

type Figure = { path: string; events: number; perSecond: number };
const rows: [string, Figure][] = [
  ['cpu', cpu],
  ...pglite.map((f): [string, Figure] => ['pglite', f]),
  ...(postgres ?? []).map((f): [string, Figure] => ['postgres', f]),
];
const baseline = (database: string) => rows.find(([db]) => db === database && db !== 'cpu')?.[1];
const cells = [['database', 'path', 'events', 'entries/s', 'vs first']].concat(
  rows.map(([db, f]) => {
    const first = baseline(db);
    const ratio = db === 'cpu' || !first ? '' : `${(f.perSecond / first.perSecond).toFixed(2)}x`;
    return [db, f.path, f.events.toLocaleString('en'), f.perSecond.toLocaleString('en'), ratio];
  }),
);
const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
for (const row of cells) {
  console.log(
    row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '),
  );
}
const batchedFigure = postgres?.[1];
if (batchedFigure) {
  const met = batchedFigure.perSecond >= target;
  console.log(
    `postgres batched append: ${batchedFigure.perSecond.toLocaleString('en')}/s, target >= ${target.toLocaleString('en')}/s: ${met ? 'met' : 'NOT met'}`,
  );
} else console.log('postgres: skipped (DATABASE_URL not set)');
console.log(`batches of ${batchSize.toLocaleString('en')}; both ledgers verified after the run`);

const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
await mkdir(resultsDir, { recursive: true });
const out = path.join(resultsDir, 'ledger.json');
const results = {
  benchmark: 'ledger',
  at: new Date().toISOString(),
  node: process.version,
  batchSize,
  target,
  cpu,
  pglite,
  postgres,
  met: batchedFigure ? batchedFigure.perSecond >= target : null,
};
await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
await rename(`${out}.${process.pid}.tmp`, out);
