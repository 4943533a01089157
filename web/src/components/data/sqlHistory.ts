/**
 * The SQL console's local history: the last queries that ran, most recent first, kept in the
 * browser per user and organisation (a query names the tables one organisation may read, so
 * another organisation's history would only fail). Never sent to the platform, whose audit ledger
 * is the record that counts.
 */

export const historyLimit = 20;

/** The small part of `Storage` the history uses, so tests can pass a plain object. */
export type HistoryStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const historyKey = (userId: string, orgId: string) => `stp.sql-history.${userId}.${orgId}`;

/** The stored history; anything unreadable (corrupt JSON, the wrong shape) reads as none. */
export function loadHistory(storage: HistoryStorage, key: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(key) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '')
    .slice(0, historyLimit);
}

/** The history with `sql` first, an earlier copy of it removed, cut to the limit. */
export function withQuery(history: readonly string[], sql: string): string[] {
  const query = sql.trim();
  if (!query) return [...history];
  return [query, ...history.filter((entry) => entry.trim() !== query)].slice(0, historyLimit);
}

/** Adds a query that ran and stores the history; returns it. A full or refused storage keeps it in memory only. */
export function addToHistory(storage: HistoryStorage, key: string, sql: string): string[] {
  const history = withQuery(loadHistory(storage, key), sql);
  try {
    storage.setItem(key, JSON.stringify(history));
  } catch {
    // Quota exceeded or storage disabled: the list still shows for this visit.
  }
  return history;
}

export function clearHistory(storage: HistoryStorage, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
