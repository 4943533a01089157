import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, PageQuery, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { isOperator, type Principal } from '../identity/principal.js';
import { gatewayPath } from './openapi.js';
import { apiVisibilities, specFormats } from './schema.js';
import type { ApiDetail, ApiEntry, CatalogService, VersionSummary } from './service.js';

const ApiId = Type.String({ pattern: idPatternFor('api'), description: 'an API id (api_…)' });
const VersionId = Type.String({ pattern: idPatternFor('apiVersion'), description: 'a version id (apv_…)' });
const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const Slug = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 48,
  description: 'the address under /gw/{slug}/; default: from the title',
});
const Tag = Type.String({ minLength: 1, maxLength: 100 });
const Visibility = StringEnum(apiVisibilities, {
  description: 'public: every organisation; private: yours only; orgs: yours and allowedOrgIds',
});

/** The route-level cap: a 20 MiB document, JSON-escaped into a string, plus the other fields. */
const importBodyLimit = 25 * 1024 * 1024;

const DocumentInput = Type.Union(
  [
    Type.String({ minLength: 1, description: 'the OpenAPI document as JSON or YAML text' }),
    Type.Record(Type.String(), Type.Unknown(), { description: 'the OpenAPI document as a JSON object' }),
  ],
  { description: 'Swagger 2.0, OpenAPI 3.0 or 3.1; give this or url' },
);
const DocumentUrl = Type.String({
  format: 'uri',
  maxLength: 2000,
  description: 'an http(s) URL to fetch the document from (10 s, 20 MiB at most); give this or document',
});

const Settings = {
  upstreamUrl: Type.Optional(
    Type.String({
      format: 'uri',
      maxLength: 2000,
      description: "where the gateway forwards calls; default: the document's first server",
    }),
  ),
  visibility: Type.Optional(Visibility),
  allowedOrgIds: Type.Optional(Type.Array(OrgId, { maxItems: 1000, uniqueItems: true })),
  category: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  validateRequests: Type.Optional(
    Type.Boolean({ description: 'check calls against the document at the gateway before forwarding' }),
  ),
};

const DeprecationView = Type.Union(
  [
    Type.Object({
      deprecatedAt: Timestamp,
      sunsetAt: Type.Unsafe<Date | string>({
        type: 'string',
        format: 'date-time',
        description: 'from then the gateway answers 410 api-version-sunset',
      }),
      link: NullableString,
      successorApiId: NullableString,
    }),
    Type.Null(),
  ],
  { description: 'the retirement its provider set; null: not deprecated' },
);

const VersionView = Type.Object({
  id: Type.String(),
  version: Type.String(),
  specFormat: StringEnum(specFormats),
  sourceFormat: StringEnum(['json', 'yaml'] as const),
  operationCount: Type.Integer(),
  createdAt: Timestamp,
  deprecation: DeprecationView,
});

function deprecationView(version: VersionSummary) {
  if (!version.deprecatedAt || !version.sunsetAt) return null;
  return {
    deprecatedAt: version.deprecatedAt,
    sunsetAt: version.sunsetAt,
    link: version.deprecationLink,
    successorApiId: version.successorApiId,
  };
}

function versionView(version: VersionSummary) {
  return {
    id: version.id,
    version: version.version,
    specFormat: version.specFormat,
    sourceFormat: version.sourceFormat,
    operationCount: version.operationCount,
    createdAt: version.createdAt,
    deprecation: deprecationView(version),
  };
}

