import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdvisoryLocks,
  createEmbeddedAdvisoryLocks,
  createPostgresAdvisoryLocks,
  lockKeyOf,
} from './db/advisory-locks.js';
import { type Database, openDatabase } from './db/client.js';
import { Schedule } from './schedule.js';

function capturingLogger() {
  const lines: { object: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    error: (object: object, message: string) => lines.push({ object: object as never, message }),
  };
}

describe('scheduled jobs on the embedded database', () => {
  let database: Database;
  let locks: AdvisoryLocks;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    locks = createEmbeddedAdvisoryLocks(database.db);
  });
  afterAll(async () => {
    await locks?.close();
    await database?.close();
  });

  it('logs a failed run in one line naming the job and the error, and runs it again next time', async () => {
    const logger = capturingLogger();
    const schedule = new Schedule({ locks, logger });
    let calls = 0;
    schedule.add({
      name: 'reminders',
      everyMs: 60_000,
      runsOn: 'one-node',
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database went away');
      },
    });
    await schedule.run('reminders');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]!.message).toBe('scheduled job reminders failed: database went away');
    expect(logger.lines[0]!.object.job).toBe('reminders');
    await schedule.run('reminders');
    expect(calls).toBe(2);
    expect(schedule.counts.get('reminders')).toEqual({ ran: 1, skipped: 0, failed: 1 });
    await schedule.stop();
  });

  it('joins a run still going instead of starting a second one', async () => {
    const schedule = new Schedule({ locks, logger: capturingLogger() });
    let calls = 0;
    let finish: () => void = () => {};
    schedule.add({
      name: 'harvest',
      everyMs: 60_000,
      runsOn: 'one-node',
      run: () => {
        calls += 1;
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    });
    const first = schedule.run('harvest');
    const second = schedule.run('harvest');
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await Promise.all([first, second]);
    expect(calls).toBe(1);
    await schedule.stop();
  });
});

/** Two nodes are two sets of sessions on one PostgreSQL database. */
describe.skipIf(!process.env.DATABASE_URL)('scheduled jobs across nodes on PostgreSQL', () => {
  it('runs a one-node job on one node at a time: the other skips its turn, then gets the next', async () => {
    const [a, b] = [
      createPostgresAdvisoryLocks(process.env.DATABASE_URL!),
      createPostgresAdvisoryLocks(process.env.DATABASE_URL!),
    ];
    try {
      const name = `expiry-${process.pid}-${Math.random().toString(36).slice(2)}`;
      let running = 0;
      let most = 0;
      let release: () => void = () => {};
      const job = (isHeld: boolean) => ({
        name,
        everyMs: 60_000,
        runsOn: 'one-node' as const,
        run: async () => {
          running += 1;
          most = Math.max(most, running);
          if (isHeld) await new Promise<void>((resolve) => (release = resolve));
          running -= 1;
        },
      });
      const nodeA = new Schedule({ locks: a, logger: capturingLogger() });
      const nodeB = new Schedule({ locks: b, logger: capturingLogger() });
      nodeA.add(job(true));
      nodeB.add(job(false));
      const onA = nodeA.run(name);
      // Node A holds the lock once its job is running.
      for (let i = 0; i < 100 && running === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      await nodeB.run(name);
      expect(nodeB.counts.get(name)).toEqual({ ran: 0, skipped: 1, failed: 0 });
      release();
      await onA;
      await nodeB.run(name);
      expect(nodeB.counts.get(name)).toEqual({ ran: 1, skipped: 1, failed: 0 });
      expect(nodeA.counts.get(name)).toEqual({ ran: 1, skipped: 0, failed: 0 });
      expect(most).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('frees the lock of a node whose session dies while it runs', async () => {
    const a = createPostgresAdvisoryLocks(process.env.DATABASE_URL!);
    const b = createPostgresAdvisoryLocks(process.env.DATABASE_URL!);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const name = `job:dead-${process.pid}-${Math.random().toString(36).slice(2)}`;
      let finish: () => void = () => {};
      let isHolding = false;
      const onA = a.runExclusive(name, async () => {
        isHolding = true;
        await new Promise<void>((resolve) => (finish = resolve));
      });
      for (let i = 0; i < 100 && !isHolding; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await b.runExclusive(name, async () => {})).toBe(false);
      // A's machine dies: the server ends its session, and the lock goes with it.
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_locks
          where locktype = 'advisory' and classid = $1 and objid = $2::oid and granted`,
        [0x5354_5032, lockKeyOf(name) >>> 0],
      );
      expect(killed.rowCount).toBe(1);
      let ranOnB = false;
      for (let i = 0; i < 100 && !ranOnB; i++) {
        await b.runExclusive(name, async () => {
          ranOnB = true;
        });
        if (!ranOnB) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(ranOnB).toBe(true);
      finish();
      expect(await onA).toBe(true);
    } finally {
      await admin.end();
      await a.close();
      await b.close();
    }
  });

  it('holds as many locks at once as it has sessions: jobs running together never wait for a connection', async () => {
    const sessions = 3;
    const locks = createPostgresAdvisoryLocks(process.env.DATABASE_URL!, sessions);
    let allStarted: () => void = () => {};
    const together = new Promise<void>((resolve) => (allStarted = resolve));
    try {
      let started = 0;
      // Each job holds its lock until every one has started: with fewer sessions than jobs the last
      // would wait for a connection that never frees, and the runs would never end.
      const runs = Array.from({ length: sessions }, (_, i) =>
        locks.runExclusive(
          `job:together-${process.pid}-${i}-${Math.random().toString(36).slice(2)}`,
          async () => {
            started += 1;
            if (started === sessions) allStarted();
            await together;
          },
        ),
      );
      const outcome = await Promise.race([
        Promise.all(runs),
        new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 10_000)),
      ]);
      expect(outcome).toEqual(Array(sessions).fill(true));
    } finally {
      // Lets a run that got its lock finish, so the pool can close.
      allStarted();
      await locks.close();
    }
  });
});
