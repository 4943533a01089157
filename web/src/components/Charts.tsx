import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** The portal's palette for series, in order; readable on white and distinct for colour-blind readers. */
export const seriesColours = ['#0b6bcb', '#e07b00', '#2a9d55', '#c0392b', '#7b4fc9', '#5a6b7b'];

export interface Series {
  key: string;
  label: string;
}

interface ChartProps {
  title: string;
  data: Record<string, string | number | null>[];
  xKey: string;
  series: Series[];
  height?: number;
  /** Formats y values and tooltips (a percentage, milliseconds). */
  unit?: string;
}

/** A figure with a caption, so a chart is announced by its title to screen readers. */
function Figure({
  title,
  children,
  height,
  isEmpty,
}: {
  title: string;
  children: React.ReactElement;
  height: number;
  /** Nothing to draw: the figure says so instead of showing empty axes. */
  isEmpty: boolean;
}) {
  const { t } = useTranslation();
  if (isEmpty) {
    return (
      <figure className="chart chart-empty" aria-label={title}>
        <figcaption>{title}</figcaption>
        <p className="meta">{t('noDataYet')}</p>
      </figure>
    );
  }
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function LineChartCard({ title, data, xKey, series, height = 240, unit }: ChartProps) {
  return (
    <Figure title={title} height={height} isEmpty={data.length === 0}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" />
        <XAxis dataKey={xKey} fontSize={12} />
        <YAxis fontSize={12} unit={unit} allowDecimals={false} />
        <Tooltip />
        {series.length > 1 && <Legend />}
        {series.map((s, i) => (
          <Line
            key={s.key}
            type="linear"
            dataKey={s.key}
            name={s.label}
            stroke={seriesColours[i % seriesColours.length]}
            strokeWidth={2}
            dot={{ r: 2 }}
            isAnimationActive={false}
            unit={unit}
          />
        ))}
      </LineChart>
    </Figure>
  );
}

export function BarChartCard({ title, data, xKey, series, height = 240, unit }: ChartProps) {
  return (
    <Figure title={title} height={height} isEmpty={data.length === 0}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" />
        <XAxis dataKey={xKey} fontSize={12} />
        <YAxis fontSize={12} unit={unit} />
        <Tooltip />
        {series.length > 1 && <Legend />}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={seriesColours[i % seriesColours.length]}
            isAnimationActive={false}
            unit={unit}
          />
        ))}
      </BarChart>
    </Figure>
  );
}
