import { describe, expect, it } from 'vitest';
import { matchesSolr, parseSolrQuery, type SolrDocument, SolrSyntaxError } from './solr-query.js';

interface Doc {
  text: string;
  title: string;
  organization: string[];
  groups: string[];
  metadata_modified: string;
}

const docs: Record<string, Doc> = {
  energy: {
    text: 'park energy use\nmonthly electricity of the buildings',
    title: 'Park energy use',
    organization: ['bank'],
    groups: ['energy'],
    metadata_modified: '2024-03-01T10:00:00.000000',
  },
  water: {
    text: 'water quality\nsamples from the harbour',
    title: 'Water quality',
    organization: ['utility'],
    groups: ['environment'],
    metadata_modified: '2023-06-01T08:00:00.000000',
  },
  startups: {
    text: 'startups by district',
    title: 'Startups by district',
    organization: ['bank'],
    groups: ['economy'],
    metadata_modified: '2024-05-10T00:00:00.000000',
  },
};

const documentOf = (doc: Doc): SolrDocument => ({
  values: (field) => {
    if (field === null || field === 'text') return { values: [doc.text], isText: true, isDate: false };
    if (field === 'title') return { values: [doc.title], isText: true, isDate: false };
    if (field === 'metadata_modified')
      return { values: [doc.metadata_modified], isText: false, isDate: true };
    return { values: doc[field as 'organization' | 'groups'] ?? [], isText: false, isDate: false };
  },
});

const found = (query: string) =>
  Object.entries(docs)
    .filter(([, doc]) =>
      matchesSolr(parseSolrQuery(query), documentOf(doc), new Date('2024-06-01T00:00:00Z')),
    )
    .map(([name]) => name)
    .sort();

describe('Solr queries as CKAN clients send them', () => {
  it('reads the fq a CKAN harvester sends: publishers joined by OR, changes since a time', () => {
    expect(found('organization:bank OR organization:utility')).toEqual(['energy', 'startups', 'water']);
    expect(found('metadata_modified:[2024-01-01T00:00:00Z TO *]')).toEqual(['energy', 'startups']);
    expect(found('-organization:utility')).toEqual(['energy', 'startups']);
    expect(found('-organization:utility -organization:bank')).toEqual([]);
  });

  it('reads field:value, trailing and inner wildcards, quoted phrases, AND, OR and NOT', () => {
    expect(found('groups:energy')).toEqual(['energy']);
    expect(found('energ*')).toEqual(['energy']);
    expect(found('title:star*')).toEqual(['startups']);
    expect(found('w?ter')).toEqual(['water']);
    expect(found('"park energy"')).toEqual(['energy']);
    expect(found('"energy park"')).toEqual([]);
    expect(found('organization:bank AND groups:economy')).toEqual(['startups']);
    expect(found('organization:bank NOT groups:economy')).toEqual(['energy']);
    expect(found('organization:bank AND NOT groups:economy')).toEqual(['energy']);
    expect(found('(groups:energy OR groups:environment) AND metadata_modified:[NOW-6MONTHS TO NOW]')).toEqual(
      ['energy'],
    );
    expect(found('title:(water OR startups)')).toEqual(['startups', 'water']);
    expect(found('*:*')).toEqual(['energy', 'startups', 'water']);
    expect(found('')).toEqual(['energy', 'startups', 'water']);
    // The default operator is AND, as in CKAN's Solr schema: every word must be found.
    expect(found('park harbour')).toEqual([]);
    expect(found('park OR harbour')).toEqual(['energy', 'water']);
  });

  it('follows Lucene: OR makes the clauses around it optional, a required clause still holds', () => {
    // `a OR b c`: a and b optional, c required, so c decides (Lucene's classic parser).
    expect(found('groups:energy OR groups:environment metadata_modified:[2024-01-01 TO *]')).toEqual([
      'energy',
      'startups',
    ]);
  });

  it('refuses what it cannot read, saying where', () => {
    expect(() => parseSolrQuery('title:(energy')).toThrow(SolrSyntaxError);
    expect(() => parseSolrQuery('name:/ab+c/')).toThrow(/regular expressions/);
    expect(() => found('metadata_modified:[yesterday TO *]')).toThrow(/not a date/);
  });
});
