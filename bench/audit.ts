/**
 * The evidence ledger's throughput: single appends, batched appends and a full verify on in-memory
 * PGlite (and on PostgreSQL when DATABASE_URL is set), set against the pure CPU cost of hashing the
 * same entries, so a slow figure can be blamed on the database path or on the hashing itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { systemClock } from '../src/clock.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { newId } from '../src/ids.js';
import { ChainVerifier, genesisHash, hashEntry, type LedgerEntry } from '../src/modules/audit/chain.js';
import { type AuditEventInput, AuditLedger } from '../src/modules/audit/service.js';
import { loadOrCreateSigningKey } from '../src/modules/audit/signing.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const singleCount = env('BENCH_AUDIT_SINGLE', 2_000);
const batchSize = env('BENCH_AUDIT_BATCH', 5_000);
const batchedCount = env('BENCH_AUDIT_EVENTS', 1_000_000);
const postgresCount = env('BENCH_AUDIT_PG_EVENTS', 200_000);
const targets = { batchedPerSecond: 50_000, verifyMillionSeconds: 10 };

// A fixed pool of ids keeps the events realistic without paying for id generation inside the timings.
const orgs = Array.from({ length: 20 }, () => newId('organisation'));
const users = Array.from({ length: 200 }, () => newId('user'));
const actions = [
  'gateway.call',
  'gateway.call',
  'gateway.call',
  'product.read',
  'token.use',
  'member.invite',
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
    data: {
      method: methods[i % methods.length],
      path: `/v1/products/${i % 997}`,
      status,
      latencyMs: i % 250,
    },
  };
}

const batchOf = (start: number, size: number) => Array.from({ length: size }, (_, k) => event(start + k));
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const progress = (label: string) => (done: number) => {
  if (done % 100_000 === 0) process.stderr.write(`  ${label}: ${done.toLocaleString('en')}\n`);
};

interface Figure {
  events: number;
  seconds: number;
  perSecond: number;
}
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
    const now = systemClock.now();
    const entries: LedgerEntry[] = inputs.map((input, k) => {
      const unsealed = {
        seq: done + k + 1,
        id: newId('auditEvent', now.getTime()),
        at: now.toISOString(),
        actorType: input.actor.type,
        actorId: input.actor.id ?? null,
        orgId: input.orgId ?? null,
        action: input.action,
        objectType: input.object.type,
        objectId: input.object.id ?? null,
        decision: input.decision ?? 'allow',
        reason: input.reason ?? null,
        data: JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>,
      };
      const hash = hashEntry(prevHash, unsealed);
      const entry = { ...unsealed, prevHash, hash };
      prevHash = hash;
      return entry;
    });
    sealMs += performance.now() - started;
    started = performance.now();
    for (const entry of entries) if (!verifier.push(entry)) throw new Error('in-memory chain broke');
    verifyMs += performance.now() - started;
    done += inputs.length;
  }
  return { seal: figure(count, sealMs), verify: figure(count, verifyMs) };
}

/** A throwaway database on the server, so the run neither sees nor leaves any rows. */
async function withPostgres<T>(adminUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `stp_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const keyDir = await mkdtemp(path.join(tmpdir(), 'stp-bench-audit-'));
const signingKey = await loadOrCreateSigningKey(keyDir);
const pglite = await openDatabase({ dataDir: 'memory://' });
await pglite.migrate();
const ledger = new AuditLedger({ db: pglite.db, clock: systemClock, signingKey });

let started = performance.now();
for (let i = 0; i < singleCount; i++) await ledger.record(event(i));
const single = figure(singleCount, performance.now() - started);
// Verify then covers the single appends too: ~1M rows, as the ledger will hold them.
const onPglite = await batchedAndVerify(pglite, ledger, batchedCount, 'pglite');
await pglite.close();

started = performance.now();
const cpu = pureCpu(batchedCount);
process.stderr.write(`  pure cpu: ${round(performance.now() - started)} ms\n`);

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

// Verify is scaled to a million events, since the target is stated for that size.
const verifyMillion = (f: Figure) => round((f.seconds * 1_000_000) / f.events, 2);
const met = {
  batched: onPglite.batched.perSecond >= targets.batchedPerSecond,
  verify: verifyMillion(onPglite.verify) < targets.verifyMillionSeconds,
};
const ratios = {
  batchedOverCpuSeal: round(onPglite.batched.seconds / cpu.seal.seconds, 1),
  verifyOverCpuVerify: round(onPglite.verify.seconds / cpu.verify.seconds, 1),
};

const rows: [string, Figure, string, string][] = [
  ['pglite single record()', single, '', ''],
  ['pglite batched append', onPglite.batched, '≥ 50,000/s', met.batched ? 'yes' : 'NO'],
  ['pglite verify()', onPglite.verify, '1M < 10 s', met.verify ? 'yes' : 'NO'],
  ['cpu only: build + hash', cpu.seal, '', ''],
  ['cpu only: ChainVerifier', cpu.verify, '', ''],
];
if (onPostgres) {
  rows.push(['postgres batched append', onPostgres.batched, '≥ 50,000/s', '']);
  rows.push(['postgres verify()', onPostgres.verify, '1M < 10 s', '']);
}
const header = ['measure', 'events', 'seconds', 'events/s', 'target', 'met'];
const cells = [
  header,
  ...rows.map(([name, f, target, ok]) => [
    name,
    f.events.toLocaleString('en'),
    f.seconds.toFixed(2),
    f.perSecond.toLocaleString('en'),
    target,
    ok,
  ]),
];
const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
for (const row of cells) {
  const line = row.map((cell, c) =>
    c === 0 || c >= 4 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!),
  );
  console.log(line.join('  ').trimEnd());
}
console.log(`verify scaled to 1M events: ${verifyMillion(onPglite.verify)} s`);
console.log(`batched append / cpu build+hash: ${ratios.batchedOverCpuSeal}x the time`);
console.log(`verify from db / cpu ChainVerifier: ${ratios.verifyOverCpuVerify}x the time`);
if (onPostgres) {
  console.log(
    `postgres ran ${postgresCount.toLocaleString('en')} events (fewer than pglite, to bound the run)`,
  );
  console.log(`postgres verify scaled to 1M events: ${verifyMillion(onPostgres.verify)} s`);
} else console.log('postgres: skipped (DATABASE_URL not set)');

const results = {
  benchmark: 'audit',
  at: new Date().toISOString(),
  node: process.version,
  batchSize,
  targets,
  pglite: { single, ...onPglite, verifyMillionSeconds: verifyMillion(onPglite.verify), met },
  cpu,
  ratios,
  postgres: onPostgres && { ...onPostgres, verifyMillionSeconds: verifyMillion(onPostgres.verify) },
};
const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
await mkdir(resultsDir, { recursive: true });
const out = path.join(resultsDir, 'audit.json');
await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
await rename(`${out}.${process.pid}.tmp`, out);
