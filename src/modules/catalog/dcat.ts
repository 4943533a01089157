import {
  DataFactory,
  type NamedNode,
  type Quad,
  type Quad_Object,
  type Quad_Subject,
  type Term,
  Writer,
} from 'n3';
import type { Organisation } from '../identity/service.js';
import { dcatApProfile } from './dcat-ap-shapes.js';
import { type ApiItem, type Catalogue, type DatasetItem, distributionsOf } from './listing.js';
import { isListedDataset } from './visibility.js';
import {
  accessRightsIri,
  frequencyIri,
  isIri,
  licenceOf,
  mediaTypeIri,
  placeIri,
  spdxIri,
  themeIri,
} from './vocabularies.js';

const { namedNode, literal, blankNode, quad } = DataFactory;

/**
 * The catalogue as DCAT-AP 3 (https://semiceu.github.io/DCAT-AP/releases/3.0.0/): one dcat:Catalog
 * with a dcat:Dataset per dataset (publisher, licence, themes, spatial and temporal coverage,
 * frequency, distributions) and a dcat:DataService per API. The graph is built once, as RDF quads;
 * Turtle and N-Triples are written from it by n3's Writer, and JSON-LD by `toJsonLd` below, so the
 * serialisations cannot say different things.
 */
export const rdfPrefixes = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const rdfLangString = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const vocabulary =
  (prefix: keyof typeof rdfPrefixes) =>
  (local: string): NamedNode =>
    namedNode(`${rdfPrefixes[prefix]}${local}`);
const dcat = vocabulary('dcat');
const dct = vocabulary('dct');
const foaf = vocabulary('foaf');
const rdfs = vocabulary('rdfs');
const skos = vocabulary('skos');
const vcard = vocabulary('vcard');
const xsd = vocabulary('xsd');

class Graph {
  readonly quads: Quad[] = [];
  private readonly described = new Set<string>();

  add(subject: Quad_Subject, predicate: NamedNode, object: Quad_Object): void {
    this.quads.push(quad(subject, predicate, object));
  }

  type(subject: Quad_Subject, ...types: NamedNode[]): void {
    for (const type of types) this.add(subject, namedNode(rdfType), type);
  }

  /** A text value; a blank one says nothing, so it is left out (and a mandatory property is missing). */
  text(subject: Quad_Subject, predicate: NamedNode, value: string | null | undefined): void {
    if (value?.trim()) this.add(subject, predicate, literal(value));
  }

  /**
   * A web address: an IRI when it is one, otherwise the text as the source gave it (a relative
   * path, "see website"), which the shapes then report instead of the graph claiming a resource.
   */
  link(subject: Quad_Subject, predicate: NamedNode, value: string): void {
    this.add(subject, predicate, isIri(value) ? namedNode(value) : literal(value));
  }

  dateTime(subject: Quad_Subject, predicate: NamedNode, value: Date): void {
    this.add(subject, predicate, literal(value.toISOString(), xsd('dateTime')));
  }

  /** Describes a shared node (a publisher, a theme, a place) once, however many items point at it. */
  once(iri: string, describe: (node: NamedNode) => void): NamedNode {
    const node = namedNode(iri);
    if (!this.described.has(iri)) {
      this.described.add(iri);
      describe(node);
    }
    return node;
  }
}

function publisherNode(
  graph: Graph,
  baseUrl: string,
  orgId: string,
  org: Organisation | undefined,
): NamedNode {
  return graph.once(`${baseUrl}/v1/orgs/${orgId}`, (node) => {
    graph.type(node, foaf('Agent'), foaf('Organization'));
    graph.text(node, foaf('name'), org?.name ?? orgId);
    graph.text(node, dct('identifier'), org?.slug);
  });
}

function licenceNode(graph: Graph, id: string): Quad_Object {
  const spdx = spdxIri(id);
  if (spdx) {
    return graph.once(spdx, (node) => {
      graph.type(node, dct('LicenseDocument'));
      graph.text(node, rdfs('label'), licenceOf(id).title);
    });
  }
  // A harvested licence the table did not map keeps its source's IRI.
  if (isIri(id)) {
    return graph.once(id, (node) => {
      graph.type(node, dct('LicenseDocument'));
    });
  }
  const node = blankNode();
  graph.type(node, dct('LicenseDocument'));
  graph.text(node, rdfs('label'), id);
  return node;
}

