import { and, or, type SQL, sql } from 'drizzle-orm';
import type { LedgerEntry } from './chain.js';
import { auditEvents, entryField } from './schema.js';

/**
 * A slice of the ledger a regulator asks about: what an organisation did or was party to, what
 * touched a dataset or an agreement, within a time range. Every criterion given must hold (AND).
 * Times are ISO 8601 UTC; both ends are inclusive.
 */
export interface EvidenceScope {
  orgId: string | null;
  datasetId: string | null;
  agreementId: string | null;
  since: string | null;
  until: string | null;
}

export const emptyScope: EvidenceScope = {
  orgId: null,
  datasetId: null,
  agreementId: null,
  since: null,
  until: null,
};

/** A scope from loose input: missing criteria become null, times are normalised to ISO 8601 UTC. */
export function scopeOf(input: {
  orgId?: string | null;
  datasetId?: string | null;
  agreementId?: string | null;
  since?: string | Date | null;
  until?: string | Date | null;
}): EvidenceScope {
  const time = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);
  return {
    orgId: input.orgId ?? null,
    datasetId: input.datasetId ?? null,
    agreementId: input.agreementId ?? null,
    since: time(input.since),
    until: time(input.until),
  };
}

/**
 * How entries mention an object. Modules record references in `data` under a few conventional
 * shapes (`datasetId`, `datasets: [{ id }]` in query.run, `agreements: [id]`, …); each shape is a
 * JSON document that a mentioning entry's `data` contains (jsonb `@>`, served by the GIN index on
 * the `data` column). The same patterns drive the offline check of a bundle (`entryInScope`), so the
 * database search and the verifier cannot disagree about what "mentions" means.
 */
const mentionPatterns = {
  organisation: {
    objectType: 'organisation',
    data: (id: string) => [{ consumerOrgId: id }, { providerOrgId: id }, { recipientOrgId: id }],
  },
  dataset: {
    objectType: 'dataset',
    data: (id: string) => [
      { datasetId: id },
      { datasetIds: [id] },
      { datasets: [{ id }] },
      { datasets: [{ datasetId: id }] },
    ],
  },
  agreement: {
    objectType: 'agreement',
    data: (id: string) => [{ agreementId: id }, { agreements: [id] }, { datasets: [{ agreementId: id }] }],
  },
} as const;

type Mentioned = keyof typeof mentionPatterns;

function mentionsSql(kind: Mentioned, id: string, alsoActingOrg = false): SQL {
  const pattern = mentionPatterns[kind];
  const arms: SQL[] = [
    and(equals(entryField('objectType'), pattern.objectType), equals(entryField('objectId'), id))!,
    ...pattern.data(id).map((shape) => sql`${auditEvents.data} @> ${JSON.stringify(shape)}::jsonb`),
  ];
  if (alsoActingOrg) arms.unshift(equals(entryField('orgId'), id));
  return or(...arms)!;
}

function equals(left: SQL, value: string): SQL {
  return sql`${left} = ${value}`;
}

/** The scope as SQL conditions on `audit_events` (all must hold). */
export function scopeConditions(scope: EvidenceScope): SQL[] {
  const conditions: SQL[] = [];
  if (scope.orgId) conditions.push(mentionsSql('organisation', scope.orgId, true));
  if (scope.datasetId) conditions.push(mentionsSql('dataset', scope.datasetId));
  if (scope.agreementId) conditions.push(mentionsSql('agreement', scope.agreementId));
  // `at` is ISO 8601 UTC with milliseconds, so text order is time order.
  if (scope.since) conditions.push(sql`${entryField('at')} >= ${scope.since}`);
  if (scope.until) conditions.push(sql`${entryField('at')} <= ${scope.until}`);
  return conditions;
}

/** jsonb `@>` semantics: objects by key, arrays by "each wanted element is inside some element". */
function contains(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.every((w) => have.some((h) => contains(h, w)));
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    const record = have as Record<string, unknown>;
    return Object.entries(want).every(([key, value]) => key in record && contains(record[key], value));
  }
  return have === want;
}

function mentions(entry: LedgerEntry, kind: Mentioned, id: string): boolean {
  const pattern = mentionPatterns[kind];
  if (entry.objectType === pattern.objectType && entry.objectId === id) return true;
  return pattern.data(id).some((shape) => contains(entry.data, shape));
}

/** Whether an entry lies in the scope: the offline twin of `scopeConditions`. */
export function entryInScope(entry: LedgerEntry, scope: EvidenceScope): boolean {
  if (scope.orgId && entry.orgId !== scope.orgId && !mentions(entry, 'organisation', scope.orgId))
    return false;
  if (scope.datasetId && !mentions(entry, 'dataset', scope.datasetId)) return false;
  if (scope.agreementId && !mentions(entry, 'agreement', scope.agreementId)) return false;
  if (scope.since && entry.at < scope.since) return false;
  if (scope.until && entry.at > scope.until) return false;
  return true;
}