const ApiView = Type.Object({
  id: Type.String(),
  orgId: Type.String({ description: 'the provider organisation' }),
  slug: Type.String(),
  title: Type.String(),
  description: NullableString,
  category: NullableString,
  tags: Type.Array(Type.String()),
  visibility: Visibility,
  allowedOrgIds: Type.Optional(Type.Array(Type.String(), { description: 'shown to the owner only' })),
  upstreamUrl: Type.Optional(Type.String({ description: 'shown to the owner only' })),
  builtinUpstream: Type.Optional(
    Type.String({
      description:
        'shown to the owner only: the platform answers the calls itself (lab-model:{modelId}, a released Data Lab model)',
    }),
  ),
  validateRequests: Type.Boolean(),
  currentVersion: Type.Object({
    id: Type.String(),
    version: Type.String(),
    specFormat: StringEnum(specFormats),
    deprecation: DeprecationView,
  }),
  operationCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const OperationView = Type.Object({
  method: Type.String(),
  path: Type.String(),
  operationId: NullableString,
  summary: NullableString,
  tags: Type.Array(Type.String()),
});

const ApiDetailView = Type.Intersect([
  ApiView,
  Type.Object({
    operations: Type.Array(OperationView),
    securitySchemes: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
    servers: Type.Array(Type.String()),
    warnings: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'a JSON pointer into the document (RFC 6901)' }),
          message: Type.String(),
        }),
        {
          description:
            'what the validator let through but should be fixed (duplicate or empty enums); shown to the owner only',
        },
      ),
    ),
  }),
]);

const apiParams = Type.Object({ apiId: ApiId });
const tags = ['apis'];

/**
 * Translates an entry into what callers see. The upstream URL and the list of admitted
 * organisations are the owner's business: a consumer reaches the API through the gateway only,
 * and need not learn who else was let in.
 */
function isInsiderOf(principal: Principal, api: { orgId: string }): boolean {
  return api.orgId === principal.orgId || isOperator(principal);
}

function apiView(principal: Principal, { api, currentVersion }: ApiEntry) {
  const isInsider = isInsiderOf(principal, api);
  return {
    id: api.id,
    orgId: api.orgId,
    slug: api.slug,
    title: api.title,
    description: api.description,
    category: api.category,
    tags: api.tags,
    visibility: api.visibility,
    ...(isInsider
      ? {
          allowedOrgIds: api.allowedOrgIds,
          ...(api.upstreamUrl !== null ? { upstreamUrl: api.upstreamUrl } : {}),
          ...(api.builtinUpstream !== null ? { builtinUpstream: api.builtinUpstream } : {}),
        }
      : {}),
    validateRequests: api.validateRequests,
    currentVersion: {
      id: currentVersion.id,
      version: currentVersion.version,
      specFormat: currentVersion.specFormat,
      deprecation: deprecationView(currentVersion),
    },
    operationCount: currentVersion.operationCount,
    createdAt: api.createdAt,
    updatedAt: api.updatedAt,
  };
}

function apiDetailView(principal: Principal, detail: ApiDetail) {
  return {
    ...apiView(principal, detail),
    operations: detail.spec.operations,
    securitySchemes: detail.spec.securitySchemes,
    // Consumers reach the API through the gateway only: the document's own servers are the upstream.
    servers: isInsiderOf(principal, detail.api) ? detail.spec.servers : [gatewayPath(detail.api.slug)],
    ...(isInsiderOf(principal, detail.api) ? { warnings: detail.spec.warnings ?? [] } : {}),
  };
}

