import { createHash } from 'node:crypto';
import type { Organisation } from '../identity/service.js';
import { type Catalogue, type CatalogueItem, distributionsOf } from './listing.js';
import {
  fieldsOf,
  matchesSolr,
  parseSolrQuery,
  type SolrDocument,
  type SolrQuery,
  SolrSyntaxError,
} from './solr-query.js';
import { licenceOf } from './vocabularies.js';

/**
 * The catalogue in CKAN's shapes (Action API, CKAN 2.10: https://docs.ckan.org/en/2.10/api/), so
 * CKAN clients and harvesters (ckanapi, ckanext-harvest, the DCAT harvester, Open Data portals)
 * read it unmodified. Datasets are packages of type `dataset`, APIs packages of type `api` (named
 * `api-{slug}`, which no dataset slug can be: those have no hyphen). A package is `private` when
 * the public may not see it. Themes are CKAN groups; publishers are CKAN organizations.
 */
export const ckanVersion = '2.10.4';

export class CkanError extends Error {
  override name = 'CkanError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

export const ckanNotFound = (what: string) => new CkanError(404, 'Not Found Error', `Not found: ${what}`);
export const ckanValidation = (field: string, message: string) =>
  new CkanError(409, 'Validation Error', `${field}: ${message}`, { [field]: [message] });

/** CKAN writes timestamps as naive ISO 8601 in UTC, without the `Z`. */
export function ckanTime(date: Date): string {
  return date.toISOString().replace(/Z$/, '');
}

export interface CkanOrganization {
  id: string;
  name: string;
  title: string;
  display_name: string;
  description: string;
  type: 'organization';
  is_organization: true;
  state: 'active';
  approval_status: 'approved';
  image_url: string;
  image_display_url: string;
  created: string;
  num_followers: number;
  package_count?: number;
}

export function organizationOf(org: Organisation): CkanOrganization {
  return {
    id: org.id,
    name: org.slug,
    title: org.name,
    display_name: org.name,
    description: org.description ?? '',
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
    image_display_url: '',
    created: ckanTime(org.createdAt),
    // Following is a CKAN social feature the platform does not have: nobody follows anything.
    num_followers: 0,
  };
}

/**
 * A resource with CKAN 2.10's fields. `size` and `hash` are null and empty where the bytes are not
 * one fixed file: a download is written for its viewer (masks and filters applied), and an
 * endpoint has no bytes. `datastore_active` is false: rows are reached through the governed query,
 * not CKAN's DataStore.
 */
export interface CkanResource {
  id: string;
  package_id: string;
  name: string;
  description: string;
  format: string;
  mimetype: string | null;
  mimetype_inner: null;
  url: string;
  url_type: null;
  resource_type: 'api' | 'file' | 'documentation' | null;
  size: number | null;
  hash: string;
  datastore_active: false;
  cache_url: null;
  cache_last_updated: null;
  state: 'active';
  position: number;
  created: string;
  last_modified: string;
  metadata_modified: string;
}

export interface CkanPackage {
  id: string;
  name: string;
  title: string;
  type: 'dataset' | 'api';
  notes: string;
  url: string;
  version: string | null;
  state: 'active' | 'draft';
  private: boolean;
  license_id: string | null;
  license_title: string | null;
  license_url: string | null;
  isopen: boolean;
  owner_org: string;
  organization: CkanOrganization | null;
  author: string | null;
  author_email: null;
  maintainer: string | null;
  maintainer_email: null;
  creator_user_id: null;
  metadata_created: string;
  metadata_modified: string;
  tags: { id: string; name: string; display_name: string; state: 'active'; vocabulary_id: null }[];
  groups: {
    id: string;
    name: string;
    title: string;
    display_name: string;
    description: string;
    image_display_url: string;
  }[];
  extras: { key: string; value: string }[];
  resources: CkanResource[];
  num_resources: number;
  num_tags: number;
  relationships_as_object: [];
  relationships_as_subject: [];
}

/** A package with what search needs beside it (the catalogue's own search text). */
export interface PackageEntry {
  pkg: CkanPackage;
  searchText: string;
}

export function packageName(item: CatalogueItem): string {
  return item.kind === 'dataset' ? item.dataset.slug : `api-${item.api.slug}`;
}

const tagOf = (name: string) => ({
  id: name,
  name,
  display_name: name,
  state: 'active' as const,
  vocabulary_id: null,
});
/**
 * A theme's CKAN group name: CKAN names are 2 to 100 characters of lower-case letters, digits, `-`
 * and `_`, so "Public Health" is `public-health` (its title keeps the words). A theme with no such
 * letters (東涌, a symbol) is named by a hash of its words, the same on every call.
 */
export function groupName(theme: string): string {
  const slug = theme
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100)
    .replace(/-$/, '');
  return slug.length >= 2 ? slug : `theme-${createHash('sha256').update(theme).digest('hex').slice(0, 12)}`;
}

