import { describe, expect, it } from 'vitest';
import type { UsageRow } from './types';
import { latencyBy, timeline, totals, windowOf } from './usage';

const row = (over: Partial<UsageRow>): UsageRow => ({
  subscriptionId: 'sub_1',
  apiId: 'api_1',
  orgId: 'org_c',
  providerOrgId: 'org_p',
  period: '2026-03-10T00:00:00.000Z',
  calls: 0,
  status2xx: 0,
  status3xx: 0,
  status4xx: 0,
  status5xx: 0,
  rateLimited: 0,
  bytesIn: 0,
  bytesOut: 0,
  latencyAvgMs: null,
  latencyP50Ms: null,
  latencyP95Ms: null,
  ...over,
});

describe('usage summaries', () => {
  const now = new Date('2026-03-12T15:30:00Z');

  it('makes whole UTC buckets ending with the current one', () => {
    const days = windowOf(now, 'day', 7);
    expect(days.from.toISOString()).toBe('2026-03-06T00:00:00.000Z');
    expect(days.to.toISOString()).toBe('2026-03-13T00:00:00.000Z');
    const hours = windowOf(now, 'hour', 24);
    expect(hours.from.toISOString()).toBe('2026-03-11T16:00:00.000Z');
  });

  it('zero-fills the timeline and computes error and 429 rates per period', () => {
    const points = timeline(
      [
        row({ period: '2026-03-10T00:00:00.000Z', calls: 8, status2xx: 6, status4xx: 2, rateLimited: 1 }),
        row({ period: '2026-03-10T00:00:00.000Z', subscriptionId: 'sub_2', calls: 2, status5xx: 1 }),
      ],
      windowOf(now, 'day', 7),
    );
    expect(points).toHaveLength(7);
    const tenth = points.find((p) => p.period.startsWith('2026-03-10'));
    expect(tenth).toMatchObject({ calls: 10, errorRate: 30, rateLimitedRate: 10 });
    expect(points.filter((p) => p.calls === 0)).toHaveLength(6);
    expect(points.every((p) => p.errorRate >= 0)).toBe(true);
  });

  it('weights p95 by calls per group, busiest first', () => {
    const bars = latencyBy(
      [
        row({ apiId: 'a', calls: 1, latencyP95Ms: 10 }),
        row({ apiId: 'a', calls: 3, latencyP95Ms: 30 }),
        row({ apiId: 'b', calls: 10, latencyP95Ms: null }),
      ],
      (r) => r.apiId,
      (id) => id.toUpperCase(),
    );
    expect(bars).toEqual([
      { id: 'b', name: 'B', calls: 10, p95: null },
      { id: 'a', name: 'A', calls: 4, p95: 25 },
    ]);
  });

  it('totals calls and rates', () => {
    expect(totals([])).toEqual({ calls: 0, errorRate: 0, rateLimitedRate: 0 });
    expect(totals([row({ calls: 4, status4xx: 1, rateLimited: 1 })])).toEqual({
      calls: 4,
      errorRate: 25,
      rateLimitedRate: 25,
    });
  });
});
