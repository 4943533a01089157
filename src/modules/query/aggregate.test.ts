import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { compileAggregateOnly } from './aggregate.js';
import { parseSelect } from './guard.js';

/**
 * The aggregate-only compiler on a view shaped like a grant's: text, numbers, a date, a boolean and
 * the hidden `__subject`. Sha Tin has 12 rows of 3 subjects, Kwun Tong 6 rows of 6 subjects, and one
 * Sha Tin row holds text that is not a number (a cast of the column would fail on it).
 */
describe('aggregate-only compiler', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let columns: { name: string; type: string }[];
  const k = 5;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(`CREATE TABLE visits AS
      SELECT 'V0' || (i % 3) AS subject, 'Sha Tin' AS district, CAST(i * 10 AS INTEGER) AS amount,
             CAST(1.5 * i AS DOUBLE) AS score, DATE '2024-01-01' + CAST(i AS INTEGER) AS day, i % 2 = 0 AS flag,
             CASE WHEN i = 7 THEN 'not-a-number' ELSE CAST(i AS VARCHAR) END AS code
      FROM range(12) t(i)
      UNION ALL
      SELECT 'W' || i, 'Kwun Tong', CAST(i AS INTEGER), CAST(i AS DOUBLE), DATE '2024-02-01' + CAST(i AS INTEGER), true, CAST(i AS VARCHAR)
      FROM range(6) t(i)`);
    await connection.run(
      'CREATE VIEW bank_visits AS SELECT district, amount, score, day, flag, code, subject AS __subject FROM visits',
    );
    const reader = await connection.runAndReadAll('DESCRIBE bank_visits');
    columns = reader
      .getRowObjectsJson()
      .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });

  const compile = async (sql: string) => {
    const [statement] = await parseSelect(connection, sql);
    return compileAggregateOnly(connection, statement!, { name: 'bank_visits', columns, minGroupSize: k });
  };

  it('writes its own SQL, with a threshold on distinct subjects', async () => {
    const sql = await compile(
      "SELECT district, count(*) AS n, sum(amount) AS total FROM bank_visits WHERE code <> 'x' AND amount >= 0 GROUP BY 1",
    );
    expect(sql).toContain('HAVING (count(DISTINCT __subject) >= 5)');
    const rows = (await connection.runAndReadAll(sql)).getRowsJson();
    // Sha Tin's 12 rows are 3 subjects: left out.
    expect(rows).toEqual([['Kwun Tong', '6', '15']]);
  });

  it('clamps floating-point values before a variance, so one huge or infinite value cannot raise', async () => {
    // The grant file holds such values at the bound too (views.ts); here the view does not, so the
    // compiler's clamp is all that stands between the value and an "out of range" error.
    await connection.run(`CREATE TEMP TABLE readings AS
      SELECT * FROM (VALUES ('a', 1e300::DOUBLE), ('b', 2.0), ('c', 'inf'::DOUBLE), ('d', 'nan'::DOUBLE), ('e', NULL))
      v(__subject, reading)`);
    const statement = async (aggregate: string) =>
      (await parseSelect(connection, `SELECT ${aggregate}(reading) AS s FROM readings`))[0]!;
    for (const aggregate of ['stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop']) {
      await expect(
        connection.runAndReadAll(`SELECT ${aggregate}(reading) FROM readings`),
        aggregate,
      ).rejects.toThrow(/out of range/i);
      const sql = await compileAggregateOnly(connection, await statement(aggregate), {
        name: 'readings',
        columns: [{ name: 'reading', type: 'DOUBLE' }],
        minGroupSize: 1,
      });
      const [[value]] = (await connection.runAndReadAll(sql)).getRowsJson() as [[number]];
      expect(Number.isFinite(value), `${aggregate}: ${value}`).toBe(true);
    }
  });

  it('refuses or answers, never fails in the engine and never shows a group under k subjects (property)', async () => {
    const column = fc.constantFrom(
      'district',
      'amount',
      'score',
      'day',
      'flag',
      'code',
      '__subject',
      'missing',
    );
    const aggregate = fc.oneof(
      fc.constant('count(*)'),
      fc
        .tuple(
          fc.constantFrom(
            'count',
            'sum',
            'avg',
            'min',
            'max',
            'median',
            'stddev',
            'variance',
            'list',
            'first',
          ),
          fc.constantFrom('', 'DISTINCT '),
          column,
        )
        .map(([name, distinct, c]) => `${name}(${distinct}${c})`),
      column.map((c) => `quantile_cont(${c}, 0.5)`),
      column.map((c) => `count(*) FILTER (WHERE ${c} IS NULL)`),
      column.map((c) => `sum(${c} * 2147483647 * 2147483647)`),
      column.map((c) => `count(*) - count(${c})`),
      column.map((c) => `avg(CAST(${c} AS INTEGER))`),
      fc.constant('COLUMNS(*)'),
    );
    const literal = fc.constantFrom("'Sha Tin'", "'2024-01-05'", "'x'", '3', '-2.5', '1e400', 'TRUE', 'NULL');
    const condition = fc.oneof(
      fc
        .tuple(column, fc.constantFrom('=', '<>', '<', '>=', 'IS DISTINCT FROM'), literal)
        .map(([c, op, l]) => `${c} ${op} ${l}`),
      fc.tuple(column, literal, literal).map(([c, a, b]) => `${c} IN (${a}, ${b})`),
      fc.tuple(column, literal, literal).map(([c, a, b]) => `${c} BETWEEN ${a} AND ${b}`),
      column.map((c) => `${c} IS NOT NULL`),
      column.map((c) => `CAST(${c} AS INTEGER) > 0`),
      column.map((c) => `length(${c}) > 2`),
    );
    const where = fc.option(
      fc
        .array(condition, { minLength: 1, maxLength: 3 })
        .chain((parts) => fc.constantFrom(' AND ', ' OR ').map((joiner) => parts.join(joiner))),
      { nil: undefined },
    );
    const groupBy = fc.constantFrom(['district'], ['district', 'flag'], [] as string[], ['amount']);
    let answered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(aggregate, { minLength: 1, maxLength: 3 }),
        where,
        groupBy,
        async (aggregates, filter, keys) => {
          const select = [...keys, ...aggregates.map((a, i) => `${a} AS a${i}`)].join(', ');
          const sql =
            `SELECT ${select} FROM bank_visits${filter ? ` WHERE ${filter}` : ''}` +
            (keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : '');
          let compiled: string;
          try {
            compiled = await compile(sql);
          } catch (error) {
            expect(error, sql).toBeInstanceOf(AppError);
            expect(['query-refused', 'query-invalid'], sql).toContain((error as AppError).code);
            refused += 1;
            return;
          }
          answered += 1;
          // The platform's SQL runs: no data-dependent cast, overflow or conversion is left in it.
          const rows = (await connection.runAndReadAll(compiled)).getRowObjectsJson();
          if (keys.length === 1 && keys[0] === 'district') {
            for (const row of rows) expect(row.district, `${sql}\n${compiled}`).toBe('Kwun Tong');
          }
        },
      ),
      { numRuns: 250 },
    );
    expect(answered).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
