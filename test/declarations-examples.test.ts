import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seedDemoConsents } from '../src/demo/consent.js';
import { seedDemoDatasets } from '../src/demo/datasets.js';
import { seedDemoLab } from '../src/demo/lab.js';
import { demoPrincipal } from '../src/demo/principal.js';
import { seedDemoApi, seedDemoCommunity } from '../src/demo/seed.js';
import type { Declaration, DeclarationRequest } from '../src/modules/declarations/index.js';
import { adminEmail, createTestPlatform, dbTargets, password, type TestPlatform } from './harness.js';

/** Where the example files say the demo upstream listens; the seeded demo is pointed at the same. */
const demoUpstream = 'http://127.0.0.1:4010';
const webhookSecret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

async function exampleRequest(organisation: string): Promise<DeclarationRequest> {
  const dir = path.join('examples/declarations', organisation);
  const declaration = parse(await readFile(path.join(dir, 'stp.yaml'), 'utf8')) as Declaration;
  const documents: Record<string, string> = {};
  for (const api of declaration.apis ?? []) {
    documents[api.openapi] = await readFile(path.join(dir, api.openapi), 'utf8');
  }
  return { declaration, documents, secrets: { HARBOUR_BANK_WEBHOOK_SECRET: webhookSecret } };
}

/** A declaration without what waits for data (classifications, publication) and what the demo lacks. */
function catalogueOf(declaration: Declaration) {
  return {
    apis: declaration.apis ?? [],
    datasets: (declaration.datasets ?? []).map(
      ({ classifications: _c, published: _p, defaultTerms: _t, ...metadata }) => metadata,
    ),
    labs: declaration.labs ?? [],
  };
}

const examplesDir = 'examples/declarations';
/** Harbour Bank's file adds to the demo; every other example describes its organisation as seeded. */
const addsToTheDemo = 'harbour-bank';

describe.each(dbTargets)('the example declaration files (%s)', (target) => {
  let demo: TestPlatform;
  let fresh: TestPlatform;

  beforeAll(async () => {
    [demo, fresh] = await Promise.all([createTestPlatform(target), createTestPlatform(target)]);
    for (const platform of [demo, fresh]) {
      await seedDemoCommunity(platform.identity, { adminEmail, demoPassword: password });
    }
    await seedDemoDatasets(demo);
    await seedDemoConsents(demo);
    await seedDemoLab(demo);
    await seedDemoApi(demo, demoUpstream);
  }, 300_000);
  afterAll(async () => {
    await demo?.dispose();
    await fresh?.dispose();
  });

  it('cover every demo organisation that owns an API or a dataset', async () => {
    const owners = [
      ...(await demo.catalog.snapshotApis()).map((api) => api.orgId),
      ...(await demo.datasets.list(demo.operator, { limit: 200 })).items.map((entry) => entry.dataset.orgId),
    ];
    const slugs = (await demo.identity.organisationsByIds([...new Set(owners)])).map((org) => org.slug);
    expect((await readdir(examplesDir)).sort()).toEqual([...slugs].sort());
  });

  it('describe the seeded demo: each plans no change, Harbour Bank only its additions', async () => {
    for (const organisation of await readdir(examplesDir)) {
      if (organisation === addsToTheDemo) continue;
      const plan = await demo.declarations.plan(
        await demoPrincipal(demo.identity, organisation),
        await exampleRequest(organisation),
      );
      expect(plan.changes, organisation).toEqual([]);
      expect(plan.notes, organisation).toEqual([]);
    }
    const harbour = await demo.declarations.plan(
      await demoPrincipal(demo.identity, 'harbour-bank'),
      await exampleRequest('harbour-bank'),
    );
    expect(harbour.changes.map((change) => `${change.action} ${change.kind} ${change.key}`)).toEqual([
      'create api harbour-bank-branches',
      'create plan harbour-bank-branches/Open',
      'create plan harbour-bank-branches/Partner',
      'create terms-template sme-partner',
      'create dataset-terms harbour_bank_sme_customers',
      'create webhook https://hooks.harbour-bank.example/stp',
    ]);
    expect(harbour.notes).toEqual([]);
  });

  it('applied to a fresh platform, give the same catalogue as the seeded demo', async () => {
    for (const organisation of await readdir(examplesDir)) {
      const owner = await demoPrincipal(fresh.identity, organisation);
      const result = await fresh.declarations.apply(owner, await exampleRequest(organisation));
      expect(result.applied.length).toBeGreaterThan(0);
      // Applied twice, the file changes nothing.
      expect((await fresh.declarations.apply(owner, await exampleRequest(organisation))).applied).toEqual([]);

      const applied = (await fresh.declarations.export(owner)).declaration;
      const seeded = (await demo.declarations.export(await demoPrincipal(demo.identity, organisation)))
        .declaration;
      const expected = catalogueOf(seeded);
      if (organisation === addsToTheDemo) {
        // What the bank adds on top of the demo: its API (the demo has none for it) and its terms.
        const file = (await exampleRequest(organisation)).declaration;
        expected.apis = file.apis!;
        expect(applied.termsTemplates).toEqual(file.termsTemplates);
        expect(applied.datasets!.map((dataset) => dataset.defaultTerms)).toEqual(
          file.datasets!.map((dataset) => dataset.defaultTerms),
        );
      }
      const actual = catalogueOf(applied);
      expect(actual.datasets, organisation).toEqual(expected.datasets);
      expect(actual.labs, organisation).toEqual(expected.labs);
      expect(actual.apis.map((api) => api.slug)).toEqual(expected.apis.map((api) => api.slug));
      expect(actual.apis.map((api) => api.plans?.map((plan) => plan.name))).toEqual(
        expected.apis.map((api) => api.plans?.map((plan) => plan.name)),
      );
    }
    // The demo's API, plans included, is exactly the seeded one.
    const kowloon = (await fresh.declarations.export(await demoPrincipal(fresh.identity, 'kowloon-land')))
      .declaration;
    const seededKowloon = (await demo.declarations.export(await demoPrincipal(demo.identity, 'kowloon-land')))
      .declaration;
    expect(kowloon.apis).toEqual(seededKowloon.apis);
  }, 180_000);
});
