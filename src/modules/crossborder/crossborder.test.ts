import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, grantAccess, publishDataset, runQuery } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { HolidayCalendar } from './calendar.js';
import { isCrossBoundary, jurisdictionOf } from './service.js';

describe('working days for filing deadlines', () => {
  it('skips weekends and Hong Kong public holidays', () => {
    const calendar = HolidayCalendar.load();
    // Wed 1 April 2026: Good Friday (3rd), the day after (4th), Sunday (5th), the days after Ching
    // Ming (6th) and Easter Monday (7th) are not working days.
    expect(calendar.addWorkingDays('2026-04-01', 10)).toBe('2026-04-20');
    // Without holidays only the weekend is skipped.
    expect(new HolidayCalendar([]).addWorkingDays('2026-04-01', 10)).toBe('2026-04-15');
    // Friday to the next working day: over a weekend.
    expect(calendar.addWorkingDays('2026-06-05', 1)).toBe('2026-06-08');
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-24')).toBe(true);
  });

  it('tells jurisdictions apart in either direction', () => {
    expect(jurisdictionOf('shenzhen')).toBe('mainland-gba');
    expect(isCrossBoundary('hong-kong', 'shenzhen')).toBe(true);
    expect(isCrossBoundary('shenzhen', 'hong-kong')).toBe(true);
    expect(isCrossBoundary('shenzhen', 'guangzhou')).toBe(false);
    expect(isCrossBoundary('macao', 'hong-kong')).toBe(true);
  });
});

