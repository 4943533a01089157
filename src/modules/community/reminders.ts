import { and, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { agreements } from '../access/schema.js';
import { type HolidayCalendar, hongKongDate } from '../crossborder/calendar.js';
import { transfers } from '../crossborder/schema.js';
import { currentState } from '../crossborder/service.js';
import type { NotificationInput, NotificationService } from './notifications.js';
import { remindersSent } from './schema.js';

/** How far ahead each reminder looks. */
export const reminderWindows = {
  agreementExpiryDays: 7,
  transferFilingWorkingDays: 3,
  transferExpiryDays: 14,
} as const;

const day = 86_400_000;

interface Reminder {
  /** Names the reminder and the date it is about; sent once per key. */
  key: string;
  notification: NotificationInput & { object: { type: string; id: string } };
}

/**
 * Reminders of what is about to happen: agreements expiring within 7 days (both parties), transfer
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
    readonly deps: { db: Db; clock: Clock; notifications: NotificationService; calendar: HolidayCalendar },
  ) {}

  async run(): Promise<{ sent: number }> {
    const now = this.deps.clock.now();
    const due = [...(await this.agreementExpiries(now)), ...(await this.transferDeadlines(now))];
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
            kind: reminder.notification.kind,
            objectType: reminder.notification.object.type,
            objectId: reminder.notification.object.id,
            sentAt: now,
          })),
        )
        // A concurrent run that got there first wins; this one sends only what it recorded.
        .onConflictDoNothing()
        .returning({ key: remindersSent.key });
      const recorded = new Set(inserted.map((row) => row.key));
      for (const reminder of fresh) {
        if (recorded.has(reminder.key)) await this.deps.notifications.notify(tx, reminder.notification);
      }
      return { sent: recorded.size };
    });
  }

  private async agreementExpiries(now: Date): Promise<Reminder[]> {
    const until = new Date(now.getTime() + reminderWindows.agreementExpiryDays * day);
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
    return rows.map((row) => ({
      key: `agreement.expiring:${row.id}:${row.terms.expiresAt}`,
      notification: {
        orgIds: [row.providerOrgId, row.orgId],
        kind: 'agreement.expiring',
        title: 'An agreement expires within a week',
        body: `Agreement ${row.id} for dataset ${row.datasetId} expires at ${row.terms.expiresAt}. Access ends then; renew it by a new request if it is still needed.`,
        object: { type: 'agreement', id: row.id },
        data: { expiresAt: row.terms.expiresAt, datasetId: row.datasetId },
      },
    }));
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
    for (const row of rows) {
      const state = currentState(row, now);
      const object = { type: 'transfer', id: row.id };
      if (state === 'approved' && row.filingDueOn && !row.filedOn) {
        if (row.filingDueOn >= today && row.filingDueOn <= filingHorizon) {
          reminders.push({
            key: `transfer.filing-due:${row.id}:${row.filingDueOn}`,
            notification: {
              orgIds: [row.providerOrgId],
              kind: 'transfer.filing-due',
              title: 'A transfer filing is due within 3 working days',
              body: `Transfer ${row.id} (${row.providerLocation} → ${row.recipientLocation}) must be filed with the authority by ${row.filingDueOn}; unfiled, it suspends itself the day after.`,
              object,
              data: { filingDueOn: row.filingDueOn },
            },
          });
        }
      }
      if (state !== 'expired' && row.expiresAt > now && row.expiresAt <= expiryHorizon) {
        const expiresAt = row.expiresAt.toISOString();
        reminders.push({
          key: `transfer.expiring:${row.id}:${expiresAt}`,
          notification: {
            orgIds: [row.providerOrgId, row.recipientOrgId],
            kind: 'transfer.expiring',
            title: 'A cross-boundary transfer expires within 14 days',
            body: `Transfer ${row.id} (${row.providerLocation} → ${row.recipientLocation}) expires at ${expiresAt}; personal data stops crossing then unless a new transfer is approved.`,
            object,
            data: { expiresAt },
          },
        });
      }
    }
    return reminders;
  }
}