function describeDataset(
  graph: Graph,
  item: DatasetItem,
  catalogue: Catalogue,
  baseUrl: string,
  queryService: NamedNode,
): NamedNode {
  const { dataset, version } = item;
  const node = namedNode(`${baseUrl}/v1/datasets/${dataset.id}`);
  graph.type(node, dcat('Dataset'));
  graph.text(node, dct('identifier'), dataset.id);
  graph.text(node, dct('title'), dataset.title);
  // DCAT-AP requires a description; a dataset without one is described by its title.
  graph.text(node, dct('description'), dataset.description?.trim() ? dataset.description : dataset.title);
  graph.add(
    node,
    dct('publisher'),
    publisherNode(graph, baseUrl, dataset.orgId, catalogue.publishers.get(dataset.orgId)),
  );
  // DCAT-AP recommends a contact point: the publisher, or for a harvested dataset the source's.
  const contact = graph.once(`${node.value}#contact`, (point) => {
    graph.type(point, vcard('Kind'), vcard('Organization'));
    graph.text(
      point,
      vcard('fn'),
      dataset.origin?.publisher ?? catalogue.publishers.get(dataset.orgId)?.name ?? dataset.orgId,
    );
    graph.link(point, vcard('hasURL'), dataset.origin?.landingPage ?? `${baseUrl}/v1/orgs/${dataset.orgId}`);
  });
  graph.add(node, dcat('contactPoint'), contact);
  const licence = licenceNode(graph, dataset.licence);
  graph.add(node, dct('license'), licence);
  graph.add(node, dct('accessRights'), namedNode(accessRightsIri(item.isOpen)));
  for (const keyword of dataset.keywords) graph.text(node, dcat('keyword'), keyword);
  for (const theme of dataset.themes) {
    const known = themeIri(theme);
    const themeNode =
      known !== null
        ? namedNode(known)
        : graph.once(`${baseUrl}/catalog/themes/${encodeURIComponent(theme.toLowerCase())}`, (concept) => {
            graph.type(concept, skos('Concept'));
            graph.text(concept, skos('prefLabel'), theme);
          });
    graph.add(node, dcat('theme'), themeNode);
  }
  for (const place of dataset.spatial) {
    const placeNode = graph.once(placeIri(place, baseUrl), (location) => {
      graph.type(location, dct('Location'));
      graph.text(location, skos('prefLabel'), place);
    });
    graph.add(node, dct('spatial'), placeNode);
  }
  if (dataset.temporalStart || dataset.temporalEnd) {
    const period = blankNode();
    graph.type(period, dct('PeriodOfTime'));
    if (dataset.temporalStart)
      graph.add(period, dcat('startDate'), literal(dataset.temporalStart, xsd('date')));
    if (dataset.temporalEnd) graph.add(period, dcat('endDate'), literal(dataset.temporalEnd, xsd('date')));
    graph.add(node, dct('temporal'), period);
  }
  if (dataset.updateFrequency)
    graph.add(node, dct('accrualPeriodicity'), namedNode(frequencyIri(dataset.updateFrequency)));
  if (version) graph.text(node, dcat('version'), String(version.version));
  if (dataset.origin?.landingPage) graph.link(node, dcat('landingPage'), dataset.origin.landingPage);
  if (dataset.origin?.publisher) {
    const creator = blankNode();
    graph.type(creator, foaf('Agent'));
    graph.text(creator, foaf('name'), dataset.origin.publisher);
    graph.add(node, dct('creator'), creator);
  }
  for (const [language, text] of Object.entries(dataset.translations)) {
    if (text.title) graph.add(node, dct('title'), literal(text.title, language));
    if (text.description) graph.add(node, dct('description'), literal(text.description, language));
  }
  graph.dateTime(node, dct('issued'), dataset.createdAt);
  graph.dateTime(node, dct('modified'), dataset.updatedAt);
  for (const distribution of distributionsOf(item, baseUrl)) {
    const part = namedNode(`${node.value}#${distribution.key}`);
    graph.type(part, dcat('Distribution'));
    graph.text(part, dct('title'), distribution.title);
    graph.text(part, dct('description'), distribution.description);
    graph.link(part, dcat('accessURL'), distribution.accessUrl);
    if (distribution.downloadUrl) graph.link(part, dcat('downloadURL'), distribution.downloadUrl);
    if (distribution.format) {
      graph.link(part, dct('format'), distribution.format.fileType);
      graph.link(part, dcat('mediaType'), mediaTypeIri(distribution.format.mediaType));
    }
    if (distribution.key === 'query') graph.add(part, dcat('accessService'), queryService);
    graph.add(part, dct('license'), licence);
    graph.add(node, dcat('distribution'), part);
  }
  graph.add(queryService, dcat('servesDataset'), node);
  return node;
}

