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

const dayMs = 86_400_000;

describe.each(dbTargets)('terms templates in declarations (%s)', (target) => {
  let platform: TestPlatform;
  let bank: Tenant;
  let consumer: Tenant;
  let bankSlug: string;
  let datasetSlug: string;
  let datasetId: string;

  const post = (tenant: Tenant, url: string, payload: object) =>
    platform.app.inject({ method: 'POST', url, headers: tenant.headers, payload });
  const get = (tenant: Tenant, url: string) =>
    platform.app.inject({ method: 'GET', url, headers: tenant.headers });

  const partnerTerms = {
    columns: ['customer_id', 'district', 'age', 'balance'],
    masks: { customer_id: { kind: 'hash' as const }, age: { kind: 'band' as const, width: 10 } },
    rowFilter: [{ column: 'district', op: 'in' as const, values: ['Sha Tin', 'Kwun Tong'] }],
    maxRowsPerQuery: 100,
    regions: ['hong-kong' as const],
    durationDays: 30,
  };
  const file = (changes: Partial<Declaration> = {}, defaultTerms: string | null = 'partner-standard') =>
    ({
      format: 'stp.declaration/1',
      organisation: bankSlug,
      termsTemplates: [
        { slug: 'partner-standard', description: 'Partners: masked, filtered', terms: partnerTerms },
        { slug: 'aggregates', terms: { aggregateOnly: true, minGroupSize: 10 } },
      ],
      datasets: [
        {
          slug: datasetSlug,
          title: 'Customers',
          licence: 'proprietary',
          classifications: { customer_id: 'identifier', email: 'personal' },
          published: true,
          ...(defaultTerms ? { defaultTerms } : {}),
        },
      ],
      ...changes,
    }) as Declaration;
  const plan = (declaration: Declaration, extra: object = {}) =>
    post(bank, '/v1/declarations/plan', { declaration, ...extra });
  const apply = (declaration: Declaration, extra: object = {}) =>
    post(bank, '/v1/declarations/apply', { declaration, ...extra });
  const summary = (changes: { action: string; kind: string; key: string }[]) =>
    changes.map((c) => `${c.action} ${c.kind} ${c.key}`);
  const requestAccess = async () => {
    const response = await post(consumer, '/v1/access-requests', {
      datasetId,
      purpose: 'credit-assessment',
      purposeText: 'scoring small-business loans',
      columns: ['customer_id', 'email', 'district', 'age', 'balance'],
      durationDays: 90,
      wantsDownload: false,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    bank = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    bankSlug = (await platform.identity.organisationsByIds([bank.orgId]))[0]!.slug;
    datasetSlug = `customers_${bankSlug.replaceAll('-', '_')}`.slice(0, 60);
  }, 120_000);
  afterAll(async () => platform?.dispose());

  it('publishes the template terms as the agreement terms schema’s own fields', async () => {
    const declarationSchema = (
      await platform.app.inject({ method: 'GET', url: '/v1/declarations/schema' })
    ).json();
    const termsSchema = (
      await platform.app.inject({ method: 'GET', url: '/v1/agreements/terms-schema' })
    ).json();
    const templateTerms = declarationSchema.properties.termsTemplates.items.properties.terms;
    for (const term of [
      'columns',
      'masks',
      'rowFilter',
      'aggregateOnly',
      'minGroupSize',
      'maxRowsPerQuery',
    ]) {
      expect(templateTerms.properties[term], term).toEqual(termsSchema.properties[term]);
    }
    expect(Object.keys(templateTerms.properties)).not.toContain('expiresAt');
    expect(templateTerms.additionalProperties).toBe(false);
    expect(declarationSchema.properties.datasets.items.properties.defaultTerms.type).toBe('string');
  });

  it('plans and applies templates before the dataset that names one, each with its ledger entry', async () => {
    const planned = await plan(file());
    expect(planned.statusCode, planned.body).toBe(200);
    expect(summary(planned.json().changes)).toEqual([
      'create terms-template partner-standard',
      'create terms-template aggregates',
      `create dataset ${datasetSlug}`,
      `create dataset-terms ${datasetSlug}`,
    ]);
    const template = planned.json().changes[0];
    expect(template.fields).toContainEqual({ field: 'terms.durationDays', from: null, to: 30 });
    const applied = await apply(file());
    expect(applied.statusCode, applied.body).toBe(200);
    const entries = await platform.audit.list({ orgId: bank.orgId, limit: 50 });
    const named = entries.filter((entry) => entry.data.declaration === planned.json().hash);
    expect(named.map((entry) => entry.action).sort()).toEqual([
      'dataset.create',
      'dataset.default-terms',
      'terms-template.create',
      'terms-template.create',
    ]);
    expect((await plan(file())).json().changes).toEqual([]);

    // With data, the classifications and publication follow.
    const owner = (await platform.identity.principalFor('session', bank.userId, bank.orgId, {}))!;
    const [entry] = (await platform.datasets.list(owner, { orgId: bank.orgId, limit: 10 })).items;
    datasetId = entry!.dataset.id;
    const body = multipartBody({ name: 'customers.csv', content: customersCsv(40) });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${datasetId}/versions`,
      headers: { ...bank.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect((await apply(file())).statusCode).toBe(200);
    expect((await platform.datasets.get(owner, datasetId)).dataset.status).toBe('published');
  }, 60_000);

  it('refuses at plan time a template that names a column the dataset does not have', async () => {
    const wrong = file();
    wrong.termsTemplates![0]!.terms = {
      ...partnerTerms,
      masks: { ...partnerTerms.masks, salary: { kind: 'redact' } },
    };
    const headBefore = await platform.audit.head();
    for (const response of [await plan(wrong), await apply(wrong)]) {
      const problem = problemOf(response) as ReturnType<typeof problemOf> & { errors?: { field: string }[] };
      expect(problem.status).toBe(400);
      expect(problem.detail).toContain('terms template "partner-standard"');
      expect(problem.detail).toContain('salary');
      expect(problem.errors![0]!.field).toBe('declaration.termsTemplates.0.terms.masks.salary');
    }
    // A default naming no template at all is refused too, naming the dataset's field.
    const unknown = problemOf(await plan(file({}, 'no-such-template')));
    expect(unknown.status).toBe(400);
    expect(unknown.detail).toContain('no-such-template');
    // Nothing was written.
    expect((await platform.audit.head()).seq).toBe(headBefore.seq);
  });

  it('approves a request without terms on the dataset’s default template', async () => {
    const requestId = await requestAccess();
    const before = Date.now();
    const approved = await post(bank, `/v1/access-requests/${requestId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const { agreement, template } = approved.json();
    expect(template).toBe('partner-standard');
    // The request asked for email too: the template does not grant it.
    expect(agreement.terms.columns).toEqual(['customer_id', 'district', 'age', 'balance']);
    expect(agreement.terms.masks).toEqual(partnerTerms.masks);
    expect(agreement.terms.rowFilter).toEqual(partnerTerms.rowFilter);
    expect(agreement.terms.maxRowsPerQuery).toBe(100);
    // The template's 30 days, not the request's 90.
    const expires = new Date(agreement.terms.expiresAt).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 30 * dayMs - 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * dayMs + 60_000);
    const [entry] = await platform.audit.list({
      orgId: bank.orgId,
      action: 'access-request.approve',
      limit: 1,
    });
    expect(entry!.data.template).toBe('partner-standard');
  });

  it('approves on a named template with overrides on top, and without a template when terms are given', async () => {
    const named = await post(bank, `/v1/access-requests/${await requestAccess()}/approve`, {
      template: 'aggregates',
      maxQueries: 3,
    });
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json().template).toBe('aggregates');
    expect(named.json().agreement.terms).toMatchObject({
      aggregateOnly: true,
      minGroupSize: 10,
      maxQueries: 3,
    });
    expect(named.json().agreement.terms.masks).toEqual({});

    const given = await post(bank, `/v1/access-requests/${await requestAccess()}/approve`, { maxQueries: 5 });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json().template).toBeNull();
    expect(given.json().agreement.terms.columns).toContain('email');

    const pending = await requestAccess();
    const missing = problemOf(
      await post(bank, `/v1/access-requests/${pending}/preview`, { template: 'nope' }),
    );
    expect(missing.status).toBe(400);
    expect(missing.detail).toContain('"nope"');
    await post(bank, `/v1/access-requests/${pending}/reject`, { reason: 'asked again later' });
  });

  it('lists the templates to their organisation only, and exports them so the file round-trips', async () => {
    const listed = await get(bank, '/v1/terms-templates');
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json().items as { slug: string; datasetIds: string[]; terms: object }[];
    expect(items.map((item) => [item.slug, item.datasetIds])).toEqual([
      ['aggregates', []],
      ['partner-standard', [datasetId]],
    ]);
    expect(items[1]!.terms).toEqual(partnerTerms);
    expect((await get(consumer, '/v1/terms-templates')).json().items).toEqual([]);

    const { declaration, documents } = (await get(bank, '/v1/declarations/export')).json();
    expect(declaration.datasets[0].defaultTerms).toBe('partner-standard');
    expect(declaration.termsTemplates.map((t: { slug: string }) => t.slug)).toEqual([
      'aggregates',
      'partner-standard',
    ]);
    const roundTrip = (await plan(declaration, { documents })).json();
    expect(roundTrip.changes).toEqual([]);
  });

  it('reports a default changed outside the file as drift, and the file puts it back', async () => {
    const owner = (await platform.identity.principalFor('session', bank.userId, bank.orgId, {}))!;
    await platform.templates.setDatasetDefault(owner, datasetId, 'aggregates');
    const drift = (await get(bank, '/v1/declarations/drift')).json().drift;
    expect(drift).toEqual([
      {
        drift: 'changed',
        kind: 'dataset-terms',
        key: datasetSlug,
        fields: [{ field: 'template', from: 'partner-standard', to: 'aggregates' }],
      },
    ]);
    expect((await apply(file())).statusCode).toBe(200);
    expect((await get(bank, '/v1/declarations/drift')).json().drift).toEqual([]);
  });

  it('changes a term field by field, drops a default the file no longer names, and prunes a template', async () => {
    const changed = file();
    changed.termsTemplates![1]!.terms = { aggregateOnly: true, minGroupSize: 20 };
    expect((await plan(changed)).json().changes).toEqual([
      {
        action: 'update',
        kind: 'terms-template',
        key: 'aggregates',
        fields: [{ field: 'terms.minGroupSize', from: 10, to: 20 }],
      },
    ]);

    // A template still a dataset's default cannot go, even with prune.
    const owner = (await platform.identity.principalFor('session', bank.userId, bank.orgId, {}))!;
    await expect(platform.templates.delete(owner, 'partner-standard')).rejects.toMatchObject({
      code: 'conflict',
    });

    const without = file({ termsTemplates: [file().termsTemplates![0]!] }, null);
    const pruned = await apply(without, { prune: true });
    expect(pruned.statusCode, pruned.body).toBe(200);
    expect(summary(pruned.json().applied)).toEqual([
      `delete dataset-terms ${datasetSlug}`,
      'delete terms-template aggregates',
    ]);
    expect(await platform.templates.defaultFor(datasetId)).toBeNull();
    // With no default, an approval without terms grants the request as asked.
    const approved = await post(bank, `/v1/access-requests/${await requestAccess()}/approve`, {});
    expect(approved.json().template).toBeNull();
    expect(approved.json().agreement.terms.masks).toEqual({});
  });
});
