import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminEmail,
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  password,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import type { MailMessage } from '../../infra/mailer.js';

const newPassword = 'lantern orchard velvet quarry';

/** The token of the newest reset link mailed to `to`. */
function linkTokenOf(outbox: MailMessage[], to: string): string {
  const message = outbox.filter((m) => m.to === to).at(-1);
  const token = /\/reset-password#token=(stp_pwr_[\w-]+)/.exec(message?.text ?? '')?.[1];
  if (!token) throw new Error(`no reset link mailed to ${to}`);
  return token;
}

describe.each(dbTargets)('account self-service on %s', (target) => {
  let platform: TestPlatform;
  let outbox: MailMessage[];
  /** Added to the real time, so a test can step past a link's 30 minutes. */
  let offsetMs = 0;
  let operator: string;

  beforeAll(async () => {
    outbox = [];
    platform = await createTestPlatform(target, {
      clock: { now: () => new Date(Date.now() + offsetMs) },
      mailer: {
        send: async (message) => {
          outbox.push(message);
        },
      },
    });
    operator = await operatorCookie(platform);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  const me = (cookie: string) => platform.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
  const ledger = async (query: Record<string, string>) =>
    (
      await platform.app.inject({ method: 'GET', url: '/v1/audit', query, headers: { cookie: operator } })
    ).json() as {
      items: {
        action: string;
        decision: string;
        actorId: string | null;
        objectId: string | null;
        reason: string | null;
        data: Record<string, unknown>;
      }[];
      names: {
        people: Record<string, { name: string; organisations: { id: string; name: string }[] }>;
        organisations: Record<string, string>;
      };
    };

  describe('profile', () => {
    let tenant: Tenant;
    beforeAll(async () => {
      tenant = await createTenant(platform, { name: `Kowloon Bay Sensors ${target}` });
    });

    it('shows the person, their organisation and role, and lets them rename themselves', async () => {
      const response = await platform.app.inject({
        method: 'PATCH',
        url: '/v1/me',
        headers: tenant.headers,
        payload: { name: '  Wong Siu Ming ' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        user: { name: 'Wong Siu Ming', email: tenant.email },
        organisation: { id: tenant.orgId, name: `Kowloon Bay Sensors ${target}` },
        role: 'owner',
      });
      expect((await me(tenant.cookie)).json().user.name).toBe('Wong Siu Ming');
      const [entry] = (await ledger({ action: 'user.update', actorId: tenant.userId })).items;
      expect(entry?.data).toMatchObject({ fields: ['name'], to: { name: 'Wong Siu Ming' } });
    });

    it('refuses a name of spaces, naming the field', async () => {
      const response = await platform.app.inject({
        method: 'PATCH',
        url: '/v1/me',
        headers: tenant.headers,
        payload: { name: '   ' },
      });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).detail).toContain('body/name');
      expect((await me(tenant.cookie)).json().user.name).toBe('Wong Siu Ming');
    });

    it('names the ledger actors as people of organisations, ids unchanged', async () => {
      const page = await ledger({ actorId: tenant.userId });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((entry) => entry.actorId === tenant.userId)).toBe(true);
      expect(page.names.people[tenant.userId]).toEqual({
        name: 'Wong Siu Ming',
        organisations: [{ id: tenant.orgId, name: `Kowloon Bay Sensors ${target}` }],
      });
      expect(page.names.organisations[tenant.orgId]).toBe(`Kowloon Bay Sensors ${target}`);
    });

    it("shows a member the operators' names but not the other organisations of people", async () => {
      const other = await createTenant(platform);
      // The tenant's owner joins a second organisation; a member of the first sees only the first.
      const invite = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${other.orgId}/invitations`,
        headers: other.headers,
        payload: { email: tenant.email, role: 'member' },
      });
      const accepted = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/invitations/accept',
        payload: { token: invite.json().token, password },
      });
      expect(accepted.statusCode).toBe(200);
      const page = (
        await platform.app.inject({ method: 'GET', url: '/v1/audit', headers: tenant.headers })
      ).json() as Awaited<ReturnType<typeof ledger>>;
      expect(page.names.people[tenant.userId]?.organisations).toEqual([
        { id: tenant.orgId, name: `Kowloon Bay Sensors ${target}` },
      ]);
      const operatorName = page.names.people[platform.operator.userId];
      expect(operatorName?.name).toBe('Platform administrator');
      expect(operatorName?.organisations.map((org) => org.id)).toEqual([platform.operator.orgId]);
    });
  });

  describe('password change', () => {
    it('checks the current password and the policy, then ends the other sessions only', async () => {
      const tenant = await createTenant(platform);
      const otherSession = await signIn(platform, tenant.email);
      const change = (payload: Record<string, string>) =>
        platform.app.inject({ method: 'POST', url: '/v1/me/password', headers: tenant.headers, payload });

      const wrong = await change({ currentPassword: 'not the password at all', newPassword });
      expect(wrong.statusCode).toBe(403);
      expect(problemOf(wrong)).toMatchObject({ code: 'current-password-incorrect' });
      expect(problemOf(wrong).detail).toContain('body/currentPassword');

      const weak = await change({ currentPassword: password, newPassword: 'password1234' });
      expect(weak.statusCode).toBe(422);
      expect(problemOf(weak)).toMatchObject({ code: 'password-too-weak', rule: 'common' });
      expect((await me(otherSession)).statusCode).toBe(200);

      const changed = await change({ currentPassword: password, newPassword });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toEqual({ sessionsEnded: 1 });
      expect((await me(tenant.cookie)).statusCode).toBe(200);
      expect((await me(otherSession)).statusCode).toBe(401);
      await expect(signIn(platform, tenant.email)).rejects.toThrow(/401/);
      await signIn(platform, tenant.email, newPassword);

      const entries = (await ledger({ action: 'user.password.change', actorId: tenant.userId })).items;
      expect(entries.map((entry) => entry.decision)).toEqual(['allow', 'deny']);
      expect(entries[0]?.data).toMatchObject({ sessionsEnded: 1 });
    });
  });

  describe('forgotten password', () => {
    const request = (email: string) =>
      platform.app.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email } });
    const confirm = (token: string, pass: string) =>
      platform.app.inject({
        method: 'POST',
        url: '/v1/auth/password-reset/confirm',
        payload: { token, password: pass },
      });

    it('answers the same for known and unknown addresses, and mails only the known one', async () => {
      const tenant = await createTenant(platform);
      const before = outbox.length;
      const known = await request(tenant.email.toUpperCase());
      const unknown = await request(`nobody.${target}@tenant.test`);
      expect(known.statusCode).toBe(202);
      expect(unknown.statusCode).toBe(known.statusCode);
      expect(unknown.body).toBe(known.body);
      expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
      expect(outbox.slice(before).map((m) => m.to)).toEqual([tenant.email]);

      const entries = (await ledger({ action: 'password-reset.request', limit: '2' })).items;
      expect(entries.map((entry) => [entry.decision, entry.objectId])).toEqual([
        ['deny', null],
        ['allow', tenant.userId],
      ]);
    });

    it('resets with a single-use link and ends every session of the person', async () => {
      const tenant = await createTenant(platform);
      const otherSession = await signIn(platform, tenant.email);
      await request(tenant.email);
      const token = linkTokenOf(outbox, tenant.email);

      const weak = await confirm(token, 'aaaaaaaaaaaa');
      expect(weak.statusCode).toBe(422);
      expect(problemOf(weak)).toMatchObject({ code: 'password-too-weak', rule: 'repetitive' });
      expect((await me(tenant.cookie)).statusCode).toBe(200);

      const reset = await confirm(token, newPassword);
      expect(reset.statusCode).toBe(200);
      expect(reset.json()).toEqual({ sessionsEnded: 2 });
      expect((await me(tenant.cookie)).statusCode).toBe(401);
      expect((await me(otherSession)).statusCode).toBe(401);
      await signIn(platform, tenant.email, newPassword);

      const again = await confirm(token, 'another fine long phrase');
      expect(again.statusCode).toBe(410);
      expect(problemOf(again)).toMatchObject({ code: 'password-reset-invalid' });
      const [entry] = (await ledger({ action: 'password-reset.complete', objectId: tenant.userId })).items;
      expect(entry).toMatchObject({ actorId: tenant.userId, data: { sessionsEnded: 2 } });
    });

    it('refuses a link after 30 minutes and an unknown token', async () => {
      const tenant = await createTenant(platform);
      await request(tenant.email);
      const token = linkTokenOf(outbox, tenant.email);
      offsetMs += 31 * 60_000;
      try {
        const late = await confirm(token, newPassword);
        expect(late.statusCode).toBe(410);
        expect(problemOf(late)).toMatchObject({ code: 'password-reset-invalid' });
      } finally {
        offsetMs -= 31 * 60_000;
      }
      expect((await confirm(`${token.slice(0, -4)}AAAA`, newPassword)).statusCode).toBe(410);
      await signIn(platform, tenant.email);
    });

    it('throttles requests per address, known or not, without telling which', async () => {
      const tenant = await createTenant(platform);
      for (const email of [tenant.email, `ghost.${target}@tenant.test`]) {
        for (let i = 0; i < 3; i++) expect((await request(email)).statusCode).toBe(202);
        const refused = await request(email);
        expect(refused.statusCode).toBe(429);
        expect(problemOf(refused).detail).toContain('password-reset');
      }
      // Requests are counted apart from sign-in failures: the owner can still sign in.
      await signIn(platform, tenant.email);
      await signIn(platform, adminEmail);
    });
  });
});
