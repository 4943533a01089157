import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface EngineOptions {
  /** DATA_DIR/datasets: dataset versions, read by compiled views. */
  datasetsDir: string;
  /** DATA_DIR/labs: pseudonymised copies for clean rooms. With datasetsDir, all the governed engine may read. */
  labsDir: string;
  memoryLimit: string;
  threads: number;
}

/** Quotes an SQL identifier for DuckDB (double quotes, doubled inside). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal for DuckDB (single quotes, doubled inside; DuckDB has no backslash escapes). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Two DuckDB instances in the platform's process, kept apart on purpose:
 * - `governed` parses consumers' SQL into syntax trees and turns checked trees back into SQL
 *   (json_serialize_sql / json_deserialize_sql); it reads no file at all (external access off,
 *   nothing allowed, configuration locked). Consumers' SQL runs elsewhere: in query worker
 *   processes (workers.ts), each query in an engine confined to its grant files.
 * - `ingest` converts uploads to Parquet, profiles them and writes grant, lab and share files.
 *   Only SQL the platform writes runs here.
 */
export class DuckEngine {
  private constructor(
    readonly governed: DuckDBInstance,
    readonly ingest: DuckDBInstance,
    readonly datasetsDir: string,
    readonly labsDir: string,
  ) {}

  static async open(options: EngineOptions): Promise<DuckEngine> {
    const datasetsDir = path.resolve(options.datasetsDir);
    const labsDir = path.resolve(options.labsDir);
    await mkdir(datasetsDir, { recursive: true });
    await mkdir(labsDir, { recursive: true });
    const common = {
      threads: String(options.threads),
      memory_limit: options.memoryLimit,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    const governed = await DuckDBInstance.create(':memory:', common);
    const setup = await governed.connect();
    try {
      await setup.run('SET allowed_directories = []');
      await setup.run('SET allowed_paths = []');
      await setup.run('SET enable_external_access = false');
      await setup.run('SET lock_configuration = true');
    } finally {
      setup.closeSync();
    }
    const ingest = await DuckDBInstance.create(':memory:', common);
    return new DuckEngine(governed, ingest, datasetsDir, labsDir);
  }

  private connectionsOpen = 0;

  /**
   * Connections handed out and not closed yet. Under steady load it stays level; a figure that only
   * grows is a connection some path forgot to close (bench/soak.ts watches it through /metrics).
   */
  get openConnections(): number {
    return this.connectionsOpen;
  }

  /** Counts the connection until its first closeSync (every caller closes in a `finally`). */
  private counted(connection: DuckDBConnection): DuckDBConnection {
    this.connectionsOpen += 1;
    const close = connection.closeSync.bind(connection);
    let isClosed = false;
    connection.closeSync = () => {
      if (!isClosed) {
        isClosed = true;
        this.connectionsOpen -= 1;
      }
      close();
    };
    return connection;
  }

  /** A fresh connection on the governed instance: temp views made in it are seen by it alone. */
  async governedConnection(): Promise<DuckDBConnection> {
    return this.counted(await this.governed.connect());
  }

  async ingestConnection(): Promise<DuckDBConnection> {
    return this.counted(await this.ingest.connect());
  }

  close(): void {
    this.governed.closeSync();
    this.ingest.closeSync();
  }
}
