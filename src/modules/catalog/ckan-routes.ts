import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type, { type Static, type TObject } from 'typebox';
import { AppError } from '../../errors.js';
import { baseUrlOf } from '../../http/urls.js';
import type { Principal } from '../identity/principal.js';
import type { IdentityService } from '../identity/service.js';
import {
  CkanError,
  type CkanOrganization,
  ckanNotFound,
  ckanTime,
  ckanValidation,
  ckanVersion,
  findPackage,
  findResource,
  type PackageEntry,
  packagesOf,
  recentActivities,
  searchPackages,
  searchResources,
} from './ckan.js';
import type { CatalogueListing } from './listing.js';
import { knownLicenceList } from './vocabularies.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The CKAN action a route serves, for the `help` link of its answers. */
    ckanAction?: string;
  }
}

/** The CKAN actions served (read only), each at GET and POST, as CKAN serves them. */
export const ckanActions = [
  'status_show',
  'package_list',
  'package_show',
  'package_search',
  'organization_list',
  'organization_show',
  'group_list',
  'tag_list',
  'resource_show',
  'help_show',
  'group_show',
  'tag_show',
  'license_list',
  'package_autocomplete',
  'current_package_list_with_resources',
  'recently_changed_packages_activity_list',
  'resource_search',
  'site_read',
  'vocabulary_list',
  'user_show',
] as const;
type CkanAction = (typeof ckanActions)[number];

const ckanPrefix = '/api/3/action';
/** In OpenAPI terms: no credentials, or a token. */
const anonymousOrToken: Record<string, string[]>[] = [{}, { ckanToken: [] }];

// Python clients send True/False, others true/false or 1/0: a flag is any of these.
const Flag = Type.Union([Type.Boolean(), Type.String({ maxLength: 10 })]);
const isSet = (value: boolean | string | undefined, fallback = false) =>
  value === undefined ? fallback : typeof value === 'boolean' ? value : /^(true|1|yes|on)$/i.test(value);
const FieldList = Type.Union(
  [Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }))],
  {
    description: 'a JSON list (["tags", "organization"]) or, in a POST body, an array',
  },
);
const Limit = Type.Integer({ minimum: 0, maximum: 1000 });
const Offset = Type.Integer({ minimum: 0 });

/** `["a","b"]`, `a`, or an array: the forms CKAN clients send lists in. */
function listOf(value: string | string[] | undefined, field: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const text = value.trim();
  if (!text.startsWith('[')) return text ? [text] : [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((entry) => typeof entry === 'string')) return parsed;
  } catch {}
  throw ckanValidation(field, 'must be a JSON list of strings');
}

interface ActionContext {
  baseUrl: string;
  principal: Principal | null;
  identity: IdentityService;
  packages(): Promise<PackageEntry[]>;
}

interface ActionDefinition<S extends TObject> {
  summary: string;
  params: S;
  run(input: Static<S>, context: ActionContext): Promise<unknown>;
}

const define = <S extends TObject>(definition: ActionDefinition<S>) => definition;

/** Publishers of the packages shown (CKAN organizations), with how many packages each has. */
async function organizationsOf(context: ActionContext): Promise<CkanOrganization[]> {
  const counts = new Map<string, { org: CkanOrganization; count: number }>();
  for (const { pkg } of await context.packages()) {
    if (!pkg.organization || pkg.state !== 'active') continue;
    const entry = counts.get(pkg.organization.id) ?? { org: pkg.organization, count: 0 };
    entry.count += 1;
    counts.set(pkg.organization.id, entry);
  }
  return [...counts.values()].map(({ org, count }) => ({ ...org, package_count: count }));
}