describe.each(dbTargets)('cross-boundary transfer gate (%s)', (target) => {
  let platform: TestPlatform;
  let now = new Date('2026-04-01T02:00:00Z'); // 10:00 in Hong Kong, a Wednesday
  let bank: Tenant;
  let shenzhen: Tenant;
  let regulator: Tenant;
  let datasetId: string;
  let transferId: string;

  const as = async (tenant: Tenant, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });
  /** Sessions last 12 hours of the test clock: sign in again after moving it. */
  const refresh = async (...tenants: Tenant[]) => {
    for (const tenant of tenants) {
      tenant.cookie = await signIn(platform, tenant.email);
      tenant.headers = { cookie: tenant.cookie };
    }
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => now } });
    bank = await createTenant(platform, { kinds: ['provider'] });
    shenzhen = await createTenant(platform, { kinds: ['consumer'], location: 'shenzhen' });
    regulator = await createTenant(platform, { kinds: ['regulator'] });
    const dataset = await publishDataset(platform, bank, {
      title: 'SME customers',
      slug: `sme_customers_${target}`,
      content: customersCsv(30),
      classifications: { customer_id: 'identifier', full_name: 'personal', email: 'personal' },
    });
    datasetId = dataset.id;
    await grantAccess(platform, shenzhen, bank, datasetId, {
      columns: ['customer_id', 'district', 'age'],
      terms: { masks: { customer_id: { kind: 'hash' } }, regions: ['shenzhen'] },
    });
  });
  afterAll(async () => platform?.dispose());

  const query = () => runQuery(platform, shenzhen, `SELECT count(*) AS n FROM sme_customers_${target}`);
  const missingStep = async () => {
    const response = await query();
    expect(response.statusCode, response.body).toBe(403);
    return problemOf(response) as ReturnType<typeof problemOf> & { missingStep: string };
  };

  it('refuses personal data to Shenzhen without a transfer, naming the step', async () => {
    const problem = await missingStep();
    expect(problem.code).toBe('transfer-required');
    expect(problem.missingStep).toBe('transfer');
    const refusals = await platform.audit.list({ action: 'transfer.gate', limit: 100 });
    expect(refusals[0]?.decision).toBe('deny');
    // Listing what one may query is not an attempt to read: it shows why, and records nothing.
    const tables = (await as(shenzhen, 'GET', '/v1/query/tables')).json().items;
    expect(tables[0].blockedBy).toContain('cross-boundary');
    expect(await platform.audit.list({ action: 'transfer.gate', limit: 100 })).toHaveLength(refusals.length);
  });

  it('walks a transfer from draft to approval, and the gate follows each step', async () => {
    const created = await as(shenzhen, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: shenzhen.orgId,
      datasetIds: [datasetId],
      dataCategories: ['customer identifiers (pseudonymised)', 'age'],
      volume: 'about 30 records, once',
      purpose: 'credit assessment of SME customers',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2027-04-01T00:00:00Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    transferId = created.json().id;
    expect((await missingStep()).missingStep).toBe('submission');

    const early = await as(bank, 'POST', `/v1/transfers/${transferId}/submit`);
    expect(early.statusCode).toBe(409);
    const incomplete = problemOf(early) as ReturnType<typeof problemOf> & { missingSteps: string[] };
    expect(incomplete.code).toBe('transfer-incomplete');
    expect(incomplete.missingSteps).toHaveLength(3);

    const assessed = await as(bank, 'POST', `/v1/transfers/${transferId}/assessment`, {
      completedOn: '2026-03-30',
      attachment: { name: 'pia-2026-03.pdf', sha256: 'a'.repeat(64) },
    });
    expect(assessed.statusCode, assessed.body).toBe(200);
    expect(
      (
        await as(shenzhen, 'POST', `/v1/transfers/${transferId}/assessment`, {
          completedOn: '2026-03-30',
          attachment: { name: 'x.pdf', sha256: 'b'.repeat(64) },
        })
      ).statusCode,
    ).toBe(403);
    await as(bank, 'POST', `/v1/transfers/${transferId}/sign`);
    const signed = (await as(shenzhen, 'POST', `/v1/transfers/${transferId}/sign`)).json();
    expect(signed.contractEffectiveOn).toBe('2026-04-01');
    expect(signed.filingDueOn).toBe('2026-04-20'); // 10 working days, Easter holidays skipped
    expect((await as(bank, 'POST', `/v1/transfers/${transferId}/submit`)).statusCode).toBe(200);
    expect((await missingStep()).missingStep).toBe('regulator-approval');

    expect((await as(bank, 'POST', `/v1/transfers/${transferId}/review/start`)).statusCode).toBe(403);
    expect((await as(regulator, 'POST', `/v1/transfers/${transferId}/review/start`)).statusCode).toBe(200);
    const approved = await as(regulator, 'POST', `/v1/transfers/${transferId}/review/approve`, {
      reason: 'PIA adequate; contract in the standard form',
    });
    expect(approved.json().state).toBe('approved');
    const allowed = await query();
    expect(allowed.statusCode, allowed.body).toBe(200);
    const notes = (await as(shenzhen, 'GET', '/v1/notifications')).json().items;
    expect(notes.map((n: { kind: string }) => n.kind)).toContain('transfer.approved');
    // Each step is one event to its parties, carrying the state it reached; the submission only to the recipient.
    const told = async (tenant: Tenant) =>
      (
        (await as(tenant, 'GET', '/v1/notifications?limit=200')).json().items as {
          kind: string;
          objectId: string;
          data: { state?: string };
        }[]
      )
        .filter((n) => n.objectId === transferId)
        .map((n) => `${n.kind}:${n.data.state}`)
        .sort();
    expect(await told(shenzhen)).toEqual([
      'transfer.approved:approved',
      'transfer.submitted:submitted',
      'transfer.under-review:under-review',
    ]);
    expect(await told(bank)).toEqual(['transfer.approved:approved', 'transfer.under-review:under-review']);
    expect(await told(regulator)).toEqual([]);
  });

  it('suspends a transfer whose filing is overdue, tells both parties, and lifts it on filing', async () => {
    now = new Date('2026-04-21T02:00:00Z'); // the day after the filing was due
    await refresh(bank, shenzhen, regulator);
    expect((await missingStep()).missingStep).toBe('filing');
    // Two sweeps at once, as two nodes sharing the database would run them: one suspension, recorded once.
    // (The platform's own scheduled sweep, on the same clock, may also get there first.)
    await Promise.all([platform.transfers.sweep(), platform.transfers.sweep()]);
    expect((await missingStep()).missingStep).toBe('filing');
    expect((await as(bank, 'GET', `/v1/transfers/${transferId}`)).json().state).toBe('suspended');
    expect(
      await platform.audit.list({ action: 'transfer.suspend', objectId: transferId, limit: 10 }),
    ).toHaveLength(1);
    for (const tenant of [bank, shenzhen]) {
      const kinds = (await as(tenant, 'GET', '/v1/notifications'))
        .json()
        .items.map((n: { kind: string }) => n.kind);
      expect(kinds).toContain('transfer.suspended');
    }
    const filed = await as(bank, 'POST', `/v1/transfers/${transferId}/filing`, {
      filedOn: '2026-04-21',
      reference: 'PCPD-GBA-2026-0042',
    });
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.json().state).toBe('filed');
    for (const tenant of [bank, shenzhen]) {
      const filings = (await as(tenant, 'GET', '/v1/notifications?limit=200'))
        .json()
        .items.filter((n: { kind: string }) => n.kind === 'transfer.filed');
      expect(filings).toHaveLength(1);
      expect(filings[0].data).toMatchObject({ transferId, state: 'filed', recipientOrgId: shenzhen.orgId });
    }
    expect((await query()).statusCode).toBe(200);
    const [entry] = await platform.audit.list({ action: 'transfer.file', limit: 1 });
    if (!entry) throw new Error('the filing is not in the ledger');
    expect((entry.data as { late: boolean }).late).toBe(true);
  });

  it('lets non-personal columns cross without a transfer', async () => {
    const other = await createTenant(platform, { kinds: ['consumer'], location: 'guangzhou' });
    await grantAccess(platform, other, bank, datasetId, {
      columns: ['district'],
      terms: { regions: ['guangzhou'] },
    });
    const response = await runQuery(platform, other, `SELECT count(*) FROM sme_customers_${target}`);
    expect(response.statusCode, response.body).toBe(200);
  });

  it('refuses recipients outside the GBA by this route', async () => {
    const abroad = await createTenant(platform, { kinds: ['consumer'], location: 'elsewhere' });
    const response = await as(abroad, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: abroad.orgId,
      datasetIds: [datasetId],
      dataCategories: ['identifiers'],
      volume: 'small',
      purpose: 'research',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2027-01-01T00:00:00Z',
    });
    expect(response.statusCode).toBe(403);
    expect(problemOf(response).code).toBe('transfer-not-permitted');
    await grantAccess(platform, abroad, bank, datasetId, {
      columns: ['customer_id'],
      terms: { regions: ['elsewhere'] },
    });
    const query_ = await runQuery(platform, abroad, `SELECT count(*) FROM sme_customers_${target}`);
    expect(problemOf(query_).code).toBe('transfer-not-permitted');
  });

  it('lets only an operator change a location', async () => {
    const response = await as(shenzhen, 'PUT', `/v1/orgs/${shenzhen.orgId}/location`, {
      location: 'hong-kong',
    });
    expect(response.statusCode).toBe(403);
    const mine = (await as(shenzhen, 'GET', `/v1/orgs/${shenzhen.orgId}`)).json();
    expect(mine.location).toBe('shenzhen');
  });

  it('does not let a regulator query the data', async () => {
    const asked = await as(regulator, 'POST', '/v1/access-requests', {
      datasetId,
      purpose: 'regulatory-compliance',
      purposeText: 'inspection',
      columns: ['customer_id'],
      durationDays: 1,
    });
    expect(asked.statusCode).toBe(403);
    const response = await runQuery(platform, regulator, `SELECT * FROM sme_customers_${target}`);
    expect(response.statusCode).toBe(403);
    // …but reads every transfer for review.
    const listed = (await as(regulator, 'GET', '/v1/transfers')).json().items;
    expect(listed.map((t: { id: string }) => t.id)).toContain(transferId);
  });

  it('tells both parties of a rejection and of an expiry, once each, and nobody else', async () => {
    const outsider = await createTenant(platform, { kinds: ['consumer'] });
    const told = async (tenant: Tenant, kind: string, id: string) =>
      (
        (await as(tenant, 'GET', '/v1/notifications?limit=200')).json().items as {
          kind: string;
          objectId: string;
          data: { state?: string };
        }[]
      ).filter((n) => n.kind === kind && n.objectId === id);
    const created = await as(shenzhen, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: shenzhen.orgId,
      datasetIds: [datasetId],
      dataCategories: ['age'],
      volume: 'about 30 records, once',
      purpose: 'a second look',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2027-04-01T00:00:00Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    const rejectedId = created.json().id as string;
    await as(bank, 'POST', `/v1/transfers/${rejectedId}/assessment`, {
      completedOn: now.toISOString().slice(0, 10),
      attachment: { name: 'pia.pdf', sha256: 'c'.repeat(64) },
    });
    await as(bank, 'POST', `/v1/transfers/${rejectedId}/sign`);
    await as(shenzhen, 'POST', `/v1/transfers/${rejectedId}/sign`);
    expect((await as(bank, 'POST', `/v1/transfers/${rejectedId}/submit`)).statusCode).toBe(200);
    expect((await as(regulator, 'POST', `/v1/transfers/${rejectedId}/review/start`)).statusCode).toBe(200);
    const rejected = await as(regulator, 'POST', `/v1/transfers/${rejectedId}/review/reject`, {
      reason: 'the assessment does not cover the recipient',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    for (const tenant of [bank, shenzhen]) {
      expect((await told(tenant, 'transfer.rejected', rejectedId)).map((n) => n.data.state)).toEqual([
        'rejected',
      ]);
    }
    expect(await told(outsider, 'transfer.rejected', rejectedId)).toEqual([]);
    expect(await told(regulator, 'transfer.rejected', rejectedId)).toEqual([]);

    // The first transfer (filed) reaches its end: two sweeps, as two nodes would run them, one notice each.
    now = new Date('2027-04-01T00:00:01Z');
    await refresh(bank, shenzhen, regulator, outsider);
    await Promise.all([platform.transfers.sweep(), platform.transfers.sweep()]);
    expect((await as(bank, 'GET', `/v1/transfers/${transferId}`)).json().state).toBe('expired');
    for (const tenant of [bank, shenzhen]) {
      expect((await told(tenant, 'transfer.expired', transferId)).map((n) => n.data.state)).toEqual([
        'expired',
      ]);
    }
    expect(await told(outsider, 'transfer.expired', transferId)).toEqual([]);
    expect(
      await platform.audit.list({ action: 'transfer.expire', objectId: transferId, limit: 10 }),
    ).toHaveLength(1);
  });
});
