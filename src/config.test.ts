import os from 'node:os';
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
    [{ PORT: '70000' }, /^PORT must be a whole number from 0 to 65535, got "70000"$/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must match \^postgres/],
    [{ STP_DEMO: 'maybe' }, /STP_DEMO must be/],
    [{ STP_ADMIN_EMAIL: 'not-an-email' }, /^STP_ADMIN_EMAIL must be an e-mail address, got "not-an-email"$/],
    [{ STP_ADMIN_PASSWORD: 'short' }, /^STP_ADMIN_PASSWORD must be at least 12 characters long$/],
    [
      { LOG_LEVEL: 'loud' },
      /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/,
    ],
    [
      { STP_QUERY_TIMEOUT_MS: 'soon' },
      /^STP_QUERY_TIMEOUT_MS must be a whole number from 100 to 3600000, got "soon"$/,
    ],
  ])('refuses %o, naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names the flag when a flag gave the value, and never echoes a secret', () => {
    expect(() => loadConfig({}, { port: '70000' })).toThrow(/^--port must be a whole number from 0 to 65535/);
    expect(() => loadConfig({}, { logLevel: 'loud' })).toThrow(/^--log-level must be one of/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db' })).toThrow(
      /^DATABASE_URL must match [^"]*$/,
    );
    expect(() => loadConfig({ STP_ADMIN_PASSWORD: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('lists every refused setting in one line', () => {
    expect(() => loadConfig({ STP_QUERY_TIMEOUT_MS: 'soon', LOG_LEVEL: 'loud' })).toThrow(
      /^LOG_LEVEL must be one of [^\n]+; STP_QUERY_TIMEOUT_MS must be a whole number [^\n]+$/,
    );
  });
});

describe('gateway workers', () => {
  it('runs one per core with PostgreSQL, one on the embedded database, and refuses more there', () => {
    expect(loadConfig({}).gatewayWorkers).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stp' }).gatewayWorkers).toBe(os.availableParallelism());
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stp' }, { workers: '3' }).gatewayWorkers).toBe(3);
    expect(() => loadConfig({ STP_GATEWAY_WORKERS: '2' })).toThrow(
      /^STP_GATEWAY_WORKERS above 1 needs DATABASE_URL/,
    );
    expect(() => loadConfig({}, { workers: '2' })).toThrow(/^--workers above 1 needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/stp', STP_GATEWAY_WORKERS: '0' })).toThrow(
      /^STP_GATEWAY_WORKERS must be a whole number from 1 to 256/,
    );
  });
});

describe('serve workers', () => {
  it('runs one by default, as many as asked with PostgreSQL, and refuses more than one on the embedded database', () => {
    expect(loadConfig({}).serveWorkers).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stp' }).serveWorkers).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stp', STP_SERVE_WORKERS: '2' }).serveWorkers).toBe(2);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/stp' }, { serveWorkers: '3' }).serveWorkers).toBe(3);
    expect(() => loadConfig({ STP_SERVE_WORKERS: '2' })).toThrow(
      /^STP_SERVE_WORKERS above 1 needs DATABASE_URL: the embedded database belongs to one process$/,
    );
    expect(() => loadConfig({}, { serveWorkers: '2' })).toThrow(/^--workers above 1 needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/stp', STP_SERVE_WORKERS: 'many' })).toThrow(
      /^STP_SERVE_WORKERS must be a whole number from 1 to 256, got "many"$/,
    );
  });
});

describe('reliability settings', () => {
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
    [{ STP_RATE_LIMIT_FALLBACK: 'fail-open' }, /^STP_RATE_LIMIT_FALLBACK must be one of fail-closed, local/],
    [{ STP_UPSTREAM_CONCURRENCY: '0' }, /^STP_UPSTREAM_CONCURRENCY must be a whole number from 1 to 100000/],
    [
      { STP_BREAKER_FAILURES: 'many' },
      /^STP_BREAKER_FAILURES must be a whole number from 1 to 1000, got "many"$/,
    ],
    [{ STP_UPSTREAM_TIMEOUT_MS: '10' }, /^STP_UPSTREAM_TIMEOUT_MS must be a whole number from 100 to 600000/],
  ])('refuses %o, naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