function sortAndPage<T extends { name: string; title?: string; package_count?: number }>(
  items: T[],
  sort: string | undefined,
  limit: number | undefined,
  offset: number | undefined,
): T[] {
  const [field = 'name', direction = 'asc'] = (sort ?? 'name asc').trim().split(/\s+/);
  if (!['name', 'title', 'package_count'].includes(field) || !['asc', 'desc'].includes(direction)) {
    throw ckanValidation('sort', 'use name, title or package_count, with asc or desc');
  }
  const sign = direction === 'desc' ? -1 : 1;
  const key = (item: T) =>
    field === 'package_count' ? (item.package_count ?? 0) : String(item[field as 'name'] ?? '').toLowerCase();
  const sorted = [...items].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left === right ? (a.name < b.name ? -1 : 1) : left < right ? -sign : sign;
  });
  const from = offset ?? 0;
  return limit === undefined ? sorted.slice(from) : sorted.slice(from, from + limit);
}

/** Themes of the packages shown (CKAN groups), with how many packages each has. */
async function groupsOf(context: ActionContext) {
  const groups = new Map<string, { title: string; count: number }>();
  for (const { pkg } of await context.packages()) {
    if (pkg.state !== 'active') continue;
    for (const group of pkg.groups) {
      const seen = groups.get(group.name);
      groups.set(group.name, { title: seen?.title ?? group.title, count: (seen?.count ?? 0) + 1 });
    }
  }
  return [...groups].map(([name, { title, count }]) => ({
    id: name,
    name,
    title,
    display_name: title,
    description: '',
    type: 'group' as const,
    is_organization: false as const,
    state: 'active' as const,
    approval_status: 'approved' as const,
    image_url: '',
    image_display_url: '',
    created: ckanTime(new Date(0)),
    num_followers: 0,
    package_count: count,
  }));
}

/** Active packages the caller may see: private ones too when the caller is entitled (as CKAN shows them). */
async function activePackages(context: ActionContext, includePrivate = true) {
  return (await context.packages())
    .filter(({ pkg }) => pkg.state === 'active' && (includePrivate || !pkg.private))
    .map(({ pkg }) => pkg);
}

