import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'web/e2e/**/*.test.ts'],
    // Builds the portal for the browser journeys when its sources changed.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Two cores: more workers only make PGlite instances compete.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
