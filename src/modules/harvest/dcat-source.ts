import jsonld from 'jsonld';
import { DataFactory, Parser, type Quad, type Quad_Object, type Quad_Subject, Store, type Term } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
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
import type { DcatFormat, HarvestOptions } from './schema.js';

/**
 * Reads a DCAT catalogue (DCAT 3, https://www.w3.org/TR/vocab-dcat-3/; DCAT-AP 3 properties) in
 * JSON-LD, Turtle or RDF/XML, parsed by real RDF libraries (jsonld, n3, rdfxml-streaming-parser)
 * into one graph per page. Paged catalogues name the next page with `hydra:next`
 * (https://www.hydra-cg.com/spec/latest/core/#collections), as the European Data Portal and
 * ckanext-dcat do; pages are followed until none is named.
 */
const { namedNode } = DataFactory;
const maxPages = 10_000;

const ns = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  schema: 'http://schema.org/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
};
const iri = (prefix: keyof typeof ns, local: string) => namedNode(`${ns[prefix]}${local}`);

const euAuthority = 'http://publications.europa.eu/resource/authority/';
/** EU data themes back to the words the platform's catalogue uses (see catalog/vocabularies.ts). */
const themeWords: Record<string, string> = {
  AGRI: 'agriculture',
  ECON: 'economy',
  EDUC: 'education',
  ENER: 'energy',
  ENVI: 'environment',
  GOVE: 'government',
  HEAL: 'health',
  INTR: 'international',
  JUST: 'justice',
  REGI: 'regions',
  SOCI: 'society',
  TECH: 'technology',
  TRAN: 'transport',
};

/** Which parser a response needs: its content type first, then the source's hint, then its first byte. */
export function syntaxOf(
  contentType: string | null,
  hint: DcatFormat | undefined,
  body: string,
): Exclude<DcatFormat, 'auto'> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/ld+json' || type === 'application/json') return 'json-ld';
  if (type === 'text/turtle' || type === 'application/n-triples' || type === 'application/x-turtle')
    return 'turtle';
  if (type === 'application/rdf+xml') return 'rdf-xml';
  if (hint && hint !== 'auto') return hint;
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') return 'json-ld';
  if (first === '<' && !/^<[^>\s]*>\s/.test(body.trimStart())) return 'rdf-xml';
  return 'turtle';
}

function parseTurtle(body: string, baseIRI: string): Quad[] {
  return new Parser({ baseIRI }).parse(body);
}

function parseRdfXml(body: string, baseIRI: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI, dataFactory: DataFactory });
    parser.on('data', (quad: Quad) => quads.push(quad));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(body);
    parser.end();
  });
}

async function parseJsonLd(body: string, base: string): Promise<Quad[]> {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const nquads = (await jsonld.toRDF(document as jsonld.JsonLdDocument, {
    base,
    format: 'application/n-quads',
    // A remote @context is a fetch the catalogue chooses: refused, so a source cannot steer the
    // platform's requests (SSRF) or stall a run. Catalogues inline their context, as DCAT-AP's do.
    documentLoader: async (url: string) => {
      throw new Error(`remote JSON-LD contexts are not fetched (${url}); inline the @context`);
    },
  })) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}

export async function parseCatalogue(
  body: string,
  syntax: Exclude<DcatFormat, 'auto'>,
  baseIRI: string,
): Promise<Store> {
  try {
    const quads =
      syntax === 'json-ld'
        ? await parseJsonLd(body, baseIRI)
        : syntax === 'rdf-xml'
          ? await parseRdfXml(body, baseIRI)
          : parseTurtle(body, baseIRI);
    return new Store(quads);
  } catch (error) {
    throw new HarvestFetchError(
      `${baseIRI} is not a readable ${syntax} catalogue: ${(error as Error).message}`,
    );
  }
}

// ---- reading one dataset ---------------------------------------------------------------------------

function objects(store: Store, subject: Term, predicate: Term): Quad_Object[] {
  return store.getObjects(subject as Quad_Subject, predicate as Quad_Object, null) as Quad_Object[];
}

function literals(store: Store, subject: Term, predicate: Term): LanguageMap {
  const values: LanguageMap = new Map();
  for (const object of objects(store, subject, predicate)) {
    if (object.termType === 'Literal' && !values.has(object.language))
      values.set(object.language, object.value);
  }
  return values;
}

