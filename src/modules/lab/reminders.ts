import { and, eq, gt, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { EventPublisher } from '../community/events.js';
import { endingWindow, type Reminder, reminderWindows } from '../community/reminders.js';
import { labMembers } from './schema.js';

const day = 86_400_000;

/** Lab seats ending within 7 days and again within 1 day: the holder and the lab's reviewers hear. */
export function labSeatReminders(deps: {
  db: Db;
  events: EventPublisher;
}): (now: Date) => Promise<Reminder[]> {
  return async (now) => {
    const until = new Date(now.getTime() + reminderWindows.endingDays[0] * day);
    const rows = await deps.db
      .select()
      .from(labMembers)
      .where(and(isNotNull(labMembers.endsAt), gt(labMembers.endsAt, now), lte(labMembers.endsAt, until)));
    return rows.flatMap((row): Reminder[] => {
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
            return deps.events.publish(tx, 'lab.access-expiring', {
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
  };
}
