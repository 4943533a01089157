import jsonld from 'jsonld';
import { Parser, Store, Writer } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildingEnergyOpenApi } from '../src/demo/building-energy.js';
import { dcatApProfile, dcatApShapes } from '../src/modules/catalog/dcat-ap-shapes.js';
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

  // ---- CKAN compatibility: requests as ckanapi sends them, answers with CKAN 2.10's fields ----

  /** ckanapi's RemoteCKAN.call_action: a JSON POST to /api/action/{name}, the key bare in Authorization. */
  async function ckanapi<T>(action: string, data: Record<string, unknown> = {}, apikey?: string) {
    const response = await platform.app.inject({
      method: 'POST',
      url: `/api/action/${action}`,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ckanapi/4.8 (+https://github.com/ckan/ckanapi)',
        ...(apikey ? { authorization: apikey, 'x-ckan-api-key': apikey } : {}),
      },
      payload: JSON.stringify(data),
    });
    return { status: response.statusCode, body: response.json() as CkanAnswer<T> };
  }

  const missingKeys = (value: object, keys: string[]) => keys.filter((key) => !(key in value));

  it('drives every read action through ckanapi-shaped requests, each answer with the fields CKAN 2.10 gives', async () => {
    const fields = (await import('./fixtures/ckan/fields-2.10.json', { with: { type: 'json' } }))
      .default as unknown as Record<string, string[]>;
    const status = await ckanapi<object>('status_show');
    expect(missingKeys(status.body.result, fields.status_show!)).toEqual([]);

    const search = await ckanapi<SearchResult>('package_search', { q: '*:*', rows: 100 });
    expect(missingKeys(search.body.result, fields.package_search!)).toEqual([]);
    for (const pkg of search.body.result.results) {
      expect(missingKeys(pkg, fields.package!), pkg.name).toEqual([]);
      for (const resource of pkg.resources) expect(missingKeys(resource, fields.resource!)).toEqual([]);
      for (const tag of pkg.tags) expect(missingKeys(tag, fields.package_tag!)).toEqual([]);
      for (const group of pkg.groups) expect(missingKeys(group, fields.package_group!)).toEqual([]);
      expect(missingKeys(pkg.organization!, fields.package_organization!)).toEqual([]);
    }
    const energyPkg = search.body.result.results.find((pkg) => pkg.name === 'park_energy')!;
    const resources = energyPkg.resources as unknown as Record<string, unknown>[];
    expect(resources.map((resource) => [resource.format, resource.resource_type, resource.mimetype])).toEqual(
      [
        ['API', 'api', 'application/json'],
        ['Parquet', 'file', 'application/vnd.apache.parquet'],
        ['CSV', 'file', 'text/csv'],
      ],
    );
    expect(resources.every((resource) => resource.datastore_active === false)).toBe(true);

    const orgs = await ckanapi<Record<string, unknown>[]>('organization_list', { all_fields: true });
    for (const org of orgs.body.result) expect(missingKeys(org, fields.organization!)).toEqual([]);
    expect(orgs.body.result[0]).toMatchObject({ num_followers: 0, image_display_url: '' });
    const orgShow = await ckanapi<object>('organization_show', { id: orgs.body.result[0]!.name });
    expect(missingKeys(orgShow.body.result, fields.organization!)).toEqual([]);

    const groups = await ckanapi<Record<string, unknown>[]>('group_list', { all_fields: true });
    for (const group of groups.body.result) {
      expect(missingKeys(group, fields.group!)).toEqual([]);
      // CKAN names: 2–100 of a-z, 0-9, - and _.
      expect(group.name).toMatch(/^[a-z0-9_-]{2,100}$/);
    }
    const group = await ckanapi<{ name: string; package_count: number; packages: CkanPackage[] }>(
      'group_show',
      { id: 'energy', include_datasets: true },
    );
    expect(missingKeys(group.body.result, fields.group!)).toEqual([]);
    expect(group.body.result.packages.map((pkg) => pkg.name)).toEqual(['park_energy']);
    expect((await ckanapi('group_show', { id: 'no-such-group' })).status).toBe(404);

    const tag = await ckanapi<{ name: string; packages: CkanPackage[] }>('tag_show', {
      id: 'electricity',
      include_datasets: true,
    });
    expect(missingKeys(tag.body.result, fields.tag_show!)).toEqual([]);
    expect(tag.body.result.packages.map((pkg) => pkg.name)).toEqual(['park_energy']);
    expect((await ckanapi('tag_show', { id: 'no-such-tag' })).status).toBe(404);

    const licences = await ckanapi<Record<string, unknown>[]>('license_list');
    for (const licence of licences.body.result) expect(missingKeys(licence, fields.license!)).toEqual([]);
    expect(licences.body.result.find((licence) => licence.id === 'CC-BY-4.0')).toMatchObject({
      url: 'https://creativecommons.org/licenses/by/4.0/',
      od_conformance: 'approved',
    });

    const completion = await ckanapi<Record<string, string>[]>('package_autocomplete', { q: 'energy' });
    for (const entry of completion.body.result)
      expect(missingKeys(entry, fields.package_autocomplete!)).toEqual([]);
    expect(completion.body.result.map((entry) => [entry.name, entry.match_field])).toEqual([
      ['api-building-energy', 'title'],
      ['park_energy', 'title'],
    ]);
    const byName = await ckanapi<Record<string, string>[]>('package_autocomplete', { q: 'park', limit: 1 });
    expect(byName.body.result).toEqual([
      { name: 'park_energy', title: 'Park energy use', match_field: 'name', match_displayed: 'park_energy' },
    ]);

    const withResources = await ckanapi<CkanPackage[]>('current_package_list_with_resources', { limit: 100 });
    expect(withResources.body.result.map((pkg) => pkg.name).sort()).toEqual([
      'api-building-energy',
      'park_energy',
      'startups',
    ]);
    expect(withResources.body.result.every((pkg) => pkg.resources.length > 0)).toBe(true);
    // Private packages stay out even for entitled callers, as CKAN's current_package_list does.
    const asBank = await ckanapi<CkanPackage[]>('current_package_list_with_resources', {}, bankToken);
    expect(asBank.body.result.some((pkg) => pkg.private)).toBe(false);

    const activities = await ckanapi<(Record<string, unknown> & { timestamp: string; object_id: string })[]>(
      'recently_changed_packages_activity_list',
      { limit: 10 },
    );
    for (const activity of activities.body.result)
      expect(missingKeys(activity, fields.activity!)).toEqual([]);
    expect(activities.body.result).toHaveLength(3);
    const times = activities.body.result.map((activity) => activity.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
    expect(activities.body.result.find((activity) => activity.object_id === energy.id)?.activity_type).toBe(
      'changed package',
    );

    const csv = await ckanapi<{ count: number; results: Record<string, unknown>[] }>('resource_search', {
      query: ['format:csv'],
    });
    expect(missingKeys(csv.body.result, fields.resource_search!)).toEqual([]);
    expect(csv.body.result.results.map((resource) => resource.package_id).sort()).toEqual(
      [energy.id, startups.id].sort(),
    );
    const narrowed = await ckanapi<{ count: number }>('resource_search', {
      query: ['format:csv', `url:${energy.id}`],
    });
    expect(narrowed.body.result.count).toBe(1);
    const badField = await ckanapi('resource_search', { query: ['colour:red'] });
    expect(badField.status).toBe(409);

    expect((await ckanapi<boolean>('site_read')).body.result).toBe(true);
    expect((await ckanapi<unknown[]>('vocabulary_list')).body.result).toEqual([]);

    const me = await ckanapi<Record<string, unknown>>('user_show', { id: bank.userId }, bankToken);
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(missingKeys(me.body.result, fields.user_public!)).toEqual([]);
    expect(fields.user_private!.filter((key) => key in me.body.result)).toEqual([]);
    expect(JSON.stringify(me.body.result)).not.toContain(bank.email);
    // Another organisation's user is not found, and anonymous callers are refused.
    expect((await ckanapi('user_show', { id: bank.userId }, fintechToken)).status).toBe(404);
    const anonymousUser = await ckanapi('user_show', { id: bank.userId });
    expect(anonymousUser.status).toBe(403);
    expect(anonymousUser.body.error?.__type).toBe('Authorization Error');
  });

  it('answers /api/3 with the version, and names the action in every help link, errors included', async () => {
    const root = await platform.app.inject({ url: '/api/3' });
    expect(root.statusCode).toBe(200);
    expect(root.json()).toEqual({ version: 3 });
    const bad = await ckanapi('group_show', {});
    expect(bad.body.help).toBe(`${base}/api/3/action/help_show?name=group_show`);
    const unknown = await ckanapi('package_patch', { id: 'x' });
    expect(unknown.body.help).toBe(`${base}/api/3/action/help_show?name=package_patch`);
  });

  it('reads the fq a CKAN harvester sends: publishers joined by OR, changes since its last run, sorted by id', async () => {
    const org = (await ckan<string[]>('organization_list')).body.result[0]!;
    const since = await ckan<SearchResult>(
      'package_search',
      new URLSearchParams({
        fq: `organization:${org} OR organization:someone-else metadata_modified:[2000-01-01T00:00:00Z TO *]`,
        rows: '100',
        start: '0',
        sort: 'id asc',
      }).toString(),
    );
    expect(since.status, JSON.stringify(since.body)).toBe(200);
    const ids = since.body.result.results.map((pkg) => pkg.id);
    expect(ids).toHaveLength(3);
    expect([...ids].sort()).toEqual(ids);
    const future = await ckan<SearchResult>(
      'package_search',
      `fq=${encodeURIComponent('metadata_modified:[NOW+1DAY TO *]')}`,
    );
    expect(future.body.result.count).toBe(0);
    const prefix = await ckan<SearchResult>(
      'package_search',
      `q=${encodeURIComponent('title:start* OR name:park_*')}`,
    );
    expect(prefix.body.result.results.map((pkg) => pkg.name).sort()).toEqual(['park_energy', 'startups']);
    const broken = await ckan('package_search', `q=${encodeURIComponent('title:(energy')}`);
    expect(broken.status).toBe(409);
    expect(broken.body.error).toMatchObject({ __type: 'Validation Error' });
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

  it('conforms to DCAT-AP 3: the SHACL shapes find no violation and no unmet recommendation, and the catalogue says so', async () => {
    const store = await turtle();
    const report = dcatApShapes().validate(store);
    expect(report.results).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(
      store.getObjects(`${base}/catalog`, `${ns.dct}conformsTo`, null).map((term) => term.value),
    ).toEqual([dcatApProfile]);
    const datasets = store.getSubjects(`${ns.rdf}type`, `${ns.dcat}Dataset`, null);
    for (const dataset of datasets) {
      expect(store.getObjects(dataset, `${ns.dcat}contactPoint`, null)).toHaveLength(1);
    }
    for (const service of store.getSubjects(`${ns.rdf}type`, `${ns.dcat}DataService`, null)) {
      expect(store.getObjects(service, `${ns.dct}license`, null), service.value).toHaveLength(1);
    }
  });

  it('reports a broken record with the property and the message', async () => {
    const broken = `
      @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
      <http://example.org/d/1> a dcat:Dataset ; dct:title "No description" ;
        dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ,
          <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ;
        dcat:distribution <http://example.org/d/1#csv> .
      <http://example.org/d/1#csv> a dcat:Distribution ; dcat:downloadURL "not an IRI" .
    `;
    const report = dcatApShapes().validate(new Parser({ format: 'text/turtle' }).parse(broken));
    expect(report.conforms).toBe(false);
    const violations = report.results
      .filter((result) => result.severity === 'Violation')
      .map((result) => [result.focusNode, result.resultPath, result.constraint]);
    expect(violations).toEqual(
      expect.arrayContaining([
        ['http://example.org/d/1', `${ns.dct}description`, 'sh:MinCountConstraintComponent'],
        ['http://example.org/d/1', `${ns.dct}accessRights`, 'sh:MaxCountConstraintComponent'],
        ['http://example.org/d/1#csv', `${ns.dcat}accessURL`, 'sh:MinCountConstraintComponent'],
        ['http://example.org/d/1#csv', `${ns.dcat}downloadURL`, 'sh:NodeKindConstraintComponent'],
      ]),
    );
    expect(violations).toHaveLength(4);
    const missing = report.results.find((result) => result.resultPath === `${ns.dct}description`)!;
    expect(missing.message).toBe('a dataset has a description (mandatory) (0 value(s), at least 1 expected)');
    // Recommendations not met are warnings: a contact point, a publisher, a licence.
    expect(
      report.results.filter((result) => result.severity === 'Warning').map((result) => result.resultPath),
    ).toEqual(expect.arrayContaining([`${ns.dcat}contactPoint`, `${ns.dct}publisher`, `${ns.dct}license`]));
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
