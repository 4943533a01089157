import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { escapeLike } from '../../db/like.js';
import { conflict, notFound } from '../../errors.js';
import { isOpenDataset } from '../catalog/datasets.js';
import { apis, datasets, datasetVersions } from '../catalog/schema.js';
import { listedApis, listedDatasets } from '../catalog/visibility.js';
import type { Principal } from '../identity/principal.js';
import { type Location, type OrgKind, organisations } from '../identity/schema.js';
import type { NotificationService } from './notifications.js';
import { orgFollows } from './schema.js';

export const directoryRoles = ['data-partner', 'tech-company', 'regulatory-advisor'] as const;
export type DirectoryRole = (typeof directoryRoles)[number];

/**
 * What an organisation is to the community, derived from its kinds: a provider is a data partner;
 * a consumer that provides nothing is a tech company; a regulator is a regulatory advisor. An
 * operator runs the platform and is no member of the directory by that alone.
 */
export function rolesOf(kinds: readonly OrgKind[]): DirectoryRole[] {
  const roles: DirectoryRole[] = [];
  if (kinds.includes('provider')) roles.push('data-partner');
  if (kinds.includes('consumer') && !kinds.includes('provider')) roles.push('tech-company');
  if (kinds.includes('regulator')) roles.push('regulatory-advisor');
  return roles;
}

/** The same rule as `rolesOf`, as SQL over `organisations.kinds`. */
const roleConditions: Record<DirectoryRole, SQL> = {
  'data-partner': sql`'provider' = any(${organisations.kinds})`,
  'tech-company': sql`('consumer' = any(${organisations.kinds}) and not 'provider' = any(${organisations.kinds}))`,
  'regulatory-advisor': sql`'regulator' = any(${organisations.kinds})`,
};

export interface DirectoryEntry {
  id: string;
  slug: string;
  name: string;
  roles: DirectoryRole[];
  kinds: OrgKind[];
  sector: string | null;
  /** Verified by an operator; null until then. */
  location: Location | null;
  description: string | null;
  website: string | null;
  apiCount: number;
  datasetCount: number;
  followers: number;
  followedByMe: boolean;
}

export interface DirectoryProfile extends DirectoryEntry {
  apis: { id: string; name: string; description: string | null }[];
  datasets: { id: string; title: string; description: string | null; isOpen: boolean }[];
}

export interface DirectoryQuery {
  role?: DirectoryRole;
  q?: string;
  sector?: string;
  location?: Location;
}

/**
 * Who is in the community: active organisations that are data partners, tech companies or
 * regulatory advisors (never one that is pending, rejected or suspended, never the operator alone),
 * and who follows whom.
 */
export class DirectoryService {
  constructor(readonly deps: { db: Db; clock: Clock; notifications: NotificationService }) {}

  private get db(): Db {
    return this.deps.db;
  }

  private async entries(principal: Principal, conditions: (SQL | undefined)[]): Promise<DirectoryEntry[]> {
    const orgs = await this.db
      .select()
      .from(organisations)
      .where(
        and(
          eq(organisations.status, 'active'),
          sql`${organisations.kinds} && array['provider', 'consumer', 'regulator']::text[]`,
          ...conditions,
        ),
      )
      .orderBy(asc(organisations.name), asc(organisations.id));
    if (orgs.length === 0) return [];
    const ids = orgs.map((org) => org.id);
    // Counted per organisation in one grouped query each, rather than per row.
    const apiCounts = await this.db
      .select({ orgId: apis.orgId, count: count() })
      .from(apis)
      .where(and(inArray(apis.orgId, ids), listedApis))
      .groupBy(apis.orgId);
    const datasetCounts = await this.db
      .select({ orgId: datasets.orgId, count: count() })
      .from(datasets)
      .where(and(inArray(datasets.orgId, ids), listedDatasets))
      .groupBy(datasets.orgId);
    const follows = await this.db
      .select({
        orgId: orgFollows.orgId,
        count: count(),
        isMine: sql<boolean>`bool_or(${orgFollows.userId} = ${principal.userId})`,
      })
      .from(orgFollows)
      .where(inArray(orgFollows.orgId, ids))
      .groupBy(orgFollows.orgId);
    const apisBy = new Map(apiCounts.map((row) => [row.orgId, row.count]));
    const datasetsBy = new Map(datasetCounts.map((row) => [row.orgId, row.count]));
    const followsBy = new Map(follows.map((row) => [row.orgId, row]));
    return orgs.map((org) => ({
      id: org.id,
      slug: org.slug,
      name: org.name,
      roles: rolesOf(org.kinds),
      kinds: org.kinds,
      sector: org.sector,
      location: org.location,
      description: org.description,
      website: org.website,
      apiCount: apisBy.get(org.id) ?? 0,
      datasetCount: datasetsBy.get(org.id) ?? 0,
      followers: followsBy.get(org.id)?.count ?? 0,
      followedByMe: Boolean(followsBy.get(org.id)?.isMine),
    }));
  }

