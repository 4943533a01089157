/**
 * A query worker: a child process that runs consumers' SQL, one query at a time, in DuckDB
 * instances each of which may read exactly one set of files (a caller's grant files or a lab's
 * files) and nothing else. The parent (workers.ts) kills this process when a query overruns its
 * time or memory, so a runaway query costs one worker, never the platform.
 *
 * An instance is confined when it is made: its allowed paths are exactly the files of its set,
 * external access is off and its configuration is locked, so no statement can widen what it
 * reads. Such an instance is kept warm for the next query over the very same set of views (same
 * names, same files), so a query pays neither the instance's start nor the files' metadata again:
 * - a query over any other set gets another instance, never this one (a file outside its set stays
 *   unreadable to it whatever the SQL says);
 * - each query runs on a connection of its own, closed after it; only a SELECT runs, so no query
 *   leaves a view, macro, setting or table behind for the next;
 * - before each reuse every file is looked at again: a file replaced since the instance was made
 *   (another inode, size or birth time: a rename over it, a rewrite) retires the instance. Grant
 *   files are named by the SHA-256 of what they hold, so a revoked consent or new terms name a new
 *   file and so a new set; the check covers files named by place (a lab's).
 * - at most a few sets stay warm (least recently used first out), an instance whose query failed
 *   is not kept, and all are dropped when the process holds more memory than it should idle.
 *
 * Started by `fork`; speaks the `WorkerRequest` / `WorkerReply` messages of workers.ts over IPC.
 */
import { statSync } from 'node:fs';
import { type DuckDBInstance, DuckDBInstance as Instance, StatementType } from '@duckdb/node-api';
import { cryptoUniform } from '../lab/dp.js';
import { runSynthesis } from '../lab/synthesis.js';
import { runTraining } from '../lab/training-run.js';
import type { WorkerReply, WorkerRequest } from './workers.js';

const threads = process.env.STP_WORKER_THREADS ?? '1';
const memoryLimit = process.env.STP_WORKER_DUCKDB_MEMORY ?? '1GB';
/** This worker's own spill directory and how much of the disk a query may fill there (workers.ts). */
const tempDirectory = process.env.STP_WORKER_TEMP_DIR ?? process.cwd();
const tempMb = Number(process.env.STP_WORKER_TEMP_MB ?? 4096);
/** Warm instances kept at most (one per set of files). */
const warmLimit = Math.max(0, Number(process.env.STP_WORKER_WARM ?? 4));
/** Resident memory past which idle instances are all dropped (a quarter of the worker's cap). */
const idleBytes = Number(process.env.STP_WORKER_MEMORY_MB ?? 2048) * 1024 * 1024 * 0.25;

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A fresh instance, made while the worker is idle so a query does not wait for it. Extensions are
 * neither installed nor loaded automatically; file access is narrowed when it is given its set.
 */
function freshInstance(): Promise<DuckDBInstance> {
  return Instance.create(':memory:', {
    threads,
    memory_limit: memoryLimit,
    temp_directory: tempDirectory,
    max_temp_directory_size: `${tempMb}MiB`,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
  });
}

interface Warm {
  instance: DuckDBInstance;
  /** What each file was when the instance was made (see `identityOf`). */
  identity: string;
}

/** The instances kept, by set of views; a Map keeps insertion order, so the first is the least recent. */
const warm = new Map<string, Warm>();
let spare = freshInstance();

/** A set of views as a key: names and files, in a fixed order. */
function keyOf(views: WorkerRequest['views']): string {
  return JSON.stringify(
    views.map((view) => [view.name, view.file]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)),
  );
}

/**
 * Which file each path names right now. Not the modification time: opening a grant file marks it
 * in use (utimes). A file written aside and renamed over the path has another inode and birth time.
 */
function identityOf(views: WorkerRequest['views']): string {
  return views
    .map((view) => {
      const info = statSync(view.file, { bigint: true, throwIfNoEntry: false });
      return info ? `${info.dev}:${info.ino}:${info.size}:${info.birthtimeNs}` : 'missing';
    })
    .join('|');
}

function retire(entry: Warm): void {
  try {
    entry.instance.closeSync();
  } catch {
    // Already closed.
  }
}

/** An instance confined to exactly these files, with a view for each: warm if one is kept, else made now. */
async function instanceFor(request: WorkerRequest): Promise<{ key: string; entry: Warm }> {
  const key = keyOf(request.views);
  const identity = identityOf(request.views);
  const kept = warm.get(key);
  if (kept) {
    warm.delete(key);
    if (kept.identity === identity) return { key, entry: kept };
    retire(kept);
  }
  const instance = await spare;
  spare = freshInstance();
  const connection = await instance.connect();
  try {
    // Confinement first, then lock: after this no statement can widen what the instance reads.
    const files = request.views.map((view) => quoteLiteral(view.file));
    await connection.run(`SET allowed_paths = [${files.join(', ')}]`);
    await connection.run('SET allowed_directories = []');
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
    for (const view of request.views) {
      await connection.run(
        `CREATE VIEW ${quoteIdentifier(view.name)} AS SELECT * FROM read_parquet(${quoteLiteral(view.file)})`,
      );
    }
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  connection.closeSync();
  return { key, entry: { instance, identity } };
}

async function run(request: WorkerRequest): Promise<WorkerReply> {
  let key: string | undefined;
  let entry: Warm | undefined;
  let isReusable = false;
  try {
    ({ key, entry } = await instanceFor(request));
    const connection = await entry.instance.connect();
    try {
      if (request.synthesize) {
        // The platform's own SELECTs over the one lab dataset this instance may read.
        const synthesized = await runSynthesis(connection, request.synthesize, cryptoUniform(), (progress) =>
          process.send?.({ id: request.id, progress } satisfies WorkerReply),
        );
        isReusable = true;
        return { id: request.id, ok: true, columns: [], rows: [], truncated: false, synthesized };
      }
      // One SELECT, whatever reached this process: no COPY, EXPORT or ATTACH could write into the
      // very files this instance may open, and nothing a statement creates outlives its query.
      const statements = await connection.extractStatements(request.sql);
      if (statements.count !== 1) throw new Error('Permission Error: exactly one statement may run');
      const prepared = await statements.prepare(0);
      if (prepared.statementType !== StatementType.SELECT) {
        throw new Error('Permission Error: only a SELECT statement may run');
      }
      if (request.train) {
        const trained = await runTraining(await prepared.stream(), request.train, (progress) =>
          process.send?.({ id: request.id, progress } satisfies WorkerReply),
        );
        isReusable = true;
        return { id: request.id, ok: true, columns: [], rows: [], truncated: false, trained };
      }
      const reader = await prepared.streamAndReadUntil(request.maxRows + 1);
      const rows = reader.getRowsJson() as unknown[][];
      const names = reader.columnNames();
      const types = reader.columnTypes();
      isReusable = true;
      return {
        id: request.id,
        ok: true,
        columns: names.map((name, i) => ({ name, type: String(types[i]) })),
        rows: rows.slice(0, request.maxRows),
        truncated: rows.length > request.maxRows,
      };
    } finally {
      connection.closeSync();
    }
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    if (entry && key !== undefined) {
      if (isReusable && warmLimit > 0) {
        warm.set(key, entry);
        for (const [oldest, old] of warm) {
          if (warm.size <= warmLimit) break;
          warm.delete(oldest);
          retire(old);
        }
      } else retire(entry);
    }
    if (process.memoryUsage.rss() > idleBytes) {
      for (const old of warm.values()) retire(old);
      warm.clear();
    }
  }
}

process.on('message', (message: WorkerRequest) => {
  void run(message).then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
