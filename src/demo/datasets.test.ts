import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEmail, createTestPlatform, password, signIn, type TestPlatform } from '../../test/harness.js';
import {
  creditAgreementDistricts,
  type DatasetSeedResult,
  demoDatasets,
  seedDemoDatasets,
  smeCustomers,
} from './datasets.js';
import { seedDemoCommunity } from './seed.js';

const openSlugs = [
  'park_ecosystem_figures',
  'park_innohk_labs',
  'park_biotech_growth',
  'innocell_occupancy',
  'park_green_tech',
];
const bankSlug = 'harbour_bank_sme_customers';

describe('demo datasets', () => {
  let platform: TestPlatform;
  let first: DatasetSeedResult;
  let second: DatasetSeedResult;
  /** GreenGrid Analytics: a consumer with no agreement. */
  let greengrid: string;
  /** Qianhai FinTech: the consumer of the demo agreement. */
  let qianhai: string;

  async function query(cookie: string, sql: string) {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/query',
      headers: { cookie },
      payload: { sql },
    });
    return { status: response.statusCode, body: response.json() };
  }

  async function rowsOf(cookie: string, sql: string): Promise<Record<string, unknown>[]> {
    const { status, body } = await query(cookie, sql);
    expect(status, JSON.stringify(body)).toBe(200);
    const names = (body.columns as { name: string }[]).map((column) => column.name);
    return (body.rows as unknown[][]).map((row) =>
      Object.fromEntries(names.map((name, i) => [name, row[i]])),
    );
  }

  beforeAll(async () => {
    platform = await createTestPlatform('pglite');
    await seedDemoCommunity(platform.identity, { adminEmail, demoPassword: password });
    first = await seedDemoDatasets(platform);
    second = await seedDemoDatasets(platform);
    greengrid = await signIn(platform, 'sam@greengrid-analytics.demo');
    qianhai = await signIn(platform, 'lin@qianhai-fintech.demo');
  });
  afterAll(async () => platform?.dispose());

  it('publishes the park figures as open datasets and keeps the bank file closed', async () => {
    const response = await platform.app.inject({
      method: 'GET',
      url: '/v1/datasets?limit=100',
      headers: { cookie: greengrid },
    });
    const items = response.json().items as { slug: string; isOpen: boolean; licence: string }[];
    const bySlug = new Map(items.map((item) => [item.slug, item]));
    for (const slug of openSlugs)
      expect(bySlug.get(slug), slug).toMatchObject({ isOpen: true, licence: 'CC-BY-4.0' });
    expect(bySlug.get(bankSlug)).toMatchObject({ isOpen: false, licence: 'proprietary' });
  });

  it('lets a consumer without an agreement query the published figures', async () => {
    const figures = await rowsOf(
      greengrid,
      'SELECT fact, figure, qualifier, unit, as_of, source FROM park_ecosystem_figures',
    );
    const figureOf = (fact: string) => {
      const row = figures.find((candidate) => candidate.fact === fact);
      return row && { figure: Number(row.figure), qualifier: row.qualifier };
    };
    expect(figureOf('Technology companies in the park ecosystem')).toEqual({
      figure: 1400,
      qualifier: 'at least',
    });
    expect(figureOf('Researchers')).toEqual({ figure: 13_000, qualifier: null });
    expect(figureOf('Start-ups incubated, all time')).toEqual({ figure: 950, qualifier: 'at least' });
    expect(figureOf('Companies in the three InnoParks')).toEqual({ figure: 188, qualifier: null });
    expect(figureOf('Funds raised via the translational research programme')).toEqual({
      figure: 964_000_000,
      qualifier: 'at least',
    });
    expect(figureOf('Net-zero target year')).toEqual({ figure: 2045, qualifier: 'target' });
    expect(new Set(figures.map((row) => String(row.as_of)))).toEqual(new Set(['2023-10-25']));
    expect(new Set(figures.map((row) => row.source))).toEqual(
      new Set(['Science Park press release, 25 Oct 2023']),
    );

    const labs = await rowsOf(
      greengrid,
      'SELECT clusters, labs FROM park_innohk_labs WHERE labs IS NOT NULL',
    );
    expect(labs.map((row) => [row.clusters, Number(row.labs)])).toEqual([
      ['Health@InnoHK and AIR@InnoHK', 28],
    ]);
    const biotech = await rowsOf(
      greengrid,
      'SELECT year, biomedical_companies FROM park_biotech_growth ORDER BY year',
    );
    expect(biotech.map((row) => [Number(row.year), Number(row.biomedical_companies)])).toEqual([
      [2018, 30],
      [2023, 240],
    ]);
    const [innocell] = await rowsOf(greengrid, 'SELECT * FROM innocell_occupancy');
    expect([Number(innocell!.occupancy_percent), Number(innocell!.additional_units_planned)]).toEqual([
      90, 200,
    ]);
    const [green] = await rowsOf(greengrid, 'SELECT * FROM park_green_tech');
    expect([
      Number(green!.green_tech_companies),
      green!.companies_qualifier,
      Number(green!.net_zero_target_year),
    ]).toEqual([100, 'at least', 2045]);
  });

  it('refuses the bank file to a consumer without an agreement', async () => {
    const { status } = await query(greengrid, `SELECT count(*) FROM ${bankSlug}`);
    expect(status).toBe(403);
  });

  it("shows Qianhai FinTech the bank file through the agreement's masks and filter only", async () => {
    const rows = await rowsOf(qianhai, `SELECT * FROM ${bankSlug}`);
    const expected = smeCustomers().filter((customer) =>
      creditAgreementDistricts.includes(customer.district),
    );
    expect(rows).toHaveLength(Math.min(expected.length, 1000));
    expect(Object.keys(rows[0]!)).not.toContain('contact_name');
    for (const row of rows) {
      expect(creditAgreementDistricts).toContain(row.district);
      expect(row.customer_id).toMatch(/^[0-9a-f]{32}$/);
      expect(row.contact_email).toBeNull();
      expect(row.contact_phone).toBeNull();
      expect(row.annual_turnover_hkd).toMatch(/^(0|[1-9]\d*000000)-\d*999999$/);
    }
    const raw = JSON.stringify(rows);
    expect(raw).not.toMatch(/@|HB-SME-/);

    const [counted] = await rowsOf(qianhai, `SELECT count(*) AS n FROM ${bankSlug}`);
    expect(Number(counted!.n)).toBe(expected.length);
  });

  it('adds nothing when seeded again', async () => {
    expect(first.created).toEqual(demoDatasets.map((spec) => spec.metadata.slug));
    expect(first.agreement?.created).toBe(true);
    expect(second).toEqual({
      created: [],
      existing: first.created,
      agreement: { id: first.agreement!.id, created: false },
      pendingRequest: { id: first.pendingRequest!.id, created: false },
    });

    const get = async (url: string, cookie: string) =>
      (await platform.app.inject({ method: 'GET', url, headers: { cookie } })).json();
    const { items: catalogue } = await get('/v1/datasets?limit=100', greengrid);
    expect(catalogue.map((item: { slug: string }) => item.slug).sort()).toEqual([...first.created].sort());
    for (const item of catalogue as { id: string; slug: string }[]) {
      const { items: versions } = await get(`/v1/datasets/${item.id}/versions`, greengrid);
      expect(versions, item.slug).toHaveLength(1);
    }
    const { items: agreements } = await get('/v1/agreements', qianhai);
    expect(agreements).toHaveLength(1);
    expect(agreements[0].terms).toMatchObject({
      purpose: 'credit-assessment',
      maxRowsPerQuery: 1000,
      masks: { customer_id: { kind: 'hash' }, annual_turnover_hkd: { kind: 'band', width: 1_000_000 } },
    });
  });

  it('leaves a request from Sha Tin AI Labs pending for Harbour Bank to decide', async () => {
    expect(first.pendingRequest?.created).toBe(true);
    const bank = await signIn(platform, 'grace@harbour-bank.demo');
    const response = await platform.app.inject({
      method: 'GET',
      url: '/v1/access-requests?as=provider&state=pending',
      headers: { cookie: bank },
    });
    const items = response.json().items as { id: string; purpose: string; columns: string[] }[];
    expect(items.map((item) => item.id)).toEqual([first.pendingRequest!.id]);
    expect(items[0]).toMatchObject({ purpose: 'research' });
    expect(items[0]!.columns).not.toContain('contact_email');
  });
});
