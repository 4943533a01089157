/**
 * The evidence ledger's throughput: single appends, batched appends and a full verify on in-memory
 * PGlite (and on PostgreSQL when DATABASE_URL is set), set against the pure CPU cost of hashing the
 * same entries, so a slow figure can be blamed on the database path or on the hashing itself.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/clock.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { newId } from '../src/ids.js';
import type { LedgerAction } from '../src/modules/audit/actions.js';
import { ChainVerifier, genesisHash } from '../src/modules/audit/chain.js';
import { type AuditEventInput, AuditLedger, sealEntries } from '../src/modules/audit/service.js';
import { loadOrCreateSigningKey } from '../src/modules/audit/signing.js';
import { withPostgres } from './support/postgres.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const singleCount = env('BENCH_AUDIT_SINGLE', 2_000);
const batchSize = env('BENCH_AUDIT_BATCH', 5_000);
const batchedCount = env('BENCH_AUDIT_EVENTS', 1_000_000);
const postgresCount = env('BENCH_AUDIT_PG_EVENTS', 200_000);
const targets = { batchedPerSecond: 50_000, verifyMillionSeconds: 10 };

// A fixed pool of ids keeps the events realistic without paying for id generation inside the timings.
const orgs = Array.from({ length: 20 }, () => newId('organisation'));
const users = Array.from({ length: 200 }, () => newId('user'));
// Mostly gateway calls, as in a running park; the rest are the occasional management actions.
const actions: LedgerAction[] = [
  'gateway.calls.commit',
  'gateway.calls.commit',
  'gateway.calls.commit',
  'dataset.download',
  'oauth.token',
  'session.create',
];
const methods = ['GET', 'GET', 'POST', 'PUT', 'DELETE'];

function event(i: number): AuditEventInput {
  const status = i % 50 === 0 ? 403 : 200;
  return {
    actor: { type: i % 7 === 0 ? 'token' : 'user', id: users[i % users.length]! },
    orgId: orgs[i % orgs.length]!,
    action: actions[i % actions.length]!,
    object: { type: 'api', id: `api-${i % 37}` },
    decision: status === 403 ? 'deny' : 'allow',
    reason: status === 403 ? 'missing scope products:read' : null,
    data: { method: methods[i % methods.length], path: `/v1/data/${i % 997}`, status, latencyMs: i % 250 },
  };
}

const batchOf = (start: number, size: number) => Array.from({ length: size }, (_, k) => event(start + k));
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
/** Reports on stderr each time another 100k is passed, so stdout stays the table alone. */
function progress(label: string): (done: number) => void {
  let next = 100_000;
  return (done) => {
    if (done < next) return;
    process.stderr.write(`  ${label}: ${done.toLocaleString('en')}\n`);
    next = (Math.floor(done / 100_000) + 1) * 100_000;
  };
}

type Figure = { events: number; seconds: number; perSecond: number };
const figure = (events: number, ms: number): Figure => ({
  events,
  seconds: round(ms / 1000, 3),
  perSecond: round(events / (ms / 1000)),
});

/** Appends `count` events in transactions of `batchSize`, then verifies everything in the ledger. */
async function batchedAndVerify(database: Database, ledger: AuditLedger, count: number, label: string) {
  const report = progress(`${label} appended`);
  let appendMs = 0;
  for (let done = 0; done < count; ) {
    const batch = batchOf(done, Math.min(batchSize, count - done));
    const started = performance.now();
    await database.db.transaction((tx) => ledger.append(tx, batch));
    appendMs += performance.now() - started;
    done += batch.length;
    report(done);
  }
  const total = (await ledger.head()).seq;
  const started = performance.now();
  const result = await ledger.verify(progress(`${label} verified`));
  const verifyMs = performance.now() - started;
  if (!result.ok || result.count !== total) throw new Error(`verify failed: ${JSON.stringify(result)}`);
  return { batched: figure(count, appendMs), verify: figure(result.count, verifyMs) };
}

/** What append and verify would cost with no database at all: building, canonicalising and hashing. */
function pureCpu(count: number) {
  const verifier = new ChainVerifier();
  let prevHash = genesisHash;
  let sealMs = 0;
  let verifyMs = 0;
  for (let done = 0; done < count; ) {
    const inputs = batchOf(done, Math.min(batchSize, count - done));
    let started = performance.now();
    const entries = sealEntries({ seq: done, hash: prevHash }, inputs, systemClock.now()).map(
      ({ entry }) => entry,
    );
    prevHash = entries[entries.length - 1]!.hash;
    sealMs += performance.now() - started;
    started = performance.now();
    for (const entry of entries) if (!verifier.push(entry)) throw new Error('in-memory chain broke');
    verifyMs += performance.now() - started;
    done += inputs.length;
  }
  return { seal: figure(count, sealMs), verify: figure(count, verifyMs) };
}

