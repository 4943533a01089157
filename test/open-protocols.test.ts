import jsonld from 'jsonld';
import { Parser, Store, Writer } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildingEnergyOpenApi } from '../src/demo/building-energy.js';
import { publishDemoApi } from './api-hub.js';
import { customersCsv, grantAccess, publishDataset } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';

const base = 'http://localhost:80';
const ns = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

function energyCsv(): string {
  const lines = ['month,district,kwh,buildings'];
  for (let i = 1; i <= 12; i++)
    lines.push(`2023-${String(i).padStart(2, '0')},Sha Tin,${1000 + i * 10.5},${10 + i}`);
  return `${lines.join('\n')}\n`;
}

interface CkanAnswer<T = unknown> {
  help: string;
  success: boolean;
  result: T;
  error?: { __type: string; message: string; [field: string]: unknown };
}

interface CkanPackage {
  id: string;
  name: string;
  type: string;
  private: boolean;
  state: string;
  title: string;
  license_id: string | null;
  organization: { name: string; title: string } | null;
  tags: { name: string }[];
  groups: { name: string }[];
  resources: { id: string; format: string; url: string }[];
  extras: { key: string; value: string }[];
}

interface SearchResult {
  count: number;
  results: CkanPackage[];
  facets: Record<string, Record<string, number>>;
  search_facets: Record<string, { items: { name: string; display_name: string; count: number }[] }>;
}

