import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminEmail,
  createTenant,
  createTestPlatform,
  dbTargets,
  password,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { generatePassword } from '../../config.js';
import { demoCommunity } from '../../demo/community.js';
import { seedDemoCommunity } from '../../demo/seed.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import { checkPasswordPolicy, generateAcceptedPassword, type PasswordRule } from './password-policy.js';
import { users } from './schema.js';
import { hashPassword } from './secrets.js';

async function ruleBroken(candidate: string, email = 'someone@example.test'): Promise<PasswordRule | null> {
  try {
    await checkPasswordPolicy(candidate, { email });
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'password-too-weak') throw error;
    expect(error.status).toBe(422);
    return error.extensions.rule as PasswordRule;
  }
}

describe('password policy (NIST SP 800-63B)', () => {
  it.each([
    ['short but strong-looking', 'Tr0ub4dor&3', 'too-short'],
    ['over 256 characters', 'a long passphrase '.repeat(15), 'too-long'],
    ['a common password', 'password1234', 'common'],
    ['a common password in capitals', 'QWERTY123456', 'common'],
    ['a keyboard walk from the list', '1qaz2wsx3edc', 'common'],
    ['one character repeated', 'xxxxxxxxxxxxxxxx', 'repetitive'],
    ['a short run repeated', 'abcabcabcabcabc', 'repetitive'],
    ['the e-mail name inside', 'Someone-is-my-name-2024', 'contains-email'],
  ] as const)('refuses %s (%s → %s)', async (_label, candidate, rule) => {
    expect(await ruleBroken(candidate)).toBe(rule);
  });

  it('accepts passphrases, with no rules about digits, capitals or symbols', async () => {
    for (const candidate of [
      password,
      'a long passphrase',
      'tram to the peak at dawn',
      '我的密碼是很長的一句話呢',
    ]) {
      expect(await ruleBroken(candidate)).toBeNull();
    }
  });

  it('counts characters, not UTF-16 units: twelve emoji are long enough, eleven are not', async () => {
    expect(await ruleBroken('🐉🐅🐒🦊🐼🐨🐯🦁🐮🐷🐸🐙')).toBeNull();
    expect(await ruleBroken('🐉🐅🐒🦊🐼🐨🐯🦁🐮🐷🐸')).toBe('too-short');
  });

  it('ignores an e-mail name too short to mean anything', async () => {
    expect(await ruleBroken('al fresco dinner at eight', 'al@example.test')).toBeNull();
  });

  it('never accepts fewer than 12 or more than 256 characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 11 }), fc.string({ minLength: 257, maxLength: 400 })),
        async (candidate) => {
          expect(await ruleBroken(candidate)).not.toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('names the rule in the detail, never echoing the password', async () => {
    const error = await checkPasswordPolicy('password1234', { email: 'x@example.test' }).catch(
      (e: AppError) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/^password: is one of the most common passwords/);
    expect((error as AppError).message).not.toContain('password1234');
  });

  it('draws generated passwords again until every account accepts them', async () => {
    const draws = ['xx tony xx 0123456789', 'a random enough passphrase'];
    const accepted = await generateAcceptedPassword(() => draws.shift()!, ['tony@kowloon-land.demo']);
    expect(accepted).toBe('a random enough passphrase');
    // The real generator, for the demo logins (which include three-letter names: ivy, lin, sam).
    const emails = demoCommunity.map((demo) => demo.user.email);
    for (let i = 0; i < 20; i++) {
      const generated = await generateAcceptedPassword(generatePassword, emails);
      for (const email of emails)
        await expect(checkPasswordPolicy(generated, { email })).resolves.toBeUndefined();
    }
  });
});

describe.each(dbTargets)('password policy where passwords are set, on %s', (target) => {
  let platform: TestPlatform;
  let provider: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    provider = await createTenant(platform, { kinds: ['provider'] });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  const register = (slug: string, email: string, ownerPassword: string) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        organisation: { name: `Applicant ${slug}`, slug, kinds: ['consumer'] },
        owner: { email, name: 'Applicant', password: ownerPassword },
      },
    });

  it('refuses a weak password at registration with 422 naming the rule, and creates nothing', async () => {
    for (const [candidate, rule] of [
      ['short', 'too-short'],
      ['password1234', 'common'],
      ['kwaichung-kwaichung', 'contains-email'],
    ] as const) {
      const response = await register('weak-applicant', 'kwaichung@applicant.test', candidate);
      expect(response.statusCode).toBe(422);
      const problem = problemOf(response) as ReturnType<typeof problemOf> & { rule: string };
      expect(problem).toMatchObject({ code: 'password-too-weak', rule });
      expect(problem.detail).toMatch(/^password: /);
    }
    expect(await platform.identity.findOrganisationBySlug('weak-applicant')).toBeUndefined();
    expect(await platform.identity.findUserByEmail('kwaichung@applicant.test')).toBeUndefined();
    expect((await register('weak-applicant', 'kwaichung@applicant.test', password)).statusCode).toBe(201);
  });

  it("refuses a newcomer's weak password when accepting an invitation, which stays usable", async () => {
    const invited = await platform.app.inject({
      method: 'POST',
      url: `/v1/orgs/${provider.orgId}/invitations`,
      headers: provider.headers,
      payload: { email: 'newcomer@provider.test', role: 'member' },
    });
    const { token } = invited.json();
    const accept = (candidate: string) =>
      platform.app.inject({
        method: 'POST',
        url: '/v1/auth/invitations/accept',
        payload: { token, name: 'Newcomer', password: candidate },
      });
    const weak = await accept('123456789012');
    expect(problemOf(weak)).toMatchObject({ status: 422, code: 'password-too-weak' });
    expect(await platform.identity.findUserByEmail('newcomer@provider.test')).toBeUndefined();
    expect((await accept(password)).statusCode).toBe(200);
  });

  it('lets someone with an older, weaker password sign in and accept an invitation with it', async () => {
    // Set before the policy: the policy applies when a password is set, not when it is used.
    const email = 'veteran@provider.test';
    await platform.database.db
      .insert(users)
      .values({ id: newId('user'), email, name: 'Veteran', passwordHash: await hashPassword('hunter2') });
    const invited = await platform.app.inject({
      method: 'POST',
      url: `/v1/orgs/${provider.orgId}/invitations`,
      headers: provider.headers,
      payload: { email, role: 'member' },
    });
    const accepted = await platform.app.inject({
      method: 'POST',
      url: '/v1/auth/invitations/accept',
      payload: { token: invited.json().token, password: 'hunter2' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(await signIn(platform, email, 'hunter2')).toMatch(/^stp_session=/);
  });

  it('applies to accounts an operator provisions', async () => {
    await expect(
      platform.identity.provisionMember(platform.operator, provider.orgId, {
        email: 'provisioned@provider.test',
        name: 'Provisioned',
        password: 'qwerty123456',
        role: 'member',
      }),
    ).rejects.toMatchObject({ code: 'password-too-weak' });
  });

  it('refuses a demo password that one demo login would contain, before creating anything', async () => {
    await expect(
      seedDemoCommunity(platform.identity, { adminEmail, demoPassword: 'sam says hello world' }),
    ).rejects.toMatchObject({ code: 'password-too-weak', extensions: { rule: 'contains-email' } });
    for (const demo of demoCommunity) {
      expect(await platform.identity.findOrganisationBySlug(demo.slug)).toBeUndefined();
    }
  });
});
