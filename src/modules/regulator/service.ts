import { and, desc, eq, inArray, isNull, notExists, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AgreementService } from '../access/agreements.js';
import { agreements } from '../access/schema.js';
import type { Mask } from '../access/terms.js';
import type { EvidenceBundleManifest } from '../audit/bundle.js';
import type { LedgerEntry } from '../audit/chain.js';
import { type EvidenceScope, scopeOf } from '../audit/scope.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import { type Classification, datasets, datasetVersions } from '../catalog/schema.js';
import type { NotificationService } from '../community/notifications.js';
import type { DeletionRequest, DeletionRequestService } from '../consent/deletion.js';
import type { TransferService, TransferState } from '../crossborder/index.js';
import { hasKind, type Principal, requireKind } from '../identity/principal.js';
import type { IdentityService } from '../identity/service.js';
import { type ReviewDecision, regulatorReviews } from './schema.js';

/**
 * Classifications that put an agreement in the regulator's queue. `personal` alone does not: it is
 * the everyday case the provider governs; special categories and identifiers that single a person
 * out are what a regulator wants to see granted.
 */
export const reviewedClassifications: readonly Classification[] = ['sensitive', 'identifier'];

/** Ledger actions that are an access to a dataset's rows (or, in a lab, aggregates over them). */
export const accessActions = ['query.run', 'dataset.download', 'sharing.query', 'lab.query'] as const;

/** Ledger actions that are refused attempts at a dataset: probes, shown beside the accesses. */
export const probeActions = [
  'query.refuse',
  'query.refuse.summary',
  'lab.query.refuse',
  'lab.query.refuse.summary',
  'lab.job.refuse',
  'lab.job.refuse.summary',
] as const;

const transferStatesInReview: readonly TransferState[] = ['submitted', 'under-review'];

type Review = typeof regulatorReviews.$inferSelect;

export interface Party {
  id: string;
  name: string | null;
}

export interface AgreementInQueue {
  id: string;
  dataset: { id: string; title: string };
  provider: Party;
  consumer: Party;
  purpose: string;
  purposeText: string;
  actions: string[];
  columns: { name: string; classification: Classification | null; mask: string | null }[];
  sensitiveColumns: string[];
  masks: Record<string, Mask>;
  aggregateOnly: boolean;
  expiresAt: string;
  createdAt: Date;
  latestReview: Review | null;
}

export interface TransferInQueue {
  id: string;
  state: TransferState;
  provider: Party & { location: string };
  recipient: Party & { location: string };
  datasetIds: string[];
  dataCategories: string[];
  volume: string;
  purpose: string;
  filingDueOn: string | null;
  expiresAt: Date;
  updatedAt: Date;
}

export interface AccessEvent {
  seq: number;
  at: string;
  action: string;
  org: Party;
  actorType: string;
  actorId: string | null;
  /** `agreement`, `owner`, `open`, or `lab` for a clean-room query. */
  via: string | null;
  agreementId: string | null;
  /** Rows returned (for a query: by the whole query; for a lab query: groups released). */
  rows: number | null;
  /** The dataset's columns the access read (a query: the columns it referenced; a download: all granted). */
  columns: string[] | null;
  /** For a refused attempt (a probe): the problem code(s) and how many attempts the entry stands for. */
  refusal: { code: string; count: number } | null;
  entryHash: string;
}

export interface EvidenceQuery {
  orgId?: string;
  datasetId?: string;
  agreementId?: string;
  since?: string;
  until?: string;
  action?: string;
  afterSeq?: number;
  limit: number;
}

/**
 * The regulator's workspace: a review queue (agreements over sensitive data, transfers awaiting a
 * decision), reviews of agreements with reasons, and evidence read from the ledger: search by
 * organisation, dataset, agreement and time, per-dataset access history, and signed bundles that
 * verify offline. Regulators read evidence about data, never the data: they hold no agreements,
 * and access requests refuse their kind (tested in regulator.test.ts).
 */
