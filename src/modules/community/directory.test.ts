import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { newId } from '../../ids.js';
import type { OrgKind } from '../identity/schema.js';
import { rolesOf } from './directory.js';

interface Entry {
  id: string;
  name: string;
  roles: string[];
  kinds: string[];
  sector: string | null;
  location: string | null;
  apiCount: number;
  datasetCount: number;
  followers: number;
  followedByMe: boolean;
}

const buildingEnergyDocument = readFileSync(
  fileURLToPath(new URL('../../../test/fixtures/openapi/openapi30-building-energy.yaml', import.meta.url)),
  'utf8',
);

describe('directory roles', () => {
  it('derives roles from kinds: a consumer that also provides is a data partner only', () => {
    const cases: [OrgKind[], string[]][] = [
      [['provider'], ['data-partner']],
      [['consumer'], ['tech-company']],
      [['provider', 'consumer'], ['data-partner']],
      [['regulator'], ['regulatory-advisor']],
      [['operator'], []],
      [['operator', 'provider'], ['data-partner']],
    ];
    for (const [kinds, roles] of cases) expect(rolesOf(kinds)).toEqual(roles);
  });
});

describe.each(dbTargets)('community directory (%s)', (target) => {
  let platform: TestPlatform;
  let partner: Tenant;
  let techCompany: Tenant;
  let bank: Tenant;
  let advisor: Tenant;
  let suspended: Tenant;
  let pendingOrgId: string;
  let publicApiId: string;
  let publishedId: string;
  let draftId: string;

  const as = (tenant: Tenant, method: 'GET' | 'PUT' | 'DELETE', url: string) =>
    platform.app.inject({ method, url, headers: tenant.headers });

  async function directory(tenant: Tenant, query = ''): Promise<Entry[]> {
    const response = await as(tenant, 'GET', `/v1/directory${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  }

  const suffix = Math.random().toString(36).slice(2, 6);

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    partner = await createTenant(platform, { kinds: ['provider'], name: `Kowloon Partner ${suffix}` });
    techCompany = await createTenant(platform, {
      kinds: ['consumer'],
      name: `Green Tech ${suffix}`,
      location: 'shenzhen',
    });
    bank = await createTenant(platform, {
      kinds: ['provider', 'consumer'],
      name: `Harbour Lender ${suffix}`,
    });
    advisor = await createTenant(platform, { kinds: ['regulator'], name: `Advisory Office ${suffix}` });
    suspended = await createTenant(platform, { kinds: ['provider'], name: `Suspended Co ${suffix}` });
    await platform.identity.suspendOrganisation(platform.operator, suspended.orgId, 'testing');
    // Someone applies for a new organisation: it waits for an operator, out of the directory.
    const applicant = await platform.identity.principalFor(
      'session',
      techCompany.userId,
      techCompany.orgId,
      {},
    );
    pendingOrgId = (
      await platform.identity.createOrganisation(applicant!, {
        name: `Pending Co ${suffix}`,
        kinds: ['provider'],
      })
    ).id;
    await platform.identity.updateProfile(platform.operator, partner.orgId, {
      sector: 'Real estate',
      description: 'Smart buildings with hourly meters',
      website: 'https://partner.example',
    });
    await platform.identity.updateProfile(platform.operator, techCompany.orgId, {
      sector: 'Green technology',
    });

    const importApi = async (slug: string, visibility: string) => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/apis',
        headers: partner.headers,
        payload: { document: buildingEnergyDocument, slug, upstreamUrl: 'http://127.0.0.1:9', visibility },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    publicApiId = await importApi(`directory-public-${target}-${suffix}`, 'public');
    await importApi(`directory-private-${target}-${suffix}`, 'private');
    publishedId = (
      await publishDataset(platform, partner, {
        title: 'Hourly meters',
        licence: 'CC-BY-4.0',
        content: 'building,hour,kwh\nA,0,12\nB,1,15\n',
      })
    ).id;
    draftId = (
      await publishDataset(platform, partner, {
        title: 'Unpublished meters',
        content: customersCsv(5),
        publish: false,
      })
    ).id;
  });
  afterAll(async () => platform?.dispose());

  it('lists active community organisations only, never pending, suspended or the operator', async () => {
    const entries = await directory(techCompany);
    const ids = entries.map((entry) => entry.id);
    expect(ids).toEqual(
      expect.arrayContaining([partner.orgId, techCompany.orgId, bank.orgId, advisor.orgId]),
    );
    expect(ids).not.toContain(suspended.orgId);
    expect(ids).not.toContain(pendingOrgId);
    expect(ids).not.toContain(platform.operator.orgId);
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    expect(byId.get(partner.orgId)).toMatchObject({ roles: ['data-partner'], sector: 'Real estate' });
    expect(byId.get(techCompany.orgId)).toMatchObject({ roles: ['tech-company'], location: 'shenzhen' });
    expect(byId.get(bank.orgId)).toMatchObject({ roles: ['data-partner'], kinds: ['provider', 'consumer'] });
    expect(byId.get(advisor.orgId)).toMatchObject({ roles: ['regulatory-advisor'] });
    for (const hidden of [suspended.orgId, pendingOrgId, platform.operator.orgId]) {
      expect((await as(techCompany, 'GET', `/v1/directory/${hidden}`)).statusCode).toBe(404);
    }
  });

  it('filters by role, text, sector and location', async () => {
    const partners = (await directory(advisor, '?role=data-partner')).map((entry) => entry.id);
    expect(partners).toEqual(expect.arrayContaining([partner.orgId, bank.orgId]));
    expect(partners).not.toContain(techCompany.orgId);
    expect(partners).not.toContain(advisor.orgId);
    const companies = (await directory(advisor, '?role=tech-company')).map((entry) => entry.id);
    expect(companies).toContain(techCompany.orgId);
    expect(companies).not.toContain(bank.orgId);
    const advisors = (await directory(advisor, '?role=regulatory-advisor')).map((entry) => entry.id);
    expect(advisors).toEqual([advisor.orgId]);

    expect((await directory(advisor, `?q=hourly`)).map((entry) => entry.id)).toEqual([partner.orgId]);
    expect((await directory(advisor, '?sector=green%20TECHNOLOGY')).map((entry) => entry.id)).toEqual([
      techCompany.orgId,
    ]);
    expect((await directory(advisor, '?location=shenzhen')).map((entry) => entry.id)).toEqual([
      techCompany.orgId,
    ]);
    const badRole = problemOf(await as(advisor, 'GET', '/v1/directory?role=investor'));
    expect(badRole.code).toBe('validation-failed');
    expect(JSON.stringify(badRole.errors)).toContain('role');
    const badLocation = problemOf(await as(advisor, 'GET', '/v1/directory?location=atlantis'));
    expect(JSON.stringify(badLocation.errors)).toContain('location');
  });

  it("counts and lists only what everyone may see, even for the organisation's own members", async () => {
    for (const viewer of [techCompany, partner]) {
      const response = await as(viewer, 'GET', `/v1/directory/${partner.orgId}`);
      expect(response.statusCode).toBe(200);
      const profile = response.json();
      expect(profile).toMatchObject({
        id: partner.orgId,
        website: 'https://partner.example',
        apiCount: 1,
        datasetCount: 1,
      });
      expect(profile.apis.map((api: { id: string }) => api.id)).toEqual([publicApiId]);
      expect(profile.datasets).toEqual([
        { id: publishedId, title: 'Hourly meters', description: null, isOpen: true },
      ]);
      expect(JSON.stringify(profile)).not.toContain(draftId);
    }
    const badId = problemOf(await as(techCompany, 'GET', '/v1/directory/not-an-org'));
    expect(JSON.stringify(badId.errors)).toContain('orgId');
    expect((await as(techCompany, 'GET', `/v1/directory/${newId('organisation')}`)).statusCode).toBe(404);
  });

  it('follows an organisation and hears when it publishes', async () => {
    const follow = `/v1/orgs/${partner.orgId}/follow`;
    expect((await as(techCompany, 'PUT', follow)).json()).toEqual({ followedByMe: true });
    expect((await as(techCompany, 'PUT', follow)).json()).toEqual({ followedByMe: true });
    const seen = (await as(techCompany, 'GET', `/v1/directory/${partner.orgId}`)).json();
    expect(seen).toMatchObject({ followers: 1, followedByMe: true });
    expect((await as(advisor, 'GET', `/v1/directory/${partner.orgId}`)).json()).toMatchObject({
      followers: 1,
      followedByMe: false,
    });

    // Publishing the draft tells the follower's organisation, in the publishing transaction.
    const published = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${draftId}/publish`,
      headers: partner.headers,
    });
    expect(published.statusCode, published.body).toBe(200);
    const heard = (await as(techCompany, 'GET', '/v1/notifications')).json().items as {
      kind: string;
      objectId: string;
    }[];
    expect(heard.filter((n) => n.kind === 'org.published')).toEqual([
      expect.objectContaining({ objectId: draftId }),
    ]);
    const notFollowing = (await as(advisor, 'GET', '/v1/notifications')).json().items as { kind: string }[];
    expect(notFollowing.filter((n) => n.kind === 'org.published')).toEqual([]);

    expect((await as(techCompany, 'DELETE', follow)).json()).toEqual({ followedByMe: false });
    expect((await as(techCompany, 'GET', `/v1/directory/${partner.orgId}`)).json().followers).toBe(0);

    const self = await as(partner, 'PUT', follow);
    expect(problemOf(self).code).toBe('conflict');
    expect((await as(techCompany, 'PUT', `/v1/orgs/${pendingOrgId}/follow`)).statusCode).toBe(404);
  });
});
