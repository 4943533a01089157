import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, publishDataset, runQuery } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  password,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';

interface RequestView {
  id: string;
  datasetId: string;
  orgId: string;
  providerOrgId: string;
  purpose: string;
  columns: string[];
  durationDays: number;
  wantsDownload: boolean;
  state: string;
  reason: string | null;
  agreementId: string | null;
}

interface AgreementView {
  id: string;
  datasetId: string;
  orgId: string;
  providerOrgId: string;
  requestId: string | null;
  state: string;
  terms: Record<string, unknown> & { expiresAt: string; columns: string[] };
  revokedAt: string | null;
  revokeReason: string | null;
}

type Problem = ReturnType<typeof problemOf> & { field?: string };

const dayMs = 86_400_000;

describe.each(dbTargets)('access requests and agreements on %s', (target) => {
  let platform: TestPlatform;
  // How far the platform's clock runs ahead of real time: a test moves it past an expiry instead of sleeping.
  let clockAheadMs = 0;
  let provider: Tenant;
  /** A member (not admin) of the provider's organisation. */
  let providerMember: Tenant;
  let consumer: Tenant;
  let outsider: Tenant;
  let datasetId: string;
  let draftId: string;

  const requestAccess = (tenant: Tenant, body: Record<string, unknown> = {}) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/access-requests',
      headers: tenant.headers,
      payload: {
        datasetId,
        purpose: 'credit-assessment',
        purposeText: 'scoring small-business loans',
        columns: ['customer_id', 'email', 'district', 'age', 'balance'],
        durationDays: 30,
        wantsDownload: false,
        ...body,
      },
    });

  /** A fresh consumer organisation with a pending request; returns both. */
  async function pendingRequest(body: Record<string, unknown> = {}) {
    const tenant = await createTenant(platform, { kinds: ['consumer'] });
    const response = await requestAccess(tenant, body);
    expect(response.statusCode, response.body).toBe(201);
    return { tenant, request: response.json() as RequestView };
  }

  const decide = (tenant: Tenant, requestId: string, decision: string, payload?: object) =>
    platform.app.inject({
      method: 'POST',
      url: `/v1/access-requests/${requestId}/${decision}`,
      headers: tenant.headers,
      ...(payload === undefined ? {} : { payload }),
    });

  const approve = (tenant: Tenant, requestId: string, terms: object = {}) =>
    decide(tenant, requestId, 'approve', terms);

  const get = (tenant: Tenant | null, url: string) =>
    platform.app.inject({ method: 'GET', url, ...(tenant ? { headers: tenant.headers } : {}) });

  const revoke = (tenant: Tenant, agreementId: string, payload?: object) =>
    platform.app.inject({
      method: 'POST',
      url: `/v1/agreements/${agreementId}/revoke`,
      headers: tenant.headers,
      ...(payload === undefined ? {} : { payload }),
    });

  /** A consumer with an active agreement on the dataset. */
  async function activeAgreement(terms: object = {}) {
    const { tenant, request } = await pendingRequest();
    const response = await approve(provider, request.id, terms);
    expect(response.statusCode, response.body).toBe(200);
    return { tenant, request, agreement: response.json().agreement as AgreementView };
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target, {
      clock: { now: () => new Date(Date.now() + clockAheadMs) },
    });
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer'] });
    const memberEmail = `member.${Math.random().toString(36).slice(2, 8)}@provider.test`;
    const member = await platform.identity.provisionMember(platform.operator, provider.orgId, {
      email: memberEmail,
      name: 'Provider member',
      password,
      role: 'member',
    });
    const cookie = await signIn(platform, memberEmail, password, provider.orgId);
    providerMember = {
      orgId: provider.orgId,
      userId: member.id,
      email: memberEmail,
      cookie,
      headers: { cookie },
    };
    const dataset = await publishDataset(platform, provider, {
      title: 'Bank customers for agreements',
      slug: 'agreement_customers',
      content: customersCsv(40),
    });
    datasetId = dataset.id;
    const draft = await publishDataset(platform, provider, {
      title: 'Unpublished customers',
      slug: 'unpublished_customers',
      content: customersCsv(5),
      publish: false,
    });
    draftId = (draft as unknown as { id: string }).id;
  });
  afterAll(async () => platform?.dispose());

  // First of all: the platform's own expiry sweep runs every 60 s of real time, and this test must
  // be the one that records the expiry, so it runs long before the first sweep.
  it('shows an agreement expired once expiresAt passes, and records the expiry in the ledger once', async () => {
    const { tenant, request } = await pendingRequest();
    // A minute ahead on the platform's clock, which the test then moves past it: no sleeping, and
    // no race with a busy machine.
    const expiresAt = new Date(Date.now() + clockAheadMs + 60_000).toISOString();
    const approved = await approve(provider, request.id, { expiresAt });
    expect(approved.statusCode, approved.body).toBe(200);
    const agreement = approved.json().agreement as AgreementView;
    expect(agreement.state).toBe('active');
    expect((await get(tenant, `/v1/agreements/${agreement.id}`)).json().state).toBe('active');

    clockAheadMs += 61_000;
    expect((await get(tenant, `/v1/agreements/${agreement.id}`)).json().state).toBe('expired');
    const expired = await get(provider, '/v1/agreements?as=provider&state=expired');
    expect(expired.json().items.map((item: AgreementView) => item.id)).toEqual([agreement.id]);
    expect((await get(tenant, '/v1/agreements?state=active')).json().items).toEqual([]);

    expect(await platform.agreements.recordExpiries()).toBe(1);
    const entries = await platform.audit.list({
      objectId: agreement.id,
      action: 'agreement.expire',
      limit: 5,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.data).toMatchObject({ datasetId, consumerOrgId: tenant.orgId, expiresAt });
    expect(await platform.agreements.recordExpiries()).toBe(0);
    expect(
      await platform.audit.list({ objectId: agreement.id, action: 'agreement.expire', limit: 5 }),
    ).toHaveLength(1);
    // Both parties heard of it once, with a link to the agreement; another consumer did not.
    const expiredNotices = async (party: Tenant) =>
      (
        (await get(party, '/v1/notifications?limit=200')).json().items as {
          kind: string;
          objectType: string;
          objectId: string;
        }[]
      ).filter((note) => note.kind === 'agreement.expired' && note.objectId === agreement.id);
    for (const party of [tenant, provider]) {
      expect(await expiredNotices(party)).toMatchObject([{ objectType: 'agreement' }]);
    }
    expect(await expiredNotices(consumer)).toEqual([]);
  });

  describe('requests', () => {
    let request: RequestView;

    it('records a pending request with purpose, columns, duration and the wish to download', async () => {
      const response = await requestAccess(consumer, { wantsDownload: true, durationDays: 90 });
      expect(response.statusCode, response.body).toBe(201);
      request = response.json();
      expect(request).toMatchObject({
        id: expect.stringMatching(/^arq_/),
        datasetId,
        orgId: consumer.orgId,
        providerOrgId: provider.orgId,
        purpose: 'credit-assessment',
        columns: ['customer_id', 'email', 'district', 'age', 'balance'],
        durationDays: 90,
        wantsDownload: true,
        state: 'pending',
        agreementId: null,
      });
    });

    it('keeps one pending request per organisation and dataset', async () => {
      const response = await requestAccess(consumer);
      expect(response.statusCode).toBe(409);
      expect(problemOf(response).code).toBe('already-exists');
    });

    it('refuses a request for your own dataset', async () => {
      const response = await requestAccess(provider);
      expect(response.statusCode).toBe(409);
      expect(problemOf(response).code).toBe('conflict');
    });

    it('refuses a column the dataset does not have, naming it', async () => {
      const response = await requestAccess(outsider, { columns: ['district', 'passport_no'] });
      expect(response.statusCode).toBe(400);
      const problem = problemOf(response);
      expect(problem.code).toBe('validation-failed');
      expect(problem.detail).toContain('passport_no');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'columns' })]);
    });

    it('answers 404 for a draft dataset', async () => {
      const response = await requestAccess(outsider, { datasetId: draftId });
      expect(response.statusCode).toBe(404);
      expect(problemOf(response).code).toBe('not-found');
    });

    it('refuses a purpose outside the vocabulary, naming the field', async () => {
      const response = await requestAccess(outsider, { purpose: 'curiosity' });
      expect(response.statusCode).toBe(400);
      const problem = problemOf(response);
      expect(problem.code).toBe('validation-failed');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'body/purpose' })]);
      expect(problem.detail).toContain('research');
      // None of the refusals left a request behind.
      const mine = await get(outsider, '/v1/access-requests?as=consumer');
      expect(mine.json().items).toEqual([]);
    });

    it('shows the request to both sides and to nobody else', async () => {
      const asProvider = await get(provider, '/v1/access-requests?as=provider&state=pending');
      expect(asProvider.statusCode).toBe(200);
      expect(asProvider.json().items.map((item: RequestView) => item.id)).toContain(request.id);
      const asConsumer = await get(consumer, '/v1/access-requests?as=consumer');
      expect(asConsumer.json().items.map((item: RequestView) => item.id)).toEqual([request.id]);
      expect((await get(consumer, '/v1/access-requests?as=provider')).json().items).toEqual([]);
      expect((await get(provider, '/v1/access-requests?as=provider&state=rejected')).json().items).toEqual(
        [],
      );

      expect((await get(consumer, `/v1/access-requests/${request.id}`)).statusCode).toBe(200);
      expect((await get(provider, `/v1/access-requests/${request.id}`)).statusCode).toBe(200);
      const third = await get(outsider, `/v1/access-requests/${request.id}`);
      expect(third.statusCode).toBe(404);
      expect(problemOf(third).code).toBe('not-found');
      expect((await get(outsider, '/v1/access-requests')).json().items).toEqual([]);
    });
  });

  it('approves with narrower terms: the agreement holds exactly them, in the ledger with the decision', async () => {
    const { tenant, request } = await pendingRequest({ wantsDownload: true, durationDays: 30 });
    const expiresAt = new Date(Date.now() + 7 * dayMs).toISOString();
    const narrower = {
      actions: ['query'],
      columns: ['customer_id', 'district', 'age'],
      masks: { customer_id: { kind: 'hash' }, age: { kind: 'band', width: 10 } },
      rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin', 'Kwun Tong'] }],
      maxQueries: 5,
      expiresAt,
    };
    const response = await approve(provider, request.id, narrower);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { request: RequestView; agreement: AgreementView };
    const agreement = body.agreement;
    expect(agreement).toMatchObject({
      id: expect.stringMatching(/^agr_/),
      datasetId,
      orgId: tenant.orgId,
      providerOrgId: provider.orgId,
      requestId: request.id,
      state: 'active',
      revokedAt: null,
    });
    expect(agreement.terms).toEqual({
      actions: ['query'],
      purpose: 'credit-assessment',
      purposeText: 'scoring small-business loans',
      expiresAt,
      columns: ['customer_id', 'district', 'age'],
      masks: { customer_id: { kind: 'hash' }, age: { kind: 'band', width: 10 } },
      rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin', 'Kwun Tong'] }],
      aggregateOnly: false,
      minGroupSize: null,
      maxQueries: 5,
      maxRowsPerQuery: 10_000,
      regions: ['hong-kong'],
      pinnedVersionId: null,
      duties: ['attribution', 'delete-on-expiry'],
      prohibitions: ['re-identification', 'onward-transfer'],
    });
    expect(body.request).toMatchObject({ id: request.id, state: 'approved', agreementId: agreement.id });
    expect((await get(tenant, `/v1/access-requests/${request.id}`)).json()).toMatchObject({
      state: 'approved',
      agreementId: agreement.id,
    });
    expect((await get(tenant, `/v1/agreements/${agreement.id}`)).json().terms).toEqual(agreement.terms);

    const created = await platform.audit.list({
      objectId: request.id,
      action: 'access-request.create',
      limit: 5,
    });
    expect(created).toHaveLength(1);
    expect(created[0]!.orgId).toBe(tenant.orgId);
    expect(created[0]!.data).toMatchObject({ purpose: 'credit-assessment', durationDays: 30 });
    const [approval] = await platform.audit.list({
      objectId: request.id,
      action: 'access-request.approve',
      limit: 5,
    });
    const [creation] = await platform.audit.list({
      objectId: agreement.id,
      action: 'agreement.create',
      limit: 5,
    });
    expect(approval).toMatchObject({ decision: 'allow', orgId: provider.orgId });
    expect(approval!.data).toMatchObject({ agreementId: agreement.id, consumerOrgId: tenant.orgId });
    expect(creation!.data).toMatchObject({ datasetId, consumerOrgId: tenant.orgId, terms: agreement.terms });
    // Written together in one transaction: adjacent in the chain.
    expect(Math.abs(creation!.seq - approval!.seq)).toBe(1);

    // The mask secret stays on the server: in no answer, under no name.
    const [held] = (await platform.agreements.activeFor(tenant.orgId)).filter((a) => a.id === agreement.id);
    expect(held!.secret).toMatch(/^[0-9a-f]{64}$/);
    const answers = [
      response.body,
      (await get(tenant, `/v1/agreements/${agreement.id}`)).body,
      (await get(tenant, '/v1/agreements?as=consumer')).body,
      (await get(provider, '/v1/agreements?as=provider')).body,
      JSON.stringify([approval, creation]),
    ];
    for (const text of answers) {
      expect(text).not.toContain('"secret"');
      expect(text).not.toContain(held!.secret);
    }
  });

  describe('refuses terms wider than the request', () => {
    let tenant: Tenant;
    let request: RequestView;

    beforeAll(async () => {
      ({ tenant, request } = await pendingRequest({
        columns: ['customer_id', 'email', 'district', 'age'],
        durationDays: 10,
        wantsDownload: false,
      }));
    });

    const cases: [string, () => object, string][] = [
      ['a column that was not requested', () => ({ columns: ['customer_id', 'balance'] }), 'columns'],
      ['download when only queries were requested', () => ({ actions: ['query', 'download'] }), 'actions'],
      [
        'an expiry beyond the requested duration',
        () => ({ expiresAt: new Date(Date.now() + 20 * dayMs).toISOString() }),
        'expiresAt',
      ],
      ['a mask on a column not granted', () => ({ masks: { balance: { kind: 'redact' } } }), 'masks.balance'],
      [
        'a band mask on a text column',
        () => ({ masks: { district: { kind: 'band', width: 10 } } }),
        'masks.district',
      ],
      [
        'a row filter on an unknown column',
        () => ({ rowFilter: [{ column: 'branch', op: '=', value: 'Central' }] }),
        'rowFilter[0].column',
      ],
      [
        'an in filter without values',
        () => ({ rowFilter: [{ column: 'district', op: 'in' }] }),
        'rowFilter[0].values',
      ],
    ];

    it.each(cases)('refuses %s, naming the field', async (_name, terms, field) => {
      const response = await approve(provider, request.id, terms());
      expect(response.statusCode, response.body).toBe(422);
      const problem = problemOf(response) as Problem;
      expect(problem.code).toBe('terms-invalid');
      expect(problem.field).toBe(field);
    });

    it('leaves the request pending and no agreement after the refusals', async () => {
      expect((await get(provider, `/v1/access-requests/${request.id}`)).json()).toMatchObject({
        state: 'pending',
        agreementId: null,
      });
      expect((await get(tenant, '/v1/agreements?as=consumer')).json().items).toEqual([]);
      const ledger = await platform.audit.list({ objectId: request.id, limit: 10 });
      expect(ledger.map((entry) => entry.action)).toEqual(['access-request.create']);
    });
  });

  describe('decisions', () => {
    it("leaves approval to the provider's admins", async () => {
      const { tenant, request } = await pendingRequest();
      const bySelf = await approve(tenant, request.id);
      expect(bySelf.statusCode).toBe(404);
      const byMember = await approve(providerMember, request.id);
      expect(byMember.statusCode).toBe(403);
      expect(problemOf(byMember).code).toBe('forbidden');
      const byOutsider = await approve(outsider, request.id);
      expect(byOutsider.statusCode).toBe(404);
      expect((await get(provider, `/v1/access-requests/${request.id}`)).json().state).toBe('pending');

      expect((await approve(provider, request.id)).statusCode).toBe(200);
      const twice = await approve(provider, request.id);
      expect(twice.statusCode).toBe(409);
      expect(problemOf(twice).code).toBe('conflict');
      expect((await get(tenant, '/v1/agreements?as=consumer')).json().items).toHaveLength(1);
    });

    it('rejects only with a reason, and records the denial', async () => {
      const { tenant, request } = await pendingRequest();
      const withoutReason = await decide(provider, request.id, 'reject');
      expect(withoutReason.statusCode).toBe(400);
      expect(problemOf(withoutReason).code).toBe('validation-failed');
      const emptyReason = await decide(provider, request.id, 'reject', { reason: '' });
      expect(emptyReason.statusCode).toBe(400);
      const byMember = await decide(providerMember, request.id, 'reject', { reason: 'no' });
      expect(byMember.statusCode).toBe(403);

      const response = await decide(provider, request.id, 'reject', { reason: 'purpose not compatible' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ state: 'rejected', reason: 'purpose not compatible' });
      expect((await get(tenant, `/v1/access-requests/${request.id}`)).json()).toMatchObject({
        state: 'rejected',
        reason: 'purpose not compatible',
        agreementId: null,
      });
      const [entry] = await platform.audit.list({
        objectId: request.id,
        action: 'access-request.reject',
        limit: 5,
      });
      expect(entry).toMatchObject({
        decision: 'deny',
        reason: 'purpose not compatible',
        orgId: provider.orgId,
      });
      expect((await approve(provider, request.id)).statusCode).toBe(409);
    });

    it('lets the consumer withdraw, after which the provider cannot approve', async () => {
      const { tenant, request } = await pendingRequest();
      const byProvider = await decide(provider, request.id, 'withdraw');
      expect(byProvider.statusCode).toBe(404);
      const response = await decide(tenant, request.id, 'withdraw');
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().state).toBe('withdrawn');
      const late = await approve(provider, request.id);
      expect(late.statusCode).toBe(409);
      expect(problemOf(late).code).toBe('conflict');
      expect((await get(tenant, '/v1/agreements?as=consumer')).json().items).toEqual([]);
      expect((await decide(tenant, request.id, 'withdraw')).statusCode).toBe(409);
    });
  });

  describe('revocation', () => {
    it('lets the consumer revoke with a reason; the next query is refused', async () => {
      const { tenant, agreement } = await activeAgreement({ columns: ['district'] });
      expect((await runQuery(platform, tenant, 'SELECT count(*) FROM agreement_customers')).statusCode).toBe(
        200,
      );
      const withoutReason = await revoke(tenant, agreement.id);
      expect(withoutReason.statusCode).toBe(400);
      const byOutsider = await revoke(outsider, agreement.id, { reason: 'mischief' });
      expect(byOutsider.statusCode).toBe(404);
      expect((await get(outsider, `/v1/agreements/${agreement.id}`)).statusCode).toBe(404);

      const response = await revoke(tenant, agreement.id, { reason: 'project finished' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        state: 'revoked',
        revokeReason: 'project finished',
        revokedAt: expect.any(String),
      });
      const again = await revoke(tenant, agreement.id, { reason: 'once more' });
      expect(again.statusCode).toBe(409);
      expect(problemOf(again).code).toBe('conflict');

      expect((await get(provider, `/v1/agreements/${agreement.id}`)).json().state).toBe('revoked');
      const revoked = await get(tenant, '/v1/agreements?state=revoked');
      expect(revoked.json().items.map((item: AgreementView) => item.id)).toEqual([agreement.id]);
      expect((await get(tenant, '/v1/agreements?state=active')).json().items).toEqual([]);
      const [entry] = await platform.audit.list({
        objectId: agreement.id,
        action: 'agreement.revoke',
        limit: 5,
      });
      expect(entry).toMatchObject({ reason: 'project finished', orgId: tenant.orgId });

      const query = await runQuery(platform, tenant, 'SELECT count(*) FROM agreement_customers');
      expect(query.statusCode).toBe(403);
    });

    it("lets the provider's admin revoke, but not a member", async () => {
      const { agreement } = await activeAgreement();
      const byMember = await revoke(providerMember, agreement.id, { reason: 'not mine to decide' });
      expect(byMember.statusCode).toBe(403);
      const response = await revoke(provider, agreement.id, { reason: 'breach of the purpose' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().state).toBe('revoked');
      const listed = await get(provider, '/v1/agreements?as=provider&state=revoked');
      expect(listed.json().items.map((item: AgreementView) => item.id)).toContain(agreement.id);
      expect((await revoke(provider, agreement.id, { reason: 'again' })).statusCode).toBe(409);
    });
  });

  describe('terms schema', () => {
    it('is public JSON Schema that every agreement follows, and that refuses unknown fields', async () => {
      const response = await get(null, '/v1/agreements/terms-schema');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/schema\+json/);
      const schema = response.json();
      expect(schema.$id).toBe('https://stp-platform.dev/schemas/agreement-terms.json');

      const ajv = new Ajv({ strict: false, allErrors: true });
      (addFormatsPlugin as unknown as (ajv: Ajv) => Ajv)(ajv);
      const validate = ajv.compile(schema);

      await activeAgreement({
        masks: { email: { kind: 'keep-last', n: 3 }, customer_id: { kind: 'hash' } },
        rowFilter: [{ column: 'age', op: '>=', value: 30 }],
        aggregateOnly: true,
      });
      const all = (await get(provider, '/v1/agreements?as=provider')).json().items as AgreementView[];
      expect(all.length).toBeGreaterThanOrEqual(3);
      for (const agreement of all) {
        expect(validate(agreement.terms), JSON.stringify(validate.errors)).toBe(true);
      }
      const sample = all[0]!.terms;
      expect(validate({ ...sample, shareWith: ['everyone'] })).toBe(false);
      expect(validate({ ...sample, masks: { email: { kind: 'hash', salt: 'x' } } })).toBe(false);
      const { expiresAt: _expiresAt, ...withoutExpiry } = sample;
      expect(validate(withoutExpiry)).toBe(false);
      expect(validate({ ...sample, expiresAt: 'next Tuesday' })).toBe(false);
    });
  });
});
