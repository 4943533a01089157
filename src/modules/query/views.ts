import { createHash } from 'node:crypto';
import { quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { AgreementTerms, Condition, Mask } from '../access/terms.js';
import { isNumericType } from '../access/terms.js';
import type { DatasetColumn } from '../catalog/schema.js';

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
  /** The organisation that owns the dataset. */
  ownerOrgId: string;
  /** The dataset's column naming its data subject (consent, subject-level thresholds), if any. */
  subjectColumn: string | null;
  /** Set when another organisation reads a consent-required dataset. */
  consent?: ConsentFilter;
}

/**
 * Which rows of a consent-required dataset a grant may see: those whose `subjectColumn` holds one
 * of `subjects`, the keys with a consent live at the time the grant was resolved (see
 * ConsentService.filtersFor). Loaded per query, never cached.
 */
export interface ConsentFilter {
  subjectColumn: string;
  /** Sorted, so the same consents compile to the same SQL (shares key their files by it). */
  subjects: readonly string[];
}

/**
 * The consent condition over the raw subject column (like the row filter, before masks). The keys
 * travel as ONE newline-separated string literal split inside DuckDB, not as an IN list of
 * literals: over 200,000 rows with 100,000 keys the split view answers in ≈100 ms, where an IN list
 * costs ≈700 ms to parse and bind, and again for every reference to the view (bench/consent.ts).
 * A temporary table filled per connection is faster still (≈50 ms) but keeps the consents outside
 * the compiled SELECT: every exit (query, download, Delta Sharing) would need its own setup, and
 * shares key their cached files by the SELECT's text, so a revocation would not change the key.
 * Here a changed set of consents changes the SQL, and every exit filters without further setup.
 * Subject keys cannot hold a line break (consent/gate.ts, and a check in the database).
 */
function consentCondition(filter: ConsentFilter, column: DatasetColumn): string {
  if (filter.subjects.length === 0) return 'FALSE';
  if (filter.subjects.some((key) => key === '' || key.includes('\n'))) {
    throw new Error('a subject key is empty or holds a line break');
  }
  const keys = quoteLiteral(filter.subjects.join('\n'));
  return `CAST(${quoteIdentifier(column.name)} AS VARCHAR) IN (SELECT unnest(string_split(${keys}, chr(10))))`;
}

/**
 * The mask secret as it enters SQL: derived per agreement and dataset version, never the stored
 * secret itself. It enters only the platform's own SQL that writes grant files (grant-files.ts),
 * never an engine that runs a consumer's query.
 */
export function maskKey(grant: Grant): string {
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

/** Floating-point column types (DuckDB's names and aliases). */
const floatingType = /^(FLOAT|FLOAT4|REAL|DOUBLE|FLOAT8)$/i;

/**
 * In an aggregate-only grant's file, floating-point values are held within ±1e100 (infinite and NaN
 * values at the bound): a variance over them cannot overflow, so no aggregate the platform runs
 * over the file can raise an error that says whether some row holds a huge value. The aggregate-only
 * compiler clamps the same way (aggregate.ts); each alone keeps the error from happening.
 */
export const aggregateOnlyFloatBound = 1e100;

function heldWithinBound(expression: string): string {
  const bound = numberLiteral(aggregateOnlyFloatBound);
  return `CASE WHEN ${expression} IS NULL THEN NULL ELSE least(greatest(${expression}, -${bound}), ${bound}) END`;
}

/** The SELECT that a grant compiles to: granted columns (masked), rows passing the filter, from the file. */
export function compileSelect(grant: Grant): string {
  const byName = new Map(grant.columns.map((column) => [column.name, column]));
  const columns = grant.terms.columns.map((name) => {
    const column = byName.get(name)!;
    const mask = grant.terms.masks[name];
    const expression = maskedExpression(column, mask, grant);
    const held =
      grant.terms.aggregateOnly && !mask && floatingType.test(column.type)
        ? heldWithinBound(expression)
        : expression;
    return `${held} AS ${quoteIdentifier(name)}`;
  });
  const conditions = grant.terms.rowFilter.map((condition) =>
    conditionExpression(condition, byName.get(condition.column)!),
  );
  // Consent: only consenting subjects' rows. A subject column missing from the version
  // blocks the grant before it gets here (QueryService.resolveGrants); should one slip through,
  // no row is shown.
  if (grant.consent) {
    const column = byName.get(grant.consent.subjectColumn);
    conditions.push(column ? consentCondition(grant.consent, column) : 'FALSE');
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
  return `SELECT ${columns.join(', ')} FROM read_parquet(${quoteLiteral(grant.file)})${where}`;
}

/** The temporary view of a grant: seen only by the connection that made it, gone when it closes. */
export function compileView(grant: Grant): string {
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(grant.name)} AS ${compileSelect(grant)}`;
}
