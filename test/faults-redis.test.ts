import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimits, type LimitFallback, type Limits } from '../src/modules/gateway/limiter.js';
import { type RunningGateway, startGatewayFixture } from './gateway-fixture.js';
import {
  type ControlledUpstream,
  type RedisProcess,
  startControlledUpstream,
  startRedis,
  waitFor,
} from './processes.js';
import { recordReliability } from './reliability-stats.js';

/**
 * Redis lost: the gateway's limits live in a private redis-server started here on a free
 * port (the shared one on 6379 is never touched), which is killed with SIGKILL and started again.
 * Each fallback mode (STP_RATE_LIMIT_FALLBACK) does what docs/reliability.md says: `fail-closed`
 * refuses every call with 503 and Retry-After, without calling the upstream; `local` keeps serving
 * and still limits, each process on its own. Both go back to Redis once it answers.
 */
describe.each(['fail-closed', 'local'] as LimitFallback[])('Redis lost, fallback %s', (fallback) => {
  let redis: RedisProcess;
  let upstream: ControlledUpstream;
  let limits: Limits;
  let gw: RunningGateway;
  const logged: string[] = [];
  const prefix = `stp-faults:${process.pid}:`;

  const keysInRedis = async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      return (await client.keys(`${prefix}*`)).length;
    } finally {
      client.disconnect();
    }
  };

  beforeAll(async () => {
    redis = await startRedis();
    upstream = await startControlledUpstream();
    limits = createLimits(redis.url, {
      fallback,
      prefix,
      logger: { warn: (_o, message) => logged.push(message), info: (_o, message) => logged.push(message) },
    });
    gw = await startGatewayFixture({
      upstreamUrl: upstream.url,
      limits,
      // `roomy` has a quota so that its counter stays in Redis to be seen (a rested rate limit's key
      // expires at once); `tight`: a burst of 5 and practically no refill, so a limit shows.
      plans: {
        roomy: { monthlyQuota: 1_000_000 },
        tight: { rateLimitPerSecond: 0.001, burst: 5 },
        rationed: { monthlyQuota: 3 },
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await limits?.close();
    await upstream?.close();
    await redis?.stop();
  });

  it('counts in Redis while it answers', async () => {
    await waitFor(async () => (await gw.call(gw.keys.roomy!)).status === 200, 'a first call');
    expect(await keysInRedis()).toBeGreaterThan(0);
  });

  it(`when Redis dies, ${fallback === 'local' ? 'keeps serving with limits kept in the process' : 'refuses calls with 503 and Retry-After, calling no upstream'}`, async () => {
    await redis.kill9();
    recordReliability({
      kind: 'fault',
      what: 'Redis killed (SIGKILL), then restarted',
      on: `STP_RATE_LIMIT_FALLBACK=${fallback}`,
      count: 1,
      held:
        fallback === 'local'
          ? 'calls served, rate limit and quota still enforced in process; back to Redis when it returns'
          : 'every call 503 unavailable with Retry-After, upstream not called; back to Redis when it returns',
    });
    if (fallback === 'fail-closed') {
      await waitFor(async () => (await gw.call(gw.keys.roomy!)).status === 503, 'the refusal');
      const received = upstream.received;
      for (const key of [gw.keys.roomy!, gw.keys.tight!, gw.keys.rationed!]) {
        const answer = await gw.call(key);
        expect(answer).toMatchObject({ status: 503, code: 'unavailable', retryAfter: '1' });
      }
      expect(upstream.received).toBe(received);
    } else {
      await waitFor(async () => (await gw.call(gw.keys.roomy!)).status === 200, 'a call decided locally');
      // Limits still hold: the burst of 5, then 429; a quota of 3, then 429.
      const tight = [];
      for (let i = 0; i < 7; i++) tight.push((await gw.call(gw.keys.tight!)).status);
      expect(tight).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const rationed = [];
      for (let i = 0; i < 5; i++) rationed.push(await gw.call(gw.keys.rationed!));
      expect(rationed.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429]);
      expect(rationed[4]!.code).toBe('quota-exceeded');
    }
    expect(logged).toContain('Redis is unreachable: rate limits fall back');
  });

  it('shares limits through Redis again once it is back', async () => {
    await redis.restart();
    await waitFor(async () => {
      const answer = await gw.call(gw.keys.roomy!);
      return answer.status === 200 && (await keysInRedis()) > 0;
    }, 'decisions in Redis again');
    expect(logged).toContain('Redis is back: rate limits are shared again');
  });
});
