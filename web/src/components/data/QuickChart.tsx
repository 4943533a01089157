import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChartCard, LineChartCard } from '../Charts';
import { Empty } from '../Feedback';
import { isNumericType } from './types';

/** Columns whose values are numbers in every non-null row (DuckDB's BIGINT and DECIMAL arrive as text). */
export function numericColumns(columns: { name: string; type: string }[], rows: unknown[][]): string[] {
  return columns
    .filter(
      (column, i) =>
        isNumericType(column.type) ||
        (rows.length > 0 &&
          rows.every((row) => row[i] === null || (row[i] !== '' && Number.isFinite(Number(row[i]))))),
    )
    .map((column) => column.name);
}

export function chartRows(
  columns: { name: string }[],
  rows: unknown[][],
  x: string,
  y: string,
): Record<string, string | number | null>[] {
  const xi = columns.findIndex((column) => column.name === x);
  const yi = columns.findIndex((column) => column.name === y);
  if (xi < 0 || yi < 0) return [];
  return rows.map((row) => ({
    [x]: row[xi] === null || row[xi] === undefined ? '—' : String(row[xi]),
    [y]: row[yi] === null || row[yi] === undefined ? null : Number(row[yi]),
  }));
}

/** Pick an x column and a numeric y column of a result and see it as bars or a line. */
export function QuickChart({
  columns,
  rows,
}: {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}) {
  const { t } = useTranslation();
  const id = useId();
  const numeric = numericColumns(columns, rows);
  const [x, setX] = useState(columns[0]?.name ?? '');
  const [y, setY] = useState(numeric.find((name) => name !== columns[0]?.name) ?? numeric[0] ?? '');
  const [kind, setKind] = useState<'bar' | 'line'>('bar');
  if (numeric.length === 0) return <Empty>{t('data.chart.noNumbers')}</Empty>;
  const data = chartRows(columns, rows.slice(0, 500), x, y);
  const title = t('data.chart.title', { y, x });
  return (
    <div className="quick-chart">
      <div className="toolbar">
        <label htmlFor={`${id}-x`}>
          {t('data.chart.x')}
          <select id={`${id}-x`} value={x} onChange={(event) => setX(event.target.value)}>
            {columns.map((column) => (
              <option key={column.name} value={column.name}>
                {column.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-y`}>
          {t('data.chart.y')}
          <select id={`${id}-y`} value={y} onChange={(event) => setY(event.target.value)}>
            {numeric.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-kind`}>
          {t('data.chart.kind')}
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(event) => setKind(event.target.value as 'bar' | 'line')}
          >
            <option value="bar">{t('data.chart.bar')}</option>
            <option value="line">{t('data.chart.line')}</option>
          </select>
        </label>
      </div>
      {kind === 'bar' ? (
        <BarChartCard title={title} data={data} xKey={x} series={[{ key: y, label: y }]} />
      ) : (
        <LineChartCard title={title} data={data} xKey={x} series={[{ key: y, label: y }]} />
      )}
    </div>
  );
}
