import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgreementService } from '../src/modules/access/agreements.js';
import type { EventPublisher } from '../src/modules/community/events.js';
import { notifications } from '../src/modules/community/schema.js';
import { customersCsv, publishDataset } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from './harness.js';

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Approval provisions, expiry and revocation take away: an access request naming a lab gives the
 * consumer a seat in it when approved, in the approval's transaction; the seat ends with the
 * agreement (revoked at once, expired within a second by the sweep), each step with its ledger
 * entry and its event to the seat holder and the lab's reviewers only.
 */
describe.each(dbTargets)('lab seats from agreements (%s)', (target) => {
  let platform: TestPlatform;
  let hospital: Tenant;
  let researcher: Tenant;
  let outsider: Tenant;
  let datasetId: string;
  let labId: string;
  let emptyLabId: string;
  /** The test clock runs with real time plus an offset. */
  let offsetMs = 0;

  const inject = (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });
  const heard = async (kind: string, objectId: string) => {
    const rows = await platform.database.db
      .select({ orgId: notifications.orgId, data: notifications.data })
      .from(notifications)
      .where(and(eq(notifications.kind, kind), eq(notifications.objectId, objectId)));
    return rows;
  };
  const orgsOf = (rows: { orgId: string }[]) => rows.map((row) => row.orgId).sort();
  const sorted = (...ids: string[]) => [...ids].sort();
  const ask = async (payload: object) =>
    inject(researcher, 'POST', '/v1/access-requests', {
      datasetId,
      purpose: 'research',
      purposeText: 'seat from an agreement',
      columns: ['district', 'age'],
      durationDays: 30,
      ...payload,
    });
  /** Sessions last 12 hours of the test clock: sign in again after moving it. */
  const refresh = async (...tenants: Tenant[]) => {
    for (const tenant of tenants) {
      tenant.cookie = await signIn(platform, tenant.email);
      tenant.headers = { cookie: tenant.cookie };
    }
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => new Date(Date.now() + offsetMs) } });
    hospital = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    outsider = await createTenant(platform, { kinds: ['consumer'] });
    datasetId = (
      await publishDataset(platform, hospital, {
        title: 'Customers',
        slug: `seat_customers_${target}`,
        content: customersCsv(40),
      })
    ).id;
    const created = await inject(hospital, 'POST', '/v1/labs', { name: 'Seats', minGroupSize: 5 });
    expect(created.statusCode, created.body).toBe(201);
    labId = created.json().lab.id;
    const attached = await inject(hospital, 'POST', `/v1/labs/${labId}/datasets`, {
      datasetId,
      name: 'customers',
      subjectColumn: 'customer_id',
      dimensions: ['district'],
      measures: { age: { lower: 0, upper: 110 } },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    emptyLabId = (await inject(hospital, 'POST', '/v1/labs', { name: 'Empty' })).json().lab.id;
  }, 300_000);
  afterAll(async () => platform?.dispose());

  it('refuses a request naming a lab the dataset is not in, the same for a lab that does not exist', async () => {
    for (const id of [emptyLabId, 'lab_01JZZZZZZZZZZZZZZZZZZZZZZZ']) {
      const refused = await ask({ labId: id });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(problemOf(refused).detail).toContain('labId');
    }
  });

  it('gives the seat on approval and takes it away on revocation, each recorded and told to its parties', async () => {
    const request = await ask({ labId });
    expect(request.statusCode, request.body).toBe(201);
    expect(request.json().labId).toBe(labId);
    expect((await inject(researcher, 'GET', `/v1/labs/${labId}`)).statusCode).toBe(404);

    const approved = await inject(hospital, 'POST', `/v1/access-requests/${request.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const agreement = approved.json().agreement as { id: string; terms: { expiresAt: string } };
    const lab = await inject(researcher, 'GET', `/v1/labs/${labId}`);
    expect(lab.statusCode).toBe(200);
    expect(lab.json().members.find((m: { orgId: string }) => m.orgId === researcher.orgId)).toMatchObject({
      role: 'researcher',
      agreementId: agreement.id,
      endsAt: new Date(agreement.terms.expiresAt).toISOString(),
    });
    const granted = await heard('lab.access-granted', labId);
    expect(orgsOf(granted)).toEqual(sorted(hospital.orgId, researcher.orgId));
    expect(granted[0]?.data).toMatchObject({ memberOrgId: researcher.orgId, agreementId: agreement.id });
    const run = await inject(researcher, 'POST', `/v1/labs/${labId}/queries`, {
      sql: 'SELECT district, count(*) AS n FROM customers GROUP BY district',
    });
    expect(run.statusCode, run.body).toBe(201);

    const revoked = await inject(hospital, 'POST', `/v1/agreements/${agreement.id}/revoke`, {
      reason: 'study closed',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await inject(researcher, 'GET', `/v1/labs/${labId}`)).statusCode).toBe(404);
    expect(orgsOf(await heard('lab.access-ended', labId))).toEqual(sorted(hospital.orgId, researcher.orgId));
    const ledger = await platform.audit.list({ objectId: labId, limit: 50 });
    expect(ledger.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['lab.member.provision', 'lab.member.end']),
    );
    const outsiderInbox = (await inject(outsider, 'GET', '/v1/notifications?limit=200')).json().items as {
      objectId: string;
    }[];
    expect(outsiderInbox.filter((note) => note.objectId === labId)).toEqual([]);
  });

  it('gives no seat when the approval fails after the change', async () => {
    const failing: EventPublisher = {
      publish: async (tx, type, input) => {
        await platform.notifications.publish(tx, type, input);
        if (type === 'agreement.approved') throw new Error('failure after the change');
      },
    };
    const agreements = new AgreementService({ ...platform.agreements.deps, events: failing });
    const request = await ask({ labId });
    const principal = await platform.identity.principalFor('session', hospital.userId, hospital.orgId, {});
    const before = (await heard('lab.access-granted', labId)).length;
    await expect(agreements.approve(principal!, request.json().id, {})).rejects.toThrow(
      'failure after the change',
    );
    expect((await inject(researcher, 'GET', `/v1/labs/${labId}`)).statusCode).toBe(404);
    expect(await heard('lab.access-granted', labId)).toHaveLength(before);
    expect((await inject(researcher, 'GET', `/v1/access-requests/${request.json().id}`)).json().state).toBe(
      'pending',
    );
    // The request is still pending: withdraw it for the next test.
    await inject(researcher, 'POST', `/v1/access-requests/${request.json().id}/withdraw`);
  });

  it('reminds of the seat before its end and ends it within a second of the end', async () => {
    const request = await ask({ labId, durationDays: 1 });
    const approved = await inject(hospital, 'POST', `/v1/access-requests/${request.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const endsAt = new Date(approved.json().agreement.terms.expiresAt as string);
    await platform.reminders.run();
    await platform.reminders.run();
    expect(orgsOf(await heard('lab.access-expiring', labId))).toEqual(
      sorted(hospital.orgId, researcher.orgId),
    );
    const endedBefore = (await heard('lab.access-ended', labId)).length;

    offsetMs = endsAt.getTime() - Date.now() + 1;
    const recordedAfterMs = await until(async () => {
      const ended = await heard('lab.access-ended', labId);
      return ended.length > endedBefore ? Date.now() + offsetMs - endsAt.getTime() : undefined;
    }, 'the sweep to end the seat');
    expect(recordedAfterMs).toBeGreaterThanOrEqual(0);
    await refresh(researcher);
    expect((await inject(researcher, 'GET', `/v1/labs/${labId}`)).statusCode).toBe(404);
    const expired = (await heard('lab.access-ended', labId)).filter(
      (row) => (row.data as { reason?: string }).reason === 'the seat reached its end',
    );
    expect(orgsOf(expired)).toEqual(sorted(hospital.orgId, researcher.orgId));
    expect(expired[0]?.data).toMatchObject({ memberOrgId: researcher.orgId, endsAt: endsAt.toISOString() });
    const ledger = await platform.audit.list({ objectId: labId, action: 'lab.member.end', limit: 50 });
    expect(ledger.map((entry) => entry.reason)).toContain('the seat reached its end');
  });
});
