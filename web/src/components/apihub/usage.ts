import { dateLocale } from '../../i18n';
import type { UsageRow } from './types';

/**
 * Turns GET /v1/usage rows (one per subscription and period) into what the usage charts draw:
 * a zero-filled timeline of calls, error rate and 429 rate, and p95 latency per API and per
 * subscription. p95s of different periods cannot be merged exactly, so a group's p95 is the
 * call-weighted mean of its periods' p95s (labelled as approximate on the page).
 */

export type Granularity = 'hour' | 'day';

export interface TimelinePoint {
  [key: string]: string | number | null;
  period: string;
  label: string;
  calls: number;
  errorRate: number;
  rateLimitedRate: number;
}

export interface LatencyBar {
  [key: string]: string | number | null;
  id: string;
  name: string;
  calls: number;
  p95: number | null;
}

const unitMs: Record<Granularity, number> = { hour: 3_600_000, day: 86_400_000 };

/** The start of the UTC hour or day holding `at` (the server buckets with date_trunc in UTC). */
export function truncate(at: Date, granularity: Granularity): Date {
  const ms = at.getTime();
  return new Date(ms - (ms % unitMs[granularity]));
}

/** The window of the last `days` days (or 24 hours), as whole buckets ending with the current one. */
export function windowOf(
  now: Date,
  granularity: Granularity,
  buckets: number,
): { from: Date; to: Date; granularity: Granularity } {
  const last = truncate(now, granularity);
  return {
    from: new Date(last.getTime() - (buckets - 1) * unitMs[granularity]),
    to: new Date(last.getTime() + unitMs[granularity]),
    granularity,
  };
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

export function periodLabel(iso: string, granularity: Granularity, language: string): string {
  const date = new Date(iso);
  return granularity === 'day'
    ? date.toLocaleDateString(dateLocale(language), { month: 'short', day: 'numeric', timeZone: 'UTC' })
    : date.toLocaleTimeString(language, {
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'UTC',
        hour12: false,
      });
}

export function timeline(
  rows: UsageRow[],
  window: { from: Date; to: Date; granularity: Granularity },
  language = 'en',
): TimelinePoint[] {
  const byPeriod = new Map<number, { calls: number; errors: number; limited: number }>();
  for (const row of rows) {
    const key = truncate(new Date(row.period), window.granularity).getTime();
    const sum = byPeriod.get(key) ?? { calls: 0, errors: 0, limited: 0 };
    sum.calls += row.calls;
    sum.errors += row.status4xx + row.status5xx;
    sum.limited += row.rateLimited;
    byPeriod.set(key, sum);
  }
  const points: TimelinePoint[] = [];
  const step = unitMs[window.granularity];
  for (let at = truncate(window.from, window.granularity).getTime(); at < window.to.getTime(); at += step) {
    const sum = byPeriod.get(at) ?? { calls: 0, errors: 0, limited: 0 };
    const period = new Date(at).toISOString();
    points.push({
      period,
      label: periodLabel(period, window.granularity, language),
      calls: sum.calls,
      errorRate: percent(sum.errors, sum.calls),
      rateLimitedRate: percent(sum.limited, sum.calls),
    });
  }
  return points;
}

/** Calls and approximate p95 latency per group (an API, a subscription), busiest first. */
export function latencyBy(
  rows: UsageRow[],
  keyOf: (row: UsageRow) => string,
  nameOf: (key: string) => string,
): LatencyBar[] {
  const groups = new Map<string, { calls: number; weighted: number; weight: number }>();
  for (const row of rows) {
    const key = keyOf(row);
    const g = groups.get(key) ?? { calls: 0, weighted: 0, weight: 0 };
    g.calls += row.calls;
    if (row.latencyP95Ms !== null && row.calls > 0) {
      g.weighted += row.latencyP95Ms * row.calls;
      g.weight += row.calls;
    }
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([id, g]) => ({
      id,
      name: nameOf(id),
      calls: g.calls,
      p95: g.weight > 0 ? Math.round((g.weighted / g.weight) * 10) / 10 : null,
    }))
    .sort((a, b) => b.calls - a.calls);
}

export function totals(rows: UsageRow[]) {
  const calls = rows.reduce((n, r) => n + r.calls, 0);
  const errors = rows.reduce((n, r) => n + r.status4xx + r.status5xx, 0);
  const limited = rows.reduce((n, r) => n + r.rateLimited, 0);
  return { calls, errorRate: percent(errors, calls), rateLimitedRate: percent(limited, calls) };
}
