import { describe, expect, it } from 'vitest';
import { LocalQuotaCounter, LocalRateLimiter, monthPeriodKey, periodEndMs } from './limiter.js';

describe('local rate limiter (GCRA)', () => {
  it('allows the burst at once, then one call per interval, and forgets rested keys', async () => {
    let now = 1_000_000;
    const limiter = new LocalRateLimiter(() => now);
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(limiter.takeNow('k', 2, 5));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[5]).toMatchObject({ retryAfterSeconds: 1, resetSeconds: 3 });
    now += 500;
    expect(limiter.takeNow('k', 2, 5).allowed).toBe(true);
    expect(limiter.takeNow('k', 2, 5).allowed).toBe(false);
    now += 10_000;
    limiter.sweep();
    expect(limiter.size).toBe(0);
    await limiter.close();
  });
});

describe('local quota counter', () => {
  it('counts up to the limit, never past it, and resets with the next month (UTC)', async () => {
    const now = Date.UTC(2026, 10, 30, 23, 59, 0);
    const quota = new LocalQuotaCounter(() => now);
    const period = monthPeriodKey(now);
    expect(period).toBe('2026-11');
    expect(periodEndMs(period)).toBe(Date.UTC(2026, 11, 1));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await quota.consume('sub', period, 2));
    expect(results.map((r) => [r.allowed, r.used, r.remaining])).toEqual([
      [true, 1, 1],
      [true, 2, 0],
      [false, 2, 0],
      [false, 2, 0],
    ]);
    expect(results[3]!.resetSeconds).toBe(60);
    expect((await quota.consume('sub', '2026-12', 2)).allowed).toBe(true);
  });
});
