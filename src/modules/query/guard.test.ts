import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import {
  asciiLower,
  checkIdentifier,
  checkQuery,
  type FunctionCatalog,
  loadFunctionCatalog,
  maxCtes,
  parseSelect,
} from './guard.js';

/**
 * The guard's name resolution against DuckDB's own, on an unlocked engine that holds what a CTE
 * might be taken to shadow: a catalog table, system views and a Parquet file. Whatever the guard
 * accepts must, when DuckDB runs it, read the CTE and nothing else.
 */
describe('guard name resolution', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let functions: FunctionCatalog;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-guard-'));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run("CREATE TABLE kiosk_keys AS SELECT 'table' AS marker, 'hidden' AS secret");
    await connection.run(`COPY (SELECT 'file' AS marker) TO '${path.join(dir, 'kiwi_data.parquet')}'`);
    functions = await loadFunctionCatalog(connection);
  });
  afterAll(async () => {
    connection?.closeSync();
    instance?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('folds ASCII letters only, as DuckDB does, and refuses names whose Unicode folding differs', () => {
    expect(asciiLower('Bank_Customers')).toBe('bank_customers');
    expect(asciiLower('\u212Aept')).toBe('\u212Aept');
    expect(asciiLower('\u00C9t\u00E9')).toBe('\u00C9t\u00E9');
    for (const name of ['\u212Aiosk_keys', 'duckdb_v\u0130ews', '\u00C9t\u00E9', 'ＫEPT']) {
      expect(() => checkIdentifier(name), name).toThrow(AppError);
    }
    // Lower-case non-ASCII letters and scripts without case fold alike in both: allowed.
    for (const name of ['caf\u00E9', '客戶', 'kept_SECRETS', 'ſecret'])
      expect(() => checkIdentifier(name)).not.toThrow();
  });

  /**
   * Replacements per ASCII letter: the letter, its capital, and characters with case whose
   * JavaScript folding lands on it or near it (Kelvin sign, dotted capital I, fullwidth and
   * accented capitals, long s) or that DuckDB leaves alone.
   */
  const lookalikes: Record<string, string[]> = {
    k: ['\u212A', 'Ｋ', 'Ķ'],
    i: ['\u0130', 'ı', 'Í'],
    s: ['ſ', 'Š'],
    e: ['É', 'Ｅ'],
    a: ['\u212B', 'Å'],
  };
  /** The name in random ASCII case, then (with lookalikes) one to three letters replaced by ones with case. */
  const variantOf = (name: string, withLookalikes: boolean) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), {
          minLength: withLookalikes ? 1 : 0,
          maxLength: withLookalikes ? 3 : 0,
        }),
      )
      .map(([upper, replacements]) => {
        const letters = [...name].map((letter, i) => (upper[i] ? letter.toUpperCase() : letter));
        const candidates = letters.flatMap((letter, i) => (lookalikes[letter.toLowerCase()] ? [i] : []));
        for (const [at, pick] of replacements) {
          if (candidates.length === 0) break;
          const i = candidates[at % candidates.length]!;
          const options = lookalikes[name[i]!.toLowerCase()]!;
          letters[i] = options[pick % options.length]!;
        }
        return letters.join('');
      });

  it('never accepts a CTE that DuckDB would not read where the query names it (property)', async () => {
    const file = path.join(dir, 'kiwi_data.parquet');
    const targets = [
      { name: 'kiosk_keys', reference: (text: string) => text, isFile: false },
      { name: 'kiosk_keys', reference: (text: string) => `"${text}"`, isFile: false },
      { name: 'duckdb_views', reference: (text: string) => text, isFile: false },
      { name: 'duckdb_settings', reference: (text: string) => text, isFile: false },
      { name: 'sqlite_master', reference: (text: string) => text, isFile: false },
      { name: file, reference: (text: string) => `'${text}'`, isFile: true },
      { name: path.join(dir, '*.parquet'), reference: (text: string) => `'${text}'`, isFile: true },
    ];
    const shapes = [
      (cte: string, from: string) => `WITH "${cte}" AS (SELECT 'cte' AS marker) SELECT * FROM ${from}`,
      (cte: string, from: string) =>
        `WITH x AS (SELECT 1 AS y), "${cte}" AS (SELECT 'cte' AS marker) SELECT marker FROM ${from}`,
      // Out of scope: the CTE lives in a subquery, the name is read beside it.
      (cte: string, from: string) =>
        `SELECT * FROM (WITH "${cte}" AS (SELECT 'cte' AS marker) SELECT 1 AS one) AS s, ${from}`,
    ];
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        // The CTE's name: the target's in other ASCII case, or with non-ASCII letters mixed in;
        // the name as the query writes it: in other ASCII case (a file's path exactly).
        fc
          .constantFrom(...targets)
          .chain((target) =>
            fc.tuple(
              fc.constant(target),
              fc.oneof(variantOf(target.name, true), variantOf(target.name, false)),
              target.isFile ? fc.constant(target.name) : variantOf(target.name, false),
            ),
          ),
        fc.constantFrom(...shapes),
        async ([target, cteName, written], shape) => {
          const sql = shape(cteName, target.reference(written));
          let isAccepted = false;
          try {
            const [statement] = await parseSelect(connection, sql);
            checkQuery(statement!, new Map(), functions);
            isAccepted = true;
          } catch (error) {
            expect(error, sql).toBeInstanceOf(AppError);
          }
          if (!isAccepted) {
            refused += 1;
            return;
          }
          accepted += 1;
          const reader = await connection.runAndReadAll(sql);
          expect(reader.columnNames(), sql).toEqual(['marker']);
          expect(reader.getRowsJson(), sql).toEqual([['cte']]);
        },
      ),
      { numRuns: 300 },
    );
    // Both outcomes occurred, so the property tested something either way.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses CTE names that look like files, globs or system tables', async () => {
    for (const sql of [
      `WITH "${dir}/kiwi_data.parquet" AS (SELECT 'cte' AS marker) SELECT * FROM '${dir}/kiwi_data.parquet'`,
      "WITH \"x.csv\" AS (SELECT 'cte' AS marker) SELECT * FROM 'x.csv'",
      "WITH duckdb_views AS (SELECT 'cte' AS sql) SELECT sql FROM duckdb_views",
      "WITH Information_Schema AS (SELECT 'cte' AS sql) SELECT sql FROM information_schema",
      'WITH "duc\u212Adb_views" AS (SELECT \'cte\' AS sql) SELECT sql FROM duckdb_views',
    ]) {
      const [statement] = await parseSelect(connection, sql);
      expect(() => checkQuery(statement!, new Map(), functions), sql).toThrow(AppError);
    }
  });

  it('bounds the work one query asks of the guard: CTEs and syntax nodes are capped', async () => {
    const ctes = (n: number) =>
      `WITH ${Array.from({ length: n }, (_, i) => `a${i} AS (SELECT 1)`).join(', ')} SELECT 1 AS x`;
    const [allowed] = await parseSelect(connection, ctes(maxCtes));
    expect(() => checkQuery(allowed!, new Map(), functions)).not.toThrow();
    for (const sql of [
      ctes(maxCtes + 1),
      ctes(3000)
        .slice(0, 99_000)
        .replace(/,[^,]*$/, ' SELECT 1'),
    ]) {
      const [statement] = await parseSelect(connection, sql);
      expect(() => checkQuery(statement!, new Map(), functions)).toThrow(/at most 64 CTEs/);
    }
    const [wide] = await parseSelect(connection, `SELECT ${Array(30_000).fill('1').join(', ')}`);
    expect(() => checkQuery(wide!, new Map(), functions)).toThrow(/too large/);
  });
});
