import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Failpoints } from '../../infra/failpoints.js';
import type { LedgerAction } from './actions.js';
import { bundleFormat, type EvidenceBundleManifest } from './bundle.js';
import {
  ChainVerifier,
  canonicalData,
  canonicalEntryWithData,
  genesisHash,
  hashCanonical,
  type LedgerEntry,
  type UnsealedEntry,
  type VerifyResult,
} from './chain.js';
import { auditEvents, type Decision, entryField } from './schema.js';
import { type EvidenceScope, scopeConditions } from './scope.js';
import { type SigningKey, signJson, verifySignedJson } from './signing.js';

/** What a caller says happened; the ledger adds sequence, time, id and hashes. */
export interface AuditEventInput {
  actor: { type: string; id?: string | null };
  orgId?: string | null;
  /** One of the catalogue's actions (./actions.ts, docs/ledger.md). */
  action: LedgerAction;
  object: { type: string; id?: string | null };
  decision?: Decision;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Serialises all appends: a transaction-scoped advisory lock is taken before the head is read,
 * so two concurrent transactions can never both build on the same head (a fork) and sequence
 * numbers never skip (a rolled-back transaction releases the lock without writing).
 */
const ledgerLockKey = 0x5354_5002;
/** Rows per insert statement: large enough to amortise the round trip, small enough for one message. */
const insertChunk = 5000;
/**
 * From this many entries in one append, rows go to PostgreSQL as a COPY stream rather than insert
 * statements (single entries and the handful a business change records keep the plain insert).
 */
export const defaultBulkThreshold = 64;
/** Entries sealed per piece of a COPY stream: the next piece is hashed while the server stores this one. */
const copyPiece = 2000;

/** A stored row back to the entry: everything but the chain links is in the canonical text. */
function toEntry(row: { canonical: string; prevHash: string; hash: string }): LedgerEntry {
  return { ...(JSON.parse(row.canonical) as UnsealedEntry), prevHash: row.prevHash, hash: row.hash };
}

/** Reduces `data` to what JSON keeps, so the hash covers exactly what is stored and exported. */
function jsonData(data: Record<string, unknown> | undefined): Record<string, unknown> {
  return data ? (JSON.parse(JSON.stringify(data)) as Record<string, unknown>) : {};
}

/** An entry ready to store: the entry, the canonical text its hash covers, and its `data` part alone. */
export interface SealedEntry {
  entry: LedgerEntry;
  canonical: string;
  /** The canonical JSON of `entry.data` (the `data` column). */
  data: string;
}

/**
 * Turns inputs into entries chained after `head`: the one place where an entry's fields, its
 * canonical form and its hash are made (appends use it, and so does the benchmark's CPU baseline).
 */
export function sealEntries(
  head: { seq: number; hash: string },
  inputs: AuditEventInput[],
  now: Date,
): SealedEntry[] {
  const at = now.toISOString();
  const time = now.getTime();
  let prevHash = head.hash;
  const sealed: SealedEntry[] = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const event = inputs[i]!;
    const data = jsonData(event.data);
    // One object per entry, its hash filled in once known (no copy of the unsealed entry).
    const entry: LedgerEntry = {
      seq: head.seq + i + 1,
      id: newId('auditEvent', time),
      at,
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      orgId: event.orgId ?? null,
      action: event.action,
      objectType: event.object.type,
      objectId: event.object.id ?? null,
      decision: event.decision ?? 'allow',
      reason: event.reason ?? null,
      data,
      prevHash,
      hash: '',
    };
    const dataText = canonicalData(data);
    const canonical = canonicalEntryWithData(entry, dataText);
    entry.hash = hashCanonical(prevHash, canonical);
    prevHash = entry.hash;
    sealed[i] = { entry, canonical, data: dataText };
  }
  return sealed;
}

/**
 * One statement per chunk. The long columns (canonical, hashes, data) go as one newline-joined
 * text each, split by the server (`string_to_table`), rather than a multi-row VALUES list or text
 * arrays: the statement stays small, and nothing has to escape the quotes inside every JSON string
 * (measured ≈45% faster than `unnest` of arrays on PGlite). Safe because canonical JSON and hex
 * hashes never hold a raw line feed, and sequence numbers within a chunk are consecutive. The short
 * filter columns may hold any character, so they go as JSON arrays of strings.
 */
