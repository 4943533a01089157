import { describe, expect, it } from 'vitest';
import { LocalQuotaCounter, LocalRateLimiter, monthPeriodKey, partOf, periodEndMs } from './limiter.js';

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

describe('limits divided between worker processes', () => {
  it('splits a whole into parts that add up to it', () => {
    expect([0, 1].map((index) => partOf(9, { index, count: 2 }))).toEqual([5, 4]);
    expect([0, 1, 2].map((index) => partOf(2, { index, count: 3 }))).toEqual([1, 1, 0]);
    expect(partOf(7)).toBe(7);
    for (const whole of [0, 1, 5, 100, 1001]) {
      for (const count of [1, 2, 3, 8]) {
        const parts = Array.from({ length: count }, (_, index) => partOf(whole, { index, count }));
        expect(parts.reduce((sum, part) => sum + part, 0)).toBe(whole);
      }
    }
  });

  it('lets each worker through its part of the burst and the rate, and of the quota', async () => {
    let now = 1_000_000;
    const workers = [0, 1].map((index) => new LocalRateLimiter(() => now, 10_000, { index, count: 2 }));
    const allowed = (limiter: LocalRateLimiter, calls: number) =>
      Array.from({ length: calls }, () => limiter.takeNow('k', 2, 9)).filter((d) => d.allowed).length;
    expect([allowed(workers[0]!, 10), allowed(workers[1]!, 10)]).toEqual([5, 4]);
    // Two calls a second in all: one a second each.
    now += 1000;
    expect([allowed(workers[0]!, 3), allowed(workers[1]!, 3)]).toEqual([1, 1]);
    for (const limiter of workers) await limiter.close();

    const quotas = [0, 1, 2].map((index) => new LocalQuotaCounter(() => now, { index, count: 3 }));
    const used = [];
    for (const quota of quotas) {
      let passed = 0;
      for (let i = 0; i < 10; i++) if (quota.consumeNow('sub', '2026-12', 10).allowed) passed++;
      used.push(passed);
    }
    expect(used).toEqual([4, 3, 3]);
  });
});
