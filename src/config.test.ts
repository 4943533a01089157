import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      demo: false,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.adminEmail).toBe('admin@stp.local');
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig({ PORT: '9000', DATA_DIR: '/tmp/a' }, { port: '9100', dataDir: '/tmp/b' });
    expect(config).toMatchObject({ port: 9100, dataDir: '/tmp/b' });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /\/port/],
    [{ DATABASE_URL: 'mysql://x' }, /\/databaseUrl/],
    [{ STP_DEMO: 'maybe' }, /STP_DEMO must be/],
    [{ STP_ADMIN_EMAIL: 'not-an-email' }, /\/adminEmail/],
    [{ STP_ADMIN_PASSWORD: 'short' }, /\/adminPassword/],
    [{ LOG_LEVEL: 'loud' }, /\/logLevel/],
  ])('refuses %o, naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('reliability settings (issue 10)', () => {
  it('defaults to failing closed without Redis, a bounded upstream and a circuit breaker', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimitFallback: 'fail-closed',
      upstreamTimeoutMs: 30_000,
      upstreamConcurrency: 256,
      breakerFailures: 5,
      breakerCooldownMs: 10_000,
      failpoints: [],
    });
  });

  it('reads the fallback mode, the upstream bounds and the failpoints', () => {
    const config = loadConfig({
      STP_RATE_LIMIT_FALLBACK: 'local',
      STP_UPSTREAM_TIMEOUT_MS: '2000',
      STP_UPSTREAM_CONCURRENCY: '8',
      STP_BREAKER_FAILURES: '3',
      STP_BREAKER_COOLDOWN_MS: '500',
      STP_FAILPOINTS: 'ledger.append:credential.rotate, oauth.signing-key.recorded',
    });
    expect(config).toMatchObject({
      rateLimitFallback: 'local',
      upstreamTimeoutMs: 2000,
      upstreamConcurrency: 8,
      breakerFailures: 3,
      breakerCooldownMs: 500,
      failpoints: ['ledger.append:credential.rotate', 'oauth.signing-key.recorded'],
    });
  });

  it.each([
    [{ STP_RATE_LIMIT_FALLBACK: 'fail-open' }, /\/rateLimitFallback/],
    [{ STP_UPSTREAM_CONCURRENCY: '0' }, /\/upstreamConcurrency/],
    [{ STP_BREAKER_FAILURES: 'many' }, /\/breakerFailures/],
    [{ STP_UPSTREAM_TIMEOUT_MS: '10' }, /\/upstreamTimeoutMs/],
  ])('refuses %o, naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