/** An API's licence: the terms of the plan a consumer subscribes to, the same for every API here. */
function subscriptionTerms(graph: Graph, baseUrl: string): NamedNode {
  return graph.once(`${baseUrl}/catalog#subscription-terms`, (terms) => {
    graph.type(terms, dct('LicenseDocument'));
    graph.text(terms, rdfs('label'), 'The terms of the subscribed plan: rate limit, quota and approval');
  });
}

function describeApi(graph: Graph, item: ApiItem, catalogue: Catalogue, baseUrl: string): NamedNode {
  const { api, version } = item;
  const node = namedNode(`${baseUrl}/v1/apis/${api.id}`);
  const [document] = distributionsOf(item, baseUrl);
  graph.type(node, dcat('DataService'));
  graph.text(node, dct('identifier'), api.id);
  graph.text(node, dct('title'), api.title);
  graph.text(node, dct('description'), api.description || api.title);
  graph.add(
    node,
    dct('publisher'),
    publisherNode(graph, baseUrl, api.orgId, catalogue.publishers.get(api.orgId)),
  );
  graph.add(node, dct('accessRights'), namedNode(accessRightsIri(item.isPublic)));
  graph.add(node, dct('license'), subscriptionTerms(graph, baseUrl));
  graph.add(node, dcat('endpointURL'), namedNode(`${baseUrl}/gw/${api.slug}/`));
  graph.add(node, dcat('endpointDescription'), namedNode(document!.accessUrl));
  for (const tag of api.tags) graph.text(node, dcat('keyword'), tag);
  graph.text(node, dcat('version'), version.version);
  graph.dateTime(node, dct('issued'), api.createdAt);
  graph.dateTime(node, dct('modified'), api.updatedAt);
  return node;
}

/** The catalogue's RDF graph. Drafts are left out: a catalogue lists what is published. */
export function catalogGraph(catalogue: Catalogue, baseUrl: string): Quad[] {
  const graph = new Graph();
  const catalog = namedNode(`${baseUrl}/catalog`);
  graph.type(catalog, dcat('Catalog'));
  graph.text(catalog, dct('title'), 'STP Platform catalogue');
  graph.text(
    catalog,
    dct('description'),
    "Datasets and APIs of the science park's data community: open data to download, and data products and APIs to use under an agreement or a subscription.",
  );
  graph.add(catalog, foaf('homepage'), namedNode(`${baseUrl}/`));
  graph.add(catalog, dct('conformsTo'), namedNode(dcatApProfile));
  const operator = graph.once(`${baseUrl}/#operator`, (node) => {
    graph.type(node, foaf('Agent'));
    graph.text(node, foaf('name'), 'STP Platform');
  });
  graph.add(catalog, dct('publisher'), operator);
  const queryService = namedNode(`${baseUrl}/v1/query`);
  graph.type(queryService, dcat('DataService'));
  graph.text(queryService, dct('title'), 'Governed SQL query');
  graph.text(
    queryService,
    dct('description'),
    "SQL over the datasets you may read, through views compiled from your agreements' terms (masks, filters, limits).",
  );
  graph.add(queryService, dct('publisher'), operator);
  graph.add(
    queryService,
    dct('license'),
    graph.once(`${baseUrl}/catalog#agreement-terms`, (terms) => {
      graph.type(terms, dct('LicenseDocument'));
      graph.text(
        terms,
        rdfs('label'),
        "Each dataset's own licence for open data; otherwise the terms of the caller's agreement",
      );
    }),
  );
  graph.add(queryService, dcat('endpointURL'), queryService);
  graph.add(queryService, dcat('endpointDescription'), namedNode(`${baseUrl}/openapi.json`));
  graph.add(catalog, dcat('service'), queryService);
  let modified: Date | null = null;
  for (const item of catalogue.items) {
    if (item.kind === 'dataset') {
      if (!isListedDataset(item.dataset)) continue;
      graph.add(catalog, dcat('dataset'), describeDataset(graph, item, catalogue, baseUrl, queryService));
      if (!modified || item.dataset.updatedAt > modified) modified = item.dataset.updatedAt;
    } else {
      graph.add(catalog, dcat('service'), describeApi(graph, item, catalogue, baseUrl));
      if (!modified || item.api.updatedAt > modified) modified = item.api.updatedAt;
    }
  }
  if (modified) graph.dateTime(catalog, dct('modified'), modified);
  return graph.quads;
}

