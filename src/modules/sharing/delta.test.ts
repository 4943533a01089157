import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../infra/duck-engine.js';
import { schemaStringOf, sharedColumns, stableUuid, storedSelect } from './delta.js';

/** One column of each kind a dataset version can hold, as DuckDB types it. */
const source = `SELECT
  TRUE AS flag,
  CAST(1 AS TINYINT) AS tiny,
  CAST(200 AS UTINYINT) AS utiny,
  CAST(1 AS SMALLINT) AS small,
  CAST(60000 AS USMALLINT) AS usmall,
  CAST(1 AS INTEGER) AS int,
  CAST(4000000000 AS UINTEGER) AS uint,
  CAST(1 AS BIGINT) AS big,
  CAST(18446744073709551615 AS UBIGINT) AS ubig,
  CAST(170141183460469231731687303715884105727 AS HUGEINT) AS huge,
  CAST(1.5 AS FLOAT) AS f,
  CAST(1.5 AS DOUBLE) AS d,
  CAST(12.34 AS DECIMAL(10,2)) AS money,
  'text' AS s,
  '\\x00\\x01'::BLOB AS bytes,
  DATE '2024-02-29' AS day,
  TIMESTAMP '2024-02-29 10:11:12.123456' AS ts,
  TIMESTAMP_NS '2024-02-29 10:11:12.123456789' AS ts_ns,
  TIME '10:11:12' AS clock,
  INTERVAL 3 DAY AS span,
  uuid() AS id,
  [1, 2, 3] AS ints,
  {'a': 1, 'b': 'x'} AS pair,
  MAP {'k': CAST(1 AS UTINYINT)} AS dict,
  [{'when': TIME '01:02:03'}] AS nested`;

describe('Delta Sharing schemas from DuckDB types', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let dir: string;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-delta-'));
  });
  afterAll(async () => {
    connection?.closeSync();
    instance?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  async function columnsOf(sql: string) {
    const reader = await connection.runAndReadAll(`SELECT * FROM (${sql}) LIMIT 0`);
    return sharedColumns(reader.columnNames(), reader.columnTypes());
  }

  it('maps each DuckDB type to the Spark type a Delta reader expects', async () => {
    const columns = await columnsOf(source);
    const spark = Object.fromEntries(columns.map((column) => [column.name, column.spark]));
    expect(spark).toEqual({
      flag: 'boolean',
      tiny: 'byte',
      utiny: 'short',
      small: 'short',
      usmall: 'integer',
      int: 'integer',
      uint: 'long',
      big: 'long',
      ubig: 'decimal(20,0)',
      huge: 'string',
      f: 'float',
      d: 'double',
      money: 'decimal(10,2)',
      s: 'string',
      bytes: 'binary',
      day: 'date',
      ts: 'timestamp',
      ts_ns: 'timestamp',
      clock: 'string',
      span: 'string',
      id: 'string',
      ints: { type: 'array', elementType: 'integer', containsNull: true },
      pair: {
        type: 'struct',
        fields: [
          { name: 'a', type: 'integer', nullable: true, metadata: {} },
          { name: 'b', type: 'string', nullable: true, metadata: {} },
        ],
      },
      dict: { type: 'map', keyType: 'string', valueType: 'short', valueContainsNull: true },
      nested: {
        type: 'array',
        elementType: {
          type: 'struct',
          fields: [{ name: 'when', type: 'string', nullable: true, metadata: {} }],
        },
        containsNull: true,
      },
    });
  });

  it('writes a file whose stored types are the ones the schema announces, values kept', async () => {
    const columns = await columnsOf(source);
    const file = path.join(dir, 'typed.parquet');
    await connection.run(`COPY (${storedSelect(source, columns)}) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    const stored = await columnsOf(`SELECT * FROM read_parquet(${quoteLiteral(file)})`);
    expect(stored.map((column) => [column.name, column.spark])).toEqual(
      columns.map((column) => [column.name, column.spark]),
    );
    const reader = await connection.runAndReadAll(
      `SELECT ubig::VARCHAR, huge, clock, span, ts::VARCHAR, ts_ns::VARCHAR FROM read_parquet(${quoteLiteral(file)})`,
    );
    expect(reader.getRowsJson()[0]).toEqual([
      '18446744073709551615',
      '170141183460469231731687303715884105727',
      '10:11:12',
      '3 days',
      '2024-02-29 10:11:12.123456',
      '2024-02-29 10:11:12.123456',
    ]);
  });

  it('serialises the schema as a Spark struct, with column metadata', async () => {
    const columns = await columnsOf("SELECT 1 AS n, 'x' AS s");
    const metadataOf = (name: string): Record<string, string> =>
      name === 's' ? { comment: 'a letter' } : {};
    const schema = JSON.parse(schemaStringOf(columns, metadataOf));
    expect(schema).toEqual({
      type: 'struct',
      fields: [
        { name: 'n', type: 'integer', nullable: true, metadata: {} },
        { name: 's', type: 'string', nullable: true, metadata: { comment: 'a letter' } },
      ],
    });
  });

  it('derives stable, UUID-shaped ids', () => {
    expect(stableUuid('share/open-data')).toBe(stableUuid('share/open-data'));
    expect(stableUuid('share/open-data')).not.toBe(stableUuid('share/other'));
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
