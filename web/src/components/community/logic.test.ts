import { describe, expect, it } from 'vitest';
import {
  countBy,
  entriesOverTime,
  entriesPerDay,
  hashPrefix,
  notificationHref,
  parseTags,
  unreadFirst,
} from './logic';

describe('parseTags', () => {
  it('splits on commas (also Chinese ones), trims, lower-cases and keeps each tag once', () => {
    expect(parseTags(' Energy, buildings ,energy;;EV，充電 、 ')).toEqual([
      'energy',
      'buildings',
      'ev',
      '充電',
    ]);
    expect(parseTags('')).toEqual([]);
    expect(parseTags(' , ,')).toEqual([]);
  });
});

describe('notificationHref', () => {
  const asUser = { isRegulator: false };
  it('links a notification to its object', () => {
    expect(notificationHref({ objectType: 'wish', objectId: 'wsh_1' }, asUser)).toBe('/wishes/wsh_1');
    expect(notificationHref({ objectType: 'dataset', objectId: 'dst_1' }, asUser)).toBe('/datasets/dst_1');
    expect(notificationHref({ objectType: 'api', objectId: 'api_1' }, asUser)).toBe('/apis/api_1');
    expect(notificationHref({ objectType: 'organisation', objectId: 'org_1' }, asUser)).toBe(
      '/community/org_1',
    );
    expect(notificationHref({ objectType: 'agreement', objectId: 'agr_1' }, asUser)).toBe('/agreements');
    expect(notificationHref({ objectType: 'lab', objectId: 'lab_1' }, asUser)).toBe('/labs');
    expect(notificationHref({ objectType: 'deletion-request', objectId: 'del_1' }, asUser)).toBe(
      '/deletion-requests',
    );
  });
  it('sends regulators to their own pages and gives up on what has no page', () => {
    expect(notificationHref({ objectType: 'agreement', objectId: 'agr_1' }, { isRegulator: true })).toBe(
      '/regulator',
    );
    expect(notificationHref({ objectType: 'transfer', objectId: 'xfr_1' }, { isRegulator: true })).toBe(
      '/regulator/transfers',
    );
    expect(notificationHref({ objectType: 'transfer', objectId: 'xfr_1' }, asUser)).toBeNull();
    expect(notificationHref({ objectType: 'session', objectId: 'x' }, asUser)).toBeNull();
    expect(notificationHref({ objectType: null, objectId: null }, asUser)).toBeNull();
  });
  it('escapes an id so it cannot leave its path', () => {
    expect(notificationHref({ objectType: 'wish', objectId: '../admin' }, asUser)).toBe('/wishes/..%2Fadmin');
  });
});

describe('unreadFirst', () => {
  it('puts unread first, then the newest', () => {
    const items = [
      { id: 'n1', readAt: null, createdAt: '2026-01-01T00:00:00Z' },
      { id: 'n2', readAt: '2026-01-03T00:00:00Z', createdAt: '2026-01-03T00:00:00Z' },
      { id: 'n3', readAt: null, createdAt: '2026-01-02T00:00:00Z' },
      { id: 'n4', readAt: '2026-01-05T00:00:00Z', createdAt: '2026-01-04T00:00:00Z' },
    ];
    expect(unreadFirst(items).map((n) => n.id)).toEqual(['n3', 'n1', 'n4', 'n2']);
  });
});

describe('ledger charts', () => {
  it('counts entries per UTC day, oldest first', () => {
    expect(
      entriesPerDay([
        { at: '2026-03-02T23:59:00Z' },
        { at: '2026-03-01T10:00:00Z' },
        { at: '2026-03-02T00:00:00Z' },
      ]),
    ).toEqual([
      { day: '2026-03-01', entries: 1 },
      { day: '2026-03-02', entries: 2 },
    ]);
  });
  it('counts per hour when every entry is of one day', () => {
    expect(
      entriesOverTime([
        { at: '2026-03-01T10:05:00Z' },
        { at: '2026-03-01T09:00:00Z' },
        { at: '2026-03-01T10:59:00Z' },
      ]),
    ).toEqual({
      unit: 'hour',
      day: '2026-03-01',
      rows: [
        { name: '09:00', count: 1 },
        { name: '10:00', count: 2 },
      ],
    });
    expect(entriesOverTime([{ at: '2026-03-01T10:05:00Z' }, { at: '2026-03-02T09:00:00Z' }]).unit).toBe(
      'day',
    );
    expect(entriesOverTime([])).toEqual({ unit: 'day', day: null, rows: [] });
  });
  it('counts by a key, most first, folding the rest', () => {
    const actions = ['a', 'b', 'b', 'c', 'c', 'c', 'd'].map((action) => ({ action }));
    expect(countBy(actions, (e) => e.action)).toEqual([
      { name: 'c', count: 3 },
      { name: 'b', count: 2 },
      { name: 'a', count: 1 },
      { name: 'd', count: 1 },
    ]);
    expect(countBy(actions, (e) => e.action, { top: 2, otherLabel: 'other' })).toEqual([
      { name: 'c', count: 3 },
      { name: 'b', count: 2 },
      { name: 'other', count: 2 },
    ]);
  });
  it('shortens a hash', () => {
    expect(hashPrefix('0123456789abcdef0123')).toBe('0123456789ab');
  });
});
