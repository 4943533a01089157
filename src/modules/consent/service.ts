import { createHash } from 'node:crypto';
import {
  and,
  arrayOverlaps,
  asc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import { type Page, pageOf } from '../../infra/paging.js';
import { type Purpose, purposes } from '../access/schema.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import type { CatalogService } from '../catalog/service.js';
import { authorize, type Principal, requireKind, requireRole } from '../identity/principal.js';
import type { Organisation } from '../identity/service.js';
import type { ConsentFilter } from '../query/views.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import type { DeletionRequestService } from './deletion.js';
import { type ConsentGate, isSubjectKey } from './gate.js';
import { type ConsentReceipt, consentReceipt, type ReceiptItem } from './receipt.js';
import { apiConsentRequirements, consents } from './schema.js';
import { consentStates } from './vocabulary.js';

export type Consent = typeof consents.$inferSelect;
export type ApiConsentRequirement = typeof apiConsentRequirements.$inferSelect;

export { consentStates };
export type ConsentState = (typeof consentStates)[number];

/** Live: not revoked, not expired, granted. Derived from the facts on every read, never stored. */
export function consentState(
  consent: Pick<Consent, 'revokedAt' | 'expiresAt' | 'grantedAt'>,
  now: Date,
): ConsentState {
  if (consent.revokedAt) return 'revoked';
  if (consent.expiresAt && consent.expiresAt <= now) return 'expired';
  return 'live';
}

/** A consent as a provider states it, before it is checked: from the API or a line of a CSV file. */
export interface ConsentInput {
  subjectKey: string;
  purpose: string;
  /** null or absent: any organisation. */
  granteeOrgId?: string | null;
  datasetIds?: string[];
  apiIds?: string[];
  /** RFC 3339, or a date (midnight, Hong Kong time); absent: now. */
  grantedAt?: string | null;
  expiresAt?: string | null;
  evidence?: string | null;
}

export interface ConsentQuery {
  subjectKey?: string;
  purpose?: Purpose;
  granteeOrgId?: string;
  state?: ConsentState;
  cursor?: string;
  limit: number;
}

export interface ConsentImport {
  importId: string;
  imported: number;
  /** SHA-256 of the file as received. */
  sha256: string;
}

interface FieldError {
  field: string;
  message: string;
}

/** A checked consent, ready to store. */
interface ParsedConsent {
  subjectKey: string;
  purpose: Purpose;
  granteeOrgId: string | null;
  datasetIds: string[];
  apiIds: string[];
  grantedAt: Date;
  expiresAt: Date | null;
  evidence: string | null;
}

export interface ConsentServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLedger;
  changes: ChangeFeed;
  datasets: DatasetService;
  catalog: CatalogService;
  organisationsByIds(ids: string[]): Promise<Organisation[]>;
  /** Asks each grantee of a revoked consent to delete, in the revocation's transaction (deletion.ts). */
  deletions?: DeletionRequestService;
}

/** The columns of a consent file; the first two are required, the rest may be left out or empty. */
export const consentCsvColumns = [
  'subject_key',
  'purpose',
  'grantee_org_id',
  'dataset_ids',
  'api_ids',
  'granted_at',
  'expires_at',
  'evidence',
] as const;

/** How many consents one file may hold, and how many faulty lines one answer lists. */
export const maxImportRows = 1_000_000;
const maxReportedErrors = 20;
const maxItems = 100;
const maxEvidence = 2000;
/** A client's clock may run a little ahead of ours; more than this is a mistake, not skew. */
const clockSkewMs = 5 * 60_000;
/** Consents per INSERT of an import: each column travels as one array parameter. */
const insertChunk = 10_000;

const timestampPattern =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