const firstLiteral = (store: Store, subject: Term, predicate: Term) =>
  pickLanguage(literals(store, subject, predicate)).text;

const lastSegment = (value: string) =>
  decodeURIComponent(
    value
      .replace(/[/#]+$/, '')
      .split(/[/#]/)
      .pop() ?? value,
  );

/** A node's name: its label in the shown language, else its IRI's last segment, or a literal's text. */
function nameOf(store: Store, term: Term, ...labels: Term[]): string | null {
  if (term.termType === 'Literal') return term.value.trim() || null;
  for (const label of labels) {
    const found = firstLiteral(store, term, label);
    if (found) return found;
  }
  return term.termType === 'NamedNode' ? lastSegment(term.value) : null;
}

function themeOf(store: Store, term: Term): string | null {
  if (term.termType === 'NamedNode' && term.value.startsWith(`${euAuthority}data-theme/`)) {
    return themeWords[lastSegment(term.value)] ?? lastSegment(term.value).toLowerCase();
  }
  return nameOf(store, term, iri('skos', 'prefLabel'), iri('dct', 'title'));
}

function placeOf(store: Store, term: Term): string | null {
  if (term.termType === 'NamedNode' && /geonames\.org\/1819730\/?$/.test(term.value)) return 'hong-kong';
  return nameOf(store, term, iri('skos', 'prefLabel'), iri('dct', 'title'), iri('rdfs', 'label'));
}

function frequencyOf(store: Store, term: Term | undefined): string | null {
  if (!term) return null;
  if (term.termType === 'NamedNode' && term.value.startsWith(`${euAuthority}frequency/`)) {
    const code = lastSegment(term.value).toLowerCase();
    return code === 'annual'
      ? 'annual'
      : code === 'irreg'
        ? 'irregular'
        : code === 'cont'
          ? 'continuous'
          : code;
  }
  return nameOf(store, term, iri('skos', 'prefLabel'));
}

function periodOf(store: Store, term: Term | undefined): { start: string | null; end: string | null } {
  if (!term) return { start: null, end: null };
  const day = (...predicates: Term[]) => {
    for (const predicate of predicates) {
      const value = objects(store, term, predicate).find((object) => object.termType === 'Literal');
      if (value) return dayOf(value.value);
    }
    return null;
  };
  return {
    start: day(iri('dcat', 'startDate'), iri('schema', 'startDate')),
    end: day(iri('dcat', 'endDate'), iri('schema', 'endDate')),
  };
}

function mediaTypeOf(term: Term | undefined): string | null {
  if (!term) return null;
  const match = /\/media-types\/(.+)$/.exec(term.value);
  return match ? match[1]! : term.termType === 'Literal' ? term.value : null;
}

function distributionOf(store: Store, node: Term, index: number, base: string): DatasetResource | null {
  const url =
    webUrl(objects(store, node, iri('dcat', 'downloadURL'))[0]?.value, base) ??
    webUrl(objects(store, node, iri('dcat', 'accessURL'))[0]?.value, base);
  if (!url) return null;
  const formatTerm = objects(store, node, iri('dct', 'format'))[0];
  const format = formatTerm ? nameOf(store, formatTerm, iri('skos', 'prefLabel')) : null;
  return {
    name: (firstLiteral(store, node, iri('dct', 'title')) ?? format ?? `Distribution ${index + 1}`).slice(
      0,
      200,
    ),
    format,
    url,
    mediaType: mediaTypeOf(objects(store, node, iri('dcat', 'mediaType'))[0]),
  };
}

/** Maps one dcat:Dataset; throws RecordError when it has no identifier or no title. */
export function mapDcatDataset(store: Store, node: Quad_Subject, base: string): SourceRecord {
  const identifier = firstLiteral(store, node, iri('dct', 'identifier'));
  const originalId = identifier ?? (node.termType === 'NamedNode' ? node.value : null);
  if (!originalId) throw new RecordError('a dataset without an IRI has no dct:identifier');
  const translations: DatasetTranslations = {};
  const title = pickLanguage(literals(store, node, iri('dct', 'title')));
  if (!title.text) throw new RecordError(`dataset ${originalId} has no dct:title`);
  addTranslations(translations, 'title', title.others);
  const description = pickLanguage(literals(store, node, iri('dct', 'description')));
  addTranslations(translations, 'description', description.others);
  const publisherTerm = objects(store, node, iri('dct', 'publisher'))[0];
  const distributions = objects(store, node, iri('dcat', 'distribution'));
  const licenceTerm =
    objects(store, node, iri('dct', 'license'))[0] ??
    distributions.map((part) => objects(store, part, iri('dct', 'license'))[0]).find(Boolean);
  // DCAT has no licence verdict: public access rights (the EU vocabulary's PUBLIC) mark a record
  // open for a licence the table does not know.
  const isPublic = objects(store, node, iri('dct', 'accessRights')).some((term) =>
    /\/access-right\/PUBLIC$/i.test(term.value),
  );
  const licence = recordLicence(
    licenceTerm?.termType === 'NamedNode'
      ? [licenceTerm.value]
      : [licenceTerm ? nameOf(store, licenceTerm, iri('dct', 'identifier'), iri('dct', 'title')) : null],
    isPublic,
  );
  const period = periodOf(store, objects(store, node, iri('dct', 'temporal'))[0]);
  // Keywords in every language are kept: each is a word someone may search for.
  const keywords = objects(store, node, iri('dcat', 'keyword'))
    .filter((keyword) => keyword.termType === 'Literal')
    .map((keyword) => keyword.value);
  return {
    originalId,
    licence: { isOpen: licence.isOpen, unmapped: licence.unmapped },
    slugHint: title.text,
    metadata: metadataOf({
      title: title.text,
      description: description.text,
      licence: licence.id,
      keywords,
      themes: objects(store, node, iri('dcat', 'theme')).map((theme) => themeOf(store, theme)),
      updateFrequency: frequencyOf(store, objects(store, node, iri('dct', 'accrualPeriodicity'))[0]),
      spatial: objects(store, node, iri('dct', 'spatial')).map((place) => placeOf(store, place)),
      temporalStart: period.start,
      temporalEnd: period.end,
      resources: distributions
        .map((part, index) => distributionOf(store, part, index, base))
        .filter((resource): resource is DatasetResource => resource !== null),
      translations,
    }),
    landingPage: webUrl(objects(store, node, iri('dcat', 'landingPage'))[0]?.value),
    publisher: publisherTerm
      ? nameOf(store, publisherTerm, iri('foaf', 'name'), iri('vcard', 'fn'), iri('skos', 'prefLabel'))
      : null,
  };
}

// ---- paging ----------------------------------------------------------------------------------------

const accept =
  'application/ld+json, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/n-triples;q=0.7';

/** The catalogue's datasets, a page at a time; throws HarvestFetchError when a page cannot be read. */
export async function* readDcat(
  url: string,
  options: HarvestOptions,
  fetchText: FetchText,
): AsyncGenerator<SourcePage> {
  const visited = new Set<string>();
  let next: string | null = url;
  for (let page = 0; next && page < maxPages; page++) {
    if (visited.has(next)) throw new HarvestFetchError(`${next}: the pages link back to an earlier page`);
    visited.add(next);
    const pageUrl: string = next;
    const { text, contentType } = await fetchText(pageUrl, accept);
    const store = await parseCatalogue(text, syntaxOf(contentType, options.format, text), pageUrl);
    const datasets = store.getSubjects(iri('rdf', 'type'), iri('dcat', 'Dataset'), null);
    const results = datasets.map((node, index) =>
      recordResult(node.termType === 'NamedNode' ? node.value : `${pageUrl} #${index + 1}`, () =>
        mapDcatDataset(store, node, pageUrl),
      ),
    );
    const totalTerm = store.getObjects(null, iri('hydra', 'totalItems'), null)[0];
    yield { results, total: totalTerm ? Number(totalTerm.value) : null };
    const nextTerm =
      store.getObjects(null, iri('hydra', 'next'), null)[0] ??
      store.getObjects(null, iri('hydra', 'nextPage'), null)[0];
    next = nextTerm ? webUrl(nextTerm.value, pageUrl) : null;
  }
  if (next) throw new HarvestFetchError(`${url} has more than ${maxPages} pages`);
}
