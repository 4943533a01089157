import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredential, publishDemoApi, subscribe } from '../../../test/api-hub.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { gatewayAudience, OAuthServer, tokenIssuer } from './oauth.js';

describe.each(dbTargets)('plans, subscriptions and credentials on %s', (target) => {
  let platform: TestPlatform;
  let provider: Tenant;
  let consumer: Tenant;
  let stranger: Tenant;
  let hub: Awaited<ReturnType<typeof publishDemoApi>>;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    stranger = await createTenant(platform, { kinds: ['consumer'] });
    hub = await publishDemoApi(platform, provider, {
      slug: `energy-${target}`,
      upstreamUrl: 'http://127.0.0.1:9/',
    });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  const post = (tenant: Tenant, url: string, payload: unknown = {}) =>
    platform.app.inject({ method: 'POST', url, headers: tenant.headers, payload: payload as object });

  it('lets only the API owner add plans', async () => {
    const response = await post(consumer, `/v1/apis/${hub.api.id}/plans`, {
      name: 'Mine',
      rateLimitPerSecond: 1,
      burst: 1,
    });
    expect(response.statusCode).toBe(404);
    const plans = await platform.app.inject({
      url: `/v1/apis/${hub.api.id}/plans`,
      headers: consumer.headers,
    });
    expect(plans.json().items.map((p: { name: string }) => p.name)).toEqual(['Open', 'Partner']);
  });

  it('activates a plan without approval at once, and refuses a second subscription to the same API', async () => {
    const first = await subscribe(platform, consumer, hub.open.id);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      state: 'active',
      orgId: consumer.orgId,
      providerOrgId: provider.orgId,
    });
    const second = await subscribe(platform, consumer, hub.partner.id);
    expect(second.statusCode).toBe(409);
    expect(problemOf(second).code).toBe('already-exists');
  });

  it('walks an approval plan through pending, approval, suspension, resumption and revocation, all in the ledger', async () => {
    const requested = await subscribe(platform, stranger, hub.partner.id);
    expect(requested.json().state).toBe('pending');
    const id = requested.json().id as string;

    const selfApproved = await post(stranger, `/v1/subscriptions/${id}/approve`);
    expect(selfApproved.statusCode).toBe(403);
    const approved = await post(provider, `/v1/subscriptions/${id}/approve`);
    expect(approved.json().state).toBe('active');
    const again = await post(provider, `/v1/subscriptions/${id}/approve`);
    expect(again.statusCode).toBe(409);
    const noReason = await post(provider, `/v1/subscriptions/${id}/suspend`);
    expect(problemOf(noReason).detail).toMatch(/reason/);
    expect(
      (await post(provider, `/v1/subscriptions/${id}/suspend`, { reason: 'unpaid invoice' })).json().state,
    ).toBe('suspended');
    expect((await post(provider, `/v1/subscriptions/${id}/resume`)).json().state).toBe('active');
    expect(
      (await post(stranger, `/v1/subscriptions/${id}/revoke`, { reason: 'project ended' })).json().state,
    ).toBe('revoked');

    const ledger = await platform.audit.list({ objectId: id, limit: 20 });
    expect(ledger.map((e) => e.action).reverse()).toEqual([
      'subscription.request',
      'subscription.approve',
      'subscription.suspend',
      'subscription.resume',
      'subscription.revoke',
    ]);
    expect(ledger.find((e) => e.action === 'subscription.suspend')?.reason).toBe('unpaid invoice');
  });

  it('rejects with a reason, and a subscription is invisible to third parties', async () => {
    const third = await createTenant(platform, { kinds: ['consumer'] });
    const requested = await subscribe(platform, third, hub.partner.id);
    const id = requested.json().id as string;
    const peek = await platform.app.inject({ url: `/v1/subscriptions/${id}`, headers: consumer.headers });
    expect(peek.statusCode).toBe(404);
    const rejected = await post(provider, `/v1/subscriptions/${id}/reject`, { reason: 'not a park tenant' });
    expect(rejected.json()).toMatchObject({ state: 'rejected', reason: 'not a park tenant' });
    const inbox = await platform.app.inject({
      url: '/v1/subscriptions?as=provider&state=rejected',
      headers: provider.headers,
    });
    expect(inbox.json().items.map((s: { id: string }) => s.id)).toContain(id);
  });

  it('keeps one open subscription per consumer and API even under concurrent requests', async () => {
    const racer = await createTenant(platform, { kinds: ['consumer'] });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => subscribe(platform, racer, hub.partner.id)),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(4);
  });

  it('leaves the approval to the data owner, not the operator', async () => {
    const asker = await createTenant(platform, { kinds: ['consumer'] });
    const requested = await subscribe(platform, asker, hub.partner.id);
    const operator = { cookie: await operatorCookie(platform) };
    const response = await platform.app.inject({
      method: 'POST',
      url: `/v1/subscriptions/${requested.json().id}/approve`,
      headers: operator,
      payload: {},
    });
    expect(response.statusCode).toBe(403);
  });

  describe('plan changes', () => {
    it('moves Open → Partner only once the provider approves; until then the subscription keeps its plan', async () => {
      const mover = await createTenant(platform, { kinds: ['consumer'] });
      const id = (await subscribe(platform, mover, hub.open.id)).json().id as string;
      const asked = await post(mover, `/v1/subscriptions/${id}/plan-change`, { planId: hub.partner.id });
      expect(asked.statusCode).toBe(200);
      expect(asked.json()).toMatchObject({
        state: 'active',
        planId: hub.open.id,
        pendingPlanId: hub.partner.id,
      });
      // A second request while one waits is refused; the consumer cannot approve its own.
      expect(
        (await post(mover, `/v1/subscriptions/${id}/plan-change`, { planId: hub.partner.id })).statusCode,
      ).toBe(409);
      expect((await post(mover, `/v1/subscriptions/${id}/plan-change/approve`)).statusCode).toBe(403);
      const inbox = await platform.app.inject({
        url: '/v1/subscriptions?as=provider&state=active',
        headers: provider.headers,
      });
      expect(inbox.json().items.find((s: { id: string }) => s.id === id)?.pendingPlanId).toBe(hub.partner.id);
      const approved = await post(provider, `/v1/subscriptions/${id}/plan-change/approve`);
      expect(approved.json()).toMatchObject({ state: 'active', planId: hub.partner.id, pendingPlanId: null });
      expect((await post(provider, `/v1/subscriptions/${id}/plan-change/approve`)).statusCode).toBe(409);

      // Back to Open needs no approval: at once.
      const down = await post(mover, `/v1/subscriptions/${id}/plan-change`, { planId: hub.open.id });
      expect(down.json()).toMatchObject({ planId: hub.open.id, pendingPlanId: null });

      const ledger = await platform.audit.list({ objectId: id, limit: 20 });
      expect(ledger.map((e) => e.action).reverse()).toEqual([
        'subscription.request',
        'subscription.approve',
        'subscription.plan.request',
        'subscription.plan.approve',
        'subscription.plan.change',
      ]);
      const notices = await platform.app.inject({
        url: '/v1/notifications?limit=50',
        headers: mover.headers,
      });
      const kinds = notices.json().items.map((n: { kind: string }) => n.kind);
      expect(kinds).toContain('subscription.plan-changed');
    });

    it('keeps the plan when the provider rejects, with its reason; strangers and other APIs are refused', async () => {
      const mover = await createTenant(platform, { kinds: ['consumer'] });
      const id = (await subscribe(platform, mover, hub.open.id)).json().id as string;
      expect(
        (await post(stranger, `/v1/subscriptions/${id}/plan-change`, { planId: hub.partner.id })).statusCode,
      ).toBe(404);
      expect(
        (await post(provider, `/v1/subscriptions/${id}/plan-change`, { planId: hub.partner.id })).statusCode,
      ).toBe(403);
      const same = await post(mover, `/v1/subscriptions/${id}/plan-change`, { planId: hub.open.id });
      expect(same.statusCode).toBe(409);
      const otherApi = await publishDemoApi(platform, provider, {
        slug: `energy-other-${target}`,
        upstreamUrl: 'http://127.0.0.1:9/',
      });
      const elsewhere = await post(mover, `/v1/subscriptions/${id}/plan-change`, {
        planId: otherApi.partner.id,
      });
      expect(elsewhere.statusCode).toBe(400);
      expect(problemOf(elsewhere).detail).toMatch(/^body\/planId: .* is not a plan of this API/);

      await post(mover, `/v1/subscriptions/${id}/plan-change`, { planId: hub.partner.id });
      const noReason = await post(provider, `/v1/subscriptions/${id}/plan-change/reject`);
      expect(problemOf(noReason).detail).toMatch(/^body\/reason/);
      const rejected = await post(provider, `/v1/subscriptions/${id}/plan-change/reject`, {
        reason: 'partner plan is for park tenants',
      });
      expect(rejected.json()).toMatchObject({ state: 'active', planId: hub.open.id, pendingPlanId: null });
      const [entry] = await platform.audit.list({
        objectId: id,
        action: 'subscription.plan.reject',
        limit: 1,
      });
      expect(entry?.reason).toBe('partner plan is for park tenants');
    });
  });

  it('refuses subscriptions from organisations that are not consumers', async () => {
    const response = await subscribe(platform, provider, hub.open.id);
    expect(response.statusCode).toBe(403);
  });

  it('shows an API key once, lists only its prefix, rotates with a grace window and revokes', async () => {
    const { credential, secret } = await createCredential(platform, consumer, 'api-key', 'backend');
    expect(secret).toMatch(/^stp_key_/);
    expect(secret.startsWith(credential.prefix)).toBe(true);
    const listed = await platform.app.inject({ url: '/v1/credentials', headers: consumer.headers });
    expect(listed.body).not.toContain(secret);

    const rotated = await post(consumer, `/v1/credentials/${credential.id}/rotate`, { graceSeconds: 3600 });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(secret);
    expect(new Date(rotated.json().credential.previousValidUntil).getTime()).toBeGreaterThan(Date.now());
    const snapshot = await platform.access.snapshotCredentials();
    const byId = [...snapshot.apiKeysByHash.values()].filter((c) => c.id === credential.id);
    expect(byId).toHaveLength(2);
    expect(byId.filter((c) => c.validUntil !== null)).toHaveLength(1);

    const foreign = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/credentials/${credential.id}`,
      headers: stranger.headers,
    });
    expect(foreign.statusCode).toBe(404);
    const revoked = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/credentials/${credential.id}`,
      headers: consumer.headers,
    });
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await platform.access.snapshotCredentials();
    expect([...after.apiKeysByHash.values()].some((c) => c.id === credential.id)).toBe(false);
  });

  describe('OAuth2 client credentials', () => {
    let client: { id: string; secret: string };

    beforeAll(async () => {
      const created = await createCredential(platform, consumer, 'oauth-client', 'batch job');
      client = { id: created.credential.id, secret: created.secret };
    });

    const token = (body: string, headers: Record<string, string> = {}) =>
      platform.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: body,
      });

    it('issues a short-lived ES256 JWT with aud, scope and sub that verifies against the JWKS (client_secret_basic)', async () => {
      const basic = Buffer.from(`${client.id}:${encodeURIComponent(client.secret)}`).toString('base64');
      const response = await token('grant_type=client_credentials', { authorization: `Basic ${basic}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json();
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: `api:energy-${target}` });
      expect(decodeProtectedHeader(body.access_token).alg).toBe('ES256');
      const jwks = (await platform.app.inject('/.well-known/jwks.json')).json();
      const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
        issuer: tokenIssuer,
        audience: gatewayAudience,
        algorithms: ['ES256'],
      });
      expect(payload).toMatchObject({ sub: client.id, org: consumer.orgId, scope: `api:energy-${target}` });
      expect(payload.exp! - payload.iat!).toBe(600);
    });

    it("publishes RFC 8414 metadata that openid-client's discovery accepts and can get a token with", async () => {
      const base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
      const configuration = await oidc.discovery(new URL(base), client.id, client.secret, undefined, {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      });
      const metadata = configuration.serverMetadata();
      expect(metadata).toMatchObject({
        issuer: base,
        token_endpoint: `${base}/oauth/token`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        grant_types_supported: ['client_credentials'],
      });
      const tokens = await oidc.clientCredentialsGrant(configuration, { scope: `api:energy-${target}` });
      expect(tokens.token_type).toBe('bearer');
      const keys = (await (await fetch(metadata.jwks_uri!)).json()) as Parameters<
        typeof createLocalJWKSet
      >[0];
      const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(keys), {
        audience: gatewayAudience,
        algorithms: ['ES256'],
      });
      expect(payload.sub).toBe(client.id);
    });

    it('accepts client_secret_post and narrows to a requested scope; refuses scopes it has no subscription for', async () => {
      const ok = await token(
        `grant_type=client_credentials&client_id=${client.id}&client_secret=${encodeURIComponent(client.secret)}&scope=api:energy-${target}`,
      );
      expect(ok.statusCode).toBe(200);
      const bad = await token(
        `grant_type=client_credentials&client_id=${client.id}&client_secret=${encodeURIComponent(client.secret)}&scope=api:someone-else`,
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toBe('invalid_scope');
    });

    it('answers wrong secrets and unknown grants in RFC 6749 §5.2 form', async () => {
      const wrong = await token(`grant_type=client_credentials&client_id=${client.id}&client_secret=nope`);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error).toBe('invalid_client');
      expect(wrong.headers['www-authenticate']).toMatch(/^Basic/);
      const grant = await token(`grant_type=password&client_id=${client.id}&client_secret=x`);
      expect(grant.json().error).toBe('unsupported_grant_type');
      const garbled = await token('grant_type=client_credentials', {
        authorization: `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
      });
      expect(garbled.statusCode).toBe(401);
      expect(garbled.json().error).toBe('invalid_client');
    });

    it('keeps tokens signed before a key rotation verifiable', async () => {
      const before = (
        await token(
          `grant_type=client_credentials&client_id=${client.id}&client_secret=${encodeURIComponent(client.secret)}`,
        )
      ).json().access_token as string;
      const operator = { cookie: await operatorCookie(platform) };
      const rotated = await platform.app.inject({
        method: 'POST',
        url: '/v1/oauth/signing-keys/rotate',
        headers: operator,
      });
      expect(rotated.statusCode).toBe(200);
      const jwks = (await platform.app.inject('/.well-known/jwks.json')).json();
      expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
      await expect(
        jwtVerify(before, createLocalJWKSet(jwks), { audience: gatewayAudience }),
      ).resolves.toBeTruthy();
      const after = (
        await token(
          `grant_type=client_credentials&client_id=${client.id}&client_secret=${encodeURIComponent(client.secret)}`,
        )
      ).json().access_token as string;
      expect(decodeProtectedHeader(after).kid).toBe(rotated.json().kid);
    });

    it('finishes a rotation a crash interrupted only if its ledger entry committed', async () => {
      const dir = path.join(platform.dataDir, 'keys', 'oauth');
      const setAside = async (createdAt: number) => {
        const privateJwk = await exportJWK(
          (await generateKeyPair('ES256', { extractable: true })).privateKey,
        );
        const kid = await calculateJwkThumbprint(privateJwk);
        const file = path.join(dir, `${createdAt}-${kid}.jwk.json.tmp`);
        await writeFile(
          file,
          JSON.stringify({ kid, createdAt, privateJwk: { ...privateJwk, kid, alg: 'ES256' } }),
        );
        return kid;
      };
      const now = Date.now();
      const recorded = await setAside(now + 1);
      const unrecorded = await setAside(now + 2);
      await writeFile(path.join(dir, `${now + 3}-cut-short.jwk.json.tmp`), '{"kid":');
      await platform.audit.record({
        actor: { type: 'system' },
        action: 'oauth.signing-key.rotate',
        object: { type: 'signing-key', id: recorded },
      });
      // What the next start does (src/platform.ts calls init()).
      const restarted = new OAuthServer({
        dataDir: platform.dataDir,
        clock: { now: () => new Date() },
        access: platform.access,
        apis: { visibleApi: async () => Promise.reject(new Error('unused')), slugs: async () => [] },
        audit: platform.audit,
        isActiveOrganisation: async () => true,
      });
      await restarted.init();
      const kids = restarted.jwks().keys.map((key) => key.kid);
      expect(kids).toContain(recorded);
      expect(kids).not.toContain(unrecorded);
      expect((await readdir(dir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    });
  });
});
