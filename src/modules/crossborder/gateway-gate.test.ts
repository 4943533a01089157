import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredential, publishDemoApi, subscribe } from '../../../test/api-hub.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../../demo/building-energy.js';
import { apiFlowKey, apiTransferRefusal, type TransferGate } from './gate.js';
import { transferStates } from './schema.js';
import { currentState, inForceUntil, type Transfer } from './service.js';

const day = 86_400_000;

describe('the gateway rule', () => {
  const gate: TransferGate = {
    personalDataApis: new Set(['api_personal']),
    locations: new Map([
      ['org_hk', 'hong-kong'],
      ['org_hk2', 'hong-kong'],
      ['org_sz', 'shenzhen'],
      ['org_gz', 'guangzhou'],
      ['org_far', 'elsewhere'],
    ]),
    flows: new Map([
      [
        apiFlowKey('org_hk', 'org_sz', 'api_personal'),
        {
          inForceUntilMs: 2000,
          lapsed: { missingStep: 'filing', detail: 'transfer xfr_1 is suspended', transferId: 'xfr_1' },
        },
      ],
    ]),
  };
  const refusal = (providerOrgId: string, recipientOrgId: string, nowMs = 1000, apiId = 'api_personal') =>
    apiTransferRefusal(gate, { apiId, providerOrgId, recipientOrgId }, nowMs);

  it('gates only personal-data APIs between jurisdictions, in either direction', () => {
    expect(refusal('org_hk', 'org_sz', 1000, 'api_open')).toBeNull();
    expect(refusal('org_hk', 'org_hk2')).toBeNull();
    expect(refusal('org_sz', 'org_gz')).toBeNull();
    expect(refusal('org_sz', 'org_sz')).toBeNull();
    expect(refusal('org_hk', 'org_sz')).toBeNull();
    // Mainland data flowing into Hong Kong needs its own transfer as much as the reverse.
    expect(refusal('org_sz', 'org_hk')).toMatchObject({ code: 'transfer-required', missingStep: 'transfer' });
    expect(refusal('org_hk', 'org_far')).toMatchObject({ code: 'transfer-not-permitted' });
    expect(refusal('org_far', 'org_hk')).toMatchObject({ code: 'transfer-not-permitted' });
    expect(refusal('org_hk', 'org_unknown')).toMatchObject({
      code: 'location-unverified',
      missingStep: 'location-verification',
    });
  });

  it('closes a flow when its window ends, naming the step then missing, without a reload', () => {
    expect(refusal('org_hk', 'org_sz', 1999)).toBeNull();
    expect(refusal('org_hk', 'org_sz', 2000)).toMatchObject({
      code: 'transfer-required',
      missingStep: 'filing',
      transferId: 'xfr_1',
    });
  });

  it('puts the end of a transfer in force exactly where currentState stops calling it in force', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const isInForce = (transfer: Transfer, at: number) =>
      ['approved', 'filed'].includes(currentState(transfer, new Date(at)));
    const dayOf = (offset: number) => new Date(start + offset * day).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.constantFrom(...transferStates),
        fc.integer({ min: 0, max: 60 * day }),
        fc.integer({ min: 0, max: 60 * day }),
        fc.option(fc.integer({ min: 0, max: 60 })),
        fc.option(fc.integer({ min: 0, max: 60 })),
        (state, expiresIn, nowIn, dueIn, filedIn) => {
          const transfer = {
            state,
            expiresAt: new Date(start + expiresIn),
            filingDueOn: dueIn === null ? null : dayOf(dueIn),
            filedOn: filedIn === null ? null : dayOf(filedIn),
          } as Transfer;
          const now = start + nowIn;
          const until = inForceUntil(transfer, new Date(now));
          if (until === null) {
            expect(isInForce(transfer, now)).toBe(false);
            return;
          }
          expect(until).toBeGreaterThan(now);
          expect(isInForce(transfer, until - 1)).toBe(true);
          expect(isInForce(transfer, until)).toBe(false);
        },
      ),
    );
  });
});

