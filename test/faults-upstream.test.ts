import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { LocalQuotaCounter, LocalRateLimiter } from '../src/modules/gateway/limiter.js';
import { type RunningGateway, startGatewayFixture } from './gateway-fixture.js';
import { type ControlledUpstream, startControlledUpstream, waitFor } from './processes.js';
import { recordReliability } from './reliability-stats.js';

/**
 * An upstream that flaps: it hangs, fails with 503, recovers, fails again. The gateway's
 * circuit breaker (src/modules/gateway/breaker.ts) must open after consecutive failures and then
 * answer 503 `upstream-circuit-open` with Retry-After without connecting; let one probe through after
 * the cool-down; close again when the probe succeeds. Calls in flight to the upstream never exceed
 * the bound, whatever the callers do: the upstream itself counts what reaches it.
 *
 * The breaker's clock is the test's, so a cool-down ends when the test says, not when a loaded
 * machine gets round to it; the upstream timeout is real time and generous for the same reason.
 */
describe('an upstream that flaps', () => {
  let upstream: ControlledUpstream;
  let gw: RunningGateway;
  let now = Date.UTC(2026, 10, 25, 12);
  const clock: Clock = { now: () => new Date(now) };
  const cooldownMs = 10_000;
  const maxConcurrent = 4;
  let key: string;

  const burst = (n: number) => Promise.all(Array.from({ length: n }, () => gw.call(key)));

  beforeAll(async () => {
    upstream = await startControlledUpstream();
    gw = await startGatewayFixture({
      upstreamUrl: upstream.url,
      limits: { rate: new LocalRateLimiter(), quota: new LocalQuotaCounter() },
      plans: { caller: {} },
      clock,
      gateway: {
        headersTimeoutMs: 1500,
        breaker: { failureThreshold: 3, cooldownMs, maxConcurrent },
      },
    });
    key = gw.keys.caller!;
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('never has more calls in flight to a hanging upstream than the bound, and opens its circuit', async () => {
    expect((await gw.call(key)).status).toBe(200);
    upstream.mode = 'hang';
    recordReliability({
      kind: 'fault',
      what: 'upstream hanging under 20 concurrent callers',
      count: 1,
      held: 'at most 4 calls in flight at the upstream, the rest 503 upstream-busy at once; circuit opened',
    });
    const answers = await burst(20);
    // What reached the upstream timed out (504); the rest was refused at once (503), none queued.
    for (const answer of answers) {
      expect(['504 upstream-timeout', '503 upstream-busy', '503 upstream-circuit-open']).toContain(
        `${answer.status} ${answer.code}`,
      );
    }
    expect(answers.filter((answer) => answer.code === 'upstream-busy').length).toBeGreaterThan(0);
    expect(upstream.maxConcurrent).toBeLessThanOrEqual(maxConcurrent);
    upstream.release();

    // Open: refused with Retry-After, and the upstream sees neither a request nor a connection.
    const { received, connections } = upstream;
    for (const answer of await burst(10)) {
      expect(answer).toMatchObject({ status: 503, code: 'upstream-circuit-open', retryAfter: '10' });
    }
    expect([upstream.received, upstream.connections]).toEqual([received, connections]);
  });

  it('lets one probe through after the cool-down, and closes when it succeeds', async () => {
    upstream.mode = 'ok';
    now += cooldownMs;
    const received = upstream.received;
    expect((await gw.call(key)).status).toBe(200);
    expect(upstream.received).toBe(received + 1);
    const answers = await burst(maxConcurrent);
    expect(answers.map((answer) => answer.status)).toEqual(Array(maxConcurrent).fill(200));
  });

  it('opens again on consecutive 503s from the upstream, and a failed probe keeps it open', async () => {
    upstream.mode = 'fail';
    recordReliability({
      kind: 'fault',
      what: 'upstream failing with 503 (and its probe failing)',
      count: 1,
      held: 'circuit opened after 3; 503 upstream-circuit-open without connecting; one probe at a time; closed on success',
    });
    for (let i = 0; i < 3; i++) expect((await gw.call(key)).status).toBe(503);
    const received = upstream.received;
    expect(await gw.call(key)).toMatchObject({ status: 503, code: 'upstream-circuit-open' });
    expect(upstream.received).toBe(received);

    // Half-open: of five callers at once, exactly one reaches the upstream; it fails; open again.
    now += cooldownMs;
    const answers = await burst(5);
    expect(upstream.received).toBe(received + 1);
    expect(answers.filter((answer) => answer.code === 'upstream-circuit-open')).toHaveLength(4);
    expect(await gw.call(key)).toMatchObject({ status: 503, code: 'upstream-circuit-open' });
    expect(upstream.received).toBe(received + 1);

    // Back for good: the next probe succeeds and calls flow again.
    upstream.mode = 'ok';
    await waitFor(async () => {
      now += cooldownMs;
      return (await gw.call(key)).status === 200;
    }, 'the circuit to close');
    expect((await burst(maxConcurrent)).every((answer) => answer.status === 200)).toBe(true);
    expect(upstream.maxConcurrent).toBeLessThanOrEqual(maxConcurrent);
  });
});
