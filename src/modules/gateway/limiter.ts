import { Redis } from 'ioredis';

/**
 * Rate limits and monthly quotas for the gateway. Both are interfaces with an in-memory
 * implementation (one node) and a Redis one (several nodes share one limit); `createLimits` picks
 * by whether REDIS_URL is set.
 */

export interface RateDecision {
  allowed: boolean;
  /** The burst: how many calls a fresh (or fully rested) subscription may make at once. */
  limit: number;
  /** Calls that could still be made right now. */
  remaining: number;
  /** Seconds until the allowance is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds to wait before the next call can pass; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, ratePerSecond: number, burst: number): Promise<RateDecision>;
  /**
   * The same decision without a promise, offered only where it is made in process: the gateway
   * takes this fast path per call (no microtask hop) and falls back to `take` for Redis.
   */
  takeNow?(key: string, ratePerSecond: number, burst: number): RateDecision;
  close(): Promise<void>;
}

export interface QuotaDecision {
  allowed: boolean;
  used: number;
  remaining: number;
  /** Seconds until the period ends (UTC). */
  resetSeconds: number;
}

/**
 * Counts calls against a limit per period. Refused calls are NOT counted: `used` never exceeds
 * `limit`, so the figure a consumer sees is the number of calls that were let through, and a
 * client hammering an exhausted quota does not push the counter (or its bill) further.
 */
export interface QuotaCounter {
  consume(key: string, periodKey: string, limit: number): Promise<QuotaDecision>;
  /** The same decision without a promise, offered only by in-process counters (see takeNow). */
  consumeNow?(key: string, periodKey: string, limit: number): QuotaDecision;
  close(): Promise<void>;
}

export interface Limits {
  rate: RateLimiter;
  quota: QuotaCounter;
  close(): Promise<void>;
}

