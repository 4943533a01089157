import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, grantAccess, publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';

describe.each(dbTargets)('reminders (%s)', (target) => {
  let platform: TestPlatform;
  let now = new Date('2026-04-01T02:00:00Z'); // 10:00 in Hong Kong, a Wednesday
  let bank: Tenant;
  let fintech: Tenant;
  let shenzhen: Tenant;
  let regulator: Tenant;
  let shortId: string;
  let longId: string;
  let transferId: string;

  const as = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });
  /** Sessions last 12 hours of the test clock: sign in again after moving it. */
  const moveTo = async (at: string) => {
    now = new Date(at);
    for (const tenant of [bank, fintech, shenzhen, regulator]) {
      tenant.cookie = await signIn(platform, tenant.email);
      tenant.headers = { cookie: tenant.cookie };
    }
  };
  /** The tenant's notifications of a kind, as [object id, …]. */
  const noted = async (tenant: Tenant, kind: string) =>
    (
      (await as(tenant, 'GET', '/v1/notifications?limit=200')).json().items as {
        kind: string;
        objectId: string;
      }[]
    )
      .filter((note) => note.kind === kind)
      .map((note) => note.objectId);

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => now } });
    bank = await createTenant(platform, { kinds: ['provider'] });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    shenzhen = await createTenant(platform, { kinds: ['consumer'], location: 'shenzhen' });
    regulator = await createTenant(platform, { kinds: ['regulator'] });
    const dataset = await publishDataset(platform, bank, {
      title: 'SME customers',
      slug: `rem_customers_${target}`,
      content: customersCsv(10),
      classifications: { customer_id: 'identifier' },
    });
    shortId = (
      await grantAccess(platform, fintech, bank, dataset.id, { columns: ['district'], durationDays: 5 })
    ).id;
    longId = (
      await grantAccess(platform, shenzhen, bank, dataset.id, { columns: ['district'], durationDays: 30 })
    ).id;
    const created = await as(shenzhen, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: shenzhen.orgId,
      datasetIds: [dataset.id],
      dataCategories: ['identifiers'],
      volume: 'ten records',
      purpose: 'credit assessment',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2026-04-25T00:00:00Z',
    });
    transferId = created.json().id;
    await as(bank, 'POST', `/v1/transfers/${transferId}/assessment`, {
      completedOn: '2026-03-31',
      attachment: { name: 'pia.pdf', sha256: 'c'.repeat(64) },
    });
    await as(bank, 'POST', `/v1/transfers/${transferId}/sign`);
    const signed = (await as(shenzhen, 'POST', `/v1/transfers/${transferId}/sign`)).json();
    expect(signed.filingDueOn).toBe('2026-04-20'); // 10 working days, Easter holidays skipped
    await as(bank, 'POST', `/v1/transfers/${transferId}/submit`);
    await as(regulator, 'POST', `/v1/transfers/${transferId}/review/start`);
    const approved = await as(regulator, 'POST', `/v1/transfers/${transferId}/review/approve`, {
      reason: 'adequate',
    });
    expect(approved.json().state).toBe('approved');
  });
  afterAll(async () => platform?.dispose());

  it('reminds both parties of an agreement expiring within 7 days, once', async () => {
    await platform.reminders.run();
    expect(await platform.reminders.run()).toEqual({ sent: 0 });
    for (const party of [bank, fintech]) expect(await noted(party, 'agreement.expiring')).toEqual([shortId]);
    expect(await noted(shenzhen, 'agreement.expiring')).toEqual([]);
    expect(await noted(bank, 'agreement.expiring')).not.toContain(longId);
    // Nothing about the transfer yet: its filing is 13 working days off, its end 24 days.
    expect(await noted(bank, 'transfer.filing-due')).toEqual([]);
    expect(await noted(bank, 'transfer.expiring')).toEqual([]);
  });

  it('reminds of a transfer ending within 14 days (both parties) and of a filing due within 3 working days (the sender)', async () => {
    // Tue 14 April: the filing (Mon 20th) is 4 working days away, though only 6 calendar days.
    await moveTo('2026-04-14T02:00:00Z');
    await platform.reminders.run();
    expect(await noted(bank, 'transfer.filing-due')).toEqual([]);
    for (const party of [bank, shenzhen])
      expect(await noted(party, 'transfer.expiring')).toEqual([transferId]);
    // Wed 15 April: 16th, 17th, 20th: the filing falls within 3 working days.
    await moveTo('2026-04-15T02:00:00Z');
    await platform.reminders.run();
    expect(await platform.reminders.run()).toEqual({ sent: 0 });
    expect(await noted(bank, 'transfer.filing-due')).toEqual([transferId]);
    expect(await noted(shenzhen, 'transfer.filing-due')).toEqual([]);
    expect(await noted(bank, 'transfer.expiring')).toEqual([transferId]);
    // The agreement that expired meanwhile is not reminded of again.
    expect(await noted(fintech, 'agreement.expiring')).toEqual([shortId]);
  });
});
