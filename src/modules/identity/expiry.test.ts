import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  password,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import type { Clock } from '../../clock.js';
import { personalTokens } from './schema.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** Real time plus an offset the test moves forward, so ledger timestamps still advance. */
function movableClock() {
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  return { clock, advance: (ms: number) => (offsetMs += ms) };
}

describe.each(dbTargets)('token and session expiry on %s', (target) => {
  let platform: TestPlatform;
  let tenant: Tenant;
  const time = movableClock();

  beforeAll(async () => {
    // The defaults, spelled out: sessions live 12 hours at most and end after 2 hours unused.
    platform = await createTestPlatform(target, {
      clock: time.clock,
      env: { STP_SESSION_TTL_HOURS: '12', STP_SESSION_IDLE_MINUTES: '120' },
    });
    tenant = await createTenant(platform);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  const signIn = async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: tenant.email, password },
    });
    expect(response.statusCode).toBe(200);
    return {
      cookie: String(response.headers['set-cookie']).split(';')[0]!,
      expiresAt: Date.parse(response.json().expiresAt),
    };
  };
  const me = (headers: Record<string, string>) => platform.app.inject({ url: '/v1/me', headers });
  const createToken = async (payload: Record<string, unknown>) => {
    const { cookie } = await signIn();
    return platform.app.inject({ method: 'POST', url: '/v1/tokens', headers: { cookie }, payload });
  };

  describe('personal access tokens', () => {
    it('expire after 90 days when no lifetime is asked for, then answer 401 problem+json', async () => {
      const created = await createToken({ name: 'default lifetime' });
      expect(created.statusCode).toBe(201);
      const { token, secret } = created.json();
      const lifetime = Date.parse(token.expiresAt) - time.clock.now().getTime();
      expect(Math.abs(lifetime - 90 * day)).toBeLessThan(minute);
      const bearer = { authorization: `Bearer ${secret}` };
      time.advance(89 * day);
      expect((await me(bearer)).statusCode).toBe(200);
      time.advance(day + minute);
      const expired = await me(bearer);
      expect(problemOf(expired)).toMatchObject({ status: 401, code: 'unauthenticated' });
      expect(problemOf(expired).detail).toContain('expired');
    });

    it('live as long as asked, up to 365 days, and no longer', async () => {
      const year = await createToken({ name: 'a year', expiresInDays: 365 });
      expect(year.statusCode).toBe(201);
      const beyond = await createToken({ name: 'too long', expiresInDays: 366 });
      expect(problemOf(beyond)).toMatchObject({ status: 400, code: 'validation-failed' });
      expect(problemOf(beyond).detail).toBe('body/expiresInDays: must be <= 365');
      const { secret } = (await createToken({ name: 'a week', expiresInDays: 7 })).json();
      time.advance(7 * day + minute);
      expect((await me({ authorization: `Bearer ${secret}` })).statusCode).toBe(401);
    });

    it('made before expiry was required (none stored), end a year after they were made', async () => {
      const { token, secret } = (await createToken({ name: 'legacy' })).json();
      const bearer = { authorization: `Bearer ${secret}` };
      const madeAt = new Date(time.clock.now().getTime() - 300 * day);
      await platform.database.db
        .update(personalTokens)
        .set({ expiresAt: null, createdAt: madeAt })
        .where(eq(personalTokens.id, token.id));
      expect((await me(bearer)).statusCode).toBe(200);
      time.advance(65 * day + minute);
      expect((await me(bearer)).statusCode).toBe(401);
    });
  });

  describe('sessions', () => {
    it('end after two hours unused', async () => {
      const { cookie } = await signIn();
      time.advance(2 * hour + minute);
      const response = await me({ cookie });
      expect(problemOf(response)).toMatchObject({ status: 401, code: 'unauthenticated' });
    });

    it('stay open while used: each use moves the idle deadline on', async () => {
      const { cookie } = await signIn();
      // Six hours in all, never two of them unused.
      for (let i = 0; i < 4; i++) {
        time.advance(hour + 30 * minute);
        expect((await me({ cookie })).statusCode).toBe(200);
      }
    });

    it('end 12 hours after sign-in however busy, the time the cookie and the answer give', async () => {
      const { cookie, expiresAt } = await signIn();
      expect(Math.abs(expiresAt - time.clock.now().getTime() - 12 * hour)).toBeLessThan(minute);
      for (let i = 0; i < 11; i++) {
        time.advance(hour);
        expect((await me({ cookie })).statusCode).toBe(200);
      }
      time.advance(hour);
      expect((await me({ cookie })).statusCode).toBe(401);
    });
  });
});
