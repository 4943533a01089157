/**
 * A query worker: a child process that runs consumers' SQL, one query at a time, each in a DuckDB
 * instance of its own that may read exactly the files named for that query (the caller's grant
 * files or a lab's files) and nothing else. The parent (workers.ts) kills this process when a query
 * overruns its time or memory, so a runaway query costs one worker, never the platform.
 *
 * Started by `fork`; speaks the `WorkerRequest` / `WorkerReply` messages of workers.ts over IPC.
 */
import { type DuckDBInstance, DuckDBInstance as Instance, StatementType } from '@duckdb/node-api';
import type { WorkerReply, WorkerRequest } from './workers.js';

const threads = process.env.STP_WORKER_THREADS ?? '1';
const memoryLimit = process.env.STP_WORKER_DUCKDB_MEMORY ?? '1GB';

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A fresh instance, made while the worker is idle so a query does not wait for it. Extensions are
 * neither installed nor loaded automatically; file access is narrowed per query below.
 */
function freshInstance(): Promise<DuckDBInstance> {
  return Instance.create(':memory:', {
    threads,
    memory_limit: memoryLimit,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
  });
}

let next = freshInstance();

async function run(request: WorkerRequest): Promise<WorkerReply> {
  const instance = await next;
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
    // One SELECT, whatever reached this process: no COPY, EXPORT or ATTACH could write into the
    // very files this instance may open.
    const statements = await connection.extractStatements(request.sql);
    if (statements.count !== 1) throw new Error('Permission Error: exactly one statement may run');
    const prepared = await statements.prepare(0);
    if (prepared.statementType !== StatementType.SELECT) {
      throw new Error('Permission Error: only a SELECT statement may run');
    }
    const reader = await prepared.streamAndReadUntil(request.maxRows + 1);
    const rows = reader.getRowsJson() as unknown[][];
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      id: request.id,
      ok: true,
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rows: rows.slice(0, request.maxRows),
      truncated: rows.length > request.maxRows,
    };
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    connection.closeSync();
    instance.closeSync();
    next = freshInstance();
  }
}

process.on('message', (message: WorkerRequest) => {
  void run(message).then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
