import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { writeAside } from '../../atomic-files.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, forbidden, notFound } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import type { SweepReport } from '../../sweeps.js';
import type { AgreementService } from '../access/agreements.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import { authorize, type Principal, requireRole } from '../identity/principal.js';
import { hashSecret, newSecret } from '../identity/secrets.js';
import type { IdentityService } from '../identity/service.js';
import { type DuckEngine, quoteLiteral } from '../query/engine.js';
import type { QueryService } from '../query/service.js';
import { compileSelect, type Grant } from '../query/views.js';
import { type SharedColumn, schemaStringOf, sharedColumns, stableUuid, storedSelect } from './delta.js';
import { sharedFiles, sharingRecipients } from './schema.js';
import { type FileGrant, isSignedFileGrant, signFileGrant } from './signing.js';

export type Recipient = typeof sharingRecipients.$inferSelect;
export type SharedFile = typeof sharedFiles.$inferSelect;

export const recipientTokenPrefix = 'stp_dsr_';
/** The share of open datasets that every recipient sees. */
export const openShareName = 'open-data';
/** Each share has one schema; a table is a dataset, named by its slug as in governed SQL. */
export const schemaName = 'default';
export const defaultRecipientDays = 90;
/** File URLs live as long as S3's usual pre-signed URLs in the protocol's examples. */
export const defaultFileUrlSeconds = 900;

/** The Delta Sharing profile file (PROTOCOL.md, "Profile File Format"). */
export interface SharingProfile {
  shareCredentialsVersion: 1;
  endpoint: string;
  bearerToken: string;
  expirationTime: string;
}

/** A recipient after its bearer token was checked: it acts for its organisation through its creator. */
export interface RecipientSession {
  recipient: Recipient;
  principal: Principal;
}

export interface SharedTable {
  share: string;
  shareId: string;
  schema: string;
  name: string;
  id: string;
  grant: Grant;
}

export interface TableQueryInput {
  predicateHints?: string[];
  jsonPredicateHints?: string;
  limitHint?: number;
  version?: number;
  timestamp?: string;
  startingVersion?: number;
  endingVersion?: number;
}

export interface DeltaMetadata {
  id: string;
  name: string;
  description?: string;
  format: { provider: 'parquet' };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
}

export interface DeltaFile {
  url: string;
  id: string;
  partitionValues: Record<string, string>;
  size: number;
  stats: string;
  expirationTimestamp: number;
}

export interface SharingServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLedger;
  identity: IdentityService;
  datasets: DatasetService;
  agreements: AgreementService;
  query: QueryService;
  engine: DuckEngine;
  dataDir: string;
  /** The HMAC key that signs file URLs (see signing.ts). */
  urlKey: Buffer;
  fileUrlSeconds?: number;
}

/**
 * Whether a grant lets rows leave the platform as a file: the `download` action, and not an
 * aggregate-only agreement. The same two conditions as `QueryService.download`, since a share is a
 * download by another protocol.
 */
export function permitsDownload(grant: Grant): boolean {
  return grant.terms.actions.includes('download') && !grant.terms.aggregateOnly;
}

/** Bumped whenever the way a shared file is written changes, so no older file is reused. */
const sharedFileFormat = 'delta-parquet-v1';

/**
 * What a shared file is keyed by: the grant's compiled SELECT, which holds the dataset version's
 * file, the granted columns, the masks (with their agreement's key), the row filter and the consent
 * filter. The stored types follow from that SELECT, so they need no part in the key.
 */
function policyKeyOf(grant: Grant): string {
  return createHash('sha256')
    .update(`${sharedFileFormat}\n${compileSelect(grant)}`)
    .digest('hex');
}

/** Code-unit order (not locale order), so list pages can continue after a key with `>`. */
export function tableKey(table: { share: string; name: string }): string {
  return `${table.share}\u0000${table.name}`;
}

const byShareAndName = (a: SharedTable, b: SharedTable) => {
  const left = tableKey(a);
  const right = tableKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
};

/**
 * A Delta Sharing server (protocol version 1) over the platform's grants. A share is one active
 * agreement that permits downloads (named by the agreement id), plus `open-data` with the open
 * datasets; each has the schema `default`, whose tables are datasets by slug. Tables are served as
 * masked Parquet files copied from the grant's file (grant-files.ts, the same policy as governed
 * SQL and downloads), never the dataset's own file, and reached through short-lived
 * signed URLs. Shares are resolved afresh on every request, so revocation and expiry end them at once.
 */
