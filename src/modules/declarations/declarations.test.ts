import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, multipartBody } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import type { Declaration } from './format.js';

const openapiPath = 'openapi/branches.yaml';
const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe.each(dbTargets)('declarations (%s)', (target) => {
  let platform: TestPlatform;
  let bank: Tenant;
  let bankSlug: string;
  let other: Tenant;
  let otherSlug: string;
  let document: string;

  const post = (tenant: Tenant, path: string, payload: object) =>
    platform.app.inject({
      method: 'POST',
      url: `/v1/declarations/${path}`,
      headers: tenant.headers,
      payload,
    });
  const get = (tenant: Tenant, path: string) =>
    platform.app.inject({ method: 'GET', url: `/v1/declarations/${path}`, headers: tenant.headers });
  const slugOf = async (tenant: Tenant) =>
    (await platform.identity.organisationsByIds([tenant.orgId]))[0]!.slug;

  /** The bank's file: an API with two plans and a consent rule, a dataset, a webhook. */
  const bankFile = (changes: Partial<Declaration> = {}): Declaration => ({
    format: 'stp.declaration/1',
    organisation: bankSlug,
    apis: [
      {
        slug: `branches-${bankSlug}`.slice(0, 48).replace(/-+$/, ''),
        openapi: openapiPath,
        upstream: 'https://branches.example',
        visibility: 'public',
        tags: ['branches'],
        consent: { purpose: 'service-provision', subjectRequired: false },
        plans: [
          { name: 'Open', rateLimitPerSecond: 5, burst: 10, monthlyQuota: 10_000 },
          { name: 'Partner', rateLimitPerSecond: 50, burst: 100, requiresApproval: true },
        ],
      },
    ],
    datasets: [
      {
        slug: `sme_${bankSlug.replaceAll('-', '_')}`.slice(0, 60),
        title: 'SME customers',
        licence: 'proprietary',
        keywords: ['sme'],
        classifications: { customer_id: 'identifier' },
        published: true,
      },
    ],
    webhooks: [
      { url: 'https://hooks.example/stp', events: ['subscription.*'], secretEnv: 'BANK_HOOK_SECRET' },
    ],
    ...changes,
  });
  const extraDataset = () => ({
    slug: `extra_${bankSlug.replaceAll('-', '_')}`.slice(0, 60),
    title: 'Extra',
    licence: 'CC-BY-4.0',
  });
  const request = (declaration: Declaration, extra: object = {}) => ({
    declaration,
    documents: { [openapiPath]: document },
    secrets: { BANK_HOOK_SECRET: secret },
    ...extra,
  });

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    bank = await createTenant(platform, { kinds: ['provider'] });
    other = await createTenant(platform, { kinds: ['provider'] });
    bankSlug = await slugOf(bank);
    otherSlug = await slugOf(other);
    document = await readFile('examples/my-service.openapi.yaml', 'utf8');
  }, 120_000);
  afterAll(async () => platform?.dispose());

  it('publishes the JSON Schema of the file', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/v1/declarations/schema' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/schema+json');
    const schema = response.json();
    expect(schema.properties.format.const).toBe('stp.declaration/1');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['apis', 'termsTemplates', 'datasets', 'webhooks', 'harvestSources', 'labs']),
    );
  });

  it('refuses a file that does not match the schema, naming the field', async () => {
    const bad = bankFile();
    (bad.apis![0] as { visibility: string }).visibility = 'everyone';
    const problem = problemOf(await post(bank, 'plan', request(bad)));
    expect(problem.status).toBe(400);
    expect(problem.detail).toContain('declaration.apis.0.visibility');
  });

  it('plans creates, applies them with one ledger entry per change naming the hash, and is idempotent', async () => {
    const planned = await post(bank, 'plan', request(bankFile()));
    expect(planned.statusCode, planned.body).toBe(200);
    const plan = planned.json();
    expect(plan.changes.map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`)).toEqual([
      'create api',
      'create api-consent',
      'create plan',
      'create plan',
      'create dataset',
      'create webhook',
    ]);
    // Classifications and publication wait for data: notes, not changes.
    expect(plan.notes.map((n: { kind: string }) => n.kind).sort()).toEqual([
      'dataset-classifications',
      'dataset-publication',
    ]);
    const open = plan.changes.find((c: { key: string }) => c.key.endsWith('/Open'));
    expect(open.fields).toContainEqual({ field: 'rateLimitPerSecond', from: null, to: 5 });

    const applied = await post(bank, 'apply', request(bankFile()));
    expect(applied.statusCode, applied.body).toBe(200);
    const result = applied.json();
    expect(result.hash).toBe(plan.hash);
    expect(result.applied).toHaveLength(6);

    const entries = await platform.audit.list({ orgId: bank.orgId, limit: 100 });
    const named = entries.filter((entry) => entry.data.declaration === plan.hash);
    expect(named.map((entry) => entry.action).sort()).toEqual(
      [
        'api.create',
        'api.consent-requirement.set',
        'plan.create',
        'plan.create',
        'dataset.create',
        'webhook.create',
      ].sort(),
    );

    const again = (await post(bank, 'plan', request(bankFile()))).json();
    expect(again.changes).toEqual([]);
    const headBefore = await platform.audit.head();
    const reapplied = (await post(bank, 'apply', request(bankFile()))).json();
    expect(reapplied.applied).toEqual([]);
    // Nothing to do is nothing written: not even a record of the apply.
    expect((await platform.audit.head()).seq).toBe(headBefore.seq);
  });

  it('applies classifications and publication once data is uploaded, and export round-trips without secrets', async () => {
    const datasetSlug = bankFile().datasets![0]!.slug;
    const owner = (await platform.identity.principalFor('session', bank.userId, bank.orgId, {}))!;
    const [dataset] = (await platform.datasets.list(owner, { orgId: bank.orgId, limit: 50 })).items;
    expect(dataset!.dataset.slug).toBe(datasetSlug);
    const body = multipartBody({ name: 'customers.csv', content: customersCsv(30) });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${dataset!.dataset.id}/versions`,
      headers: { ...bank.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);

    const plan = (await post(bank, 'plan', request(bankFile()))).json();
    expect(plan.changes.map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`)).toEqual([
      'update dataset-classifications',
      'update dataset-publication',
    ]);
    const applied = await post(bank, 'apply', request(bankFile()));
    expect(applied.statusCode, applied.body).toBe(200);
    const entry = await platform.datasets.get(platform.operator, dataset!.dataset.id);
    expect(entry.dataset.status).toBe('published');
    expect(entry.currentVersion!.columns.find((c) => c.name === 'customer_id')!.classification).toBe(
      'identifier',
    );

    const exported = await get(bank, 'export');
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.body).not.toContain(secret);
    const { declaration, documents } = exported.json();
    expect(declaration.webhooks).toEqual([
      { url: 'https://hooks.example/stp', events: ['subscription.*'], secretEnv: 'WEBHOOK_SECRET_1' },
    ]);
    expect(Object.values(documents)).toEqual([document]);
    const roundTrip = (await post(bank, 'plan', { declaration, documents })).json();
    expect(roundTrip.changes).toEqual([]);
    expect(roundTrip.notes).toEqual([]);
  }, 60_000);

  it('shows a field-level update, and deletes only with prune', async () => {
    const file = bankFile();
    file.apis![0]!.plans = [{ name: 'Open', rateLimitPerSecond: 8, burst: 10, monthlyQuota: 10_000 }];
    const plan = (await post(bank, 'plan', request(file))).json();
    expect(plan.changes).toEqual([
      {
        action: 'update',
        kind: 'plan',
        key: `${file.apis![0]!.slug}/Open`,
        fields: [{ field: 'rateLimitPerSecond', from: 5, to: 8 }],
      },
    ]);
    const pruned = (await post(bank, 'plan', request(file, { prune: true }))).json();
    expect(pruned.changes.map((c: { action: string; key: string }) => `${c.action} ${c.key}`)).toEqual([
      `update ${file.apis![0]!.slug}/Open`,
      `delete ${file.apis![0]!.slug}/Partner`,
    ]);
    const applied = await post(bank, 'apply', request(file, { prune: true }));
    expect(applied.statusCode, applied.body).toBe(200);
    const planId = applied.json().applied[0].ids[0];
    const owner = (await platform.identity.principalFor('session', bank.userId, bank.orgId, {}))!;
    const { apiId } = await platform.access.getPlan(owner, planId);
    const plans = await platform.access.listPlans(owner, apiId);
    expect(plans.find((p) => p.name === 'Partner')!.archivedAt).not.toBeNull();
    expect(plans.find((p) => p.name === 'Open')!.rateLimitPerSecond).toBe(8);
    // Back to the whole file: the archived plan is gone, so Partner is created anew.
    const restored = (await post(bank, 'apply', request(bankFile()))).json();
    expect(restored.applied.map((c: { action: string; key: string }) => `${c.action} ${c.key}`)).toEqual([
      `update ${file.apis![0]!.slug}/Open`,
      `create ${file.apis![0]!.slug}/Partner`,
    ]);
  });

  it('reports drift after a change made through the API', async () => {
    const before = (await get(bank, 'drift')).json();
    expect(before.lastApply.hash).toBeTruthy();
    expect(before.drift).toEqual([]);
    const plans = (await platform.catalog.list(platform.operator, { orgId: bank.orgId, limit: 10 })).items;
    const planList = await platform.access.listPlans(platform.operator, plans[0]!.api.id);
    const open = planList.find((p) => p.name === 'Open' && !p.archivedAt)!;
    const patched = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/plans/${open.id}`,
      headers: bank.headers,
      payload: { burst: 99 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = (await get(bank, 'drift')).json();
    expect(after.drift).toEqual([
      {
        drift: 'changed',
        kind: 'plan',
        key: `${plans[0]!.api.slug}/Open`,
        fields: [{ field: 'burst', from: 10, to: 99 }],
      },
    ]);
    // Applying the file again puts it back and clears the drift.
    expect((await post(bank, 'apply', request(bankFile()))).statusCode).toBe(200);
    expect((await get(bank, 'drift')).json().drift).toEqual([]);
  });

  it('stops at the first refusal, says where, and keeps what was applied', async () => {
    // The other organisation owns an API whose slug the bank's file also claims.
    const taken = `taken-${otherSlug}`.slice(0, 48).replace(/-+$/, '');
    const theirs = await platform.app.inject({
      method: 'POST',
      url: '/v1/apis',
      headers: other.headers,
      payload: { document, slug: taken, upstreamUrl: 'https://theirs.example' },
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    const file = bankFile();
    file.datasets!.push(extraDataset());
    file.apis!.push({ slug: taken, openapi: openapiPath, upstream: 'https://mine.example' });
    const refused = await post(bank, 'apply', request(file));
    const problem = problemOf(refused) as ReturnType<typeof problemOf> & {
      stoppedAt: { kind: string; key: string };
      applied: { kind: string }[];
    };
    expect(problem.status).toBe(409);
    expect(problem.stoppedAt).toMatchObject({ kind: 'api', key: taken });
    expect(problem.detail).toContain(taken);
    // Nothing before the refusal (the APIs come first), so the dataset is not created either…
    expect(problem.applied).toEqual([]);
    // …and the other organisation's API is untouched.
    const their = await platform.catalog.get(platform.operator, theirs.json().id);
    expect(their.api.upstreamUrl).toBe('https://theirs.example');
    expect(their.api.orgId).toBe(other.orgId);
    // Without the clash, the rest applies.
    file.apis!.pop();
    const rest = (await post(bank, 'apply', request(file))).json();
    expect(rest.applied.map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`)).toEqual([
      'create dataset',
    ]);
  });

  it('keeps what was applied before a refusal and names the refused object', async () => {
    const file = bankFile();
    file.webhooks!.push({ url: 'https://hooks.example/second', events: ['*'], secretEnv: 'MISSING_SECRET' });
    file.datasets!.push({ ...extraDataset(), keywords: ['changed'] });
    const refused = problemOf(await post(bank, 'apply', request(file))) as ReturnType<typeof problemOf> & {
      stoppedAt: { kind: string; key: string };
      applied: { kind: string; key: string }[];
    };
    expect(refused.status).toBe(400);
    expect(refused.stoppedAt).toMatchObject({ kind: 'webhook', key: 'https://hooks.example/second' });
    expect(refused.detail).toContain('MISSING_SECRET');
    expect(refused.applied.map((c) => c.kind)).toEqual(['dataset']);
    const plan = (await post(bank, 'plan', request(file))).json();
    expect(plan.changes.map((c: { kind: string }) => c.kind)).toEqual(['webhook']);
  });

  it('lets only the organisation’s admins apply, and only their own file', async () => {
    const member = await createTenant(platform, { kinds: ['provider'], role: 'member' });
    const memberSlug = await slugOf(member);
    const mine = { format: 'stp.declaration/1' as const, organisation: memberSlug };
    expect((await post(member, 'plan', { declaration: mine })).statusCode).toBe(200);
    expect(problemOf(await post(member, 'apply', { declaration: mine })).status).toBe(403);
    // A file naming another organisation is refused, even to its admins' peers elsewhere.
    const foreign = problemOf(await post(other, 'apply', request(bankFile())));
    expect(foreign.status).toBe(403);
    expect(foreign.detail).toContain(bankSlug);
    // The other organisation's export shows none of the bank's objects.
    const theirs = (await get(other, 'export')).json().declaration;
    expect(JSON.stringify(theirs)).not.toContain(bankSlug);
    expect((await platform.app.inject({ method: 'GET', url: '/v1/declarations/export' })).statusCode).toBe(
      401,
    );
  });

  it('deprecates the current version from the file, exports it, and keeps it when the file drops it', async () => {
    expect((await post(bank, 'apply', request(bankFile()))).statusCode).toBe(200);
    const sunsetAt = new Date(Date.now() + 30 * 86_400_000);
    const link = 'https://docs.example/branches/retirement';
    const file = bankFile();
    const slug = file.apis![0]!.slug;
    file.apis![0]!.deprecation = { sunsetAt: sunsetAt.toISOString(), link };
    const kinds = (plan: { changes: { action: string; kind: string }[] }) =>
      plan.changes.map((change) => `${change.action} ${change.kind}`);
    expect(kinds((await post(bank, 'plan', request(file))).json())).toEqual(['create api-deprecation']);
    const applied = await post(bank, 'apply', request(file));
    expect(applied.statusCode, applied.body).toBe(200);
    const listed = await platform.app.inject({ url: `/v1/apis?orgId=${bank.orgId}`, headers: bank.headers });
    const api = listed.json().items.find((item: { slug: string }) => item.slug === slug);
    expect(api.currentVersion.deprecation).toMatchObject({ sunsetAt: sunsetAt.toISOString(), link });
    const ledger = await platform.audit.list({ objectId: api.id, limit: 50 });
    expect(ledger.map((entry) => entry.action)).toContain('api.version.deprecate');
    // Applied again: nothing to do (deprecatedAt was left out, so it is not compared).
    expect((await post(bank, 'plan', request(file))).json().changes).toEqual([]);
    const exported = (await get(bank, 'export')).json().declaration as Declaration;
    expect(exported.apis!.find((item) => item.slug === slug)!.deprecation).toMatchObject({
      sunsetAt: sunsetAt.toISOString(),
      link,
    });
    // A file that drops it changes nothing and says why.
    const dropped = (await post(bank, 'plan', request(bankFile()))).json();
    expect(dropped.changes).toEqual([]);
    expect(dropped.notes).toContainEqual({
      kind: 'api-deprecation',
      key: slug,
      note: expect.stringContaining('cannot be withdrawn'),
    });
  });
});
