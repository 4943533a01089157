import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPlatform,
  dbTargets,
  password,
  problemOf,
  type TestPlatform,
} from '../../../test/harness.js';
import type { Clock } from '../../clock.js';

const windowMs = 15 * 60_000;

/** Real time plus an offset the test moves forward, so ledger timestamps still advance. */
function movableClock() {
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  return { clock, advance: (ms: number) => (offsetMs += ms) };
}

describe.each(dbTargets)('login throttling on %s', (target) => {
  let platform: TestPlatform;
  const time = movableClock();
  let counter = 0;

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: time.clock });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  /** A fresh member with a password, and a fresh client IP so tests do not share the IP counter. */
  async function member() {
    counter += 1;
    const org = await platform.identity.createOrganisation(platform.operator, {
      name: `Throttle ${counter} ${Math.random().toString(36).slice(2, 6)}`,
      kinds: ['consumer'],
    });
    const email = `throttle${counter}.${Math.random().toString(36).slice(2, 8)}@tenant.test`;
    await platform.identity.provisionMember(platform.operator, org.id, {
      email,
      name: `Throttled ${counter}`,
      password,
      role: 'owner',
    });
    return { email, ip: `10.0.${counter}.1` };
  }

  function login(email: string, pass: string, ip: string): Promise<LightMyRequestResponse> {
    return platform.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: pass },
      remoteAddress: ip,
    });
  }

  async function failFiveTimes(email: string, ip: string) {
    for (let i = 0; i < 5; i++) {
      const response = await login(email, 'wrong password', ip);
      expect(response.statusCode).toBe(401);
      expect(problemOf(response).code).toBe('invalid-credentials');
    }
  }

  it('refuses the sixth attempt after five wrong passwords with 429 and Retry-After, even with the right password', async () => {
    const { email, ip } = await member();
    await failFiveTimes(email, ip);
    const refused = await login(email, password, ip);
    expect(refused.statusCode).toBe(429);
    expect(problemOf(refused).code).toBe('rate-limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
    expect(refused.headers['set-cookie']).toBeUndefined();
    // From another address too: the limit is on the e-mail, not only the client.
    expect((await login(email, password, '10.99.0.1')).statusCode).toBe(429);
  });

  it('lets the right password in again once the window has passed', async () => {
    const { email, ip } = await member();
    await failFiveTimes(email, ip);
    expect((await login(email, password, ip)).statusCode).toBe(429);
    time.advance(windowMs + 1000);
    const response = await login(email, password, ip);
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeDefined();
  });

  it('answers an unknown e-mail exactly as a known one (no account enumeration)', async () => {
    const known = await member();
    const unknown = {
      email: `nobody.${Math.random().toString(36).slice(2, 8)}@tenant.test`,
      ip: '10.200.0.1',
    };
    const answers = async (who: { email: string; ip: string }) => {
      const seen: { status: number; code: string }[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await login(who.email, 'wrong password', who.ip);
        seen.push({ status: response.statusCode, code: problemOf(response).code });
      }
      const refused = await login(who.email, password, who.ip);
      const problem = problemOf(refused);
      seen.push({ status: refused.statusCode, code: problem.code });
      return { seen, detail: problem.detail, title: problem.title };
    };
    const knownAnswers = await answers(known);
    const unknownAnswers = await answers(unknown);
    expect(knownAnswers.seen.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Retry-After may differ by a second; the detail carries it, so compare everything else.
    expect(unknownAnswers.seen).toEqual(knownAnswers.seen);
    expect(unknownAnswers.title).toBe(knownAnswers.title);
  });

  it('forgives earlier failures after a successful sign-in', async () => {
    const { email, ip } = await member();
    for (let i = 0; i < 4; i++) expect((await login(email, 'wrong password', ip)).statusCode).toBe(401);
    expect((await login(email, password, ip)).statusCode).toBe(200);
    // Without the reset, the second of these would be the sixth failure and refused.
    for (let i = 0; i < 4; i++) expect((await login(email, 'wrong password', ip)).statusCode).toBe(401);
    expect((await login(email, password, ip)).statusCode).toBe(200);
  });

  it('limits one address to 50 failures across many e-mail addresses (password spraying)', async () => {
    const ip = '10.250.0.1';
    for (let i = 0; i < 50; i++) {
      const response = await login(`spray${i}@tenant.test`, 'wrong password', ip);
      expect(response.statusCode).toBe(401);
    }
    const { email } = await member();
    const refused = await login(email, password, ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login(email, password, '10.251.0.1')).statusCode).toBe(200);
  }, 180_000);

  it('does not write throttled attempts to the ledger', async () => {
    const { email, ip } = await member();
    await failFiveTimes(email, ip);
    const before = await platform.audit.head();
    for (let i = 0; i < 10; i++) expect((await login(email, 'wrong password', ip)).statusCode).toBe(429);
    const after = await platform.audit.head();
    expect(after).toEqual(before);
  });
});
