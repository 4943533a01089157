import { createHash } from 'node:crypto';
import type { AgreementTerms, Condition, Mask } from '../access/terms.js';
import { isNumericType } from '../access/terms.js';
import type { DatasetColumn } from '../catalog/schema.js';
import { quoteIdentifier, quoteLiteral } from './engine.js';

/**
 * What one caller may read of one dataset, resolved from an agreement (or from ownership or an
 * open licence), ready to compile. `name` is what the caller writes in SQL: the dataset's slug.
 */
export interface Grant {
  name: string;
  datasetId: string;
  versionId: string;
  /** Absolute path of the version's Parquet file. */
  file: string;
  columns: DatasetColumn[];
  terms: AgreementTerms;
  /** null for the provider's own data and open datasets. */
  agreementId: string | null;
  /** Keys the agreement's hash masks; null where no agreement applies. */
  secret: string | null;
  via: 'agreement' | 'owner' | 'open';
}

/**
 * The mask secret as it enters SQL: derived per agreement and dataset version, never the stored
 * secret itself, so nothing that might echo a view's text could hand out the key to other views.
 */
function maskKey(grant: Grant): string {
  return createHash('sha256')
    .update(`${grant.secret ?? ''}\u0000${grant.versionId}`)
    .digest('hex');
}

/**
 * One column as the consumer sees it. Keyed hash: SHA-256 over the agreement's key and the value,
 * so the same value gives the same pseudonym within the agreement (joins and counts still work)
 * and a different one under any other agreement (no linking across consumers).
 */
export function maskedExpression(column: DatasetColumn, mask: Mask | undefined, grant: Grant): string {
  const ref = quoteIdentifier(column.name);
  if (!mask) return ref;
  const text = `CAST(${ref} AS VARCHAR)`;
  switch (mask.kind) {
    case 'hash':
      return `CASE WHEN ${ref} IS NULL THEN NULL ELSE substr(sha256(${quoteLiteral(maskKey(grant))} || ${text}), 1, 32) END`;
    case 'redact':
      return `CAST(NULL AS ${column.type})`;
    case 'truncate-date':
      return `CAST(date_trunc(${quoteLiteral(mask.unit)}, ${ref}) AS DATE)`;
    case 'band': {
      const width = numberLiteral(mask.width);
      const isWhole = Number.isInteger(mask.width) && /INT/.test(column.type);
      const low = `floor(${ref} / ${width}) * ${width}`;
      return isWhole
        ? `CASE WHEN ${ref} IS NULL THEN NULL ELSE CAST(CAST(${low} AS BIGINT) AS VARCHAR) || '-' || CAST(CAST(${low} + ${width} - 1 AS BIGINT) AS VARCHAR) END`
        : `CASE WHEN ${ref} IS NULL THEN NULL ELSE '[' || CAST(${low} AS VARCHAR) || ', ' || CAST(${low} + ${width} AS VARCHAR) || ')' END`;
    }
    case 'keep-last':
      return `CASE WHEN ${ref} IS NULL THEN NULL ELSE repeat('*', greatest(length(${text}) - ${mask.n}, 0)) || right(${text}, ${mask.n}) END`;
  }
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

function valueLiteral(value: string | number | boolean, column: DatasetColumn): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return numberLiteral(value);
  // A string compared with a number column is cast by DuckDB; one with a typo fails at compile time.
  return isNumericType(column.type) ? `CAST(${quoteLiteral(value)} AS ${column.type})` : quoteLiteral(value);
}

/** One row-filter condition over the raw column (filters apply before masks). */
export function conditionExpression(condition: Condition, column: DatasetColumn): string {
  const ref = quoteIdentifier(column.name);
  switch (condition.op) {
    case 'is-null':
      return `${ref} IS NULL`;
    case 'is-not-null':
      return `${ref} IS NOT NULL`;
    case 'in':
    case 'not-in': {
      const list = (condition.values ?? []).map((value) => valueLiteral(value, column)).join(', ');
      return `${ref} ${condition.op === 'in' ? 'IN' : 'NOT IN'} (${list})`;
    }
    default:
      return `${ref} ${condition.op} ${valueLiteral(condition.value!, column)}`;
  }
}

/** The SELECT that a grant compiles to: granted columns (masked), rows passing the filter, from the file. */
export function compileSelect(grant: Grant): string {
  const byName = new Map(grant.columns.map((column) => [column.name, column]));
  const columns = grant.terms.columns.map((name) => {
    const column = byName.get(name)!;
    return `${maskedExpression(column, grant.terms.masks[name], grant)} AS ${quoteIdentifier(name)}`;
  });
  const conditions = grant.terms.rowFilter.map((condition) =>
    conditionExpression(condition, byName.get(condition.column)!),
  );
  const where = conditions.length > 0 ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
  return `SELECT ${columns.join(', ')} FROM read_parquet(${quoteLiteral(grant.file)})${where}`;
}

/** The temporary view of a grant: seen only by the connection that made it, gone when it closes. */
export function compileView(grant: Grant): string {
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(grant.name)} AS ${compileSelect(grant)}`;
}
