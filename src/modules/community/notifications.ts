import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Principal } from '../identity/principal.js';
import {
  type EventInput,
  type EventPublisher,
  type EventType,
  eventCatalogue,
  recipientsOf,
} from './events.js';
import { notifications } from './schema.js';
import { enqueueWebhookDeliveries } from './webhooks.js';

export type Notification = typeof notifications.$inferSelect;

export interface NotificationInput {
  /** Every organisation that should hear of it (duplicates are ignored). */
  orgIds: string[];
  /** An event of the catalogue (events.ts). */
  kind: EventType;
  title: string;
  body: string;
  object?: { type: string; id: string };
  data?: Record<string, unknown>;
}

/**
 * In-app notifications. `notify` takes the caller's transaction, so a notification exists exactly
 * when the change it reports was committed; so do its webhook deliveries.
 */
export class NotificationService implements EventPublisher {
  constructor(readonly deps: { db: Db; clock: Clock }) {}

  /**
   * Publishes one catalogued event in the caller's transaction: a notification to each organisation
   * of its audience (and only those), and a webhook delivery for each webhook that asked for it.
   */
  async publish<K extends EventType>(tx: Executor, type: K, input: EventInput<K>): Promise<Notification[]> {
    return this.notify(tx, {
      orgIds: recipientsOf(type, input.to),
      kind: type,
      title: input.title,
      body: input.body,
      object: { type: eventCatalogue[type].object, id: input.objectId },
      data: input.data as Record<string, unknown>,
    });
  }

  async notify(tx: Executor, input: NotificationInput): Promise<Notification[]> {
    const now = this.deps.clock.now();
    const orgIds = [...new Set(input.orgIds)];
    if (orgIds.length === 0) return [];
    const rows = await tx
      .insert(notifications)
      .values(
        orgIds.map((orgId) => ({
          id: newId('notification'),
          orgId,
          kind: input.kind,
          title: input.title,
          body: input.body,
          objectType: input.object?.type ?? null,
          objectId: input.object?.id ?? null,
          data: input.data ?? {},
          createdAt: now,
        })),
      )
      .returning();
    // Webhooks that asked for this kind get a delivery row in the same transaction (webhooks.ts).
    await enqueueWebhookDeliveries(tx, rows, now);
    return rows;
  }

  async list(
    principal: Principal,
    query: { unread?: boolean; before?: string; limit: number },
  ): Promise<Notification[]> {
    const conditions = [eq(notifications.orgId, principal.orgId)];
    if (query.unread) conditions.push(isNull(notifications.readAt));
    if (query.before) conditions.push(lt(notifications.id, query.before));
    return this.deps.db
      .select()
      .from(notifications)
      .where(and(...conditions))
      .orderBy(desc(notifications.id))
      .limit(query.limit);
  }

  async markRead(principal: Principal, notificationId: string): Promise<Notification> {
    const [row] = await this.deps.db
      .update(notifications)
      .set({ readAt: this.deps.clock.now() })
      .where(and(eq(notifications.id, notificationId), eq(notifications.orgId, principal.orgId)))
      .returning();
    if (!row) throw notFound(`notification ${notificationId}`);
    return row;
  }
}
