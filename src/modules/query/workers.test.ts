import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../infra/duck-engine.js';
import { EngineError, QueryWorkerPool } from './workers.js';

/**
 * A worker keeps a confined instance warm per set of files. One worker here, so every query meets
 * the instances the earlier ones left: a warm instance must answer from the file as it is now, and
 * must never open a file outside the set of the query it runs, however recently another set ran.
 */
describe('query workers keep instances warm per set of files', () => {
  let dir: string;
  let writer: DuckDBInstance;
  let pool: QueryWorkerPool;
  const file = (name: string) => path.join(dir, `${name}.parquet`);

  /** Writes one file aside and renames it into place, as grant and lab files are written. */
  async function write(name: string, value: number, columns = "'x' AS label"): Promise<void> {
    const connection = await writer.connect();
    try {
      const partial = `${file(name)}.partial`;
      await connection.run(
        `COPY (SELECT ${value} AS v, ${columns}) TO ${quoteLiteral(partial)} (FORMAT parquet)`,
      );
      await rename(partial, file(name));
    } finally {
      connection.closeSync();
    }
  }

  const run = (sql: string, views: Record<string, string>) =>
    pool.run({
      sql,
      views: Object.entries(views).map(([name, at]) => ({ name, file: file(at) })),
      maxRows: 100,
      timeoutMs: 30_000,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-workers-'));
    writer = await DuckDBInstance.create(':memory:');
    await write('a', 1);
    await write('b', 2);
    pool = new QueryWorkerPool({ workers: 1, memoryMb: 1024, threads: 1 });
  });

  afterAll(async () => {
    pool.close();
    writer.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a repeated query over the same set from the file as it is now', async () => {
    expect((await run('SELECT v FROM t', { t: 'a' })).rows).toEqual([[1]]);
    expect((await run('SELECT v FROM t', { t: 'a' })).rows).toEqual([[1]]);
    // The file is rewritten in place (another file renamed over the same path), even with another
    // schema: the next query reads the new one, never what the warm instance saw before.
    await write('a', 3, "'rewritten' AS label, 42 AS added");
    expect((await run('SELECT * FROM t', { t: 'a' })).rows).toEqual([[3, 'rewritten', 42]]);
  });

  it('never lets a query read a file of another set kept warm in the same worker', async () => {
    expect((await run('SELECT v FROM t', { t: 'b' })).rows).toEqual([[2]]);
    expect((await run('SELECT v FROM t', { t: 'a' })).rows).toEqual([[3]]);
    // Both sets are warm now; a query over {a} may still not open b, by path or by glob.
    for (const sql of [
      `SELECT v FROM read_parquet(${quoteLiteral(file('b'))})`,
      `SELECT count(*) FROM read_parquet(${quoteLiteral(`${dir}/*.parquet`)})`,
      `SELECT * FROM glob(${quoteLiteral(`${dir}/*`)})`,
    ]) {
      await expect(run(sql, { t: 'a' }), sql).rejects.toBeInstanceOf(EngineError);
    }
    // The same name over another file is another set: it reads that file, not the warm one.
    expect((await run('SELECT v FROM t', { t: 'b' })).rows).toEqual([[2]]);
    // A set of both files is a set of its own, with both readable.
    expect((await run('SELECT t.v + u.v FROM t, u', { t: 'a', u: 'b' })).rows).toEqual([[5]]);
  });

  it('leaves nothing of one query behind for the next on a warm instance', async () => {
    for (const sql of [
      'CREATE VIEW left_behind AS SELECT 1',
      "SET VARIABLE secret = 'x'",
      'SELECT 1; SELECT 2',
    ]) {
      await expect(run(sql, { t: 'a' }), sql).rejects.toThrow(/Permission Error/);
    }
    await expect(run('SELECT * FROM left_behind', { t: 'a' })).rejects.toBeInstanceOf(EngineError);
    await expect(run("SELECT getvariable('secret') AS s", { t: 'a' })).resolves.toMatchObject({
      rows: [[null]],
    });
  });

  it('answers a query on a file removed since its set was warm with an engine error, then serves again', async () => {
    await write('c', 7);
    expect((await run('SELECT v FROM t', { t: 'c' })).rows).toEqual([[7]]);
    await rm(file('c'));
    await expect(run('SELECT v FROM t', { t: 'c' })).rejects.toBeInstanceOf(EngineError);
    await write('c', 8);
    expect((await run('SELECT v FROM t', { t: 'c' })).rows).toEqual([[8]]);
  });
});
