import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * An in-app notification for an organisation: a decision, an upcoming expiry, a deadline. Written
 * in the same transaction as the change it reports; webhooks deliver the same events outward.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    /** A stable event name such as `transfer.suspended` or `agreement.expiring`. */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notifications_org_idx').on(t.orgId, t.createdAt)],
);

// ---- webhooks (notifications outward) ----------------------------------------------------------

/**
 * An organisation's subscription to its notifications over HTTP. `events` are notification kinds
 * (`transfer.approved`), prefixes (`transfer.*`) or `*`. `secret` signs each delivery (HMAC-SHA256);
 * it is kept as it is because signing needs the secret itself: a hash could check a signature
 * someone else made, but never make one. Deleting sets `deletedAt` and cancels what is pending.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    secret: text('secret').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('webhooks_org_idx').on(t.orgId).where(sql`deleted_at is null`)],
);

export const deliveryStates = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * One notification to one webhook. Written in the notification's transaction, so a delivery exists
 * exactly when the change it reports was committed. `body` is fixed when the row is written: every
 * attempt sends the same bytes (receivers deduplicate on `STP-Delivery`). A worker claims due rows by
 * pushing `nextAttemptAt` a lease ahead, posts, and records the outcome; a crash mid-post leaves the
 * row to be retried when the lease runs out.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    orgId: text('org_id').notNull(),
    notificationId: text('notification_id').notNull(),
    event: text('event').notNull(),
    body: text('body').notNull(),
    state: text('state').$type<DeliveryState>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`state = 'pending'`),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

// ---- reminders ---------------------------------------------------------------------------------

/**
 * Reminders already sent, so each goes out once. `key` names the reminder and the date it is about
 * (`agreement.expiring:agr_…:2026-05-01T00:00:00.000Z`): if that date moves, a new reminder is due.
 */
export const remindersSent = pgTable('reminders_sent', {
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  objectType: text('object_type').notNull(),
  objectId: text('object_id').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
});
