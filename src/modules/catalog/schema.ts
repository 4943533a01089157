import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const apiVisibilities = ['public', 'private', 'orgs'] as const;
export type ApiVisibility = (typeof apiVisibilities)[number];

export const specFormats = ['swagger-2.0', 'openapi-3.0', 'openapi-3.1'] as const;
export type SpecFormat = (typeof specFormats)[number];

/** One operation of an API, as the catalog, plans and the gateway see it. */
export interface ApiOperation {
  method: string;
  /** The path template as written in the document, e.g. `/buildings/{id}/energy`. */
  path: string;
  operationId: string | null;
  summary: string | null;
  tags: string[];
}

/** What the catalog keeps of a document besides the original: enough to search, plan and route. */
export interface NormalisedSpec {
  title: string;
  description: string | null;
  version: string;
  operations: ApiOperation[];
  tags: string[];
  securitySchemes: Record<string, { type: string; [key: string]: unknown }>;
  servers: string[];
}

/**
 * An API in the hub. Owned by its provider organisation; `slug` is its address under `/gw/{slug}/`.
 * `visibility`: public (every signed-in organisation), private (the owner only) or orgs (the owner
 * and `allowedOrgIds`).
 */
export const apis = pgTable(
  'apis',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    category: text('category'),
    tags: text('tags').array().notNull(),
    visibility: text('visibility').$type<ApiVisibility>().notNull(),
    allowedOrgIds: text('allowed_org_ids').array().notNull(),
    upstreamUrl: text('upstream_url').notNull(),
    /** Check requests against the OpenAPI document at the gateway before proxying. */
    validateRequests: boolean('validate_requests').notNull().default(false),
    currentVersionId: text('current_version_id'),
    /** Title, description, tags and operation summaries, lower-cased, for catalogue search. */
    searchText: text('search_text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('apis_slug_key').on(t.slug), index('apis_org_idx').on(t.orgId)],
);

/** Each imported document is a version; a new version keeps the API's plans and subscriptions. */
export const apiVersions = pgTable(
  'api_versions',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id')
      .notNull()
      .references(() => apis.id),
    version: text('version').notNull(),
    specFormat: text('spec_format').$type<SpecFormat>().notNull(),
    sourceFormat: text('source_format').$type<'json' | 'yaml'>().notNull(),
    /** The document exactly as it was uploaded. */
    original: text('original').notNull(),
    normalised: jsonb('normalised').$type<NormalisedSpec>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_versions_api_idx').on(t.apiId, t.createdAt)],
);