/** A timestamp as RFC 3339, or a bare date meaning midnight in Hong Kong (UTC+08:00, no daylight saving). */
function parseTimestamp(value: string): Date | null {
  if (!timestampPattern.test(value)) return null;
  const date = new Date(value.length === 10 ? `${value}T00:00:00+08:00` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Checks one consent on its own (shape, vocabulary, dates); cross-checks against other tables come after. */
function checkConsent(input: ConsentInput, now: Date): { value: ParsedConsent | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  if (!isSubjectKey(input.subjectKey)) {
    fail('subjectKey', 'must be 1–128 letters, digits and . _ : @ + = -, starting with a letter or digit');
  }
  if (!(purposes as readonly string[]).includes(input.purpose)) {
    fail('purpose', `must be one of ${purposes.join(', ')}`);
  }
  const granteeOrgId = input.granteeOrgId || null;
  if (granteeOrgId !== null && !isId('organisation', granteeOrgId)) {
    fail('granteeOrgId', 'must be an organisation id (org_…) or empty for any organisation');
  }
  const datasetIds = [...new Set(input.datasetIds ?? [])];
  const apiIds = [...new Set(input.apiIds ?? [])];
  for (const [field, ids, kind] of [
    ['datasetIds', datasetIds, 'dataset'],
    ['apiIds', apiIds, 'api'],
  ] as const) {
    if (ids.length > maxItems) fail(field, `at most ${maxItems} ids`);
    const wrong = ids.find((id) => !isId(kind, id));
    if (wrong !== undefined) fail(field, `"${wrong}" is not a${kind === 'api' ? 'n API' : ' dataset'} id`);
  }
  let grantedAt = now;
  if (input.grantedAt) {
    const parsed = parseTimestamp(input.grantedAt);
    if (!parsed) fail('grantedAt', 'must be an RFC 3339 timestamp or a date (YYYY-MM-DD)');
    else if (parsed.getTime() > now.getTime() + clockSkewMs) fail('grantedAt', 'must not lie in the future');
    else grantedAt = parsed;
  }
  let expiresAt: Date | null = null;
  if (input.expiresAt) {
    const parsed = parseTimestamp(input.expiresAt);
    if (!parsed) fail('expiresAt', 'must be an RFC 3339 timestamp or a date (YYYY-MM-DD)');
    else if (parsed <= grantedAt) fail('expiresAt', 'must lie after grantedAt');
    else expiresAt = parsed;
  }
  const evidence = input.evidence?.trim() || null;
  if (evidence && evidence.length > maxEvidence) fail('evidence', `at most ${maxEvidence} characters`);
  if (errors.length > 0) return { value: null, errors };
  return {
    value: {
      subjectKey: input.subjectKey,
      purpose: input.purpose as Purpose,
      granteeOrgId,
      datasetIds,
      apiIds,
      grantedAt,
      expiresAt,
      evidence,
    },
    errors,
  };
}

/** A list cell of a consent file: ids separated by spaces or semicolons. */
function splitIds(cell: string): string[] {
  return cell.split(/[\s;]+/).filter(Boolean);
}

/**
 * The lines of a batch digest: one canonical JSON array per consent, sorted by id. Anyone holding
 * the consents of an import can recompute it and compare it with the import's ledger entry.
 */
export function importDigest(
  rows: Pick<
    Consent,
    | 'id'
    | 'subjectKey'
    | 'purpose'
    | 'granteeOrgId'
    | 'datasetIds'
    | 'apiIds'
    | 'grantedAt'
    | 'expiresAt'
    | 'evidence'
  >[],
): string {
  const hash = createHash('sha256');
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(
      `${JSON.stringify([
        row.id,
        row.subjectKey,
        row.purpose,
        row.granteeOrgId,
        row.datasetIds,
        row.apiIds,
        row.grantedAt.toISOString(),
        row.expiresAt?.toISOString() ?? null,
        row.evidence,
      ])}\n`,
    );
  }
  return hash.digest('hex');
}

/**
 * The consent registry. A provider records its data subjects' consents one by one or as a CSV file
 * (all lines or none), lists and revokes them, and hands a subject a receipt. Each change lands in
 * the ledger in its own transaction. Two exits read it: the governed query engine, which asks
 * afresh on every query which subjects' rows another organisation may see (`filtersFor`), and the
 * gateway, whose snapshot holds the consents of consent-required APIs (`snapshotGates`) and is
 * reloaded through the change feed after every change here.
 */
export class ConsentService {
  /** The gateway's last gates and the state of the consents they were built from (see snapshotGates). */
  private gateCache: { stamp: string; gates: Map<string, ConsentGate> } | null = null;

  constructor(readonly deps: ConsentServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  private requireKeeper(principal: Principal): void {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
  }

  /**
   * The ids a batch names must be the caller's own datasets and APIs, and grantees must exist:
   * a consent naming another provider's dataset or a mistyped organisation would never match and
   * would hide the mistake. Returns the ids that fail, by kind.
   */
  private async unknownIds(principal: Principal, batch: ParsedConsent[]) {
    const datasetIds = new Set(batch.flatMap((consent) => consent.datasetIds));
    const apiIds = new Set(batch.flatMap((consent) => consent.apiIds));
    const granteeIds = new Set(batch.flatMap((consent) => consent.granteeOrgId ?? []));
    const unknown = { datasets: new Set<string>(), apis: new Set<string>(), grantees: new Set<string>() };
    for (const id of datasetIds) {
      const entry = await this.deps.datasets.get(principal, id).catch(() => null);
      if (entry?.dataset.orgId !== principal.orgId) unknown.datasets.add(id);
    }
    for (const id of apiIds) {
      const api = await this.deps.catalog.findVisible(principal, id).catch(() => null);
      if (api?.orgId !== principal.orgId) unknown.apis.add(id);
    }
    const found = new Set((await this.deps.organisationsByIds([...granteeIds])).map((org) => org.id));
    for (const id of granteeIds) if (!found.has(id)) unknown.grantees.add(id);
    return unknown;
  }

  private referenceErrors(
    consent: ParsedConsent,
    unknown: Awaited<ReturnType<ConsentService['unknownIds']>>,
  ): FieldError[] {
    const errors: FieldError[] = [];
    for (const id of consent.datasetIds) {
      if (unknown.datasets.has(id))
        errors.push({ field: 'datasetIds', message: `${id} is not your dataset` });
    }
    for (const id of consent.apiIds) {
      if (unknown.apis.has(id)) errors.push({ field: 'apiIds', message: `${id} is not your API` });
    }
    if (consent.granteeOrgId && unknown.grantees.has(consent.granteeOrgId)) {
      errors.push({ field: 'granteeOrgId', message: `no organisation ${consent.granteeOrgId}` });
    }
    return errors;
  }

  private rowOf(principal: Principal, consent: ParsedConsent, importId: string | null, now: Date) {
    return {
      id: newId('consent'),
      orgId: principal.orgId,
      ...consent,
      importId,
      createdBy: principal.userId,
      createdAt: now,
    };
  }

  /** The gateway holds consents of consent-required APIs only: other changes need no reload. */
  private async notifyGatewayIfNeeded(orgId: string): Promise<void> {
    const [requirement] = await this.db
      .select({ apiId: apiConsentRequirements.apiId })
      .from(apiConsentRequirements)
      .where(eq(apiConsentRequirements.orgId, orgId))
      .limit(1);
    if (requirement) await this.deps.changes.notify('gateway');
  }

  // ---- writing -----------------------------------------------------------------------------------

  async create(principal: Principal, input: ConsentInput): Promise<Consent> {
    this.requireKeeper(principal);
    const now = this.deps.clock.now();
    const { value, errors } = checkConsent(input, now);
    const problems = value ? this.referenceErrors(value, await this.unknownIds(principal, [value])) : errors;
    if (!value || problems.length > 0) {
      const [first] = problems;
      throw new AppError('validation-failed', `${first!.field}: ${first!.message}`, { errors: problems });
    }
    const consent = await this.db.transaction(async (tx) => {
      const [row] = (await tx
        .insert(consents)
        .values(this.rowOf(principal, value, null, now))
        .returning()) as [Consent];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'consent.create',
        object: { type: 'consent', id: row.id },
        data: {
          subjectKey: row.subjectKey,
          purpose: row.purpose,
          granteeOrgId: row.granteeOrgId,
          datasetIds: row.datasetIds,
          apiIds: row.apiIds,
          grantedAt: row.grantedAt.toISOString(),
          expiresAt: row.expiresAt?.toISOString() ?? null,
          evidence: row.evidence,
        },
      });
      return row;
    });
    await this.notifyGatewayIfNeeded(principal.orgId);
    return consent;
  }

  /**
   * Imports a consent file: every line is checked before anything is written, and all consents
   * are written in one transaction, so a file with one bad line changes nothing; the answer names
   * the lines at fault. One ledger entry records the import with the file's SHA-256 and a digest of
   * the consents it created (see `importDigest`), so the evidence of a large file costs one entry
   * and holds the ledger's lock only for a moment; each consent keeps the import's id.
   */
  async importCsv(principal: Principal, text: string): Promise<ConsentImport> {
    this.requireKeeper(principal);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const now = this.deps.clock.now();
    const lineErrors: { line: number; field: string; message: string }[] = [];
    let errorCount = 0;
    const report = (line: number, field: string, message: string) => {
      errorCount += 1;
      if (lineErrors.length < maxReportedErrors) lineErrors.push({ line, field, message });
    };
    let records: ReturnType<typeof parseCsv>;
    try {
      records = parseCsv(text);
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      throw importInvalid(
        [{ line: error.line, field: 'file', message: error.message.replace(/^line \d+: /, '') }],
        1,
      );
    }
    const [header, ...lines] = records;
    if (!header) throw importInvalid([{ line: 1, field: 'file', message: 'the file is empty' }], 1);
    const columns = header.fields.map((name) => name.trim().toLowerCase());
    for (const [i, name] of columns.entries()) {
      if (!(consentCsvColumns as readonly string[]).includes(name)) {
        report(
          header.line,
          name || `column ${i + 1}`,
          `unknown column; the columns are ${consentCsvColumns.join(', ')}`,
        );
      } else if (columns.indexOf(name) !== i) {
        report(header.line, name, 'the column appears twice');
      }
    }
    for (const required of ['subject_key', 'purpose']) {
      if (!columns.includes(required)) report(header.line, required, 'a required column is missing');
    }
    if (errorCount > 0) throw importInvalid(lineErrors, errorCount);
    if (lines.length === 0)
      throw importInvalid([{ line: header.line, field: 'file', message: 'no consents after the header' }], 1);
    if (lines.length > maxImportRows) {
      throw new AppError('payload-too-large', `a file may hold at most ${maxImportRows} consents; split it`);
    }
    const at = (fields: string[], name: string) => {
      const index = columns.indexOf(name);
      return index === -1 ? '' : (fields[index] ?? '').trim();
    };
    const parsed: { line: number; consent: ParsedConsent }[] = [];
    for (const record of lines) {
      if (record.fields.length !== columns.length) {
        report(record.line, 'line', `has ${record.fields.length} fields; the header has ${columns.length}`);
        continue;
      }
      const { value, errors } = checkConsent(
        {
          subjectKey: at(record.fields, 'subject_key'),
          purpose: at(record.fields, 'purpose'),
          granteeOrgId: at(record.fields, 'grantee_org_id') || null,
          datasetIds: splitIds(at(record.fields, 'dataset_ids')),
          apiIds: splitIds(at(record.fields, 'api_ids')),
          grantedAt: at(record.fields, 'granted_at') || null,
          expiresAt: at(record.fields, 'expires_at') || null,
          evidence: at(record.fields, 'evidence') || null,
        },
        now,
      );
      for (const error of errors) report(record.line, csvColumnOf(error.field), error.message);
      if (value) parsed.push({ line: record.line, consent: value });
    }
    const unknown = await this.unknownIds(
      principal,
      parsed.map((entry) => entry.consent),
    );
    for (const { line, consent } of parsed) {
      for (const error of this.referenceErrors(consent, unknown))
        report(line, csvColumnOf(error.field), error.message);
    }
    if (errorCount > 0) throw importInvalid(lineErrors, errorCount);

    const importId = newId('consentImport');
    const rows = parsed.map(({ consent }) => this.rowOf(principal, consent, importId, now));
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += insertChunk) await insertRows(tx, rows.slice(i, i + insertChunk));
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'consent.import',
        object: { type: 'consent-import', id: importId },
        data: {
          consents: rows.length,
          fileSha256: sha256,
          consentsSha256: importDigest(rows),
          purposes: countBy(rows.map((row) => row.purpose)),
        },
      });
    });
    await this.notifyGatewayIfNeeded(principal.orgId);
    return { importId, imported: rows.length, sha256 };
  }

  /** Ends a consent now. Queries see it from their next run; the gateway from its next snapshot. */
  async revoke(principal: Principal, consentId: string, reason: string): Promise<Consent> {
    const now = this.deps.clock.now();
    const revoked = await this.db.transaction(async (tx) => {
      const [current] = await tx.select().from(consents).where(eq(consents.id, consentId)).for('update');
      // Another organisation's consent is "not found" whatever its kind or role: ids are not probed.
      const consent = authorize(principal, current, `consent ${consentId}`);
      this.requireKeeper(principal);
      if (consent.revokedAt)
        throw conflict(`consent ${consentId} was revoked on ${consent.revokedAt.toISOString()}`);
      const [row] = (await tx
        .update(consents)
        .set({ revokedAt: now, revokedBy: principal.userId, revokeReason: reason })
        .where(eq(consents.id, consentId))
        .returning()) as [Consent];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'consent.revoke',
        object: { type: 'consent', id: consentId },
        reason,
        data: { subjectKey: row.subjectKey, purpose: row.purpose, granteeOrgId: row.granteeOrgId },
      });
      await this.deps.deletions?.requestForRevocation(tx, row, principal);
      return row;
    });
    await this.notifyGatewayIfNeeded(principal.orgId);
    return revoked;
  }

  // ---- reading -----------------------------------------------------------------------------------

  /** One consent of the caller's organisation; any other organisation's is "not found". */
  async get(principal: Principal, consentId: string): Promise<Consent> {
    const [row] = await this.db.select().from(consents).where(eq(consents.id, consentId));
    return authorize(principal, row, `consent ${consentId}`);
  }

  async list(principal: Principal, query: ConsentQuery): Promise<Page<Consent>> {
    const now = this.deps.clock.now();
    const conditions: (SQL | undefined)[] = [eq(consents.orgId, principal.orgId)];
    if (query.subjectKey) conditions.push(eq(consents.subjectKey, query.subjectKey));
    if (query.purpose) conditions.push(eq(consents.purpose, query.purpose));
    if (query.granteeOrgId) conditions.push(eq(consents.granteeOrgId, query.granteeOrgId));
    if (query.state === 'revoked') conditions.push(isNotNull(consents.revokedAt));
    if (query.state === 'expired') conditions.push(isNull(consents.revokedAt), lte(consents.expiresAt, now));
    if (query.state === 'live') {
      conditions.push(
        isNull(consents.revokedAt),
        or(isNull(consents.expiresAt), gt(consents.expiresAt, now)),
      );
    }
    if (query.cursor) conditions.push(gt(consents.id, query.cursor));
    const rows = await this.db
      .select()
      .from(consents)
      .where(and(...conditions))
      .orderBy(asc(consents.id))
      .limit(query.limit + 1);
    return pageOf(rows, query.limit, (row) => row.id);
  }

  /** A Kantara-style receipt of everything one subject agreed to with the caller's organisation. */
  async receipt(principal: Principal, subjectKey: string, directoryUrl: string): Promise<ConsentReceipt> {
    const now = this.deps.clock.now();
    const rows = isSubjectKey(subjectKey)
      ? await this.db
          .select()
          .from(consents)
          .where(and(eq(consents.orgId, principal.orgId), eq(consents.subjectKey, subjectKey)))
          .orderBy(asc(consents.id))
      : [];
    if (rows.length === 0) throw notFound(`consents of subject ${subjectKey}`);
    const [controller] = await this.deps.organisationsByIds([principal.orgId]);
    const granteeIds = [...new Set(rows.flatMap((row) => row.granteeOrgId ?? []))];
    const grantees = await this.deps.organisationsByIds(granteeIds);
    const items = new Map<string, ReceiptItem>();
    for (const id of new Set(rows.flatMap((row) => row.datasetIds))) {
      const entry = await this.deps.datasets.get(principal, id).catch(() => null);
      if (entry) items.set(id, datasetItem(entry.dataset, entry.currentVersion));
    }
    for (const id of new Set(rows.flatMap((row) => row.apiIds))) {
      const api = await this.deps.catalog.findVisible(principal, id).catch(() => null);
      if (api) items.set(id, { id, kind: 'api', title: api.title, columns: [] });
    }
    const consentRequiredItems = await this.consentRequiredItems(principal);
    await this.deps.audit.record({
      actor: this.actor(principal),
      orgId: principal.orgId,
      action: 'consent.receipt',
      object: { type: 'consent-subject', id: subjectKey },
      data: { consents: rows.map((row) => row.id) },
    });
    return consentReceipt({
      controller: {
        id: principal.orgId,
        name: controller?.name ?? principal.orgId,
        website: controller?.website ?? null,
        location: controller?.location ?? null,
      },
      subjectKey,
      consents: rows.map((row) => ({ ...row, state: consentState(row, now) })),
      items,
      consentRequiredItems,
      granteeNames: new Map(grantees.map((org) => [org.id, org.name])),
      directoryUrl,
    });
  }

  /** What a consent naming no dataset or API covers: the provider's consent-required datasets and APIs. */
  private async consentRequiredItems(principal: Principal): Promise<ReceiptItem[]> {
    const datasets = await this.deps.datasets.consentRequired({ orgId: principal.orgId });
    const requirements = await this.db
      .select({ apiId: apiConsentRequirements.apiId })
      .from(apiConsentRequirements)
      .where(eq(apiConsentRequirements.orgId, principal.orgId));
    const apis: ReceiptItem[] = [];
    for (const { apiId } of requirements) {
      const api = await this.deps.catalog.findVisible(principal, apiId).catch(() => null);
      if (api) apis.push({ id: api.id, kind: 'api', title: api.title, columns: [] });
    }
    return [...datasets.map((entry) => datasetItem(entry.dataset, entry.currentVersion)), ...apis];
  }

  // ---- the query engine's filter ---------------------------------------------------------------

  /**
   * For each dataset another organisation reads under an agreement: when the dataset is
   * consent-required, the subject column and the subject keys with a consent live now for the
   * agreement's purpose, granted to that organisation (or any), covering that dataset (or all).
   * Datasets that need no consent are absent from the answer. Read afresh on every call: nothing
   * is cached, so a revocation holds from the next query.
   */
  async filtersFor(
    granteeOrgId: string,
    grants: { datasetId: string; purpose: Purpose }[],
  ): Promise<Map<string, ConsentFilter>> {
    const filters = new Map<string, ConsentFilter>();
    if (grants.length === 0) return filters;
    const required = await this.deps.datasets.consentRequired({
      datasetIds: grants.map((grant) => grant.datasetId),
    });
    if (required.length === 0) return filters;
    const now = this.deps.clock.now();
    for (const { dataset } of required) {
      const grant = grants.find((candidate) => candidate.datasetId === dataset.id)!;
      // One newline-joined text rather than an array or rows: the cheapest way out of the database
      // for 100,000 keys (≈110 ms on the embedded one). Keys cannot hold a line break (schema check).
      const [row] = await this.db
        .select({
          subjects: sql<
            string | null
          >`string_agg(distinct ${consents.subjectKey}, chr(10) order by ${consents.subjectKey})`,
        })
        .from(consents)
        .where(
          and(
            eq(consents.orgId, dataset.orgId),
            eq(consents.purpose, grant.purpose),
            isNull(consents.revokedAt),
            lte(consents.grantedAt, now),
            or(isNull(consents.expiresAt), gt(consents.expiresAt, now)),
            or(isNull(consents.granteeOrgId), eq(consents.granteeOrgId, granteeOrgId)),
            or(
              sql`cardinality(${consents.datasetIds}) = 0 and cardinality(${consents.apiIds}) = 0`,
              sql`${dataset.id} = any(${consents.datasetIds})`,
            ),
          ),
        );
      filters.set(dataset.id, {
        subjectColumn: dataset.subjectColumn ?? '',
        subjects: row?.subjects ? row.subjects.split('\n') : [],
      });
    }
    return filters;
  }

  // ---- the gateway's rule ------------------------------------------------------------------------

  private async ownedApi(principal: Principal, apiId: string) {
    const api = await this.deps.catalog.findVisible(principal, apiId);
    if (api.orgId !== principal.orgId) throw notFound(`api ${apiId}`);
    return api;
  }

  /** The API's consent requirement, for anyone who can see the API (callers must know to send a subject key). */
  async apiRequirement(principal: Principal, apiId: string): Promise<ApiConsentRequirement | null> {
    await this.deps.catalog.findVisible(principal, apiId);
    const [row] = await this.db
      .select()
      .from(apiConsentRequirements)
      .where(eq(apiConsentRequirements.apiId, apiId));
    return row ?? null;
  }

  async setApiRequirement(
    principal: Principal,
    apiId: string,
    input: { purpose: Purpose; subjectRequired: boolean },
  ): Promise<ApiConsentRequirement> {
    this.requireKeeper(principal);
    await this.ownedApi(principal, apiId);
    const now = this.deps.clock.now();
    const row = await this.db.transaction(async (tx) => {
      const values = { ...input, updatedBy: principal.userId, updatedAt: now };
      const [saved] = (await tx
        .insert(apiConsentRequirements)
        .values({ apiId, orgId: principal.orgId, ...values })
        .onConflictDoUpdate({ target: apiConsentRequirements.apiId, set: values })
        .returning()) as [ApiConsentRequirement];
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'api.consent-requirement.set',
        object: { type: 'api', id: apiId },
        data: input,
      });
      return saved;
    });
    await this.deps.changes.notify('gateway');
    return row;
  }

  async removeApiRequirement(principal: Principal, apiId: string): Promise<void> {
    this.requireKeeper(principal);
    await this.ownedApi(principal, apiId);
    const removed = await this.db.transaction(async (tx) => {
      const rows = await tx
        .delete(apiConsentRequirements)
        .where(eq(apiConsentRequirements.apiId, apiId))
        .returning({ apiId: apiConsentRequirements.apiId });
      if (rows.length === 0) return false;
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'api.consent-requirement.remove',
        object: { type: 'api', id: apiId },
      });
      return true;
    });
    if (!removed) throw notFound(`a consent requirement on api ${apiId}`);
    await this.deps.changes.notify('gateway');
  }

  /**
   * The gateway's view: for every consent-required API, its purpose and the consents that may
   * still be live, by subject. Only consents of providers with such an API, for those APIs'
   * purposes and covering them, are read; expired and revoked ones are left out (the gateway
   * checks the remaining windows against its clock on every call).
   *
   * The gateway reloads its snapshot every few seconds even without a change, and reading 100,000
   * consents costs ≈0.5 s on the embedded database, so the gates are rebuilt only when the consents
   * could have changed: consents are never deleted and a revocation is final, so the number of
   * consents and of revoked ones (with the requirements themselves) says whether anything did.
   * Consents that expired since are dropped by the next rebuild; until then the clock refuses them.
   */
  async snapshotGates(db: Executor = this.db): Promise<Map<string, ConsentGate>> {
    const gates = new Map<string, ConsentGate>();
    const requirements = await db
      .select()
      .from(apiConsentRequirements)
      .orderBy(asc(apiConsentRequirements.apiId));
    if (requirements.length === 0) return gates;
    const providers = [...new Set(requirements.map((requirement) => requirement.orgId))];
    const [counts] = await db
      .select({ all: sql<number>`count(*)::int`, revoked: sql<number>`count(${consents.revokedAt})::int` })
      .from(consents)
      .where(inArray(consents.orgId, providers));
    const stamp = JSON.stringify([
      requirements.map((r) => [r.apiId, r.orgId, r.purpose, r.subjectRequired]),
      counts?.all,
      counts?.revoked,
    ]);
    if (this.gateCache?.stamp === stamp) return this.gateCache.gates;
    const byProvider = new Map<string, ApiConsentRequirement[]>();
    for (const requirement of requirements) {
      gates.set(requirement.apiId, {
        purpose: requirement.purpose,
        subjectRequired: requirement.subjectRequired,
        bySubject: new Map(),
      });
      byProvider.set(requirement.orgId, [...(byProvider.get(requirement.orgId) ?? []), requirement]);
    }
    const now = this.deps.clock.now();
    const rows = await db
      .select({
        id: consents.id,
        orgId: consents.orgId,
        subjectKey: consents.subjectKey,
        purpose: consents.purpose,
        granteeOrgId: consents.granteeOrgId,
        datasetIds: consents.datasetIds,
        apiIds: consents.apiIds,
        grantedAt: consents.grantedAt,
        expiresAt: consents.expiresAt,
      })
      .from(consents)
      .where(
        and(
          inArray(consents.orgId, [...byProvider.keys()]),
          inArray(consents.purpose, [...new Set(requirements.map((requirement) => requirement.purpose))]),
          isNull(consents.revokedAt),
          or(isNull(consents.expiresAt), gt(consents.expiresAt, now)),
          or(
            sql`cardinality(${consents.datasetIds}) = 0 and cardinality(${consents.apiIds}) = 0`,
            arrayOverlaps(
              consents.apiIds,
              requirements.map((requirement) => requirement.apiId),
            ),
          ),
        ),
      );
    for (const row of rows) {
      const coversAll = row.datasetIds.length === 0 && row.apiIds.length === 0;
      for (const requirement of byProvider.get(row.orgId) ?? []) {
        if (requirement.purpose !== row.purpose) continue;
        if (!coversAll && !row.apiIds.includes(requirement.apiId)) continue;
        const { bySubject } = gates.get(requirement.apiId)!;
        const windows = bySubject.get(row.subjectKey) ?? [];
        windows.push({
          consentId: row.id,
          granteeOrgId: row.granteeOrgId,
          fromMs: row.grantedAt.getTime(),
          untilMs: row.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
        });
        bySubject.set(row.subjectKey, windows);
      }
    }
    this.gateCache = { stamp, gates };
    return gates;
  }
}

