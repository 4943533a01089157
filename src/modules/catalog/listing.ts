import type { Page } from '../../infra/paging.js';
import type { Principal } from '../identity/principal.js';
import type { Organisation } from '../identity/service.js';
import type { Dataset, DatasetService, DatasetVersion } from './datasets.js';
import type { Api, CatalogService, VersionSummary } from './service.js';
import { type FileFormat, fileFormats } from './vocabularies.js';

/**
 * The catalogue as one viewer sees it, for the open protocols (CKAN, DCAT): datasets and APIs with
 * their publishers and the ways to reach each. It lists through DatasetService and CatalogService,
 * the same calls behind `/v1/datasets` and `/v1/apis`, so a protocol never shows more (or fewer)
 * items than the catalogue does for the same caller. Anonymous callers are "the public": an
 * organisation that owns nothing and holds no agreement, shown open datasets and public APIs only.
 */
export interface DatasetItem {
  kind: 'dataset';
  dataset: Dataset;
  version: DatasetVersion | null;
  isOpen: boolean;
  /** Anyone may see it, signed in or not (published and open). */
  isPublic: boolean;
  /** The viewer may take its rows away as a file: open data, its own, or an agreement with `download`. */
  isDownloadable: boolean;
}

export interface ApiItem {
  kind: 'api';
  api: Api;
  version: VersionSummary;
  isPublic: boolean;
}

export type CatalogueItem = DatasetItem | ApiItem;

export interface Catalogue {
  items: CatalogueItem[];
  publishers: Map<string, Organisation>;
}

/** One way to reach an item: a CKAN resource, a DCAT distribution (or a data service's endpoint). */
export interface Distribution {
  key: string;
  title: string;
  description: string;
  accessUrl: string;
  downloadUrl: string | null;
  /** The word CKAN shows as the format. */
  formatName: string;
  format: FileFormat | null;
}

export interface CatalogueListingDeps {
  datasets: DatasetService;
  catalog: CatalogService;
  organisationsByIds(ids: string[]): Promise<Organisation[]>;
  downloadableDatasetIds(principal: Principal): Promise<Set<string>>;
}

/** The public, as a principal: its organisation id matches no row, it has no kind and no agreement. */
export const thePublic: Principal = {
  type: 'session',
  userId: 'public',
  email: '',
  orgId: 'public',
  orgKinds: [],
  orgStatus: 'active',
  role: 'member',
};

const pageSize = 200;

