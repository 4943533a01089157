import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf, sessionCookie, sessionCookieOptions } from '../../http/auth.js';
import {
  NullableString,
  NullableTimestamp,
  PageOf,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { passwordPolicyDescription } from './password-policy.js';
import { locations, orgKinds, orgRoles, orgStatuses } from './schema.js';
import { type IdentityService, type Organisation, tokenLifetimeDays, type User } from './service.js';

const OrgId = Type.String({
  pattern: idPatternFor('organisation'),
  description: 'an organisation id (org_…)',
});
const UserId = Type.String({ pattern: idPatternFor('user') });
const Email = Type.String({ format: 'email', maxLength: 254 });
/**
 * A new password. The policy (./password-policy.ts) is checked by the service and answered with
 * `password-too-weak` naming the rule; the schema only bounds what is read.
 */
const NewPassword = Type.String({ minLength: 1, maxLength: 1024, description: passwordPolicyDescription });
/** A password someone already has: checked against its hash, never against today's policy. */
const ExistingPassword = Type.String({ minLength: 1, maxLength: 1024 });
const Kinds = Type.Array(StringEnum(orgKinds), { minItems: 1, uniqueItems: true });
const Location = StringEnum(locations);
const Role = StringEnum(orgRoles);

const OrganisationView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  kinds: Type.Array(Type.String()),
  status: StringEnum(orgStatuses),
  sector: NullableString,
  description: NullableString,
  website: NullableString,
  declaredLocation: NullableString,
  location: Type.Union([Type.String(), Type.Null()], { description: 'verified by an operator' }),
  locationVerifiedAt: NullableTimestamp,
  createdAt: Timestamp,
});

const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
});

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the token, to tell tokens apart' }),
  orgId: Type.String(),
  expiresAt: NullableTimestamp,
  lastUsedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
  createdAt: Timestamp,
});

const InvitationView = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  email: Type.String(),
  role: Role,
  expiresAt: Timestamp,
  acceptedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
  createdAt: Timestamp,
});

const MeView = Type.Object({
  user: UserView,
  organisation: OrganisationView,
  role: Role,
  principal: Type.Object({ type: Type.String() }),
  memberships: Type.Array(Type.Object({ organisation: OrganisationView, role: Role })),
});

const OrganisationInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 200 }),
    slug: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 48 })),
    kinds: Kinds,
    sector: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    website: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
    declaredLocation: Type.Optional(Location),
  },
  { additionalProperties: false },
);

const Reason = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
const OptionalReason = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
);

const tags = { auth: ['auth'], orgs: ['orgs'], tokens: ['tokens'], users: ['users'] };
const publicRoute = { security: [] as Record<string, string[]>[] };

