import type { DatasetResource, DatasetTranslations } from '../catalog/schema.js';
import {
  addTranslations,
  dayOf,
  type FetchText,
  HarvestFetchError,
  type LanguageMap,
  metadataOf,
  pickLanguage,
  RecordError,
  recordLicence,
  recordResult,
  type SourcePage,
  type SourceRecord,
  webUrl,
} from './mapping.js';
import type { HarvestOptions } from './schema.js';

/**
 * Reads a CKAN portal through its Action API (CKAN 2.x, https://docs.ckan.org/en/2.10/api/):
 * `organization_list` once for publisher names, then `package_search` page by page (`rows`,
 * `start`) until `count` records were read. Multilingual portals (ckanext-fluent, as the Hong Kong
 * government's) send `title_translated` and `notes_translated` objects by language tag.
 */
export const defaultCkanPageSize = 100;
/** Stops a portal that never reaches its `count` (or lies about it) from keeping a run alive forever. */
const maxPages = 10_000;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** The portal's root, whatever of the API path the user gave. */
export function ckanPortal(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api(\/3)?(\/action)?$/, '');
}

function languages(plain: unknown, translated: unknown): LanguageMap {
  const values: LanguageMap = new Map();
  if (isObject(translated)) {
    for (const [tag, value] of Object.entries(translated)) if (text(value)) values.set(tag, value as string);
  }
  if (text(plain) && ![...values.values()].includes(plain as string)) values.set('', plain as string);
  return values;
}

function extrasOf(pkg: Json): Map<string, string> {
  const extras = new Map<string, string>();
  if (Array.isArray(pkg.extras)) {
    for (const extra of pkg.extras) {
      if (isObject(extra) && typeof extra.key === 'string' && typeof extra.value === 'string') {
        extras.set(extra.key, extra.value);
      }
    }
  }
  return extras;
}

/** A value from the package itself or, as many portals keep them, from its extras. */
function field(pkg: Json, extras: Map<string, string>, ...names: string[]): string | null {
  for (const name of names) {
    const value = text(pkg[name]) ?? text(extras.get(name));
    if (value) return value;
  }
  return null;
}

function resourcesOf(pkg: Json, portal: string): DatasetResource[] {
  if (!Array.isArray(pkg.resources)) return [];
  const resources: DatasetResource[] = [];
  for (const [index, resource] of pkg.resources.entries()) {
    if (!isObject(resource)) continue;
    const url = webUrl(text(resource.url), portal);
    if (!url) continue;
    const name = pickLanguage(languages(resource.name, resource.name_translated)).text;
    resources.push({
      name: (name ?? text(resource.format) ?? `Resource ${index + 1}`).slice(0, 200),
      format: text(resource.format),
      url,
      mediaType: text(resource.mimetype),
    });
  }
  return resources;
}

/** Maps one package_search result; throws RecordError when it cannot be a dataset. */
export function mapCkanPackage(pkg: unknown, portal: string, publishers: Map<string, string>): SourceRecord {
  if (!isObject(pkg)) throw new RecordError('the record is not a JSON object');
  const originalId = text(pkg.id) ?? text(pkg.name);
  if (!originalId) throw new RecordError('the package has neither id nor name');
  const translations: DatasetTranslations = {};
  const title = pickLanguage(languages(pkg.title, pkg.title_translated));
  if (!title.text) throw new RecordError(`package ${originalId} has no title`);
  addTranslations(translations, 'title', title.others);
  const notes = pickLanguage(languages(pkg.notes, pkg.notes_translated));
  addTranslations(translations, 'description', notes.others);
  const extras = extrasOf(pkg);
  const organization = isObject(pkg.organization) ? pkg.organization : null;
  const publisher =
    (organization && pickLanguage(languages(organization.title, organization.title_translated)).text) ??
    publishers.get(String(pkg.owner_org ?? '')) ??
    (organization ? text(organization.name) : null);
  const name = text(pkg.name);
  const tags = Array.isArray(pkg.tags)
    ? pkg.tags.map((tag) => (isObject(tag) ? (text(tag.display_name) ?? text(tag.name)) : text(tag)))
    : [];
  const groups = Array.isArray(pkg.groups)
    ? pkg.groups.map((group) => (isObject(group) ? text(group.name) : null))
    : [];
  const spatial = field(pkg, extras, 'spatial_coverage', 'spatial_text');
  // CKAN's own verdict (`isopen`) speaks for a licence the table does not know.
  const licence = recordLicence(
    [text(pkg.license_id), text(pkg.license_url), text(pkg.license_title)],
    pkg.isopen === true,
  );
  return {
    originalId,
    licence: { isOpen: licence.isOpen, unmapped: licence.unmapped },
    slugHint: name ?? title.text,
    metadata: metadataOf({
      title: title.text,
      description: notes.text,
      licence: licence.id,
      keywords: tags,
      themes: groups,
      updateFrequency: field(pkg, extras, 'frequency', 'update_frequency', 'accrual_periodicity'),
      spatial: spatial ? spatial.split(/\s*,\s*/) : [],
      temporalStart: dayOf(field(pkg, extras, 'temporal_start', 'temporal_coverage_from')),
      temporalEnd: dayOf(field(pkg, extras, 'temporal_end', 'temporal_coverage_to')),
      resources: resourcesOf(pkg, portal),
      translations,
    }),
    landingPage: name ? `${portal}/dataset/${encodeURIComponent(name)}` : null,
    publisher,
  };
}