export class SharingService {
  private readonly filesDir: string;
  /** Files being written, by policy key: concurrent queries for the same table wait for one file. */
  private readonly making = new Map<string, Promise<SharedFile>>();

  constructor(readonly deps: SharingServiceDeps) {
    this.filesDir = path.join(deps.dataDir, 'sharing');
  }

  private get db() {
    return this.deps.db;
  }

  private get fileUrlSeconds() {
    return this.deps.fileUrlSeconds ?? defaultFileUrlSeconds;
  }

  // ---- recipients ------------------------------------------------------------------------------

  async createRecipient(
    principal: Principal,
    input: { name: string; expiresInDays?: number },
    endpoint: string,
  ): Promise<{ recipient: Recipient; profile: SharingProfile }> {
    if (principal.type !== 'session') {
      // A leaked token must not be able to mint bearer tokens that outlive it.
      throw forbidden('recipients are created from a signed-in session, not with a token');
    }
    requireRole(principal, 'admin');
    const { secret, hash } = newSecret(recipientTokenPrefix);
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + (input.expiresInDays ?? defaultRecipientDays) * 86_400_000);
    const recipient = await this.db.transaction(async (tx) => {
      const [row] = (await tx
        .insert(sharingRecipients)
        .values({
          id: newId('recipient'),
          orgId: principal.orgId,
          createdBy: principal.userId,
          name: input.name,
          prefix: secret.slice(0, recipientTokenPrefix.length + 6),
          secretHash: hash,
          expiresAt,
          createdAt: now,
        })
        .returning()) as [Recipient];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'sharing.recipient.create',
        object: { type: 'recipient', id: row.id },
        data: { name: row.name, expiresAt: expiresAt.toISOString() },
      });
      return row;
    });
    return {
      recipient,
      profile: {
        shareCredentialsVersion: 1,
        endpoint,
        bearerToken: secret,
        expirationTime: expiresAt.toISOString(),
      },
    };
  }

  async listRecipients(principal: Principal): Promise<Recipient[]> {
    requireRole(principal, 'admin');
    return this.db
      .select()
      .from(sharingRecipients)
      .where(eq(sharingRecipients.orgId, principal.orgId))
      .orderBy(desc(sharingRecipients.createdAt));
  }

  async revokeRecipient(principal: Principal, recipientId: string): Promise<Recipient> {
    requireRole(principal, 'admin');
    return this.db.transaction(async (tx) => {
      const [found] = await tx
        .select()
        .from(sharingRecipients)
        .where(eq(sharingRecipients.id, recipientId))
        .for('update');
      const row = authorize(principal, found, `recipient ${recipientId}`);
      if (row.revokedAt) throw conflict('the recipient is already revoked');
      const [updated] = (await tx
        .update(sharingRecipients)
        .set({ revokedAt: this.deps.clock.now() })
        .where(eq(sharingRecipients.id, row.id))
        .returning()) as [Recipient];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'sharing.recipient.revoke',
        object: { type: 'recipient', id: row.id },
        data: { name: row.name },
      });
      return updated;
    });
  }

  /** The session of a bearer token, or null when it is unknown, expired, revoked or its org is not active. */
  async authenticate(secret: string): Promise<RecipientSession | null> {
    if (!secret.startsWith(recipientTokenPrefix)) return null;
    const [recipient] = await this.db
      .select()
      .from(sharingRecipients)
      .where(eq(sharingRecipients.secretHash, hashSecret(secret)));
    return this.sessionOf(recipient);
  }

  private async sessionOf(recipient: Recipient | undefined): Promise<RecipientSession | null> {
    const now = this.deps.clock.now();
    if (!recipient || recipient.revokedAt || recipient.expiresAt <= now) return null;
    const principal = await this.deps.identity.principalFor('token', recipient.createdBy, recipient.orgId, {
      tokenId: recipient.id,
    });
    if (principal?.orgStatus !== 'active') return null;
    // Last use is a hint for people cleaning up recipients, not evidence: a minute's precision will do.
    if (!recipient.lastUsedAt || now.getTime() - recipient.lastUsedAt.getTime() > 60_000) {
      await this.db
        .update(sharingRecipients)
        .set({ lastUsedAt: now })
        .where(eq(sharingRecipients.id, recipient.id));
    }
    return { recipient, principal };
  }

  // ---- shares, schemas, tables -------------------------------------------------------------------

  /** Every table the recipient's organisation may read as files now, across its shares. */
  async sharedTables(session: RecipientSession): Promise<SharedTable[]> {
    const { grants } = await this.deps.query.resolveGrants(session.principal);
    const tables: SharedTable[] = [];
    for (const grant of grants) {
      if (!permitsDownload(grant)) continue;
      // The organisation's own datasets are not shared back to it: it holds the originals.
      const share =
        grant.via === 'agreement' ? grant.agreementId : grant.via === 'open' ? openShareName : null;
      if (!share) continue;
      tables.push({
        share,
        shareId: stableUuid(`share/${share}`),
        schema: schemaName,
        name: grant.name,
        id: stableUuid(`table/${share}/${grant.datasetId}`),
        grant,
      });
    }
    return tables.sort(byShareAndName);
  }

  async shares(session: RecipientSession): Promise<{ name: string; id: string }[]> {
    const seen = new Map<string, string>();
    for (const table of await this.sharedTables(session)) seen.set(table.share, table.shareId);
    return [...seen].map(([name, id]) => ({ name, id }));
  }

  /** The tables of one share (names are case-insensitive, as the protocol says); 404 for an unknown share. */
  async shareTables(session: RecipientSession, share: string, schema?: string): Promise<SharedTable[]> {
    const tables = (await this.sharedTables(session)).filter(
      (table) => table.share.toLowerCase() === share.toLowerCase(),
    );
    if (tables.length === 0) throw notFound(`share ${share}`);
    if (schema !== undefined && schema.toLowerCase() !== schemaName) {
      throw notFound(`schema ${schema} in share ${share}`);
    }
    return tables;
  }

  async table(session: RecipientSession, share: string, schema: string, name: string): Promise<SharedTable> {
    const tables = await this.shareTables(session, share, schema);
    const table = tables.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!table) throw notFound(`table ${name} in ${share}.${schema}`);
    return table;
  }

  /** The table's version is its dataset version's number: a new upload is a new table version. */
  async tableVersion(table: SharedTable): Promise<number> {
    const entry = (await this.deps.datasets.versionsForGrants([table.grant.versionId])).get(
      table.grant.versionId,
    );
    if (!entry) throw notFound(`table ${table.name}`);
    return entry.version.version;
  }

  async metadata(table: SharedTable): Promise<{ version: number; metaData: DeltaMetadata }> {
    const entry = (await this.deps.datasets.versionsForGrants([table.grant.versionId])).get(
      table.grant.versionId,
    );
    if (!entry) throw notFound(`table ${table.name}`);
    const columns = await this.columnsOf(table.grant);
    const descriptions = new Map(entry.version.columns.map((column) => [column.name, column.description]));
    const schemaString = schemaStringOf(columns, (name) => {
      const metadata: Record<string, string> = {};
      const comment = descriptions.get(name);
      if (comment) metadata.comment = comment;
      const mask = table.grant.terms.masks[name];
      if (mask) metadata['stp.mask'] = mask.kind;
      return metadata;
    });
    return {
      version: entry.version.version,
      metaData: {
        id: table.id,
        name: table.name,
        description: entry.dataset.description ?? entry.dataset.title,
        format: { provider: 'parquet' },
        schemaString,
        partitionColumns: [],
        configuration: {},
      },
    };
  }

  /**
   * The columns as the grant shows them, with their types after masking (a hashed id is text, a
   * banded age is text, a truncated date is a date), read from DuckDB's own binding of the SELECT.
   */
  private async columnsOf(grant: Grant): Promise<SharedColumn[]> {
    const connection = await this.deps.engine.ingestConnection();
    try {
      const reader = await connection.runAndReadAll(`SELECT * FROM (${compileSelect(grant)}) LIMIT 0`);
      return sharedColumns(reader.columnNames(), reader.columnTypes());
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Reads a table: the metadata, and one file line per file with a URL signed for this recipient.
   * The query is counted against the agreement and written to the ledger, in one transaction,
   * before any URL is handed out. Only the current version is served (no history sharing), so
   * `version` must be the current one and `timestamp`/`startingVersion` are refused. Predicate and
   * limit hints are best effort by the protocol; with one file per table there is nothing to skip.
   */
  async query(
    session: RecipientSession,
    table: SharedTable,
    input: TableQueryInput,
    fileUrlBase: string,
  ): Promise<{ version: number; metaData: DeltaMetadata; files: DeltaFile[] }> {
    const { version, metaData } = await this.metadata(table);
    if (input.version !== undefined && input.version !== version) {
      throw new AppError(
        'bad-request',
        `table ${table.name} is shared without history: only its current version ${version} can be read`,
      );
    }
    if (input.timestamp !== undefined || input.startingVersion !== undefined) {
      throw new AppError(
        'bad-request',
        `table ${table.name} is shared without history or change data feed: omit timestamp and startingVersion`,
      );
    }
    const file = await this.fileFor(table.grant, await this.columnsOf(table.grant));
    const { recipient, principal } = session;
    const grant = table.grant;
    await this.db.transaction(async (tx) => {
      await this.deps.agreements.countQuery(tx, grant.agreementId ? [grant.agreementId] : []);
      await this.deps.audit.append(tx, {
        actor: { type: 'recipient', id: recipient.id },
        orgId: principal.orgId,
        action: 'sharing.query',
        object: { type: 'dataset', id: grant.datasetId },
        decision: 'allow',
        data: {
          share: table.share,
          table: table.name,
          via: grant.via,
          agreementId: grant.agreementId,
          versionId: grant.versionId,
          fileId: file.id,
          rows: file.rows,
          columns: grant.terms.columns,
          masks: Object.fromEntries(
            Object.entries(grant.terms.masks).map(([name, mask]) => [name, mask.kind]),
          ),
          limitHint: input.limitHint ?? null,
          onBehalfOf: recipient.createdBy,
        },
      });
    });
    const expires = Math.floor(this.deps.clock.now().getTime() / 1000) + this.fileUrlSeconds;
    const fileGrant: FileGrant = { fileId: file.id, recipientId: recipient.id, expires };
    const query = new URLSearchParams({
      recipient: recipient.id,
      expires: String(expires),
      signature: signFileGrant(this.deps.urlKey, fileGrant),
    });
    return {
      version,
      metaData,
      files: [
        {
          url: `${fileUrlBase}/${file.id}?${query}`,
          id: file.id,
          partitionValues: {},
          size: file.bytes,
          stats: JSON.stringify({ numRecords: file.rows }),
          expirationTimestamp: expires * 1000,
        },
      ],
    };
  }

  // ---- files -------------------------------------------------------------------------------------

  private pathOf(file: SharedFile): string {
    return path.join(this.filesDir, file.file);
  }

  /**
   * The masked file for a grant, made once per policy (the SHA-256 of the SELECT that writes it)
   * and reused until the policy or the dataset version changes. Written beside its final place and
   * renamed, so a reader never sees half a file; the row is inserted after the rename.
   */
  private fileFor(grant: Grant, columns: SharedColumn[]): Promise<SharedFile> {
    const policyKey = policyKeyOf(grant);
    const pending = this.making.get(policyKey);
    if (pending) return pending;
    // Written from the grant's file (masks and filters already applied), as every consumer exit reads.
    const making = this.deps.query.deps.grantFiles
      .fileFor(grant)
      .then((grantFile) =>
        this.findOrMakeFile(
          grant,
          storedSelect(`SELECT * FROM read_parquet(${quoteLiteral(grantFile)})`, columns),
          policyKey,
        ),
      )
      .finally(() => this.making.delete(policyKey));
    this.making.set(policyKey, making);
    return making;
  }

  private async findOrMakeFile(grant: Grant, select: string, policyKey: string): Promise<SharedFile> {
    const [existing] = await this.db.select().from(sharedFiles).where(eq(sharedFiles.policyKey, policyKey));
    if (existing) {
      if (await stat(this.pathOf(existing)).catch(() => null)) return existing;
      // The file was lost (a wiped disk, a new node): make it again under a new id.
      await this.db.delete(sharedFiles).where(eq(sharedFiles.id, existing.id));
    }
    await mkdir(this.filesDir, { recursive: true });
    const id = newId('sharedFile');
    const name = `${id}.parquet`;
    const final = path.join(this.filesDir, name);
    let rows: number;
    const connection = await this.deps.engine.ingestConnection();
    try {
      rows = await writeAside(final, async (aside) => {
        const reader = await connection.runAndReadAll(
          `COPY (${select}) TO ${quoteLiteral(aside)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        return Number(reader.getRowsJson()[0]?.[0] ?? 0);
      });
    } finally {
      connection.closeSync();
    }
    const bytes = (await stat(final)).size;
    const [row] = await this.db
      .insert(sharedFiles)
      .values({
        id,
        policyKey,
        agreementId: grant.agreementId,
        datasetId: grant.datasetId,
        versionId: grant.versionId,
        file: name,
        bytes,
        rows,
        createdAt: this.deps.clock.now(),
      })
      .onConflictDoNothing({ target: sharedFiles.policyKey })
      .returning();
    if (row) return row;
    // Another node made the same file first: use theirs.
    await rm(final, { force: true });
    const [winner] = await this.db.select().from(sharedFiles).where(eq(sharedFiles.policyKey, policyKey));
    if (!winner) throw new Error(`shared file for policy ${policyKey} vanished`);
    return winner;
  }

  /**
   * Opens a file for a signed URL. The signature is checked first (no database work for a forged
   * URL), then the expiry, then that the recipient is still in force and that the file is still
   * what its policy yields now: the grant is resolved afresh and its compiled SELECT must be the one
   * the file was written from. So a URL handed out before a revocation, an expiry, a new version,
   * or a withdrawn consent stops working with it, not when it expires.
   */
  async openFile(grant: FileGrant, signature: string): Promise<{ path: string; bytes: number }> {
    if (
      !isId('sharedFile', grant.fileId) ||
      !isId('recipient', grant.recipientId) ||
      !Number.isSafeInteger(grant.expires) ||
      !isSignedFileGrant(this.deps.urlKey, grant, signature)
    ) {
      throw forbidden('the URL is not signed for this file');
    }
    if (grant.expires * 1000 <= this.deps.clock.now().getTime()) {
      throw forbidden('the URL has expired; query the table again for a fresh one');
    }
    const [recipient] = await this.db
      .select()
      .from(sharingRecipients)
      .where(eq(sharingRecipients.id, grant.recipientId));
    const session = await this.sessionOf(recipient);
    if (!session) throw forbidden('the recipient is revoked or expired');
    const [file] = await this.db.select().from(sharedFiles).where(eq(sharedFiles.id, grant.fileId));
    if (!file) throw notFound(`file ${grant.fileId}`);
    const { grants } = await this.deps.query.resolveGrants(session.principal);
    const current = grants.find(
      (candidate) =>
        candidate.datasetId === file.datasetId &&
        candidate.agreementId === file.agreementId &&
        (candidate.via === 'agreement' || candidate.via === 'open') &&
        permitsDownload(candidate),
    );
    if (!current) throw forbidden('this table is no longer shared with you');
    if (policyKeyOf(current) !== file.policyKey) {
      throw forbidden(
        'the table changed since this URL was issued (a new version, terms or consents); query it again',
      );
    }
    const found = await stat(this.pathOf(file)).catch(() => null);
    if (!found) throw notFound(`file ${grant.fileId}`);
    return { path: this.pathOf(file), bytes: found.size };
  }

  /**
   * Removes files left half-written by a crash between COPY and rename (no row points at them),
   * once last written more than `minAgeMs` ago: a younger one may be a COPY still running, on this
   * node or another sharing DATA_DIR (0: all of them).
   */
  async sweepPartialFiles(minAgeMs: number): Promise<SweepReport> {
    const report: SweepReport = { removed: [], removedBytes: 0, movedAside: [] };
    for (const name of await readdir(this.filesDir).catch(() => [] as string[])) {
      if (!name.endsWith('.partial')) continue;
      const at = path.join(this.filesDir, name);
      const found = await stat(at).catch(() => null);
      if (!found || (minAgeMs > 0 && found.mtimeMs > Date.now() - minAgeMs)) continue;
      await rm(at, { force: true });
      report.removed.push(at);
      report.removedBytes += found.size;
    }
    return report;
  }

  /** Datasets the caller may take away as files (for the catalogue's download resources). */
  async downloadableDatasetIds(principal: Principal): Promise<Set<string>> {
    const { grants } = await this.deps.query.resolveGrants(principal);
    return new Set(grants.filter(permitsDownload).map((grant) => grant.datasetId));
  }
}