async function everyPage<T>(list: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

export class CatalogueListing {
  constructor(private readonly deps: CatalogueListingDeps) {}

  /** Everything the viewer may see; `null` is an anonymous caller. */
  async forViewer(viewer: Principal | null): Promise<Catalogue> {
    const principal = viewer ?? thePublic;
    const [datasetEntries, apiEntries, downloadable] = await Promise.all([
      everyPage((cursor) =>
        this.deps.datasets.list(principal, {
          limit: pageSize,
          cursor,
          ...(viewer ? {} : { open: true }),
        }),
      ),
      everyPage((cursor) => this.deps.catalog.list(principal, { limit: pageSize, cursor })),
      viewer ? this.deps.downloadableDatasetIds(viewer) : Promise.resolve(null),
    ]);
    const items: CatalogueItem[] = [
      ...datasetEntries.map(
        (entry): DatasetItem => ({
          kind: 'dataset',
          dataset: entry.dataset,
          version: entry.currentVersion,
          isOpen: entry.isOpen,
          isPublic: entry.isOpen,
          // The public may download open data once signed in; a viewer, what its grants allow.
          isDownloadable: downloadable ? downloadable.has(entry.dataset.id) : entry.isOpen,
        }),
      ),
      ...apiEntries.map(
        (entry): ApiItem => ({
          kind: 'api',
          api: entry.api,
          version: entry.currentVersion,
          isPublic: entry.api.visibility === 'public',
        }),
      ),
    ];
    const orgIds = [
      ...new Set(items.map((item) => (item.kind === 'dataset' ? item.dataset.orgId : item.api.orgId))),
    ];
    const organisations = await this.deps.organisationsByIds(orgIds);
    return { items, publishers: new Map(organisations.map((org) => [org.id, org])) };
  }
}

/**
 * How an item can be reached. A dataset: always the governed query (anyone may ask for an
 * agreement), and Parquet and CSV downloads where the viewer may download. An API: its OpenAPI
 * document (pointed at the gateway) and the gateway's base URL.
 */
export function distributionsOf(item: CatalogueItem, baseUrl: string): Distribution[] {
  if (item.kind === 'api') {
    const format = item.version.sourceFormat === 'yaml' ? fileFormats.yaml : fileFormats.json;
    const documentUrl = `${baseUrl}/catalog/apis/${item.api.id}/openapi`;
    return [
      {
        key: 'openapi',
        title: 'OpenAPI document',
        description: `The ${item.version.specFormat} document of version ${item.version.version}, its servers pointed at the gateway`,
        accessUrl: documentUrl,
        downloadUrl: documentUrl,
        formatName: 'OpenAPI',
        format,
      },
      {
        key: 'gateway',
        title: 'Gateway endpoint',
        description:
          'Base URL of the API at the gateway; calls need a subscription and an API key or OAuth2 token',
        accessUrl: `${baseUrl}/gw/${item.api.slug}/`,
        downloadUrl: null,
        formatName: 'API',
        format: null,
      },
    ];
  }
  const { dataset } = item;
  // A harvested dataset has no rows here (nothing to query or download through the platform): its
  // distributions are the resources its source lists, at the source's own URLs.
  if (dataset.origin && !item.version) {
    return dataset.resources.map((resource, index) => ({
      key: `resource-${index + 1}`,
      title: resource.name,
      description: `Published at the source${dataset.origin?.publisher ? ` by ${dataset.origin.publisher}` : ''}`,
      accessUrl: resource.url,
      downloadUrl: null,
      formatName: resource.format ?? '',
      format: harvestedFormat(resource.format, resource.mediaType),
    }));
  }
  const distributions: Distribution[] = [
    {
      key: 'query',
      title: 'Governed SQL query',
      description:
        `POST ${baseUrl}/v1/query with {"sql": "SELECT … FROM ${dataset.slug}"}; ` +
        'the masks and filters of your agreement (or the open licence) apply',
      accessUrl: `${baseUrl}/v1/query`,
      downloadUrl: null,
      formatName: 'API',
      format: fileFormats.json,
    },
  ];
  if (item.isDownloadable) {
    for (const key of ['parquet', 'csv'] as const) {
      const url = `${baseUrl}/v1/datasets/${dataset.id}/download?format=${key}`;
      distributions.push({
        key,
        title: `${fileFormats[key].name} download`,
        description: `The rows as you may see them, as ${fileFormats[key].name}`,
        accessUrl: url,
        downloadUrl: url,
        formatName: fileFormats[key].name,
        format: fileFormats[key],
      });
    }
  }
  return distributions;
}

const mediaTypesByFormat: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  geojson: 'application/geo+json',
  xml: 'application/xml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  pdf: 'application/pdf',
  parquet: 'application/vnd.apache.parquet',
  zip: 'application/zip',
  html: 'text/html',
};

/**
 * A harvested resource's format as the views need it: the EU file type named by the source's
 * format word, and the media type it gave (or the usual one for the word); null when neither is known.
 */
function harvestedFormat(format: string | null, mediaType: string | null): FileFormat | null {
  const word = format?.trim() ?? '';
  const type = mediaType ?? mediaTypesByFormat[word.toLowerCase()] ?? null;
  if (!type) return null;
  const code = word.toUpperCase().replace(/[^A-Z0-9_]/g, '_') || 'BIN';
  return {
    name: word || type,
    fileType: `http://publications.europa.eu/resource/authority/file-type/${code}`,
    mediaType: type,
  };
}