function actionResult(raw: string, action: string, url: string): unknown {
  let answer: unknown;
  try {
    answer = JSON.parse(raw);
  } catch {
    throw new HarvestFetchError(`${url} did not answer ${action} with JSON`);
  }
  if (!isObject(answer) || answer.success !== true || !('result' in answer)) {
    const message = isObject(answer) && isObject(answer.error) ? text(answer.error.message) : null;
    throw new HarvestFetchError(`${url}: ${action} failed${message ? `: ${message}` : ''}`);
  }
  return answer.result;
}

async function publishersOf(portal: string, fetchText: FetchText): Promise<Map<string, string>> {
  const url = `${portal}/api/3/action/organization_list?all_fields=true&limit=1000`;
  const publishers = new Map<string, string>();
  const { text: raw } = await fetchText(url, 'application/json');
  const result = actionResult(raw, 'organization_list', url);
  if (!Array.isArray(result)) throw new HarvestFetchError(`${url}: organization_list is not a list`);
  for (const org of result) {
    if (!isObject(org)) continue;
    const title = pickLanguage(languages(org.title ?? org.display_name, org.title_translated)).text;
    for (const key of [org.id, org.name]) if (typeof key === 'string' && title) publishers.set(key, title);
  }
  return publishers;
}

/** The portal's packages, a page at a time; throws HarvestFetchError when a page cannot be read. */
export async function* readCkan(
  url: string,
  options: HarvestOptions,
  fetchText: FetchText,
): AsyncGenerator<SourcePage> {
  const portal = ckanPortal(url);
  const publishers = await publishersOf(portal, fetchText);
  const rows = options.pageSize ?? defaultCkanPageSize;
  const filters = [options.fq, options.organization ? `organization:${options.organization}` : undefined]
    .filter((value): value is string => Boolean(value))
    .join(' ');
  for (let start = 0, page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({
      q: '*:*',
      rows: String(rows),
      start: String(start),
      sort: 'name asc',
    });
    if (filters) query.set('fq', filters);
    const pageUrl = `${portal}/api/3/action/package_search?${query}`;
    const { text: raw } = await fetchText(pageUrl, 'application/json');
    const result = actionResult(raw, 'package_search', pageUrl);
    if (!isObject(result) || typeof result.count !== 'number' || !Array.isArray(result.results)) {
      throw new HarvestFetchError(`${pageUrl}: package_search answered without count and results`);
    }
    const results = result.results.map((pkg, index) =>
      recordResult(
        isObject(pkg) ? String(pkg.id ?? pkg.name ?? `#${start + index + 1}`) : `#${start + index + 1}`,
        () => mapCkanPackage(pkg, portal, publishers),
      ),
    );
    yield { results, total: result.count };
    start += result.results.length;
    if (start >= result.count) return;
    if (result.results.length === 0) {
      throw new HarvestFetchError(
        `${pageUrl}: the portal stopped at ${start} of the ${result.count} packages it counts`,
      );
    }
  }
  throw new HarvestFetchError(`${portal} has more than ${maxPages} pages; narrow it with fq`);
}
