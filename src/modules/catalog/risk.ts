import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { DatasetColumn } from './schema.js';

/**
 * Re-identification risk of a release, measured on its quasi-identifiers: the columns that are not
 * identifying alone (birth date, sex, postcode, district) but together single people out — 87% of
 * the US population is unique on ZIP code, sex and birth date (Sweeney, 2000). Rows that share the
 * same quasi-identifier values form an equivalence class; the smallest class is `k` (the release is
 * k-anonymous), and a row alone in its class is unique: whoever knows those few facts about a
 * person finds their row, and every other column of it.
 *
 * Figures are computed in DuckDB over the version's Parquet file, with the generalisations a
 * release would apply (dates cut to the year, numbers banded, columns left out).
 */
export type Generalisation =
  | { kind: 'truncate-date'; unit: 'year' | 'month' }
  | { kind: 'band'; width: number }
  | { kind: 'redact' };

export interface RiskFigures {
  rows: number;
  /** The quasi-identifiers measured (those a generalisation leaves out are not listed). */
  quasiIdentifiers: string[];
  /** Rows alone in their equivalence class. */
  uniqueRows: number;
  uniqueShare: number;
  /** The smallest equivalence class; null for an empty file. */
  k: number | null;
  classes: number;
}

/** A generalisation a provider could apply, and the figures once it and those before it apply. */
export interface MaskStep {
  column: string;
  mask: Generalisation;
  k: number | null;
  uniqueShare: number;
}

export interface RiskAssessment extends RiskFigures {
  threshold: number;
  isBelowThreshold: boolean;
  /** Masks, applied in order, that raise k; empty when k already meets the threshold. */
  masks: MaskStep[];
}

function expressionOf(column: DatasetColumn, mask: Generalisation | undefined): string | null {
  const ref = quoteIdentifier(column.name);
  if (!mask) return ref;
  switch (mask.kind) {
    case 'redact':
      return null;
    case 'truncate-date':
      return /^(DATE|TIMESTAMP)/.test(column.type)
        ? `date_trunc(${quoteLiteral(mask.unit)}, ${ref})`
        : `left(CAST(${ref} AS VARCHAR), ${mask.unit === 'year' ? 4 : 7})`;
    case 'band':
      return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DOUBLE|FLOAT|REAL|DECIMAL)/.test(
        column.type,
      )
        ? `floor(${ref} / ${Number(mask.width)})`
        : ref;
  }
}

/** The equivalence classes of `file` on `columns` (each with its generalisation, if any). */
export async function measureRisk(
  engine: DuckEngine,
  file: string,
  columns: DatasetColumn[],
  masks: Record<string, Generalisation> = {},
): Promise<RiskFigures> {
  const kept = columns
    .map((column) => ({ column, expression: expressionOf(column, masks[column.name]) }))
    .filter((c): c is { column: DatasetColumn; expression: string } => c.expression !== null);
  const groupBy = kept.length > 0 ? `GROUP BY ${kept.map((c) => c.expression).join(', ')}` : '';
  const connection = await engine.ingestConnection();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::DOUBLE AS classes, min(n)::DOUBLE AS k, coalesce(sum(n), 0)::DOUBLE AS rows,
              coalesce(sum(CASE WHEN n = 1 THEN 1 ELSE 0 END), 0)::DOUBLE AS unique_rows
       FROM (SELECT count(*) AS n FROM read_parquet(${quoteLiteral(file)}) ${groupBy})`,
    );
    const row = reader.getRowObjects()[0] ?? {};
    const rows = Number(row.rows ?? 0);
    const uniqueRows = Number(row.unique_rows ?? 0);
    return {
      rows,
      quasiIdentifiers: kept.map((c) => c.column.name),
      uniqueRows,
      uniqueShare: rows === 0 ? 0 : uniqueRows / rows,
      k: rows === 0 || row.k === null ? null : Number(row.k),
      classes: rows === 0 ? 0 : Number(row.classes ?? 0),
    };
  } finally {
    connection.closeSync();
  }
}

/**
 * The generalisation that coarsens a column most usefully: dates to their year, ages into
 * ten-year bands (other numbers into bands a tenth of their range), and anything else — postcode,
 * district, sex — left out.
 */
export function coarserMask(column: DatasetColumn): Generalisation {
  if (/^(DATE|TIMESTAMP)/.test(column.type)) return { kind: 'truncate-date', unit: 'year' };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|REAL|DECIMAL)/.test(column.type)) {
    const min = Number(column.statistics.min);
    const max = Number(column.statistics.max);
    const range = Number.isFinite(min) && Number.isFinite(max) ? max - min : 0;
    const width =
      /age/i.test(column.name) || range <= 150 ? 10 : 10 ** Math.max(0, Math.floor(Math.log10(range)) - 1);
    return { kind: 'band', width };
  }
  return { kind: 'redact' };
}

/** Dates first, then numbers, then the rest: coarsen what loses least before leaving columns out. */
function maskOrder(column: DatasetColumn): number {
  const mask = coarserMask(column);
  return mask.kind === 'truncate-date' ? 0 : mask.kind === 'band' ? 1 : 2;
}

/**
 * The figures for `columns` as released with `masks`, against `threshold`, and — when k is below
 * it — the further masks, applied one at a time, that raise k to the threshold (or as far as they go).
 */
export async function assessRisk(
  engine: DuckEngine,
  file: string,
  columns: DatasetColumn[],
  threshold: number,
  masks: Record<string, Generalisation> = {},
): Promise<RiskAssessment> {
  const figures = await measureRisk(engine, file, columns, masks);
  const isBelow = (k: number | null) => k !== null && k < threshold;
  const steps: MaskStep[] = [];
  if (isBelow(figures.k)) {
    const applied = { ...masks };
    const candidates = columns
      .filter((column) => !applied[column.name] || applied[column.name]!.kind !== 'redact')
      .sort((a, b) => maskOrder(a) - maskOrder(b));
    for (const column of candidates) {
      const mask = coarserMask(column);
      if (applied[column.name]?.kind === mask.kind) continue;
      applied[column.name] = mask;
      const next = await measureRisk(engine, file, columns, applied);
      steps.push({ column: column.name, mask, k: next.k, uniqueShare: next.uniqueShare });
      if (!isBelow(next.k)) break;
    }
  }
  return { ...figures, threshold, isBelowThreshold: isBelow(figures.k), masks: steps };
}
