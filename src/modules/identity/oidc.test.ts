import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { decodeJwt, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { mapToOrganisation, SingleSignOn, safeReturnTo } from './oidc.js';
import { identityProviders, users } from './schema.js';

/**
 * End to end against a real OpenID Connect provider (`oidc-provider`, the certified Node.js
 * implementation) on 127.0.0.1. The browser is played by fetch with a cookie jar; the provider's
 * login step is answered in-process (interactionFinished), and consent is pre-granted.
 */

const platformHost = 'stp.test';
const clientId = 'stp-platform';
const clientSecret = 'a-client-secret-the-platform-must-present';

interface Account {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  /** Released at the UserInfo endpoint only: the ID token carries nothing but `sub`. */
  thinIdToken?: boolean;
}

/** A test OpenID provider whose clients, accounts and token responses the test controls. */
async function startProvider() {
  const store = new Map<string, AdapterPayload>();
  const sessionsByUid = new Map<string, string>();
  const client: AdapterPayload = {
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [] as string[],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  // oidc-provider asks its adapter for clients it does not hold statically: this lets the test
  // register each platform provider entry's callback address once the entry (and its id) exists.
  class TestAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload) {
      store.set(this.key(id), payload);
      if (this.model === 'Session' && payload.uid) sessionsByUid.set(payload.uid, id);
    }
    async find(id: string) {
      if (this.model === 'Client') return id === clientId ? { ...client } : undefined;
      return store.get(this.key(id));
    }
    async findByUid(uid: string) {
      const id = sessionsByUid.get(uid);
      return id ? this.find(id) : undefined;
    }
    async findByUserCode() {
      return undefined;
    }
    async consume(id: string) {
      const payload = store.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId() {}
  }

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, Account>();
  const state = {
    nextAccount: '',
    /** Rewrites the ID token of the next token response (a tampering or confused provider). */
    tamper: undefined as ((idToken: string) => Promise<string>) | undefined,
  };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    adapter: TestAdapter,
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      const { thinIdToken, ...claims } = account;
      return {
        accountId: id,
        // oidc-provider asks for an account's claims once per use: 'id_token' or 'userinfo'.
        claims: async (use: string) =>
          use === 'id_token' && thinIdToken ? { sub: id } : { sub: id, ...claims },
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // Put the scope's claims in the ID token itself, as most enterprise providers do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-cookie-key'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 3600 },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && state.tamper && body?.id_token) {
      body.id_token = await state.tamper(body.id_token);
      state.tamper = undefined;
    }
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      // The provider's login page, answered as if the person signed in as `nextAccount`.
      void (async () => {
        await provider.interactionDetails(req, res);
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: state.nextAccount } },
          { mergeWithLastSubmission: false },
        );
      })().catch((error: Error) => {
        res.statusCode = 500;
        res.end(error.message);
      });
      return;
    }
    callback(req, res);
  });

  /** An ID token the provider's own key signs, with some claims changed. */
  const reissue = (changes: Record<string, unknown>, key: typeof privateKey = privateKey) => {
    return async (idToken: string) =>
      new SignJWT({ ...decodeJwt(idToken), ...changes })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .sign(key);
  };

  return {
    issuer,
    accounts,
    state,
    reissue,
    registerRedirectUri: (uri: string) => (client.redirect_uris as string[]).push(uri),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type TestProvider = Awaited<ReturnType<typeof startProvider>>;

/** The session cookie among the callback's Set-Cookie headers (the other clears the sign-in cookie). */
function sessionCookieOf(response: { headers: Record<string, unknown> }): string {
  const header = response.headers['set-cookie'];
  const lines = Array.isArray(header) ? header : [String(header ?? '')];
  return (lines.find((line: string) => line.startsWith('stp_session=')) ?? '').split(';')[0]!;
}

/** A browser's cookies for the provider: name → value (one host, so paths do not matter here). */
function absorbCookies(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
}

describe.each(dbTargets)('single sign-on with OpenID Connect on %s', (target) => {
  let platform: TestPlatform;
  let idp: TestProvider;
  let operator: string;
  let acme: Tenant;
  let labs: Tenant;
  let providerId: string;
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

  async function createProvider(mapping: object, overrides: object = {}) {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/identity-providers',
      headers: { cookie: operator, host: platformHost },
      payload: {
        name: 'Acme Entra ID',
        issuer: idp.issuer,
        clientId,
        clientSecret,
        // `groups` is the scope under which the test provider releases the claim the mapping reads.
        scopes: ['openid', 'email', 'profile', 'groups'],
        mapping,
        ...overrides,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    idp.registerRedirectUri(created.redirectUri);
    return created;
  }

  /**
   * Plays the browser: starts the sign-in at the platform, follows the provider's redirects through
   * its login step, and stops at the redirect back to the platform's callback.
   */
  async function throughProvider(account: string, options: { returnTo?: string; via?: string } = {}) {
    idp.state.nextAccount = account;
    const query = options.returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(options.returnTo)}`;
    const start = await platform.app.inject({
      url: `/v1/auth/oidc/${options.via ?? providerId}/login${query}`,
      headers: { host: platformHost },
    });
    expect(start.statusCode, start.body).toBe(302);
    const browserCookie = cookieOf(start);
    expect(browserCookie).toMatch(/^stp_oidc=/);
    const jar = new Map<string, string>();
    let location = String(start.headers.location);
    for (let hop = 0; hop < 10 && location.startsWith(idp.issuer); hop++) {
      const response = await fetch(location, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      absorbCookies(jar, response);
      const next = response.headers.get('location');
      if (!next)
        throw new Error(`the provider stopped at ${location}: ${response.status} ${await response.text()}`);
      location = new URL(next, location).href;
    }
    const callback = new URL(location);
    expect(callback.host).toBe(platformHost);
    return { callbackPath: `${callback.pathname}${callback.search}`, browserCookie };
  }

  async function callBack(flow: { callbackPath: string; browserCookie: string }) {
    return platform.app.inject({
      url: flow.callbackPath,
      headers: { host: platformHost, cookie: flow.browserCookie },
    });
  }

  async function signInVia(account: string, options: { returnTo?: string; via?: string } = {}) {
    return callBack(await throughProvider(account, options));
  }

  async function usersWithEmail(email: string): Promise<number> {
    const [row] = await platform.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    return row!.n;
  }

  async function lastRefusal() {
    // Newest first.
    const entries = await platform.audit.list({ action: 'session.create', limit: 50 });
    return entries.find((e) => e.decision === 'deny');
  }

  beforeAll(async () => {
    idp = await startProvider();
    idp.accounts.set('alice', { email: 'Alice@Acme.test', email_verified: true, name: 'Alice Chan' });
    idp.accounts.set('bob', { email: 'bob@acme.test', email_verified: true, name: 'Bob' });
    idp.accounts.set('carol', { email: 'carol@acme.test', email_verified: true });
    idp.accounts.set('dora', { email: 'dora@acme.test', email_verified: true });
    idp.accounts.set('eve', { email: 'eve@elsewhere.test', email_verified: true, name: 'Eve' });
    idp.accounts.set('mallory', { email: 'mallory@acme.test', email_verified: false });
    idp.accounts.set('hana', {
      email: 'hana@acme.test',
      email_verified: true,
      name: 'Hana',
      thinIdToken: true,
    });
    idp.accounts.set('ivan', { email: 'ivan@acme.test', email_verified: false, thinIdToken: true });
    idp.accounts.set('gina', { email: 'gina@gmail.test', email_verified: true, groups: ['lab-analysts'] });
    platform = await createTestPlatform(target, { clock });
    operator = await operatorCookie(platform);
    acme = await createTenant(platform, { kinds: ['consumer'], name: 'Acme Analytics' });
    labs = await createTenant(platform, { kinds: ['provider'], name: 'Harbour Labs' });
    const created = await createProvider({
      domains: [{ domain: 'acme.test', orgId: acme.orgId, role: 'member' }],
      claim: { name: 'groups', values: [{ value: 'lab-analysts', orgId: labs.orgId, role: 'admin' }] },
    });
    providerId = created.id;
  }, 30_000);
  afterAll(async () => {
    await platform?.dispose();
    await idp?.close();
  });

  describe('operators configure providers', () => {
    it('stores the client secret but never shows it again', async () => {
      const list = await platform.app.inject({
        url: '/v1/identity-providers',
        headers: { cookie: operator },
      });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(clientSecret);
      const [entry] = list.json().items;
      expect(entry).toMatchObject({ id: providerId, issuer: idp.issuer, clientId, disabledAt: null });
      expect(entry.clientSecret).toBeUndefined();
      expect(entry.clientSecretSealed).toBeUndefined();
      const one = await platform.app.inject({
        url: `/v1/identity-providers/${providerId}`,
        headers: { cookie: operator },
      });
      expect(one.body).not.toContain(clientSecret);
      const [row] = await platform.database.db
        .select({ sealed: identityProviders.clientSecretSealed })
        .from(identityProviders)
        .where(eq(identityProviders.id, providerId));
      expect(row!.sealed).not.toContain(clientSecret);
    });

    it('lets only operators configure them', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/identity-providers',
        headers: acme.headers,
        payload: {
          name: 'mine',
          issuer: idp.issuer,
          clientId,
          clientSecret,
          mapping: { domains: [{ domain: 'acme.test', orgId: acme.orgId, role: 'owner' }] },
        },
      });
      expect(response.statusCode).toBe(403);
      const list = await platform.app.inject({ url: '/v1/identity-providers', headers: acme.headers });
      expect(list.statusCode).toBe(403);
    });

    it('refuses a mapping to an organisation that does not exist', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/identity-providers',
        headers: { cookie: operator },
        payload: {
          name: 'x',
          issuer: idp.issuer,
          clientId,
          clientSecret,
          mapping: {
            domains: [{ domain: 'x.test', orgId: 'org_00000000000000000000000000', role: 'member' }],
          },
        },
      });
      expect(problemOf(response)).toMatchObject({ status: 400, code: 'validation-failed' });
      expect(response.json().detail).toContain('org_00000000000000000000000000');
    });

    it('refuses issuers on private networks unless private fetches are allowed', async () => {
      const strict = new SingleSignOn({
        db: platform.database.db,
        clock,
        audit: platform.audit,
        identity: platform.identity,
        secretKey: Buffer.alloc(32, 1),
        allowPrivateFetch: false,
      });
      const input = {
        name: 'internal',
        clientId,
        clientSecret,
        mapping: { domains: [{ domain: 'acme.test', orgId: acme.orgId, role: 'member' as const }] },
      };
      await expect(
        strict.createProvider(platform.operator, { ...input, issuer: 'https://127.0.0.1:8443' }),
      ).rejects.toMatchObject({ code: 'validation-failed', message: expect.stringContaining('loopback') });
      await expect(
        strict.createProvider(platform.operator, { ...input, issuer: 'http://idp.example.com' }),
      ).rejects.toMatchObject({ code: 'validation-failed', message: expect.stringContaining('https') });
    });
  });

  describe('people sign in', () => {
    it('signs a new person in, provisions them in the mapped organisation and role, and opens a session', async () => {
      const response = await signInVia('alice', { returnTo: '/datasets?tab=mine#top' });
      expect(response.statusCode, response.body).toBe(302);
      expect(response.headers.location).toBe('/datasets?tab=mine#top');
      const session = sessionCookieOf(response);
      expect(session).toMatch(/^stp_session=stp_ses_/);
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie: session } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({
        user: { email: 'alice@acme.test', name: 'Alice Chan' },
        organisation: { id: acme.orgId },
        role: 'member',
        principal: { type: 'session' },
      });
      const userId = me.json().user.id;
      const entries = await platform.audit.list({ limit: 200 });
      const actions = entries
        .filter((e) => e.objectId === userId || e.actorId === userId)
        .map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'user.create',
          'identity-link.create',
          'membership.create',
          'session.create',
        ]),
      );
      const signIn = entries.find((e) => e.action === 'session.create' && e.actorId === userId);
      expect(signIn).toMatchObject({ decision: 'allow', data: { method: 'oidc', providerId } });
    });

    it('recognises the same provider account next time instead of creating another user', async () => {
      const response = await signInVia('alice');
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/');
      expect(await usersWithEmail('alice@acme.test')).toBe(1);
    });

    it('maps by claim value: a group sends a person to its organisation with its role', async () => {
      const response = await signInVia('gina');
      expect(response.statusCode, response.body).toBe(302);
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie: sessionCookieOf(response) } });
      expect(me.json()).toMatchObject({ organisation: { id: labs.orgId }, role: 'admin' });
    });

    it('keeps local passwords working, and gives provisioned people none', async () => {
      const local = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'alice@acme.test', password: 'correct horse battery staple' },
      });
      expect(problemOf(local).code).toBe('invalid-credentials');
      const me = await platform.app.inject({ url: '/v1/me', headers: acme.headers });
      expect(me.statusCode).toBe(200);
    });
  });

  describe('refusals', () => {
    it('refuses a replayed state', async () => {
      const flow = await throughProvider('bob');
      expect((await callBack(flow)).statusCode).toBe(302);
      const replay = await callBack(flow);
      expect(problemOf(replay)).toMatchObject({ status: 400, code: 'sso-state-invalid' });
      expect(replay.headers['set-cookie']).toBeUndefined();
      expect(await lastRefusal()).toMatchObject({
        reason: expect.stringContaining('already used'),
        data: { method: 'oidc', code: 'sso-state-invalid' },
      });
    });

    it('refuses an unknown state and a callback carried to another browser', async () => {
      const unknown = await platform.app.inject({
        url: `/v1/auth/oidc/${providerId}/callback?code=abc&state=forged`,
        headers: { host: platformHost },
      });
      expect(problemOf(unknown)).toMatchObject({ status: 400, code: 'sso-state-invalid' });
      const flow = await throughProvider('carol');
      const elsewhere = await platform.app.inject({
        url: flow.callbackPath,
        headers: { host: platformHost },
      });
      expect(problemOf(elsewhere)).toMatchObject({ status: 400, code: 'sso-state-invalid' });
      expect(problemOf(elsewhere).detail).toContain('another browser');
      expect(await usersWithEmail('carol@acme.test')).toBe(0);
    });

    it('refuses an ID token issued to another client (wrong audience)', async () => {
      idp.state.tamper = idp.reissue({ aud: 'someone-elses-app' });
      const response = await signInVia('dora');
      expect(problemOf(response)).toMatchObject({ status: 401, code: 'sso-token-invalid' });
      expect(problemOf(response).detail).toContain('aud');
      expect(await usersWithEmail('dora@acme.test')).toBe(0);
      expect(await lastRefusal()).toMatchObject({ reason: expect.stringContaining('aud') });
    });

    it("refuses an ID token not signed by the provider's keys", async () => {
      const { privateKey: forger } = await generateKeyPair('RS256');
      idp.state.tamper = idp.reissue({}, forger);
      const response = await signInVia('dora');
      expect(problemOf(response)).toMatchObject({ status: 401, code: 'sso-token-invalid' });
      expect(await usersWithEmail('dora@acme.test')).toBe(0);
    });

    it('refuses an ID token with the wrong nonce', async () => {
      idp.state.tamper = idp.reissue({ nonce: 'not-the-one-we-sent' });
      const response = await signInVia('dora');
      expect(problemOf(response)).toMatchObject({ status: 401, code: 'sso-token-invalid' });
      expect(problemOf(response).detail).toContain('nonce');
    });

    it('refuses an expired ID token (the platform clock is past its exp)', async () => {
      // The provider's tokens live an hour; the platform's clock runs two hours ahead.
      clock.offsetMs = 2 * 3_600_000;
      try {
        const response = await signInVia('dora');
        expect(problemOf(response)).toMatchObject({ status: 401, code: 'sso-token-invalid' });
        expect(problemOf(response).detail).toContain('exp');
      } finally {
        clock.offsetMs = 0;
      }
      expect(await usersWithEmail('dora@acme.test')).toBe(0);
    });

    it('refuses a person whose domain maps to no organisation, and creates nothing', async () => {
      const before = await platform.database.db.select({ n: sql<number>`count(*)::int` }).from(users);
      const response = await signInVia('eve');
      expect(problemOf(response)).toMatchObject({ status: 403, code: 'sso-user-unmapped' });
      expect(problemOf(response).detail).toContain('elsewhere.test');
      const after = await platform.database.db.select({ n: sql<number>`count(*)::int` }).from(users);
      expect(after[0]!.n).toBe(before[0]!.n);
      expect(await usersWithEmail('eve@elsewhere.test')).toBe(0);
      expect(await lastRefusal()).toMatchObject({
        decision: 'deny',
        reason: expect.stringContaining('elsewhere.test'),
        data: { code: 'sso-user-unmapped', email: 'eve@elsewhere.test' },
      });
    });

    it('refuses an e-mail address the provider has not verified', async () => {
      const response = await signInVia('mallory');
      expect(problemOf(response)).toMatchObject({ status: 403, code: 'sso-email-unverified' });
      expect(await usersWithEmail('mallory@acme.test')).toBe(0);
    });

    it('asks the UserInfo endpoint when the ID token carries no e-mail', async () => {
      const flow = await throughProvider('hana');
      const response = await callBack(flow);
      expect(response.statusCode, response.body).toBe(302);
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie: sessionCookieOf(response) } });
      expect(me.json()).toMatchObject({
        user: { email: 'hana@acme.test', name: 'Hana' },
        organisation: { id: acme.orgId },
      });
    });

    it('still requires a verified e-mail when it comes from the UserInfo endpoint', async () => {
      const response = await signInVia('ivan');
      expect(problemOf(response)).toMatchObject({ status: 403, code: 'sso-email-unverified' });
      expect(await usersWithEmail('ivan@acme.test')).toBe(0);
    });

    it.each(['//evil.test', 'https://evil.test', '/\\evil.test', 'javascript:alert(1)'])(
      'sends returnTo=%s to / instead (no open redirect)',
      async (returnTo) => {
        const response = await signInVia('alice', { returnTo });
        expect(response.statusCode, response.body).toBe(302);
        expect(response.headers.location).toBe('/');
      },
    );

    it('stops sign-ins through a disabled provider', async () => {
      const extra = await createProvider({
        domains: [{ domain: 'acme.test', orgId: acme.orgId, role: 'member' }],
      });
      const disabled = await platform.app.inject({
        method: 'POST',
        url: `/v1/identity-providers/${extra.id}/disable`,
        headers: { cookie: operator },
      });
      expect(disabled.json().disabledAt).not.toBeNull();
      const start = await platform.app.inject({ url: `/v1/auth/oidc/${extra.id}/login` });
      expect(problemOf(start).status).toBe(404);
    });
  });
});

describe('mapping and returnTo rules', () => {
  const mapping = {
    domains: [
      { domain: 'acme.test', orgId: 'org_a', role: 'member' as const },
      { domain: 'labs.test', orgId: 'org_b', role: 'admin' as const },
    ],
    claim: { name: 'groups', values: [{ value: 'auditors', orgId: 'org_c', role: 'member' as const }] },
  };

  it('prefers a matching claim value over the e-mail domain, and matches domains exactly', () => {
    expect(mapToOrganisation(mapping, { email: 'a@acme.test', groups: ['x', 'auditors'] })).toMatchObject({
      orgId: 'org_c',
    });
    expect(mapToOrganisation(mapping, { email: 'a@acme.test', groups: 'auditors' })?.orgId).toBe('org_c');
    expect(mapToOrganisation(mapping, { email: 'a@labs.test' })).toMatchObject({
      orgId: 'org_b',
      role: 'admin',
    });
    expect(mapToOrganisation(mapping, { email: 'a@sub.acme.test' })).toBeNull();
    expect(mapToOrganisation(mapping, { email: 'a@acme.test.evil' })).toBeNull();
  });

  it('keeps only same-origin paths', () => {
    expect(safeReturnTo('/datasets/ds_1?x=1')).toBe('/datasets/ds_1?x=1');
    for (const bad of [
      '//evil.test',
      '///evil.test',
      '/\\evil.test',
      'https://evil.test',
      'evil',
      '/\t/evil.test',
      '',
    ]) {
      expect(safeReturnTo(bad)).toBe('/');
    }
    expect(safeReturnTo(undefined)).toBe('/');
  });
});