const definitions = {
  status_show: define({
    summary: 'Site information: the CKAN API version this server speaks',
    params: Type.Object({}),
    run: async (_input, context) => ({
      site_title: 'STP Platform',
      site_description:
        "The science park's data sharing platform: open data, governed data products and APIs",
      site_url: context.baseUrl,
      ckan_version: ckanVersion,
      error_emails_to: null,
      locale_default: 'en',
      extensions: ['stp-platform'],
    }),
  }),
  package_list: define({
    summary: 'Names of the public packages (datasets and APIs), as CKAN lists them',
    params: Type.Object({ limit: Type.Optional(Limit), offset: Type.Optional(Offset) }),
    run: async (input, context) => {
      const names = (await context.packages())
        .filter(({ pkg }) => !pkg.private && pkg.state === 'active')
        .map(({ pkg }) => pkg.name)
        .sort();
      const from = input.offset ?? 0;
      return input.limit === undefined ? names.slice(from) : names.slice(from, from + input.limit);
    },
  }),
  package_show: define({
    summary: 'One package by id or name; private ones only for callers entitled to them',
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
    run: async (input, context) => findPackage(await context.packages(), input.id),
  }),
  package_search: define({
    summary:
      'Search packages: q and fq (Solr-style field:value clauses, AND), rows, start, sort, facet.field; the same counts as the catalogue',
    params: Type.Object({
      q: Type.Optional(Type.String({ maxLength: 1000 })),
      fq: Type.Optional(Type.String({ maxLength: 1000 })),
      rows: Type.Optional(Limit),
      start: Type.Optional(Offset),
      sort: Type.Optional(Type.String({ maxLength: 200 })),
      facet: Type.Optional(Flag),
      'facet.field': Type.Optional(FieldList),
      'facet.limit': Type.Optional(Type.Integer({ minimum: -1 })),
      'facet.mincount': Type.Optional(Type.Integer({ minimum: 0 })),
      include_private: Type.Optional(Flag),
      include_drafts: Type.Optional(Flag),
    }),
    run: async (input, context) =>
      searchPackages(await context.packages(), {
        q: input.q,
        fq: input.fq,
        rows: input.rows ?? 10,
        start: input.start ?? 0,
        sort: input.sort,
        facetFields: isSet(input.facet, true) ? listOf(input['facet.field'], 'facet.field') : [],
        facetLimit: input['facet.limit'] ?? 50,
        facetMinCount: input['facet.mincount'] ?? 1,
        includePrivate: isSet(input.include_private),
        includeDrafts: isSet(input.include_drafts),
      }),
  }),
  organization_list: define({
    summary: 'Publishers (CKAN organizations) of the packages you can see',
    params: Type.Object({
      all_fields: Type.Optional(Flag),
      sort: Type.Optional(Type.String({ maxLength: 100 })),
      limit: Type.Optional(Limit),
      offset: Type.Optional(Offset),
      organizations: Type.Optional(FieldList),
    }),
    run: async (input, context) => {
      const wanted = listOf(input.organizations, 'organizations');
      const organizations = (await organizationsOf(context)).filter(
        (org) => wanted.length === 0 || wanted.includes(org.name) || wanted.includes(org.id),
      );
      const page = sortAndPage(organizations, input.sort, input.limit, input.offset);
      return isSet(input.all_fields) ? page : page.map((org) => org.name);
    },
  }),
  organization_show: define({
    summary: 'One publisher by id or name, optionally with its packages',
    params: Type.Object({
      id: Type.String({ minLength: 1, maxLength: 200 }),
      include_datasets: Type.Optional(Flag),
    }),
    run: async (input, context) => {
      const org = (await organizationsOf(context)).find(
        (candidate) => candidate.id === input.id || candidate.name === input.id,
      );
      if (!org) throw ckanNotFound(`organization ${input.id}`);
      if (!isSet(input.include_datasets)) return org;
      const packages = (await context.packages())
        .filter(({ pkg }) => pkg.owner_org === org.id && pkg.state === 'active')
        .map(({ pkg }) => pkg);
      return { ...org, packages };
    },
  }),
  group_list: define({
    summary: 'Themes (CKAN groups) of the packages you can see',
    params: Type.Object({
      all_fields: Type.Optional(Flag),
      sort: Type.Optional(Type.String({ maxLength: 100 })),
      limit: Type.Optional(Limit),
      offset: Type.Optional(Offset),
    }),
    run: async (input, context) => {
      const page = sortAndPage(await groupsOf(context), input.sort, input.limit, input.offset);
      return isSet(input.all_fields) ? page : page.map((group) => group.name);
    },
  }),
  tag_list: define({
    summary: 'Tags (dataset keywords and API tags) of the packages you can see',
    params: Type.Object({
      query: Type.Optional(Type.String({ maxLength: 200 })),
      all_fields: Type.Optional(Flag),
    }),
    run: async (input, context) => {
      const names = new Set<string>();
      for (const { pkg } of await context.packages()) {
        if (pkg.state === 'active') for (const tag of pkg.tags) names.add(tag.name);
      }
      const query = input.query?.toLowerCase();
      const tags = [...names].filter((name) => !query || name.toLowerCase().includes(query)).sort();
      return isSet(input.all_fields)
        ? tags.map((name) => ({ id: name, name, display_name: name, vocabulary_id: null }))
        : tags;
    },
  }),
  resource_show: define({
    summary: 'One resource (a way to reach a package: query endpoint, download, OpenAPI document, gateway)',
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
    run: async (input, context) => findResource(await context.packages(), input.id),
  }),
  help_show: define({
    summary: "An action's documentation",
    params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
    run: async (input) => {
      const summary = summaryOf(input.name);
      if (summary === undefined) throw ckanNotFound(`action ${input.name}`);
      return summary;
    },
  }),
  group_show: define({
    summary: 'One theme (CKAN group) by id or name, optionally with its packages',
    params: Type.Object({
      id: Type.String({ minLength: 1, maxLength: 200 }),
      include_datasets: Type.Optional(Flag),
    }),
    run: async (input, context) => {
      const group = (await groupsOf(context)).find((candidate) => candidate.name === input.id);
      if (!group) throw ckanNotFound(`group ${input.id}`);
      if (!isSet(input.include_datasets)) return group;
      const packages = (await activePackages(context)).filter((pkg) =>
        pkg.groups.some((entry) => entry.name === group.name),
      );
      return { ...group, packages };
    },
  }),
  tag_show: define({
    summary: 'One tag by name, optionally with its packages',
    params: Type.Object({
      id: Type.String({ minLength: 1, maxLength: 200 }),
      include_datasets: Type.Optional(Flag),
    }),
    run: async (input, context) => {
      const packages = (await activePackages(context)).filter((pkg) =>
        pkg.tags.some((tag) => tag.name === input.id),
      );
      if (packages.length === 0) throw ckanNotFound(`tag ${input.id}`);
      const tag = { id: input.id, name: input.id, display_name: input.id, vocabulary_id: null };
      return isSet(input.include_datasets) ? { ...tag, packages } : tag;
    },
  }),
  license_list: define({
    summary: 'The licences datasets are published under, in CKAN 2.10 shape',
    params: Type.Object({}),
    run: async () =>
      knownLicenceList().map((licence) => ({
        id: licence.id,
        title: licence.title,
        url: licence.url ?? '',
        status: 'active',
        maintainer: '',
        family: '',
        domain_content: false,
        domain_data: licence.isOpen,
        domain_software: false,
        is_generic: false,
        is_okd_compliant: licence.isOpen,
        is_osi_compliant: false,
        od_conformance: licence.isOpen ? 'approved' : 'not reviewed',
        osd_conformance: 'not reviewed',
      })),
  }),
  package_autocomplete: define({
    summary: 'Packages whose name or title contains q, for type-ahead (name matches first)',
    params: Type.Object({
      q: Type.String({ maxLength: 200 }),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    }),
    run: async (input, context) => {
      const q = input.q.trim().toLowerCase();
      if (!q) return [];
      return (await activePackages(context))
        .filter((pkg) => pkg.name.toLowerCase().includes(q) || pkg.title.toLowerCase().includes(q))
        .sort((a, b) => {
          const byName =
            Number(b.name.toLowerCase().startsWith(q)) - Number(a.name.toLowerCase().startsWith(q));
          return byName || (a.name < b.name ? -1 : 1);
        })
        .slice(0, input.limit ?? 10)
        .map((pkg) =>
          pkg.name.toLowerCase().startsWith(q)
            ? { name: pkg.name, title: pkg.title, match_field: 'name', match_displayed: pkg.name }
            : {
                name: pkg.name,
                title: pkg.title,
                match_field: 'title',
                match_displayed: `${pkg.title} (${pkg.name})`,
              },
        );
    },
  }),
  current_package_list_with_resources: define({
    summary: 'Public packages with their resources, most recently modified first',
    params: Type.Object({
      limit: Type.Optional(Limit),
      offset: Type.Optional(Offset),
      page: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    run: async (input, context) => {
      const packages = (await activePackages(context, false)).sort((a, b) =>
        a.metadata_modified === b.metadata_modified
          ? a.id < b.id
            ? -1
            : 1
          : a.metadata_modified < b.metadata_modified
            ? 1
            : -1,
      );
      const limit = input.limit ?? packages.length;
      // CKAN: `page` counts pages of `limit` from 1 and wins over `offset`.
      const from =
        input.page !== undefined && input.limit !== undefined
          ? (input.page - 1) * limit
          : (input.offset ?? 0);
      return packages.slice(from, from + limit);
    },
  }),
  recently_changed_packages_activity_list: define({
    summary: 'Activities of the public packages: new and changed, most recent first',
    params: Type.Object({ limit: Type.Optional(Limit), offset: Type.Optional(Offset) }),
    run: async (input, context) => {
      const activities = recentActivities(await activePackages(context, false));
      const from = input.offset ?? 0;
      return activities.slice(from, from + (input.limit ?? 31));
    },
  }),
  resource_search: define({
    summary: 'Resources matching field:term queries (a term is found inside the field, case-insensitively)',
    params: Type.Object({
      query: Type.Optional(FieldList),
      order_by: Type.Optional(Type.String({ maxLength: 100 })),
      offset: Type.Optional(Offset),
      limit: Type.Optional(Limit),
    }),
    run: async (input, context) =>
      searchResources(await activePackages(context), {
        query: listOf(input.query, 'query'),
        orderBy: input.order_by,
        offset: input.offset ?? 0,
        limit: input.limit,
      }),
  }),
  site_read: define({
    summary: 'Whether the caller may read the site: always true (the CKAN check clients call first)',
    params: Type.Object({}),
    run: async () => true,
  }),
  vocabulary_list: define({
    summary: 'Tag vocabularies: none, every tag is free text',
    params: Type.Object({}),
    run: async () => [],
  }),
  user_show: define({
    summary:
      "A user's public fields (no e-mail), for callers signed in to the same organisation; anonymous callers are refused",
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
    run: async (input, context) => {
      const principal = context.principal;
      if (!principal) {
        throw new CkanError(
          403,
          'Authorization Error',
          'sign in (send a token) to see users of your organisation',
        );
      }
      const members = await context.identity.listMembers(principal, principal.orgId);
      const member = members.find(({ user }) => user.id === input.id);
      if (!member || member.user.disabledAt) throw ckanNotFound(`user ${input.id}`);
      const { user } = member;
      return {
        id: user.id,
        name: user.id,
        fullname: user.name,
        display_name: user.name,
        about: '',
        created: ckanTime(user.createdAt),
        state: 'active',
        sysadmin: false,
        image_url: '',
        image_display_url: '',
        number_created_packages: 0,
      };
    },
  }),
} satisfies Record<CkanAction, ActionDefinition<TObject>>;

function summaryOf(action: string): string | undefined {
  return (definitions as Record<string, { summary: string }>)[action]?.summary;
}

function helpOf(request: FastifyRequest): string {
  // An unknown action's help names the action asked for, as CKAN's does.
  const asked = request.url.split('?')[0]!.split('/').pop() || 'package_search';
  const action = request.routeOptions.config?.ckanAction ?? encodeURIComponent(asked);
  return `${baseUrlOf(request)}${ckanPrefix}/help_show?name=${action}`;
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Errors in CKAN's envelope: `{help, success: false, error: {__type, message, <field>: [..]}}`. */
function ckanErrorHandler(
  error: FastifyError | AppError | CkanError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  let failure: CkanError;
  if (error instanceof CkanError) failure = error;
  else if (error instanceof AppError) {
    failure =
      error.status === 404
        ? new CkanError(404, 'Not Found Error', error.message)
        : error.status === 401 || error.status === 403
          ? new CkanError(403, 'Authorization Error', error.message)
          : error.status < 500
            ? new CkanError(400, 'Bad Request', error.message)
            : new CkanError(
                500,
                'Internal Server Error',
                'something went wrong on our side; quote the request id',
              );
  } else if (error.validation) {
    const fields: Record<string, string[]> = {};
    for (const issue of error.validation as ValidationIssue[]) {
      const field =
        issue.keyword === 'required'
          ? String(issue.params?.missingProperty ?? '')
          : (issue.instancePath ?? '').replace(/^\//, '') || 'request';
      fields[field] = [issue.keyword === 'required' ? 'Missing value' : (issue.message ?? 'is invalid')];
    }
    const message = Object.entries(fields)
      .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
      .join('; ');
    failure = new CkanError(409, 'Validation Error', message, fields);
  } else if ((error.statusCode ?? 500) < 500) {
    failure = new CkanError(400, 'Bad Request', error.message);
  } else {
    request.log.error({ err: error }, 'unhandled error in the CKAN API');
    failure = new CkanError(
      500,
      'Internal Server Error',
      'something went wrong on our side; quote the request id',
    );
  }
  return reply.code(failure.status).send({
    help: helpOf(request),
    success: false,
    error: { __type: failure.type, message: failure.message, ...failure.fields },
  });
}

const Envelope = Type.Object({
  help: Type.String(),
  success: Type.Boolean(),
  result: Type.Unknown({ description: 'what the action returns, in CKAN 2.10 shapes' }),
});
const ErrorEnvelope = Type.Object({
  help: Type.String(),
  success: Type.Literal(false),
  error: Type.Object(
    { __type: Type.String(), message: Type.String() },
    { additionalProperties: true, description: 'validation errors add one list of messages per field' },
  ),
});

/**
 * The CKAN Action API (read), at /api/3/action/* and, hidden from the docs, at /api/action/* (where
 * ckanapi and other clients call by default). Anonymous callers see public packages; a platform
 * token in `Authorization` (bare, as CKAN clients send it, or as `Bearer`) or `X-CKAN-API-Key`
 * shows what the catalogue shows its organisation.
 */
export async function ckanRoutes(
  app: FastifyInstance,
  deps: { listing: CatalogueListing; identity: IdentityService },
) {
  // Clients probe the API's root for the versions it speaks before calling actions.
  app.get(
    '/api/3',
    {
      config: { public: true },
      schema: {
        tags: ['ckan'],
        summary: 'The CKAN API version served here: {"version": 3}',
        security: [],
        response: { 200: Type.Object({ version: Type.Literal(3) }) },
      },
    },
    async () => ({ version: 3 as const }),
  );
  for (const prefix of [ckanPrefix, '/api/action']) {
    await app.register(
      async (scope) => {
        scope.setErrorHandler(ckanErrorHandler);
        scope.setNotFoundHandler((request, reply) => {
          const action = request.url.split('?')[0]!.split('/').pop();
          return ckanErrorHandler(
            new CkanError(400, 'Bad Request', `Action name not known: ${action}`),
            request,
            reply,
          );
        });
        // CKAN clients may post forms as well as JSON.
        scope.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string' },
          (_request, body, done) => {
            const form: Record<string, string | string[]> = {};
            for (const [key, value] of new URLSearchParams(body as string)) {
              const seen = form[key];
              form[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
            }
            done(null, form);
          },
        );
        // A POST without a body asks with no parameters, as CKAN allows.
        scope.addHook('preValidation', async (request) => {
          if (request.method === 'POST' && (request.body === undefined || request.body === null))
            request.body = {};
        });
        scope.addHook('onRequest', async (request) => {
          if (request.principal) return;
          const header = request.headers.authorization ?? request.headers['x-ckan-api-key'];
          const raw = Array.isArray(header) ? header[0] : header;
          if (!raw) return;
          const secret = /^Bearer\s+(\S+)$/i.exec(raw)?.[1] ?? raw.trim();
          request.principal = await deps.identity.authenticate(secret);
          if (!request.principal) {
            throw new CkanError(403, 'Authorization Error', 'the token is unknown, expired or revoked');
          }
        });

        const r = scope.withTypeProvider<TypeBoxTypeProvider>();
        for (const name of ckanActions) {
          const definition = definitions[name] as ActionDefinition<TObject>;
          const handler = async (request: FastifyRequest, input: Record<string, unknown>) => {
            const principal = request.principal;
            if (principal && principal.orgStatus !== 'active') {
              throw new CkanError(403, 'Authorization Error', `your organisation is ${principal.orgStatus}`);
            }
            const baseUrl = baseUrlOf(request);
            let packages: Promise<PackageEntry[]> | undefined;
            const context: ActionContext = {
              baseUrl,
              principal: principal ?? null,
              identity: deps.identity,
              packages: () => {
                packages ??= deps.listing
                  .forViewer(principal)
                  .then((catalogue) => packagesOf(catalogue, baseUrl));
                return packages;
              },
            };
            return {
              help: helpOf(request),
              success: true,
              result: await definition.run(input as Static<TObject>, context),
            };
          };
          const schema = {
            tags: ['ckan'],
            summary: definition.summary,
            security: anonymousOrToken,
            response: {
              200: Envelope,
              400: ErrorEnvelope,
              403: ErrorEnvelope,
              404: ErrorEnvelope,
              409: ErrorEnvelope,
            },
            ...(prefix === ckanPrefix ? {} : { hide: true }),
          };
          const config = { public: true, ckanAction: name };
          r.get(`/${name}`, { config, schema: { ...schema, querystring: definition.params } }, (request) =>
            handler(request, request.query as Record<string, unknown>),
          );
          r.post(`/${name}`, { config, schema: { ...schema, body: definition.params } }, (request) =>
            handler(request, (request.body ?? {}) as Record<string, unknown>),
          );
        }
      },
      { prefix },
    );
  }
}