export function identityRoutes(
  app: FastifyInstance,
  identity: IdentityService,
  options: { secureCookies: boolean },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const meOf = async (principal: ReturnType<typeof principalOf>) => {
    const me = await identity.me(principal);
    return {
      user: me.user,
      organisation: me.organisation,
      role: me.role,
      principal: { type: principal.type },
      memberships: me.memberships.map((m) => ({ organisation: m.org, role: m.role })),
    };
  };

  r.post(
    '/v1/auth/login',
    {
      config: { public: true, sameOriginOnly: true },
      schema: {
        tags: tags.auth,
        summary: 'Sign in with e-mail and password; sets an httpOnly session cookie',
        ...publicRoute,
        body: Type.Object(
          {
            email: Email,
            password: ExistingPassword,
            orgId: Type.Optional(OrgId),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            user: UserView,
            organisation: OrganisationView,
            role: Role,
            expiresAt: Type.Unsafe<Date | string>({
              type: 'string',
              format: 'date-time',
              description:
                'the latest the session lasts; unused for STP_SESSION_IDLE_MINUTES, it ends sooner',
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const session = await identity.login(body, { ip: request.ip }).catch((error: unknown) => {
        if (error instanceof AppError && ['invalid-credentials', 'rate-limited'].includes(error.code)) {
          // No e-mail in the log: people type their password into the e-mail field often enough.
          request.log.info({ code: error.code, ip: request.ip }, 'password sign-in refused');
        }
        throw error;
      });
      reply.setCookie(
        sessionCookie,
        session.secret,
        sessionCookieOptions({ secure: options.secureCookies, expires: session.expiresAt }),
      );
      return {
        user: session.user,
        organisation: session.organisation,
        role: session.role,
        expiresAt: session.expiresAt,
      };
    },
  );

  r.post(
    '/v1/auth/logout',
    {
      config: { allowPendingOrg: true },
      schema: { tags: tags.auth, summary: 'End this session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await identity.logout(principalOf(request));
      reply.clearCookie(sessionCookie, sessionCookieOptions({ secure: options.secureCookies }));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/auth/register',
    {
      config: { public: true, sameOriginOnly: true },
      schema: {
        tags: tags.auth,
        summary: 'Apply to join: creates a pending organisation and its owner; an operator approves',
        ...publicRoute,
        body: Type.Object(
          {
            organisation: OrganisationInput,
            owner: Type.Object(
              { email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), password: NewPassword },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ organisation: OrganisationView, user: UserView }) },
      },
    },
    async (request, reply) => {
      const result = await identity.applyForOrganisation(request.body);
      return reply.code(201).send(result);
    },
  );

  r.post(
    '/v1/auth/invitations/accept',
    {
      config: { public: true },
      schema: {
        tags: tags.auth,
        summary: 'Accept an invitation: newcomers set a name and password, existing users give theirs',
        ...publicRoute,
        body: Type.Object(
          {
            token: Type.String({ minLength: 10, maxLength: 200 }),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            password: Type.String({
              minLength: 1,
              maxLength: 1024,
              description: `a newcomer's new password (${passwordPolicyDescription}), or an existing account's own`,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: UserView, orgId: Type.String(), role: Role }) },
      },
    },
    async (request) => identity.acceptInvitation(request.body),
  );

  r.post(
    '/v1/auth/switch-org',
    {
      config: { allowPendingOrg: true },
      schema: {
        tags: tags.auth,
        summary: 'Act for another organisation you belong to (sessions only)',
        body: Type.Object({ orgId: OrgId }, { additionalProperties: false }),
        response: { 200: MeView },
      },
    },
    async (request) => {
      const principal = await identity.switchOrganisation(principalOf(request), request.body.orgId);
      return meOf(principal);
    },
  );

  r.get(
    '/v1/me',
    {
      config: { allowPendingOrg: true },
      schema: {
        tags: tags.auth,
        summary: 'Who am I, for which organisation, with which role',
        response: { 200: MeView },
      },
    },
    async (request) => meOf(principalOf(request)),
  );

  r.patch(
    '/v1/me',
    {
      config: { allowPendingOrg: true },
      schema: {
        tags: tags.auth,
        summary: 'Edit your own profile: the name others see (the e-mail is your sign-in and stays)',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: MeView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await identity.updateMe(principal, request.body);
      return meOf(principal);
    },
  );

  r.post(
    '/v1/me/password',
    {
      config: { allowPendingOrg: true },
      schema: {
        tags: tags.auth,
        summary:
          'Change your password (signed-in sessions only): give the current one; your other sessions end, this one stays',
        body: Type.Object(
          { currentPassword: ExistingPassword, newPassword: NewPassword },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            sessionsEnded: Type.Integer({ description: 'your other sessions, now ended' }),
          }),
        },
      },
    },
    async (request) => identity.changePassword(principalOf(request), request.body, { ip: request.ip }),
  );

  const resetRequested = {
    status: 'accepted',
    detail: 'if an account has this e-mail address, a link to choose a new password is on its way',
  } as const;

  r.post(
    '/v1/auth/password-reset',
    {
      config: { public: true, sameOriginOnly: true },
      schema: {
        tags: tags.auth,
        summary:
          'Forgotten password: mails a single-use link (30 minutes) to the address; the same answer whether or not an account has it',
        ...publicRoute,
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: {
          202: Type.Object({ status: Type.Literal('accepted'), detail: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      await identity.requestPasswordReset(request.body, { ip: request.ip });
      return reply.code(202).send(resetRequested);
    },
  );

  r.post(
    '/v1/auth/password-reset/confirm',
    {
      config: { public: true, sameOriginOnly: true },
      schema: {
        tags: tags.auth,
        summary: "Set a new password with a reset link's token; every session of the account ends",
        ...publicRoute,
        body: Type.Object(
          { token: Type.String({ minLength: 10, maxLength: 200 }), password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ sessionsEnded: Type.Integer() }) },
      },
    },
    async (request) => identity.resetPassword(request.body),
  );

  // ---- organisations ----

  r.get(
    '/v1/orgs',
    {
      schema: {
        tags: tags.orgs,
        summary: 'The directory: active organisations (operators also see pending ones)',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(StringEnum(orgStatuses)),
            kind: Type.Optional(StringEnum(orgKinds)),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            locationVerified: Type.Optional(
              Type.Boolean({
                description: 'false: only organisations whose location an operator has not verified yet',
              }),
            ),
          }),
        ]),
        response: { 200: PageOf(OrganisationView) },
      },
    },
    async (request) => identity.listOrganisations(principalOf(request), request.query),
  );

  r.post(
    '/v1/orgs',
    {
      schema: {
        tags: tags.orgs,
        summary: 'Create an organisation: active at once for operators, pending approval for anyone else',
        body: OrganisationInput,
        response: { 201: OrganisationView },
      },
    },
    async (request, reply) => {
      const org = await identity.createOrganisation(principalOf(request), request.body);
      return reply.code(201).send(org);
    },
  );

  const orgParams = Type.Object({ orgId: OrgId });

  r.get(
    '/v1/orgs/:orgId',
    { schema: { tags: tags.orgs, params: orgParams, response: { 200: OrganisationView } } },
    async (request) => identity.getOrganisation(principalOf(request), request.params.orgId),
  );

  r.patch(
    '/v1/orgs/:orgId',
    {
      schema: {
        tags: tags.orgs,
        summary: "Edit an organisation's profile (its admins, or an operator)",
        params: orgParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
            sector: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            description: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
            website: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 500 }), Type.Null()])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: OrganisationView },
      },
    },
    async (request) => identity.updateProfile(principalOf(request), request.params.orgId, request.body),
  );

  const decisions = [
    ['approve', OptionalReason, 'Approve a pending (or re-activate a suspended) organisation'],
    ['reject', Reason, 'Reject a pending application, with a reason'],
    ['suspend', Reason, 'Suspend an active organisation, with a reason'],
  ] as const;
  for (const [decision, body, summary] of decisions) {
    r.post(
      `/v1/orgs/:orgId/${decision}`,
      {
        schema: {
          tags: tags.orgs,
          summary: `${summary} (operators)`,
          params: orgParams,
          body,
          response: { 200: OrganisationView },
        },
      },
      async (request): Promise<Organisation> => {
        const { orgId } = request.params;
        const reason = request.body.reason;
        const principal = principalOf(request);
        if (decision === 'approve') return identity.approveOrganisation(principal, orgId, reason);
        if (decision === 'reject') return identity.rejectOrganisation(principal, orgId, reason!);
        return identity.suspendOrganisation(principal, orgId, reason!);
      },
    );
  }

  r.put(
    '/v1/orgs/:orgId/location',
    {
      schema: {
        tags: tags.orgs,
        summary: "Record an organisation's verified location (operators); cross-boundary rules rely on it",
        params: orgParams,
        body: Type.Object(
          { location: Location, evidence: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: OrganisationView },
      },
    },
    async (request) => {
      const body = request.body;
      return identity.verifyLocation(
        principalOf(request),
        request.params.orgId,
        body.location,
        body.evidence,
      );
    },
  );

  // ---- members and invitations ----

  const MemberView = Type.Object({ user: UserView, role: Role, since: Timestamp });

  r.get(
    '/v1/orgs/:orgId/members',
    {
      schema: {
        tags: tags.orgs,
        params: orgParams,
        response: { 200: PageOf(MemberView) },
      },
    },
    async (request) => ({
      items: await identity.listMembers(principalOf(request), request.params.orgId),
      nextCursor: null,
    }),
  );

  const memberParams = Type.Object({ orgId: OrgId, userId: UserId });

  r.patch(
    '/v1/orgs/:orgId/members/:userId',
    {
      schema: {
        tags: tags.orgs,
        params: memberParams,
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 200: Type.Object({ orgId: Type.String(), userId: Type.String(), role: Role }) },
      },
    },
    async (request) => {
      const { orgId, userId } = request.params;
      return identity.changeRole(principalOf(request), orgId, userId, request.body.role);
    },
  );

  r.delete(
    '/v1/orgs/:orgId/members/:userId',
    { schema: { tags: tags.orgs, params: memberParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      await identity.removeMember(principalOf(request), orgId, userId);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/orgs/:orgId/invitations',
    {
      schema: {
        tags: tags.orgs,
        summary: 'Invite someone by e-mail; the invitation code is shown once',
        params: orgParams,
        body: Type.Object({ email: Email, role: Role }, { additionalProperties: false }),
        response: {
          201: Type.Object({ invitation: InvitationView, token: Type.String({ description: 'shown once' }) }),
        },
      },
    },
    async (request, reply) => {
      const result = await identity.invite(principalOf(request), request.params.orgId, request.body);
      return reply.code(201).send({ invitation: result.invitation, token: result.secret });
    },
  );

  r.get(
    '/v1/orgs/:orgId/invitations',
    {
      schema: {
        tags: tags.orgs,
        params: orgParams,
        response: { 200: PageOf(InvitationView) },
      },
    },
    async (request) => ({
      items: await identity.listInvitations(principalOf(request), request.params.orgId),
      nextCursor: null,
    }),
  );

  r.delete(
    '/v1/orgs/:orgId/invitations/:invitationId',
    {
      schema: {
        tags: tags.orgs,
        params: Type.Object({
          orgId: OrgId,
          invitationId: Type.String({ pattern: idPatternFor('invitation') }),
        }),
        response: { 200: InvitationView },
      },
    },
    async (request) => {
      const { orgId, invitationId } = request.params;
      return identity.revokeInvitation(principalOf(request), orgId, invitationId);
    },
  );

  // ---- personal access tokens ----

  r.post(
    '/v1/tokens',
    {
      schema: {
        tags: tags.tokens,
        summary: 'Create a personal access token for the current organisation; the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresInDays: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: tokenLifetimeDays.max,
                default: tokenLifetimeDays.default,
                description: `days until the token stops working; every token expires (at most ${tokenLifetimeDays.max})`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: TokenView, secret: Type.String({ description: 'shown once' }) }),
        },
      },
    },
    async (request, reply) => {
      const result = await identity.createToken(principalOf(request), request.body);
      return reply.code(201).send(result);
    },
  );

  r.get(
    '/v1/tokens',
    {
      schema: {
        tags: tags.tokens,
        summary: 'Your tokens for the current organisation',
        response: { 200: PageOf(TokenView) },
      },
    },
    async (request) => ({ items: await identity.listTokens(principalOf(request)), nextCursor: null }),
  );

  r.delete(
    '/v1/tokens/:tokenId',
    {
      schema: {
        tags: tags.tokens,
        summary: 'Revoke a token; it stops working at once',
        params: Type.Object({ tokenId: Type.String({ pattern: idPatternFor('token') }) }),
        response: { 200: TokenView },
      },
    },
    async (request) => identity.revokeToken(principalOf(request), request.params.tokenId),
  );

  r.get(
    '/v1/users',
    {
      schema: {
        tags: tags.users,
        summary: 'All users (operators)',
        querystring: Type.Intersect([PageQuery, Type.Object({ email: Type.Optional(Email) })]),
        response: { 200: PageOf(UserView) },
      },
    },
    async (request): Promise<{ items: User[]; nextCursor: string | null }> =>
      identity.listUsers(principalOf(request), request.query),
  );
}
