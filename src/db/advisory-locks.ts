import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from './client.js';

/**
 * Named locks that hold across every node sharing the database: PostgreSQL's session advisory
 * locks (`pg_try_advisory_lock`), so a scheduled job runs on one node at a time. A node that dies
 * loses its session and with it the lock, so a crash never leaves a job locked out.
 *
 * The lock lives on one database session from `pg_try_advisory_lock` to `pg_advisory_unlock`. On
 * PostgreSQL that is a connection of a small pool of its own (the job's queries use the platform's
 * pool meanwhile); on the embedded database, the one session PGlite has, with the same SQL: there
 * is only one process, and a session's advisory locks stack, so it always gets the lock.
 */
export interface AdvisoryLocks {
  /**
   * Runs `work` holding the lock named `name` when no other session holds it, and resolves to
   * true; resolves to false at once, without running it, when another one does.
   */
  runExclusive(name: string, work: () => Promise<unknown>): Promise<boolean>;
  close(): Promise<void>;
}

/** The first key of every lock here (two-key form), so they never collide with another use of advisory locks. */
const lockNamespace = 0x5354_5032;

/** A lock's second key: 32 bits of the name's SHA-256, as a signed int4. */
export function lockKeyOf(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

const statements = {
  lock: 'select pg_try_advisory_lock($1::int4, $2::int4) as ok',
  unlock: 'select pg_advisory_unlock($1::int4, $2::int4) as ok',
};

/** One database session, for as long as a lock is held on it. */
interface LockSession {
  /** Runs one of the two statements above with the lock's keys; returns its `ok`. */
  ask(statement: keyof typeof statements, key: number): Promise<boolean>;
  release(isBroken: boolean): void;
}

function advisoryLocks(session: () => Promise<LockSession>, close: () => Promise<void>): AdvisoryLocks {
  return {
    runExclusive: async (name, work) => {
      const key = lockKeyOf(name);
      const held = await session();
      let isBroken = false;
      try {
        if (!(await held.ask('lock', key))) return false;
        try {
          await work();
        } finally {
          await held.ask('unlock', key).catch(() => {
            // The session is gone, and its lock with it; the connection is not reused.
            isBroken = true;
          });
        }
        return true;
      } finally {
        held.release(isBroken);
      }
    },
    close,
  };
}

/**
 * `sessions`: how many locks may be held at once, one connection each: the platform passes the
 * number of its one-node jobs, so a job never waits for another's connection to be free.
 */
export function createPostgresAdvisoryLocks(databaseUrl: string, sessions = 1): AdvisoryLocks {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: Math.max(1, sessions),
    application_name: 'stp-platform-locks',
  });
  pool.on('error', () => {});
  // A session that dies while holding a lock (its server ended it) errors on its checked-out
  // client: without a listener that would take the process down. Its next query fails instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  return advisoryLocks(
    async () => {
      const client = await pool.connect();
      return {
        ask: async (statement, key) =>
          (await client.query<{ ok: boolean }>(statements[statement], [lockNamespace, key])).rows[0]?.ok ===
          true,
        release: (isBroken) => client.release(isBroken),
      };
    },
    async () => {
      if (!pool.ended) await pool.end();
    },
  );
}

/** The embedded database: PGlite's one session, with the same statements. */
export function createEmbeddedAdvisoryLocks(db: Db): AdvisoryLocks {
  return advisoryLocks(
    async () => ({
      ask: async (statement, key) => {
        const query =
          statement === 'lock'
            ? sql`select pg_try_advisory_lock(${lockNamespace}::int4, ${key}::int4) as ok`
            : sql`select pg_advisory_unlock(${lockNamespace}::int4, ${key}::int4) as ok`;
        const result = (await db.execute(query)) as unknown as { rows: { ok: boolean }[] };
        return result.rows[0]?.ok === true;
      },
      release: () => {},
    }),
    async () => {},
  );
}