export const groupOf = (theme: string) => {
  const name = groupName(theme);
  return { id: name, name, title: theme, display_name: theme, description: '', image_display_url: '' };
};

/** What each way of reaching an item is, in CKAN's `resource_type` words. */
const resourceTypes: Record<string, CkanResource['resource_type']> = {
  query: 'api',
  gateway: 'api',
  openapi: 'documentation',
  parquet: 'file',
  csv: 'file',
};

export function packageOf(item: CatalogueItem, catalogue: Catalogue, baseUrl: string): CkanPackage {
  const id = item.kind === 'dataset' ? item.dataset.id : item.api.id;
  const orgId = item.kind === 'dataset' ? item.dataset.orgId : item.api.orgId;
  const publisher = catalogue.publishers.get(orgId);
  const created = item.kind === 'dataset' ? item.dataset.createdAt : item.api.createdAt;
  const modified = item.kind === 'dataset' ? item.dataset.updatedAt : item.api.updatedAt;
  const resources = distributionsOf(item, baseUrl).map(
    (distribution, position): CkanResource => ({
      id: `${id}.${distribution.key}`,
      package_id: id,
      name: distribution.title,
      description: distribution.description,
      format: distribution.formatName,
      mimetype: distribution.format?.mediaType ?? null,
      mimetype_inner: null,
      url: distribution.accessUrl,
      url_type: null,
      resource_type: resourceTypes[distribution.key] ?? null,
      size: null,
      hash: '',
      datastore_active: false,
      cache_url: null,
      cache_last_updated: null,
      state: 'active',
      position,
      created: ckanTime(created),
      last_modified: ckanTime(modified),
      metadata_modified: ckanTime(modified),
    }),
  );
  const common = {
    id,
    name: packageName(item),
    owner_org: orgId,
    organization: publisher ? organizationOf(publisher) : null,
    author: publisher?.name ?? null,
    author_email: null,
    maintainer: publisher?.name ?? null,
    maintainer_email: null,
    creator_user_id: null,
    private: !item.isPublic,
    metadata_created: ckanTime(created),
    metadata_modified: ckanTime(modified),
    resources,
    num_resources: resources.length,
    relationships_as_object: [] as [],
    relationships_as_subject: [] as [],
  };
  if (item.kind === 'api') {
    const { api, version } = item;
    return {
      ...common,
      type: 'api',
      title: api.title,
      notes: api.description ?? '',
      url: `${baseUrl}/gw/${api.slug}/`,
      version: version.version,
      state: 'active',
      license_id: null,
      license_title: null,
      license_url: null,
      isopen: false,
      tags: api.tags.map(tagOf),
      num_tags: api.tags.length,
      groups: api.category ? [groupOf(api.category)] : [],
      extras: [
        { key: 'visibility', value: api.visibility },
        { key: 'spec_format', value: version.specFormat },
        { key: 'operation_count', value: String(version.operationCount) },
      ],
    };
  }
  const { dataset, version } = item;
  const licence = licenceOf(dataset.licence);
  // An open licence the platform does not list, kept open by the harvest (see DatasetOrigin).
  if (dataset.origin?.licenceIsOpen) licence.isOpen = true;
  const extras: { key: string; value: string }[] = [
    { key: 'access', value: item.isOpen ? 'open' : 'agreement' },
    { key: 'sql_name', value: dataset.slug },
  ];
  // ckanext-harvest's extras: where the package came from and its identifier there (`guid`).
  if (dataset.origin) {
    extras.splice(1, 1);
    extras.push({ key: 'harvest_source_id', value: dataset.origin.sourceId });
    extras.push({ key: 'guid', value: dataset.origin.originalId });
    extras.push({ key: 'harvest_fetched_at', value: dataset.origin.fetchedAt });
    if (dataset.origin.publisher) extras.push({ key: 'publisher_name', value: dataset.origin.publisher });
  }
  if (dataset.updateFrequency) extras.push({ key: 'frequency', value: dataset.updateFrequency });
  if (dataset.spatial.length > 0) extras.push({ key: 'spatial_coverage', value: dataset.spatial.join(', ') });
  if (dataset.temporalStart) extras.push({ key: 'temporal_start', value: dataset.temporalStart });
  if (dataset.temporalEnd) extras.push({ key: 'temporal_end', value: dataset.temporalEnd });
  if (version) {
    extras.push({ key: 'row_count', value: String(version.rowCount) });
    extras.push({
      key: 'columns',
      value: JSON.stringify(version.columns.map((column) => ({ name: column.name, type: column.type }))),
    });
  }
  return {
    ...common,
    type: 'dataset',
    title: dataset.title,
    notes: dataset.description ?? '',
    url: dataset.origin?.landingPage ?? `${baseUrl}/v1/datasets/${dataset.id}`,
    version: version ? String(version.version) : null,
    state: dataset.status === 'published' ? 'active' : 'draft',
    license_id: dataset.licence,
    license_title: licence.title,
    license_url: licence.url,
    isopen: licence.isOpen,
    tags: dataset.keywords.map(tagOf),
    num_tags: dataset.keywords.length,
    groups: dataset.themes.map(groupOf),
    extras,
  };
}

