import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { NotificationInput, NotificationService } from '../community/notifications.js';
import { type Reminder, reminderWindows } from '../community/reminders.js';
import { type HolidayCalendar, hongKongDate } from './calendar.js';
import { transfers } from './schema.js';
import { currentState } from './service.js';

const day = 86_400_000;

/**
 * Transfer deadlines: filings due within 3 working days (the sender, who files) and transfers
 * expiring within 14 days (both parties).
 */
export function transferReminders(deps: {
  db: Db;
  notifications: NotificationService;
  calendar: HolidayCalendar;
}): (now: Date) => Promise<Reminder[]> {
  return async (now) => {
    const today = hongKongDate(now);
    const filingHorizon = deps.calendar.addWorkingDays(today, reminderWindows.transferFilingWorkingDays);
    const expiryHorizon = new Date(now.getTime() + reminderWindows.transferExpiryDays * day);
    const rows = await deps.db
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
        send: (tx) => deps.notifications.notify(tx, notification),
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
  };
}
