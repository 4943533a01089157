import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { dateLocale } from '../../i18n';
import type { Organisation } from '../../session';
import { TableScroll } from '../TableScroll';
import { type Classification, restrictedClassifications } from './types';

/** A column's classification; restricted ones (personal, sensitive, identifier) stand out in red. */
export function ClassificationBadge({
  classification,
  suggested = false,
}: {
  classification: Classification;
  suggested?: boolean;
}) {
  const { t } = useTranslation();
  const label = t(`data.classification.${classification}`);
  return (
    <span
      className={`badge badge-${classification}${suggested ? ' badge-suggested' : ''}`}
      title={suggested ? t('data.schema.suggestedHint') : undefined}
    >
      {suggested ? t('data.schema.suggestedBadge', { label }) : label}
    </span>
  );
}

export const isRestricted = (classification: Classification) =>
  restrictedClassifications.includes(classification);

/** A value as a grid shows it: null visibly so (a redacted column reads "null", not blank). */
export function CellValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <span className="cell-null">{t('data.null')}</span>;
  if (typeof value === 'object') return <>{JSON.stringify(value)}</>;
  return <>{String(value)}</>;
}

/** Rows as the platform returned them, with the column types in the header. */
export function ResultGrid({
  columns,
  rows,
  caption,
  masks,
}: {
  columns: { name: string; type?: string; kind?: string }[];
  rows: unknown[][];
  caption: string;
  /** Mask kind per column name, shown under the header. */
  masks?: Record<string, string | null | undefined>;
}) {
  const { t } = useTranslation();
  return (
    <TableScroll label={caption} className="result-grid">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.name} scope="col">
                {column.name}
                <span className="col-type">{column.type ?? column.kind}</span>
                {masks?.[column.name] && (
                  <span className="badge badge-mask">
                    {t(`data.mask.${masks[column.name]}`, { defaultValue: masks[column.name] })}
                  </span>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no identity of their own
            <tr key={i}>
              {row.map((value, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the columns
                <td key={j} className={typeof value === 'number' ? 'num' : undefined}>
                  <CellValue value={value} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A bar for a share (0–1), e.g. the nulls of a column; the number is beside it for screen readers. */
export function ShareBar({ share, label }: { share: number; label: string }) {
  const percent = Math.max(0, Math.min(100, share * 100));
  return (
    <span className="share">
      <span className="share-bar" aria-hidden="true">
        <span className="share-fill" style={{ width: `${percent}%` }} />
      </span>
      <span className="share-label">{label}</span>
    </span>
  );
}

/** Names of the organisations the caller can see, by id (one directory read per page). */
export function useOrgNames(): Map<string, Organisation> {
  const orgs = useLoad(
    () =>
      get<{ items: Organisation[] }>('/v1/orgs', { limit: 200 }).catch(() => ({
        items: [] as Organisation[],
      })),
    [],
  );
  return new Map((orgs.data?.items ?? []).map((org) => [org.id, org]));
}

export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

export function formatDate(iso: string | null | undefined, language: string, withTime = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(dateLocale(language), {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(date);
}

export function formatNumber(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value);
}

/**
 * Whether a noisy value is mostly noise: its 95% interval reaches as far as the value is from zero
 * (half-width ≥ |value|), so the interval holds zero or values of the other sign and the figure
 * cannot be read as a measurement.
 */
export function isNoiseDominated(value: unknown, halfWidth: number | null | undefined): boolean {
  return typeof value === 'number' && typeof halfWidth === 'number' && halfWidth >= Math.abs(value);
}

/**
 * Each noisy value as "value ± half-width" of its 95% interval; keys and un-noised values as they
 * are. With `noiseFlag`, a value that is mostly noise (isNoiseDominated) carries those words too.
 */
export function withIntervals(
  rows: unknown[][],
  intervals: (number | null)[][] | undefined,
  language: string,
  noiseFlag?: string,
): unknown[][] {
  return rows.map((row, i) =>
    row.map((value, j) => {
      const halfWidth = intervals?.[i]?.[j];
      if (typeof value !== 'number' || typeof halfWidth !== 'number') return value;
      const shown = `${formatNumber(value, language)} ± ${formatNumber(halfWidth, language)}`;
      return noiseFlag && isNoiseDominated(value, halfWidth) ? `${shown} (${noiseFlag})` : shown;
    }),
  );
}

/** How many values of a release are mostly noise (isNoiseDominated), of how many noisy ones. */
export function noiseDominatedCount(
  rows: unknown[][],
  intervals: (number | null)[][] | undefined,
): { flagged: number; noisy: number } {
  let flagged = 0;
  let noisy = 0;
  rows.forEach((row, i) => {
    row.forEach((value, j) => {
      const halfWidth = intervals?.[i]?.[j];
      if (typeof value !== 'number' || typeof halfWidth !== 'number') return;
      noisy += 1;
      if (isNoiseDominated(value, halfWidth)) flagged += 1;
    });
  });
  return { flagged, noisy };
}