/** The calendar month (UTC) a moment falls in, as the quota's period key: `2026-11`. */
export function monthPeriodKey(nowMs: number): string {
  const d = new Date(nowMs);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Epoch ms at which a `YYYY-MM` period ends (the first instant of the next month, UTC). */
export function periodEndMs(periodKey: string): number {
  const [year, month] = periodKey.split('-').map(Number);
  if (!year || !month) throw new Error(`not a month period key: ${periodKey}`);
  return Date.UTC(year, month, 1);
}

/**
 * GCRA (the generic cell rate algorithm, ITU-T I.371): a key stores only its "theoretical arrival
 * time" (TAT). A call is allowed when pushing the TAT one emission interval further keeps it
 * within `burst` intervals of now. One number per key, no refill timers, exact under concurrency
 * as long as the read-modify-write is atomic (a synchronous Map access here, a Lua script in Redis).
 */
function gcra(tat: number, now: number, ratePerSecond: number, burst: number) {
  const interval = 1000 / ratePerSecond;
  const tolerance = interval * burst;
  const newTat = Math.max(tat, now) + interval;
  const ahead = newTat - now;
  if (ahead > tolerance) {
    const current = Math.max(tat - now, 0);
    return {
      allowed: false,
      tat,
      decision: {
        allowed: false,
        limit: burst,
        remaining: 0,
        resetSeconds: Math.ceil(current / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil((ahead - tolerance) / 1000)),
      },
    };
  }
  return {
    allowed: true,
    tat: newTat,
    decision: {
      allowed: true,
      limit: burst,
      remaining: Math.floor((tolerance - ahead) / interval),
      resetSeconds: Math.ceil(ahead / 1000),
      retryAfterSeconds: 0,
    },
  };
}

/**
 * This process's part of every limit when several gateway worker processes on one machine decide
 * without Redis: worker `index` of `count`. Each enforces its part on its own, so together they
 * let through exactly the whole (a rate of r per second is r/count each; a burst or quota of n is
 * split so that the parts add up to n). A part is exact in sum, not per caller: a client whose
 * connections all land on one worker meets that worker's part.
 */
export interface LimitShare {
  index: number;
  count: number;
}

/** Worker `index`'s part of `whole`: the floor of an even split, plus one for the first remainder. */
export function partOf(whole: number, share?: LimitShare): number {
  if (!share || share.count <= 1) return whole;
  const base = Math.floor(whole / share.count);
  return base + (share.index < whole % share.count ? 1 : 0);
}

/** In-process GCRA. Idle keys (whose TAT has passed, i.e. full allowance) are swept periodically. */
export class LocalRateLimiter implements RateLimiter {
  private readonly tats = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepIntervalMs = 10_000,
    private readonly share?: LimitShare,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  take(key: string, ratePerSecond: number, burst: number): Promise<RateDecision> {
    return Promise.resolve(this.takeNow(key, ratePerSecond, burst));
  }

  takeNow(key: string, ratePerSecond: number, burst: number): RateDecision {
    const now = this.now();
    const count = this.share && this.share.count > 1 ? this.share.count : 1;
    const result = gcra(this.tats.get(key) ?? now, now, ratePerSecond / count, partOf(burst, this.share));
    if (result.allowed) this.tats.set(key, result.tat);
    return result.decision;
  }

  get size(): number {
    return this.tats.size;
  }

  /** Drops keys at full allowance: an absent key means exactly the same. */
  sweep(): void {
    const now = this.now();
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.tats.clear();
  }
}

/** In-process quota counters; a period's counters are dropped once the period has ended. */
export class LocalQuotaCounter implements QuotaCounter {
  private readonly counts = new Map<string, { used: number; endsAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly share?: LimitShare,
  ) {}

  async consume(key: string, periodKey: string, limit: number): Promise<QuotaDecision> {
    return this.consumeNow(key, periodKey, limit);
  }

  consumeNow(key: string, periodKey: string, whole: number): QuotaDecision {
    const limit = partOf(whole, this.share);
    const now = this.now();
    const id = `${key} ${periodKey}`;
    let entry = this.counts.get(id);
    if (!entry) {
      this.sweep(now);
      entry = { used: 0, endsAt: periodEndMs(periodKey) };
      this.counts.set(id, entry);
    }
    const resetSeconds = Math.max(1, Math.ceil((entry.endsAt - now) / 1000));
    if (entry.used >= limit) return { allowed: false, used: entry.used, remaining: 0, resetSeconds };
    entry.used += 1;
    return { allowed: true, used: entry.used, remaining: limit - entry.used, resetSeconds };
  }

  private sweep(now: number) {
    for (const [id, entry] of this.counts) if (entry.endsAt <= now) this.counts.delete(id);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

/**
 * The same GCRA as a Lua script: atomic in Redis, and the clock is Redis's own `TIME`, so gateway
 * nodes with skewed clocks still agree. Returns {allowed, remaining, resetMs, retryAfterMs}.
 */
const gcraScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local interval = 1000 / rate
local tolerance = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
local newTat = math.max(tat, now) + interval
local ahead = newTat - now
if ahead > tolerance then
  return {0, 0, tostring(math.max(tat - now, 0)), tostring(ahead - tolerance)}
end
redis.call('SET', KEYS[1], tostring(newTat), 'PX', math.ceil(ahead))
return {1, math.floor((tolerance - ahead) / interval), tostring(ahead), '0'}
`;

/**
 * Refuses without counting once the limit is reached (see QuotaCounter); the key expires a day
 * after its period ends, so clock skew between nodes near the month boundary cannot resurrect it.
 */
const quotaScript = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
if used >= limit then return {0, used} end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return {1, used}
`;

interface LimitCommands {
  stpGcra(key: string, rate: string, burst: string): Promise<[number, number, string, string]>;
  stpQuota(key: string, limit: string, expireAt: string): Promise<[number, number]>;
}

type LimitRedis = Redis & LimitCommands;

function defineLimitCommands(redis: Redis): LimitRedis {
  // defineCommand sends EVALSHA and falls back to EVAL once when the script cache is cold.
  redis.defineCommand('stpGcra', { numberOfKeys: 1, lua: gcraScript });
  redis.defineCommand('stpQuota', { numberOfKeys: 1, lua: quotaScript });
  return redis as LimitRedis;
}

export interface RedisLimitOptions {
  /** Key prefix, so tests (and several platforms on one Redis) do not collide. */
  prefix?: string;
  /** Close the connection on close() (true when the limiter created it). */
  ownsConnection?: boolean;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: LimitRedis;
  private readonly prefix: string;

  constructor(
    redis: Redis,
    private readonly options: RedisLimitOptions = {},
  ) {
    this.redis = defineLimitCommands(redis);
    this.prefix = options.prefix ?? 'stp:rl:';
  }

  async take(key: string, ratePerSecond: number, burst: number): Promise<RateDecision> {
    const [allowed, remaining, resetMs, retryMs] = await this.redis.stpGcra(
      this.prefix + key,
      String(ratePerSecond),
      String(burst),
    );
    return {
      allowed: allowed === 1,
      limit: burst,
      remaining,
      resetSeconds: Math.ceil(Number(resetMs) / 1000),
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(Number(retryMs) / 1000)),
    };
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.redis.quit().catch(() => {});
  }
}

export class RedisQuotaCounter implements QuotaCounter {
  private readonly redis: LimitRedis;
  private readonly prefix: string;

  constructor(
    redis: Redis,
    private readonly options: RedisLimitOptions & { now?: () => number } = {},
  ) {
    this.redis = defineLimitCommands(redis);
    this.prefix = options.prefix ?? 'stp:quota:';
  }

  async consume(key: string, periodKey: string, limit: number): Promise<QuotaDecision> {
    const endsAt = periodEndMs(periodKey);
    const [allowed, used] = await this.redis.stpQuota(
      `${this.prefix}${key}:${periodKey}`,
      String(limit),
      String(endsAt + 86_400_000),
    );
    const now = (this.options.now ?? Date.now)();
    return {
      allowed: allowed === 1,
      used,
      remaining: Math.max(0, limit - used),
      resetSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)),
    };
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.redis.quit().catch(() => {});
  }
}

