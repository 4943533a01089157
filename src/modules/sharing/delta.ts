import { createHash } from 'node:crypto';
import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import { quoteIdentifier } from '../../infra/duck-engine.js';

/**
 * The Delta Sharing protocol's table schema: a subset of Spark SQL's JSON schema
 * (https://github.com/delta-io/delta-sharing/blob/main/PROTOCOL.md#schema-object).
 */
export type SparkType =
  | string
  | { type: 'struct'; fields: SparkField[] }
  | { type: 'array'; elementType: SparkType; containsNull: boolean }
  | { type: 'map'; keyType: SparkType; valueType: SparkType; valueContainsNull: boolean };

export interface SparkField {
  name: string;
  type: SparkType;
  nullable: boolean;
  metadata: Record<string, string>;
}

/** One column as shared: its Spark type, and the DuckDB type the Parquet file stores so the two agree. */
export interface SharedColumn {
  name: string;
  spark: SparkType;
  /** What the column is cast to when the file is written. */
  storedAs: string;
}

interface Mapped {
  spark: SparkType;
  storedAs: string;
}

const primitive = (spark: string, storedAs: string): Mapped => ({ spark, storedAs });
const asString = primitive('string', 'VARCHAR');

/**
 * DuckDB's type → the Spark type a Delta reader expects, and the DuckDB type whose Parquet encoding
 * matches it. Spark has no unsigned integers, so each widens to the next signed type (UBIGINT to
 * decimal(20,0)). Types Spark cannot hold in full (HUGEINT, whose range passes decimal(38,0); TIME,
 * INTERVAL, UUID, ENUM, BIT, UNION, …) are shared as their text, which loses no information.
 * Nested lists, structs and maps keep their shape.
 */
export function mapDuckType(type: DuckDBType): Mapped {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return primitive('boolean', 'BOOLEAN');
    case DuckDBTypeId.TINYINT:
      return primitive('byte', 'TINYINT');
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return primitive('short', 'SMALLINT');
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return primitive('integer', 'INTEGER');
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return primitive('long', 'BIGINT');
    case DuckDBTypeId.UBIGINT:
      return primitive('decimal(20,0)', 'DECIMAL(20,0)');
    case DuckDBTypeId.FLOAT:
      return primitive('float', 'FLOAT');
    case DuckDBTypeId.DOUBLE:
      return primitive('double', 'DOUBLE');
    case DuckDBTypeId.DECIMAL:
      return primitive(`decimal(${type.width},${type.scale})`, `DECIMAL(${type.width},${type.scale})`);
    case DuckDBTypeId.VARCHAR:
      return asString;
    case DuckDBTypeId.BLOB:
      return primitive('binary', 'BLOB');
    case DuckDBTypeId.DATE:
      return primitive('date', 'DATE');
    // Spark's `timestamp` is microseconds; seconds, milliseconds and nanoseconds are stored as that.
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return primitive('timestamp', 'TIMESTAMP');
    case DuckDBTypeId.TIMESTAMP_TZ:
      return primitive('timestamp', 'TIMESTAMPTZ');
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const element = mapDuckType(type.valueType);
      return {
        spark: { type: 'array', elementType: element.spark, containsNull: true },
        storedAs: `${element.storedAs}[]`,
      };
    }
    case DuckDBTypeId.STRUCT: {
      const entries = type.entryNames.map((name, i) => ({ name, ...mapDuckType(type.entryTypes[i]!) }));
      if (entries.length === 0) return asString;
      return {
        spark: { type: 'struct', fields: entries.map((entry) => fieldOf(entry.name, entry.spark)) },
        storedAs: `STRUCT(${entries.map((entry) => `${quoteIdentifier(entry.name)} ${entry.storedAs}`).join(', ')})`,
      };
    }
    case DuckDBTypeId.MAP: {
      const key = mapDuckType(type.keyType);
      const value = mapDuckType(type.valueType);
      return {
        spark: { type: 'map', keyType: key.spark, valueType: value.spark, valueContainsNull: true },
        storedAs: `MAP(${key.storedAs}, ${value.storedAs})`,
      };
    }
    default:
      return asString;
  }
}

function fieldOf(name: string, type: SparkType, metadata: Record<string, string> = {}): SparkField {
  // Masks may turn any value into null, and a later version may add nulls: every field is nullable.
  return { name, type, nullable: true, metadata };
}

export function sharedColumns(names: string[], types: DuckDBType[]): SharedColumn[] {
  return names.map((name, i) => ({ name, ...mapDuckType(types[i]!) }));
}

/** The `schemaString` of a table's metaData: a serialised Spark struct of its columns. */
export function schemaStringOf(
  columns: SharedColumn[],
  metadataOf: (name: string) => Record<string, string> = () => ({}),
): string {
  return JSON.stringify({
    type: 'struct',
    fields: columns.map((column) => fieldOf(column.name, column.spark, metadataOf(column.name))),
  });
}

/** The SELECT that writes a shared file: the policy's own SELECT, each column cast to its stored type. */
export function storedSelect(policySelect: string, columns: SharedColumn[]): string {
  const list = columns
    .map(
      (column) =>
        `CAST(${quoteIdentifier(column.name)} AS ${column.storedAs}) AS ${quoteIdentifier(column.name)}`,
    )
    .join(', ');
  return `SELECT ${list} FROM (${policySelect})`;
}

/**
 * A stable UUID-shaped id from a name, for the protocol's `id` fields (shares, tables, metaData),
 * which clients may cache by and which must not change over the object's life.
 */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
