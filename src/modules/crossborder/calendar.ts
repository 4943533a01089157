import { readFileSync } from 'node:fs';

/**
 * Working days for filing deadlines: Monday to Friday, except public holidays. The filing of a
 * cross-boundary transfer is due within 10 working days of its standard contract taking effect, so
 * a deadline counts only days on which the authority is open.
 *
 * Hong Kong's general holidays are shipped (as gazetted for 2025 and 2026; extend the list each
 * year, or point STP_HOLIDAYS_FILE at a JSON array of YYYY-MM-DD dates to use another calendar).
 */
export const hongKongHolidays: readonly string[] = [
  // 2025
  '2025-01-01',
  '2025-01-29',
  '2025-01-30',
  '2025-01-31',
  '2025-04-04',
  '2025-04-18',
  '2025-04-19',
  '2025-04-21',
  '2025-05-01',
  '2025-05-05',
  '2025-05-31',
  '2025-07-01',
  '2025-10-01',
  '2025-10-07',
  '2025-10-29',
  '2025-12-25',
  '2025-12-26',
  // 2026
  '2026-01-01',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-04-03',
  '2026-04-04',
  '2026-04-06',
  '2026-04-07',
  '2026-05-01',
  '2026-05-25',
  '2026-06-19',
  '2026-07-01',
  '2026-09-26',
  '2026-10-01',
  '2026-10-19',
  '2026-12-25',
  '2026-12-26',
];

export class HolidayCalendar {
  private readonly holidays: Set<string>;

  constructor(dates: Iterable<string>) {
    this.holidays = new Set(dates);
  }

  /** The shipped Hong Kong calendar, or the dates in `file` (a JSON array of YYYY-MM-DD). */
  static load(file?: string): HolidayCalendar {
    if (!file) return new HolidayCalendar(hongKongHolidays);
    const dates = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (
      !Array.isArray(dates) ||
      !dates.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))
    ) {
      throw new Error(`${file} must be a JSON array of YYYY-MM-DD dates`);
    }
    return new HolidayCalendar(dates as string[]);
  }

  isWorkingDay(day: string): boolean {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(day);
  }

  /**
   * The date `count` working days after `from` (a YYYY-MM-DD date): the day the contract takes
   * effect is day 0, so the 1st working day is the next working day after it.
   */
  addWorkingDays(from: string, count: number): string {
    let day = new Date(`${from}T00:00:00Z`);
    let remaining = count;
    while (remaining > 0) {
      day = new Date(day.getTime() + 86_400_000);
      if (this.isWorkingDay(day.toISOString().slice(0, 10))) remaining -= 1;
    }
    return day.toISOString().slice(0, 10);
  }
}

/** A timestamp's calendar date in Hong Kong (UTC+8, no daylight saving). */
export function hongKongDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The instant (epoch ms) a Hong Kong calendar date (YYYY-MM-DD) begins: the inverse of hongKongDate. */
export function startOfHongKongDay(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}