export class RegulatorService {
  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      notifications: NotificationService;
      identity: IdentityService;
      agreements: AgreementService;
      datasets: DatasetService;
      transfers: TransferService;
      deletions: DeletionRequestService;
    },
  ) {}

  private get db() {
    return this.deps.db;
  }

  private async parties(orgIds: string[]): Promise<Map<string, { name: string; location: string | null }>> {
    const orgs = await this.deps.identity.organisationsByIds([...new Set(orgIds)]);
    return new Map(orgs.map((org) => [org.id, { name: org.name, location: org.location ?? null }]));
  }

  // ---- review queue ------------------------------------------------------------------------------

  /**
   * What awaits a regulator: agreements in force whose granted columns include sensitive or
   * identifier columns (of the version they read), newest first, and transfers submitted or under
   * review. `pending` leaves out agreements the caller's organisation has already reviewed.
   *
   * The agreement query joins agreements to dataset versions in one statement (read-only, across
   * the access and catalog modules' tables) so the classification test runs in the database and
   * the page is right; neither service offers a cross-organisation listing to build it from.
   */
  async queue(
    principal: Principal,
    options: { include: 'pending' | 'all'; limit: number },
  ): Promise<{
    agreements: AgreementInQueue[];
    transfers: TransferInQueue[];
    deletionRequests: DeletionRequest[];
  }> {
    requireKind(principal, 'regulator');
    const now = this.deps.clock.now();
    const sensitive = sql`exists (
      select 1 from jsonb_array_elements(${datasetVersions.columns}) as c
      where coalesce(c->>'classification', c->>'suggested') in (${sql.join(
        reviewedClassifications.map((name) => sql`${name}`),
        sql`, `,
      )})
        and (${agreements.terms}->'columns') @> jsonb_build_array(c->>'name'))`;
    const conditions: SQL[] = [
      isNull(agreements.revokedAt),
      sql`(${agreements.terms}->>'expiresAt')::timestamptz > ${now.toISOString()}::timestamptz`,
      sensitive,
    ];
    if (options.include === 'pending') {
      conditions.push(
        notExists(
          this.db
            .select({ one: sql`1` })
            .from(regulatorReviews)
            .where(
              and(
                eq(regulatorReviews.objectType, 'agreement'),
                eq(regulatorReviews.objectId, agreements.id),
                eq(regulatorReviews.regulatorOrgId, principal.orgId),
              ),
            ),
        ),
      );
    }
    const rows = await this.db
      .select({
        id: agreements.id,
        datasetId: agreements.datasetId,
        orgId: agreements.orgId,
        providerOrgId: agreements.providerOrgId,
        terms: agreements.terms,
        createdAt: agreements.createdAt,
        title: datasets.title,
        columns: datasetVersions.columns,
      })
      .from(agreements)
      .innerJoin(datasets, eq(datasets.id, agreements.datasetId))
      .innerJoin(
        datasetVersions,
        sql`${datasetVersions.id} = coalesce(${agreements.terms}->>'pinnedVersionId', ${datasets.currentVersionId})`,
      )
      .where(and(...conditions))
      .orderBy(desc(agreements.createdAt), desc(agreements.id))
      .limit(options.limit);
    const latest = await this.latestReviews(rows.map((row) => row.id));
    const inReview = (await this.deps.transfers.list(principal, {})).filter((transfer) =>
      transferStatesInReview.includes(transfer.currentState),
    );
    const escalated = await this.deps.deletions.escalated(options.limit);
    const parties = await this.parties([
      ...rows.flatMap((row) => [row.orgId, row.providerOrgId]),
      ...inReview.flatMap((transfer) => [transfer.providerOrgId, transfer.recipientOrgId]),
    ]);
    const party = (id: string): Party => ({ id, name: parties.get(id)?.name ?? null });
    return {
      agreements: rows.map((row) => {
        const columns = row.terms.columns.map((name) => {
          const column = row.columns.find((candidate) => candidate.name === name);
          return {
            name,
            classification: column ? (column.classification ?? column.suggested) : null,
            mask: row.terms.masks[name]?.kind ?? null,
          };
        });
        return {
          id: row.id,
          dataset: { id: row.datasetId, title: row.title },
          provider: party(row.providerOrgId),
          consumer: party(row.orgId),
          purpose: row.terms.purpose,
          purposeText: row.terms.purposeText,
          actions: row.terms.actions,
          columns,
          sensitiveColumns: columns
            .filter(
              (column) => column.classification && reviewedClassifications.includes(column.classification),
            )
            .map((column) => column.name),
          masks: row.terms.masks,
          aggregateOnly: row.terms.aggregateOnly,
          expiresAt: row.terms.expiresAt,
          createdAt: row.createdAt,
          latestReview: latest.get(row.id) ?? null,
        };
      }),
      transfers: inReview.map((transfer) => ({
        id: transfer.id,
        state: transfer.currentState,
        provider: { ...party(transfer.providerOrgId), location: transfer.providerLocation },
        recipient: { ...party(transfer.recipientOrgId), location: transfer.recipientLocation },
        datasetIds: transfer.datasetIds,
        dataCategories: transfer.dataCategories,
        volume: transfer.volume,
        purpose: transfer.purpose,
        filingDueOn: transfer.filingDueOn,
        expiresAt: transfer.expiresAt,
        updatedAt: transfer.updatedAt,
      })),
      deletionRequests: escalated,
    };
  }

  private async latestReviews(agreementIds: string[]): Promise<Map<string, Review>> {
    if (agreementIds.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(regulatorReviews)
      .where(
        and(eq(regulatorReviews.objectType, 'agreement'), inArray(regulatorReviews.objectId, agreementIds)),
      )
      .orderBy(desc(regulatorReviews.createdAt), desc(regulatorReviews.id));
    const latest = new Map<string, Review>();
    for (const row of rows) if (!latest.has(row.objectId)) latest.set(row.objectId, row);
    return latest;
  }

  // ---- reviews -----------------------------------------------------------------------------------

  /**
   * A regulator endorses or objects to an agreement, with a reason: stored, in the ledger and told
   * to both parties, in one transaction. An objection does not revoke: it is flagged (the queue's
   * `latestReview`, `GET /v1/regulator/reviews`) and the provider decides (see schema.ts).
   */
  async review(
    principal: Principal,
    input: { objectType: 'agreement'; objectId: string; decision: ReviewDecision; reason: string },
  ): Promise<Review> {
    requireKind(principal, 'regulator');
    const agreement = await this.deps.agreements.getAgreement(principal, input.objectId);
    if (agreement.state !== 'active')
      throw conflict(`the agreement is ${agreement.state}; only agreements in force are reviewed`);
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const [review] = (await tx
        .insert(regulatorReviews)
        .values({
          id: newId('regulatorReview', now.getTime()),
          objectType: 'agreement',
          objectId: agreement.id,
          regulatorOrgId: principal.orgId,
          decision: input.decision,
          reason: input.reason,
          decidedBy: principal.userId,
          createdAt: now,
        })
        .returning()) as [Review];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: `agreement.review.${input.decision}`,
        object: { type: 'agreement', id: agreement.id },
        decision: input.decision === 'endorse' ? 'allow' : 'deny',
        reason: input.reason,
        data: {
          reviewId: review.id,
          datasetId: agreement.datasetId,
          providerOrgId: agreement.providerOrgId,
          consumerOrgId: agreement.orgId,
        },
      });
      const objected = input.decision === 'object';
      await this.deps.notifications.notify(tx, {
        orgIds: [agreement.providerOrgId, agreement.orgId],
        kind: objected ? 'agreement.objected' : 'agreement.endorsed',
        title: objected ? 'A regulator objects to an agreement' : 'A regulator endorsed an agreement',
        body: objected
          ? `A regulator objects to agreement ${agreement.id}: ${input.reason}. The agreement stays in force until its provider revokes it.`
          : `A regulator endorsed agreement ${agreement.id}: ${input.reason}`,
        object: { type: 'agreement', id: agreement.id },
        data: {
          reviewId: review.id,
          decision: input.decision,
          reason: input.reason,
          regulatorOrgId: principal.orgId,
        },
      });
      return review;
    });
  }

  /** Reviews of one agreement, newest first: overseers, and the agreement's two parties. */
  async reviews(
    principal: Principal,
    query: { objectType: 'agreement'; objectId: string },
  ): Promise<Review[]> {
    // Throws not-found unless the caller is a party or an overseer.
    await this.deps.agreements.getAgreement(principal, query.objectId);
    return this.db
      .select()
      .from(regulatorReviews)
      .where(
        and(eq(regulatorReviews.objectType, query.objectType), eq(regulatorReviews.objectId, query.objectId)),
      )
      .orderBy(desc(regulatorReviews.createdAt), desc(regulatorReviews.id));
  }

  // ---- evidence ----------------------------------------------------------------------------------

  private scope(query: Omit<EvidenceQuery, 'limit'>): EvidenceScope {
    const scope = scopeOf(query);
    if (scope.since && scope.until && scope.since > scope.until) {
      throw validationFailed('until', 'must not lie before since');
    }
    return scope;
  }

  /** Ledger entries in a scope, newest first (regulators and operators). */
  async evidence(principal: Principal, query: EvidenceQuery): Promise<LedgerEntry[]> {
    requireKind(principal, 'regulator', 'operator');
    return this.deps.audit.search(this.scope(query), {
      actions: query.action ? [query.action] : undefined,
      afterSeq: query.afterSeq,
      limit: query.limit,
    });
  }

  /**
   * Who read a dataset, newest first (for its owner, regulators and operators): each governed query, download, Delta Sharing read and lab
   * query that touched it, with the organisation, the agreement it went through, rows and columns;
   * and each refused attempt that named it (a probe), with the refusal's code and count.
   */
  async accessHistory(
    principal: Principal,
    datasetId: string,
    page: { afterSeq?: number; limit: number },
  ): Promise<AccessEvent[]> {
    const dataset = (await this.deps.datasets.currentVersions([datasetId])).get(datasetId)?.dataset;
    // The dataset's owner reads its own history; regulators and operators read any dataset's.
    // Anyone else learns nothing, not even that the dataset exists.
    if (!hasKind(principal, 'regulator', 'operator')) {
      if (!dataset || dataset.orgId !== principal.orgId) {
        requireKind(principal, 'regulator', 'operator');
      }
    }
    if (!dataset) throw notFound(`dataset ${datasetId}`);
    const entries = await this.deps.audit.search(scopeOf({ datasetId }), {
      actions: [...accessActions, ...probeActions],
      afterSeq: page.afterSeq,
      limit: page.limit,
    });
    const parties = await this.parties(entries.flatMap((entry) => entry.orgId ?? []));
    return entries.map((entry) => ({
      ...accessDetail(entry, datasetId, dataset.slug),
      seq: entry.seq,
      at: entry.at,
      action: entry.action,
      org: { id: entry.orgId ?? '', name: entry.orgId ? (parties.get(entry.orgId)?.name ?? null) : null },
      actorType: entry.actorType,
      actorId: entry.actorId,
      entryHash: entry.hash,
    }));
  }

  /**
   * A signed evidence bundle for a scope, and a ledger entry saying who took which bundle (written
   * after the head the bundle was cut at, so it is never inside the bundle it describes).
   */
  async bundle(
    principal: Principal,
    query: Omit<EvidenceQuery, 'limit' | 'afterSeq' | 'action'>,
  ): Promise<{ manifest: EvidenceBundleManifest; lines: AsyncGenerator<string> }> {
    requireKind(principal, 'regulator', 'operator');
    const scope = this.scope(query);
    const bundle = await this.deps.audit.evidenceBundle(scope, {
      orgId: principal.orgId,
      userId: principal.userId,
    });
    const { manifest } = bundle;
    await this.deps.audit.record({
      actor: { type: principal.type, id: principal.userId },
      orgId: principal.orgId,
      action: 'evidence.bundle.export',
      object: { type: 'evidence-bundle', id: manifest.bundleId },
      data: { scope, count: manifest.count, head: manifest.head, fileSha256: manifest.fileSha256 },
    });
    return bundle;
  }
}

