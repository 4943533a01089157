import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { leafData, verifyInclusion } from '../src/modules/gateway/merkle.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  type Tenant,
  type TestPlatform,
} from './harness.js';

/**
 * The API hub end to end, over real sockets: a provider publishes its service, a consumer
 * subscribes, gets a key and an OAuth2 token, and calls through the gateway, which is served on the
 * same port as the control plane but in front of its router.
 */
describe.each(dbTargets)('API hub end to end on %s', (target) => {
  let platform: TestPlatform;
  let upstream: RunningUpstream;
  let base: string;
  let provider: Tenant;
  let consumer: Tenant;
  let hub: Awaited<ReturnType<typeof publishDemoApi>>;
  let key: string;
  let firstRequestId: string;
  const slug = `energy-e2e-${target}`;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    upstream = await startBuildingEnergyUpstream();
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    hub = await publishDemoApi(platform, provider, { slug, upstreamUrl: upstream.url });
    expect((await subscribe(platform, consumer, hub.open.id)).statusCode).toBe(201);
    key = (await createCredential(platform, consumer, 'api-key')).secret;
  });
  afterAll(async () => {
    await platform?.dispose();
    await upstream?.close();
  });

  const call = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/gw/${slug}${path}`, { headers });

  it('proxies a subscribed call with an API key and reports the plan limits', async () => {
    const response = await call('/buildings', { 'x-api-key': key });
    expect(response.status).toBe(200);
    firstRequestId = response.headers.get('x-request-id')!;
    const buildings = (await response.json()) as { id: string }[];
    expect(buildings.map((b) => b.id)).toContain('innocell');
    expect(response.headers.get('ratelimit-limit')).toBe('10');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses operations outside the plan, unknown routes and missing credentials', async () => {
    const energy = await call('/buildings/b15w/energy', { 'x-api-key': key });
    expect(energy.status).toBe(403);
    expect(((await energy.json()) as { code: string }).code).toBe('operation-not-in-plan');
    const unknown = await call('/admin', { 'x-api-key': key });
    expect(unknown.status).toBe(404);
    const anonymous = await call('/buildings');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
  });

  it('accepts an OAuth2 access token from the token endpoint', async () => {
    const client = await createCredential(platform, consumer, 'oauth-client');
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.credential.id}:${client.secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const response = await call('/buildings/b17w', { authorization: `Bearer ${accessToken}` });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { name: string }).name).toBe('Building 17W');
  });

  it('answers a new key, a rotated secret and a new subscription on the very next call', async () => {
    // The response itself waits for the snapshot: the moment it arrives, the gateway holds the client.
    const client = await createCredential(platform, consumer, 'oauth-client', 'held at once');
    expect(platform.gateway.knowsClient(client.credential.id)).toBe(true);
    const { credential, secret } = await createCredential(platform, consumer, 'api-key', 'at once');
    expect((await call('/buildings', { 'x-api-key': secret })).status).toBe(200);
    const rotated = await platform.app.inject({
      method: 'POST',
      url: `/v1/credentials/${credential.id}/rotate`,
      headers: consumer.headers,
      payload: { graceSeconds: 0 },
    });
    expect(rotated.statusCode).toBe(200);
    expect((await call('/buildings', { 'x-api-key': rotated.json().secret })).status).toBe(200);

    const newcomer = await createTenant(platform, { kinds: ['consumer'] });
    const fresh = await createCredential(platform, newcomer, 'api-key');
    expect((await call('/buildings', { 'x-api-key': fresh.secret })).status).toBe(403);
    expect((await subscribe(platform, newcomer, hub.open.id)).statusCode).toBe(201);
    expect((await call('/buildings', { 'x-api-key': fresh.secret })).status).toBe(200);
  });

  it("issues a token that works at once for a client this node's gateway has not loaded yet", async () => {
    // Created through the service, as another node would: no route waited for this gateway.
    const principal = (await platform.identity.principalFor('session', consumer.userId, consumer.orgId, {}))!;
    const client = await platform.access.createCredential(principal, {
      name: 'made elsewhere',
      kind: 'oauth-client',
    });
    expect(platform.gateway.knowsClient(client.credential.id)).toBe(false);
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.credential.id}&client_secret=${encodeURIComponent(client.secret)}`,
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    expect((await call('/buildings', { authorization: `Bearer ${accessToken}` })).status).toBe(200);
  });

  it('stops a revoked key within a second, without a restart', async () => {
    const { credential, secret } = await createCredential(platform, consumer, 'api-key', 'short-lived');
    expect((await call('/buildings', { 'x-api-key': secret })).status).toBe(200);
    const revoked = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/credentials/${credential.id}`,
      headers: consumer.headers,
    });
    expect(revoked.statusCode).toBe(200);
    const started = Date.now();
    let status = 200;
    while (Date.now() - started < 1000) {
      status = (await call('/buildings', { 'x-api-key': secret })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
  });

  it("cuts a suspended organisation's keys and tokens at once, and restores them on approval", async () => {
    const operator = { cookie: await operatorCookie(platform) };
    const client = await createCredential(platform, consumer, 'oauth-client', 'suspension check');
    const suspend = await platform.app.inject({
      method: 'POST',
      url: `/v1/orgs/${consumer.orgId}/suspend`,
      headers: operator,
      payload: { reason: 'unpaid membership' },
    });
    expect(suspend.statusCode).toBe(200);
    await platform.gateway.refresh();
    expect((await call('/buildings', { 'x-api-key': key })).status).toBe(401);
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.credential.id}&client_secret=${encodeURIComponent(client.secret)}`,
    });
    expect(token.status).toBe(401);
    await platform.app.inject({
      method: 'POST',
      url: `/v1/orgs/${consumer.orgId}/approve`,
      headers: operator,
      payload: {},
    });
    await platform.gateway.refresh();
    expect((await call('/buildings', { 'x-api-key': key })).status).toBe(200);
  });

  it('stops a suspended subscription and meters every call into usage and the ledger', async () => {
    await platform.meter.flush();
    const usage = await platform.app.inject({
      url: `/v1/usage?apiId=${hub.api.id}&granularity=day`,
      headers: consumer.headers,
    });
    expect(usage.statusCode).toBe(200);
    const rows = usage.json().items as { calls: number }[];
    expect(rows.reduce((sum, row) => sum + row.calls, 0)).toBeGreaterThanOrEqual(4);
    const providerView = await platform.app.inject({
      url: `/v1/usage?apiId=${hub.api.id}`,
      headers: provider.headers,
    });
    expect(providerView.json().items.length).toBeGreaterThan(0);
    const commits = await platform.audit.list({ action: 'gateway.calls.commit', limit: 5 });
    expect(commits[0]?.data.merkleRoot).toMatch(/^[0-9a-f]{64}$/);

    // Any single call can be proven against the root the ledger holds.
    const proof = await platform.app.inject({
      url: `/v1/usage/calls/${firstRequestId}/proof`,
      headers: consumer.headers,
    });
    expect(proof.statusCode).toBe(200);
    const body = proof.json();
    expect(body.call).toMatchObject({ requestId: firstRequestId, path: '/buildings', status: 200 });
    const [committed] = await platform.audit.list({
      action: 'gateway.calls.commit',
      objectId: body.batchId,
      limit: 1,
    });
    expect(committed?.seq).toBe(body.ledgerSeq);
    expect(committed?.data.merkleRoot).toBe(body.merkleRoot);
    expect(verifyInclusion(leafData(body.call), body.proof, body.merkleRoot)).toBe(true);
    expect(verifyInclusion(leafData({ ...body.call, status: 500 }), body.proof, body.merkleRoot)).toBe(false);
    const stranger = await createTenant(platform, { kinds: ['consumer'] });
    const hidden = await platform.app.inject({
      url: `/v1/usage/calls/${firstRequestId}/proof`,
      headers: stranger.headers,
    });
    expect(hidden.statusCode).toBe(404);

    const [subscription] = (
      await platform.app.inject({
        url: `/v1/subscriptions?as=consumer&apiId=${hub.api.id}`,
        headers: consumer.headers,
      })
    ).json().items as { id: string }[];
    await platform.app.inject({
      method: 'POST',
      url: `/v1/subscriptions/${subscription!.id}/suspend`,
      headers: provider.headers,
      payload: { reason: 'maintenance' },
    });
    await platform.gateway.refresh();
    const refused = await call('/buildings', { 'x-api-key': key });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('subscription-not-active');
  });
});
