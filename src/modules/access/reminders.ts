import { and, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { EventPublisher } from '../community/events.js';
import { endingWindow, type Reminder, reminderWindows } from '../community/reminders.js';
import { agreements, credentials, subscriptions } from './schema.js';

const day = 86_400_000;

/**
 * What of access ends soon, as reminders for the reminder service to send once each: agreements and
 * subscriptions ending within 7 days and again within 1 day (both parties), credentials likewise
 * (their owner).
 */
export function accessReminders(deps: {
  db: Db;
  events: EventPublisher;
}): (now: Date) => Promise<Reminder[]> {
  return async (now) => [
    ...(await agreementExpiries(deps, now)),
    ...(await subscriptionEnds(deps, now)),
    ...(await credentialEnds(deps, now)),
  ];
}

function horizon(now: Date): Date {
  return new Date(now.getTime() + reminderWindows.endingDays[0] * day);
}

async function agreementExpiries({ db, events }: { db: Db; events: EventPublisher }, now: Date) {
  const expiresAt = sql`(${agreements.terms}->>'expiresAt')::timestamptz`;
  const rows = await db
    .select({
      id: agreements.id,
      datasetId: agreements.datasetId,
      orgId: agreements.orgId,
      providerOrgId: agreements.providerOrgId,
      terms: agreements.terms,
    })
    .from(agreements)
    .where(
      and(
        isNull(agreements.revokedAt),
        gt(expiresAt, sql`${now.toISOString()}::timestamptz`),
        lte(expiresAt, sql`${horizon(now).toISOString()}::timestamptz`),
      ),
    );
  return rows.flatMap((row): Reminder[] => {
    const days = endingWindow(new Date(row.terms.expiresAt), now);
    if (days === null) return [];
    return [
      {
        key: `agreement.expiring:${days}d:${row.id}:${row.terms.expiresAt}`,
        kind: 'agreement.expiring',
        object: { type: 'agreement', id: row.id },
        send: (tx: Executor) =>
          events.publish(tx, 'agreement.expiring', {
            to: { consumer: row.orgId, provider: row.providerOrgId },
            objectId: row.id,
            title: `An agreement expires within ${days === 1 ? 'a day' : 'a week'}`,
            body: `Agreement ${row.id} for dataset ${row.datasetId} expires at ${row.terms.expiresAt}. Access ends then; renew it by a new request if it is still needed.`,
            data: {
              agreementId: row.id,
              datasetId: row.datasetId,
              consumerOrgId: row.orgId,
              providerOrgId: row.providerOrgId,
              expiresAt: row.terms.expiresAt,
              daysLeft: days,
            },
          }),
      },
    ];
  });
}

async function subscriptionEnds({ db, events }: { db: Db; events: EventPublisher }, now: Date) {
  const rows = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        inArray(subscriptions.state, ['active', 'suspended']),
        isNotNull(subscriptions.endsAt),
        gt(subscriptions.endsAt, now),
        lte(subscriptions.endsAt, horizon(now)),
      ),
    );
  return rows.flatMap((row): Reminder[] => {
    const endsAt = row.endsAt!;
    const days = endingWindow(endsAt, now);
    if (days === null) return [];
    return [
      {
        key: `subscription.expiring:${days}d:${row.id}:${endsAt.toISOString()}`,
        kind: 'subscription.expiring',
        object: { type: 'subscription', id: row.id },
        send: (tx: Executor) =>
          events.publish(tx, 'subscription.expiring', {
            to: { consumer: row.orgId, provider: row.providerOrgId },
            objectId: row.id,
            title: `A subscription ends within ${days === 1 ? 'a day' : 'a week'}`,
            body: `Subscription ${row.id} ends at ${endsAt.toISOString()}; the gateway refuses its calls after that.`,
            data: {
              subscriptionId: row.id,
              apiId: row.apiId,
              planId: row.planId,
              consumerOrgId: row.orgId,
              providerOrgId: row.providerOrgId,
              endsAt: endsAt.toISOString(),
              daysLeft: days,
            },
          }),
      },
    ];
  });
}

async function credentialEnds({ db, events }: { db: Db; events: EventPublisher }, now: Date) {
  const rows = await db
    .select({
      id: credentials.id,
      orgId: credentials.orgId,
      name: credentials.name,
      expiresAt: credentials.expiresAt,
    })
    .from(credentials)
    .where(
      and(
        isNull(credentials.revokedAt),
        isNotNull(credentials.expiresAt),
        gt(credentials.expiresAt, now),
        lte(credentials.expiresAt, horizon(now)),
      ),
    );
  return rows.flatMap((row): Reminder[] => {
    const expiresAt = row.expiresAt!;
    const days = endingWindow(expiresAt, now);
    if (days === null) return [];
    return [
      {
        key: `credential.expiring:${days}d:${row.id}:${expiresAt.toISOString()}`,
        kind: 'credential.expiring',
        object: { type: 'credential', id: row.id },
        send: (tx: Executor) =>
          events.publish(tx, 'credential.expiring', {
            to: { consumer: row.orgId },
            objectId: row.id,
            title: `A credential stops working within ${days === 1 ? 'a day' : 'a week'}`,
            body: `Credential "${row.name}" (${row.id}) stops working at ${expiresAt.toISOString()}; create a new one and deploy it before then.`,
            data: { credentialId: row.id, expiresAt: expiresAt.toISOString(), daysLeft: days },
          }),
      },
    ];
  });
}
