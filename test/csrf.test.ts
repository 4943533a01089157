import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  password,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';

/** The platform as a browser reaches it in these tests: `Host` names it, `Origin` is compared to it. */
const host = 'stp.test';
const ownOrigin = `http://${host}`;
const evil = 'https://evil.example';

/** What a browser adds to a fetch from the platform's own page (the portal). */
const sameOrigin = { host, origin: ownOrigin, 'sec-fetch-site': 'same-origin' };
/** What a browser adds to a fetch or form post from someone else's page. */
const crossSite = { host, origin: evil, 'sec-fetch-site': 'cross-site' };

function setCookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  return (Array.isArray(header) ? header[0] : header) ?? '';
}

describe.each(dbTargets)('CSRF protection on %s', (target) => {
  let platform: TestPlatform;
  let tenant: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    tenant = await createTenant(platform, { kinds: ['provider'] });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  const createToken = (name: string, headers: Record<string, string>) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { ...tenant.headers, ...headers },
      payload: { name },
    });
  const tokenNames = async () =>
    (
      (await platform.app.inject({ url: '/v1/tokens', headers: tenant.headers })).json().items as {
        name: string;
      }[]
    ).map((token) => token.name);

  it('refuses a cross-site POST carrying the session cookie with 403 csrf-refused, and writes nothing', async () => {
    const response = await createToken('csrf-cross-site', crossSite);
    expect(response.statusCode).toBe(403);
    const problem = problemOf(response);
    expect(problem.code).toBe('csrf-refused');
    expect(problem.detail).toContain('Sec-Fetch-Site: cross-site');
    expect(await tokenNames()).not.toContain('csrf-cross-site');
  });

  it('refuses a foreign Origin when the browser sends no Fetch Metadata, naming both origins', async () => {
    const response = await createToken('csrf-origin', { host, origin: evil });
    expect(problemOf(response)).toMatchObject({ status: 403, code: 'csrf-refused' });
    expect(problemOf(response).detail).toContain(
      `came from ${evil}, not from the platform's own origin ${ownOrigin}`,
    );
    expect(await tokenNames()).not.toContain('csrf-origin');
  });

  it('refuses Origin: null (sandboxed frames, data: pages)', async () => {
    const response = await createToken('csrf-null', { host, origin: 'null' });
    expect(problemOf(response)).toMatchObject({ status: 403, code: 'csrf-refused' });
    expect(problemOf(response).detail).toContain('Origin: null');
    expect(await tokenNames()).not.toContain('csrf-null');
  });

  it('refuses a same-site page (a sibling subdomain) even with a matching-looking Origin', async () => {
    const response = await createToken('csrf-same-site', {
      host,
      origin: `http://blog.${host}`,
      'sec-fetch-site': 'same-site',
    });
    expect(problemOf(response).code).toBe('csrf-refused');
    expect(await tokenNames()).not.toContain('csrf-same-site');
  });

  it('refuses cross-site PUT, PATCH and DELETE too, before reading the body', async () => {
    const patch = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/orgs/${tenant.orgId}`,
      headers: { ...tenant.headers, ...crossSite },
      payload: { description: 'written by evil.example' },
    });
    expect(problemOf(patch).code).toBe('csrf-refused');
    const org = await platform.app.inject({ url: `/v1/orgs/${tenant.orgId}`, headers: tenant.headers });
    expect(org.json().description).not.toBe('written by evil.example');
    const del = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/orgs/${tenant.orgId}/members/${tenant.userId}`,
      headers: { ...tenant.headers, ...crossSite },
    });
    expect(problemOf(del).code).toBe('csrf-refused');
  });

  it("lets the platform's own pages write (Sec-Fetch-Site: same-origin, Origin matching Host)", async () => {
    const response = await createToken('portal', sameOrigin);
    expect(response.statusCode).toBe(201);
    expect(await tokenNames()).toContain('portal');
  });

  it('accepts https on the same host when a TLS proxy is in front that the platform was not told of', async () => {
    const response = await createToken('behind-proxy', { host, origin: `https://${host}` });
    expect(response.statusCode).toBe(201);
  });

  it('lets clients that are not browsers write with the cookie (no Origin, no Sec-Fetch-Site)', async () => {
    expect((await createToken('curl', {})).statusCode).toBe(201);
  });

  it('lets a user-initiated request through (Sec-Fetch-Site: none)', async () => {
    expect((await createToken('typed', { host, 'sec-fetch-site': 'none' })).statusCode).toBe(201);
  });

  it('leaves safe methods alone: a cross-site GET with the cookie reads as usual', async () => {
    const response = await platform.app.inject({
      url: '/v1/me',
      headers: { ...tenant.headers, ...crossSite },
    });
    expect(response.statusCode).toBe(200);
  });

  it('does not apply to bearer-token requests, whatever page they come from', async () => {
    const { secret } = (await createToken('bearer', {})).json();
    const response = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/orgs/${tenant.orgId}`,
      // A browser never attaches a bearer token on its own; a cookie alongside is ignored.
      headers: { authorization: `Bearer ${secret}`, cookie: tenant.cookie, ...crossSite },
      payload: { description: 'set with a token' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().description).toBe('set with a token');
  });

  describe('signing in and registering (login CSRF)', () => {
    it('refuses a sign-in posted from another origin without a session, and sets no cookie', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: crossSite,
        payload: { email: tenant.email, password },
      });
      expect(problemOf(response)).toMatchObject({ status: 403, code: 'csrf-refused' });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('refuses a registration posted from another origin, and creates nothing', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        headers: { host, origin: evil },
        payload: {
          organisation: { name: 'Attacker Holdings', slug: 'attacker-holdings', kinds: ['consumer'] },
          owner: { email: 'attacker@evil.example', name: 'Attacker', password },
        },
      });
      expect(problemOf(response).code).toBe('csrf-refused');
      expect(await platform.identity.findOrganisationBySlug('attacker-holdings')).toBeUndefined();
      expect(await platform.identity.findUserByEmail('attacker@evil.example')).toBeUndefined();
    });

    it('signs in from the portal and from clients that send no Origin', async () => {
      for (const headers of [sameOrigin, {}]) {
        const response = await platform.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          headers,
          payload: { email: tenant.email, password },
        });
        expect(response.statusCode).toBe(200);
      }
    });
  });

  describe('the session cookie', () => {
    it('is HttpOnly, SameSite=Lax, Path=/, with an expiry, and not Secure on plain HTTP', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: tenant.email, password },
      });
      const cookie = setCookieOf(response);
      expect(cookie).toMatch(/^stp_session=stp_ses_/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).toContain('Path=/');
      expect(cookie).not.toMatch(/Domain=/i);
      // Expires is the session's absolute end (the server ends an unused one sooner); to the second.
      const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
      expect(Math.abs(expires - Date.parse(response.json().expiresAt))).toBeLessThan(1000);
      expect(cookie).not.toContain('Secure');
    });

    it('is cleared at sign-out with the same attributes', async () => {
      const login = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: tenant.email, password },
      });
      const cookie = setCookieOf(login).split(';')[0]!;
      const logout = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/logout',
        headers: { cookie },
      });
      expect(logout.statusCode).toBe(204);
      const cleared = setCookieOf(logout);
      expect(cleared).toMatch(/^stp_session=;/);
      expect(cleared).toContain('HttpOnly');
      expect(cleared).toContain('SameSite=Lax');
      expect(cleared).toContain('Path=/');
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    });
  });
});

describe.each(dbTargets)('CSRF protection behind TLS with a public URL on %s', (target) => {
  let platform: TestPlatform;
  let tenant: Tenant;
  const publicUrl = 'https://portal.stp.test';

  beforeAll(async () => {
    platform = await createTestPlatform(target, {
      env: { STP_SECURE_COOKIES: '1', STP_PUBLIC_URL: `${publicUrl}/` },
    });
    tenant = await createTenant(platform);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  const post = (origin: string, requestHost: string) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { ...tenant.headers, host: requestHost, origin },
      payload: { name: `from ${origin}` },
    });

  it('marks the session cookie Secure', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: tenant.email, password },
    });
    expect(setCookieOf(response)).toContain('Secure');
  });

  it('takes the public URL as its own origin, whatever Host a proxy forwards', async () => {
    expect((await post(publicUrl, '10.0.0.5:8080')).statusCode).toBe(201);
    const byHost = await post('http://10.0.0.5:8080', '10.0.0.5:8080');
    expect(problemOf(byHost).code).toBe('csrf-refused');
    expect(problemOf(byHost).detail).toContain(`not from the platform's own origin ${publicUrl}`);
  });

  it('does not take plain http on the public host for its https origin', async () => {
    expect(problemOf(await post('http://portal.stp.test', 'portal.stp.test')).code).toBe('csrf-refused');
  });
});
