import { and, eq, lte, or, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type LoginThrottleScope, loginThrottle } from './schema.js';
import { hashSecret } from './secrets.js';

export interface LoginThrottleLimits {
  windowMs: number;
  /** Guessing one person's password: few tries, since a person mistypes a handful of times at most. */
  failuresPerEmail: number;
  /** Spraying one common password across many accounts from one address. */
  failuresPerIp: number;
}

/** OWASP's authentication guidance: a small number of failures per account in a short window. */
export const defaultLoginThrottleLimits: LoginThrottleLimits = {
  windowMs: 15 * 60_000,
  failuresPerEmail: 5,
  failuresPerIp: 50,
};

/**
 * Password-reset requests, counted per e-mail and per IP whether or not an account has the address:
 * a mailbox is not flooded with links, and the ledger not with requests.
 */
export const passwordResetThrottleLimits: LoginThrottleLimits = {
  windowMs: 15 * 60_000,
  failuresPerEmail: 3,
  failuresPerIp: 20,
};

export interface LoginAttempt {
  /** Normalised (trimmed, lower case). */
  email: string;
  ip?: string;
}

/**
 * Limits failed password sign-ins per e-mail address and per client IP, in fixed windows that start
 * at the first failure. Counters live in the database so every node of the control plane shares
 * them. The e-mail is counted whether or not an account has it, so the answers are the same for
 * known and unknown addresses (no account enumeration). A refused attempt is not counted: it would
 * only push the window further for the person who owns the address.
 */
export class LoginThrottle {
  private readonly limits: LoginThrottleLimits;

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      limits?: LoginThrottleLimits;
      /**
       * What is counted, when not failed sign-ins: its counters are kept apart from the sign-in
       * counters (the subject hash is taken over `purpose:subject`), so one never uses up the other.
       */
      purpose?: { name: string; refusal: string };
    },
  ) {
    this.limits = deps.limits ?? defaultLoginThrottleLimits;
  }

  /** Throws `rate-limited` with `retryAfterSeconds` when the e-mail's or the IP's failures are used up. */
  async check(attempt: LoginAttempt): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const subjects = this.subjectsOf(attempt);
    const rows = await this.deps.db
      .select()
      .from(loginThrottle)
      .where(
        or(
          ...subjects.map((s) =>
            and(eq(loginThrottle.scope, s.scope), eq(loginThrottle.subjectHash, s.hash)),
          ),
        ),
      );
    let retryAfterMs = 0;
    for (const row of rows) {
      const endsAt = row.windowStartedAt.getTime() + this.limits.windowMs;
      if (endsAt <= now || row.failures < this.limitOf(row.scope)) continue;
      retryAfterMs = Math.max(retryAfterMs, endsAt - now);
    }
    if (retryAfterMs > 0) {
      const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
      throw new AppError(
        'rate-limited',
        `${this.deps.purpose?.refusal ?? 'too many failed sign-ins'} for this e-mail address or from this network address; try again in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }

  /** Counts one wrong e-mail or password against both the e-mail and the IP. */
  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const now = this.deps.clock.now();
    const windowStart = new Date(now.getTime() - this.limits.windowMs).toISOString();
    const nowIso = now.toISOString();
    await this.deps.db.transaction(async (tx) => {
      // Windows that have ended count for nothing: dropping them keeps the table to the last minutes.
      await tx.delete(loginThrottle).where(lte(loginThrottle.windowStartedAt, new Date(windowStart)));
      for (const subject of this.subjectsOf(attempt)) {
        // One statement, so concurrent failures on several nodes are all counted.
        await tx
          .insert(loginThrottle)
          .values({ scope: subject.scope, subjectHash: subject.hash, failures: 1, windowStartedAt: now })
          .onConflictDoUpdate({
            target: [loginThrottle.scope, loginThrottle.subjectHash],
            set: {
              failures: sql`case when ${loginThrottle.windowStartedAt} <= ${windowStart}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
              windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} <= ${windowStart}::timestamptz then ${nowIso}::timestamptz else ${loginThrottle.windowStartedAt} end`,
            },
          });
      }
    });
  }

  /** A successful sign-in forgives the e-mail's failures (not the IP's: one success must not reset a spray). */
  async clear(executor: Executor, email: string): Promise<void> {
    await executor
      .delete(loginThrottle)
      .where(and(eq(loginThrottle.scope, 'email'), eq(loginThrottle.subjectHash, this.hashOf(email))));
  }

  private limitOf(scope: LoginThrottleScope): number {
    return scope === 'email' ? this.limits.failuresPerEmail : this.limits.failuresPerIp;
  }

  private subjectsOf(attempt: LoginAttempt): { scope: LoginThrottleScope; hash: string }[] {
    const subjects: { scope: LoginThrottleScope; hash: string }[] = [
      { scope: 'email', hash: this.hashOf(attempt.email) },
    ];
    if (attempt.ip) subjects.push({ scope: 'ip', hash: this.hashOf(attempt.ip) });
    return subjects;
  }

  private hashOf(subject: string): string {
    const purpose = this.deps.purpose?.name;
    return hashSecret(purpose ? `${purpose}:${subject}` : subject);
  }
}
