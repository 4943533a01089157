/**
 * Failpoints: named places where a crash test freezes the process in the middle of a change, so it
 * can prove what a `kill -9` at that moment leaves behind (test/faults-crash.test.ts). They are armed
 * only by `STP_FAILPOINTS` (comma-separated names) and are unset in every real deployment, where the
 * platform passes none and the code paths below are a single `undefined` check.
 *
 * Reaching an armed point writes `failpoint reached: <name>` to stderr and then waits forever,
 * holding whatever is held there (an open transaction, the ledger lock, a key in a temp file) until
 * the test sends SIGKILL. Waiting rather than exiting keeps the kill in the test's hands: the process
 * dies exactly as it would to an operator's `kill -9`, at a moment the test chose, not a timer.
 *
 * The names:
 * - `ledger.append:<action>` — inside the transaction of any change whose ledger entry has that
 *   action (`access-request.approve`, `credential.rotate`, `gateway.calls.commit`,
 *   `dataset.version.create`, …), after the change's rows and its entry are written, before commit.
 * - `oauth.signing-key.recorded` — a new OAuth signing key is written aside and its ledger entry
 *   committed, but the key is not yet in place.
 * - `idempotency.committed` — a request with an Idempotency-Key has committed its change and its
 *   answer, which has not been sent yet (src/http/idempotency.ts).
 */
export interface Failpoints {
  /** Stops here for good when `name` is armed; resolves at once otherwise. */
  reach(name: string): Promise<void>;
}

/** Parses `STP_FAILPOINTS`: names separated by commas, blanks ignored. */
export function parseFailpointNames(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/** Failpoints for the given names, or undefined when there are none (what production runs with). */
export function createFailpoints(
  names: readonly string[],
  announce: (line: string) => void = (line) => process.stderr.write(line),
): Failpoints | undefined {
  if (names.length === 0) return undefined;
  const armed = new Set(names);
  return {
    reach(name) {
      if (!armed.has(name)) return Promise.resolve();
      announce(`failpoint reached: ${name}\n`);
      return new Promise<never>(() => {});
    },
  };
}
