import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../src/modules/community/schema.js';
import { customersCsv, grantAccess, publishDataset } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  signIn,
  type Tenant,
  type TestPlatform,
} from './harness.js';

/**
 * A revoked consent reaches every recipient: Harbour Bank revokes a subject's consent, Lion Rock
 * (whose agreement covered the subject) is asked to delete and confirms, and Harbour Bank sees the
 * confirmation; a request left unconfirmed past the deadline reaches the regulator's queue. An
 * organisation whose agreement did not cover the subject hears nothing.
 */
describe.each(dbTargets)('deletion requests (%s)', (target) => {
  let platform: TestPlatform;
  let now = new Date('2026-05-04T02:00:00Z');
  let harbourBank: Tenant;
  let lionRock: Tenant;
  let bystander: Tenant;
  let regulator: Tenant;
  let datasetId: string;
  let agreementId: string;

  const inject = (tenant: Tenant, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, ...(payload ? { payload } : {}) });
  const heard = async (kind: string, objectId: string) =>
    (
      await platform.database.db
        .select({ orgId: notifications.orgId, data: notifications.data })
        .from(notifications)
        .where(and(eq(notifications.kind, kind), eq(notifications.objectId, objectId)))
    )
      .map((row) => row.orgId)
      .sort();
  const revokeConsentOf = async (subjectKey: string) => {
    const created = await inject(harbourBank, 'POST', '/v1/consents', {
      subjectKey,
      purpose: 'credit-assessment',
      datasetIds: [datasetId],
      grantedAt: '2026-05-01T00:00:00Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    const consentId = created.json().id as string;
    const revoked = await inject(harbourBank, 'POST', `/v1/consents/${consentId}/revoke`, {
      reason: 'the subject withdrew',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const listed = (
      await inject(harbourBank, 'GET', `/v1/deletion-requests?as=provider&consentId=${consentId}`)
    ).json().items as { id: string; granteeOrgId: string; agreementId: string; state: string }[];
    return { consentId, listed };
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => now } });
    harbourBank = await createTenant(platform, { kinds: ['provider'], name: `Harbour Bank ${target}` });
    lionRock = await createTenant(platform, { kinds: ['consumer'], name: `Lion Rock ${target}` });
    bystander = await createTenant(platform, { kinds: ['consumer'] });
    regulator = await createTenant(platform, { kinds: ['regulator'] });
    datasetId = (
      await publishDataset(platform, harbourBank, {
        title: 'SME customers',
        slug: `deletion_customers_${target}`,
        content: customersCsv(20),
      })
    ).id;
    const marked = await inject(harbourBank, 'PATCH', `/v1/datasets/${datasetId}`, {
      consentRequired: true,
      subjectColumn: 'customer_id',
    });
    expect(marked.statusCode, marked.body).toBe(200);
    agreementId = (
      await grantAccess(platform, lionRock, harbourBank, datasetId, {
        columns: ['customer_id', 'district'],
        purpose: 'credit-assessment',
        wantsDownload: true,
      })
    ).id;
    // Another purpose: a consent for credit scoring never covered what the bystander received.
    await grantAccess(platform, bystander, harbourBank, datasetId, {
      columns: ['district'],
      purpose: 'research',
    });
  }, 300_000);
  afterAll(async () => platform?.dispose());

  it('asks the covered grantee to delete, takes its confirmation with evidence, and shows it to the provider', async () => {
    const { consentId, listed } = await revokeConsentOf('C00001');
    expect(listed).toHaveLength(1);
    const [request] = listed;
    expect(request).toMatchObject({ granteeOrgId: lionRock.orgId, agreementId, state: 'pending' });
    const requestId = request!.id;
    expect(await heard('consent.revoked', requestId)).toEqual([lionRock.orgId]);
    // The event carries no subject data; the request, read by the grantee, names the pseudonymous key.
    const [note] = (await inject(lionRock, 'GET', '/v1/notifications?limit=200'))
      .json()
      .items.filter((n: { kind: string }) => n.kind === 'consent.revoked');
    expect(JSON.stringify(note)).not.toContain('C00001');
    expect(note).toMatchObject({
      objectType: 'deletion-request',
      objectId: requestId,
      data: { agreementId, datasetId },
    });
    expect((await inject(lionRock, 'GET', `/v1/deletion-requests/${requestId}`)).json().subjectKey).toBe(
      'C00001',
    );
    // The bystander neither hears of it nor can read it.
    expect((await inject(bystander, 'GET', '/v1/deletion-requests')).json().items).toEqual([]);
    expect((await inject(bystander, 'GET', `/v1/deletion-requests/${requestId}`)).statusCode).toBe(404);
    expect(
      (await inject(bystander, 'POST', `/v1/deletion-requests/${requestId}/confirm`, {})).statusCode,
    ).toBe(404);
    // Only the grantee confirms.
    expect(
      (await inject(harbourBank, 'POST', `/v1/deletion-requests/${requestId}/confirm`, {})).statusCode,
    ).toBe(404);

    const confirmed = await inject(lionRock, 'POST', `/v1/deletion-requests/${requestId}/confirm`, {
      evidence: 'ticket LR-4411: rows purged from the credit lake',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({
      state: 'confirmed',
      evidence: 'ticket LR-4411: rows purged from the credit lake',
    });
    expect(
      (await inject(lionRock, 'POST', `/v1/deletion-requests/${requestId}/confirm`, {})).statusCode,
    ).toBe(409);
    expect(await heard('deletion-request.confirmed', requestId)).toEqual([harbourBank.orgId]);
    const seen = (await inject(harbourBank, 'GET', `/v1/deletion-requests?consentId=${consentId}`)).json()
      .items;
    expect(seen).toMatchObject([
      { id: requestId, state: 'confirmed', evidence: expect.stringContaining('LR-4411') },
    ]);
    const ledger = await platform.audit.list({ objectId: requestId, limit: 10 });
    expect(ledger.map((entry) => entry.action).sort()).toEqual([
      'deletion-request.confirm',
      'deletion-request.create',
    ]);
  });

  it('puts a request unconfirmed past the deadline in the regulator queue and tells both sides, once', async () => {
    const { listed } = await revokeConsentOf('C00002');
    const requestId = listed[0]!.id;
    expect(await platform.deletions.escalateOverdue()).toBe(0);
    now = new Date(now.getTime() + 30 * 86_400_000 + 1000); // the default deadline is 30 days
    for (const tenant of [harbourBank, lionRock, regulator]) {
      tenant.cookie = await signIn(platform, tenant.email);
      tenant.headers = { cookie: tenant.cookie };
    }
    expect((await inject(lionRock, 'GET', `/v1/deletion-requests/${requestId}`)).json().state).toBe(
      'overdue',
    );
    expect(await platform.deletions.escalateOverdue()).toBe(1);
    expect(await platform.deletions.escalateOverdue()).toBe(0);
    expect(await heard('deletion-request.overdue', requestId)).toEqual(
      [harbourBank.orgId, lionRock.orgId].sort(),
    );
    const queue = (await inject(regulator, 'GET', '/v1/regulator/queue')).json();
    expect(queue.deletionRequests.map((item: { id: string }) => item.id)).toEqual([requestId]);
    expect((await inject(regulator, 'GET', '/v1/deletion-requests')).json().items).toHaveLength(1);
    const [escalation] = await platform.audit.list({
      objectId: requestId,
      action: 'deletion-request.escalate',
      limit: 1,
    });
    expect(escalation?.reason).toBe('not confirmed by its deadline');
    // A late confirmation is taken, marked late, and leaves the queue.
    const late = await inject(lionRock, 'POST', `/v1/deletion-requests/${requestId}/confirm`, {});
    expect(late.statusCode, late.body).toBe(200);
    expect((await inject(regulator, 'GET', '/v1/regulator/queue')).json().deletionRequests).toEqual([]);
  });
});
