import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { Agent, request } from 'undici';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { checkOutboundUrl, publicOnlyLookup, refusePrivateHost } from '../../infra/outbound.js';
import type { AuditLedger } from '../audit/service.js';
import { type Principal, requireRole } from '../identity/principal.js';
import type { Notification } from './notifications.js';
import { webhookDeliveries, webhooks } from './schema.js';

export type Webhook = typeof webhooks.$inferSelect;
/** A webhook as the API shows it: never its secret. */
export type WebhookView = Omit<Webhook, 'secret' | 'deletedAt'>;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** A receiver has this long to answer a delivery (connect, headers and body together). */
export const deliveryTimeoutMs = 5_000;
/** Attempts before a delivery is given up: with a 30 s base, retries span about an hour. */
export const maxDeliveryAttempts = 8;
const retryBaseMs = 30_000;
/** How far a claimed delivery's next attempt is pushed, so a crash mid-post retries after this. */
const claimLeaseMs = 60_000;
const pollMs = 1_000;
const batchSize = 20;

/** A signing secret as Standard Webhooks libraries read it: `whsec_` and 24–64 bytes in base64. */
export function isWebhookSecret(value: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!match) return false;
  const bytes = Buffer.from(match[1]!, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

/** Whether a webhook's event list asks for a notification kind: exact, `prefix.*`, or `*`. */
export function matchesEvent(events: readonly string[], kind: string): boolean {
  return events.some(
    (event) =>
      event === '*' || event === kind || (event.endsWith('.*') && kind.startsWith(event.slice(0, -1))),
  );
}

/**
 * Deprecated (sent for one more release beside the Standard Webhooks headers):
 * `STP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed by the webhook's
 * secret (its UTF-8 bytes, `whsec_` included). Signing the timestamp with the body lets a receiver
 * refuse a captured delivery replayed later.
 */
export function signatureFor(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Standard Webhooks (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed by
 * the bytes the secret's base64 part (after `whsec_`) encodes. Node's base64 decoder also reads the
 * base64url secrets issued before new ones were plain base64, so both sign the same way.
 */
export function standardSignatureFor(
  secret: string,
  messageId: string,
  timestamp: number,
  body: string,
): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * What a receiver does (a reference for integrators; tests use it too): recompute the HMAC over the
 * raw body, compare in constant time, and refuse timestamps more than `toleranceSeconds` away.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !given) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureFor(secret, timestamp, body).split('v1=')[1]!, 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The JSON a receiver gets: the notification, with its id as the event id. */
function deliveryBody(notification: Notification): string {
  return JSON.stringify({
    id: notification.id,
    type: notification.kind,
    createdAt: notification.createdAt.toISOString(),
    orgId: notification.orgId,
    title: notification.title,
    body: notification.body,
    object:
      notification.objectType && notification.objectId
        ? { type: notification.objectType, id: notification.objectId }
        : null,
    data: notification.data,
  });
}

/**
 * Writes a delivery for each webhook that asked for each notification, in the caller's transaction
 * (NotificationService.notify calls this): the outward message exists exactly when the change does.
 */
export async function enqueueWebhookDeliveries(
  tx: Executor,
  notifications: Notification[],
  now: Date,
): Promise<number> {
  if (notifications.length === 0) return 0;
  const orgIds = [...new Set(notifications.map((notification) => notification.orgId))];
  const hooks = await tx
    .select({ id: webhooks.id, orgId: webhooks.orgId, events: webhooks.events })
    .from(webhooks)
    .where(and(inArray(webhooks.orgId, orgIds), isNull(webhooks.deletedAt)));
  const rows = notifications.flatMap((notification) =>
    hooks
      .filter((hook) => hook.orgId === notification.orgId && matchesEvent(hook.events, notification.kind))
      .map((hook) => ({
        id: newId('webhookDelivery', now.getTime()),
        webhookId: hook.id,
        orgId: hook.orgId,
        notificationId: notification.id,
        event: notification.kind,
        body: deliveryBody(notification),
        state: 'pending' as const,
        nextAttemptAt: now,
        createdAt: now,
      })),
  );
  if (rows.length > 0) await tx.insert(webhookDeliveries).values(rows);
  return rows.length;
}

export interface DeliveryRound {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Webhooks: an organisation's admins register URLs for their notifications; a worker posts each
 * delivery, signed, and retries with exponential backoff up to `maxDeliveryAttempts`. URLs must be
 * http(s) and, unless `allowPrivateFetch`, public (checked when registered and again when posting):
 * otherwise a webhook would let any tenant make the platform call its internal network (SSRF).
 */
export class WebhookService {
  private agent: Agent | undefined;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> | undefined;

  constructor(readonly deps: { db: Db; clock: Clock; audit: AuditLedger; allowPrivateFetch: boolean }) {}

  /** The HTTP client, made on first use (and again after `stop`). */
  private client(): Agent {
    this.agent ??= new Agent({
      headersTimeout: deliveryTimeoutMs,
      bodyTimeout: deliveryTimeoutMs,
      connect: {
        timeout: deliveryTimeoutMs,
        ...(this.deps.allowPrivateFetch ? {} : { lookup: publicOnlyLookup }),
      },
    });
    return this.agent;
  }

  private get db() {
    return this.deps.db;
  }

  private checkUrl(value: string): Promise<URL> {
    // Deliveries are authenticated by their signature: a URL must not carry credentials of its own.
    return checkOutboundUrl(value, { allowPrivate: this.deps.allowPrivateFetch });
  }

  /**
   * Registers a webhook and returns its signing secret, which is shown this once. A declaration
   * file brings its own secret (from an environment variable of the machine that applies it), so
   * the receiver's configuration and the platform's can be set from one secret store.
   */
  async create(
    principal: Principal,
    input: { url: string; events: string[]; secret?: string },
  ): Promise<{ webhook: WebhookView; secret: string }> {
    requireRole(principal, 'admin');
    const url = await this.checkUrl(input.url);
    if (input.secret !== undefined && !isWebhookSecret(input.secret)) {
      throw validationFailed(
        'secret',
        'must be whsec_ followed by the base64 of 24 to 64 random bytes (Standard Webhooks)',
      );
    }
    // `whsec_` and standard base64, as Standard Webhooks libraries expect the secret.
    const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64')}`;
    const now = this.deps.clock.now();
    const webhook = await this.db.transaction(async (tx) => {
      const [row] = (await tx
        .insert(webhooks)
        .values({
          id: newId('webhook', now.getTime()),
          orgId: principal.orgId,
          url: url.toString(),
          events: [...new Set(input.events)],
          secret,
          createdBy: principal.userId,
          createdAt: now,
        })
        .returning()) as [Webhook];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'webhook.create',
        object: { type: 'webhook', id: row.id },
        // The origin only: webhook URLs often carry a token in their path (chat incoming webhooks),
        // which must not be copied into an append-only ledger that overseers read.
        data: { origin: url.origin, events: row.events },
      });
      return row;
    });
    return { webhook: view(webhook), secret };
  }

  async list(principal: Principal): Promise<WebhookView[]> {
    const rows = await this.db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.orgId, principal.orgId), isNull(webhooks.deletedAt)))
      .orderBy(desc(webhooks.createdAt));
    return rows.map(view);
  }

  private async owned(principal: Principal, webhookId: string): Promise<Webhook> {
    const [row] = await this.db.select().from(webhooks).where(eq(webhooks.id, webhookId));
    if (!row || row.orgId !== principal.orgId || row.deletedAt) throw notFound(`webhook ${webhookId}`);
    return row;
  }

  /** Removes a webhook; deliveries still pending are cancelled with it. */
  async delete(principal: Principal, webhookId: string): Promise<void> {
    requireRole(principal, 'admin');
    const row = await this.owned(principal, webhookId);
    const now = this.deps.clock.now();
    await this.db.transaction(async (tx) => {
      await tx.update(webhooks).set({ deletedAt: now }).where(eq(webhooks.id, row.id));
      await tx
        .update(webhookDeliveries)
        .set({ state: 'cancelled' })
        .where(and(eq(webhookDeliveries.webhookId, row.id), eq(webhookDeliveries.state, 'pending')));
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'webhook.delete',
        object: { type: 'webhook', id: row.id },
        data: { origin: new URL(row.url).origin },
      });
    });
  }

  /**
   * Replaces a webhook's signing secret and returns the new one, shown this once. Every post from
   * then on, retries of deliveries already pending included, is signed with the new secret: the old
   * one stops working at once, as it must when it has leaked.
   */
  async rotateSecret(
    principal: Principal,
    webhookId: string,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    requireRole(principal, 'admin');
    const row = await this.owned(principal, webhookId);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await this.db.transaction(async (tx) => {
      await tx.update(webhooks).set({ secret }).where(eq(webhooks.id, row.id));
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'webhook.rotate-secret',
        object: { type: 'webhook', id: row.id },
        data: { origin: new URL(row.url).origin },
      });
    });
    return { webhook: view(row), secret };
  }

  /** A webhook's most recent deliveries, newest first: what was sent, how often, what came back. */
  async deliveries(principal: Principal, webhookId: string, limit = 50): Promise<WebhookDelivery[]> {
    await this.owned(principal, webhookId);
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, webhookId))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(limit);
  }

  /**
   * One round of the worker: claims due deliveries (skipping rows another node holds), posts them
   * concurrently, and records each outcome. Returns what happened, for tests and logs.
   */
  async deliverDue(): Promise<DeliveryRound> {
    const now = this.deps.clock.now();
    const claimed = await this.db.transaction(async (tx) => {
      const due = await tx
        .select({ delivery: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(and(eq(webhookDeliveries.state, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
        .orderBy(asc(webhookDeliveries.nextAttemptAt))
        .limit(batchSize)
        .for('update', { of: webhookDeliveries, skipLocked: true });
      if (due.length > 0) {
        await tx
          .update(webhookDeliveries)
          .set({
            attempts: sql`${webhookDeliveries.attempts} + 1`,
            lastAttemptAt: now,
            nextAttemptAt: new Date(now.getTime() + claimLeaseMs),
          })
          .where(
            inArray(
              webhookDeliveries.id,
              due.map((row) => row.delivery.id),
            ),
          );
      }
      return due;
    });
    const round: DeliveryRound = { delivered: 0, retrying: 0, failed: 0 };
    await Promise.all(
      claimed.map(async ({ delivery, url, secret }) => {
        const outcome = await this.post(delivery, url, secret);
        const attempts = delivery.attempts + 1;
        const finished = this.deps.clock.now();
        const state = outcome.ok ? 'delivered' : attempts >= maxDeliveryAttempts ? 'failed' : 'pending';
        await this.db
          .update(webhookDeliveries)
          .set({
            state,
            lastStatus: outcome.status,
            lastError: outcome.error,
            deliveredAt: outcome.ok ? finished : null,
            // Exponential backoff: 30 s, 1 min, 2 min, … after the first, second, third failure.
            nextAttemptAt: new Date(finished.getTime() + retryBaseMs * 2 ** (attempts - 1)),
          })
          .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.state, 'pending')));
        round[state === 'delivered' ? 'delivered' : state === 'failed' ? 'failed' : 'retrying'] += 1;
      }),
    );
    return round;
  }

  private async post(
    delivery: WebhookDelivery,
    url: string,
    secret: string,
  ): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    try {
      const target = new URL(url);
      // A literal address never reaches the lookup hook, so it is checked here.
      if (!this.deps.allowPrivateFetch && isIP(target.hostname.replace(/^\[|\]$/g, ''))) {
        await refusePrivateHost(target.hostname);
      }
      const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
      const response = await request(target, {
        method: 'POST',
        dispatcher: this.client(),
        signal: AbortSignal.timeout(deliveryTimeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'stp-platform-webhooks/1',
          // The delivery id is the message id: the same on every retry, so receivers deduplicate on it.
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': standardSignatureFor(secret, delivery.id, timestamp, delivery.body),
          'stp-signature': signatureFor(secret, timestamp, delivery.body),
          'stp-event': delivery.event,
          'stp-delivery': delivery.id,
        },
        body: delivery.body,
      });
      // The answer's body is not needed; reading it (bounded by the timeout) frees the connection.
      await response.body.dump().catch(() => {});
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { ok, status: response.statusCode, error: ok ? null : `answered ${response.statusCode}` };
    } catch (error) {
      return { ok: false, status: null, error: (error as Error).message.slice(0, 500) };
    }
  }

  /** Runs `deliverDue` every second until `stop`; rounds never overlap. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.round) return;
      this.round = this.deliverDue()
        .catch(() => {})
        .finally(() => {
          this.round = undefined;
        });
    }, pollMs);
    this.timer.unref();
  }

  /** Stops the worker, waits for a round in progress, and closes the HTTP client. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
    const agent = this.agent;
    this.agent = undefined;
    await agent?.close().catch(() => {});
  }
}

function view(row: Webhook): WebhookView {
  const { secret: _secret, deletedAt: _deleted, ...rest } = row;
  return rest;
}
