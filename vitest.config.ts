import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'web/e2e/**/*.test.ts'],
    // Once per run: builds dist/ and the portal when their sources changed, and migrates the
    // PGlite template every test platform starts from.
    globalSetup: ['test/global-setup.ts'],
    // In every worker: the test-only password hashing cost.
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // Two cores: more workers only make PGlite instances compete.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