/** What one access entry says about one dataset; entries of different actions record it differently. */
function accessDetail(
  entry: LedgerEntry,
  datasetId: string,
  slug: string,
): Pick<AccessEvent, 'via' | 'agreementId' | 'rows' | 'columns' | 'refusal'> {
  const data = entry.data as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : null;
  const string = (value: unknown) => (typeof value === 'string' ? value : null);
  switch (entry.action) {
    case 'query.run': {
      const used = (Array.isArray(data.datasets) ? data.datasets : []) as Record<string, unknown>[];
      const grant = used.find((item) => item.id === datasetId);
      const columns = (data.columns ?? {}) as Record<string, unknown>;
      return {
        via: string(grant?.via),
        agreementId: string(grant?.agreementId),
        rows: number(data.rows),
        columns: strings(columns[slug]),
        refusal: null,
      };
    }
    case 'lab.query':
      return {
        via: 'lab',
        agreementId: null,
        rows: number(data.groupsReleased),
        columns: null,
        refusal: null,
      };
    case 'query.refuse':
    case 'lab.query.refuse':
    case 'query.refuse.summary':
    case 'lab.query.refuse.summary':
    case 'lab.job.refuse':
    case 'lab.job.refuse.summary':
      return {
        via: 'probe',
        agreementId: null,
        rows: null,
        columns: null,
        refusal: {
          code: string(data.code) ?? (strings(data.codes) ?? []).join(','),
          count: number(data.count) ?? 1,
        },
      };
    default:
      return {
        via: string(data.via),
        agreementId: string(data.agreementId),
        rows: number(data.rows),
        columns: strings(data.columns),
        refusal: null,
      };
  }
}
