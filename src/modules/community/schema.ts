import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { wishStatuses } from './vocabulary.js';

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

// ---- data community: wishes and follows --------------------------------------------------------

export { wishStatuses };
export type WishStatus = (typeof wishStatuses)[number];

export const wishTargetTypes = ['dataset', 'api'] as const;
export type WishTargetType = (typeof wishTargetTypes)[number];

/**
 * A community request for data that does not exist yet. Votes, follows and responses hang off it;
 * counts are derived from those rows, never stored here twice.
 */
export const wishes = pgTable(
  'wishes',
  {
    id: text('id').primaryKey(),
    /** The wisher's organisation: it (an admin, or the poster) may close the wish. */
    orgId: text('org_id').notNull(),
    createdBy: text('created_by').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    tags: text('tags').array().notNull(),
    status: text('status').$type<WishStatus>().notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('wishes_status_idx').on(t.status, t.id), index('wishes_org_idx').on(t.orgId)],
);

/** One vote per user and wish: the primary key makes voting twice a no-op. */
export const wishVotes = pgTable(
  'wish_votes',
  {
    wishId: text('wish_id')
      .notNull()
      .references(() => wishes.id),
    userId: text('user_id').notNull(),
    /** The organisation the user voted for. */
    orgId: text('org_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.wishId, t.userId] })],
);

/**
 * Who follows a wish. Notifications go to organisations, so the follower's organisation (the one
 * the user acted for) is kept with the follow and is who hears when the wish is answered.
 */
export const wishFollows = pgTable(
  'wish_follows',
  {
    wishId: text('wish_id')
      .notNull()
      .references(() => wishes.id),
    userId: text('user_id').notNull(),
    orgId: text('org_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.wishId, t.userId] })],
);

/**
 * A provider's answer to a wish: a message and the published dataset or API that meets it. The
 * target's name is read from the catalogue when shown, so a renamed dataset is not shown stale.
 */
export const wishResponses = pgTable(
  'wish_responses',
  {
    id: text('id').primaryKey(),
    wishId: text('wish_id')
      .notNull()
      .references(() => wishes.id),
    orgId: text('org_id').notNull(),
    message: text('message').notNull(),
    targetType: text('target_type').$type<WishTargetType>().notNull(),
    targetId: text('target_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('wish_responses_wish_idx').on(t.wishId, t.createdAt),
    uniqueIndex('wish_responses_target_key').on(t.wishId, t.targetType, t.targetId),
  ],
);

/**
 * A user's follow of an organisation in the directory. Like wish follows, the follower's
 * organisation is kept: it is notified when the followed organisation publishes.
 */
export const orgFollows = pgTable(
  'org_follows',
  {
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    followerOrgId: text('follower_org_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index('org_follows_follower_idx').on(t.followerOrgId),
  ],
);
