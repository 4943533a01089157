import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seedDemoConsents } from '../src/demo/consent.js';
import { seedDemoDatasets } from '../src/demo/datasets.js';
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
      ({ classifications: _c, published: _p, ...metadata }) => metadata,
    ),
  };
}

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
    await seedDemoApi(demo, demoUpstream);
  }, 300_000);
  afterAll(async () => {
    await demo?.dispose();
    await fresh?.dispose();
  });

  it('describe the seeded demo: Kowloon Land plans no change, Harbour Bank only its additions', async () => {
    const kowloon = await demo.declarations.plan(
      await demoPrincipal(demo.identity, 'kowloon-land'),
      await exampleRequest('kowloon-land'),
    );
    expect(kowloon.changes).toEqual([]);
    expect(kowloon.notes).toEqual([]);
    const harbour = await demo.declarations.plan(
      await demoPrincipal(demo.identity, 'harbour-bank'),
      await exampleRequest('harbour-bank'),
    );
    expect(harbour.changes.map((change) => `${change.action} ${change.kind} ${change.key}`)).toEqual([
      'create api harbour-bank-branches',
      'create plan harbour-bank-branches/Open',
      'create plan harbour-bank-branches/Partner',
      'create webhook https://hooks.harbour-bank.example/stp',
    ]);
    expect(harbour.notes).toEqual([]);
  });

  it('applied to a fresh platform, give the same catalogue as the seeded demo', async () => {
    for (const organisation of ['kowloon-land', 'harbour-bank']) {
      const owner = await demoPrincipal(fresh.identity, organisation);
      const result = await fresh.declarations.apply(owner, await exampleRequest(organisation));
      expect(result.applied.length).toBeGreaterThan(0);
      // Applied twice, the file changes nothing.
      expect((await fresh.declarations.apply(owner, await exampleRequest(organisation))).applied).toEqual([]);

      const applied = (await fresh.declarations.export(owner)).declaration;
      const seeded = (await demo.declarations.export(await demoPrincipal(demo.identity, organisation)))
        .declaration;
      const expected = catalogueOf(seeded);
      if (organisation === 'harbour-bank') {
        // What the bank adds on top of the demo: its API (the demo has none for it).
        expected.apis = (await exampleRequest(organisation)).declaration.apis!;
      }
      const actual = catalogueOf(applied);
      expect(actual.datasets).toEqual(expected.datasets);
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
  }, 120_000);
});
