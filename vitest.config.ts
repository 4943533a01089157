import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/sequencer.js';

export default defineConfig({
  test: {
    // Once per run: builds dist/ and the portal when their sources changed, and migrates the
    // PGlite template every test platform starts from.
    globalSetup: ['test/global-setup.ts'],
    // In every worker: the test-only password hashing cost.
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // Two cores: more workers only make PGlite instances compete.
    maxWorkers: 2,
    // The longest files start first (test/durations.json), so the two workers finish together.
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // `npm test` runs all three; `npm test -- --project server` (or a file path) runs a part.
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // The server suites share nothing at module level but the platform's code, so a worker
          // keeps it loaded from one file to the next instead of importing it again per file (a
          // third of the suite's CPU went to re-imports). Each file still makes its own platforms.
          isolate: false,
        },
      },
      {
        extends: true,
        // Portal component tests stub globals (fetch) in jsdom: each file gets a fresh module graph.
        test: { name: 'portal', include: ['web/src/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        test: { name: 'journeys', include: ['web/e2e/**/*.test.ts'], isolate: false },
      },
    ],
  },
});
