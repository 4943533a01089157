import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import { ChainVerifier, genesisHash, hashEntry, type LedgerEntry, type VerifyResult } from './chain.js';
import { auditEvents, type Decision } from './schema.js';
import { type SigningKey, signJson, verifySignedJson } from './signing.js';

/** What a caller says happened; the ledger adds sequence, time, id and hashes. */
export interface AuditEventInput {
  actor: { type: string; id?: string | null };
  orgId?: string | null;
  action: string;
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
/** Stay well under PostgreSQL's 65,535 bind parameters per statement (14 columns a row). */
const insertChunk = 2000;

type EventRow = typeof auditEvents.$inferSelect;

function toEntry(row: EventRow): LedgerEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    orgId: row.orgId,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    decision: row.decision,
    reason: row.reason,
    data: row.data,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** Reduces `data` to what JSON (and so jsonb) keeps, so the hash covers exactly what is stored. */
function jsonData(data: Record<string, unknown> | undefined): Record<string, unknown> {
  return data ? (JSON.parse(JSON.stringify(data)) as Record<string, unknown>) : {};
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
  constructor(private readonly deps: { db: Db; clock: Clock; signingKey: SigningKey }) {}

  get publicKey(): JWK {
    return this.deps.signingKey.publicJwk;
  }

  /** Appends events inside the caller's transaction, so the evidence commits or rolls back with the change. */
  async append(tx: Tx, input: AuditEventInput | AuditEventInput[]): Promise<LedgerEntry[]> {
    const inputs = Array.isArray(input) ? input : [input];
    if (inputs.length === 0) return [];
    await tx.execute(sql`select pg_advisory_xact_lock(${ledgerLockKey})`);
    const [head] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? genesisHash;
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const entries: LedgerEntry[] = inputs.map((event) => {
      seq += 1;
      const unsealed = {
        seq,
        id: newId('auditEvent', now.getTime()),
        at,
        actorType: event.actor.type,
        actorId: event.actor.id ?? null,
        orgId: event.orgId ?? null,
        action: event.action,
        objectType: event.object.type,
        objectId: event.object.id ?? null,
        decision: event.decision ?? 'allow',
        reason: event.reason ?? null,
        data: jsonData(event.data),
      };
      const hash = hashEntry(prevHash, unsealed);
      const entry = { ...unsealed, prevHash, hash };
      prevHash = hash;
      return entry;
    });
    for (let i = 0; i < entries.length; i += insertChunk) {
      await tx.insert(auditEvents).values(entries.slice(i, i + insertChunk).map((e) => ({ ...e, at: now })));
    }
    return entries;
  }

  /** Appends in a transaction of its own: for events that record no other change (a refused login). */
  async record(input: AuditEventInput | AuditEventInput[]): Promise<LedgerEntry[]> {
    return this.deps.db.transaction((tx) => this.append(tx, input));
  }

  async list(query: AuditQuery, db: Executor = this.deps.db): Promise<LedgerEntry[]> {
    const conditions: SQL[] = [];
    if (query.orgId) conditions.push(eq(auditEvents.orgId, query.orgId));
    if (query.action) conditions.push(eq(auditEvents.action, query.action));
    if (query.objectType) conditions.push(eq(auditEvents.objectType, query.objectType));
    if (query.objectId) conditions.push(eq(auditEvents.objectId, query.objectId));
    if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
    if (query.since) conditions.push(gte(auditEvents.at, query.since));
    if (query.until) conditions.push(lte(auditEvents.at, query.until));
    if (query.afterSeq !== undefined) conditions.push(lt(auditEvents.seq, query.afterSeq));
    const rows = await db
      .select()
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
        .select()
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

  /** Recomputes the whole chain from the stored rows and names the first entry that breaks it. */
  async verify(onProgress?: (checked: number, total: number) => void): Promise<VerifyResult> {
    const total = (await this.head()).seq;
    const verifier = new ChainVerifier();
    let checked = 0;
    for await (const batch of this.entries()) {
      for (const entry of batch) if (!verifier.push(entry)) return verifier.result();
      checked += batch.length;
      onProgress?.(checked, total);
    }
    return verifier.result();
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
