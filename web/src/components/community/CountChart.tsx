import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { seriesColours } from '../Charts';

/**
 * Counts of things by name (ledger entries by action, transfers by state) as bars: horizontal when
 * the names are long, so that each one is readable; whole numbers on the axis. A figure with a
 * caption, as the portal's other charts.
 */
export function CountChart({
  title,
  data,
  label,
  horizontal = false,
  height,
}: {
  title: string;
  data: { name: string; count: number }[];
  /** What is counted, for the tooltip. */
  label: string;
  horizontal?: boolean;
  height?: number;
}) {
  const chartHeight = height ?? (horizontal ? Math.max(160, 28 * data.length + 40) : 240);
  const longest = Math.max(0, ...data.map((row) => row.name.length));
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div style={{ width: '100%', height: chartHeight }}>
        <ResponsiveContainer width="100%" height="100%">
          {horizontal ? (
            <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" horizontal={false} />
              <XAxis type="number" fontSize={12} allowDecimals={false} />
              <YAxis
                type="category"
                dataKey="name"
                fontSize={12}
                width={Math.min(200, Math.max(60, longest * 7))}
                interval={0}
              />
              <Tooltip />
              <Bar dataKey="count" name={label} fill={seriesColours[0]} isAnimationActive={false} />
            </BarChart>
          ) : (
            <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e8ee" />
              <XAxis dataKey="name" fontSize={12} />
              <YAxis fontSize={12} allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" name={label} fill={seriesColours[0]} isAnimationActive={false} />
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