describe.each(dbTargets)('open protocols: CKAN and DCAT (%s)', (target) => {
  let platform: TestPlatform;
  let bank: Tenant;
  let fintech: Tenant;
  let insurer: Tenant;
  let bankToken: string;
  let fintechToken: string;
  let insurerToken: string;
  let energy: { id: string; slug: string };
  let startups: { id: string; slug: string };
  let customers: { id: string; slug: string };
  let draft: { id: string; slug: string };
  let publicApi: { id: string; slug: string };
  let privateApi: { id: string; slug: string };

  async function ckan<T>(action: string, query = '', headers: Record<string, string> = {}) {
    const response = await platform.app.inject({
      url: `/api/3/action/${action}${query ? `?${query}` : ''}`,
      headers,
    });
    return { status: response.statusCode, body: response.json() as CkanAnswer<T> };
  }

  async function tokenOf(tenant: Tenant): Promise<string> {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: tenant.headers,
      payload: { name: 'ckan client' },
    });
    return response.json().secret as string;
  }

  async function catalogueCount(tenant: Tenant): Promise<number> {
    const datasets = await platform.app.inject({ url: '/v1/datasets?limit=200', headers: tenant.headers });
    const apis = await platform.app.inject({ url: '/v1/apis?limit=200', headers: tenant.headers });
    return datasets.json().items.length + apis.json().items.length;
  }

  async function turtle(): Promise<Store> {
    const response = await platform.app.inject({ url: '/catalog', headers: { accept: 'text/turtle' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/turtle/);
    return new Store(new Parser({ format: 'text/turtle' }).parse(response.body));
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    bank = await createTenant(platform, { kinds: ['provider'] });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    insurer = await createTenant(platform, { kinds: ['consumer'] });
    energy = await publishDataset(platform, bank, {
      title: 'Park energy use',
      slug: 'park_energy',
      licence: 'CC-BY-4.0',
      content: energyCsv(),
      classifications: { month: 'public', district: 'public', kwh: 'public', buildings: 'public' },
    });
    const patched = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${energy.id}`,
      headers: bank.headers,
      payload: {
        description: 'Monthly electricity use of the park buildings',
        keywords: ['electricity', 'buildings'],
        themes: ['energy', 'innovation'],
        spatial: ['hong-kong', 'Sha Tin'],
        temporalStart: '2023-01-01',
        temporalEnd: '2023-12-31',
        updateFrequency: 'monthly',
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    startups = await publishDataset(platform, bank, {
      title: 'Startups by district',
      slug: 'startups',
      licence: 'CC0-1.0',
      content: 'district,startups\nSha Tin,40\nKwun Tong,25\n',
      classifications: { district: 'public', startups: 'public' },
    });
    customers = await publishDataset(platform, bank, {
      title: 'Bank customers',
      slug: 'bank_customers',
      content: customersCsv(20),
      classifications: {
        customer_id: 'identifier',
        full_name: 'personal',
        email: 'personal',
        balance: 'sensitive',
      },
    });
    draft = await publishDataset(platform, bank, {
      title: 'Unreleased draft',
      slug: 'unreleased',
      licence: 'CC-BY-4.0',
      content: 'a,b\n1,2\n',
      classifications: { a: 'public', b: 'public' },
      publish: false,
    });
    await grantAccess(platform, fintech, bank, customers.id, {
      columns: ['customer_id', 'district', 'age'],
      wantsDownload: true,
      terms: { masks: { customer_id: { kind: 'hash' } } },
    });
    ({ api: publicApi } = await publishDemoApi(platform, bank, {
      slug: 'building-energy',
      upstreamUrl: 'http://127.0.0.1:9',
    }));
    const imported = await platform.app.inject({
      method: 'POST',
      url: '/v1/apis',
      headers: bank.headers,
      payload: {
        document: buildingEnergyOpenApi,
        slug: 'internal-energy',
        upstreamUrl: 'http://127.0.0.1:9',
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    privateApi = imported.json();
    [bankToken, fintechToken, insurerToken] = await Promise.all([
      tokenOf(bank),
      tokenOf(fintech),
      tokenOf(insurer),
    ]);
  });
  afterAll(async () => platform?.dispose());

  // ---- CKAN ----

  it('answers status_show in the CKAN envelope', async () => {
    const { status, body } = await ckan<{ ckan_version: string; site_url: string }>('status_show');
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.help).toBe(`${base}/api/3/action/help_show?name=status_show`);
    expect(body.result.ckan_version).toMatch(/^2\.\d+/);
    expect(body.result.site_url).toBe(base);
  });

  it('shows anonymous callers public packages only', async () => {
    const { body } = await ckan<SearchResult>(
      'package_search',
      'rows=100&include_private=true&include_drafts=true',
    );
    const names = body.result.results.map((pkg) => pkg.name).sort();
    expect(names).toEqual(['api-building-energy', 'park_energy', 'startups']);
    expect(body.result.count).toBe(3);
    expect(body.result.results.every((pkg) => !pkg.private)).toBe(true);
    const list = await ckan<string[]>('package_list');
    expect(list.body.result).toEqual(['api-building-energy', 'park_energy', 'startups']);
    for (const id of [customers.id, 'bank_customers', draft.id, privateApi.id, 'api-internal-energy']) {
      const hidden = await ckan('package_show', `id=${id}`);
      expect(hidden.status, id).toBe(404);
      expect(hidden.body.success).toBe(false);
      expect(hidden.body.error?.__type).toBe('Not Found Error');
    }
  });

  it('shows private packages to entitled callers, with a download resource only where they may download', async () => {
    // CKAN clients send the token bare in Authorization; Bearer and X-CKAN-API-Key work too.
    const asFintech = await ckan<CkanPackage>('package_show', 'id=bank_customers', {
      authorization: fintechToken,
    });
    expect(asFintech.status).toBe(200);
    expect(asFintech.body.result.private).toBe(true);
    expect(asFintech.body.result.resources.map((resource) => resource.format)).toEqual([
      'API',
      'Parquet',
      'CSV',
    ]);
    const asInsurer = await ckan<CkanPackage>('package_show', `id=${customers.id}`, {
      authorization: `Bearer ${insurerToken}`,
    });
    expect(asInsurer.status).toBe(200);
    expect(asInsurer.body.result.resources.map((resource) => resource.format)).toEqual(['API']);
    const draftByOwner = await ckan<CkanPackage>('package_show', 'id=unreleased', {
      'x-ckan-api-key': bankToken,
    });
    expect(draftByOwner.body.result.state).toBe('draft');
    const draftByOther = await ckan('package_show', 'id=unreleased', { authorization: fintechToken });
    expect(draftByOther.status).toBe(404);
    const privateApiByOwner = await ckan<CkanPackage>('package_show', 'id=api-internal-energy', {
      authorization: bankToken,
    });
    expect(privateApiByOwner.body.result).toMatchObject({ type: 'api', private: true });
    const forged = await ckan('package_search', '', { authorization: 'stp_pat_forged' });
    expect(forged.status).toBe(403);
    expect(forged.body.error?.__type).toBe('Authorization Error');
  });

  it('returns the same counts from a CKAN-style search as the catalogue lists for the same caller', async () => {
    for (const [tenant, token] of [
      [bank, bankToken],
      [fintech, fintechToken],
      [insurer, insurerToken],
    ] as const) {
      const { body } = await ckan<SearchResult>(
        'package_search',
        'rows=0&include_private=true&include_drafts=true',
        {
          authorization: token,
        },
      );
      expect(body.result.count).toBe(await catalogueCount(tenant));
    }
    // Anonymous: what the public catalogue (DCAT) lists.
    const store = await turtle();
    const datasets = store.getSubjects(`${ns.rdf}type`, `${ns.dcat}Dataset`, null).length;
    const anonymous = await ckan<SearchResult>('package_search', 'fq=type:dataset&rows=0');
    expect(anonymous.body.result.count).toBe(datasets);
    // CKAN's default leaves out private packages and drafts, as CKAN does.
    const defaults = await ckan<SearchResult>('package_search', 'rows=0', { authorization: bankToken });
    expect(defaults.body.result.count).toBe(3);
  });

  it('searches with q, fq, sort, paging and facets', async () => {
    const headers = { authorization: bankToken };
    const byWord = await ckan<SearchResult>(
      'package_search',
      `q=${encodeURIComponent('"electricity use" park')}`,
      headers,
    );
    expect(byWord.body.result.results.map((pkg) => pkg.name)).toEqual(['park_energy']);
    const byTag = await ckan<SearchResult>(
      'package_search',
      `fq=${encodeURIComponent('tags:buildings +type:dataset')}`,
      headers,
    );
    expect(byTag.body.result.count).toBe(1);
    const notApis = await ckan<SearchResult>(
      'package_search',
      `fq=${encodeURIComponent('-type:api')}&include_private=true&sort=${encodeURIComponent('name asc')}`,
      headers,
    );
    expect(notApis.body.result.results.map((pkg) => pkg.name)).toEqual([
      'bank_customers',
      'park_energy',
      'startups',
    ]);
    const page = await ckan<SearchResult>(
      'package_search',
      `sort=${encodeURIComponent('name desc')}&rows=1&start=1`,
    );
    expect(page.body.result.count).toBe(3);
    expect(page.body.result.results.map((pkg) => pkg.name)).toEqual(['park_energy']);
    const faceted = await ckan<SearchResult>(
      'package_search',
      `facet.field=${encodeURIComponent('["organization","res_format","groups","license_id"]')}&facet.limit=-1`,
    );
    const org = faceted.body.result.facets.organization!;
    expect(Object.values(org)).toEqual([3]);
    expect(faceted.body.result.search_facets.organization!.items[0]!.display_name).not.toBe(
      Object.keys(org)[0],
    );
    expect(faceted.body.result.facets.groups).toEqual({ energy: 1, innovation: 1 });
    expect(faceted.body.result.facets.license_id).toEqual({ 'CC-BY-4.0': 1, 'CC0-1.0': 1 });
    expect(faceted.body.result.facets.res_format).toMatchObject({ API: 3, OpenAPI: 1, Parquet: 2, CSV: 2 });
    const badSort = await ckan('package_search', 'sort=views_recent%20desc');
    expect(badSort.status).toBe(409);
    expect(badSort.body.error?.__type).toBe('Validation Error');
  });

  it('takes actions by POST with a JSON body, also at /api/action (where ckanapi calls)', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/api/action/package_search',
      headers: { authorization: fintechToken },
      payload: { q: 'customers', include_private: 'True', 'facet.field': ['tags'] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().result.results.map((pkg: CkanPackage) => pkg.name)).toEqual(['bank_customers']);
    const empty = await platform.app.inject({ method: 'POST', url: '/api/3/action/group_list' });
    expect(empty.json().result).toEqual(['energy', 'innovation']);
  });

  it('lists organizations, groups and tags, and shows an organization and a resource', async () => {
    const orgs = await ckan<{ name: string; package_count: number }[]>(
      'organization_list',
      'all_fields=true',
    );
    expect(orgs.body.result).toHaveLength(1);
    expect(orgs.body.result[0]!.package_count).toBe(3);
    const org = await ckan<{ name: string; packages: CkanPackage[] }>(
      'organization_show',
      `id=${orgs.body.result[0]!.name}&include_datasets=true`,
    );
    expect(org.body.result.packages.map((pkg) => pkg.name).sort()).toEqual([
      'api-building-energy',
      'park_energy',
      'startups',
    ]);
    const tags = await ckan<string[]>('tag_list');
    expect(tags.body.result).toEqual(expect.arrayContaining(['buildings', 'electricity']));
    const groups = await ckan<{ name: string; package_count: number }[]>('group_list', 'all_fields=true');
    expect(groups.body.result.map((group) => [group.name, group.package_count])).toEqual([
      ['energy', 1],
      ['innovation', 1],
    ]);
    const resource = await ckan<{ id: string; url: string; format: string; package_id: string }>(
      'resource_show',
      `id=${energy.id}.parquet`,
    );
    expect(resource.body.result).toMatchObject({
      package_id: energy.id,
      format: 'Parquet',
      url: `${base}/v1/datasets/${energy.id}/download?format=parquet`,
    });
    const openapi = await ckan<{ url: string }>('resource_show', `id=${publicApi.id}.openapi`);
    const document = await platform.app.inject({ url: openapi.body.result.url.replace(base, '') });
    expect(document.statusCode).toBe(200);
    expect(document.body).toContain('/gw/building-energy');
  });

  it('answers bad input in the CKAN envelope: a missing field, an unknown action, an unknown package', async () => {
    const missing = await ckan('package_show');
    expect(missing.status).toBe(409);
    expect(missing.body.error).toMatchObject({ __type: 'Validation Error', id: ['Missing value'] });
    const unknown = await ckan('package_delete', 'id=x');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toContain('package_delete');
    const help = await ckan<string>('help_show', 'name=package_search');
    expect(help.body.result).toContain('Search packages');
  });

  // ---- DCAT ----

  it('serves the public catalogue as Turtle that parses and lists what the catalogue holds', async () => {
    const store = await turtle();
    const datasets = store.getSubjects(`${ns.rdf}type`, `${ns.dcat}Dataset`, null).map((node) => node.value);
    expect(datasets.sort()).toEqual(
      [`${base}/v1/datasets/${energy.id}`, `${base}/v1/datasets/${startups.id}`].sort(),
    );
    const catalog = `${base}/catalog`;
    expect(store.getObjects(catalog, `${ns.dcat}dataset`, null)).toHaveLength(2);
    const services = store
      .getSubjects(`${ns.rdf}type`, `${ns.dcat}DataService`, null)
      .map((node) => node.value);
    expect(services).toContain(`${base}/v1/apis/${publicApi.id}`);
    expect(services).not.toContain(`${base}/v1/apis/${privateApi.id}`);

    const one = (subject: string, predicate: string) => {
      const [object] = store.getObjects(subject, predicate, null);
      return object;
    };
    const ds = `${base}/v1/datasets/${energy.id}`;
    expect(one(ds, `${ns.dct}title`)?.value).toBe('Park energy use');
    expect(one(ds, `${ns.dct}description`)?.value).toBe('Monthly electricity use of the park buildings');
    expect(one(ds, `${ns.dct}license`)?.value).toBe('http://spdx.org/licenses/CC-BY-4.0');
    const publisher = one(ds, `${ns.dct}publisher`)!;
    expect(store.getObjects(publisher, `${ns.rdf}type`, null).map((node) => node.value)).toContain(
      `${ns.foaf}Agent`,
    );
    expect(one(publisher.value, `${ns.foaf}name`)?.value).toMatch(/^Tenant/);
    expect(
      store
        .getObjects(ds, `${ns.dcat}keyword`, null)
        .map((node) => node.value)
        .sort(),
    ).toEqual(['buildings', 'electricity']);
    expect(store.getObjects(ds, `${ns.dcat}theme`, null).map((node) => node.value)).toContain(
      'http://publications.europa.eu/resource/authority/data-theme/ENER',
    );
    expect(store.getObjects(ds, `${ns.dct}spatial`, null).map((node) => node.value)).toContain(
      'https://sws.geonames.org/1819730/',
    );
    expect(one(ds, `${ns.dct}accrualPeriodicity`)?.value).toBe(
      'http://publications.europa.eu/resource/authority/frequency/MONTHLY',
    );
    const period = one(ds, `${ns.dct}temporal`)!;
    expect(store.getObjects(period, `${ns.rdf}type`, null)[0]?.value).toBe(`${ns.dct}PeriodOfTime`);
    const start = store.getObjects(period, `${ns.dcat}startDate`, null)[0]!;
    expect(start.value).toBe('2023-01-01');
    expect(start.termType === 'Literal' && start.datatype.value).toBe(`${ns.xsd}date`);
    const distributions = store.getObjects(ds, `${ns.dcat}distribution`, null);
    const parquet = distributions.find((node) => node.value.endsWith('#parquet'))!;
    expect(one(parquet.value, `${ns.dcat}downloadURL`)?.value).toBe(
      `${base}/v1/datasets/${energy.id}/download?format=parquet`,
    );
    expect(one(parquet.value, `${ns.dcat}mediaType`)?.value).toBe(
      'http://www.iana.org/assignments/media-types/application/vnd.apache.parquet',
    );
    expect(one(parquet.value, `${ns.dct}format`)?.value).toMatch(/file-type\/PARQUET$/);
    const api = `${base}/v1/apis/${publicApi.id}`;
    expect(one(api, `${ns.dcat}endpointURL`)?.value).toBe(`${base}/gw/building-energy/`);
    const description = one(api, `${ns.dcat}endpointDescription`)!.value;
    const document = await platform.app.inject({ url: description.replace(base, '') });
    expect(document.statusCode).toBe(200);
    const hidden = await platform.app.inject({ url: `/catalog/apis/${privateApi.id}/openapi` });
    expect(hidden.statusCode).toBe(404);
  });

  it('serves JSON-LD by default: a real JSON-LD processor reads the same graph as the Turtle', async () => {
    const response = await platform.app.inject({ url: '/catalog' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(response.headers.vary).toMatch(/accept/i);
    const document = response.json();
    expect(document['@context'].dcat).toBe(ns.dcat);
    const expanded = await jsonld.expand(document);
    const dataset = expanded.find((node) => node['@id'] === `${base}/v1/datasets/${energy.id}`)!;
    expect(dataset['@type']).toEqual([`${ns.dcat}Dataset`]);
    expect(dataset[`${ns.dct}title`]).toEqual([{ '@value': 'Park energy use' }]);
    // Canonical N-Quads (RDF Dataset Canonicalization) of both must be identical, blank nodes and all.
    const canonical = { algorithm: 'URDNA2015', format: 'application/n-quads' } as const;
    const fromJsonLd = await jsonld.canonize(document, canonical);
    const ttl = await platform.app.inject({ url: '/catalog', headers: { accept: 'text/turtle' } });
    const nquads = new Writer({ format: 'N-Quads' }).quadsToString(new Parser().parse(ttl.body));
    const fromTurtle = await jsonld.canonize(
      await jsonld.fromRDF(nquads, { format: 'application/n-quads' }),
      canonical,
    );
    expect(fromJsonLd).toBe(fromTurtle);
    expect(fromJsonLd.split('\n').length).toBeGreaterThan(50);
  });

  it('negotiates the media type by Accept, and answers 406 for one it cannot serve', async () => {
    const cases: [string, RegExp | number][] = [
      ['text/turtle;q=0.9, application/ld+json;q=0.5', /^text\/turtle/],
      ['application/n-triples', /^application\/n-triples/],
      ['text/html,application/xhtml+xml,*/*;q=0.8', /^application\/ld\+json/],
      ['text/*', /^text\/turtle/],
      ['application/json', /^application\/json/],
      ['text/csv', 406],
      ['application/ld+json;q=0', 406],
    ];
    for (const [accept, expected] of cases) {
      const response = await platform.app.inject({ url: '/catalog', headers: { accept } });
      if (typeof expected === 'number') {
        expect(response.statusCode, accept).toBe(expected);
        expect(problemOf(response).code).toBe('not-acceptable');
      } else {
        expect(response.statusCode, accept).toBe(200);
        expect(response.headers['content-type'], accept).toMatch(expected);
      }
    }
    const ntriples = await platform.app.inject({
      url: '/catalog',
      headers: { accept: 'application/n-triples' },
    });
    expect(new Parser({ format: 'N-Triples' }).parse(ntriples.body).length).toBeGreaterThan(50);
  });

  it('documents the CKAN and DCAT routes in the OpenAPI document', async () => {
    const doc = (await platform.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/3/action/package_search', '/api/3/action/package_show', '/catalog']),
    );
    expect(Object.keys(doc.paths).some((path) => path.startsWith('/api/action/'))).toBe(false);
  });
});
