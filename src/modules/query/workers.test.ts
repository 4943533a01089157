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

/**
 * One organisation holds at most its share of the workers: its heavy queries wait behind others',
 * past a short queue they are refused with 429, and a query that has paid for itself (a lab or noisy
 * query, `mayWait`) waits instead of being refused.
 */
describe('query workers share themselves between organisations', () => {
  let dir: string;
  let pool: QueryWorkerPool;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-workers-share-'));
    file = path.join(dir, 'rows.parquet');
    const writer = await DuckDBInstance.create(':memory:');
    const connection = await writer.connect();
    await connection.run(`COPY (SELECT range AS v FROM range(40)) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    connection.closeSync();
    writer.closeSync();
    pool = new QueryWorkerPool({ workers: 2, memoryMb: 512, threads: 1, perOrg: 1, tempDir: dir });
  });
  afterAll(async () => {
    pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  // 40⁷ ≈ 1.6·10¹¹ rows: far past the 3 s limit on any machine (40⁶ finished in time on a quiet one).
  const slow = 'SELECT count(*) FROM t a, t b, t c, t d, t e, t f, t g';
  const run = (sql: string, orgId: string, mayWait = false) =>
    pool.run({ sql, views: [{ name: 't', file }], maxRows: 10, timeoutMs: 3000, orgId, mayWait });

  it("answers another organisation while one organisation's heavy queries wait their turn", async () => {
    let heavyDone = 0;
    const heavy = Array.from({ length: 3 }, () =>
      run(slow, 'org_a').catch((error: unknown) => {
        heavyDone += 1;
        return error;
      }),
    );
    await expect(run('SELECT count(*) AS n FROM t', 'org_b')).resolves.toMatchObject({ rows: [['40']] });
    expect(heavyDone).toBe(0);
    for (const outcome of await Promise.all(heavy)) expect(outcome).toMatchObject({ code: 'query-timeout' });
  }, 60_000);

  it('refuses an organisation past its queue with 429, but lets a query that has paid wait', async () => {
    const queued = Array.from({ length: 5 }, () => run(slow, 'org_c').catch((error: unknown) => error));
    await expect(run(slow, 'org_c')).rejects.toMatchObject({
      code: 'query-concurrency-exceeded',
      extensions: { retryAfterSeconds: 1 },
    });
    const paid = run('SELECT 1 AS one', 'org_c', true);
    for (const outcome of await Promise.all(queued)) expect(outcome).toMatchObject({ code: 'query-timeout' });
    await expect(paid).resolves.toMatchObject({ rows: [[1]] });
  }, 120_000);
});