/**
 * What the gateway does while Redis does not answer (STP_RATE_LIMIT_FALLBACK):
 * - `fail-closed` — refuse calls (503 `unavailable`, Retry-After) until Redis is back: no call ever
 *   passes unless the shared limit said so.
 * - `local` — decide in this process meanwhile, with the same GCRA and quota rules: each node
 *   enforces every limit on its own, so N nodes let through up to N times a rate limit, and a
 *   monthly quota may be passed by what the nodes let through during the outage.
 * Either way Redis is asked again as soon as it is back; the decisions made locally are not merged
 * into it.
 */
export type LimitFallback = 'fail-closed' | 'local';

export interface LimitsLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/** Redis is known to be out of reach; the gateway answers 503 in `fail-closed` mode. */
export class LimitsUnavailableError extends Error {
  override name = 'LimitsUnavailableError';
}

/**
 * Whether Redis is worth asking. Before the first connection, commands wait in ioredis's offline
 * queue (bounded by commandTimeout), so a starting node does not refuse its first calls. Once a
 * connection was lost, nobody waits for it: every decision goes to the fallback at once until ioredis
 * reconnects. In `local` mode a command that fails on a live connection (a stalled server, a
 * timeout) also keeps Redis out of the way for `pauseMs`, so a blackholed Redis does not cost every
 * call its timeout; `fail-closed` asks again on the next call, so one slow answer refuses one call.
 */
class RedisHealth {
  private everReady = false;
  private pausedUntil = 0;
  private isDown = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: LimitsLogger | undefined,
    private readonly now: () => number = Date.now,
    private readonly pauseMs = 1000,
  ) {
    redis.on('ready', () => {
      this.everReady = true;
      this.pausedUntil = 0;
      if (this.isDown) this.logger?.info({}, 'Redis is back: rate limits are shared again');
      this.isDown = false;
    });
    redis.on('close', () => this.markDown('the connection to Redis closed'));
    // ioredis reports connection errors here too; without a listener they would be unhandled.
    redis.on('error', () => {});
  }

  get isUsable(): boolean {
    if (this.now() < this.pausedUntil) return false;
    return this.redis.status === 'ready' || !this.everReady;
  }

  /** Before closing on purpose, so that closing is not reported as an outage. */
  stop(): void {
    this.everReady = false;
  }

  failed(error: unknown): void {
    this.pausedUntil = this.now() + this.pauseMs;
    this.markDown(error instanceof Error ? error.message : String(error));
  }

  /** A command answered: if it was thought down without losing its connection, it is back. */
  answered(): void {
    if (!this.isDown) return;
    this.isDown = false;
    this.logger?.info({}, 'Redis is back: rate limits are shared again');
  }

  private markDown(reason: string) {
    if (this.isDown || !this.everReady) return;
    this.isDown = true;
    this.logger?.warn({ reason }, 'Redis is unreachable: rate limits fall back');
  }
}