/**
 * Inserts an import's consents column-wise: `INSERT … SELECT FROM unnest($1::text[], …)` binds one
 * array per column, where a multi-row VALUES binds thirteen parameters per consent. For 100,000
 * consents on the embedded database that is ≈5 s instead of ≈20 s (bench/consent.ts). Id lists are
 * sent space-separated (ids hold no spaces) because unnest would flatten an array of arrays.
 */
async function insertRows(tx: Executor, rows: ReturnType<ConsentService['rowOf']>[]): Promise<void> {
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  await tx.execute(sql`
    insert into consents (id, org_id, subject_key, purpose, grantee_org_id, dataset_ids, api_ids,
      granted_at, expires_at, evidence, import_id, created_by, created_at)
    select u.id, u.org_id, u.subject_key, u.purpose, u.grantee_org_id, string_to_array(u.dataset_ids, ' '),
      string_to_array(u.api_ids, ' '), u.granted_at::timestamptz, u.expires_at::timestamptz, u.evidence,
      u.import_id, u.created_by, u.created_at::timestamptz
    from unnest(
      ${column((row) => row.id)}::text[], ${column((row) => row.orgId)}::text[],
      ${column((row) => row.subjectKey)}::text[], ${column((row) => row.purpose)}::text[],
      ${column((row) => row.granteeOrgId)}::text[], ${column((row) => row.datasetIds.join(' '))}::text[],
      ${column((row) => row.apiIds.join(' '))}::text[], ${column((row) => row.grantedAt.toISOString())}::text[],
      ${column((row) => row.expiresAt?.toISOString() ?? null)}::text[], ${column((row) => row.evidence)}::text[],
      ${column((row) => row.importId)}::text[], ${column((row) => row.createdBy)}::text[],
      ${column((row) => row.createdAt.toISOString())}::text[]
    ) as u(id, org_id, subject_key, purpose, grantee_org_id, dataset_ids, api_ids, granted_at, expires_at,
      evidence, import_id, created_by, created_at)`);
}

function datasetItem(
  dataset: { id: string; title: string },
  version: {
    columns: {
      name: string;
      classification: ReceiptItem['columns'][number]['classification'] | null;
      suggested: ReceiptItem['columns'][number]['classification'];
    }[];
  } | null,
): ReceiptItem {
  return {
    id: dataset.id,
    kind: 'dataset',
    title: dataset.title,
    columns: (version?.columns ?? []).map((column) => ({
      name: column.name,
      classification: column.classification ?? column.suggested,
    })),
  };
}

/** The CSV column a field of ConsentInput comes from, for error messages about a file. */
function csvColumnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function importInvalid(errors: { line: number; field: string; message: string }[], total: number): AppError {
  const [first] = errors;
  const more =
    total > 1
      ? ` (${total} problems in all${total > errors.length ? `; the first ${errors.length} are listed` : ''})`
      : '';
  return new AppError(
    'consent-import-invalid',
    `line ${first!.line}: ${first!.field}: ${first!.message}${more}`,
    {
      errors: errors.map((error) => ({
        field: `line ${error.line}/${error.field}`,
        message: error.message,
        line: error.line,
      })),
    },
  );
}