export function catalogRoutes(app: FastifyInstance, catalog: CatalogService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/v1/apis',
    {
      bodyLimit: importBodyLimit,
      schema: {
        tags,
        summary: 'Publish an API from an OpenAPI document, given inline or by URL (providers)',
        body: Type.Object(
          {
            document: Type.Optional(DocumentInput),
            url: Type.Optional(DocumentUrl),
            slug: Type.Optional(Slug),
            ...Settings,
          },
          { additionalProperties: false },
        ),
        response: { 201: ApiDetailView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const detail = await catalog.importApi(principal, request.body);
      return reply.code(201).send(apiDetailView(principal, detail));
    },
  );

  r.get(
    '/v1/apis',
    {
      schema: {
        tags,
        summary: 'The catalogue: APIs you may see, searchable by title, description, tags and operations',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            tag: Type.Optional(Tag),
            category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            orgId: Type.Optional(OrgId),
          }),
        ]),
        response: { 200: PageOf(ApiView) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await catalog.list(principal, request.query);
      return { items: page.items.map((entry) => apiView(principal, entry)), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/apis/:apiId',
    {
      schema: {
        tags,
        summary: 'One API with its operations, security schemes and servers',
        params: apiParams,
        response: { 200: ApiDetailView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return apiDetailView(principal, await catalog.get(principal, request.params.apiId));
    },
  );

  r.patch(
    '/v1/apis/:apiId',
    {
      schema: {
        tags,
        summary: "Edit an API's listing, visibility or upstream (its provider)",
        params: apiParams,
        body: Type.Object(
          {
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
            ...Settings,
            upstreamUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ApiDetailView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return apiDetailView(principal, await catalog.update(principal, request.params.apiId, request.body));
    },
  );

  r.post(
    '/v1/apis/:apiId/versions',
    {
      bodyLimit: importBodyLimit,
      schema: {
        tags,
        summary: 'Publish a new version of the document; plans and subscriptions stay (its provider)',
        params: apiParams,
        body: Type.Object(
          { document: Type.Optional(DocumentInput), url: Type.Optional(DocumentUrl) },
          { additionalProperties: false },
        ),
        response: { 201: ApiDetailView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const detail = await catalog.addVersion(principal, request.params.apiId, request.body);
      return reply.code(201).send(apiDetailView(principal, detail));
    },
  );

  r.get(
    '/v1/apis/:apiId/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the document, newest first',
        params: apiParams,
        response: { 200: PageOf(VersionView) },
      },
    },
    async (request) => ({
      items: (await catalog.listVersions(principalOf(request), request.params.apiId)).map(versionView),
      nextCursor: null,
    }),
  );

  r.put(
    '/v1/apis/:apiId/versions/:versionId/deprecation',
    {
      schema: {
        tags,
        summary:
          'Deprecate a version: calls carry Deprecation, Sunset and Link headers, and 410 after the sunset; ' +
          'the organisations that called it in the last 30 days are told (its provider)',
        params: Type.Object({ apiId: ApiId, versionId: VersionId }),
        body: Type.Object(
          {
            deprecatedAt: Type.Optional(
              Type.String({ format: 'date-time', description: 'deprecated from then; default now' }),
            ),
            sunsetAt: Type.String({
              format: 'date-time',
              description: 'from then the gateway answers 410; in the future, not before deprecatedAt',
            }),
            link: Type.Optional(
              Type.Union([
                Type.String({
                  format: 'uri',
                  maxLength: 2000,
                  description: 'your page about the retirement (Link rel="deprecation")',
                }),
                Type.Null(),
              ]),
            ),
            successorApiId: Type.Optional(
              Type.Union([
                Type.String({
                  pattern: idPatternFor('api'),
                  description: 'another API of yours that replaces it (Link rel="successor-version")',
                }),
                Type.Null(),
              ]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: VersionView },
      },
    },
    async (request) => {
      const { deprecatedAt, sunsetAt, link, successorApiId } = request.body;
      const version = await catalog.deprecateVersion(
        principalOf(request),
        request.params.apiId,
        request.params.versionId,
        {
          ...(deprecatedAt !== undefined ? { deprecatedAt: new Date(deprecatedAt) } : {}),
          sunsetAt: new Date(sunsetAt),
          link: link ?? null,
          successorApiId: successorApiId ?? null,
        },
      );
      return versionView(version);
    },
  );

  r.get(
    '/v1/apis/:apiId/openapi',
    {
      schema: {
        tags,
        summary: 'The document as it was uploaded (JSON or YAML), of the current or a named version',
        params: apiParams,
        querystring: Type.Object({ versionId: Type.Optional(VersionId) }),
        produces: ['application/json', 'application/yaml'],
      },
    },
    async (request, reply) => {
      const document = await catalog.getDocument(
        principalOf(request),
        request.params.apiId,
        request.query.versionId,
      );
      return reply
        .type(document.sourceFormat === 'json' ? 'application/json' : 'application/yaml')
        .header('x-api-version-id', document.versionId)
        .send(document.original);
    },
  );
}