export async function insertRows(tx: Tx, rows: SealedEntry[], table = 'audit_events') {
  const joined = (pick: (row: SealedEntry) => string) => rows.map(pick).join('\n');
  const list = (pick: (entry: LedgerEntry) => string | null) =>
    JSON.stringify(rows.map((row) => pick(row.entry)));
  await tx.execute(sql`
    insert into ${sql.identifier(table)} (seq, canonical, prev_hash, hash, org_id, action, object_type, object_id, actor_id, at, data)
    select ${rows[0]!.entry.seq}::bigint + n - 1, c, p, h, o, a, ot, oi, ai, ${rows[0]!.entry.at}, d::jsonb
    from rows from (string_to_table(${joined((r) => r.canonical)}, E'\\n'),
                    string_to_table(${joined((r) => r.entry.prevHash)}, E'\\n'),
                    string_to_table(${joined((r) => r.entry.hash)}, E'\\n'),
                    string_to_table(${joined((r) => r.data)}, E'\\n'),
                    json_array_elements_text(${list((e) => e.orgId)}::json),
                    json_array_elements_text(${list((e) => e.action)}::json),
                    json_array_elements_text(${list((e) => e.objectType)}::json),
                    json_array_elements_text(${list((e) => e.objectId)}::json),
                    json_array_elements_text(${list((e) => e.actorId)}::json))
         with ordinality as t(c, p, h, d, o, a, ot, oi, ai, n)`);
}

/** The columns of a COPY stream in text format, in `copyLine`'s order. */
export const copyColumnList =
  '(seq, canonical, prev_hash, hash, org_id, action, object_type, object_id, actor_id, at, data)';
export const copyColumns = `audit_events ${copyColumnList}`;

const copySpecial = /[\\\t\n\r]/;

/**
 * A value in COPY's text format: `\N` for null; a backslash, tab, line feed or carriage return
 * escaped (a short field may hold any of them; canonical JSON only the backslashes of its own
 * escapes, since JSON escapes every control character).
 */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  if (!copySpecial.test(value)) return value;
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll('\t', '\\t')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r');
}

/** One row in COPY's text format, in the order of `copyColumns`. */
export function copyLine({ entry, canonical, data }: SealedEntry): string {
  return (
    `${entry.seq}\t${copyText(canonical)}\t${entry.prevHash}\t${entry.hash}\t${copyText(entry.orgId)}\t` +
    `${copyText(entry.action)}\t${copyText(entry.objectType)}\t${copyText(entry.objectId)}\t` +
    `${copyText(entry.actorId)}\t${entry.at}\t${copyText(data)}\n`
  );
}

/**
 * The node-postgres connection under a Drizzle transaction, for COPY; null on PGlite. PGlite does
 * offer COPY FROM its in-memory blob device, but measured slower there than the insert statement
 * (`npm run bench -- ledger`): it runs in this process, so there is no round trip for COPY to save.
 */
function copyConnection(tx: Tx): pg.ClientBase | null {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : null;
}

/**
 * Seals and stores a batch as one COPY FROM STDIN (pg-copy-streams) on the caller's transaction.
 * Entries are sealed a piece at a time as the stream asks for more, so the hashing of one piece
 * overlaps the server storing the one before. A batch that fails part-way (a row the server
 * refuses, a lost connection) fails the COPY and with it the transaction: nothing is half-written.
 */
async function copyRows(
  client: pg.ClientBase,
  head: { seq: number; hash: string },
  inputs: AuditEventInput[],
  now: Date,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let last = head;
  function* pieces(): Generator<string> {
    for (let i = 0; i < inputs.length; i += copyPiece) {
      const sealed = sealEntries(last, inputs.slice(i, i + copyPiece), now);
      let text = '';
      for (const row of sealed) {
        text += copyLine(row);
        entries.push(row.entry);
      }
      const tail = sealed[sealed.length - 1]!.entry;
      last = { seq: tail.seq, hash: tail.hash };
      yield text;
    }
  }
  const copy = client.query(copyFrom(`copy ${copyColumns} from stdin`));
  await pipeline(Readable.from(pieces(), { highWaterMark: 1 }), copy);
  return entries;
}

interface BrokenRow {
  seq: number;
  before_seq: number | null;
  prev_hash: string;
  before_hash: string | null;
  hash: string;
  computed: string;
}