/**
 * Asks Redis while it answers; when it does not, decides locally (`local`) or refuses at once
 * (`fail-closed`: no local decision given), without waiting on the dead connection again.
 */
async function withFailover<T>(
  health: RedisHealth,
  shared: () => Promise<T>,
  local: (() => T | Promise<T>) | null,
): Promise<T> {
  if (health.isUsable) {
    try {
      const decision = await shared();
      health.answered();
      return decision;
    } catch (error) {
      health.failed(error);
      if (!local) throw error;
    }
  }
  if (!local) throw new LimitsUnavailableError('Redis is unreachable');
  return local();
}

/** Asks Redis while it answers; otherwise refuses (`fail-closed`) or decides locally (`local`). */
class FailoverRateLimiter implements RateLimiter {
  constructor(
    private readonly shared: RateLimiter,
    private readonly health: RedisHealth,
    private readonly local: LocalRateLimiter | null,
  ) {}

  take(key: string, ratePerSecond: number, burst: number): Promise<RateDecision> {
    const local = this.local;
    return withFailover(
      this.health,
      () => this.shared.take(key, ratePerSecond, burst),
      local && (() => local.takeNow(key, ratePerSecond, burst)),
    );
  }

  async close(): Promise<void> {
    await this.local?.close();
  }
}

class FailoverQuotaCounter implements QuotaCounter {
  constructor(
    private readonly shared: QuotaCounter,
    private readonly health: RedisHealth,
    private readonly local: LocalQuotaCounter | null,
  ) {}

  consume(key: string, periodKey: string, limit: number): Promise<QuotaDecision> {
    const local = this.local;
    return withFailover(
      this.health,
      () => this.shared.consume(key, periodKey, limit),
      local && (() => local.consumeNow(key, periodKey, limit)),
    );
  }

  async close(): Promise<void> {
    await this.local?.close();
  }
}

export interface LimitsOptions {
  /** Key prefix in Redis, so tests (and several platforms on one Redis) do not collide. */
  prefix?: string;
  /** What to do while Redis does not answer; default `fail-closed`. */
  fallback?: LimitFallback;
  logger?: LimitsLogger;
  /** This worker's part of each limit when it decides in process (no Redis, or the `local` fallback). */
  localShare?: LimitShare;
}

/**
 * Local limits by default; with a Redis URL, one connection shared by the rate limiter and the
 * quota counter, so every gateway node enforces one limit, and the fallback for when it is lost.
 */
export function createLimits(redisUrl?: string, options: LimitsOptions = {}): Limits {
  const share = options.localShare;
  if (!redisUrl) {
    const rate = new LocalRateLimiter(Date.now, undefined, share);
    const quota = new LocalQuotaCounter(Date.now, share);
    return {
      rate,
      quota,
      close: async () => {
        await rate.close();
        await quota.close();
      },
    };
  }
  // A blackholed Redis must not hang calls: a command that takes longer than this fails, and the
  // fallback decides (it never lets calls through unlimited).
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
    commandTimeout: 250,
    connectTimeout: 2000,
  });
  const prefix = options.prefix ?? 'stp:';
  const isLocal = options.fallback === 'local';
  const health = new RedisHealth(redis, options.logger, Date.now, isLocal ? 1000 : 0);
  const rate = new FailoverRateLimiter(
    new RedisRateLimiter(redis, { prefix: `${prefix}rl:` }),
    health,
    isLocal ? new LocalRateLimiter(Date.now, undefined, share) : null,
  );
  const quota = new FailoverQuotaCounter(
    new RedisQuotaCounter(redis, { prefix: `${prefix}quota:` }),
    health,
    isLocal ? new LocalQuotaCounter(Date.now, share) : null,
  );
  return {
    rate,
    quota,
    close: async () => {
      health.stop();
      await rate.close();
      await quota.close();
      // QUIT would wait in the offline queue for a Redis that is gone.
      if (redis.status === 'ready') await redis.quit().catch(() => {});
      else redis.disconnect();
    },
  };
}
