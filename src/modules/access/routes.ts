import { parse as parseQueryString } from 'node:querystring';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { baseUrlOf } from '../../http/urls.js';
import { idPatternFor } from '../../ids.js';
import { requireKind, requireRole } from '../identity/principal.js';
import { type LocalGateway, untilGatewayHolds } from './issuance.js';
import { OAuthError, type OAuthServer } from './oauth.js';
import { credentialKinds, subscriptionStates } from './schema.js';
import { type AccessService, maxRotationGraceSeconds } from './service.js';

const ApiId = Type.String({ pattern: idPatternFor('api') });
const PlanId = Type.String({ pattern: idPatternFor('plan') });
const SubscriptionId = Type.String({ pattern: idPatternFor('subscription') });
const CredentialId = Type.String({ pattern: `^(key|cli)_[0-9a-hjkmnp-tv-z]{26}$` });
const PathPattern = Type.String({ pattern: '^/[^\\s]*$', maxLength: 300 });

const PlanView = Type.Object({
  id: Type.String(),
  apiId: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  description: NullableString,
  rateLimitPerSecond: Type.Number(),
  burst: Type.Integer(),
  monthlyQuota: Type.Union([Type.Integer(), Type.Null()]),
  requiresApproval: Type.Boolean(),
  includedTags: Type.Array(Type.String()),
  includedPaths: Type.Array(Type.String()),
  archivedAt: NullableTimestamp,
  createdAt: Timestamp,
});

const planFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 2000 }),
  rateLimitPerSecond: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
  burst: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  monthlyQuota: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  requiresApproval: Type.Boolean(),
  includedTags: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
  includedPaths: Type.Array(PathPattern, { maxItems: 100 }),
};

