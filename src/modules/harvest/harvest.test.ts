import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { HarvestService } from './service.js';

const fixtures = new URL('../../../test/fixtures/harvest/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');

type Json = Record<string, unknown>;

interface RunReport {
  id: string;
  status: string;
  isComplete: boolean;
  counts: { new: number; changed: number; unchanged: number; withdrawn: number; failed: number };
  failures: { record: string; reason: string }[];
  progress: { pages: number; fetched: number; total: number | null };
  error: string | null;
}

interface DatasetView {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  licence: string;
  keywords: string[];
  themes: string[];
  spatial: string[];
  status: string;
  updateFrequency: string | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  isOpen: boolean;
  currentVersion: unknown;
  origin: {
    sourceId: string;
    originalId: string;
    fetchedAt: string;
    landingPage: string | null;
    publisher: string | null;
  };
  resources: { name: string; format: string | null; url: string; mediaType: string | null }[];
  translations: Record<string, { title?: string; description?: string }>;
}

/**
 * A stand-in for a CKAN portal and DCAT catalogues, serving the fixtures. The CKAN side pages
 * `package_search` by `rows`/`start` over `packages`, which a test may change between runs;
 * `failStart` answers 500 for the page beginning there (a portal failing midway).
 */
class FixtureServer {
  packages: Json[] = JSON.parse(fixture('ckan-packages.json'));
  failStart: number | null = null;
  starts: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://fixture');
      const send = (status: number, type: string, body: string) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      };
      if (url.pathname === '/ckan/api/3/action/organization_list') {
        return send(200, 'application/json', fixture('ckan-organizations.json'));
      }
      if (url.pathname === '/ckan/api/3/action/package_search') {
        const rows = Number(url.searchParams.get('rows') ?? 10);
        const start = Number(url.searchParams.get('start') ?? 0);
        this.starts.push(start);
        if (start === this.failStart) return send(500, 'text/plain', 'Internal Server Error');
        const result = { count: this.packages.length, results: this.packages.slice(start, start + rows) };
        return send(
          200,
          'application/json',
          JSON.stringify({ help: 'package_search', success: true, result }),
        );
      }
      const files: Record<string, [string, string]> = {
        '/dcat/dcat-page1.jsonld': ['dcat-page1.jsonld', 'application/ld+json'],
        '/dcat/dcat-page2.jsonld': ['dcat-page2.jsonld', 'application/ld+json'],
        '/dcat/catalogue.ttl': ['dcat-catalogue.ttl', 'text/turtle; charset=utf-8'],
        '/dcat/catalogue.rdf': ['dcat-catalogue.rdf', 'application/rdf+xml'],
        '/dcat/unlabelled': ['dcat-catalogue.ttl', 'application/octet-stream'],
      };
      const file = files[url.pathname];
      if (file) return send(200, file[1], fixture(file[0]));
      if (url.pathname === '/dcat/broken.ttl') return send(200, 'text/turtle', '<a> <b> "unterminated .');
      send(404, 'text/plain', 'not found');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe.each(dbTargets)('harvesting (%s)', (target) => {
  let platform: TestPlatform;
  let provider: Tenant;
  let consumer: Tenant;
  const portal = new FixtureServer();

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    await portal.start();
  });

  afterAll(async () => {
    await portal.stop();
    await platform?.dispose();
  });

  async function register(tenant: { headers: { cookie: string } }, payload: Json) {
    return platform.app.inject({
      method: 'POST',
      url: '/v1/harvest-sources',
      headers: tenant.headers,
      payload,
    });
  }

  async function addSource(payload: Json): Promise<string> {
    const response = await register(provider, payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  async function runSource(sourceId: string, tenant: Tenant = provider): Promise<RunReport> {
    const response = await platform.app.inject({
      method: 'POST',
      url: `/v1/harvest-sources/${sourceId}/runs`,
      headers: tenant.headers,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function harvested(sourceId: string, viewer: Tenant = provider): Promise<Map<string, DatasetView>> {
    const response = await platform.app.inject({ url: '/v1/datasets?limit=200', headers: viewer.headers });
    const items = (response.json().items as DatasetView[]).filter(
      (item) => item.origin?.sourceId === sourceId,
    );
    return new Map(items.map((item) => [item.origin.originalId, item]));
  }

  describe('a CKAN portal', () => {
    let sourceId: string;

    it('reads every package_search page, maps each package and fails the broken record alone', async () => {
      sourceId = await addSource({
        kind: 'ckan',
        name: 'Example CKAN portal',
        url: `${portal.url}/ckan/api/3/action`,
        options: { pageSize: 3 },
      });
      const report = await runSource(sourceId);
      expect(portal.starts).toEqual([0, 3, 6]);
      expect(report).toMatchObject({
        status: 'succeeded',
        isComplete: true,
        counts: { new: 6, changed: 0, unchanged: 0, withdrawn: 0, failed: 1 },
        progress: { pages: 3, fetched: 7, total: 7 },
      });
      expect(report.failures).toEqual([
        { record: 'c0ffee00-broken', reason: 'package c0ffee00-broken has no title' },
      ]);

      const datasets = await harvested(sourceId);
      const aqhi = datasets.get('4f6c1c1e-aqhi')!;
      expect(aqhi).toMatchObject({
        slug: 'hk_epd_aqhi',
        title: 'Air Quality Health Index',
        description: 'Hourly AQHI readings at general and roadside stations.',
        licence: 'CC-BY-4.0',
        keywords: ['air-quality', '空氣'],
        themes: ['environment'],
        spatial: ['hong-kong'],
        updateFrequency: 'hourly',
        temporalStart: '2014-01-01',
        temporalEnd: '2024-12-31',
        status: 'published',
        isOpen: true,
        currentVersion: null,
        translations: {
          'zh-hk': { title: '空氣質素健康指數', description: '一般及路邊監測站的每小時空氣質素健康指數。' },
        },
      });
      expect(aqhi.origin).toMatchObject({
        originalId: '4f6c1c1e-aqhi',
        landingPage: `${portal.url}/ckan/dataset/hk-epd-aqhi`,
        publisher: 'Environmental Protection Department',
      });
      // The relative URL is resolved against the portal; a resource without a URL is dropped.
      expect(aqhi.resources).toEqual([
        {
          name: 'AQHI (CSV)',
          format: 'CSV',
          url: 'https://www.aqhi.gov.hk/epd/ddata/html/out/aqhi_ind_rss_Eng.csv',
          mediaType: 'text/csv',
        },
        { name: 'AQHI API', format: 'JSON', url: `${portal.url}/api/aqhi.json`, mediaType: null },
      ]);

      // Traditional Chinese only: the title stays Chinese, the slug falls back to the dataset id.
      const weather = datasets.get('9a1b2c3d-weather')!;
      expect(weather.title).toBe('香港天文台每小時天氣報告');
      expect(weather.description).toBe('各區氣溫、濕度及雨量。');
      expect(weather.slug).toBe('hk_hko_rhrread');
      expect(weather.origin.publisher).toBe('Hong Kong Observatory');
      expect(weather.licence).toBe('hk-dgi');
      expect(weather.isOpen).toBe(false);

      // Missing optional fields are empty, not errors.
      expect(datasets.get('b7e0d4a1-minimal')).toMatchObject({
        title: 'Tide stations',
        description: null,
        licence: 'unspecified',
        keywords: [],
        themes: [],
        resources: [],
        origin: { publisher: null },
      });
      // An empty English title gives way to the untagged one; the Chinese versions are kept.
      expect(datasets.get('f1a2b3c4-rainfall')).toMatchObject({
        title: 'Daily rainfall',
        temporalStart: null,
        translations: { 'zh-hk': { title: '每日雨量' }, 'zh-cn': { title: '每日雨量' } },
      });
      expect(datasets.get('e8f9a0b1-traffic')?.keywords).toEqual([]);
    });

    it('shows harvested datasets in the catalogue, in CKAN package_search and DCAT, but has nothing to query', async () => {
      const seen = await harvested(sourceId, consumer);
      expect(seen.size).toBe(6);
      const search = await platform.app.inject({
        url: '/v1/datasets?q=%E7%A9%BA%E6%B0%A3%E8%B3%AA%E7%B4%A0',
        headers: consumer.headers,
      });
      expect(search.json().items.map((item: DatasetView) => item.origin?.originalId)).toEqual([
        '4f6c1c1e-aqhi',
      ]);

      // Anonymous CKAN clients see the openly licensed ones, with the source's resources and provenance.
      const ckan = await platform.app.inject({ url: '/api/3/action/package_search?q=aqhi&rows=50' });
      const results = ckan.json().result.results as {
        name: string;
        url: string;
        resources: { url: string; format: string }[];
        extras: { key: string; value: string }[];
      }[];
      expect(results.map((pkg) => pkg.name)).toEqual(['hk_epd_aqhi']);
      expect(results[0]!.url).toBe(`${portal.url}/ckan/dataset/hk-epd-aqhi`);
      expect(results[0]!.resources.map((resource) => resource.format)).toEqual(['CSV', 'JSON']);
      expect(results[0]!.extras).toContainEqual({ key: 'guid', value: '4f6c1c1e-aqhi' });
      expect(results[0]!.extras.some((extra) => extra.key === 'sql_name')).toBe(false);
      const signedIn = await platform.app.inject({
        url: '/api/3/action/package_search?fq=tags:weather&include_private=true',
        headers: consumer.headers,
      });
      expect(signedIn.json().result.count).toBe(1);

      const turtle = await platform.app.inject({ url: '/catalog', headers: { accept: 'text/turtle' } });
      expect(turtle.body).toContain(`<${portal.url}/ckan/dataset/hk-epd-aqhi>`);
      expect(turtle.body).toContain('"空氣質素健康指數"@zh-hk');

      const query = await platform.app.inject({
        method: 'POST',
        url: '/v1/query',
        headers: consumer.headers,
        payload: { sql: 'SELECT * FROM hk_epd_aqhi' },
      });
      expect(query.statusCode).toBeGreaterThanOrEqual(400);
      expect(problemOf(query).code).toBe('query-refused');

      const upload = await platform.app.inject({
        method: 'POST',
        url: `/v1/datasets/${seen.get('4f6c1c1e-aqhi')!.id}/versions`,
        headers: { ...provider.headers, 'content-type': 'multipart/form-data; boundary=x' },
        payload:
          '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na\n1\n\r\n--x--\r\n',
      });
      expect(problemOf(upload).code).toBe('conflict');
    });

    it('on the next run updates the changed record, withdraws the removed one and leaves the rest', async () => {
      const before = await harvested(sourceId);
      portal.packages = portal.packages
        .filter((pkg) => pkg.id !== 'e8f9a0b1-traffic')
        .map((pkg) =>
          pkg.id === 'd4e5f6a7-carpark' ? { ...pkg, notes: 'Vacant spaces, every minute.' } : pkg,
        );
      const report = await runSource(sourceId);
      expect(report).toMatchObject({
        status: 'succeeded',
        counts: { new: 0, changed: 1, unchanged: 4, withdrawn: 1, failed: 1 },
      });
      const after = await harvested(sourceId);
      expect(after.get('d4e5f6a7-carpark')).toMatchObject({
        id: before.get('d4e5f6a7-carpark')!.id,
        description: 'Vacant spaces, every minute.',
      });
      expect(after.get('e8f9a0b1-traffic')?.status).toBe('draft');
      expect((await harvested(sourceId, consumer)).has('e8f9a0b1-traffic')).toBe(false);

      const ledger = await platform.audit.list({ action: 'harvest.run', objectId: sourceId, limit: 100 });
      expect(ledger[0]?.data).toMatchObject({
        runId: report.id,
        isComplete: true,
        counts: { changed: 1, withdrawn: 1 },
        records: 5,
      });
      const withdrawals = await platform.audit.list({ action: 'dataset.harvest.withdraw', limit: 100 });
      expect(withdrawals.map((entry) => entry.objectId)).toContain(before.get('e8f9a0b1-traffic')!.id);
    });

    it('a portal failing midway fails the run and withdraws nothing', async () => {
      portal.packages = portal.packages.filter((pkg) => pkg.id !== 'f1a2b3c4-rainfall');
      portal.failStart = 3;
      const report = await runSource(sourceId);
      portal.failStart = null;
      expect(report).toMatchObject({ status: 'failed', isComplete: false, counts: { withdrawn: 0 } });
      expect(report.error).toMatch(/500/);
      expect((await harvested(sourceId)).get('f1a2b3c4-rainfall')?.status).toBe('published');

      const runs = await platform.app.inject({
        url: `/v1/harvest-sources/${sourceId}/runs`,
        headers: provider.headers,
      });
      expect(runs.json().items.map((run: RunReport) => run.status)).toEqual([
        'failed',
        'succeeded',
        'succeeded',
      ]);
    });

    it('runs in the background with wait=false and reports progress', async () => {
      const started = await platform.app.inject({
        method: 'POST',
        url: `/v1/harvest-sources/${sourceId}/runs?wait=false`,
        headers: provider.headers,
      });
      expect(started.statusCode).toBe(202);
      const runId = started.json().id as string;
      let run: RunReport = started.json();
      for (let i = 0; i < 100 && run.status === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        run = (
          await platform.app.inject({
            url: `/v1/harvest-sources/${sourceId}/runs/${runId}`,
            headers: provider.headers,
          })
        ).json();
      }
      expect(run).toMatchObject({ status: 'succeeded', progress: { pages: 2, fetched: 5, total: 5 } });
      expect(run.counts.withdrawn).toBe(1);
    });

    it('keeps open data open: mapped licences become SPDX, an unmapped one the portal marks open stays open under its IRI and is reported', async () => {
      const terms = 'https://data.gov.hk/en/terms-and-conditions';
      portal.packages = portal.packages.map((pkg) =>
        pkg.id === '9a1b2c3d-weather'
          ? { ...pkg, license_id: 'hk-dgi', license_url: terms, isopen: true }
          : pkg.id === 'd4e5f6a7-carpark'
            ? {
                ...pkg,
                license_id: 'uk-ogl',
                license_url: 'http://reference.data.gov.uk/id/open-government-licence',
              }
            : pkg,
      );
      const report = await runSource(sourceId);
      expect(report.status).toBe('succeeded');
      expect((report as RunReport & { unmappedLicences: unknown }).unmappedLicences).toEqual([
        { licence: terms, records: 1, keptOpen: 1 },
      ]);
      const datasets = await harvested(sourceId);
      expect(datasets.get('9a1b2c3d-weather')).toMatchObject({ licence: terms, isOpen: true });
      expect(datasets.get('d4e5f6a7-carpark')).toMatchObject({ licence: 'OGL-UK-3.0', isOpen: true });
      // The public sees both, in CKAN (isopen, the IRI as the licence URL) and in DCAT (the IRI itself).
      const weather = await platform.app.inject({
        url: '/api/3/action/package_show?id=' + datasets.get('9a1b2c3d-weather')!.id,
      });
      expect(weather.statusCode, weather.body).toBe(200);
      expect(weather.json().result).toMatchObject({ isopen: true, license_url: terms });
      const turtle = await platform.app.inject({ url: '/catalog', headers: { accept: 'text/turtle' } });
      expect(turtle.body).toContain(`<${terms}>`);
    });

    it('checks every record against the DCAT-AP 3 shapes: a record that breaks one is kept and flagged in the run', async () => {
      type Flagged = { record: string; datasetId: string; violations: Json[]; warnings: Json[] };
      const clean = (await runSource(sourceId)) as RunReport & { nonConforming: Flagged[] };
      // Records that only miss recommendations (the tide stations list no resource) are not flagged.
      expect(clean.nonConforming).toEqual([]);
      // A media type with parameters is no IANA media type IRI: the distribution breaks its shape.
      portal.packages = portal.packages.map((pkg) =>
        pkg.id === 'd4e5f6a7-carpark'
          ? {
              ...pkg,
              resources: (pkg.resources as Json[]).map((resource) => ({
                ...resource,
                mimetype: 'application/json; charset=utf-8',
              })),
            }
          : pkg,
      );
      const report = (await runSource(sourceId)) as RunReport & { nonConforming: Flagged[] };
      expect(report.status).toBe('succeeded');
      const datasets = await harvested(sourceId);
      const carpark = datasets.get('d4e5f6a7-carpark')!;
      expect(report.nonConforming).toEqual([
        {
          record: 'd4e5f6a7-carpark',
          datasetId: carpark.id,
          violations: [
            {
              focusNode: expect.stringMatching(new RegExp(`/v1/datasets/${carpark.id}#resource-1$`)),
              path: 'http://www.w3.org/ns/dcat#mediaType',
              message: expect.stringMatching(
                /at most one media type .*application\/json; charset=utf-8 is not a IRI/,
              ),
            },
          ],
          warnings: [],
        },
      ]);
      // Kept, published and in the catalogue; the run's report is where it is flagged.
      expect(carpark.status).toBe('published');
      const runs = await platform.app.inject({
        url: `/v1/harvest-sources/${sourceId}/runs`,
        headers: provider.headers,
      });
      expect(runs.json().items[0]).toMatchObject({ id: report.id, nonConforming: report.nonConforming });
    });
  });

  describe('DCAT catalogues', () => {
    it('reads JSON-LD pages linked by hydra:next, with language-tagged titles', async () => {
      const sourceId = await addSource({
        kind: 'dcat',
        name: 'City',
        url: `${portal.url}/dcat/dcat-page1.jsonld`,
      });
      const report = await runSource(sourceId);
      expect(report).toMatchObject({
        status: 'succeeded',
        counts: { new: 3, failed: 1 },
        progress: { pages: 2, fetched: 4, total: 3 },
      });
      expect(report.failures[0]!.reason).toMatch(/no dct:identifier/);
      const datasets = await harvested(sourceId);
      expect(datasets.get('energy-2023')).toMatchObject({
        slug: 'building_energy_use',
        title: 'Building energy use',
        description: 'Monthly electricity use of park buildings.',
        licence: 'CC-BY-4.0',
        keywords: ['energy', '能源'],
        themes: ['energy'],
        spatial: ['hong-kong'],
        updateFrequency: 'monthly',
        temporalStart: '2023-01-01',
        temporalEnd: '2023-12-31',
        translations: { 'zh-hk': { title: '建築物能源使用', description: '園區建築物每月用電量。' } },
        origin: { landingPage: 'https://data.example.hk/dataset/energy.html', publisher: 'Energy Office' },
        resources: [
          {
            name: 'Energy CSV',
            format: 'CSV',
            url: 'https://data.example.hk/files/energy.csv',
            mediaType: 'text/csv',
          },
        ],
      });
      expect(datasets.get('https://data.example.hk/dataset/footfall')).toMatchObject({
        title: '行人流量',
        licence: 'unspecified',
        resources: [{ name: 'Distribution 1', url: 'https://data.example.hk/api/footfall', format: null }],
      });
      expect(datasets.get('https://data.example.hk/dataset/visitors')?.licence).toBe('CC0-1.0');
    });

    it('reads Turtle, by content type or by sniffing when the server does not say', async () => {
      const slugs: string[] = [];
      for (const path of ['/dcat/catalogue.ttl', '/dcat/unlabelled']) {
        const sourceId = await addSource({ kind: 'dcat', name: `Geo ${path}`, url: `${portal.url}${path}` });
        const report = await runSource(sourceId);
        expect(report).toMatchObject({ status: 'succeeded', counts: { new: 2, failed: 1 } });
        expect(report.failures[0]).toEqual({
          record: 'https://geo.example.hk/ds/untitled',
          reason: 'dataset https://geo.example.hk/ds/untitled has no dct:title',
        });
        const datasets = await harvested(sourceId);
        expect(datasets.get('https://geo.example.hk/ds/districts')).toMatchObject({
          title: 'District boundaries',
          licence: 'CC-BY-4.0',
          themes: ['regions'],
          spatial: ['Sha Tin'],
          translations: { 'zh-hk': { title: '區議會分區界線' } },
          origin: { publisher: 'Lands Department' },
          resources: [
            {
              name: 'GeoJSON',
              format: 'GeoJSON',
              url: 'https://geo.example.hk/files/districts.geojson',
              mediaType: null,
            },
          ],
        });
        slugs.push(datasets.get('https://geo.example.hk/ds/districts')!.slug);
        expect(datasets.get('trees-ovt')).toMatchObject({
          title: 'Old and valuable trees',
          licence: 'http://example.org/licences/hk-terms',
          translations: { 'zh-hk': { title: '古樹名木' } },
        });
      }
      // The same title from two sources: the second slug is made unique.
      expect(slugs).toEqual(['district_boundaries', 'district_boundaries_2']);
    });

    it('reads RDF/XML', async () => {
      const sourceId = await addSource({
        kind: 'dcat',
        name: 'Stats',
        url: `${portal.url}/dcat/catalogue.rdf`,
      });
      const report = await runSource(sourceId);
      expect(report).toMatchObject({ status: 'succeeded', counts: { new: 2, failed: 0 } });
      const datasets = await harvested(sourceId);
      expect(datasets.get('https://stats.example.hk/ds/population')).toMatchObject({
        title: 'Mid-year population',
        licence: 'CC0-1.0',
        themes: ['society'],
        translations: { 'zh-hk': { title: '年中人口' } },
        origin: { publisher: 'Census and Statistics Department' },
        resources: [
          {
            name: 'Population table',
            url: 'https://stats.example.hk/files/population.csv',
            mediaType: 'text/csv',
          },
        ],
      });
    });

    it('a malformed catalogue fails the run and withdraws nothing', async () => {
      const sourceId = await addSource({
        kind: 'dcat',
        name: 'Flaky',
        url: `${portal.url}/dcat/catalogue.ttl`,
      });
      expect((await runSource(sourceId)).counts.new).toBe(2);
      // The catalogue breaks: the source's URL now answers with a document that is not Turtle.
      await platform.database.db.execute(
        sql`update harvest_sources set url = ${`${portal.url}/dcat/broken.ttl`} where id = ${sourceId}`,
      );
      const report = await runSource(sourceId);
      expect(report).toMatchObject({ status: 'failed', isComplete: false, counts: { withdrawn: 0 } });
      expect(report.error).toMatch(/not a readable turtle catalogue/);
      const datasets = await harvested(sourceId);
      expect([...datasets.values()].every((dataset) => dataset.status === 'published')).toBe(true);
    });
  });

  describe('sources', () => {
    it('only operators and provider admins register sources; others see no source of another organisation', async () => {
      const payload = { kind: 'ckan', name: 'x', url: `${portal.url}/ckan` };
      expect(problemOf(await register(consumer, payload)).code).toBe('forbidden');
      const member = await createTenant(platform, { kinds: ['provider'], role: 'member' });
      expect(problemOf(await register(member, payload)).code).toBe('forbidden');
      const operator = { headers: { cookie: await operatorCookie(platform) } };
      const byOperator = await register(operator, payload);
      expect(byOperator.statusCode).toBe(201);

      const sourceId = await addSource(payload);
      const other = await createTenant(platform, { kinds: ['provider'] });
      const peek = await platform.app.inject({
        url: `/v1/harvest-sources/${sourceId}`,
        headers: other.headers,
      });
      expect(problemOf(peek).code).toBe('not-found');
      const run = await platform.app.inject({
        method: 'POST',
        url: `/v1/harvest-sources/${sourceId}/runs`,
        headers: other.headers,
      });
      expect(run.statusCode).toBe(404);
      const list = await platform.app.inject({ url: '/v1/harvest-sources', headers: other.headers });
      expect(list.json().items).toEqual([]);
      const all = await platform.app.inject({
        url: '/v1/harvest-sources?limit=200',
        headers: operator.headers,
      });
      expect(all.json().items.map((source: Json) => source.id)).toContain(sourceId);

      const disabled = await platform.app.inject({
        method: 'DELETE',
        url: `/v1/harvest-sources/${sourceId}`,
        headers: provider.headers,
      });
      expect(disabled.json().status).toBe('disabled');
      const refused = await platform.app.inject({
        method: 'POST',
        url: `/v1/harvest-sources/${sourceId}/runs`,
        headers: provider.headers,
      });
      expect(problemOf(refused).code).toBe('conflict');
    });

    it('refuses private and loopback addresses unless allowPrivateFetch is set', async () => {
      const strict = new HarvestService({ ...platform.harvest.deps, allowPrivateFetch: false });
      for (const url of [
        `${portal.url}/ckan`,
        'http://10.1.2.3/catalog',
        'http://[::1]/catalog',
        'http://169.254.169.254/',
      ]) {
        await expect(
          strict.create(platform.operator, { kind: 'dcat', name: 'x', url }),
          url,
        ).rejects.toMatchObject({
          code: 'validation-failed',
        });
      }
      await expect(strict.fetchText(`${portal.url}/dcat/catalogue.ttl`, 'text/turtle')).rejects.toThrow(
        /public address/,
      );
      const bad = await register(provider, { kind: 'ckan', name: 'x', url: 'file:///etc/passwd' });
      expect(problemOf(bad).code).toBe('validation-failed');
    });

    it('the scheduler runs sources whose interval has passed, once', async () => {
      const sourceId = await addSource({
        kind: 'dcat',
        name: 'Scheduled',
        url: `${portal.url}/dcat/catalogue.rdf`,
        intervalHours: 24,
      });
      await platform.harvest.runDue();
      await platform.harvest.runDue();
      const runs = await platform.harvest.listRuns(platform.operator, sourceId);
      expect(runs.map((run) => [run.trigger, run.status])).toEqual([['schedule', 'succeeded']]);
      const source = await platform.harvest.get(platform.operator, sourceId);
      expect(source.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    });
  });
});