export function packagesOf(catalogue: Catalogue, baseUrl: string): PackageEntry[] {
  return catalogue.items.map((item) => ({
    pkg: packageOf(item, catalogue, baseUrl),
    searchText: item.kind === 'dataset' ? item.dataset.searchText : item.api.searchText,
  }));
}

// ---- package_search ------------------------------------------------------------------------------

export interface SearchParams {
  q?: string;
  fq?: string;
  rows: number;
  start: number;
  sort?: string;
  facetFields: string[];
  facetLimit: number;
  facetMinCount: number;
  includePrivate: boolean;
  includeDrafts: boolean;
}

export interface SearchResult {
  count: number;
  results: CkanPackage[];
  sort: string;
  facets: Record<string, Record<string, number>>;
  search_facets: Record<
    string,
    { title: string; items: { name: string; display_name: string; count: number }[] }
  >;
}

/** Solr fields CKAN clients filter and facet on, and how each reads a package. */
const fieldValues: Record<string, (entry: PackageEntry) => string[]> = {
  id: ({ pkg }) => [pkg.id],
  name: ({ pkg }) => [pkg.name],
  title: ({ pkg }) => [pkg.title],
  notes: ({ pkg }) => [pkg.notes],
  text: ({ searchText }) => [searchText],
  type: ({ pkg }) => [pkg.type],
  dataset_type: ({ pkg }) => [pkg.type],
  tags: ({ pkg }) => pkg.tags.map((tag) => tag.name),
  groups: ({ pkg }) => pkg.groups.map((group) => group.name),
  organization: ({ pkg }) => (pkg.organization ? [pkg.organization.name] : []),
  owner_org: ({ pkg }) => [pkg.owner_org],
  res_format: ({ pkg }) => pkg.resources.map((resource) => resource.format),
  license_id: ({ pkg }) => (pkg.license_id ? [pkg.license_id] : []),
  capacity: ({ pkg }) => [pkg.private ? 'private' : 'public'],
  state: ({ pkg }) => [pkg.state],
  metadata_modified: ({ pkg }) => [pkg.metadata_modified],
  metadata_created: ({ pkg }) => [pkg.metadata_created],
};
/** Text fields match a word inside; the others match the whole value (case-insensitively). */
const textFields = new Set(['title', 'notes', 'text']);
const dateFields = new Set(['metadata_modified', 'metadata_created']);

