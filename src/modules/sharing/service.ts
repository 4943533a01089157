import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { writeAside } from '../../infra/atomic-files.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { SweepReport } from '../../infra/sweeps.js';
import type { AgreementService } from '../access/agreements.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService, QueryableVersion } from '../catalog/datasets.js';
import { authorize, type Principal, requireRole } from '../identity/principal.js';
import { hashSecret, newSecret } from '../identity/secrets.js';
import type { IdentityService } from '../identity/service.js';
import { grantAtVersion, type QueryService } from '../query/service.js';
import { compileSelect, type Grant } from '../query/views.js';
import { type SharedColumn, schemaStringOf, sharedColumns, stableUuid, storedSelect } from './delta.js';
import {
  firstSharedFrom,
  parseDeltaTimestamp,
  type SharedHistory,
  sharedHistory,
  sharedVersion,
  versionAt,
} from './history.js';
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

/** A change data feed's range: a start (version or timestamp) and an optional end. */
export interface TableChangesInput {
  startingVersion?: number;
  startingTimestamp?: string;
  endingVersion?: number;
  endingTimestamp?: string;
}

export interface DeltaMetadata {
  id: string;
  name: string;
  description?: string;
  format: { provider: 'parquet' };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  /** The table version the metadata describes, when a version was asked for. */
  version?: number;
}

export interface DeltaFile {
  url: string;
  id: string;
  partitionValues: Record<string, string>;
  size: number;
  stats?: string;
  expirationTimestamp: number;
  /** The table version of the file and its commit time (ms), for time travel and change lines. */
  version?: number;
  timestamp?: number;
}

/** One line of a change data feed: a version's whole rows (`add`) or its row changes (`cdf`). */
export type DeltaChangeLine = { add: DeltaFile } | { cdf: DeltaFile };

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
/** Bumped whenever the way a change file is written changes. */
const changeFileFormat = 'delta-cdf-v1';

/** The column a change file carries, as Delta's change data files do (PROTOCOL.md, "CDF File"). */
export const changeTypeColumn = '_change_type';

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

/**
 * What a change file is keyed by: the two versions' policies it was computed from. A change in
 * either (a revoked consent, a new version) names a new file.
 */
function changeKeyOf(previous: Grant, grant: Grant): string {
  return createHash('sha256')
    .update(`${changeFileFormat}\n${policyKeyOf(previous)}\n${policyKeyOf(grant)}`)
    .digest('hex');
}

/** Code-unit order (not locale order), so list pages can continue after a key with `>`. */
export function tableKey(table: { share: string; name: string }): string {
  return `${table.share}\u0000${table.name}`;
}

