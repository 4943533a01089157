import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
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
import { testPasswordHashCost } from '../../../test/setup.js';
import { organisations, personalTokens, users } from './schema.js';
import { productionPasswordHashCost, setPasswordHashCostForTests } from './secrets.js';

describe.each(dbTargets)('identity on %s', (target) => {
  let platform: TestPlatform;
  let operator: { cookie: string };
  let provider: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    operator = { cookie: await operatorCookie(platform) };
    provider = await createTenant(platform, { kinds: ['provider'] });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  describe('onboarding', () => {
    let applicant: { orgId: string; cookie: string };

    it('lets a newcomer apply; the organisation waits for an operator', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          organisation: {
            name: 'Tai Po Robotics',
            kinds: ['consumer'],
            declaredLocation: 'hong-kong',
            sector: 'Robotics',
          },
          owner: { email: 'Founder@TaiPoRobotics.test', name: 'Founder', password },
        },
      });
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body.organisation).toMatchObject({ status: 'pending', slug: 'tai-po-robotics', location: null });
      expect(body.user.email).toBe('founder@taiporobotics.test');
      expect(body.user.passwordHash).toBeUndefined();
      applicant = {
        orgId: body.organisation.id,
        cookie: await signIn(platform, 'founder@taiporobotics.test'),
      };
    });

    it('refuses an applicant that chooses the regulator kind: an operator creates regulators', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          organisation: { name: 'Self-Appointed Watchdog', kinds: ['consumer', 'regulator'] },
          owner: { email: 'watchdog@watchdog.test', name: 'Watchdog', password },
        },
      });
      expect(response.statusCode).toBe(403);
      const problem = problemOf(response);
      expect(problem.code).toBe('forbidden');
      expect(problem.detail).toMatch(/^regulator organisations are created by operators only/);
      expect(response.json().kinds).toEqual(['regulator']);
      // Nothing was created: the e-mail is free and no organisation has the name.
      const orgs = await platform.app.inject({ url: '/v1/orgs?q=Watchdog', headers: operator });
      expect(orgs.json().items).toEqual([]);
      // A signed-in user creating another organisation is held to the same rule; an operator is not.
      const byMember = await platform.app.inject({
        method: 'POST',
        url: '/v1/orgs',
        headers: provider.headers,
        payload: { name: 'Second Watchdog', kinds: ['regulator'] },
      });
      expect(byMember.statusCode).toBe(403);
      expect(problemOf(byMember).detail).toMatch(/^regulator organisations are created by operators only/);
      const byOperator = await platform.app.inject({
        method: 'POST',
        url: '/v1/orgs',
        headers: operator,
        payload: { name: 'Data Governance Board', kinds: ['regulator'] },
      });
      expect(byOperator.statusCode).toBe(201);
      expect(byOperator.json()).toMatchObject({ kinds: ['regulator'], status: 'active' });
    });

    it('keeps a pending organisation to its own profile', async () => {
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie: applicant.cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json().organisation.status).toBe('pending');
      const directory = await platform.app.inject({ url: '/v1/orgs', headers: { cookie: applicant.cookie } });
      expect(directory.statusCode).toBe(403);
      expect(problemOf(directory).code).toBe('org-not-active');
    });

    it('shows pending applications to operators only', async () => {
      const forOperator = await platform.app.inject({ url: '/v1/orgs?status=pending', headers: operator });
      expect(forOperator.json().items.map((o: { id: string }) => o.id)).toContain(applicant.orgId);
      const forMember = await platform.app.inject({
        url: '/v1/orgs?status=pending',
        headers: provider.headers,
      });
      expect(forMember.json().items).toEqual([]);
      const direct = await platform.app.inject({
        url: `/v1/orgs/${applicant.orgId}`,
        headers: provider.headers,
      });
      expect(direct.statusCode).toBe(404);
    });

    it('opens up once an operator approves, and the decision is in the ledger', async () => {
      const approved = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${applicant.orgId}/approve`,
        headers: operator,
        payload: {},
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json().status).toBe('active');
      const directory = await platform.app.inject({ url: '/v1/orgs', headers: { cookie: applicant.cookie } });
      expect(directory.statusCode).toBe(200);
      const again = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${applicant.orgId}/approve`,
        headers: operator,
        payload: {},
      });
      expect(again.statusCode).toBe(409);
      const ledger = await platform.app.inject({
        url: `/v1/audit?objectId=${applicant.orgId}`,
        headers: operator,
      });
      expect(ledger.json().items.map((e: { action: string }) => e.action)).toEqual([
        'organisation.approve',
        'organisation.apply',
      ]);
    });

    it('rejects with a reason that the ledger keeps', async () => {
      const applied = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          organisation: { name: 'Shell Company', kinds: ['consumer'] },
          owner: { email: 'shell@shell.test', name: 'Shell', password },
        },
      });
      const orgId = applied.json().organisation.id;
      const noReason = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${orgId}/reject`,
        headers: operator,
        payload: {},
      });
      expect(problemOf(noReason).detail).toBe('body/reason: is required');
      const rejected = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${orgId}/reject`,
        headers: operator,
        payload: { reason: 'no business registration' },
      });
      expect(rejected.json().status).toBe('rejected');
      const [event] = (await platform.audit.list({
        objectId: orgId,
        action: 'organisation.reject',
        limit: 1,
      }))!;
      expect(event).toMatchObject({ decision: 'deny', reason: 'no business registration' });
      // A rejected organisation's members cannot act for it at all.
      const login = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'shell@shell.test', password },
      });
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie: cookieOf(login) } });
      expect(me.statusCode).toBe(401);
    });

    it('refuses self-made operators', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          organisation: { name: 'Fake Ops', kinds: ['operator'] },
          owner: { email: 'f@f.test', name: 'F', password },
        },
      });
      expect(response.statusCode).toBe(403);
    });

    it('leaves nothing behind when part of an application fails', async () => {
      const before = await platform.database.db.select({ n: sql<number>`count(*)::int` }).from(organisations);
      const headBefore = await platform.audit.head();
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          organisation: { name: 'Duplicate Founder Ltd', kinds: ['consumer'] },
          // This e-mail exists already, so the user insert fails after the organisation insert.
          owner: { email: provider.email, name: 'Someone', password },
        },
      });
      expect(response.statusCode).toBe(409);
      expect(problemOf(response).code).toBe('already-exists');
      const after = await platform.database.db.select({ n: sql<number>`count(*)::int` }).from(organisations);
      expect(after[0]!.n).toBe(before[0]!.n);
      expect(await platform.identity.findOrganisationBySlug('duplicate-founder-ltd')).toBeUndefined();
      expect(await platform.audit.head()).toEqual(headBefore);
    });
  });

  describe('sign-in', () => {
    it('stores passwords as argon2id, never in clear', async () => {
      // The suite hashes at a test-only cost (test/setup.ts); this member is created at the
      // production cost, which is what a deployment always uses.
      setPasswordHashCostForTests(productionPasswordHashCost);
      let member: Tenant;
      try {
        member = await createTenant(platform, { kinds: ['consumer'] });
      } finally {
        setPasswordHashCostForTests(testPasswordHashCost);
      }
      const [user] = await platform.database.db.select().from(users).where(eq(users.email, member.email));
      expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
      expect(user!.passwordHash).not.toContain(password);
    });

    it('sets an httpOnly SameSite session cookie', async () => {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: provider.email, password },
      });
      const header = String(response.headers['set-cookie']);
      expect(header).toMatch(/^stp_session=stp_ses_/);
      expect(header).toContain('HttpOnly');
      expect(header).toContain('SameSite=Lax');
    });

    it('answers a wrong password and an unknown e-mail alike, and records the refusal', async () => {
      const wrong = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: provider.email, password: 'nope' },
      });
      const unknown = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'ghost@x.test', password: 'nope' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(problemOf(wrong).detail).toBe(problemOf(unknown).detail);
      const refused = await platform.audit.list({ action: 'session.create', limit: 10 });
      expect(refused.filter((e) => e.decision === 'deny').map((e) => e.data.email)).toEqual(
        expect.arrayContaining(['ghost@x.test', provider.email]),
      );
    });

    it('ends a session on logout', async () => {
      const cookie = await signIn(platform, provider.email);
      expect(
        (await platform.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: { cookie } }))
          .statusCode,
      ).toBe(204);
      expect((await platform.app.inject({ url: '/v1/me', headers: { cookie } })).statusCode).toBe(401);
    });
  });

  describe('personal access tokens', () => {
    it('shows the secret once, stores only its hash, and works as a bearer token', async () => {
      const created = await platform.app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: provider.headers,
        payload: { name: 'ci' },
      });
      expect(created.statusCode).toBe(201);
      const { token, secret } = created.json();
      expect(secret).toMatch(/^stp_pat_/);
      expect(secret.startsWith(token.prefix)).toBe(true);
      const listed = await platform.app.inject({ url: '/v1/tokens', headers: provider.headers });
      expect(listed.body).not.toContain(secret);
      const [row] = await platform.database.db
        .select()
        .from(personalTokens)
        .where(eq(personalTokens.id, token.id));
      expect(JSON.stringify(row)).not.toContain(secret);
      const me = await platform.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${secret}` } });
      expect(me.json()).toMatchObject({ principal: { type: 'token' }, organisation: { id: provider.orgId } });
    });

    it('stops working at once when revoked', async () => {
      const { token, secret } = (
        await platform.app.inject({
          method: 'POST',
          url: '/v1/tokens',
          headers: provider.headers,
          payload: { name: 'short' },
        })
      ).json();
      const revoked = await platform.app.inject({
        method: 'DELETE',
        url: `/v1/tokens/${token.id}`,
        headers: provider.headers,
      });
      expect(revoked.json().revokedAt).not.toBeNull();
      const me = await platform.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${secret}` } });
      expect(me.statusCode).toBe(401);
    });

    it('cannot be used to mint more tokens', async () => {
      const { secret } = (
        await platform.app.inject({
          method: 'POST',
          url: '/v1/tokens',
          headers: provider.headers,
          payload: { name: 't' },
        })
      ).json();
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: { authorization: `Bearer ${secret}` },
        payload: { name: 'child' },
      });
      expect(response.statusCode).toBe(403);
    });
  });

  describe('members and invitations', () => {
    it('invites by e-mail; the invitee sets a password and joins with the invited role, once', async () => {
      const invited = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${provider.orgId}/invitations`,
        headers: provider.headers,
        payload: { email: 'analyst@provider.test', role: 'member' },
      });
      expect(invited.statusCode).toBe(201);
      const { token } = invited.json();
      const accepted = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/invitations/accept',
        payload: { token, name: 'Analyst', password },
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ orgId: provider.orgId, role: 'member' });
      const reused = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/invitations/accept',
        payload: { token, name: 'X', password },
      });
      expect(reused.statusCode).toBe(410);
      const cookie = await signIn(platform, 'analyst@provider.test');
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie } });
      expect(me.json()).toMatchObject({ role: 'member', organisation: { id: provider.orgId } });
      // A member may not invite.
      const byMember = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${provider.orgId}/invitations`,
        headers: { cookie },
        payload: { email: 'more@provider.test', role: 'admin' },
      });
      expect(byMember.statusCode).toBe(403);
    });

    it('keeps at least one owner', async () => {
      const demote = await platform.app.inject({
        method: 'PATCH',
        url: `/v1/orgs/${provider.orgId}/members/${provider.userId}`,
        headers: provider.headers,
        payload: { role: 'admin' },
      });
      expect(demote.statusCode).toBe(409);
      const leave = await platform.app.inject({
        method: 'DELETE',
        url: `/v1/orgs/${provider.orgId}/members/${provider.userId}`,
        headers: provider.headers,
      });
      expect(leave.statusCode).toBe(409);
    });

    it('lets a user of two organisations switch between them', async () => {
      const other = await createTenant(platform, { kinds: ['consumer'] });
      const invited = await platform.app.inject({
        method: 'POST',
        url: `/v1/orgs/${other.orgId}/invitations`,
        headers: other.headers,
        payload: { email: provider.email, role: 'admin' },
      });
      const accepted = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/invitations/accept',
        payload: { token: invited.json().token, password },
      });
      expect(accepted.statusCode).toBe(200);
      const cookie = await signIn(platform, provider.email, password, provider.orgId);
      const switched = await platform.app.inject({
        method: 'POST',
        url: '/v1/auth/switch-org',
        headers: { cookie },
        payload: { orgId: other.orgId },
      });
      expect(switched.json()).toMatchObject({ organisation: { id: other.orgId }, role: 'admin' });
      const me = await platform.app.inject({ url: '/v1/me', headers: { cookie } });
      expect(me.json().organisation.id).toBe(other.orgId);
      expect(me.json().memberships).toHaveLength(2);
    });
  });

  describe('verified location', () => {
    it('is set by an operator only, with the evidence in the ledger', async () => {
      const self = await platform.app.inject({
        method: 'PUT',
        url: `/v1/orgs/${provider.orgId}/location`,
        headers: provider.headers,
        payload: { location: 'shenzhen' },
      });
      expect(self.statusCode).toBe(403);
      const verified = await platform.app.inject({
        method: 'PUT',
        url: `/v1/orgs/${provider.orgId}/location`,
        headers: operator,
        payload: { location: 'shenzhen', evidence: 'business licence 9144…' },
      });
      expect(verified.json()).toMatchObject({ location: 'shenzhen' });
      expect(verified.json().locationVerifiedAt).not.toBeNull();
      const invalid = await platform.app.inject({
        method: 'PUT',
        url: `/v1/orgs/${provider.orgId}/location`,
        headers: operator,
        payload: { location: 'atlantis' },
      });
      expect(invalid.statusCode).toBe(400);
      expect(problemOf(invalid).detail).toMatch(/^body\/location: must be one of hong-kong, macao/);
    });

    it('lists the organisations whose location waits for an operator, and drops them once verified', async () => {
      const declared = await createTenant(platform, { kinds: ['consumer'], location: null });
      const unverified = async () => {
        const response = await platform.app.inject({
          url: '/v1/orgs?locationVerified=false&limit=200',
          headers: operator,
        });
        expect(response.statusCode).toBe(200);
        return (response.json().items as { id: string }[]).map((org) => org.id);
      };
      expect(await unverified()).toContain(declared.orgId);
      expect(await unverified()).not.toContain(provider.orgId);
      await platform.app.inject({
        method: 'PUT',
        url: `/v1/orgs/${declared.orgId}/location`,
        headers: operator,
        payload: { location: 'zhuhai', evidence: 'business licence' },
      });
      expect(await unverified()).not.toContain(declared.orgId);
      const verified = await platform.app.inject({
        url: '/v1/orgs?locationVerified=true&limit=200',
        headers: operator,
      });
      expect((verified.json().items as { id: string }[]).map((org) => org.id)).toContain(declared.orgId);
    });
  });
});
