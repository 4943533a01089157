import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Principal } from '../modules/identity/principal.js';
import type { IdentityService } from '../modules/identity/service.js';

export const sessionCookie = 'stp_session';

/**
 * The session cookie's attributes, the same wherever it is set or cleared (a cookie is only replaced
 * by one with the same name, path and domain). HttpOnly: no script reads it, so an XSS cannot carry
 * the session off. SameSite=Lax: not sent with other sites' subrequests and form posts, yet a link
 * into the platform from an e-mail arrives signed in (Strict would not). Secure behind TLS. Path=/
 * and no Domain: the host that set it only, not its subdomains. Cross-origin writes are refused
 * besides (./csrf.ts).
 */
export function sessionCookieOptions(options: { secure: boolean; expires?: Date }): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: '/',
    ...(options.expires ? { expires: options.expires } : {}),
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in (health, docs, login). Every other route requires a principal. */
    public?: boolean;
    /** Reachable by members of an organisation that is not approved yet (their own profile, sign-out). */
    allowPendingOrg?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return request.cookies?.[sessionCookie];
}

/** The principal of an authenticated route; routes call this instead of reading the request. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated');
  return request.principal;
}

/**
 * Deny by default: every route needs a principal unless it declares `config.public`. The check runs
 * in onRequest, before the body is even read, so anonymous callers learn nothing about validation.
 */
export function installAuthentication(app: FastifyInstance, identity: IdentityService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const isDocs = request.url === '/docs' || request.url.startsWith('/docs/');
    const secret = credentialOf(request);
    if (secret) request.principal = await identity.authenticate(secret);
    if (config?.public || isDocs || request.is404) return;
    if (!request.principal) {
      throw new AppError(
        'unauthenticated',
        secret
          ? 'the session or token is unknown, expired or revoked'
          : 'sign in, or send Authorization: Bearer <token>',
      );
    }
    if (request.principal.orgStatus !== 'active' && !config?.allowPendingOrg) {
      throw new AppError(
        'org-not-active',
        `your organisation is ${request.principal.orgStatus}; an operator must approve it first`,
      );
    }
  });
}