const SubscriptionView = Type.Object({
  id: Type.String(),
  apiId: Type.String(),
  planId: Type.String(),
  orgId: Type.String({ description: 'the consumer organisation' }),
  providerOrgId: Type.String(),
  state: StringEnum(subscriptionStates),
  reason: NullableString,
  endsAt: Type.Union([Timestamp, Type.Null()], { description: 'when access ends (null: until revoked)' }),
  pendingPlanId: Type.Union([Type.String(), Type.Null()], {
    description: "a plan the consumer asked to move to, waiting for the provider's approval",
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const CredentialView = Type.Object({
  id: Type.String({ description: 'for an OAuth2 client, this is its client_id' }),
  orgId: Type.String(),
  kind: StringEnum(credentialKinds),
  name: Type.String(),
  prefix: Type.String(),
  previousValidUntil: NullableTimestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()], {
    description: 'when it stops working (null: until revoked)',
  }),
  revokedAt: NullableTimestamp,
  createdAt: Timestamp,
});

const Reason = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
);

/** A refusal says why: the reason goes to the asker and onto the ledger. */
const RequiredReason = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

const ApproveBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    endsAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'when access ends; the gateway refuses calls after it',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * `gateway` is this node's gateway, when it runs one: routes that hand out access answer once it
 * holds what they handed out (issuance.ts).
 */
export function accessRoutes(
  app: FastifyInstance,
  access: AccessService,
  oauth: OAuthServer,
  gateway?: LocalGateway,
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---- plans ----
  r.post(
    '/v1/apis/:apiId/plans',
    {
      schema: {
        tags: ['plans'],
        summary: 'Add a plan to your API: rate limit, monthly quota, approval, included operations',
        params: Type.Object({ apiId: ApiId }),
        body: Type.Object(
          {
            name: planFields.name,
            description: Type.Optional(planFields.description),
            rateLimitPerSecond: planFields.rateLimitPerSecond,
            burst: planFields.burst,
            monthlyQuota: Type.Optional(planFields.monthlyQuota),
            requiresApproval: Type.Optional(planFields.requiresApproval),
            includedTags: Type.Optional(planFields.includedTags),
            includedPaths: Type.Optional(planFields.includedPaths),
          },
          { additionalProperties: false },
        ),
        response: { 201: PlanView },
      },
    },
    async (request, reply) => {
      const plan = await access.createPlan(principalOf(request), request.params.apiId, {
        ...request.body,
        requiresApproval: request.body.requiresApproval ?? false,
      });
      return reply.code(201).send(plan);
    },
  );

  r.get(
    '/v1/apis/:apiId/plans',
    {
      schema: {
        tags: ['plans'],
        params: Type.Object({ apiId: ApiId }),
        response: { 200: PageOf(PlanView) },
      },
    },
    async (request) => ({
      items: await access.listPlans(principalOf(request), request.params.apiId),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/plans/:planId',
    { schema: { tags: ['plans'], params: Type.Object({ planId: PlanId }), response: { 200: PlanView } } },
    async (request) => access.getPlan(principalOf(request), request.params.planId),
  );

  r.patch(
    '/v1/plans/:planId',
    {
      schema: {
        tags: ['plans'],
        summary: 'Change a plan; active subscriptions get the new limits at once',
        params: Type.Object({ planId: PlanId }),
        body: Type.Partial(Type.Object(planFields), { additionalProperties: false, minProperties: 1 }),
        response: { 200: PlanView },
      },
    },
    async (request) => access.updatePlan(principalOf(request), request.params.planId, request.body),
  );

  r.delete(
    '/v1/plans/:planId',
    {
      schema: {
        tags: ['plans'],
        summary: 'Archive a plan: no new subscriptions; existing ones keep it',
        params: Type.Object({ planId: PlanId }),
        response: { 200: PlanView },
      },
    },
    async (request) => access.archivePlan(principalOf(request), request.params.planId),
  );

  // ---- subscriptions ----
  r.post(
    '/v1/subscriptions',
    {
      schema: {
        tags: ['subscriptions'],
        summary:
          "Subscribe your organisation to a plan (pending when the plan needs the provider's approval)",
        body: Type.Object({ planId: PlanId }, { additionalProperties: false }),
        response: { 201: SubscriptionView },
      },
    },
    async (request, reply) => {
      const subscription = await access.subscribe(principalOf(request), request.body.planId);
      if (subscription.state === 'active') await untilGatewayHolds(gateway);
      return reply.code(201).send(subscription);
    },
  );

  r.get(
    '/v1/subscriptions',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'Subscriptions of your organisation, as consumer or as provider',
        querystring: Type.Object({
          as: Type.Optional(StringEnum(['consumer', 'provider'] as const)),
          state: Type.Optional(StringEnum(subscriptionStates)),
          apiId: Type.Optional(ApiId),
        }),
        response: { 200: PageOf(SubscriptionView) },
      },
    },
    async (request) => ({
      items: await access.listSubscriptions(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/subscriptions/:subscriptionId',
    {
      schema: {
        tags: ['subscriptions'],
        params: Type.Object({ subscriptionId: SubscriptionId }),
        response: { 200: SubscriptionView },
      },
    },
    async (request) => access.getSubscription(principalOf(request), request.params.subscriptionId),
  );

  for (const decision of ['approve', 'reject', 'suspend', 'resume', 'revoke'] as const) {
    r.post(
      `/v1/subscriptions/:subscriptionId/${decision}`,
      {
        schema: {
          tags: ['subscriptions'],
          summary: `${decision[0]!.toUpperCase()}${decision.slice(1)} a subscription${decision === 'reject' || decision === 'suspend' ? ' (reason required)' : ''}`,
          params: Type.Object({ subscriptionId: SubscriptionId }),
          body: decision === 'approve' ? ApproveBody : Reason,
          response: { 200: SubscriptionView },
        },
      },
      async (request) => {
        const body = request.body as { reason?: string; endsAt?: string };
        const subscription = await access.decide(
          principalOf(request),
          request.params.subscriptionId,
          decision,
          body.reason,
          body.endsAt ? new Date(body.endsAt) : undefined,
        );
        if (subscription.state === 'active') await untilGatewayHolds(gateway);
        return subscription;
      },
    );
  }

  r.post(
    '/v1/subscriptions/:subscriptionId/plan-change',
    {
      schema: {
        tags: ['subscriptions'],
        summary:
          "Move your active subscription to another plan of the API: at once, or waiting for the provider's approval when that plan needs it",
        params: Type.Object({ subscriptionId: SubscriptionId }),
        body: Type.Object({ planId: PlanId }, { additionalProperties: false }),
        response: { 200: SubscriptionView },
      },
    },
    async (request) => {
      const subscription = await access.changePlan(
        principalOf(request),
        request.params.subscriptionId,
        request.body.planId,
      );
      if (!subscription.pendingPlanId) await untilGatewayHolds(gateway);
      return subscription;
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/v1/subscriptions/:subscriptionId/plan-change/${decision}`,
      {
        schema: {
          tags: ['subscriptions'],
          summary: `${decision === 'approve' ? 'Approve' : 'Reject (reason required)'} a plan change waiting on your API`,
          params: Type.Object({ subscriptionId: SubscriptionId }),
          body: decision === 'approve' ? Reason : RequiredReason,
          response: { 200: SubscriptionView },
        },
      },
      async (request) => {
        const subscription = await access.decidePlanChange(
          principalOf(request),
          request.params.subscriptionId,
          decision,
          request.body.reason,
        );
        if (decision === 'approve') await untilGatewayHolds(gateway);
        return subscription;
      },
    );
  }

  // ---- credentials ----
  r.post(
    '/v1/credentials',
    {
      schema: {
        tags: ['credentials'],
        summary: 'Create an API key or OAuth2 client for your organisation; the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            kind: StringEnum(credentialKinds),
            expiresAt: Type.Optional(
              Type.String({
                format: 'date-time',
                description: 'when it stops working (default: until revoked)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            credential: CredentialView,
            secret: Type.String({ description: 'shown once' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const issued = await access.createCredential(principalOf(request), {
        name: request.body.name,
        kind: request.body.kind,
        expiresAt: request.body.expiresAt ? new Date(request.body.expiresAt) : undefined,
      });
      await untilGatewayHolds(gateway);
      return reply.code(201).send(issued);
    },
  );

  r.get(
    '/v1/credentials',
    {
      schema: {
        tags: ['credentials'],
        response: { 200: PageOf(CredentialView) },
      },
    },
    async (request) => ({ items: await access.listCredentials(principalOf(request)), nextCursor: null }),
  );

  r.post(
    '/v1/credentials/:credentialId/rotate',
    {
      schema: {
        tags: ['credentials'],
        summary: 'Issue a new secret; the old one keeps working for graceSeconds',
        params: Type.Object({ credentialId: CredentialId }),
        body: Type.Object(
          { graceSeconds: Type.Integer({ minimum: 0, maximum: maxRotationGraceSeconds, default: 86_400 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            credential: CredentialView,
            secret: Type.String({ description: 'shown once' }),
          }),
        },
      },
    },
    async (request) => {
      const rotated = await access.rotateCredential(
        principalOf(request),
        request.params.credentialId,
        request.body.graceSeconds,
      );
      await untilGatewayHolds(gateway);
      return rotated;
    },
  );

  r.delete(
    '/v1/credentials/:credentialId',
    {
      schema: {
        tags: ['credentials'],
        summary: 'Revoke a credential; the gateway refuses it within a second',
        params: Type.Object({ credentialId: CredentialId }),
        response: { 200: CredentialView },
      },
    },
    async (request) => access.revokeCredential(principalOf(request), request.params.credentialId),
  );

  // ---- OAuth2 (RFC 6749 §4.4) ----
  app.register(async (scope) => {
    // The token endpoint takes application/x-www-form-urlencoded (RFC 6749 §4.4.2), only here.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, parseQueryString(body as string));
      },
    );
    scope.post(
      '/oauth/token',
      {
        config: { public: true },
        schema: {
          tags: ['oauth'],
          summary:
            'OAuth2 client-credentials grant: client_secret_basic or client_secret_post; returns an ES256 JWT',
          security: [],
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        const body = (request.body ?? {}) as Record<string, string | string[] | undefined>;
        const field = (name: string) => {
          const value = body[name];
          return Array.isArray(value) ? undefined : value;
        };
        let clientId = field('client_id');
        let clientSecret = field('client_secret');
        const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
        if (basic) {
          // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Base64 of Basic auth.
          const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
          const colon = decoded.indexOf(':');
          try {
            clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
            clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
          } catch {
            clientId = undefined;
          }
        }
        try {
          const token = await oauth.issue({
            clientId,
            clientSecret,
            grantType: field('grant_type'),
            scope: field('scope'),
          });
          // A client created on another node moments ago may not be in this node's snapshot yet.
          if (clientId && gateway && !gateway.knowsClient(clientId)) await untilGatewayHolds(gateway);
          return token;
        } catch (error) {
          if (!(error instanceof OAuthError)) throw error;
          if (error.status === 401) reply.header('www-authenticate', 'Basic realm="stp-platform"');
          return reply.code(error.status).send({ error: error.error, error_description: error.description });
        }
      },
    );
  });

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: { tags: ['oauth'], summary: 'Public keys that sign access tokens', security: [] },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return oauth.jwks();
    },
  );

  app.get(
    '/.well-known/oauth-authorization-server',
    {
      config: { public: true },
      schema: {
        tags: ['oauth'],
        summary: 'Authorization server metadata (RFC 8414): where to get tokens and the keys that sign them',
        security: [],
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      // RFC 8414 §3.3: the issuer is the address the metadata was fetched under.
      const issuer = baseUrlOf(request);
      return {
        issuer,
        token_endpoint: `${issuer}/oauth/token`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        // Only the client-credentials grant: no authorization endpoint, so no response types.
        grant_types_supported: ['client_credentials'],
        response_types_supported: [],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        service_documentation: `${issuer}/docs`,
      };
    },
  );

  r.post(
    '/v1/oauth/signing-keys/rotate',
    {
      schema: {
        tags: ['oauth'],
        summary: 'Rotate the token signing key (operators)',
        response: { 200: Type.Object({ kid: Type.String() }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      requireKind(principal, 'operator');
      requireRole(principal, 'admin');
      return oauth.rotate();
    },
  );
}