function describeBreak(row: BrokenRow, prev: { seq: number; hash: string }, from: number): VerifyResult {
  const expectedSeq = (row.before_seq ?? prev.seq) + 1;
  const count = Math.max(0, Math.min(row.seq, expectedSeq) - 1);
  if (row.seq !== expectedSeq) {
    return {
      ok: false,
      count,
      brokenSeq: expectedSeq,
      problem: 'sequence-gap',
      detail: `expected sequence ${expectedSeq}, found ${row.seq}`,
    };
  }
  if (row.prev_hash !== (row.before_hash ?? prev.hash) && row.seq >= from) {
    return {
      ok: false,
      count,
      brokenSeq: row.seq,
      problem: 'prev-hash-mismatch',
      detail: `entry ${row.seq} does not point at the hash of entry ${row.seq - 1}`,
    };
  }
  return {
    ok: false,
    count,
    brokenSeq: row.seq,
    problem: 'hash-mismatch',
    detail: `entry ${row.seq} was changed after it was written`,
  };
}

export interface AuditQuery {
  orgId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  actorId?: string;
  since?: Date;
  until?: Date;
  afterSeq?: number;
  limit: number;
}

export interface ExportManifest {
  format: 'stp-audit-export/1';
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** prevHash of the first exported entry: genesis for a full export. */
  startHash: string;
  headHash: string;
  fileSha256: string;
  exportedAt: string;
  keyId: string;
}

export interface OfflineVerifyResult {
  signatureValid: boolean;
  manifest: ExportManifest | null;
  chain: VerifyResult | null;
  problems: string[];
}

