import { appendFileSync } from 'node:fs';

/**
 * What the reliability and security tests tried, for docs/reliability.md: when
 * `scripts/reliability-report.ts` runs them it sets STP_RELIABILITY_STATS to a file, and each test
 * appends one JSON line per thing it counts (requests fuzzed, faults injected, queries refused).
 * Unset in an ordinary `npm test`, where this does nothing.
 */
export interface ReliabilityRecord {
  /** Which suite: `fuzz`, `adversarial-queries`, `fault`, … */
  kind: string;
  /** What exactly, in words for the report's table. */
  what: string;
  /** Database or mode it ran on, where that varies. */
  on?: string;
  count: number;
  /** What the test then asserted, in words. */
  held?: string;
  /** Anything else worth a column (a seed, an operation count). */
  details?: Record<string, string | number>;
}

export function recordReliability(record: ReliabilityRecord): void {
  const file = process.env.STP_RELIABILITY_STATS;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
