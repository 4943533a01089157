import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { AgreementService } from '../src/modules/access/agreements.js';
import { AccessService } from '../src/modules/access/service.js';
import type { EventPublisher } from '../src/modules/community/events.js';
import { notifications } from '../src/modules/community/schema.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import { customersCsv, publishDataset } from './data-products.js';
import { createTenant, createTestPlatform, dbTargets, type Tenant, type TestPlatform } from './harness.js';

/** A webhook receiver on 127.0.0.1 that answers 204 and keeps what it got. */
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
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Lifecycle events through the public surface: each decision is an event written once, in the
 * decision's transaction, to its parties only; webhooks verify with an off-the-shelf Standard
 * Webhooks library; an end date stops a subscription at the gateway, with event and ledger entry.
 */
describe.each(dbTargets)('lifecycle events (%s)', (target) => {
  let platform: TestPlatform;
  let upstream: RunningUpstream;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  let provider: Tenant;
  let consumer: Tenant;
  let outsider: Tenant;
  let datasetId: string;
  /** The test clock runs with real time (webhook timestamps are checked against it) plus an offset. */
  let offsetMs = 0;
  const slug = `energy-lifecycle-${target}`;

  const inject = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });
  /** Notifications of one kind about one object, per organisation. */
  const heard = async (kind: string, objectId: string) => {
    const rows = await platform.database.db
      .select({ orgId: notifications.orgId })
      .from(notifications)
      .where(and(eq(notifications.kind, kind), eq(notifications.objectId, objectId)));
    return rows.map((row) => row.orgId).sort();
  };
  const sorted = (...orgIds: string[]) => [...orgIds].sort();

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => new Date(Date.now() + offsetMs) } });
    upstream = await startBuildingEnergyUpstream();
    receiver = await startReceiver();
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer', 'provider'] });
    datasetId = (await publishDataset(platform, provider, { title: 'Customers', content: customersCsv(20) }))
      .id;
    // Migrations and a dataset's publication take a while on a loaded machine.
  }, 300_000);
  afterAll(async () => {
    await platform?.dispose();
    await upstream?.close();
    receiver?.close();
  });

  it('tells the provider of a request and both parties of its approval, once each, and nobody else', async () => {
    const request = await inject(consumer, 'POST', '/v1/access-requests', {
      datasetId,
      purpose: 'research',
      purposeText: 'lifecycle',
      columns: ['district'],
      durationDays: 30,
      wantsDownload: false,
    });
    expect(request.statusCode).toBe(201);
    const requestId = request.json().id as string;
    expect(await heard('access-request.created', requestId)).toEqual([provider.orgId]);

    const approved = await inject(provider, 'POST', `/v1/access-requests/${requestId}/approve`, {});
    expect(approved.statusCode).toBe(200);
    const agreementId = approved.json().agreement.id as string;
    expect(await heard('access-request.approved', requestId)).toEqual(sorted(consumer.orgId, provider.orgId));
    expect(await heard('agreement.approved', agreementId)).toEqual(sorted(consumer.orgId, provider.orgId));

    // The consumer's inbox shows it with a link to the object; the outsider's shows nothing of it.
    const inbox = (await inject(consumer, 'GET', '/v1/notifications')).json().items as {
      kind: string;
      objectType: string;
      objectId: string;
      data: Record<string, unknown>;
    }[];
    expect(inbox.find((note) => note.kind === 'agreement.approved')).toMatchObject({
      objectType: 'agreement',
      objectId: agreementId,
      data: { agreementId, datasetId, consumerOrgId: consumer.orgId, providerOrgId: provider.orgId },
    });
    const outsiderInbox = (await inject(outsider, 'GET', '/v1/notifications')).json().items as {
      objectId: string;
    }[];
    expect(outsiderInbox.filter((note) => [requestId, agreementId].includes(note.objectId))).toEqual([]);

    const revoked = await inject(consumer, 'POST', `/v1/agreements/${agreementId}/revoke`, {
      reason: 'done',
    });
    expect(revoked.statusCode).toBe(200);
    expect(await heard('agreement.revoked', agreementId)).toEqual(sorted(consumer.orgId, provider.orgId));
  });

  it('tells the consumer of a rejection and the provider of a withdrawal', async () => {
    const ask = async () => {
      const response = await inject(consumer, 'POST', '/v1/access-requests', {
        datasetId,
        purpose: 'statistics',
        purposeText: 'lifecycle',
        columns: ['district'],
        durationDays: 7,
        wantsDownload: false,
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    const rejectedId = await ask();
    expect(
      (await inject(provider, 'POST', `/v1/access-requests/${rejectedId}/reject`, { reason: 'no' }))
        .statusCode,
    ).toBe(200);
    expect(await heard('access-request.rejected', rejectedId)).toEqual([consumer.orgId]);
    const withdrawnId = await ask();
    expect((await inject(consumer, 'POST', `/v1/access-requests/${withdrawnId}/withdraw`)).statusCode).toBe(
      200,
    );
    expect(await heard('access-request.withdrawn', withdrawnId)).toEqual([provider.orgId]);
  });

  it("tells the consumer of a subscription's rejection, suspension and resumption, and both parties of its end", async () => {
    const hub = await publishDemoApi(platform, provider, {
      slug: `${slug}-decisions`,
      upstreamUrl: upstream.url,
    });
    const decide = async (tenant: Tenant, subscriptionId: string, decision: string, reason?: string) => {
      const response = await inject(
        tenant,
        'POST',
        `/v1/subscriptions/${subscriptionId}/${decision}`,
        reason ? { reason } : {},
      );
      expect(response.statusCode, response.body).toBe(200);
    };
    const rejectedId = (await subscribe(platform, consumer, hub.partner.id)).json().id as string;
    await decide(provider, rejectedId, 'reject', 'not a partner');
    expect(await heard('subscription.rejected', rejectedId)).toEqual([consumer.orgId]);

    const subscriptionId = (await subscribe(platform, consumer, hub.partner.id)).json().id as string;
    await decide(provider, subscriptionId, 'approve');
    await decide(provider, subscriptionId, 'suspend', 'unpaid invoice');
    expect(await heard('subscription.suspended', subscriptionId)).toEqual([consumer.orgId]);
    await decide(provider, subscriptionId, 'resume');
    expect(await heard('subscription.resumed', subscriptionId)).toEqual([consumer.orgId]);
    await decide(consumer, subscriptionId, 'revoke', 'moving to another supplier');
    expect(await heard('subscription.revoked', subscriptionId)).toEqual(
      sorted(consumer.orgId, provider.orgId),
    );
    // Nothing of either reached the organisation that took no part.
    const outsiderInbox = (await inject(outsider, 'GET', '/v1/notifications?limit=200')).json().items as {
      objectId: string;
    }[];
    expect(outsiderInbox.filter((note) => [rejectedId, subscriptionId].includes(note.objectId))).toEqual([]);
  });

  it('writes neither the decision nor its event when the transaction fails after the change', async () => {
    const failing: EventPublisher = {
      publish: async (tx, type, input) => {
        await platform.notifications.publish(tx, type, input);
        throw new Error('failure after the change');
      },
    };
    const agreements = new AgreementService({ ...platform.agreements.deps, events: failing });
    const request = await inject(consumer, 'POST', '/v1/access-requests', {
      datasetId,
      purpose: 'research',
      purposeText: 'rollback',
      columns: ['district'],
      durationDays: 7,
      wantsDownload: false,
    });
    const requestId = request.json().id as string;
    const principal = await platform.identity.principalFor('session', provider.userId, provider.orgId, {});
    await expect(agreements.reject(principal!, requestId, 'no')).rejects.toThrow('failure after the change');
    expect((await inject(consumer, 'GET', `/v1/access-requests/${requestId}`)).json().state).toBe('pending');
    expect(await heard('access-request.rejected', requestId)).toEqual([]);

    const access = new AccessService({ ...platform.access.deps, events: failing });
    const hub = await publishDemoApi(platform, provider, {
      slug: `${slug}-rollback`,
      upstreamUrl: upstream.url,
    });
    const pending = (await subscribe(platform, consumer, hub.partner.id)).json().id as string;
    await expect(access.decide(principal!, pending, 'approve')).rejects.toThrow('failure after the change');
    expect((await inject(consumer, 'GET', `/v1/subscriptions/${pending}`)).json().state).toBe('pending');
    expect(await heard('subscription.approved', pending)).toEqual([]);
  });

  it('ends a subscription at its end date: gateway 403, the event to both parties, the ledger entry', async () => {
    const hook = await inject(consumer, 'POST', '/v1/webhooks', {
      url: receiver.url,
      events: ['subscription.*'],
    });
    expect(hook.statusCode).toBe(201);
    const secret = hook.json().secret as string;
    const hub = await publishDemoApi(platform, provider, { slug, upstreamUrl: upstream.url });
    const subscribed = await subscribe(platform, consumer, hub.partner.id);
    const subscriptionId = subscribed.json().id as string;
    expect(await heard('subscription.requested', subscriptionId)).toEqual([provider.orgId]);

    const past = await inject(provider, 'POST', `/v1/subscriptions/${subscriptionId}/approve`, {
      endsAt: new Date(Date.now() + offsetMs - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    const endsAt = new Date(Date.now() + offsetMs + 3_600_000);
    const approved = await inject(provider, 'POST', `/v1/subscriptions/${subscriptionId}/approve`, {
      endsAt: endsAt.toISOString(),
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'active', endsAt: endsAt.toISOString() });
    expect(await heard('subscription.approved', subscriptionId)).toEqual(
      sorted(consumer.orgId, provider.orgId),
    );

    // The webhook delivery verifies with the standardwebhooks library, the secret used as shown.
    await platform.webhooks.deliverDue();
    const delivery = await until(
      async () => receiver.received.find((item) => item.body.includes(`"subscription.approved"`)),
      'the webhook delivery',
    );
    const verified = new Webhook(secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as { type: string; object: { id: string } };
    expect(verified).toMatchObject({ type: 'subscription.approved', object: { id: subscriptionId } });
    expect(delivery.headers['stp-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() =>
      new Webhook(secret).verify(delivery.body.replace(subscriptionId, 'sub_forged'), {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
      }),
    ).toThrow();

    const key = (await createCredential(platform, consumer, 'api-key')).secret;
    await platform.gateway.refresh();
    const call = () => fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': key } });
    expect((await call()).status).toBe(200);

    // The test clock passes the end date. The gateway compares each call with the end date it holds,
    // so the very next call is refused, before any sweep or snapshot reload: well within a second.
    offsetMs += 3_600_000;
    // (On a loaded machine the sweep may have expired it already; the answer is the same refusal.)
    const refused = await call();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'subscription-not-active' });
    // The per-second sweep records the expiry, tells both parties and writes the ledger entry.
    await until(async () => {
      const state = (await inject(consumer, 'GET', `/v1/subscriptions/${subscriptionId}`)).json().state;
      return state === 'expired' ? state : undefined;
    }, 'the sweep to expire the subscription');
    expect(await heard('subscription.expired', subscriptionId)).toEqual(
      sorted(consumer.orgId, provider.orgId),
    );
    const ledger = await platform.audit.list({ objectId: subscriptionId, limit: 50 });
    expect(ledger.map((entry) => entry.action)).toContain('subscription.expire');
  });

  it('reminds of a subscription and a credential ending at 7 days and at 1 day, once each', async () => {
    const hub = await publishDemoApi(platform, provider, {
      slug: `${slug}-remind`,
      upstreamUrl: upstream.url,
    });
    const subscriptionId = (await subscribe(platform, consumer, hub.partner.id)).json().id as string;
    const now = Date.now() + offsetMs;
    const endsAt = new Date(now + 10 * 86_400_000);
    await inject(provider, 'POST', `/v1/subscriptions/${subscriptionId}/approve`, {
      endsAt: endsAt.toISOString(),
    });
    const credential = await inject(consumer, 'POST', '/v1/credentials', {
      name: 'short-lived',
      kind: 'api-key',
      expiresAt: endsAt.toISOString(),
    });
    expect(credential.statusCode).toBe(201);
    const credentialId = credential.json().credential.id as string;

    await platform.reminders.run();
    expect(await heard('subscription.expiring', subscriptionId)).toEqual([]);
    offsetMs += 4 * 86_400_000; // 6 days left
    await platform.reminders.run();
    await platform.reminders.run();
    expect(await heard('subscription.expiring', subscriptionId)).toEqual(
      sorted(consumer.orgId, provider.orgId),
    );
    expect(await heard('credential.expiring', credentialId)).toEqual([consumer.orgId]);
    offsetMs += 5.5 * 86_400_000; // half a day left
    await platform.reminders.run();
    await platform.reminders.run();
    expect(await heard('subscription.expiring', subscriptionId)).toHaveLength(4);
    expect(await heard('credential.expiring', credentialId)).toHaveLength(2);
  });
});
