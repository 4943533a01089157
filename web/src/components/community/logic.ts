import { dateLocale } from '../../i18n';
import type { AppNotification, LedgerEntry } from './types';

/** Tags as typed ("energy, Buildings; energy") → each once, trimmed, lower-case, in order. */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const part of text.split(/[,;，、\n]/)) {
    const tag = part.trim().toLowerCase();
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** Where a notification's object lives in the portal, or null when it has no page here. */
export function notificationHref(
  notification: Pick<AppNotification, 'objectType' | 'objectId'>,
  options: { isRegulator: boolean },
): string | null {
  const { objectType, objectId } = notification;
  if (!objectType || !objectId) return null;
  const id = encodeURIComponent(objectId);
  switch (objectType) {
    case 'wish':
      return `/wishes/${id}`;
    case 'dataset':
      return `/datasets/${id}`;
    case 'api':
      return `/apis/${id}`;
    case 'organisation':
      return `/community/${id}`;
    case 'agreement':
      return options.isRegulator ? '/regulator' : '/agreements';
    case 'access-request':
      return '/requests';
    case 'subscription':
    case 'credential':
      return '/credentials';
    case 'transfer':
      return options.isRegulator ? '/regulator/transfers' : null;
    case 'lab':
      return '/labs';
    case 'deletion-request':
      return '/deletion-requests';
    default:
      return null;
  }
}

/** Unread first, then newest first (ids grow with time, so the newest has the larger createdAt). */
export function unreadFirst<T extends Pick<AppNotification, 'readAt' | 'createdAt' | 'id'>>(items: T[]): T[] {
  return [...items].sort((a, b) => {
    const unreadA = a.readAt ? 1 : 0;
    const unreadB = b.readAt ? 1 : 0;
    if (unreadA !== unreadB) return unreadA - unreadB;
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
    return a.id < b.id ? 1 : -1;
  });
}

/** Ledger entries per calendar day (UTC), oldest day first, with days without entries left out. */
export function entriesPerDay(entries: Pick<LedgerEntry, 'at'>[]): { day: string; entries: number }[] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const day = new Date(entry.at).toISOString().slice(0, 10);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, count]) => ({ day, entries: count }));
}

/**
 * Entries over time for a chart: per day when they span several days, else per hour (UTC) of
 * their one day, so that a young ledger does not show a single bar.
 */
export function entriesOverTime(entries: Pick<LedgerEntry, 'at'>[]): {
  unit: 'day' | 'hour';
  day: string | null;
  rows: { name: string; count: number }[];
} {
  const days = entriesPerDay(entries);
  if (days.length !== 1) {
    return { unit: 'day', day: null, rows: days.map((d) => ({ name: d.day, count: d.entries })) };
  }
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const hour = `${new Date(entry.at).toISOString().slice(11, 13)}:00`;
    counts.set(hour, (counts.get(hour) ?? 0) + 1);
  }
  const rows = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, count]) => ({ name, count }));
  return { unit: 'hour', day: days[0]?.day ?? null, rows };
}

/**
 * How many items have each value of a key, most first (ties by name), the rest folded into
 * `otherLabel` after `top` values so that a chart stays readable.
 */
export function countBy<T>(
  items: T[],
  keyOf: (item: T) => string,
  options: { top?: number; otherLabel?: string } = {},
): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  const sorted = [...counts.entries()]
    .sort(([nameA, a], [nameB, b]) => b - a || (nameA < nameB ? -1 : 1))
    .map(([name, count]) => ({ name, count }));
  const top = options.top ?? sorted.length;
  if (sorted.length <= top) return sorted;
  const rest = sorted.slice(top).reduce((sum, row) => sum + row.count, 0);
  return [...sorted.slice(0, top), { name: options.otherLabel ?? 'other', count: rest }];
}

/** The first characters of a hash, enough to tell entries apart on screen. */
export const hashPrefix = (hash: string, length = 12) => hash.slice(0, length);

export function formatDateTime(
  value: string,
  language: string,
  style: 'short' | 'medium' = 'medium',
): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(dateLocale(language), { dateStyle: style, timeStyle: 'short' });
}

export function formatDate(value: string, language: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(dateLocale(language), { dateStyle: 'medium' });
}

/** The locations an organisation may declare (common.json `location.*`). */
export { locations } from '../data/types';