  async list(principal: Principal, query: DirectoryQuery): Promise<DirectoryEntry[]> {
    const conditions: SQL[] = [];
    if (query.role) conditions.push(roleConditions[query.role]);
    if (query.q) {
      const pattern = `%${escapeLike(query.q)}%`;
      conditions.push(
        sql`(${organisations.name} ilike ${pattern} or ${organisations.description} ilike ${pattern} or ${organisations.sector} ilike ${pattern})`,
      );
    }
    if (query.sector) conditions.push(sql`lower(${organisations.sector}) = lower(${query.sector})`);
    if (query.location) conditions.push(eq(organisations.location, query.location));
    return this.entries(principal, conditions);
  }

  private async entry(principal: Principal, orgId: string): Promise<DirectoryEntry> {
    const [entry] = await this.entries(principal, [eq(organisations.id, orgId)]);
    if (!entry) throw notFound(`organisation ${orgId} in the directory`);
    return entry;
  }

  /** An organisation's profile: what it is, and what it offers every organisation. */
  async get(principal: Principal, orgId: string): Promise<DirectoryProfile> {
    const entry = await this.entry(principal, orgId);
    const apiRows = await this.db
      .select({ id: apis.id, name: apis.title, description: apis.description })
      .from(apis)
      .where(and(eq(apis.orgId, orgId), listedApis))
      .orderBy(asc(apis.title), asc(apis.id));
    const datasetRows = await this.db
      .select({ dataset: datasets, version: datasetVersions })
      .from(datasets)
      .leftJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
      .where(and(eq(datasets.orgId, orgId), listedDatasets))
      .orderBy(asc(datasets.title), asc(datasets.id));
    return {
      ...entry,
      apis: apiRows,
      datasets: datasetRows.map(({ dataset, version }) => ({
        id: dataset.id,
        title: dataset.title,
        description: dataset.description,
        isOpen: isOpenDataset(dataset, version),
      })),
    };
  }

  /** A person follows an organisation for the one they act for; it hears when the other publishes. */
  async follow(
    principal: Principal,
    orgId: string,
    isFollowing: boolean,
  ): Promise<{ followedByMe: boolean }> {
    await this.entry(principal, orgId);
    if (isFollowing) {
      if (orgId === principal.orgId) throw conflict('an organisation does not follow itself');
      await this.db
        .insert(orgFollows)
        .values({
          orgId,
          userId: principal.userId,
          followerOrgId: principal.orgId,
          createdAt: this.deps.clock.now(),
        })
        .onConflictDoNothing();
    } else {
      await this.db
        .delete(orgFollows)
        .where(and(eq(orgFollows.orgId, orgId), eq(orgFollows.userId, principal.userId)));
    }
    return { followedByMe: isFollowing };
  }

  /**
   * Tells the organisations following a publisher that it published a dataset (`org.published`).
   * Runs in the publishing transaction, so the notice exists exactly when the dataset is published.
   */
  async announcePublication(
    tx: Executor,
    dataset: { id: string; orgId: string; title: string },
  ): Promise<void> {
    const followers = await tx
      .selectDistinct({ orgId: orgFollows.followerOrgId })
      .from(orgFollows)
      .where(eq(orgFollows.orgId, dataset.orgId));
    const orgIds = followers.map((row) => row.orgId).filter((orgId) => orgId !== dataset.orgId);
    if (orgIds.length === 0) return;
    const [publisher] = await tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, dataset.orgId));
    const name = publisher?.name ?? dataset.orgId;
    await this.deps.notifications.notify(tx, {
      orgIds,
      kind: 'org.published',
      title: `${name} published "${dataset.title}"`,
      body: `${name}, an organisation you follow, published the dataset "${dataset.title}".`,
      object: { type: 'dataset', id: dataset.id },
      data: { orgId: dataset.orgId, datasetId: dataset.id },
    });
  }
}