export class AuditLedger {
  /**
   * Facts every entry appended within `withContext` carries in its data (a declaration's hash
   * while a declaration file is applied), so a change made through any service names its cause.
   */
  private readonly context = new AsyncLocalStorage<Record<string, unknown>>();

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      signingKey: SigningKey;
      /** Crash tests only (src/infra/failpoints.ts): `ledger.append:<action>` stops before the commit. */
      failpoints?: Failpoints;
      /**
       * Events per append from which rows are streamed with COPY (default `defaultBulkThreshold`);
       * `Infinity` keeps every append on insert statements, as the benchmark's comparison does.
       */
      bulkThreshold?: number;
    },
  ) {}

  get publicKey(): JWK {
    return this.deps.signingKey.publicJwk;
  }

  /** Runs `fn` so that every entry it appends (through any service) carries `facts` in its data. */
  withContext<T>(facts: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    return this.context.run({ ...this.context.getStore(), ...facts }, fn);
  }

  /**
   * Appends events inside the caller's transaction, so the evidence commits or rolls back with the
   * change. The ledger lock is taken once and the head read once, however many events: a batch is
   * one consecutive run of the chain. On PostgreSQL, from `bulkThreshold` events on, rows are
   * streamed with COPY (`copyRows`); fewer, and any number on PGlite, go in as insert statements.
   */
  async append(tx: Tx, input: AuditEventInput | AuditEventInput[]): Promise<LedgerEntry[]> {
    const facts = this.context.getStore();
    const given = Array.isArray(input) ? input : [input];
    const inputs = facts ? given.map((event) => ({ ...event, data: { ...event.data, ...facts } })) : given;
    if (inputs.length === 0) return [];
    await tx.execute(sql`select pg_advisory_xact_lock(${ledgerLockKey})`);
    const [head] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const start = head ?? { seq: 0, hash: genesisHash };
    const now = this.deps.clock.now();
    const client =
      inputs.length >= (this.deps.bulkThreshold ?? defaultBulkThreshold) ? copyConnection(tx) : null;
    let entries: LedgerEntry[];
    if (client) entries = await copyRows(client, start, inputs, now);
    else {
      const sealed = sealEntries(start, inputs, now);
      for (let i = 0; i < sealed.length; i += insertChunk) {
        await insertRows(tx, sealed.slice(i, i + insertChunk));
      }
      entries = sealed.map(({ entry }) => entry);
    }
    if (this.deps.failpoints) {
      for (const input of inputs) await this.deps.failpoints.reach(`ledger.append:${input.action}`);
    }
    return entries;
  }

  /** Appends in a transaction of its own: for events that record no other change (a refused login). */
  async record(input: AuditEventInput | AuditEventInput[]): Promise<LedgerEntry[]> {
    return this.deps.db.transaction((tx) => this.append(tx, input));
  }

  async list(query: AuditQuery, db: Executor = this.deps.db): Promise<LedgerEntry[]> {
    const conditions: SQL[] = [];
    const filters = [
      ['orgId', query.orgId],
      ['action', query.action],
      ['objectType', query.objectType],
      ['objectId', query.objectId],
      ['actorId', query.actorId],
    ] as const;
    for (const [name, value] of filters)
      if (value !== undefined) conditions.push(eq(entryField(name), value));
    // `at` is ISO 8601 UTC with milliseconds, so text order is time order.
    if (query.since) conditions.push(gte(entryField('at'), query.since.toISOString()));
    if (query.until) conditions.push(lte(entryField('at'), query.until.toISOString()));
    if (query.afterSeq !== undefined) conditions.push(lt(auditEvents.seq, query.afterSeq));
    const rows = await db
      .select({ canonical: auditEvents.canonical, prevHash: auditEvents.prevHash, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(desc(auditEvents.seq))
      .limit(query.limit);
    return rows.map(toEntry);
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const [head] = await this.deps.db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    return head ?? { seq: 0, hash: genesisHash };
  }

  /** Reads the ledger in sequence order, a batch at a time (keyset pagination, constant memory). */
  async *entries(batchSize = 10_000): AsyncGenerator<LedgerEntry[]> {
    let after = 0;
    for (;;) {
      const rows = await this.deps.db
        .select({
          seq: auditEvents.seq,
          canonical: auditEvents.canonical,
          prevHash: auditEvents.prevHash,
          hash: auditEvents.hash,
        })
        .from(auditEvents)
        .where(gt(auditEvents.seq, after))
        .orderBy(asc(auditEvents.seq))
        .limit(batchSize);
      if (rows.length === 0) return;
      yield rows.map(toEntry);
      after = rows[rows.length - 1]!.seq;
      if (rows.length < batchSize) return;
    }
  }

  /**
   * Recomputes the whole chain inside the database and names the first entry that breaks it: a
   * sequence gap, a prevHash that is not the previous entry's hash, or a hash that is not
   * sha256(prevHash ‖ canonical). The database does the hashing (built-in sha256), so a million
   * entries never cross the wire; readable columns are generated from `canonical`, so checking the
   * canonical text checks them too. Exports are checked the other way, from the JSON alone
   * (`verifyExport`), which also re-derives the canonical form.
   */
  async verify(
    onProgress?: (checked: number, total: number) => void,
    rangeSize = 100_000,
  ): Promise<VerifyResult> {
    const head = await this.head();
    let prev = { seq: 0, hash: genesisHash };
    for (let from = 1; from <= head.seq; from += rangeSize) {
      const to = Math.min(head.seq, from + rangeSize - 1);
      // The window over a range sorts in memory: without room it spills to temp files, which on
      // in-memory PGlite costs three times the whole check (measured), so give this query room.
      const result = (await this.deps.db.transaction(async (tx) => {
        await tx.execute(sql`set local work_mem = '128MB'`);
        return tx.execute(sql`
        with chain as (
          select seq, prev_hash, hash,
                 lag(seq) over w as before_seq, lag(hash) over w as before_hash,
                 encode(sha256(convert_to(prev_hash || canonical, 'UTF8')), 'hex') as computed
          from audit_events where seq between ${from - 1} and ${to}
          window w as (order by seq)
        )
        select seq::float8 as seq, before_seq::float8 as before_seq, prev_hash, before_hash, hash, computed
        from chain
        where seq >= ${from}
          and (seq <> coalesce(before_seq, ${prev.seq}) + 1
               or prev_hash <> coalesce(before_hash, ${prev.hash})
               or hash <> computed)
        order by seq limit 1`);
      })) as unknown as { rows: BrokenRow[] };
      const broken = result.rows[0];
      if (broken) return describeBreak(broken, prev, from);
      prev = { seq: to, hash: '' };
      const [last] = await this.deps.db
        .select({ hash: auditEvents.hash })
        .from(auditEvents)
        .where(eq(auditEvents.seq, to));
      prev.hash = last?.hash ?? '';
      onProgress?.(to, head.seq);
    }
    return {
      ok: true,
      count: head.seq,
      headSeq: head.seq,
      headHash: head.seq === 0 ? genesisHash : head.hash,
    };
  }

  /**
   * Writes the ledger as JSON Lines to `out` and a manifest signed with the platform key to
   * `out.manifest.json`. Both are written to temp files and renamed, so a failed export leaves nothing.
   */
  async exportTo(
    out: string,
    onProgress?: (written: number, total: number) => void,
  ): Promise<{ manifest: ExportManifest; manifestPath: string }> {
    const manifestPath = `${out}.manifest.json`;
    const tempOut = `${out}.${process.pid}.tmp`;
    const tempManifest = `${manifestPath}.${process.pid}.tmp`;
    const total = (await this.head()).seq;
    const digest = createHash('sha256');
    const stream = createWriteStream(tempOut, { encoding: 'utf8' });
    let count = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    let startHash = genesisHash;
    let headHash = genesisHash;
    try {
      for await (const batch of this.entries()) {
        let chunk = '';
        for (const entry of batch) {
          if (firstSeq === null) {
            firstSeq = entry.seq;
            startHash = entry.prevHash;
          }
          lastSeq = entry.seq;
          headHash = entry.hash;
          chunk += `${JSON.stringify(entry)}\n`;
        }
        count += batch.length;
        digest.update(chunk);
        if (!stream.write(chunk)) await once(stream, 'drain');
        onProgress?.(count, total);
      }
      stream.end();
      await finished(stream);
      const manifest: ExportManifest = {
        format: 'stp-audit-export/1',
        count,
        firstSeq,
        lastSeq,
        startHash,
        headHash,
        fileSha256: digest.digest('hex'),
        exportedAt: this.deps.clock.now().toISOString(),
        keyId: this.deps.signingKey.kid,
      };
      const signature = await signJson(this.deps.signingKey, manifest);
      await writeFile(tempManifest, `${JSON.stringify({ manifest, signature }, null, 2)}\n`);
      await rename(tempOut, out);
      await rename(tempManifest, manifestPath);
      return { manifest, manifestPath };
    } catch (error) {
      stream.destroy();
      await rm(tempOut, { force: true });
      await rm(tempManifest, { force: true });
      throw error;
    }
  }

  /**
   * Evidence search: the entries in a scope (see scope.ts), optionally only some actions, newest
   * first, a page at a time (`afterSeq`: entries below that sequence number).
   */
  async search(
    scope: EvidenceScope,
    page: { actions?: string[]; afterSeq?: number; limit: number },
  ): Promise<LedgerEntry[]> {
    const conditions = scopeConditions(scope);
    if (page.actions) conditions.push(inArray(entryField('action'), page.actions));
    if (page.afterSeq !== undefined) conditions.push(lt(auditEvents.seq, page.afterSeq));
    const rows = await this.deps.db
      .select({ canonical: auditEvents.canonical, prevHash: auditEvents.prevHash, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(desc(auditEvents.seq))
      .limit(page.limit);
    return rows.map(toEntry);
  }

  /** The entries in a scope up to a sequence number, oldest first, a batch at a time (keyset). */
  private async *scopedEntries(
    scope: EvidenceScope,
    upToSeq: number,
    batchSize = 5000,
  ): AsyncGenerator<LedgerEntry[]> {
    let after = 0;
    for (;;) {
      const rows = await this.deps.db
        .select({
          seq: auditEvents.seq,
          canonical: auditEvents.canonical,
          prevHash: auditEvents.prevHash,
          hash: auditEvents.hash,
        })
        .from(auditEvents)
        .where(and(gt(auditEvents.seq, after), lte(auditEvents.seq, upToSeq), ...scopeConditions(scope)))
        .orderBy(asc(auditEvents.seq))
        .limit(batchSize);
      if (rows.length === 0) return;
      yield rows.map(toEntry);
      after = rows[rows.length - 1]!.seq;
      if (rows.length < batchSize) return;
    }
  }

  /**
   * A signed evidence bundle for a scope (format and offline check in bundle.ts). The manifest comes
   * first but signs the digest of what follows, so the entries are read twice instead of being held
   * in memory: once for the digest, once to stream them. Both passes stop at the head read first, and
   * the ledger below it never changes (append-only, enforced by a trigger), so they read the same rows.
   */
  async evidenceBundle(
    scope: EvidenceScope,
    requestedBy: EvidenceBundleManifest['requestedBy'] = null,
  ): Promise<{ manifest: EvidenceBundleManifest; lines: AsyncGenerator<string> }> {
    const head = await this.head();
    const digest = createHash('sha256');
    let count = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    for await (const batch of this.scopedEntries(scope, head.seq)) {
      for (const entry of batch) {
        digest.update(`${JSON.stringify(entry)}\n`);
        firstSeq ??= entry.seq;
        lastSeq = entry.seq;
      }
      count += batch.length;
    }
    const manifest: EvidenceBundleManifest = {
      format: bundleFormat,
      bundleId: newId('evidenceBundle', this.deps.clock.now().getTime()),
      scope,
      count,
      firstSeq,
      lastSeq,
      head: { seq: head.seq, hash: head.hash },
      fileSha256: digest.digest('hex'),
      exportedAt: this.deps.clock.now().toISOString(),
      requestedBy,
      keyId: this.deps.signingKey.kid,
    };
    const signature = await signJson(this.deps.signingKey, manifest);
    const entries = (upTo: number) => this.scopedEntries(scope, upTo);
    async function* lines(): AsyncGenerator<string> {
      yield `${JSON.stringify({ manifest, signature })}\n`;
      for await (const batch of entries(head.seq))
        yield batch.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    }
    return { manifest, lines: lines() };
  }

  /** Writes an evidence bundle to a file (temp file, then rename: a failure leaves nothing). */
  async writeEvidenceBundle(out: string, scope: EvidenceScope): Promise<EvidenceBundleManifest> {
    const temp = `${out}.${process.pid}.tmp`;
    const { manifest, lines } = await this.evidenceBundle(scope);
    const stream = createWriteStream(temp, { encoding: 'utf8' });
    try {
      for await (const chunk of lines) if (!stream.write(chunk)) await once(stream, 'drain');
      stream.end();
      await finished(stream);
      await rename(temp, out);
      return manifest;
    } catch (error) {
      stream.destroy();
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/**
 * Checks an export with nothing but the files and the platform's public key: the manifest's
 * signature, the file's digest and count against the manifest, and the hash chain line by line.
 */
export async function verifyExport(file: string, publicJwk: JWK): Promise<OfflineVerifyResult> {
  const problems: string[] = [];
  let envelope: { manifest: ExportManifest; signature: string };
  try {
    envelope = JSON.parse(await readFile(`${file}.manifest.json`, 'utf8'));
  } catch (error) {
    throw new AppError('bad-request', `cannot read ${file}.manifest.json: ${(error as Error).message}`);
  }
  let manifest: ExportManifest | null = null;
  try {
    manifest = (await verifySignedJson(envelope.signature, publicJwk)) as ExportManifest;
  } catch {
    problems.push('the manifest signature does not verify with this public key');
  }
  const signatureValid = manifest !== null;
  if (manifest && JSON.stringify(manifest) !== JSON.stringify(envelope.manifest)) {
    problems.push('the readable manifest differs from the signed one');
  }
  const digest = createHash('sha256');
  let verifier: ChainVerifier | null = null;
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    digest.update(`${line}\n`);
    if (verifier?.isBroken) continue;
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(line) as LedgerEntry;
    } catch {
      problems.push(`line ${lineNo} is not JSON`);
      verifier ??= new ChainVerifier();
      continue;
    }
    verifier ??= new ChainVerifier({ seq: entry.seq, prevHash: manifest?.startHash ?? entry.prevHash });
    verifier.push(entry);
  }
  const chain = verifier
    ? verifier.result()
    : { ok: true as const, count: 0, headSeq: 0, headHash: genesisHash };
  if (manifest) {
    if (digest.digest('hex') !== manifest.fileSha256)
      problems.push('the file digest differs from the manifest');
    if (chain.ok && chain.count !== manifest.count) {
      problems.push(`the manifest says ${manifest.count} entries, the file has ${chain.count}`);
    }
    if (chain.ok && chain.headHash !== manifest.headHash)
      problems.push('the head hash differs from the manifest');
  }
  if (!chain.ok) problems.push(`chain broken at sequence ${chain.brokenSeq}: ${chain.detail}`);
  return { signatureValid, manifest, chain, problems };
}