/** Reads `q` or `fq` into a query over the fields above, naming the parameter when it cannot. */
function queryOf(input: string | undefined, param: 'q' | 'fq'): SolrQuery {
  let query: SolrQuery;
  try {
    query = parseSolrQuery(input ?? '');
  } catch (error) {
    if (error instanceof SolrSyntaxError) throw ckanValidation(param, error.message);
    throw error;
  }
  for (const field of fieldsOf(query)) {
    if (!(field in fieldValues)) {
      throw ckanValidation(
        param,
        `cannot search on field "${field}"; use one of ${Object.keys(fieldValues).join(', ')}`,
      );
    }
  }
  return query;
}

const documentOf = (entry: PackageEntry): SolrDocument => ({
  values: (field) =>
    field === null
      ? { values: [entry.searchText], isText: true, isDate: false }
      : {
          values: fieldValues[field]!(entry),
          isText: textFields.has(field),
          isDate: dateFields.has(field),
        },
});

const sortFields: Record<string, (pkg: CkanPackage) => string> = {
  id: (pkg) => pkg.id,
  name: (pkg) => pkg.name,
  title_string: (pkg) => pkg.title.toLowerCase(),
  metadata_modified: (pkg) => pkg.metadata_modified,
  metadata_created: (pkg) => pkg.metadata_created,
};
export const defaultSort = 'score desc, metadata_modified desc';

