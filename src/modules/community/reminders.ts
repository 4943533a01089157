import { inArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
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
 * and the lab's reviewers), transfer filings due within 3 working days (the sender, who files),
 * transfers expiring within 14 days (both parties), API versions' sunsets (their callers). Each
 * module that owns such a date gives a source (`access/reminders.ts`, `lab/reminders.ts`,
 * `crossborder/reminders.ts`, `flows/api-retirement.ts`); this service sends what they return.
 * Run by the platform's minute sweep; each reminder goes out once, because its key is recorded in
 * `reminders_sent` in the same transaction as the notification (a second run, or a second node,
 * inserts nothing and so notifies no one).
 */
export class ReminderService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      /**
       * What is due, from the modules that own it (access, lab, crossborder, an API version's
       * sunset): each reads its own tables and says what to send.
       */
      sources: ((now: Date) => Promise<Reminder[]>)[];
    },
  ) {}

  async run(): Promise<{ sent: number }> {
    const now = this.deps.clock.now();
    const due: Reminder[] = [];
    for (const source of this.deps.sources) due.push(...(await source(now)));
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
}
