import { and, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { type ActiveAgreement, agreementState } from '../access/agreements.js';
import { agreements } from '../access/schema.js';
import { type DatasetVersion, isOpenDataset, type QueryableVersion } from '../catalog/datasets.js';
import { datasets, datasetVersions, openLicences } from '../catalog/schema.js';
import { type Location, organisations } from '../identity/schema.js';

/** An agreement in force for the caller, with the version it reads (null: that version is gone). */
export interface AgreementSource extends ActiveAgreement {
  entry: QueryableVersion | null;
  /** The provider's operator-verified location (for the cross-boundary gate), or null. */
  providerLocation: Location | null;
  createdAt: Date;
}

/** Everything a caller's grants are made of, as one read saw it. */
export interface GrantSources {
  /** The caller's own datasets and every open one, with their current versions. */
  readable: QueryableVersion[];
  /** Agreements in force now, newest first. */
  agreements: AgreementSource[];
  /** The caller organisation's operator-verified location, or null. */
  location: Location | null;
}

/**
 * What the governed query engine needs to resolve a caller's grants, read in one statement instead
 * of one round trip per fact: the caller's own and open datasets with their current versions, its
 * agreements not revoked with the version each reads (pinned or current), every provider's verified
 * location and the caller's own. It is the query engine's read model over the catalogue, access and
 * identity tables, read afresh on every query (never cached): a revoked agreement, a withdrawn
 * dataset or a changed location holds from the very next query.
 *
 * The SQL narrows open datasets by the facts it can see (published, no consent required, an open
 * licence, a confirmed version); `isOpenDataset` still decides on each row, so the narrowing can
 * only drop rows that rule refuses too.
 */
export async function readGrantSources(
  db: Db,
  orgId: string,
  now: Date,
  fileOf: (version: DatasetVersion) => string,
): Promise<GrantSources> {
  const current = alias(datasetVersions, 'current_version');
  const pinned = alias(datasetVersions, 'pinned_version');
  const provider = alias(organisations, 'provider');
  const rows = await db
    .select({
      dataset: datasets,
      current,
      pinned,
      agreement: agreements,
      providerLocation: provider.location,
      callerLocation: sql<Location | null>`(select ${organisations.location} from ${organisations} where ${organisations.id} = ${orgId})`,
    })
    .from(datasets)
    .leftJoin(current, eq(current.id, datasets.currentVersionId))
    .leftJoin(
      agreements,
      and(eq(agreements.datasetId, datasets.id), eq(agreements.orgId, orgId), isNull(agreements.revokedAt)),
    )
    .leftJoin(
      pinned,
      and(eq(pinned.id, sql`${agreements.terms}->>'pinnedVersionId'`), eq(pinned.datasetId, datasets.id)),
    )
    .leftJoin(provider, eq(provider.id, datasets.orgId))
    .where(
      or(
        eq(datasets.orgId, orgId),
        isNotNull(agreements.id),
        and(
          eq(datasets.status, 'published'),
          eq(datasets.consentRequired, false),
          inArray(datasets.licence, [...openLicences]),
          isNotNull(current.confirmedAt),
        ),
      ),
    );
  const readable = new Map<string, QueryableVersion>();
  const active: AgreementSource[] = [];
  let location: Location | null = null;
  for (const row of rows) {
    location = row.callerLocation ?? null;
    const { dataset } = row;
    if (
      row.current &&
      !readable.has(dataset.id) &&
      (dataset.orgId === orgId || isOpenDataset(dataset, row.current))
    ) {
      readable.set(dataset.id, { dataset, version: row.current, file: fileOf(row.current) });
    }
    const agreement = row.agreement;
    if (!agreement || agreementState(agreement, now) !== 'active') continue;
    // A pinned version that is not a version of this dataset (or no longer exists) reads nothing.
    const version = agreement.terms.pinnedVersionId ? row.pinned : row.current;
    active.push({
      id: agreement.id,
      datasetId: agreement.datasetId,
      terms: agreement.terms,
      secret: agreement.secret,
      queriesUsed: agreement.queriesUsed,
      entry: version ? { dataset, version, file: fileOf(version) } : null,
      providerLocation: row.providerLocation ?? null,
      createdAt: agreement.createdAt,
    });
  }
  // Newest first, as AgreementService.activeFor answers: an older agreement never overrides a newer.
  active.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { readable: [...readable.values()], agreements: active, location };
}
