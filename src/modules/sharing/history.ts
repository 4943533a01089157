import { AppError, validationFailed } from '../../errors.js';
import type { QueryableVersion } from '../catalog/datasets.js';
import { isOpenDataset } from '../catalog/datasets.js';
import type { Grant } from '../query/views.js';

/**
 * A shared table's history is its dataset's versions: a table version is a dataset version's
 * number, committed when it was uploaded (and became the dataset's current version). Which of them
 * a recipient reaches follows from its grant, never from the request:
 *
 * - an agreement pinned to a version reaches that version alone;
 * - an agreement that follows the latest version reaches the version that was current when it
 *   was approved and every later one: the provider agreed to share the dataset from then on,
 *   not the rows it held (and may have removed) before;
 * - open data reaches each version that was itself open (confirmed, open licence, no personal,
 *   sensitive or identifier column).
 *
 * Every version is read through the grant's own terms (query/service.ts `grantAtVersion`), so the
 * same masks, row filter and live consents apply to old rows as to current ones.
 */
export interface SharedHistory {
  /** Every version of the dataset up to the grant's current one, oldest first. */
  versions: QueryableVersion[];
  /** The versions the grant reaches, oldest first; the last is the current one. */
  shared: QueryableVersion[];
}

export function sharedHistory(
  grant: Grant,
  all: QueryableVersion[],
  agreement: { createdAt: Date; pinnedVersionId: string | null } | null,
): SharedHistory {
  const current = all.find((entry) => entry.version.id === grant.versionId);
  if (!current) return { versions: [], shared: [] };
  const versions = all.filter((entry) => entry.version.version <= current.version.version);
  if (grant.via === 'agreement' && agreement) {
    if (agreement.pinnedVersionId) return { versions, shared: [current] };
    const before = versions.filter((entry) => entry.version.createdAt <= agreement.createdAt);
    const first = before.at(-1)?.version.version ?? versions[0]!.version.version;
    return { versions, shared: versions.filter((entry) => entry.version.version >= first) };
  }
  if (grant.via === 'open') {
    return {
      versions,
      shared: versions.filter((entry) => entry === current || isOpenDataset(entry.dataset, entry.version)),
    };
  }
  return { versions, shared: [current] };
}

function describeShared(history: SharedHistory): string {
  const numbers = history.shared.map((entry) => entry.version.version);
  if (numbers.length === 0) return 'no version is shared with you';
  const first = numbers[0]!;
  const last = numbers.at(-1)!;
  const isRun = numbers.length === last - first + 1;
  if (numbers.length === 1) return `only version ${first} is shared with you`;
  return isRun
    ? `versions ${first} to ${last} are shared with you`
    : `versions ${numbers.join(', ')} are shared with you`;
}

/** The version by number: 404 when the table never had it, 403 when the grant does not reach it. */
export function sharedVersion(history: SharedHistory, table: string, number: number): QueryableVersion {
  const entry = history.versions.find((candidate) => candidate.version.version === number);
  if (!entry) {
    const latest = history.versions.at(-1)?.version.version ?? 0;
    throw new AppError(
      'table-version-not-found',
      `table ${table} has no version ${number}; its versions run from 1 to ${latest}`,
    );
  }
  if (!history.shared.includes(entry)) {
    throw new AppError(
      'table-version-not-shared',
      `version ${number} of ${table}: ${describeShared(history)}`,
    );
  }
  return entry;
}

/** The version that was current at an instant (time travel by `timestamp`). */
export function versionAt(history: SharedHistory, table: string, at: Date): QueryableVersion {
  const entry = history.versions.filter((candidate) => candidate.version.createdAt <= at).at(-1);
  if (!entry) {
    throw new AppError(
      'table-version-not-found',
      `table ${table} had no version yet at ${at.toISOString()}; its first was committed at ${history.versions[0]?.version.createdAt.toISOString() ?? 'no time'}`,
    );
  }
  return sharedVersion(history, table, entry.version.version);
}

/**
 * The earliest shared version committed at or after an instant (`startingTimestamp`); an instant
 * before the first shared version gives that version, as the protocol's version query says.
 */
export function firstSharedFrom(history: SharedHistory, table: string, at: Date): QueryableVersion {
  const entry = history.shared.find((candidate) => candidate.version.createdAt >= at);
  if (!entry) {
    throw new AppError(
      'table-version-not-found',
      `no version of ${table} was committed at or after ${at.toISOString()}; the latest is ${history.versions.at(-1)?.version.version ?? 0}`,
    );
  }
  return entry;
}

/**
 * A timestamp as the protocol writes it (`yyyy-[m]m-[d]d hh:mm:ss[.f...]`, in the server's time
 * zone, which is UTC here), or as ISO 8601 with a `T` and an offset, which clients also send.
 */
export function parseDeltaTimestamp(field: string, text: string): Date {
  const match =
    /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  const expected = 'expected yyyy-mm-dd hh:mm:ss[.fff] (UTC) or ISO 8601 with an offset';
  if (!match) throw validationFailed(field, `"${text.slice(0, 40)}" is not a timestamp; ${expected}`);
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}T${hour!.padStart(2, '0')}:${minute}:${second}${fraction.slice(0, 4)}${offset}`;
  const at = new Date(iso);
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const isCalendarDate =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day);
  if (Number.isNaN(at.getTime()) || !isCalendarDate) {
    throw validationFailed(field, `"${text.slice(0, 40)}" is not a calendar date and time; ${expected}`);
  }
  return at;
}
