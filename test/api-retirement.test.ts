import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogService, type RetirementNotice } from '../src/modules/catalog/service.js';
import { notifications } from '../src/modules/community/schema.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from './harness.js';

/** An upstream that answers every call with 200 and counts what reached it. */
async function startCountingUpstream() {
  let calls = 0;
  const server: Server = createServer((request, response) => {
    calls += 1;
    request.resume();
    response.setHeader('content-type', 'application/json');
    response.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook receiver that answers 204 and keeps what it got. */
async function startReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { received, url: `http://127.0.0.1:${port}/hook`, close: () => server.close() };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * An API version retires with notice: the provider deprecates it with a sunset date; calls through
 * the gateway carry Deprecation, Sunset and Link headers, and after the sunset get 410 without the
 * upstream being called; exactly the organisations that called the version hear of it (in-app and
 * by webhook), each with its own count; the ledger records the deprecation and the sunset.
 */
describe.each(dbTargets)('API version retirement (%s)', (target) => {
  let platform: TestPlatform;
  let upstream: Awaited<ReturnType<typeof startCountingUpstream>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  let provider: Tenant;
  /** Subscribed and called the API. */
  let caller: Tenant;
  /** Subscribed, never called. */
  let silentSubscriber: Tenant;
  /** Neither subscribed nor called. */
  let outsider: Tenant;
  let apiId: string;
  let versionId: string;
  let successorApiId: string;
  let callerKey: string;
  let webhookSecret: string;
  /** The test clock runs with real time plus an offset. */
  let offsetMs = 0;
  const slug = `energy-retiring-${target}`;
  const now = () => new Date(Date.now() + offsetMs);

  const heard = async (kind: string, objectId: string) =>
    platform.database.db
      .select({ orgId: notifications.orgId, data: notifications.data })
      .from(notifications)
      .where(and(eq(notifications.kind, kind), eq(notifications.objectId, objectId)));
  const deprecate = (tenant: Tenant, payload: object, version = versionId) =>
    platform.app.inject({
      method: 'PUT',
      url: `/v1/apis/${apiId}/versions/${version}/deprecation`,
      headers: tenant.headers,
      payload,
    });
  /** Calls the caller made through the gateway, as the metering should count them. */
  let callsMade = 0;
  const call = async (key: string) => {
    callsMade += 1;
    const response = await fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': key } });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now } });
    upstream = await startCountingUpstream();
    receiver = await startReceiver();
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    provider = await createTenant(platform, { kinds: ['provider'] });
    caller = await createTenant(platform, { kinds: ['consumer'] });
    silentSubscriber = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer', 'provider'] });
    const hub = await publishDemoApi(platform, provider, { slug, upstreamUrl: upstream.url });
    apiId = hub.api.id;
    const detail = await platform.app.inject({ url: `/v1/apis/${apiId}`, headers: provider.headers });
    versionId = detail.json().currentVersion.id;
    successorApiId = (
      await publishDemoApi(platform, provider, { slug: `${slug}-v2`, upstreamUrl: upstream.url })
    ).api.id;
    for (const consumer of [caller, silentSubscriber]) {
      expect((await subscribe(platform, consumer, hub.open.id)).statusCode).toBe(201);
    }
    const hook = await platform.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: caller.headers,
      payload: { url: receiver.url, events: ['api-version.*'] },
    });
    expect(hook.statusCode).toBe(201);
    webhookSecret = hook.json().secret;
    callerKey = (await createCredential(platform, caller, 'api-key')).secret;
    await createCredential(platform, silentSubscriber, 'api-key');
    await platform.gateway.refresh();
  }, 300_000);
  afterAll(async () => {
    await platform?.dispose();
    await upstream?.close();
    receiver?.close();
  });

  it('refuses a deprecation with a past sunset, a foreign successor, or from anyone but the provider', async () => {
    const inAWeek = new Date(now().getTime() + 7 * 86_400_000).toISOString();
    const past = await deprecate(provider, { sunsetAt: new Date(now().getTime() - 1000).toISOString() });
    expect(problemOf(past)).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(problemOf(past).detail).toContain('sunsetAt');
    const reversed = await deprecate(provider, {
      sunsetAt: inAWeek,
      deprecatedAt: new Date(now().getTime() + 8 * 86_400_000).toISOString(),
    });
    expect(problemOf(reversed).detail).toContain('deprecatedAt');
    const foreignApi = (
      await publishDemoApi(platform, outsider, { slug: `${slug}-foreign`, upstreamUrl: upstream.url })
    ).api.id;
    const foreign = await deprecate(provider, { sunsetAt: inAWeek, successorApiId: foreignApi });
    expect(problemOf(foreign)).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(problemOf(foreign).detail).toContain('successorApiId');
    expect((await deprecate(caller, { sunsetAt: inAWeek })).statusCode).toBe(404);
    expect((await deprecate(outsider, { sunsetAt: inAWeek })).statusCode).toBe(404);
    // Nothing of it was recorded: the version is not deprecated and nobody was told.
    const versions = await platform.app.inject({
      url: `/v1/apis/${apiId}/versions`,
      headers: caller.headers,
    });
    expect(versions.json().items[0]).toMatchObject({ id: versionId, deprecation: null });
    expect(await heard('api-version.deprecated', apiId)).toEqual([]);
  });

  it('leaves neither the dates nor the notice when the transaction fails after the change', async () => {
    const real = platform.catalog.deps.retirementNotice!;
    const failing: RetirementNotice = {
      deprecated: async (tx, retiring, at) => {
        await real.deprecated(tx, retiring, at);
        throw new Error('failure after the change');
      },
      sunset: real.sunset,
    };
    const catalog = new CatalogService({ ...platform.catalog.deps, retirementNotice: failing });
    // The caller has called by now, so the notice was written before the failure.
    for (let i = 0; i < 2; i++) expect((await call(callerKey)).status).toBe(200);
    await platform.meter.flush();
    const principal = await platform.identity.principalFor('session', provider.userId, provider.orgId, {});
    await expect(
      catalog.deprecateVersion(principal!, apiId, versionId, {
        sunsetAt: new Date(now().getTime() + 86_400_000),
      }),
    ).rejects.toThrow('failure after the change');
    const versions = await platform.app.inject({
      url: `/v1/apis/${apiId}/versions`,
      headers: provider.headers,
    });
    expect(versions.json().items[0].deprecation).toBeNull();
    expect(await heard('api-version.deprecated', apiId)).toEqual([]);
    expect((await call(callerKey)).headers.get('deprecation')).toBeNull();
  });

  it('deprecates: headers on calls, the notice to exactly the callers with their counts, the ledger entry', async () => {
    // The caller has called (here and above); the silent subscriber never has.
    const before = await call(callerKey);
    expect(before.status).toBe(200);
    expect(before.headers.get('deprecation')).toBeNull();
    await platform.meter.flush();
    const callsBefore = callsMade;

    const deprecatedAt = new Date(Math.floor(now().getTime() / 1000) * 1000);
    const sunsetAt = new Date(deprecatedAt.getTime() + 10 * 86_400_000);
    const link = 'https://docs.example.com/energy/retirement';
    const response = await deprecate(provider, {
      deprecatedAt: deprecatedAt.toISOString(),
      sunsetAt: sunsetAt.toISOString(),
      link,
      successorApiId,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: versionId,
      deprecation: {
        deprecatedAt: deprecatedAt.toISOString(),
        sunsetAt: sunsetAt.toISOString(),
        link,
        successorApiId,
      },
    });
    // The catalogue shows the state to consumers.
    const listed = await platform.app.inject({ url: `/v1/apis/${apiId}`, headers: caller.headers });
    expect(listed.json().currentVersion.deprecation).toMatchObject({ sunsetAt: sunsetAt.toISOString() });

    // The gateway's snapshot reloads on the change notice; the next calls carry the headers.
    const deprecated = await until(async () => {
      const answer = await call(callerKey);
      return answer.headers.get('deprecation') ? answer : undefined;
    }, 'the gateway to carry the Deprecation header');
    expect(deprecated.status).toBe(200);
    expect(deprecated.headers.get('deprecation')).toBe(`@${deprecatedAt.getTime() / 1000}`);
    expect(deprecated.headers.get('sunset')).toBe(sunsetAt.toUTCString());
    const links = deprecated.headers.get('link');
    expect(links).toContain(`<${link}>; rel="deprecation"`);
    expect(links).toContain(`</gw/${slug}-v2>; rel="successor-version"`);
    expect(deprecated.headers.get('ratelimit-limit')).not.toBeNull();

    // The caller, and only the caller, heard of it, with its calls before the deprecation.
    const notices = await heard('api-version.deprecated', apiId);
    expect(notices.map((notice) => notice.orgId)).toEqual([caller.orgId]);
    expect(notices[0]!.data).toMatchObject({
      apiId,
      versionId,
      providerOrgId: provider.orgId,
      sunsetAt: sunsetAt.toISOString(),
      successorApiId,
      link,
      calls: callsBefore,
    });
    for (const tenant of [silentSubscriber, outsider, provider]) {
      const inbox = await platform.app.inject({ url: '/v1/notifications', headers: tenant.headers });
      expect(inbox.json().items.map((item: { kind: string }) => item.kind)).not.toContain(
        'api-version.deprecated',
      );
    }

    // By webhook too, verifiable with the Standard Webhooks library.
    await platform.webhooks.deliverDue();
    const delivery = await until(
      async () => receiver.received.find((item) => item.body.includes('"api-version.deprecated"')),
      'the webhook delivery',
    );
    const verified = new Webhook(webhookSecret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    });
    expect(verified).toMatchObject({ type: 'api-version.deprecated', object: { id: apiId } });

    const ledger = await platform.audit.list({ objectId: apiId, limit: 50 });
    const entry = ledger.find((item) => item.action === 'api.version.deprecate');
    expect(entry).toMatchObject({
      orgId: provider.orgId,
      data: { versionId, sunsetAt: sunsetAt.toISOString(), successorApiId, link },
    });
  });

  it("carries the headers on the gateway's own refusals too: 401, 403 and 429", async () => {
    const outsiderKey = (await createCredential(platform, outsider, 'api-key')).secret;
    await platform.gateway.refresh();
    const expectRetirementHeaders = (headers: Headers) => {
      expect(headers.get('deprecation')).toMatch(/^@\d+$/);
      expect(headers.get('sunset')).not.toBeNull();
      expect(headers.get('link')).toContain('rel="successor-version"');
    };
    const unknownKey = await fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': 'stp_nope' } });
    expect(unknownKey.status).toBe(401);
    expectRetirementHeaders(unknownKey.headers);
    const unsubscribed = await fetch(`${base}/gw/${slug}/buildings`, {
      headers: { 'x-api-key': outsiderKey },
    });
    expect(unsubscribed.status).toBe(403);
    expectRetirementHeaders(unsubscribed.headers);
    // The open plan's burst is 10: twenty calls at once meet the rate limit.
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': callerKey } }),
      ),
    );
    const limited = burst.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('retry-after')).not.toBeNull();
      expectRetirementHeaders(response.headers);
    }
    await Promise.all(burst.map((response) => response.body?.cancel()));
  });

  it('reminds the callers a week before the sunset, once', async () => {
    const versions = await platform.app.inject({
      url: `/v1/apis/${apiId}/versions`,
      headers: provider.headers,
    });
    const sunsetAt = new Date(versions.json().items[0].deprecation.sunsetAt);
    offsetMs += sunsetAt.getTime() - 6 * 86_400_000 - now().getTime();
    await platform.reminders.run();
    await platform.reminders.run();
    const reminders = await heard('api-version.retiring', apiId);
    expect(reminders.map((notice) => notice.orgId)).toEqual([caller.orgId]);
    expect(reminders[0]!.data).toMatchObject({ versionId, daysLeft: 7, sunsetAt: sunsetAt.toISOString() });
  });

  it('answers 410 after the sunset without calling the upstream, and records the sunset once', async () => {
    // Signed in afresh: days have passed for the session too.
    provider = { ...provider, headers: { cookie: await signIn(platform, provider.email) } };
    const reachedBefore = upstream.calls();
    const versions = await platform.app.inject({
      url: `/v1/apis/${apiId}/versions`,
      headers: provider.headers,
    });
    const sunsetAt = new Date(versions.json().items[0].deprecation.sunsetAt);
    offsetMs += sunsetAt.getTime() - now().getTime() + 1000;

    const retired = await call(callerKey);
    expect(retired.status).toBe(410);
    expect(retired.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.parse(retired.body)).toMatchObject({
      status: 410,
      code: 'api-version-sunset',
      sunset: sunsetAt.toISOString(),
      successor: `/gw/${slug}-v2`,
    });
    expect(retired.headers.get('sunset')).toBe(sunsetAt.toUTCString());
    expect(upstream.calls()).toBe(reachedBefore);

    // Once past, the dates stay (signed in afresh: the session has aged with the clock).
    provider = { ...provider, headers: { cookie: await signIn(platform, provider.email) } };
    const late = await deprecate(provider, {
      sunsetAt: new Date(now().getTime() + 86_400_000).toISOString(),
    });
    expect(problemOf(late)).toMatchObject({ status: 409, code: 'conflict' });
    expect(problemOf(late).detail).toContain('sunset');

    // The sweep records the sunset and tells the callers, once.
    expect(await platform.catalog.recordSunsets()).toBe(1);
    expect(await platform.catalog.recordSunsets()).toBe(0);
    const notices = await heard('api-version.sunset', apiId);
    expect(notices.map((notice) => notice.orgId)).toEqual([caller.orgId]);
    expect(notices[0]!.data).toMatchObject({ versionId, sunsetAt: sunsetAt.toISOString() });
    const ledger = await platform.audit.list({ objectId: apiId, limit: 50 });
    expect(ledger.filter((item) => item.action === 'api.version.sunset')).toHaveLength(1);
  });
});
