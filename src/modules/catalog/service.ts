import { and, asc, desc, eq, gt, isNull, like, lte, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { escapeLike } from '../../db/like.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import { parseHttpUrl, refusePrivateHost } from '../../infra/outbound.js';
import { type Page, pageOf } from '../../infra/paging.js';
import { slugify } from '../../infra/slugs.js';
import type { AuditLedger } from '../audit/service.js';
import { authorize, isOperator, type Principal, requireKind, requireRole } from '../identity/principal.js';
import { type ParsedOpenApi, parseOpenApi, pointAtGateway, type SourceFormat } from './openapi.js';
import {
  type ApiOperation,
  type ApiVisibility,
  apis,
  apiVersions,
  type NormalisedSpec,
  type SpecFormat,
} from './schema.js';
import { apisVisibleTo, canSeeApi } from './visibility.js';

export type Api = typeof apis.$inferSelect;
export type ApiVersion = typeof apiVersions.$inferSelect;

/** A version as lists show it: without the document itself. */
export interface VersionSummary {
  id: string;
  version: string;
  specFormat: SpecFormat;
  sourceFormat: SourceFormat;
  operationCount: number;
  createdAt: Date;
  /** Retirement (see `apiVersions`): all null while the version is not deprecated. */
  deprecatedAt: Date | null;
  sunsetAt: Date | null;
  deprecationLink: string | null;
  successorApiId: string | null;
}

/** What a provider says when it retires a version. */
export interface DeprecationInput {
  /** Default: now. May lie in the future (RFC 9745 §2.1: deprecated from then). */
  deprecatedAt?: Date;
  /** Calls get 410 from then; must lie in the future and not before `deprecatedAt`. */
  sunsetAt: Date;
  link?: string | null;
  /** Another API of the same provider that replaces this one. */
  successorApiId?: string | null;
}

/** A version being retired, as the notice to its callers needs it. */
export interface RetiringVersion {
  api: Api;
  version: VersionSummary & { deprecatedAt: Date; sunsetAt: Date };
  /** When the version was the one the gateway served: from its publication until the next one's. */
  servedFrom: Date;
  servedUntil: Date | null;
}

/**
 * Who hears of a retirement, written in the transaction of the change (src/api-retirement.ts): the
 * organisations that called the version, from the metering records.
 */
export interface RetirementNotice {
  /** `now`: the time of the change; the callers are those of the 30 days before it. */
  deprecated(tx: Executor, retiring: RetiringVersion, now: Date): Promise<void>;
  /** The callers are those of the 30 days before the sunset. */
  sunset(tx: Executor, retiring: RetiringVersion): Promise<void>;
}

export interface ApiEntry {
  api: Api;
  currentVersion: VersionSummary;
}

export interface ApiDetail extends ApiEntry {
  spec: NormalisedSpec;
}

/** Where a document comes from: given inline (text or parsed JSON), or fetched from a URL; exactly one. */
export interface DocumentSource {
  document?: string | object;
  url?: string;
}

export interface ApiSettings {
  slug?: string;
  upstreamUrl?: string;
  visibility?: ApiVisibility;
  allowedOrgIds?: string[];
  category?: string | null;
  tags?: string[];
  validateRequests?: boolean;
}

export interface ImportApiInput extends DocumentSource, ApiSettings {}

export interface ApiPatch {
  title?: string;
  description?: string | null;
  category?: string | null;
  tags?: string[];
  visibility?: ApiVisibility;
  allowedOrgIds?: string[];
  upstreamUrl?: string;
  validateRequests?: boolean;
}

export interface ApiQuery {
  q?: string;
  tag?: string;
  category?: string;
  orgId?: string;
  cursor?: string;
  limit: number;
}

/** What the gateway's snapshot needs of an API: its address, upstream and operations. */
export interface GatewayApi {
  id: string;
  slug: string;
  orgId: string;
  /** Base URL the gateway forwards to: `/gw/{slug}/rest` goes to `{upstreamUrl}/rest`; null when built in. */
  upstreamUrl: string | null;
  /** A built-in upstream the platform serves itself (`lab-model:{modelId}`); null or absent when proxied. */
  builtinUpstream?: string | null;
  operations: ApiOperation[];
  validateRequests: boolean;
  /** The dereferenced document, only when validateRequests is on. */
  document?: unknown;
  /** The current version's retirement (epoch ms), when its provider deprecated it. */
  deprecation?: {
    deprecatedAt: number;
    sunsetAt: number;
    link: string | null;
    /** The successor API's address under /gw/, when one is named. */
    successorSlug: string | null;
  };
}

export interface FetchLimits {
  timeoutMs?: number;
  maxBytes?: number;
}

const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const fetchTimeoutMs = 10_000;
const fetchMaxBytes = 20 * 1024 * 1024;

/**
 * The gateway appends the caller's path to this base, so it must be an absolute http(s) URL; a
 * trailing slash is dropped so `/gw/{slug}/rest` never becomes `…//rest`. Credentials in the URL
 * are refused: they would sit in every snapshot, log line and API view.
 */
export function parseUpstreamUrl(value: string): string {
  const field = 'upstreamUrl';
  const url = parseHttpUrl(value, field);
  if (url.search || url.hash) throw validationFailed(field, 'must not contain a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/**
 * Title, description, tags and each operation's id, path, summary and description, lower-cased:
 * what catalogue search looks in. Many documents have no summaries at all; their paths and
 * operation ids are still words a consumer searches for.
 */
function searchTextOf(
  api: { title: string; description: string | null; tags: string[] },
  spec: NormalisedSpec,
) {
  const parts = [api.title, api.description ?? '', api.tags.join(' '), spec.tags.join(' ')];
  for (const operation of spec.operations) {
    parts.push(
      [operation.operationId, operation.path, operation.summary, operation.description]
        .filter((part) => part)
        .join(' '),
    );
  }
  return parts.join('\n').toLowerCase();
}

const versionSummaryColumns = {
  id: apiVersions.id,
  version: apiVersions.version,
  specFormat: apiVersions.specFormat,
  sourceFormat: apiVersions.sourceFormat,
  // Counted in the database, so a list never ships thousands of operations to count them.
  operationCount: sql<number>`jsonb_array_length(${apiVersions.normalised}->'operations')::int`,
  createdAt: apiVersions.createdAt,
  deprecatedAt: apiVersions.deprecatedAt,
  sunsetAt: apiVersions.sunsetAt,
  deprecationLink: apiVersions.deprecationLink,
  successorApiId: apiVersions.successorApiId,
};

/** A link the Link header and the notice carry: an absolute http(s) URL. */
function parseDeprecationLink(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationFailed('link', `must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw validationFailed('link', `must be an http or https URL, got ${url.protocol.replace(/:$/, '')}`);
  }
  // It goes into a header between angle brackets (RFC 8288 §3): the URL serialiser escapes the rest.
  return url.toString();
}

const successorApis = alias(apis, 'successor_apis');

/** The API catalogue: OpenAPI import, versions, visibility and search. */
export class CatalogService {
  /** Dereferenced documents of current versions, by version id; versions never change once stored. */
  private documents = new Map<string, unknown>();

  constructor(
    readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      changes: ChangeFeed;
      /** Import by URL may reach loopback and private networks (tests, closed deployments). Default: no. */
      allowPrivateFetch?: boolean;
      /** Tells the callers of a version when it is deprecated and when it is sunset. */
      retirementNotice?: RetirementNotice;
    },
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  private async findApi(db: Executor, apiId: string, forUpdate = false): Promise<Api | undefined> {
    const query = db.select().from(apis).where(eq(apis.id, apiId));
    const [api] = forUpdate ? await query.for('update') : await query;
    return api;
  }

  /** The API row alone, if the caller may see it: for other modules that need no operations. */
  async findVisible(principal: Principal, apiId: string): Promise<Api> {
    const api = await this.findApi(this.db, apiId);
    if (!api || !canSeeApi(principal, api)) throw notFound(`api ${apiId}`);
    return api;
  }

  /** Changes are the owner's: anyone else, operators included, gets the same 404 as for a missing API. */
  private async ownedApi(principal: Principal, apiId: string): Promise<Api> {
    const api = authorize(principal, await this.findApi(this.db, apiId), `api ${apiId}`);
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    return api;
  }

  // ---- documents -------------------------------------------------------------------------------

  /**
   * Fetches a document for import by URL: http(s) only, bounded in time and size, and a non-2xx
   * answer is an error rather than a document. The fetch is the provider's request made by the
   * platform, so it is only made for callers allowed to import.
   */
  async fetchDocument(url: string, limits: FetchLimits = {}): Promise<string> {
    const timeoutMs = limits.timeoutMs ?? fetchTimeoutMs;
    const maxBytes = limits.maxBytes ?? fetchMaxBytes;
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw validationFailed('url', `must be an absolute http(s) URL, got "${url}"`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw validationFailed('url', `must be an http or https URL, got ${target.protocol.replace(/:$/, '')}`);
    }
    const tooLarge = () =>
      new AppError('payload-too-large', `the document at ${url} is larger than ${maxBytes} bytes`);
    if (!this.deps.allowPrivateFetch) await refusePrivateHost(target.hostname);
    try {
      const response = await fetch(target, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json, application/yaml, text/yaml;q=0.9, */*;q=0.5' },
        // A redirect could lead to an address the check above never saw.
        redirect: 'manual',
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => {});
        throw validationFailed(
          'url',
          `${url} redirects; give the final address (redirects are not followed)`,
        );
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw validationFailed('url', `${url} answered ${response.status} ${response.statusText}`.trim());
      }
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw tooLarge();
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > maxBytes) {
            await reader.cancel().catch(() => {});
            throw tooLarge();
          }
          chunks.push(value);
        }
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      if (error instanceof AppError) throw error;
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw validationFailed('url', `${url} did not answer within ${timeoutMs / 1000} s`);
      }
      const cause = (error as Error & { cause?: Error }).cause;
      throw validationFailed('url', `cannot fetch ${url}: ${cause?.message ?? (error as Error).message}`);
    }
  }

  private async readSource(source: DocumentSource): Promise<ParsedOpenApi> {
    const { document, url } = source;
    if (document !== undefined && url !== undefined) {
      throw validationFailed('url', 'give either document or url, not both');
    }
    if (url !== undefined) return parseOpenApi(await this.fetchDocument(url));
    if (document !== undefined) return parseOpenApi(document);
    throw validationFailed('document', 'give the OpenAPI document (text or object), or url to fetch it from');
  }

  // ---- writes ------------------------------------------------------------------------------------

  /**
   * A provider publishes an API from an OpenAPI document: the API, its first version and the ledger
   * entry commit together. Visibility defaults to private (deny by default): the provider opens it.
   */
  async importApi(principal: Principal, input: ImportApiInput): Promise<ApiDetail> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    // Parsing and fetching happen before the transaction: they are slow and need no connection.
    const parsed = await this.readSource(input);
    const upstreamUrl = this.upstreamOf(input.upstreamUrl, parsed.normalised);
    const result = await this.insertApi(this.db, principal, input, parsed, { upstreamUrl });
    await this.deps.changes.notify('gateway');
    return result;
  }

  /**
   * An API whose calls the platform answers itself (`builtinUpstream`, e.g. `lab-model:{modelId}`),
   * published by a flow of another module inside that flow's transaction (`tx`): the caller
   * notifies the gateway after its commit. The document is the platform's own, never fetched.
   */
  async importBuiltinApi(
    tx: Executor,
    principal: Principal,
    input: Omit<ImportApiInput, 'upstreamUrl' | 'url' | 'document'> & { document: object },
    builtinUpstream: string,
  ): Promise<ApiDetail> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const parsed = await parseOpenApi(input.document);
    return this.insertApi(tx, principal, input, parsed, { builtinUpstream });
  }

  private async insertApi(
    executor: Executor,
    principal: Principal,
    input: ApiSettings,
    parsed: ParsedOpenApi,
    upstream: { upstreamUrl: string } | { builtinUpstream: string },
  ): Promise<ApiDetail> {
    const spec = parsed.normalised;
    const id = newId('api');
    // A title with no Latin letters or digits (say, in Chinese) slugs to nothing; the id stands in.
    const slug =
      input.slug ??
      (/[a-z0-9]/i.test(spec.title.normalize('NFKD')) ? slugify(spec.title) : id.replace('_', '-'));
    if (!slugPattern.test(slug) || slug.length > 48) {
      throw validationFailed(
        'slug',
        'must be lower-case letters, digits and single hyphens, at most 48 characters',
      );
    }
    const upstreamUrl = 'upstreamUrl' in upstream ? upstream.upstreamUrl : null;
    const builtinUpstream = 'builtinUpstream' in upstream ? upstream.builtinUpstream : null;
    const now = this.deps.clock.now();
    const versionId = newId('apiVersion');
    const fields = {
      title: spec.title,
      description: spec.description,
      tags: [...new Set(input.tags ?? spec.tags)],
    };
    return executor.transaction(async (tx) => {
      let api: Api;
      try {
        [api] = (await tx
          .insert(apis)
          .values({
            id,
            orgId: principal.orgId,
            slug,
            ...fields,
            category: input.category ?? null,
            visibility: input.visibility ?? 'private',
            allowedOrgIds: [...new Set(input.allowedOrgIds ?? [])],
            upstreamUrl,
            builtinUpstream,
            validateRequests: input.validateRequests ?? false,
            currentVersionId: versionId,
            searchText: searchTextOf(fields, spec),
            createdAt: now,
            updatedAt: now,
          })
          .returning()) as [Api];
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('already-exists', `an API with slug "${slug}" exists; give another slug`);
        }
        throw error;
      }
      const version = await this.insertVersion(tx, api.id, versionId, parsed, now);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'api.create',
        object: { type: 'api', id: api.id },
        data: {
          slug,
          title: api.title,
          visibility: api.visibility,
          ...(upstreamUrl !== null ? { upstreamUrl } : { builtinUpstream }),
          versionId,
          version: spec.version,
          specFormat: parsed.specFormat,
          operations: spec.operations.length,
        },
      });
      return { api, currentVersion: version, spec };
    });
  }

  private upstreamOf(given: string | undefined, spec: NormalisedSpec): string {
    if (given !== undefined) return parseUpstreamUrl(given);
    const [first] = spec.servers;
    if (first === undefined)
      throw validationFailed('upstreamUrl', 'the document names no server; give upstreamUrl');
    try {
      return parseUpstreamUrl(first);
    } catch {
      throw validationFailed(
        'upstreamUrl',
        `the document's first server "${first}" is not an absolute http(s) URL; give upstreamUrl`,
      );
    }
  }

  private async insertVersion(
    tx: Executor,
    apiId: string,
    versionId: string,
    parsed: ParsedOpenApi,
    now: Date,
  ): Promise<VersionSummary> {
    await tx.insert(apiVersions).values({
      id: versionId,
      apiId,
      version: parsed.normalised.version,
      specFormat: parsed.specFormat,
      sourceFormat: parsed.sourceFormat,
      original: parsed.original,
      normalised: parsed.normalised,
      createdAt: now,
    });
    return {
      id: versionId,
      version: parsed.normalised.version,
      specFormat: parsed.specFormat,
      sourceFormat: parsed.sourceFormat,
      operationCount: parsed.normalised.operations.length,
      createdAt: now,
      deprecatedAt: null,
      sunsetAt: null,
      deprecationLink: null,
      successorApiId: null,
    };
  }

  // ---- retirement --------------------------------------------------------------------------------

  /**
   * The provider deprecates a version: from `deprecatedAt` the gateway's answers carry the
   * `Deprecation`, `Sunset` and `Link` headers, from `sunsetAt` it answers 410 without calling the
   * upstream (both while the version is the API's current one, the one the gateway serves). The
   * dates, the ledger entry and the notice to the organisations that called the version are one
   * transaction; the gateway's snapshot reloads on the change notice. Dates may be changed until
   * the sunset has passed (each change is told again); after it, the version stays retired.
   */
  async deprecateVersion(
    principal: Principal,
    apiId: string,
    versionId: string,
    input: DeprecationInput,
  ): Promise<VersionSummary> {
    const owned = await this.ownedApi(principal, apiId);
    const now = this.deps.clock.now();
    const deprecatedAt = input.deprecatedAt ?? now;
    if (!(input.sunsetAt.getTime() > now.getTime())) {
      throw validationFailed('sunsetAt', `must lie in the future, got ${input.sunsetAt.toISOString()}`);
    }
    if (deprecatedAt.getTime() > input.sunsetAt.getTime()) {
      throw validationFailed('deprecatedAt', 'must not be after sunsetAt');
    }
    const link = input.link ? parseDeprecationLink(input.link) : null;
    const successorApiId = input.successorApiId ?? null;
    if (successorApiId !== null) {
      const successor = await this.findApi(this.db, successorApiId);
      // Only the provider's own APIs: a header must not point callers at someone else's.
      if (!successor || successor.orgId !== owned.orgId) {
        throw validationFailed('successorApiId', `${successorApiId} is not an API of your organisation`);
      }
      if (successor.id === apiId) throw validationFailed('successorApiId', 'must be another API');
    }
    const result = await this.db.transaction(async (tx) => {
      const api = await this.findApi(tx, apiId, true);
      if (!api) throw notFound(`api ${apiId}`);
      const [current] = await tx
        .select({ sunsetAt: apiVersions.sunsetAt })
        .from(apiVersions)
        .where(and(eq(apiVersions.id, versionId), eq(apiVersions.apiId, apiId)))
        .for('update');
      if (!current) throw notFound(`version ${versionId} of api ${apiId}`);
      if (current.sunsetAt && current.sunsetAt.getTime() <= now.getTime()) {
        throw conflict(
          `version ${versionId} reached its sunset at ${current.sunsetAt.toISOString()}; it stays retired`,
        );
      }
      await tx
        .update(apiVersions)
        .set({ deprecatedAt, sunsetAt: input.sunsetAt, deprecationLink: link, successorApiId })
        .where(eq(apiVersions.id, versionId));
      const retiring = await this.retiringVersion(tx, api, versionId);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: api.orgId,
        action: 'api.version.deprecate',
        object: { type: 'api', id: apiId },
        data: {
          versionId,
          version: retiring.version.version,
          deprecatedAt: deprecatedAt.toISOString(),
          sunsetAt: input.sunsetAt.toISOString(),
          link,
          successorApiId,
          ...(current.sunsetAt ? { previousSunsetAt: current.sunsetAt.toISOString() } : {}),
        },
      });
      await this.deps.retirementNotice?.deprecated(tx, retiring, now);
      return retiring.version;
    });
    await this.deps.changes.notify('gateway');
    return result;
  }

  /** The APIs served by built-in upstreams of one kind (`lab-model`), with their current sunset. */
  async builtinApis(
    kind: string,
  ): Promise<{ id: string; slug: string; builtinUpstream: string; sunsetAt: Date | null }[]> {
    const rows = await this.db
      .select({
        id: apis.id,
        slug: apis.slug,
        builtinUpstream: apis.builtinUpstream,
        sunsetAt: apiVersions.sunsetAt,
      })
      .from(apis)
      .innerJoin(apiVersions, eq(apiVersions.id, apis.currentVersionId))
      .where(like(apis.builtinUpstream, `${kind}:%`));
    return rows.map((row) => ({ ...row, builtinUpstream: row.builtinUpstream ?? '' }));
  }

  /**
   * Retires a built-in API's current version at once, inside the caller's transaction (`tx`): a
   * flow of another module that withdraws what it published (an unpublished lab model). The version
   * is deprecated and sunset now, so the gateway answers its calls with 410 like any version past
   * its sunset; the sunset is recorded here (the sweep finds nothing left to do) and its callers
   * hear of it through the retirement notice. The caller notifies the gateway after its commit.
   */
  async retireBuiltinApi(
    tx: Tx,
    principal: Principal,
    builtinUpstream: string,
    reason: string,
  ): Promise<RetiringVersion> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const [api] = await tx
      .select()
      .from(apis)
      .where(and(eq(apis.builtinUpstream, builtinUpstream), eq(apis.orgId, principal.orgId)))
      .for('update');
    if (!api?.currentVersionId) throw notFound(`the api of ${builtinUpstream}`);
    const now = this.deps.clock.now();
    const [current] = await tx
      .select({ sunsetAt: apiVersions.sunsetAt, deprecatedAt: apiVersions.deprecatedAt })
      .from(apiVersions)
      .where(eq(apiVersions.id, api.currentVersionId));
    if (current?.sunsetAt && current.sunsetAt.getTime() <= now.getTime()) {
      throw conflict(`${api.slug} was retired at ${current.sunsetAt.toISOString()}`);
    }
    await tx
      .update(apiVersions)
      .set({ deprecatedAt: current?.deprecatedAt ?? now, sunsetAt: now, sunsetRecordedAt: now })
      .where(eq(apiVersions.id, api.currentVersionId));
    const retiring = await this.retiringVersion(tx, api, api.currentVersionId);
    await this.deps.audit.append(tx, {
      actor: { type: principal.type, id: principal.userId },
      orgId: api.orgId,
      action: 'api.version.sunset',
      object: { type: 'api', id: api.id },
      decision: 'deny',
      reason,
      data: {
        versionId: api.currentVersionId,
        version: retiring.version.version,
        sunsetAt: now.toISOString(),
        successorApiId: retiring.version.successorApiId,
      },
    });
    await this.deps.retirementNotice?.sunset(tx, retiring);
    return retiring;
  }

  /**
   * Records each sunset that has passed: a ledger entry and the notice to the version's callers,
   * once per version (the state check makes a second run, on this node or another, find nothing).
   * The gateway needs no word of it: it compares the sunset with its clock on every call.
   */
  async recordSunsets(): Promise<number> {
    const now = this.deps.clock.now();
    const due = and(lte(apiVersions.sunsetAt, now), isNull(apiVersions.sunsetRecordedAt));
    const [any] = await this.db.select({ id: apiVersions.id }).from(apiVersions).where(due).limit(1);
    if (!any) return 0;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(apiVersions)
        .set({ sunsetRecordedAt: now })
        .where(due)
        .returning({ id: apiVersions.id, apiId: apiVersions.apiId });
      for (const row of rows) {
        const api = await this.findApi(tx, row.apiId);
        if (!api) continue;
        const retiring = await this.retiringVersion(tx, api, row.id);
        await this.deps.audit.append(tx, {
          actor: { type: 'system' },
          orgId: api.orgId,
          action: 'api.version.sunset',
          object: { type: 'api', id: api.id },
          decision: 'deny',
          reason: 'the version reached its sunset date',
          data: {
            versionId: row.id,
            version: retiring.version.version,
            sunsetAt: retiring.version.sunsetAt.toISOString(),
            successorApiId: retiring.version.successorApiId,
          },
        });
        await this.deps.retirementNotice?.sunset(tx, retiring);
      }
      return rows.length;
    });
  }

  /** Versions whose sunset lies after `now` and by `until`, for the reminders before it. */
  async sunsetsDue(now: Date, until: Date): Promise<RetiringVersion[]> {
    const rows = await this.db
      .select({ id: apiVersions.id, api: apis })
      .from(apiVersions)
      .innerJoin(apis, eq(apis.id, apiVersions.apiId))
      .where(
        and(
          gt(apiVersions.sunsetAt, now),
          lte(apiVersions.sunsetAt, until),
          isNull(apiVersions.sunsetRecordedAt),
        ),
      );
    return Promise.all(rows.map((row) => this.retiringVersion(this.db, row.api, row.id)));
  }

  private async retiringVersion(tx: Executor, api: Api, versionId: string): Promise<RetiringVersion> {
    const [version] = await tx
      .select(versionSummaryColumns)
      .from(apiVersions)
      .where(eq(apiVersions.id, versionId));
    if (!version?.deprecatedAt || !version.sunsetAt)
      throw new Error(`version ${versionId} is not deprecated`);
    const [next] = await tx
      .select({ createdAt: apiVersions.createdAt })
      .from(apiVersions)
      .where(and(eq(apiVersions.apiId, api.id), gt(apiVersions.createdAt, version.createdAt)))
      .orderBy(asc(apiVersions.createdAt))
      .limit(1);
    return {
      api,
      version: { ...version, deprecatedAt: version.deprecatedAt, sunsetAt: version.sunsetAt },
      servedFrom: version.createdAt,
      servedUntil: next?.createdAt ?? null,
    };
  }

  /**
   * A new document for an existing API becomes its current version. The id, slug, plans and
   * subscriptions stay; so do the title and description, which are the API's own once published.
   */
  async addVersion(principal: Principal, apiId: string, source: DocumentSource): Promise<ApiDetail> {
    await this.ownedApi(principal, apiId);
    const parsed = await this.readSource(source);
    const spec = parsed.normalised;
    const now = this.deps.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const current = await this.findApi(tx, apiId, true);
      if (!current) throw notFound(`api ${apiId}`);
      const versionId = newId('apiVersion');
      const version = await this.insertVersion(tx, apiId, versionId, parsed, now);
      const [api] = (await tx
        .update(apis)
        .set({ currentVersionId: versionId, searchText: searchTextOf(current, spec), updatedAt: now })
        .where(eq(apis.id, apiId))
        .returning()) as [Api];
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: api.orgId,
        action: 'api.version.create',
        object: { type: 'api', id: apiId },
        data: {
          versionId,
          previousVersionId: current.currentVersionId,
          version: spec.version,
          specFormat: parsed.specFormat,
          operations: spec.operations.length,
        },
      });
      return { api, currentVersion: version, spec };
    });
    await this.deps.changes.notify('gateway');
    return result;
  }

  async update(principal: Principal, apiId: string, patch: ApiPatch): Promise<ApiDetail> {
    await this.ownedApi(principal, apiId);
    const changes: Partial<typeof apis.$inferInsert> = { ...patch };
    if (patch.upstreamUrl !== undefined) changes.upstreamUrl = parseUpstreamUrl(patch.upstreamUrl);
    if (patch.tags !== undefined) changes.tags = [...new Set(patch.tags)];
    if (patch.allowedOrgIds !== undefined) changes.allowedOrgIds = [...new Set(patch.allowedOrgIds)];
    const now = this.deps.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const current = await this.findApi(tx, apiId, true);
      if (!current) throw notFound(`api ${apiId}`);
      if (changes.upstreamUrl !== undefined && current.builtinUpstream !== null) {
        throw validationFailed(
          'upstreamUrl',
          'this API is served by the platform itself; it has no upstream URL',
        );
      }
      const detail = await this.detailOf(tx, { ...current, ...changes } as Api);
      const [api] = (await tx
        .update(apis)
        .set({
          ...changes,
          searchText: searchTextOf({ ...current, ...changes }, detail.spec),
          updatedAt: now,
        })
        .where(eq(apis.id, apiId))
        .returning()) as [Api];
      const { description: _long, ...recorded } = changes;
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: api.orgId,
        action: 'api.update',
        object: { type: 'api', id: apiId },
        data: { fields: Object.keys(patch), ...recorded },
      });
      return { ...detail, api };
    });
    await this.deps.changes.notify('gateway');
    return result;
  }

  // ---- reads -------------------------------------------------------------------------------------

  private async detailOf(db: Executor, api: Api): Promise<ApiDetail> {
    const [version] = await db
      .select({ ...versionSummaryColumns, normalised: apiVersions.normalised })
      .from(apiVersions)
      .where(eq(apiVersions.id, api.currentVersionId ?? ''));
    if (!version) throw new Error(`api ${api.id} has no current version`);
    const { normalised, ...currentVersion } = version;
    return { api, currentVersion, spec: normalised };
  }

  async get(principal: Principal, apiId: string): Promise<ApiDetail> {
    return this.detailOf(this.db, await this.findVisible(principal, apiId));
  }

  async list(principal: Principal, query: ApiQuery): Promise<Page<ApiEntry>> {
    const conditions: (SQL | undefined)[] = [apisVisibleTo(principal)];
    if (query.q) conditions.push(sql`${apis.searchText} ilike ${`%${escapeLike(query.q.toLowerCase())}%`}`);
    if (query.tag) conditions.push(sql`${query.tag} = any(${apis.tags})`);
    if (query.category) conditions.push(eq(apis.category, query.category));
    if (query.orgId) conditions.push(eq(apis.orgId, query.orgId));
    if (query.cursor) conditions.push(gt(apis.id, query.cursor));
    const rows = await this.db
      .select({ api: apis, currentVersion: versionSummaryColumns })
      .from(apis)
      .innerJoin(apiVersions, eq(apiVersions.id, apis.currentVersionId))
      .where(and(...conditions))
      .orderBy(asc(apis.id))
      .limit(query.limit + 1);
    return pageOf(rows, query.limit, (row) => row.api.id);
  }

  async listVersions(principal: Principal, apiId: string): Promise<VersionSummary[]> {
    await this.findVisible(principal, apiId);
    return this.db
      .select(versionSummaryColumns)
      .from(apiVersions)
      .where(eq(apiVersions.apiId, apiId))
      .orderBy(desc(apiVersions.createdAt), desc(apiVersions.id));
  }

  /** The document as it was uploaded, of the current version or of the one named. */
  async getDocument(
    principal: Principal,
    apiId: string,
    versionId?: string,
  ): Promise<{ versionId: string; original: string; sourceFormat: SourceFormat; specFormat: SpecFormat }> {
    const api = await this.findVisible(principal, apiId);
    const wanted = versionId ?? api.currentVersionId ?? '';
    const [version] = await this.db
      .select({
        versionId: apiVersions.id,
        original: apiVersions.original,
        sourceFormat: apiVersions.sourceFormat,
        specFormat: apiVersions.specFormat,
      })
      .from(apiVersions)
      .where(and(eq(apiVersions.id, wanted), eq(apiVersions.apiId, apiId)));
    if (!version) throw notFound(`version ${wanted} of api ${apiId}`);
    if (api.orgId === principal.orgId || isOperator(principal)) return version;
    // Everyone else gets the document pointed at the gateway: its servers are the upstream, which
    // would let a caller skip keys, limits, quotas and metering.
    return { ...version, original: pointAtGateway(version.original, version, api.slug) };
  }

  /**
   * Every API with its current operations, for the gateway's snapshot. The dereferenced document
   * is built only where requests are validated, and kept per version (versions are immutable) so
   * a snapshot rebuild does not re-validate unchanged documents. An API whose stored document no
   * longer parses is left out rather than served unvalidated: deny by default.
   */
  async snapshotApis(): Promise<GatewayApi[]> {
    const rows = await this.db
      .select({
        id: apis.id,
        slug: apis.slug,
        orgId: apis.orgId,
        upstreamUrl: apis.upstreamUrl,
        builtinUpstream: apis.builtinUpstream,
        validateRequests: apis.validateRequests,
        versionId: apiVersions.id,
        operations: sql<ApiOperation[]>`${apiVersions.normalised}->'operations'`,
        original: sql<string | null>`case when ${apis.validateRequests} then ${apiVersions.original} end`,
        deprecatedAt: apiVersions.deprecatedAt,
        sunsetAt: apiVersions.sunsetAt,
        deprecationLink: apiVersions.deprecationLink,
        successorSlug: successorApis.slug,
      })
      .from(apis)
      .innerJoin(apiVersions, eq(apiVersions.id, apis.currentVersionId))
      .leftJoin(successorApis, eq(successorApis.id, apiVersions.successorApiId))
      .orderBy(asc(apis.id));
    const documents = new Map<string, unknown>();
    const out: GatewayApi[] = [];
    for (const {
      versionId,
      original,
      deprecatedAt,
      sunsetAt,
      deprecationLink,
      successorSlug,
      ...rest
    } of rows) {
      const row: GatewayApi =
        deprecatedAt && sunsetAt
          ? {
              ...rest,
              deprecation: {
                deprecatedAt: deprecatedAt.getTime(),
                sunsetAt: sunsetAt.getTime(),
                link: deprecationLink,
                successorSlug,
              },
            }
          : rest;
      if (!row.validateRequests || original === null) {
        out.push(row);
        continue;
      }
      let document = this.documents.get(versionId);
      if (document === undefined) {
        try {
          document = (await parseOpenApi(original)).dereferenced;
        } catch {
          continue;
        }
      }
      documents.set(versionId, document);
      out.push({ ...row, document });
    }
    this.documents = documents;
    return out;
  }
}
