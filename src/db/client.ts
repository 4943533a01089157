import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { ExtractTablesWithRelations } from 'drizzle-orm/relations';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: services accept both. */
export type Executor = Db | Tx;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Applies pending migrations; safe to call from several processes at once on PostgreSQL. */
  migrate(): Promise<void>;
  /** Round-trips a trivial query; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any number below is fine as long as nothing else in the database uses it. */
const migrationLockKey = 0x5354_5001;

export interface OpenDatabaseOptions {
  /** postgres://… for a server; otherwise PGlite. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; `memory://` (or omitted) keeps them in memory. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /**
   * A PGlite data directory (a tarball from `dumpDataDir`) to start the in-memory database from,
   * instead of initialising an empty one: tests start every platform from one migrated template.
   */
  loadDataDir?: Blob;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes writing the same directory corrupt it. A lock
 * file with the owner's pid turns that into a clear error; a lock left by a dead process is taken over.
 */
async function lockDataDir(location: string): Promise<() => Promise<void>> {
  const lockPath = path.join(location, 'stp.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseInUseError(
          `the embedded database in ${location} is in use by process ${owner}; stop it first, or point DATABASE_URL at PostgreSQL to share one database`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not lock ${location}`);
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  let location: string | undefined;
  let unlock = async () => {};
  if (dataDir && dataDir !== 'memory://') {
    location = path.join(dataDir, 'pglite');
    await mkdir(location, { recursive: true });
    unlock = await lockDataDir(location);
  }
  let client: PGlite;
  try {
    if (location) {
      // A new directory starts from the migrated template when there is one (./template.ts).
      const isNew = !existsSync(path.join(location, 'PG_VERSION'));
      const { readServerTemplate } = await import('./template.js');
      const template = isNew ? (loadDataDir ?? (await readServerTemplate())) : undefined;
      client = await PGlite.create(location, template ? { loadDataDir: template } : {});
    } else {
      client = await PGlite.create(loadDataDir ? { loadDataDir } : {});
    }
  } catch (error) {
    await unlock();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
      await unlock();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'stp-platform' });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may one checked out for a transaction, which has no listener of the pool's meanwhile: an
  // unhandled 'error' event would take the whole process down with the connection (found by
  // test/faults-postgres.test.ts). Its queries fail on their own, and once released the client,
  // no longer queryable, is dropped from the pool.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    migrate: async () => {
      const client = await pool.connect();
      try {
        // Several nodes may start at once: one migrates, the others wait and find nothing to do.
        await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
        await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
        client.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
