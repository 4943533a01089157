import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { HarvestedMetadata } from '../catalog/datasets.js';
import type { DatasetResource, DatasetTranslations } from '../catalog/schema.js';
import { mapLicence } from './licences.js';

// The package is CommonJS (`module.exports = fn`) while its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/**
 * What both readers (CKAN, DCAT) turn a source's records into, and the small rules they share:
 * which language is shown, how licences become SPDX ids, what counts as a date or a URL. A field
 * the platform cannot use is dropped; only a record without an identifier or a title fails.
 */
export interface SourceRecord {
  originalId: string;
  licence: RecordLicence;
  /** What the slug is derived from: the source's own name for the record, else its title. */
  slugHint: string;
  metadata: HarvestedMetadata;
  landingPage: string | null;
  publisher: string | null;
}

export type RecordResult = { ok: true; record: SourceRecord } | { ok: false; record: string; reason: string };

/** One page of a source: its records, and the total the source says it holds (null: unknown). */
export interface SourcePage {
  results: RecordResult[];
  total: number | null;
}

/** A GET made for a run: bounded, public addresses only (see HarvestService.fetchText). */
export type FetchText = (
  url: string,
  accept: string,
) => Promise<{ text: string; contentType: string | null }>;

/** The catalogue could not be read to its end: a run that meets this withdraws nothing. */
export class HarvestFetchError extends Error {
  override name = 'HarvestFetchError';
}

/** A record that cannot become a dataset; it fails alone. */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** Texts of one field by language tag ('' = untagged). */
export type LanguageMap = Map<string, string>;

/**
 * The text to show: English if there is one (any `en-*`), else the untagged text, else the first
 * language given. The others are returned by tag, to keep as translations.
 */
export function pickLanguage(values: LanguageMap): { text: string | null; others: Map<string, string> } {
  const entries = [...values].filter(([, text]) => text.trim() !== '');
  const chosen =
    entries.find(([tag]) => tag.toLowerCase() === 'en') ??
    entries.find(([tag]) => tag.toLowerCase().startsWith('en-')) ??
    entries.find(([tag]) => tag === '') ??
    entries[0];
  const others = new Map(entries.filter((entry) => entry !== chosen && entry[0] !== ''));
  return { text: chosen ? chosen[1].trim() : null, others };
}

export function addTranslations(
  translations: DatasetTranslations,
  field: 'title' | 'description',
  others: Map<string, string>,
): void {
  for (const [tag, text] of others) {
    const key = tag.toLowerCase();
    translations[key] = { ...translations[key], [field]: text.trim() };
  }
}

/** A licence as the platform names it: an SPDX id where the table knows one, else as given. */
export function licenceFrom(value: string | null | undefined): string {
  return mapLicence(value).id;
}

/** What a record says about its licence beside the id: whether it is open, and whether the table knew it. */
export interface RecordLicence {
  isOpen: boolean;
  /** The licence as the source gave it, when the table does not know it (reported per run). */
  unmapped: string | null;
}

/**
 * The licence of a record from the forms a source gives (an id, a URL, a title), the first the
 * table knows winning; when it knows none, the URL (an IRI) is kept over the id. Open when the
 * table says so, or, for a licence it does not know, when the source marks it open.
 */
export function recordLicence(
  candidates: (string | null | undefined)[],
  markedOpen: boolean,
): { id: string } & RecordLicence {
  const given = candidates.map((value) => value?.trim()).filter((value): value is string => !!value);
  for (const value of given) {
    const mapped = mapLicence(value);
    if (mapped.isMapped) return { id: mapped.id, isOpen: mapped.isOpen ?? markedOpen, unmapped: null };
  }
  if (given.length === 0) return { id: 'unspecified', isOpen: false, unmapped: null };
  const original = given.find((value) => /^https?:\/\//i.test(value)) ?? given[0]!;
  return { id: original.slice(0, 500), isOpen: markedOpen, unmapped: original.slice(0, 500) };
}

/** `YYYY-MM-DD` from a date or date-time; anything else is not a date. */
export function dayOf(value: string | null | undefined): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value?.trim() ?? '');
  if (!match) return null;
  return Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`)) ? null : match[1]!;
}

/** An absolute http(s) URL, or null: resources and landing pages are links people will follow. */
export function webUrl(value: string | null | undefined, base?: string): string | null {
  if (!value?.trim()) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function words(values: (string | null | undefined)[], max: number): string[] {
  const kept: string[] = [];
  for (const value of values) {
    const word = value?.trim();
    if (word && word.length <= 100 && !kept.includes(word)) kept.push(word);
  }
  return kept.slice(0, max);
}

/** Applies the catalogue's limits (the same as /v1/datasets) to what a reader found. */
export function metadataOf(found: {
  title: string;
  description: string | null;
  licence: string;
  keywords: (string | null | undefined)[];
  themes: (string | null | undefined)[];
  updateFrequency: string | null;
  spatial: (string | null | undefined)[];
  temporalStart: string | null;
  temporalEnd: string | null;
  resources: DatasetResource[];
  translations: DatasetTranslations;
}): HarvestedMetadata {
  return {
    title: found.title.slice(0, 200),
    description: found.description ? found.description.slice(0, 10_000) : null,
    licence: found.licence,
    keywords: words(found.keywords, 50),
    themes: words(found.themes, 20),
    updateFrequency: found.updateFrequency ? found.updateFrequency.slice(0, 50) : null,
    spatial: words(found.spatial, 30),
    temporalStart: found.temporalStart,
    temporalEnd: found.temporalEnd,
    resources: found.resources.slice(0, 100),
    translations: found.translations,
  };
}

/** What a later run compares: the mapped record, not the source's bytes (which may reorder keys). */
export function recordHash(record: SourceRecord): string {
  const { metadata, landingPage, publisher } = record;
  return createHash('sha256')
    .update(canonicalize({ metadata, landingPage, publisher, licenceIsOpen: record.licence.isOpen }) ?? '')
    .digest('hex');
}

/** Reads a record defensively: a throw inside becomes that record's failure, never the run's. */
export function recordResult(position: string, read: () => SourceRecord): RecordResult {
  try {
    return { ok: true, record: read() };
  } catch (error) {
    const reason =
      error instanceof RecordError ? error.message : `cannot read the record: ${(error as Error).message}`;
    return { ok: false, record: position, reason };
  }
}
