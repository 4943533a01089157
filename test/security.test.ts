import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { ckanActions } from '../src/modules/catalog/ckan-routes.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';

/** Routes that must answer without a principal. Everything else is closed by default. */
const publicRoutes = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'POST /v1/auth/login',
  'POST /v1/auth/register',
  'POST /v1/auth/invitations/accept',
  // A forgotten password: the request answers the same for every address (nothing learnt, throttled);
  // the confirmation does nothing without a single-use, hashed, 30-minute token from the mail
  // (src/modules/identity/account.test.ts checks each).
  'POST /v1/auth/password-reset',
  'POST /v1/auth/password-reset/confirm',
  'POST /oauth/token',
  'GET /.well-known/jwks.json',
  'GET /.well-known/oauth-authorization-server',
  'GET /v1/agreements/terms-schema',
  // The declaration file format's JSON Schema, for editors and CI linting: no organisation's data.
  'GET /v1/declarations/schema',
  // Single sign-on: how an anonymous browser gets a session. The start only redirects to a configured
  // provider; the callback opens nothing without a single-use state bound to that browser and a verified
  // ID token (src/modules/identity/oidc.test.ts checks each refusal).
  'GET /v1/auth/oidc/:providerId/login',
  'GET /v1/auth/oidc/:providerId/callback',
  // Open protocols, public by design. CKAN: anonymous callers see public packages; a token shows more.
  ...ckanActions.flatMap((action) => [`GET /api/3/action/${action}`, `POST /api/3/action/${action}`]),
  // The CKAN API's root: the version it speaks ({"version": 3}), nothing else.
  'GET /api/3',
  // DCAT: the public catalogue for harvesters, and the OpenAPI documents its data services point at.
  'GET /catalog',
  'GET /catalog/apis/:apiId/openapi',
  // Delta Sharing: a recipient's bearer token, not a platform principal, opens these; without one they
  // answer 401 as problem+json carrying the protocol's {errorCode, message} (sharing.test.ts checks each).
  'GET /delta-sharing/shares',
  'GET /delta-sharing/shares/:share',
  'GET /delta-sharing/shares/:share/schemas',
  'GET /delta-sharing/shares/:share/schemas/:schema/tables',
  'GET /delta-sharing/shares/:share/all-tables',
  'GET /delta-sharing/shares/:share/schemas/:schema/tables/:table/version',
  'HEAD /delta-sharing/shares/:share/schemas/:schema/tables/:table',
  'GET /delta-sharing/shares/:share/schemas/:schema/tables/:table/metadata',
  'POST /delta-sharing/shares/:share/schemas/:schema/tables/:table/query',
  'GET /delta-sharing/shares/:share/schemas/:schema/tables/:table/changes',
  // A shared file: opened by a signed, short-lived URL bound to one file and one recipient.
  'GET /delta-sharing/files/:fileId',
]);

function fill(url: string): string {
  return url
    .replace(':orgId', newId('organisation'))
    .replace(':userId', newId('user'))
    .replace(':tokenId', newId('token'))
    .replace(':invitationId', newId('invitation'));
}

describe.each(dbTargets)('authorisation on %s', (target) => {
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  const routes: { method: string; url: string }[] = [];

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    alice = await createTenant(platform, { kinds: ['provider'] });
    bob = await createTenant(platform, { kinds: ['consumer'] });
    // Every route the app has, straight from the router, so a new route cannot slip past this test.
    const printed = platform.app.printRoutes({ commonPrefix: false, method: 'GET' });
    expect(printed.length).toBeGreaterThan(0);
    const doc = (await platform.app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        routes.push({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') });
      }
    }
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('documents every /v1 route in OpenAPI (so the sweep below sees them all)', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it('rejects anonymous callers on every route except health, docs and sign-in', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const response = await platform.app.inject({
        method: route.method as 'GET',
        url: fill(route.url),
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      if (publicRoutes.has(key)) continue;
      if (response.statusCode !== 401) open.push(`${key} → ${response.statusCode}`);
      else expect(problemOf(response).code).toBe('unauthenticated');
    }
    expect(open).toEqual([]);
  });

  it('rejects forged, expired-looking and malformed credentials', async () => {
    for (const authorization of [
      'Bearer stp_pat_forged',
      'Bearer stp_ses_forged',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer',
    ]) {
      const response = await platform.app.inject({ url: '/v1/me', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
    }
    const cookie = await platform.app.inject({
      url: '/v1/me',
      headers: { cookie: 'stp_session=stp_ses_nope' },
    });
    expect(cookie.statusCode).toBe(401);
  });

  it("answers another organisation's objects with 404, as if they did not exist", async () => {
    const attempts = [
      { method: 'GET', url: `/v1/orgs/${alice.orgId}/members` },
      { method: 'GET', url: `/v1/orgs/${alice.orgId}/invitations` },
      {
        method: 'POST',
        url: `/v1/orgs/${alice.orgId}/invitations`,
        payload: { email: 'x@evil.test', role: 'owner' },
      },
      {
        method: 'PATCH',
        url: `/v1/orgs/${alice.orgId}/members/${alice.userId}`,
        payload: { role: 'member' },
      },
      { method: 'DELETE', url: `/v1/orgs/${alice.orgId}/members/${alice.userId}` },
      { method: 'PATCH', url: `/v1/orgs/${alice.orgId}`, payload: { name: 'Taken over' } },
    ] as const;
    for (const attempt of attempts) {
      const response = await platform.app.inject({ ...attempt, headers: bob.headers });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      expect(problemOf(response).code).toBe('not-found');
    }
    // The same calls by Alice herself work: the 404 above is the org check, not a broken route.
    const own = await platform.app.inject({ url: `/v1/orgs/${alice.orgId}/members`, headers: alice.headers });
    expect(own.statusCode).toBe(200);
  });

  it("cannot revoke another user's token by id", async () => {
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: alice.headers,
      payload: { name: 'mine' },
    });
    const tokenId = created.json().token.id as string;
    const response = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/tokens/${tokenId}`,
      headers: bob.headers,
    });
    expect(response.statusCode).toBe(404);
    const still = await platform.app.inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${created.json().secret}` },
    });
    expect(still.statusCode).toBe(200);
  });

  it("shows a member only their own organisation's ledger", async () => {
    const response = await platform.app.inject({
      url: `/v1/audit?orgId=${alice.orgId}&limit=200`,
      headers: bob.headers,
    });
    expect(response.statusCode).toBe(200);
    const orgIds = new Set((response.json().items as { orgId: string }[]).map((e) => e.orgId));
    expect([...orgIds]).toEqual([bob.orgId]);
  });

  it('keeps operator-only actions for operators', async () => {
    const cases = [
      { method: 'POST', url: `/v1/orgs/${alice.orgId}/suspend`, payload: { reason: 'because' } },
      { method: 'PUT', url: `/v1/orgs/${bob.orgId}/location`, payload: { location: 'hong-kong' } },
      { method: 'GET', url: '/v1/users' },
      { method: 'GET', url: '/v1/audit/verify' },
      { method: 'POST', url: '/v1/orgs', payload: { name: 'Operators Two', kinds: ['operator'] } },
    ] as const;
    for (const attempt of cases) {
      const response = await platform.app.inject({ ...attempt, headers: bob.headers });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(403);
      expect(problemOf(response).code).toBe('forbidden');
    }
  });
});
