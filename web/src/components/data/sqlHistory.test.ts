import { describe, expect, it } from 'vitest';
import {
  addToHistory,
  clearHistory,
  type HistoryStorage,
  historyKey,
  historyLimit,
  loadHistory,
  withQuery,
} from './sqlHistory';

function memoryStorage(
  initial: Record<string, string> = {},
): HistoryStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const key = historyKey('usr_grace', 'org_park');

describe('the SQL console history', () => {
  it('puts the newest query first', () => {
    const storage = memoryStorage();
    addToHistory(storage, key, 'SELECT 1');
    expect(addToHistory(storage, key, 'SELECT 2')).toEqual(['SELECT 2', 'SELECT 1']);
    expect(loadHistory(storage, key)).toEqual(['SELECT 2', 'SELECT 1']);
  });

  it('keeps one copy of a query run again, moved to the top, ignoring surrounding space', () => {
    expect(withQuery(['SELECT 2', 'SELECT 1'], '  SELECT 1\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('ignores an empty query', () => {
    expect(withQuery(['SELECT 1'], '   ')).toEqual(['SELECT 1']);
  });

  it(`keeps the last ${historyLimit} queries only`, () => {
    const storage = memoryStorage();
    for (let i = 1; i <= historyLimit + 5; i++) addToHistory(storage, key, `SELECT ${i}`);
    const history = loadHistory(storage, key);
    expect(history).toHaveLength(historyLimit);
    expect(history[0]).toBe(`SELECT ${historyLimit + 5}`);
    expect(history.at(-1)).toBe('SELECT 6');
  });

  it('reads corrupt or foreign storage as no history, and writes over it', () => {
    for (const stored of ['{not json', '{"a":1}', '"SELECT 1"', 'null']) {
      const storage = memoryStorage({ [key]: stored });
      expect(loadHistory(storage, key)).toEqual([]);
      expect(addToHistory(storage, key, 'SELECT 1')).toEqual(['SELECT 1']);
    }
    // Entries that are not queries are dropped, the rest kept.
    const mixed = memoryStorage({ [key]: JSON.stringify(['SELECT 1', 7, null, '', 'SELECT 2']) });
    expect(loadHistory(mixed, key)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('keeps the list in memory when storage refuses to write', () => {
    const full: HistoryStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(addToHistory(full, key, 'SELECT 1')).toEqual(['SELECT 1']);
  });

  it('is kept apart per user and organisation, and clears', () => {
    const storage = memoryStorage();
    addToHistory(storage, key, 'SELECT 1');
    expect(loadHistory(storage, historyKey('usr_grace', 'org_other'))).toEqual([]);
    expect(loadHistory(storage, historyKey('usr_alan', 'org_park'))).toEqual([]);
    clearHistory(storage, key);
    expect(loadHistory(storage, key)).toEqual([]);
  });
});
