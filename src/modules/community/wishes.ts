import { and, asc, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { escapeLike } from '../../db/like.js';
import { AppError, forbidden, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { type Page, pageOf } from '../../infra/paging.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import { apis, datasets } from '../catalog/schema.js';
import type { CatalogService } from '../catalog/service.js';
import { isListedApi, isListedDataset } from '../catalog/visibility.js';
import { hasRole, type Principal, requireRole } from '../identity/principal.js';
import { organisations, users } from '../identity/schema.js';
import type { NotificationService } from './notifications.js';
import {
  type WishStatus,
  type WishTargetType,
  wishes,
  wishFollows,
  wishResponses,
  wishVotes,
} from './schema.js';

export const wishSorts = ['recent', 'votes'] as const;
export type WishSort = (typeof wishSorts)[number];

/** A wish as the board shows it to one caller: counts derived from votes and responses, "me" from the caller. */
export interface WishView {
  id: string;
  title: string;
  description: string;
  tags: string[];
  status: WishStatus;
  orgId: string;
  orgName: string;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  votes: number;
  votedByMe: boolean;
  followedByMe: boolean;
  responseCount: number;
}

export interface WishResponseView {
  id: string;
  orgId: string;
  orgName: string;
  message: string;
  target: { type: WishTargetType; id: string; name: string };
  createdBy: string;
  createdAt: Date;
}

export interface WishDetail extends WishView {
  responses: WishResponseView[];
}

export interface WishQuery {
  q?: string;
  status?: WishStatus;
  sort: WishSort;
  limit: number;
  cursor?: string;
}

export interface WishInput {
  title: string;
  description: string;
  tags?: string[];
}

export interface WishResponseInput {
  message: string;
  datasetId?: string;
  apiId?: string;
}

/** Where a response points: the dataset or API as the responding organisation owns it. */
export interface WishTarget {
  orgId: string;
  name: string;
  /** Seen by every signed-in organisation: a published dataset, a public API with a document. */
  isPublished: boolean;
}

/**
 * How the wish board reaches the catalogue (through its services: the caller sees a target exactly
 * when the catalogue would show it to them, and a hidden one is "not found").
 */
export interface WishTargetLookup {
  dataset(principal: Principal, datasetId: string): Promise<WishTarget>;
  api(principal: Principal, apiId: string): Promise<WishTarget>;
}

// ---- derived columns ---------------------------------------------------------------------------

// Correlated subqueries: every query using them joins another table, which is what makes Drizzle
// qualify `wishes.id` here; in a single-table select it would print a bare "id", which the subquery
// would read as its own table's column.
const votesOf = sql<number>`(select count(*)::int from ${wishVotes} where ${wishVotes.wishId} = ${wishes.id})`;
const responseCountOf = sql<number>`(select count(*)::int from ${wishResponses} where ${wishResponses.wishId} = ${wishes.id})`;

function viewColumns(principal: Principal) {
  return {
    wish: wishes,
    orgName: organisations.name,
    createdByName: users.name,
    votes: votesOf.mapWith(Number),
    votedByMe: sql<boolean>`exists (select 1 from ${wishVotes} where ${wishVotes.wishId} = ${wishes.id} and ${wishVotes.userId} = ${principal.userId})`,
    followedByMe: sql<boolean>`exists (select 1 from ${wishFollows} where ${wishFollows.wishId} = ${wishes.id} and ${wishFollows.userId} = ${principal.userId})`,
    responseCount: responseCountOf.mapWith(Number),
  };
}

type ViewRow = {
  wish: typeof wishes.$inferSelect;
  orgName: string;
  createdByName: string;
  votes: number;
  votedByMe: boolean;
  followedByMe: boolean;
  responseCount: number;
};

function viewOf(row: ViewRow): WishView {
  const { wish } = row;
  return {
    id: wish.id,
    title: wish.title,
    description: wish.description,
    tags: wish.tags,
    status: wish.status,
    orgId: wish.orgId,
    orgName: row.orgName,
    createdBy: wish.createdBy,
    createdByName: row.createdByName,
    createdAt: wish.createdAt,
    votes: row.votes,
    votedByMe: Boolean(row.votedByMe),
    followedByMe: Boolean(row.followedByMe),
    responseCount: row.responseCount,
  };
}

/**
 * The board is the community's: every active organisation sees it. A wish of an organisation that
 * is no longer active (suspended) is hidden from others, as the directory hides the organisation.
 */
function visibleTo(principal: Principal): SQL | undefined {
  return or(eq(organisations.status, 'active'), eq(wishes.orgId, principal.orgId));
}

// ---- cursors -----------------------------------------------------------------------------------

/** A position in one sort order: the last wish's id, and for `votes` its vote count when the page was read. */
type Cursor = { sort: 'recent'; id: string } | { sort: 'votes'; votes: number; id: string };

function encodeCursor(cursor: Cursor): string {
  const value = cursor.sort === 'votes' ? ['votes', cursor.votes, cursor.id] : ['recent', cursor.id];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(text: string, sort: WishSort): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {}
  if (Array.isArray(value) && value[0] === sort) {
    if (sort === 'recent' && value.length === 2 && typeof value[1] === 'string') {
      return { sort, id: value[1] };
    }
    if (
      sort === 'votes' &&
      value.length === 3 &&
      Number.isSafeInteger(value[1]) &&
      (value[1] as number) >= 0 &&
      typeof value[2] === 'string'
    ) {
      return { sort, votes: value[1] as number, id: value[2] };
    }
  }
  throw validationFailed('cursor', `is not a cursor this list returned for sort=${sort}`);
}

/** Tags as stored: trimmed, lower-case, each once, in the order given. */
function normaliseTags(tags: string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const clean = tag.trim().toLowerCase();
    if (clean.length === 0) throw validationFailed('tags', 'a tag cannot be empty or only spaces');
    if (!out.includes(clean)) out.push(clean);
  }
  return out;
}

/**
 * The data wish board: organisations ask for data that does not exist yet, others vote and follow,
 * and a provider answers with a published dataset or API. Answering notifies the wisher and every
 * follower's organisation in the same transaction as the answer (and so do their webhooks).
 * Votes and follows are a person's preferences, like marking a notification read: they are not
 * decisions, so they are not written to the ledger; posting, answering and closing are.
 */
export class WishService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      notifications: NotificationService;
      targets: WishTargetLookup;
    },
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  // ---- reading ---------------------------------------------------------------------------------

  private async views(executor: Executor, principal: Principal, ids: string[]): Promise<WishView[]> {
    if (ids.length === 0) return [];
    const rows = await executor
      .select(viewColumns(principal))
      .from(wishes)
      .innerJoin(organisations, eq(organisations.id, wishes.orgId))
      .innerJoin(users, eq(users.id, wishes.createdBy))
      .where(and(inArray(wishes.id, ids), visibleTo(principal)));
    const byId = new Map(rows.map((row) => [row.wish.id, viewOf(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The wish row, if the caller may see it; anything else is "not found". */
  private async findVisible(
    executor: Executor,
    principal: Principal,
    wishId: string,
    forUpdate = false,
  ): Promise<typeof wishes.$inferSelect> {
    const query = executor
      .select({ wish: wishes })
      .from(wishes)
      .innerJoin(organisations, eq(organisations.id, wishes.orgId))
      .where(and(eq(wishes.id, wishId), visibleTo(principal)));
    const [row] = forUpdate ? await query.for('update', { of: wishes }) : await query;
    if (!row) throw notFound(`wish ${wishId}`);
    return row.wish;
  }

  async list(principal: Principal, query: WishQuery): Promise<Page<WishView>> {
    const conditions: (SQL | undefined)[] = [visibleTo(principal)];
    if (query.status) conditions.push(eq(wishes.status, query.status));
    if (query.q) {
      const pattern = `%${escapeLike(query.q)}%`;
      conditions.push(
        sql`(${wishes.title} ilike ${pattern} or ${wishes.description} ilike ${pattern} or array_to_string(${wishes.tags}, ' ') ilike ${pattern})`,
      );
    }
    const after = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
    if (after?.sort === 'recent') conditions.push(sql`${wishes.id} < ${after.id}`);
    // Keyset on (votes, id), both descending: ties in votes are broken by the newest first.
    if (after?.sort === 'votes')
      conditions.push(sql`(${votesOf}, ${wishes.id}) < (${after.votes}::int, ${after.id})`);
    const order = query.sort === 'votes' ? [desc(votesOf), desc(wishes.id)] : [desc(wishes.id)];
    const rows = await this.db
      .select(viewColumns(principal))
      .from(wishes)
      .innerJoin(organisations, eq(organisations.id, wishes.orgId))
      .innerJoin(users, eq(users.id, wishes.createdBy))
      .where(and(...conditions))
      .orderBy(...order)
      .limit(query.limit + 1);
    return pageOf(rows.map(viewOf), query.limit, (last) =>
      encodeCursor(
        query.sort === 'votes'
          ? { sort: 'votes', votes: last.votes, id: last.id }
          : { sort: 'recent', id: last.id },
      ),
    );
  }

  async get(principal: Principal, wishId: string): Promise<WishDetail> {
    const [view] = await this.views(this.db, principal, [wishId]);
    if (!view) throw notFound(`wish ${wishId}`);
    return { ...view, responses: await this.responsesOf(this.db, [wishId]) };
  }

  /** Responses with their organisation's name and their target's current name, oldest first. */
  private async responsesOf(executor: Executor, wishIds: string[]): Promise<WishResponseView[]> {
    const rows = await executor
      .select({
        response: wishResponses,
        orgName: organisations.name,
        datasetTitle: datasets.title,
        apiTitle: apis.title,
      })
      .from(wishResponses)
      .innerJoin(organisations, eq(organisations.id, wishResponses.orgId))
      .leftJoin(
        datasets,
        and(eq(wishResponses.targetType, 'dataset'), eq(datasets.id, wishResponses.targetId)),
      )
      .leftJoin(apis, and(eq(wishResponses.targetType, 'api'), eq(apis.id, wishResponses.targetId)))
      .where(inArray(wishResponses.wishId, wishIds))
      .orderBy(asc(wishResponses.createdAt), asc(wishResponses.id));
    return rows.map(({ response, orgName, datasetTitle, apiTitle }) => ({
      id: response.id,
      orgId: response.orgId,
      orgName,
      message: response.message,
      target: {
        type: response.targetType,
        id: response.targetId,
        name: (response.targetType === 'dataset' ? datasetTitle : apiTitle) ?? response.targetId,
      },
      createdBy: response.createdBy,
      createdAt: response.createdAt,
    }));
  }

  // ---- posting and closing ---------------------------------------------------------------------

  async create(principal: Principal, input: WishInput): Promise<WishView> {
    const title = input.title.trim();
    if (title.length < 3) throw validationFailed('title', 'at least 3 characters besides spaces');
    const description = input.description.trim();
    const tags = normaliseTags(input.tags ?? []);
    const now = this.deps.clock.now();
    const id = newId('wish');
    await this.db.transaction(async (tx) => {
      await tx.insert(wishes).values({
        id,
        orgId: principal.orgId,
        createdBy: principal.userId,
        title,
        description,
        tags,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      });
      // The poster hears when the wish is answered without having to ask.
      await tx
        .insert(wishFollows)
        .values({ wishId: id, userId: principal.userId, orgId: principal.orgId, createdAt: now });
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'wish.create',
        object: { type: 'wish', id },
        data: { title, tags },
      });
    });
    return (await this.views(this.db, principal, [id]))[0]!;
  }

  /** The wisher's organisation closes its wish: an admin or owner, or the person who posted it. */
  async close(principal: Principal, wishId: string): Promise<WishView> {
    await this.db.transaction(async (tx) => {
      const wish = await this.findVisible(tx, principal, wishId, true);
      if (wish.orgId !== principal.orgId) {
        throw forbidden('only the wishing organisation closes its wish');
      }
      if (wish.createdBy !== principal.userId && !hasRole(principal, 'admin')) {
        throw forbidden('only the person who posted the wish, or an admin of its organisation, closes it');
      }
      if (wish.status === 'closed') return;
      const now = this.deps.clock.now();
      await tx
        .update(wishes)
        .set({ status: 'closed', closedAt: now, closedBy: principal.userId, updatedAt: now })
        .where(eq(wishes.id, wish.id));
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'wish.close',
        object: { type: 'wish', id: wish.id },
        data: { previousStatus: wish.status },
      });
    });
    return (await this.views(this.db, principal, [wishId]))[0]!;
  }

  // ---- votes and follows -----------------------------------------------------------------------

  /** One vote per person: voting again, or withdrawing a vote that is not there, changes nothing. */
  async vote(
    principal: Principal,
    wishId: string,
    isVoting: boolean,
  ): Promise<{ votes: number; votedByMe: boolean }> {
    const wish = await this.findVisible(this.db, principal, wishId);
    if (isVoting) {
      if (wish.status === 'closed') throw new AppError('wish-closed', `wish ${wishId} is closed`);
      await this.db
        .insert(wishVotes)
        .values({
          wishId,
          userId: principal.userId,
          orgId: principal.orgId,
          createdAt: this.deps.clock.now(),
        })
        .onConflictDoNothing();
    } else {
      await this.db
        .delete(wishVotes)
        .where(and(eq(wishVotes.wishId, wishId), eq(wishVotes.userId, principal.userId)));
    }
    const [view] = await this.views(this.db, principal, [wishId]);
    return { votes: view!.votes, votedByMe: view!.votedByMe };
  }

  async follow(
    principal: Principal,
    wishId: string,
    isFollowing: boolean,
  ): Promise<{ followedByMe: boolean }> {
    await this.findVisible(this.db, principal, wishId);
    if (isFollowing) {
      await this.db
        .insert(wishFollows)
        .values({
          wishId,
          userId: principal.userId,
          orgId: principal.orgId,
          createdAt: this.deps.clock.now(),
        })
        .onConflictDoNothing();
    } else {
      await this.db
        .delete(wishFollows)
        .where(and(eq(wishFollows.wishId, wishId), eq(wishFollows.userId, principal.userId)));
    }
    return { followedByMe: isFollowing };
  }

  // ---- answering -------------------------------------------------------------------------------

  /**
   * A provider answers a wish with one of its own published datasets or public APIs. Only an admin
   * or owner speaks for the organisation; linking something others cannot see would answer nobody.
   * The wish becomes `answered`, and the wisher's organisation and every follower's organisation are
   * notified in the same transaction.
   */
  async respond(principal: Principal, wishId: string, input: WishResponseInput): Promise<WishResponseView> {
    await this.findVisible(this.db, principal, wishId);
    requireRole(principal, 'admin');
    const message = input.message.trim();
    if (message.length === 0) throw validationFailed('message', 'cannot be only spaces');
    if ((input.datasetId === undefined) === (input.apiId === undefined)) {
      throw validationFailed(
        input.datasetId ? 'apiId' : 'datasetId',
        'give exactly one of datasetId and apiId',
      );
    }
    const targetType: WishTargetType = input.datasetId ? 'dataset' : 'api';
    const targetId = (input.datasetId ?? input.apiId)!;
    const target =
      targetType === 'dataset'
        ? await this.deps.targets.dataset(principal, targetId)
        : await this.deps.targets.api(principal, targetId);
    if (target.orgId !== principal.orgId) {
      throw forbidden(
        `a wish is answered with your organisation's own datasets and APIs; ${targetId} is not`,
      );
    }
    if (!target.isPublished) {
      throw new AppError(
        'wish-target-unpublished',
        targetType === 'dataset'
          ? `dataset ${targetId} is a draft: publish it before linking it to a wish`
          : `api ${targetId} is not public: only an API every organisation can see answers a wish`,
      );
    }
    const responseId = newId('wishResponse');
    await this.db.transaction(async (tx) => {
      // Locked so that a close running at the same time either sees the answer or refuses it.
      const wish = await this.findVisible(tx, principal, wishId, true);
      if (wish.status === 'closed') throw new AppError('wish-closed', `wish ${wishId} is closed`);
      const now = this.deps.clock.now();
      try {
        await tx.insert(wishResponses).values({
          id: responseId,
          wishId,
          orgId: principal.orgId,
          message,
          targetType,
          targetId,
          createdBy: principal.userId,
          createdAt: now,
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('already-exists', `wish ${wishId} already has a response linking ${targetId}`);
        }
        throw error;
      }
      if (wish.status === 'open') {
        await tx.update(wishes).set({ status: 'answered', updatedAt: now }).where(eq(wishes.id, wishId));
      }
      const followerOrgs = await tx
        .selectDistinct({ orgId: wishFollows.orgId })
        .from(wishFollows)
        .where(eq(wishFollows.wishId, wishId));
      // The answering organisation knows already; everyone else who asked or follows is told.
      const recipients = [...new Set([wish.orgId, ...followerOrgs.map((row) => row.orgId)])].filter(
        (orgId) => orgId !== principal.orgId,
      );
      const [responder] = await tx
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, principal.orgId));
      await this.deps.notifications.publish(tx, 'wish.answered', {
        to: { follower: recipients },
        objectId: wishId,
        title: `"${wish.title}" was answered`,
        body: `${responder?.name ?? principal.orgId} answered with the ${targetType} "${target.name}": ${message}`,
        data: {
          wishId,
          responseId,
          responderOrgId: principal.orgId,
          target: { type: targetType, id: targetId, name: target.name },
        },
      });
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'wish.respond',
        object: { type: 'wish', id: wishId },
        data: {
          responseId,
          wishOrgId: wish.orgId,
          ...(targetType === 'dataset' ? { datasetId: targetId } : { apiId: targetId }),
          notifiedOrgIds: recipients,
        },
      });
    });
    const [response] = (await this.responsesOf(this.db, [wishId])).filter((r) => r.id === responseId);
    return response!;
  }
}

/** Wish targets as the catalogue's services show them to the caller (drafts to their owner only). */
export function catalogueTargets(catalogue: {
  datasets: Pick<DatasetService, 'findVisible'>;
  apis: Pick<CatalogService, 'findVisible'>;
}): WishTargetLookup {
  return {
    dataset: async (principal, datasetId) => {
      const dataset = await catalogue.datasets.findVisible(principal, datasetId);
      return { orgId: dataset.orgId, name: dataset.title, isPublished: isListedDataset(dataset) };
    },
    api: async (principal, apiId) => {
      const api = await catalogue.apis.findVisible(principal, apiId);
      return {
        orgId: api.orgId,
        name: api.title,
        isPublished: isListedApi(api),
      };
    },
  };
}