function sameColumns(left: SharedColumn[], right: SharedColumn[]): boolean {
  return (
    left.length === right.length &&
    left.every((column, i) => column.name === right[i]!.name && column.storedAs === right[i]!.storedAs)
  );
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
    return {
      version: entry.version.version,
      metaData: this.metadataOf(table, table.grant, entry, await this.columnsOf(table.grant)),
    };
  }

  private metadataOf(
    table: SharedTable,
    grant: Grant,
    entry: QueryableVersion,
    columns: SharedColumn[],
  ): DeltaMetadata {
    const descriptions = new Map(entry.version.columns.map((column) => [column.name, column.description]));
    const schemaString = schemaStringOf(columns, (name) => {
      const metadata: Record<string, string> = {};
      const comment = descriptions.get(name);
      if (comment) metadata.comment = comment;
      const mask = grant.terms.masks[name];
      if (mask) metadata['stp.mask'] = mask.kind;
      return metadata;
    });
    return {
      id: table.id,
      name: table.name,
      description: entry.dataset.description ?? entry.dataset.title,
      format: { provider: 'parquet' },
      schemaString,
      partitionColumns: [],
      // Every shared table answers the change data feed (`/changes`) between its shared versions.
      configuration: { enableChangeDataFeed: 'true' },
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

  /** The versions of a table's dataset, and which of them its grant reaches (history.ts). */
  private async historyOf(session: RecipientSession, grant: Grant): Promise<SharedHistory> {
    const all = await this.deps.datasets.versionHistory(grant.datasetId);
    const agreement = grant.agreementId
      ? await this.deps.agreements.getAgreement(session.principal, grant.agreementId)
      : null;
    return sharedHistory(
      grant,
      all,
      agreement ? { createdAt: agreement.createdAt, pinnedVersionId: agreement.terms.pinnedVersionId } : null,
    );
  }

  /** The grant as it reads one version: the current grant itself for the current version. */
  private grantFor(grant: Grant, entry: QueryableVersion): Grant {
    return entry.version.id === grant.versionId ? grant : grantAtVersion(grant, entry, this.deps.clock.now());
  }

  /**
   * The table version for `GET .../version?startingTimestamp=`: the earliest shared version
   * committed at or after it, or the current version when no timestamp is given.
   */
  async versionFrom(
    session: RecipientSession,
    table: SharedTable,
    startingTimestamp?: string,
  ): Promise<number> {
    if (startingTimestamp === undefined) return this.tableVersion(table);
    const at = parseDeltaTimestamp('startingTimestamp', startingTimestamp);
    return firstSharedFrom(await this.historyOf(session, table.grant), table.name, at).version.version;
  }

  /**
   * Reads a table: the metadata, and one file line per file with a URL signed for this recipient.
   * `version` or `timestamp` read an older version (time travel) through the same grant: its
   * terms, masks and live consents over that version's rows, never the version's own file. The
   * query is counted against the agreement and written to the ledger, in one transaction, before
   * any URL is handed out. Predicate and limit hints are best effort by the protocol; with one
   * file per version there is nothing to skip. Changes since a version are read at `/changes`.
   */
  async query(
    session: RecipientSession,
    table: SharedTable,
    input: TableQueryInput,
    fileUrlBase: string,
  ): Promise<{ version: number; metaData: DeltaMetadata; files: DeltaFile[] }> {
    if (input.startingVersion !== undefined || input.endingVersion !== undefined) {
      throw new AppError(
        'bad-request',
        `read the changes of ${table.name} between versions at its /changes endpoint (startingVersion, endingVersion)`,
      );
    }
    if (input.version !== undefined && input.timestamp !== undefined) {
      throw validationFailed('timestamp', 'give version or timestamp, not both');
    }
    const isTimeTravel = input.version !== undefined || input.timestamp !== undefined;
    let entry: QueryableVersion;
    if (isTimeTravel) {
      const history = await this.historyOf(session, table.grant);
      entry =
        input.version !== undefined
          ? sharedVersion(history, table.name, input.version)
          : versionAt(history, table.name, parseDeltaTimestamp('timestamp', input.timestamp!));
    } else {
      const found = (await this.deps.datasets.versionsForGrants([table.grant.versionId])).get(
        table.grant.versionId,
      );
      if (!found) throw notFound(`table ${table.name}`);
      entry = found;
    }
    const grant = this.grantFor(table.grant, entry);
    const columns = await this.columnsOf(grant);
    const metaData = this.metadataOf(table, grant, entry, columns);
    const file = await this.fileFor(grant, columns);
    await this.record(session, table, grant, [file], { limitHint: input.limitHint ?? null });
    const version = entry.version.version;
    const line = this.fileLine(session, file, fileUrlBase);
    return isTimeTravel
      ? {
          version,
          metaData: { ...metaData, version },
          files: [{ ...line, version, timestamp: entry.version.createdAt.getTime() }],
        }
      : { version, metaData, files: [line] };
  }

  /**
   * The change data feed between two shared versions, both inclusive (PROTOCOL.md, "Read Change
   * Data Feed from a Table"). Versions replace each other whole, so the changes a version commits
   * are the rows its grant shows that the previous version's grant did not (`insert`) and the
   * other way round (`delete`), as multisets, computed from the two masked files and nothing else:
   * the feed says no more than reading both versions would. A version whose predecessor the grant
   * does not reach (the first it shares) is answered whole, as an `add` of its rows. A hashed
   * column's pseudonyms are keyed per version (views.ts `maskKey`), so in such a table every row
   * shows as deleted and inserted again: pseudonyms stay unlinkable across versions.
   */
  async changes(
    session: RecipientSession,
    table: SharedTable,
    input: TableChangesInput,
    fileUrlBase: string,
  ): Promise<{ startingVersion: number; metaData: DeltaMetadata; lines: DeltaChangeLine[] }> {
    if (input.startingVersion !== undefined && input.startingTimestamp !== undefined) {
      throw validationFailed('startingTimestamp', 'give startingVersion or startingTimestamp, not both');
    }
    if (input.endingVersion !== undefined && input.endingTimestamp !== undefined) {
      throw validationFailed('endingTimestamp', 'give endingVersion or endingTimestamp, not both');
    }
    if (input.startingVersion === undefined && input.startingTimestamp === undefined) {
      throw validationFailed(
        'startingVersion',
        'a change data feed needs startingVersion or startingTimestamp',
      );
    }
    const history = await this.historyOf(session, table.grant);
    const start =
      input.startingVersion !== undefined
        ? sharedVersion(history, table.name, input.startingVersion)
        : firstSharedFrom(
            history,
            table.name,
            parseDeltaTimestamp('startingTimestamp', input.startingTimestamp!),
          );
    const end =
      input.endingVersion !== undefined
        ? sharedVersion(history, table.name, input.endingVersion)
        : input.endingTimestamp !== undefined
          ? versionAt(history, table.name, parseDeltaTimestamp('endingTimestamp', input.endingTimestamp))
          : history.shared.at(-1)!;
    if (end.version.version < start.version.version) {
      throw validationFailed(
        'endingVersion',
        `the range ends at version ${end.version.version}, before its start ${start.version.version}`,
      );
    }
    const range = history.versions.filter(
      (entry) =>
        entry.version.version >= start.version.version && entry.version.version <= end.version.version,
    );
    // Every version in between must be shared: a gap would hide what changed across it.
    for (const entry of range) sharedVersion(history, table.name, entry.version.version);
    const lines: DeltaChangeLine[] = [];
    const files: SharedFile[] = [];
    let endGrant = table.grant;
    let endColumns: SharedColumn[] = [];
    for (const entry of range) {
      const grant = this.grantFor(table.grant, entry);
      const columns = await this.columnsOf(grant);
      const timing = { version: entry.version.version, timestamp: entry.version.createdAt.getTime() };
      const previous = history.shared.find(
        (candidate) => candidate.version.version === entry.version.version - 1,
      );
      if (!previous) {
        const file = await this.fileFor(grant, columns);
        files.push(file);
        lines.push({ add: { ...this.fileLine(session, file, fileUrlBase), ...timing } });
      } else {
        const previousGrant = this.grantFor(table.grant, previous);
        const previousColumns = await this.columnsOf(previousGrant);
        if (!sameColumns(previousColumns, columns)) {
          throw new AppError(
            'table-changes-unavailable',
            `the columns of ${table.name} change between versions ${previous.version.version} and ${entry.version.version}; ` +
              'read the changes on either side of it, or each version by time travel',
          );
        }
        const file = await this.changeFileFor(previousGrant, previousColumns, grant, columns);
        files.push(file);
        if (file.rows > 0) {
          const { stats: _stats, ...line } = this.fileLine(session, file, fileUrlBase);
          lines.push({ cdf: { ...line, ...timing } });
        }
      }
      endGrant = grant;
      endColumns = columns;
    }
    await this.record(session, table, endGrant, files, {
      startingVersion: start.version.version,
      endingVersion: end.version.version,
    });
    return {
      startingVersion: start.version.version,
      metaData: this.metadataOf(table, endGrant, end, endColumns),
      lines,
    };
  }

  /** Counts the read against the agreement and writes it to the ledger, in one transaction. */
  private async record(
    session: RecipientSession,
    table: SharedTable,
    grant: Grant,
    files: SharedFile[],
    extra: Record<string, number | null>,
  ): Promise<void> {
    const { recipient, principal } = session;
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
          fileId: files[0]?.id ?? null,
          fileIds: files.map((file) => file.id),
          rows: files.reduce((sum, file) => sum + file.rows, 0),
          columns: grant.terms.columns,
          masks: Object.fromEntries(
            Object.entries(grant.terms.masks).map(([name, mask]) => [name, mask.kind]),
          ),
          ...extra,
          onBehalfOf: recipient.createdBy,
        },
      });
    });
  }

  /** A file's line with a URL signed for this recipient, valid for `fileUrlSeconds`. */
  private fileLine(session: RecipientSession, file: SharedFile, fileUrlBase: string): DeltaFile {
    const { recipient } = session;
    const expires = Math.floor(this.deps.clock.now().getTime() / 1000) + this.fileUrlSeconds;
    const fileGrant: FileGrant = { fileId: file.id, recipientId: recipient.id, expires };
    const query = new URLSearchParams({
      recipient: recipient.id,
      expires: String(expires),
      signature: signFileGrant(this.deps.urlKey, fileGrant),
    });
    return {
      url: `${fileUrlBase}/${file.id}?${query}`,
      id: file.id,
      partitionValues: {},
      size: file.bytes,
      stats: JSON.stringify({ numRecords: file.rows }),
      expirationTimestamp: expires * 1000,
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
    // Written from the grant's file (masks and filters already applied), as every consumer exit reads.
    return this.once(policyKeyOf(grant), () =>
      this.deps.query.deps.grantFiles
        .fileFor(grant)
        .then((grantFile) =>
          this.findOrMakeFile(
            grant,
            storedSelect(`SELECT * FROM read_parquet(${quoteLiteral(grantFile)})`, columns),
            policyKeyOf(grant),
          ),
        ),
    );
  }

  /**
   * The rows one version's grant shows and the previous version's does not, and the other way
   * round, each counted as often as it occurs (EXCEPT ALL), with their change type. Computed from
   * the two shared files alone, whose columns the caller has found to be the same.
   */
  private changeFileFor(
    previous: Grant,
    previousColumns: SharedColumn[],
    grant: Grant,
    columns: SharedColumn[],
  ): Promise<SharedFile> {
    const key = changeKeyOf(previous, grant);
    return this.once(key, async () => {
      const before = this.pathOf(await this.fileFor(previous, previousColumns));
      const after = this.pathOf(await this.fileFor(grant, columns));
      const side = (from: string, minus: string, kind: string) =>
        `SELECT *, ${quoteLiteral(kind)} AS ${quoteIdentifier(changeTypeColumn)} FROM (` +
        `SELECT * FROM read_parquet(${quoteLiteral(from)}) EXCEPT ALL SELECT * FROM read_parquet(${quoteLiteral(minus)}))`;
      return this.findOrMakeFile(
        grant,
        `${side(before, after, 'delete')} UNION ALL ${side(after, before, 'insert')}`,
        key,
      );
    });
  }

  /** Concurrent requests for the same file wait for one writer. */
  private once(key: string, make: () => Promise<SharedFile>): Promise<SharedFile> {
    const pending = this.making.get(key);
    if (pending) return pending;
    const making = make().finally(() => this.making.delete(key));
    this.making.set(key, making);
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
   * what its policy yields now: the grant is resolved afresh and the file must be one it still
   * yields (its current version's, or a shared older version's or change file, each recompiled from
   * the grant as it stands). So a URL handed out before a revocation, an expiry, or a withdrawn
   * consent stops working with it, not when it expires; a new version leaves the old version's URL
   * serving what time travel to that version would.
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
    if (!(await this.isStillShared(session, current, file))) {
      throw forbidden(
        'the table changed since this URL was issued (its version is no longer shared, or new terms or consents); query it again',
      );
    }
    const found = await stat(this.pathOf(file)).catch(() => null);
    if (!found) throw notFound(`file ${grant.fileId}`);
    return { path: this.pathOf(file), bytes: found.size };
  }

  /**
   * Whether a file is still what the grant yields now: the current version's file, or an older
   * shared version's file or change file, each recomputed from the grant as resolved now.
   */
  private async isStillShared(session: RecipientSession, current: Grant, file: SharedFile): Promise<boolean> {
    if (policyKeyOf(current) === file.policyKey) return true;
    const history = await this.historyOf(session, current);
    const at = history.shared.findIndex((entry) => entry.version.id === file.versionId);
    if (at === -1) return false;
    try {
      const grant = this.grantFor(current, history.shared[at]!);
      if (policyKeyOf(grant) === file.policyKey) return true;
      const previous = history.shared[at - 1];
      if (previous?.version.version !== history.shared[at]!.version.version - 1) return false;
      return changeKeyOf(this.grantFor(current, previous), grant) === file.policyKey;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
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
