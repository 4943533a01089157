import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { principalOf, sessionCookie, sessionCookieOptions } from '../../http/auth.js';
import { NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { baseUrlOf } from '../../http/urls.js';
import { idPatternFor } from '../../ids.js';
import type { IdentityProvider, SingleSignOn } from './oidc.js';
import { orgRoles } from './schema.js';

/** Binds a sign-in attempt to the browser that started it; lives only as long as the attempt. */
const loginCookie = 'stp_oidc';
const loginCookiePath = '/v1/auth/oidc/';

const ProviderId = Type.String({ pattern: idPatternFor('identityProvider'), description: 'idp_…' });
const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const Role = StringEnum(orgRoles);

const Mapping = Type.Object(
  {
    domains: Type.Optional(
      Type.Array(
        Type.Object(
          {
            domain: Type.String({ pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9-]+)+$' }),
            orgId: OrgId,
            role: Role,
          },
          { additionalProperties: false },
        ),
        { maxItems: 200, description: 'people whose verified e-mail has this domain join this organisation' },
      ),
    ),
    claim: Type.Optional(
      Type.Union([
        Type.Object(
          {
            name: Type.String({
              minLength: 1,
              maxLength: 100,
              description: 'an ID token claim, e.g. groups',
            }),
            values: Type.Array(
              Type.Object(
                { value: Type.String({ minLength: 1, maxLength: 200 }), orgId: OrgId, role: Role },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 200 },
            ),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

const ProviderView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  scopes: Type.Array(Type.String()),
  mapping: Type.Object({
    domains: Type.Array(Type.Object({ domain: Type.String(), orgId: Type.String(), role: Role })),
    claim: Type.Union([
      Type.Object({
        name: Type.String(),
        values: Type.Array(Type.Object({ value: Type.String(), orgId: Type.String(), role: Role })),
      }),
      Type.Null(),
    ]),
  }),
  redirectUri: Type.String({ description: 'register this callback address with the provider' }),
  disabledAt: NullableTimestamp,
  createdAt: Timestamp,
});

const callbackParameter = Type.String({ maxLength: 4096 });

/**
 * The provider's parameters (OpenID Connect Core 1.0 §3.1.2.5–6, RFC 9207 for `iss`): the known ones
 * are named so the OpenAPI document lists them; openid-client reads them all, so others pass too.
 */
const callbackQuery = Type.Object(
  {
    code: Type.Optional(callbackParameter),
    state: Type.Optional(callbackParameter),
    iss: Type.Optional(callbackParameter),
    error: Type.Optional(callbackParameter),
    error_description: Type.Optional(callbackParameter),
  },
  { additionalProperties: callbackParameter },
);

function callbackUrlOf(request: FastifyRequest, providerId: string): string {
  return `${baseUrlOf(request)}/v1/auth/oidc/${providerId}/callback`;
}

/** The client secret never leaves the platform again after creation. */
function viewOf(request: FastifyRequest, provider: IdentityProvider) {
  const { clientSecretSealed: _sealed, createdBy: _createdBy, ...rest } = provider;
  return { ...rest, redirectUri: callbackUrlOf(request, provider.id) };
}

const tags = { sso: ['auth'], providers: ['identity-providers'] };

export function oidcRoutes(app: FastifyInstance, sso: SingleSignOn, options: { secureCookies: boolean }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ providerId: ProviderId });

  // ---- operators configure providers ----

  r.post(
    '/v1/identity-providers',
    {
      schema: {
        tags: tags.providers,
        summary: 'Configure an OpenID Connect provider people may sign in with (operator admins)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            issuer: Type.String({
              minLength: 1,
              maxLength: 500,
              description: 'discovery at /.well-known/openid-configuration',
            }),
            clientId: Type.String({ minLength: 1, maxLength: 500 }),
            clientSecret: Type.String({ minLength: 1, maxLength: 2000, description: 'never shown again' }),
            scopes: Type.Optional(
              Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' }), {
                maxItems: 20,
                uniqueItems: true,
              }),
            ),
            mapping: Mapping,
          },
          { additionalProperties: false },
        ),
        response: { 201: ProviderView },
      },
    },
    async (request, reply) => {
      const provider = await sso.createProvider(principalOf(request), request.body);
      return reply.code(201).send(viewOf(request, provider));
    },
  );

  r.get(
    '/v1/identity-providers',
    {
      schema: {
        tags: tags.providers,
        summary: 'Configured identity providers (operators)',
        response: { 200: PageOf(ProviderView) },
      },
    },
    async (request) => ({
      items: (await sso.listProviders(principalOf(request))).map((p) => viewOf(request, p)),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/identity-providers/:providerId',
    { schema: { tags: tags.providers, params, response: { 200: ProviderView } } },
    async (request) =>
      viewOf(request, await sso.getProvider(principalOf(request), request.params.providerId)),
  );

  r.post(
    '/v1/identity-providers/:providerId/disable',
    {
      schema: {
        tags: tags.providers,
        summary: 'Stop sign-ins through this provider (operator admins); open sessions run out',
        params,
        response: { 200: ProviderView },
      },
    },
    async (request) =>
      viewOf(request, await sso.disableProvider(principalOf(request), request.params.providerId)),
  );

  // ---- people sign in (anonymous by nature: this is how they get a session) ----

  r.get(
    '/v1/auth/oidc/:providerId/login',
    {
      config: { public: true },
      schema: {
        tags: tags.sso,
        summary: 'Sign in with an identity provider: redirects there (authorization code flow with PKCE)',
        security: [],
        params,
        querystring: Type.Object({
          returnTo: Type.Optional(
            Type.String({ maxLength: 2000, description: 'a path on this platform; anything else becomes /' }),
          ),
        }),
      },
    },
    async (request, reply) => {
      const { providerId } = request.params;
      const started = await sso.startLogin(providerId, {
        redirectUri: callbackUrlOf(request, providerId),
        returnTo: request.query.returnTo,
      });
      reply.setCookie(loginCookie, started.browserSecret, {
        httpOnly: true,
        // Lax: sent on the top-level GET navigation back from the provider, not on cross-site subrequests.
        sameSite: 'lax',
        secure: options.secureCookies,
        path: loginCookiePath,
        maxAge: 600,
      });
      return reply.redirect(started.authorizationUrl, 302);
    },
  );

  r.get(
    '/v1/auth/oidc/:providerId/callback',
    {
      config: { public: true },
      schema: {
        tags: tags.sso,
        summary: "The provider's redirect back: checks state, exchanges the code, signs in and redirects",
        security: [],
        params,
        querystring: callbackQuery,
      },
    },
    async (request, reply) => {
      const result = await sso.finishLogin(request.params.providerId, {
        query: request.query,
        browserSecret: request.cookies[loginCookie],
        ip: request.ip,
      });
      reply.clearCookie(loginCookie, { path: loginCookiePath });
      reply.setCookie(
        sessionCookie,
        result.secret,
        sessionCookieOptions({ secure: options.secureCookies, expires: result.expiresAt }),
      );
      return reply.redirect(result.returnTo, 302);
    },
  );
}