export type RdfSyntax = 'text/turtle' | 'application/n-triples';

export function writeRdf(quads: Quad[], syntax: RdfSyntax): Promise<string> {
  return new Promise((resolve, reject) => {
    const writer = new Writer(
      syntax === 'text/turtle' ? { prefixes: rdfPrefixes, format: 'Turtle' } : { format: 'N-Triples' },
    );
    writer.addQuads(quads);
    writer.end((error, result: string) => (error ? reject(error) : resolve(result)));
  });
}

/** A prefixed name (`dcat:Dataset`) where a prefix covers the IRI, else the IRI itself. */
function compactIri(iri: string): string {
  for (const [prefix, namespace] of Object.entries(rdfPrefixes)) {
    if (iri.startsWith(namespace)) {
      const local = iri.slice(namespace.length);
      if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(local)) return `${prefix}:${local}`;
    }
  }
  return iri;
}

const keyOf = (term: Term) => `${term.termType}:${term.value}`;

/**
 * Quads as a JSON-LD 1.1 document (https://www.w3.org/TR/json-ld11/): an `@context` of the same
 * prefixes as the Turtle, and an `@graph` of node objects, one per subject, with blank nodes that
 * are used once (periods of time, unnamed licences) embedded where they are used. Literals keep
 * their datatype; plain strings are written as JSON strings.
 */
export function toJsonLd(quads: Quad[]): { '@context': Record<string, string>; '@graph': object[] } {
  const bySubject = new Map<string, Quad[]>();
  const uses = new Map<string, number>();
  for (const entry of quads) {
    const key = keyOf(entry.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), entry]);
    if (entry.object.termType === 'BlankNode')
      uses.set(keyOf(entry.object), (uses.get(keyOf(entry.object)) ?? 0) + 1);
  }
  const embedded = new Set([...uses].filter(([, count]) => count === 1).map(([key]) => key));
  const objectOf = (term: Term): unknown => {
    if (term.termType === 'NamedNode') return { '@id': term.value };
    if (term.termType === 'BlankNode') {
      return embedded.has(keyOf(term)) && bySubject.has(keyOf(term))
        ? nodeOf(term)
        : { '@id': `_:${term.value}` };
    }
    if (term.termType === 'Literal') {
      if (term.language) return { '@value': term.value, '@language': term.language };
      const datatype = term.datatype.value;
      if (datatype === `${rdfPrefixes.xsd}string` || datatype === rdfLangString) return term.value;
      return { '@value': term.value, '@type': compactIri(datatype) };
    }
    throw new Error(`cannot write a ${term.termType} in JSON-LD`);
  };
  const nodeOf = (subject: Term): Record<string, unknown> => {
    const node: Record<string, unknown> = {};
    if (!(subject.termType === 'BlankNode' && embedded.has(keyOf(subject)))) {
      node['@id'] = subject.termType === 'BlankNode' ? `_:${subject.value}` : subject.value;
    }
    const types: string[] = [];
    const properties = new Map<string, unknown[]>();
    for (const { predicate, object } of bySubject.get(keyOf(subject)) ?? []) {
      if (predicate.value === rdfType) types.push(compactIri(object.value));
      else {
        const name = compactIri(predicate.value);
        properties.set(name, [...(properties.get(name) ?? []), objectOf(object)]);
      }
    }
    if (types.length > 0) node['@type'] = types.length === 1 ? types[0] : types;
    for (const [name, values] of properties) node[name] = values.length === 1 ? values[0] : values;
    return node;
  };
  const graph = [...bySubject.values()]
    .map((subjectQuads) => subjectQuads[0]!.subject)
    .filter((subject) => !(subject.termType === 'BlankNode' && embedded.has(keyOf(subject))))
    .map(nodeOf);
  return { '@context': { ...rdfPrefixes }, '@graph': graph };
}