describe.each(dbTargets)('cross-boundary gate at the gateway (%s)', (target) => {
  let platform: TestPlatform;
  let now = new Date('2026-04-01T02:00:00Z'); // 10:00 in Hong Kong, a Wednesday
  let upstream: RunningUpstream;
  let base: string;
  let bank: Tenant;
  let shenzhen: Tenant;
  let local: Tenant;
  let abroad: Tenant;
  let regulator: Tenant;
  let apiId: string;
  let transferId: string;
  const keys = new Map<Tenant, string>();
  const slug = `xb-energy-${target}`;

  const as = (tenant: Tenant, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, ...(payload ? { payload } : {}) });
  /** A call about a consenting subject, so the consent gate lets it through. */
  const call = (tenant: Tenant) =>
    fetch(`${base}/gw/${slug}/buildings`, {
      headers: { 'x-api-key': keys.get(tenant)!, 'x-subject-key': 'XB-1' },
    });
  const refusalOf = async (tenant: Tenant) => {
    const response = await call(tenant);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as { code: string; missingStep?: string; transferId?: string };
    return { ...body, requestId: response.headers.get('x-request-id') };
  };
  /** Sessions last 12 hours of the test clock: sign in again after moving it. */
  const signInAgain = async (...tenants: Tenant[]) => {
    for (const tenant of tenants) {
      tenant.cookie = await signIn(platform, tenant.email);
      tenant.headers = { cookie: tenant.cookie };
    }
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => now } });
    upstream = await startBuildingEnergyUpstream();
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    bank = await createTenant(platform, { kinds: ['provider'] });
    shenzhen = await createTenant(platform, { kinds: ['consumer'], location: 'shenzhen' });
    local = await createTenant(platform, { kinds: ['consumer'] });
    abroad = await createTenant(platform, { kinds: ['consumer'], location: 'elsewhere' });
    regulator = await createTenant(platform, { kinds: ['regulator'] });
    const hub = await publishDemoApi(platform, bank, { slug, upstreamUrl: upstream.url });
    apiId = hub.api.id;
    for (const consumer of [shenzhen, local, abroad]) {
      expect((await subscribe(platform, consumer, hub.open.id)).statusCode).toBe(201);
      keys.set(consumer, (await createCredential(platform, consumer, 'api-key')).secret);
    }
    const requirement = await as(bank, 'PUT', `/v1/apis/${apiId}/consent-requirement`, {
      purpose: 'credit-assessment',
      subjectRequired: false,
    });
    expect(requirement.statusCode, requirement.body).toBe(200);
    const consent = await as(bank, 'POST', '/v1/consents', {
      subjectKey: 'XB-1',
      purpose: 'credit-assessment',
      apiIds: [apiId],
    });
    expect(consent.statusCode, consent.body).toBe(201);
    await platform.gateway.refresh();
  });
  afterAll(async () => {
    await platform?.dispose();
    await upstream?.close();
  });

  it('refuses a Shenzhen consumer without a transfer, naming the step, and meters the refusal', async () => {
    const refused = await refusalOf(shenzhen);
    expect(refused).toMatchObject({ code: 'transfer-required', missingStep: 'transfer', transferId: null });
    // Every call of a personal-data API is gated, whether or not it names a subject.
    const unnamed = await fetch(`${base}/gw/${slug}/buildings`, {
      headers: { 'x-api-key': keys.get(shenzhen)! },
    });
    expect(unnamed.status).toBe(403);
    await platform.meter.flush();
    const proof = await as(shenzhen, 'GET', `/v1/usage/calls/${refused.requestId}/proof`);
    expect(proof.statusCode, proof.body).toBe(200);
    expect(proof.json().call).toMatchObject({ status: 403, path: '/buildings' });
  });

  it('never gates a Hong Kong consumer of a Hong Kong provider', async () => {
    expect((await call(local)).status).toBe(200);
  });

  it('refuses a consumer outside the GBA outright', async () => {
    expect(await refusalOf(abroad)).toMatchObject({
      code: 'transfer-not-permitted',
      missingStep: 'recipient-outside-gba',
    });
  });

  it('wants a transfer to cover at least one dataset or API', async () => {
    const empty = await as(shenzhen, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: shenzhen.orgId,
      datasetIds: [],
      dataCategories: ['identifiers'],
      volume: 'small',
      purpose: 'credit assessment',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2027-04-01T00:00:00Z',
    });
    expect(empty.statusCode).toBe(400);
    expect(problemOf(empty).code).toBe('validation-failed');
  });

  it('lets the calls through once a transfer covering the API is approved, following each step', async () => {
    const created = await as(shenzhen, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: shenzhen.orgId,
      datasetIds: [],
      apiIds: [apiId],
      dataCategories: ['SME customer identifiers (pseudonymised)', 'energy use'],
      volume: 'about 1,000 calls a month',
      purpose: 'credit assessment of SME customers',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2027-04-01T00:00:00Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ apiIds: [apiId], datasetIds: [] });
    transferId = created.json().id;
    await platform.gateway.refresh();
    expect(await refusalOf(shenzhen)).toMatchObject({ missingStep: 'submission', transferId });

    const assessed = await as(bank, 'POST', `/v1/transfers/${transferId}/assessment`, {
      completedOn: '2026-03-30',
      attachment: { name: 'pia-2026-03.pdf', sha256: 'c'.repeat(64) },
    });
    expect(assessed.statusCode, assessed.body).toBe(200);
    expect((await as(bank, 'POST', `/v1/transfers/${transferId}/sign`)).statusCode).toBe(200);
    expect((await as(shenzhen, 'POST', `/v1/transfers/${transferId}/sign`)).json().filingDueOn).toBe(
      '2026-04-20',
    );
    expect((await as(bank, 'POST', `/v1/transfers/${transferId}/submit`)).statusCode).toBe(200);
    await platform.gateway.refresh();
    expect(await refusalOf(shenzhen)).toMatchObject({ missingStep: 'regulator-approval' });

    expect((await as(regulator, 'POST', `/v1/transfers/${transferId}/review/start`)).statusCode).toBe(200);
    const approved = await as(regulator, 'POST', `/v1/transfers/${transferId}/review/approve`, {
      reason: 'PIA adequate; contract in the standard form',
    });
    expect(approved.json().currentState).toBe('approved');
    // The approval reaches the gateway through the change feed (a debounced reload), without a
    // manual refresh. Polled slowly enough to stay within the plan's rate limit (5/s, burst 10).
    const started = Date.now();
    let status = 403;
    while (status === 403 && Date.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await call(shenzhen)).status;
    }
    expect(status).toBe(200);
    expect((await call(local)).status).toBe(200);
    expect((await refusalOf(abroad)).code).toBe('transfer-not-permitted');
  });

  it('stops the calls the moment the filing is overdue, and lets them through again once filed', async () => {
    now = new Date('2026-04-21T02:00:00Z'); // the day after the filing was due
    // No change event and no reload: the snapshot already knows when the transfer stops being in force.
    expect(await refusalOf(shenzhen)).toMatchObject({ missingStep: 'filing', transferId });
    await signInAgain(bank, shenzhen);
    const filed = await as(bank, 'POST', `/v1/transfers/${transferId}/filing`, {
      filedOn: '2026-04-21',
      reference: 'PCPD-GBA-2026-0077',
    });
    expect(filed.statusCode, filed.body).toBe(200);
    await platform.gateway.refresh();
    expect((await call(shenzhen)).status).toBe(200);
  });
});
