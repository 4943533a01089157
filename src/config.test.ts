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
