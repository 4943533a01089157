import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { AppError } from '../../errors.js';
import { eventCatalogue } from './events.js';
import type { Notification, NotificationInput } from './notifications.js';
import { webhookDeliveries, webhooks } from './schema.js';
import {
  enqueueWebhookDeliveries,
  matchesEvent,
  maxDeliveryAttempts,
  verifySignature,
  WebhookService,
} from './webhooks.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1: records each request and answers with the next scripted status. */
async function startReceiver(statusFor: (path: string, count: number) => number) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = statusFor(path, received.filter((r) => r.path === path).length);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { received, url: (path: string) => `http://127.0.0.1:${port}${path}`, close: () => server.close() };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('event patterns', () => {
  it('matches kinds exactly, by prefix, or all', () => {
    expect(matchesEvent(['transfer.*'], 'transfer.approved')).toBe(true);
    expect(matchesEvent(['transfer.*'], 'transfers.approved')).toBe(false);
    expect(matchesEvent(['agreement.expiring'], 'agreement.expired')).toBe(false);
    expect(matchesEvent(['*'], 'anything.at.all')).toBe(true);
  });
});

describe.each(dbTargets)('webhooks (%s)', (target) => {
  let platform: TestPlatform;
  let now = new Date('2026-04-01T02:00:00Z');
  let org: Tenant;
  let member: Tenant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhookId: string;
  let secret: string;

  const as = (tenant: Tenant, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });
  const notify = (input: Omit<NotificationInput, 'orgIds'>, fail = false) =>
    platform.database.db
      .transaction(async (tx) => {
        await platform.notifications.notify(tx, { orgIds: [org.orgId], ...input });
        if (fail) throw new Error('the change failed');
      })
      .catch((error: Error) => {
        if (!fail) throw error;
      });
  const deliveries = async (id = webhookId) =>
    (await as(org, 'GET', `/v1/webhooks/${id}/deliveries`)).json().items as {
      id: string;
      event: string;
      state: string;
      attempts: number;
      lastStatus: number | null;
    }[];

  const notification = (kind: string): Notification => ({
    id: `ntf_${Date.now()}`,
    orgId: org.orgId,
    kind,
    title: kind,
    body: '',
    objectType: null,
    objectId: null,
    data: {},
    readAt: null,
    createdAt: now,
  });

  beforeAll(async () => {
    platform = await createTestPlatform(target, {
      clock: { now: () => now },
      // Retries are hours apart on the test clock; the session must outlive them.
      env: { STP_SESSION_IDLE_MINUTES: '1440' },
    });
    org = await createTenant(platform, { kinds: ['provider'] });
    member = await createTenant(platform, { kinds: ['provider'], role: 'member' });
    // The first delivery to /hooks fails with 500, later ones succeed; /down always fails.
    receiver = await startReceiver((path, count) => (path === '/down' ? 503 : count === 1 ? 500 : 204));
  });
  afterAll(async () => {
    receiver?.close();
    await platform?.dispose();
  });

  it('registers a webhook and shows its secret once', async () => {
    const created = await as(org, 'POST', '/v1/webhooks', {
      url: receiver.url('/hooks'),
      events: ['transfer.*', 'agreement.expiring'],
    });
    expect(created.statusCode, created.body).toBe(201);
    ({ id: webhookId, secret } = created.json());
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = (await as(org, 'GET', '/v1/webhooks')).json().items;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const [entry] = await platform.audit.list({ action: 'webhook.create', limit: 1 });
    expect(JSON.stringify(entry)).not.toContain(secret);
    // Only the origin is in the ledger: a URL's path may carry a token.
    expect(entry?.data).toEqual({
      origin: new URL(receiver.url('/')).origin,
      events: ['transfer.*', 'agreement.expiring'],
    });
  });

  it('replaces the signing secret for admins only, showing the new one once; later posts sign with it', async () => {
    expect((await as(member, 'POST', `/v1/webhooks/${webhookId}/secret`)).statusCode).toBe(403);
    const rotated = await as(org, 'POST', `/v1/webhooks/${webhookId}/secret`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const body = rotated.json();
    expect(body).toMatchObject({ id: webhookId, events: ['transfer.*', 'agreement.expiring'] });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(body.secret).not.toBe(secret);
    // The deliveries test below checks every signature against this secret, the new one.
    secret = body.secret;
    expect(JSON.stringify((await as(org, 'GET', '/v1/webhooks')).json())).not.toContain(secret);
    const [entry] = await platform.audit.list({ action: 'webhook.rotate-secret', limit: 1 });
    expect(entry).toMatchObject({ objectType: 'webhook', objectId: webhookId });
    expect(JSON.stringify(entry)).not.toContain(secret);
    const elsewhere = await createTenant(platform, { kinds: ['consumer'] });
    expect((await as(elsewhere, 'POST', `/v1/webhooks/${webhookId}/secret`)).statusCode).toBe(404);
  });

  it('lists the event types a webhook can ask for, from the event catalogue', async () => {
    const response = await as(member, 'GET', '/v1/event-types');
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { type: string; description: string }[];
    expect(items.map((item) => item.type)).toEqual(Object.keys(eventCatalogue));
    expect(items.find((item) => item.type === 'access-request.created')?.description).toBe(
      eventCatalogue['access-request.created'].description,
    );
  });

  it('refuses members, other schemes, credentials in the URL and bad event patterns', async () => {
    const asMember = await as(member, 'POST', '/v1/webhooks', { url: receiver.url('/x'), events: ['*'] });
    expect(asMember.statusCode).toBe(403);
    for (const url of ['ftp://example.org/hook', 'http://user:pw@example.org/hook', 'not a url']) {
      const response = await as(org, 'POST', '/v1/webhooks', { url, events: ['*'] });
      expect(response.statusCode, url).toBe(400);
      expect(problemOf(response).code).toBe('validation-failed');
    }
    const badPattern = await as(org, 'POST', '/v1/webhooks', {
      url: receiver.url('/x'),
      events: ['transfer.**'],
    });
    expect(badPattern.statusCode).toBe(400);
    expect((await as(member, 'DELETE', `/v1/webhooks/${webhookId}`)).statusCode).toBe(403);
  });

  it('refuses loopback and private addresses unless allowPrivateFetch is set', async () => {
    const strict = new WebhookService({
      db: platform.database.db,
      clock: { now: () => now },
      audit: platform.audit,
      allowPrivateFetch: false,
    });
    const principal = (await platform.identity.principalFor('session', org.userId, org.orgId, {}))!;
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://10.1.2.3/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/',
    ]) {
      const refused = await strict.create(principal, { url, events: ['*'] }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('validation-failed');
    }
    await strict.stop();
  });

  it('delivers a matching notification signed, retries after a 500 with backoff, and records each attempt', async () => {
    await notify({
      kind: 'transfer.approved',
      title: 'Transfer approved',
      body: 'xfr_… is approved',
      object: { type: 'transfer', id: 'xfr_test' },
      data: { filingDueOn: '2026-04-20' },
    });
    // The platform's worker posts it on its own (it polls every second)…
    const first = await until(() => receiver.received.find((r) => r.path === '/hooks'), 'the first delivery');
    const failed = await until(async () => {
      const [row] = await deliveries();
      return row?.lastStatus === 500 ? row : undefined;
    }, 'the failed attempt to be recorded');
    expect(failed).toMatchObject({ event: 'transfer.approved', state: 'pending', attempts: 1 });
    // …from here on the test drives rounds by hand, so timing is the test clock's alone.
    await platform.webhooks.stop();

    // Not retried before its backoff (30 s) has passed…
    now = new Date(now.getTime() + 20_000);
    await platform.webhooks.deliverDue();
    expect(receiver.received.filter((r) => r.path === '/hooks')).toHaveLength(1);
    // …then retried with the same body and delivery id.
    now = new Date(now.getTime() + 11_000);
    await platform.webhooks.deliverDue();
    const hooks = await until(() => {
      const got = receiver.received.filter((r) => r.path === '/hooks');
      return got.length === 2 ? got : undefined;
    }, 'the retry');
    const delivered = await until(async () => {
      const [row] = await deliveries();
      return row?.state === 'delivered' ? row : undefined;
    }, 'the delivery to be recorded');
    expect(delivered).toMatchObject({ attempts: 2, lastStatus: 204 });

    for (const request of hooks) {
      expect(request.body).toBe(first.body);
      expect(request.headers['stp-delivery']).toBe(delivered.id);
      expect(request.headers['stp-event']).toBe('transfer.approved');
      expect(request.headers['content-type']).toBe('application/json');
      // What a receiver does: recompute the HMAC over "<t>.<raw body>" with the secret.
      const header = String(request.headers['stp-signature']);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
      expect(createHmac('sha256', secret).update(`${t}.${request.body}`).digest('hex')).toBe(v1);
      expect(verifySignature(secret, header, request.body, Number(t))).toBe(true);
      expect(verifySignature(secret, header, `${request.body} `, Number(t))).toBe(false);
      expect(verifySignature('whsec_wrong', header, request.body, Number(t))).toBe(false);
      // A captured delivery replayed an hour later is refused by its timestamp.
      expect(verifySignature(secret, header, request.body, Number(t) + 3600)).toBe(false);
    }
    expect(hooks[1]!.headers['stp-signature']).not.toBe(hooks[0]!.headers['stp-signature']);
    expect(JSON.parse(first.body)).toMatchObject({
      type: 'transfer.approved',
      orgId: org.orgId,
      object: { type: 'transfer', id: 'xfr_test' },
      data: { filingDueOn: '2026-04-20' },
    });
  });

  it('writes deliveries only for matching kinds, and only when the notifying transaction commits', async () => {
    const before = (await deliveries()).length;
    await notify({ kind: 'org.published', title: 'not subscribed', body: '' });
    await notify({ kind: 'transfer.revoked', title: 'rolled back', body: '' }, true);
    expect(await deliveries()).toHaveLength(before);
    await notify({ kind: 'agreement.expiring', title: 'subscribed', body: '' });
    expect((await deliveries()).map((row) => row.event)).toContain('agreement.expiring');
  });

  it(`gives up after ${maxDeliveryAttempts} attempts`, async () => {
    const created = await as(org, 'POST', '/v1/webhooks', { url: receiver.url('/down'), events: ['wish.*'] });
    const downId = created.json().id;
    await notify({ kind: 'wish.answered', title: 'released', body: '' });
    for (let attempt = 1; attempt <= maxDeliveryAttempts; attempt++) {
      await platform.webhooks.deliverDue();
      await until(
        async () => ((await deliveries(downId))[0]?.attempts === attempt ? true : undefined),
        `attempt ${attempt}`,
      );
      now = new Date(now.getTime() + 30_000 * 2 ** attempt);
    }
    const [row] = await deliveries(downId);
    expect(row).toMatchObject({ state: 'failed', attempts: maxDeliveryAttempts, lastStatus: 503 });
    await platform.webhooks.deliverDue();
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(maxDeliveryAttempts);
  });

  it('stops delivering once deleted, cancelling what was pending', async () => {
    await notify({ kind: 'transfer.suspended', title: 'pending when deleted', body: '' });
    const deleted = await as(org, 'DELETE', `/v1/webhooks/${webhookId}`);
    expect(deleted.statusCode).toBe(204);
    const rows = await platform.database.db.query.webhookDeliveries.findMany({
      where: (table, { eq }) => eq(table.webhookId, webhookId),
    });
    expect(rows.find((row) => row.event === 'transfer.suspended')?.state).toBe('cancelled');
    await notify({ kind: 'transfer.approved', title: 'after deletion', body: '' });
    expect(
      await platform.database.db.query.webhookDeliveries.findMany({
        where: (table, { eq }) => eq(table.webhookId, webhookId),
      }),
    ).toHaveLength(rows.length);
    expect(
      (await as(org, 'GET', '/v1/webhooks')).json().items.map((w: { id: string }) => w.id),
    ).not.toContain(webhookId);
    expect((await as(org, 'GET', `/v1/webhooks/${webhookId}/deliveries`)).statusCode).toBe(404);
  });

  it('refuses at delivery time a name that now resolves to a private address (DNS rebinding)', async () => {
    // As if `localhost` had resolved to a public address when the webhook was registered.
    const port = new URL(receiver.url('/')).port;
    const rebound = 'whk_rebound0000000000000000000';
    await platform.database.db.insert(webhooks).values({
      id: rebound,
      orgId: org.orgId,
      url: `http://localhost:${port}/rebound`,
      events: ['*'],
      secret: 'whsec_test',
      createdBy: org.userId,
      createdAt: now,
    });
    await platform.database.db.transaction((tx) =>
      enqueueWebhookDeliveries(tx, [notification('transfer.approved')], now),
    );
    const strict = new WebhookService({
      db: platform.database.db,
      clock: { now: () => now },
      audit: platform.audit,
      allowPrivateFetch: false,
    });
    expect(await strict.deliverDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    await strict.stop();
    expect(receiver.received.filter((r) => r.path === '/rebound')).toHaveLength(0);
    const [row] = await platform.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, rebound));
    expect(row?.lastError).toMatch(/private address/);
  });
});