function sorter(sort: string): (a: CkanPackage, b: CkanPackage) => number {
  const keys = sort
    .split(',')
    .map((part) => part.trim().split(/\s+/))
    .filter((part) => part[0] && part[0] !== 'score')
    .map(([field, direction = 'asc']) => {
      const read = sortFields[field!];
      if (!read || !['asc', 'desc'].includes(direction.toLowerCase())) {
        throw ckanValidation(
          'sort',
          `cannot sort on "${field} ${direction}"; use ${Object.keys(sortFields).join(', ')} with asc or desc`,
        );
      }
      return { read, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
    });
  return (a, b) => {
    for (const { read, sign } of keys) {
      const left = read(a);
      const right = read(b);
      if (left !== right) return left < right ? -sign : sign;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/**
 * CKAN's package_search over the viewer's catalogue: private packages only with include_private,
 * drafts only with include_drafts (as CKAN), then q and fq (all clauses must hold), sort, facets
 * over every match, and the page `start`…`start + rows`.
 */
export function searchPackages(entries: PackageEntry[], params: SearchParams): SearchResult {
  const q = queryOf(params.q, 'q');
  const fq = queryOf(params.fq, 'fq');
  const now = new Date();
  for (const field of params.facetFields) {
    if (!(field in fieldValues)) throw ckanValidation('facet.field', `cannot facet on "${field}"`);
  }
  const sort = params.sort?.trim() || defaultSort;
  const found = entries
    .filter(({ pkg }) => params.includePrivate || !pkg.private)
    .filter(({ pkg }) => params.includeDrafts || pkg.state === 'active')
    .filter((entry) => {
      const document = documentOf(entry);
      return matchesSolr(q, document, now) && matchesSolr(fq, document, now);
    });
  const facets: SearchResult['facets'] = {};
  const searchFacets: SearchResult['search_facets'] = {};
  for (const field of params.facetFields) {
    const counts = new Map<string, number>();
    for (const entry of found) {
      for (const value of new Set(fieldValues[field]!(entry)))
        counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const ranked = [...counts]
      .filter(([, count]) => count >= params.facetMinCount)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    const kept = params.facetLimit < 0 ? ranked : ranked.slice(0, params.facetLimit);
    facets[field] = Object.fromEntries(kept);
    const titleOf = (value: string) =>
      field === 'organization'
        ? (found.find(({ pkg }) => pkg.organization?.name === value)?.pkg.organization?.title ?? value)
        : value;
    searchFacets[field] = {
      title: field,
      items: kept.map(([name, count]) => ({ name, display_name: titleOf(name), count })),
    };
  }
  const ordered = found.map(({ pkg }) => pkg).sort(sorter(sort));
  return {
    count: found.length,
    results: ordered.slice(params.start, params.start + params.rows),
    sort,
    facets,
    search_facets: searchFacets,
  };
}

/** Finds a package by id or name, as package_show does. */
export function findPackage(entries: PackageEntry[], idOrName: string): CkanPackage {
  const found = entries.find(({ pkg }) => pkg.id === idOrName || pkg.name === idOrName);
  if (!found) throw ckanNotFound(`package ${idOrName}`);
  return found.pkg;
}

export function findResource(entries: PackageEntry[], id: string): CkanResource {
  for (const { pkg } of entries) {
    const resource = pkg.resources.find((candidate) => candidate.id === id);
    if (resource) return resource;
  }
  throw ckanNotFound(`resource ${id}`);
}

// ---- activities and resources --------------------------------------------------------------------

export interface CkanActivity {
  id: string;
  timestamp: string;
  user_id: string | null;
  object_id: string;
  activity_type: 'new package' | 'changed package';
  data: { package: CkanPackage };
}

/**
 * Each package's latest activity, most recent first: `new package` when it has not changed since
 * it was made, else `changed package`. The platform keeps its history in the ledger, not as CKAN
 * activities; this is the view CKAN clients poll for changes, derived from the packages' times.
 */
export function recentActivities(packages: CkanPackage[]): CkanActivity[] {
  return packages
    .map(
      (pkg): CkanActivity => ({
        id: createHash('sha256').update(`${pkg.id} ${pkg.metadata_modified}`).digest('hex').slice(0, 32),
        timestamp: pkg.metadata_modified,
        user_id: pkg.creator_user_id,
        object_id: pkg.id,
        activity_type: pkg.metadata_created === pkg.metadata_modified ? 'new package' : 'changed package',
        data: { package: pkg },
      }),
    )
    .sort((a, b) =>
      a.timestamp === b.timestamp ? (a.id < b.id ? -1 : 1) : a.timestamp < b.timestamp ? 1 : -1,
    );
}

/** Resource fields resource_search may look in (CKAN's resource columns). */
const resourceFields = [
  'name',
  'description',
  'format',
  'url',
  'mimetype',
  'resource_type',
  'hash',
  'id',
  'package_id',
] as const;

/**
 * CKAN's resource_search: every `field:term` must hold, the term found inside the field
 * case-insensitively (a `url` term is matched as written, as CKAN does), then ordered and paged.
 */
export function searchResources(
  packages: CkanPackage[],
  params: { query: string[]; orderBy?: string | undefined; offset: number; limit?: number | undefined },
): { count: number; results: CkanResource[] } {
  const terms = params.query.map((entry) => {
    const at = entry.indexOf(':');
    const field = entry.slice(0, at);
    if (at < 1 || !(resourceFields as readonly string[]).includes(field)) {
      throw ckanValidation(
        'query',
        `"${entry}" is not field:term with a resource field (${resourceFields.join(', ')})`,
      );
    }
    return { field: field as (typeof resourceFields)[number], term: entry.slice(at + 1) };
  });
  const orderBy = params.orderBy?.trim();
  if (orderBy && !(resourceFields as readonly string[]).includes(orderBy)) {
    throw ckanValidation('order_by', `cannot order by "${orderBy}"; use ${resourceFields.join(', ')}`);
  }
  const found = packages
    .flatMap((pkg) => pkg.resources)
    .filter((resource) =>
      terms.every(({ field, term }) => {
        const value = String(resource[field] ?? '');
        return field === 'url' ? value.includes(term) : value.toLowerCase().includes(term.toLowerCase());
      }),
    );
  if (orderBy) {
    const key = orderBy as (typeof resourceFields)[number];
    found.sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')) || (a.id < b.id ? -1 : 1));
  }
  const results = found.slice(
    params.offset,
    params.limit === undefined ? undefined : params.offset + params.limit,
  );
  return { count: found.length, results };
}