// First, while the heap is small: after a million rows through PGlite the same hashing runs at half the speed.
const cpu = pureCpu(batchedCount);
process.stderr.write(`  pure cpu: ${round((cpu.seal.seconds + cpu.verify.seconds) * 1000)} ms\n`);

const keyDir = await mkdtemp(path.join(tmpdir(), 'stp-bench-audit-'));
const signingKey = await loadOrCreateSigningKey(keyDir);
const pglite = await openDatabase({ dataDir: 'memory://' });
await pglite.migrate();
const ledger = new AuditLedger({ db: pglite.db, clock: systemClock, signingKey });

const started = performance.now();
for (let i = 0; i < singleCount; i++) await ledger.record(event(i));
const single = figure(singleCount, performance.now() - started);
// Verify then covers the single appends too: ~1M rows, as the ledger will hold them.
const onPglite = await batchedAndVerify(pglite, ledger, batchedCount, 'pglite');
await pglite.close();

let onPostgres: Awaited<ReturnType<typeof batchedAndVerify>> | null = null;
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  onPostgres = await withPostgres(databaseUrl, async (url) => {
    const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
    try {
      await database.migrate();
      const onServer = new AuditLedger({ db: database.db, clock: systemClock, signingKey });
      return await batchedAndVerify(database, onServer, postgresCount, 'postgres');
    } finally {
      await database.close();
    }
  });
}
await rm(keyDir, { recursive: true, force: true });

// The verify target is stated for a million events, so smaller runs are scaled to that size.
const verifyMillion = (f: Figure) => round((f.seconds * 1_000_000) / f.events, 2);
const batchedMet = (f: Figure) => f.perSecond >= targets.batchedPerSecond;
const verifyMet = (f: Figure) => verifyMillion(f) < targets.verifyMillionSeconds;
const yesNo = (ok: boolean) => (ok ? 'yes' : 'NO');
const ratios = {
  batchedOverCpuSeal: round(onPglite.batched.seconds / cpu.seal.seconds, 1),
  verifyOverCpuVerify: round(onPglite.verify.seconds / cpu.verify.seconds, 1),
};

const rows: [string, Figure, string, string][] = [
  ['pglite single record()', single, '', ''],
  ['pglite batched append', onPglite.batched, '>= 50,000/s', yesNo(batchedMet(onPglite.batched))],
  ['pglite verify()', onPglite.verify, '1M < 10 s', yesNo(verifyMet(onPglite.verify))],
  ['cpu only: build + hash', cpu.seal, '', ''],
  ['cpu only: ChainVerifier', cpu.verify, '', ''],
];
if (onPostgres) {
  rows.push([
    'postgres batched append',
    onPostgres.batched,
    '>= 50,000/s',
    yesNo(batchedMet(onPostgres.batched)),
  ]);
  rows.push(['postgres verify()', onPostgres.verify, '1M < 10 s', yesNo(verifyMet(onPostgres.verify))]);
}
const cells = [['measure', 'events', 'seconds', 'events/s', 'target', 'met']].concat(
  rows.map(([name, f, target, met]) => {
    const numbers = [f.events.toLocaleString('en'), f.seconds.toFixed(2), f.perSecond.toLocaleString('en')];
    return [name, ...numbers, target, met];
  }),
);
const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
for (const row of cells) {
  const aligned = row.map((cell, c) =>
    c >= 1 && c <= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
  );
  console.log(aligned.join('  ').trimEnd());
}
console.log(`pglite verify scaled to 1M events: ${verifyMillion(onPglite.verify)} s`);
console.log(`batched append takes ${ratios.batchedOverCpuSeal}x the time of cpu build + hash alone`);
console.log(`verify from the database takes ${ratios.verifyOverCpuVerify}x the time of ChainVerifier alone`);
if (onPostgres) {
  const count = postgresCount.toLocaleString('en');
  console.log(`postgres ran ${count} events, fewer than pglite to bound the run; targets are per 1M`);
  console.log(`postgres verify scaled to 1M events: ${verifyMillion(onPostgres.verify)} s`);
} else console.log('postgres: skipped (DATABASE_URL not set)');
console.log('targets are information only: a miss does not fail the run');

const results = {
  benchmark: 'audit',
  at: new Date().toISOString(),
  node: process.version,
  batchSize,
  targets,
  pglite: {
    single,
    ...onPglite,
    verifyMillionSeconds: verifyMillion(onPglite.verify),
    met: { batched: batchedMet(onPglite.batched), verify: verifyMet(onPglite.verify) },
  },
  cpu,
  ratios,
  postgres: onPostgres && {
    ...onPostgres,
    verifyMillionSeconds: verifyMillion(onPostgres.verify),
    met: { batched: batchedMet(onPostgres.batched), verify: verifyMet(onPostgres.verify) },
  },
};
const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
await mkdir(resultsDir, { recursive: true });
const out = path.join(resultsDir, 'audit.json');
await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
await rename(`${out}.${process.pid}.tmp`, out);
