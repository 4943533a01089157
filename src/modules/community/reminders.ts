import { and, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { agreements, credentials, subscriptions } from '../access/schema.js';
import { type HolidayCalendar, hongKongDate } from '../crossborder/calendar.js';
import { transfers } from '../crossborder/schema.js';
import { currentState } from '../crossborder/service.js';
import { labMembers } from '../lab/schema.js';
import type { NotificationInput, NotificationService } from './notifications.js';
import { remindersSent } from './schema.js';

/** How far ahead each reminder looks. */
export const reminderWindows = {
  /** Agreements, subscriptions and credentials are reminded of twice: 7 days and 1 day before. */
  endingDays: [7, 1],
  transferFilingWorkingDays: 3,
  transferExpiryDays: 14,
} as const;

const day = 86_400_000;

export interface Reminder {
  /** Names the reminder and the date it is about; sent once per key. */
  key: string;
  kind: string;
  object: { type: string; id: string };
  send(tx: Executor): Promise<unknown>;
}

/**
 * Which reminder of an end is due now: the 7-day one while more than a day is left, the 1-day one
 * in the last day. A sweep that first sees an end in its last day sends only the 1-day reminder.
 */
export function endingWindow(endsAt: Date, now: Date): number | null {
  const left = endsAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const [far, near] = reminderWindows.endingDays;
  if (left <= near * day) return near;
  return left <= far * day ? far : null;
}

/**
 * Reminders of what is about to happen: agreements and subscriptions ending within 7 days and again
 * within 1 day (both parties), credentials likewise (their owner), lab seats likewise (the holder
 * and the lab's reviewers), transfer
 * filings due within 3 working days (the sender, who files), transfers expiring within 14 days
 * (both parties). Run by the platform's minute sweep; each reminder goes out once, because its key
 * is recorded in `reminders_sent` in the same transaction as the notification (a second run, or a
 * second node, inserts nothing and so notifies no one).
 *
 * It reads agreements and transfers directly, read-only: the two services offer no "everything
 * due soon, across organisations" query, and a reminder is not an action on their behalf.
 */
export class ReminderService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      notifications: NotificationService;
      calendar: HolidayCalendar;
      /** Reminders another module owns (an API version's coming sunset), sent once each like these. */
      sources?: ((now: Date) => Promise<Reminder[]>)[];
    },
  ) {}

  async run(): Promise<{ sent: number }> {
    const now = this.deps.clock.now();
    const due = [
      ...(await this.agreementExpiries(now)),
      ...(await this.subscriptionEnds(now)),
      ...(await this.credentialEnds(now)),
      ...(await this.seatEnds(now)),
      ...(await this.transferDeadlines(now)),
    ];
    for (const source of this.deps.sources ?? []) due.push(...(await source(now)));
    if (due.length === 0) return { sent: 0 };
    const known = await this.deps.db
      .select({ key: remindersSent.key })
      .from(remindersSent)
      .where(
        inArray(
          remindersSent.key,
          due.map((reminder) => reminder.key),
        ),
      );
    const seen = new Set(known.map((row) => row.key));
    const fresh = due.filter((reminder) => !seen.has(reminder.key));
    if (fresh.length === 0) return { sent: 0 };
    return this.deps.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(remindersSent)
        .values(
          fresh.map((reminder) => ({
            key: reminder.key,
            kind: reminder.kind,
            objectType: reminder.object.type,
            objectId: reminder.object.id,
            sentAt: now,
          })),
        )
        // A concurrent run that got there first wins; this one sends only what it recorded.
        .onConflictDoNothing()
        .returning({ key: remindersSent.key });
      const recorded = new Set(inserted.map((row) => row.key));
      for (const reminder of fresh) {
        if (recorded.has(reminder.key)) await reminder.send(tx);
      }
      return { sent: recorded.size };
    });
  }

  private async agreementExpiries(now: Date): Promise<Reminder[]> {
    const until = new Date(now.getTime() + reminderWindows.endingDays[0] * day);
    const expiresAt = sql`(${agreements.terms}->>'expiresAt')::timestamptz`;
    const rows = await this.deps.db
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
          lte(expiresAt, sql`${until.toISOString()}::timestamptz`),
        ),
      );
    return rows.flatMap((row) => {
      const days = endingWindow(new Date(row.terms.expiresAt), now);
      if (days === null) return [];
      return [
        {
          key: `agreement.expiring:${days}d:${row.id}:${row.terms.expiresAt}`,
          kind: 'agreement.expiring',
          object: { type: 'agreement', id: row.id },
          send: (tx: Executor) =>
            this.deps.notifications.publish(tx, 'agreement.expiring', {
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

  private async subscriptionEnds(now: Date): Promise<Reminder[]> {
    const until = new Date(now.getTime() + reminderWindows.endingDays[0] * day);
    const rows = await this.deps.db
      .select()
      .from(subscriptions)
      .where(
        and(
          inArray(subscriptions.state, ['active', 'suspended']),
          isNotNull(subscriptions.endsAt),
          gt(subscriptions.endsAt, now),
          lte(subscriptions.endsAt, until),
        ),
      );
    return rows.flatMap((row) => {
      const endsAt = row.endsAt!;
      const days = endingWindow(endsAt, now);
      if (days === null) return [];
      return [
        {
          key: `subscription.expiring:${days}d:${row.id}:${endsAt.toISOString()}`,
          kind: 'subscription.expiring',
          object: { type: 'subscription', id: row.id },
          send: (tx: Executor) =>
            this.deps.notifications.publish(tx, 'subscription.expiring', {
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

  private async credentialEnds(now: Date): Promise<Reminder[]> {
    const until = new Date(now.getTime() + reminderWindows.endingDays[0] * day);
    const rows = await this.deps.db
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
          lte(credentials.expiresAt, until),
        ),
      );
    return rows.flatMap((row) => {
      const expiresAt = row.expiresAt!;
      const days = endingWindow(expiresAt, now);
      if (days === null) return [];
      return [
        {
          key: `credential.expiring:${days}d:${row.id}:${expiresAt.toISOString()}`,
          kind: 'credential.expiring',
          object: { type: 'credential', id: row.id },
          send: (tx: Executor) =>
            this.deps.notifications.publish(tx, 'credential.expiring', {
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

  private async seatEnds(now: Date): Promise<Reminder[]> {
    const until = new Date(now.getTime() + reminderWindows.endingDays[0] * day);
    const rows = await this.deps.db
      .select()
      .from(labMembers)
      .where(and(isNotNull(labMembers.endsAt), gt(labMembers.endsAt, now), lte(labMembers.endsAt, until)));
    return rows.flatMap((row) => {
      const endsAt = row.endsAt!;
      const days = endingWindow(endsAt, now);
      if (days === null) return [];
      return [
        {
          key: `lab.access-expiring:${days}d:${row.labId}:${row.orgId}:${endsAt.toISOString()}`,
          kind: 'lab.access-expiring',
          object: { type: 'lab', id: row.labId },
          send: async (tx: Executor) => {
            const reviewers = await tx
              .select({ orgId: labMembers.orgId })
              .from(labMembers)
              .where(and(eq(labMembers.labId, row.labId), inArray(labMembers.role, ['owner', 'data-owner'])));
            return this.deps.notifications.publish(tx, 'lab.access-expiring', {
              to: { member: row.orgId, owner: reviewers.map((reviewer) => reviewer.orgId) },
              objectId: row.labId,
              title: `A lab seat ends within ${days === 1 ? 'a day' : 'a week'}`,
              body: `The seat of ${row.orgId} in lab ${row.labId} ends at ${endsAt.toISOString()}.`,
              data: {
                labId: row.labId,
                memberOrgId: row.orgId,
                role: row.role,
                agreementId: row.agreementId,
                endsAt: endsAt.toISOString(),
                daysLeft: days,
              },
            });
          },
        },
      ];
    });
  }

  private async transferDeadlines(now: Date): Promise<Reminder[]> {
    const today = hongKongDate(now);
    const filingHorizon = this.deps.calendar.addWorkingDays(today, reminderWindows.transferFilingWorkingDays);
    const expiryHorizon = new Date(now.getTime() + reminderWindows.transferExpiryDays * day);
    const rows = await this.deps.db
      .select()
      .from(transfers)
      .where(inArray(transfers.state, ['approved', 'filed', 'suspended']));
    const reminders: Reminder[] = [];
    const remind = (
      key: string,
      notification: NotificationInput & { object: { type: string; id: string } },
    ) =>
      reminders.push({
        key,
        kind: notification.kind,
        object: notification.object,
        send: (tx) => this.deps.notifications.notify(tx, notification),
      });
    for (const row of rows) {
      const state = currentState(row, now);
      const object = { type: 'transfer', id: row.id };
      if (state === 'approved' && row.filingDueOn && !row.filedOn) {
        if (row.filingDueOn >= today && row.filingDueOn <= filingHorizon) {
          remind(`transfer.filing-due:${row.id}:${row.filingDueOn}`, {
            orgIds: [row.providerOrgId],
            kind: 'transfer.filing-due',
            title: 'A transfer filing is due within 3 working days',
            body: `Transfer ${row.id} (${row.providerLocation} → ${row.recipientLocation}) must be filed with the authority by ${row.filingDueOn}; unfiled, it suspends itself the day after.`,
            object,
            data: { filingDueOn: row.filingDueOn },
          });
        }
      }
      if (state !== 'expired' && row.expiresAt > now && row.expiresAt <= expiryHorizon) {
        const expiresAt = row.expiresAt.toISOString();
        remind(`transfer.expiring:${row.id}:${expiresAt}`, {
          orgIds: [row.providerOrgId, row.recipientOrgId],
          kind: 'transfer.expiring',
          title: 'A cross-boundary transfer expires within 14 days',
          body: `Transfer ${row.id} (${row.providerLocation} → ${row.recipientLocation}) expires at ${expiresAt}; personal data stops crossing then unless a new transfer is approved.`,
          object,
          data: { expiresAt },
        });
      }
    }
    return reminders;
  }
}
