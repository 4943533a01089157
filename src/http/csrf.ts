import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { sessionCookie } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Refuse browsers' requests from other origins even without a session cookie: signing in and
     * registering, so a page elsewhere cannot sign a visitor into the attacker's account (login CSRF).
     */
    sameOriginOnly?: boolean;
  }
}

/** Methods that must not change anything (RFC 9110 §9.2.1); everything else is checked. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Sec-Fetch-Site` values that are the platform's own pages (`same-origin`) or the person themself
 * (`none`: typed in the address bar, a bookmark). `same-site` is refused: a sibling subdomain is
 * another application, and the one a SameSite cookie does not stop.
 */
const trustedFetchSites = new Set(['same-origin', 'none']);

export interface CsrfOptions {
  /** STP_PUBLIC_URL: when set, the only origin a browser may write from. */
  publicUrl?: string;
  /** Served over TLS (STP_SECURE_COOKIES): the origin's scheme is https even behind a proxy. */
  isTls: boolean;
}

/**
 * The origins the platform's own pages have, as the browser names them in `Origin`. With a public
 * URL, that URL's. Without, the Host the request came to: with the scheme of the connection, or
 * https when served over TLS. A plain-HTTP request also accepts https on the same host, since a
 * TLS-terminating proxy that nobody declared looks like that, and a page on the same host is the
 * same party's.
 */
function ownOrigins(request: FastifyRequest, options: CsrfOptions): string[] {
  if (options.publicUrl) return [new URL(options.publicUrl).origin];
  const host = request.host;
  if (!host) return [];
  const schemes = options.isTls || request.protocol === 'https' ? ['https'] : ['http', 'https'];
  const origins: string[] = [];
  for (const scheme of schemes) {
    try {
      origins.push(new URL(`${scheme}://${host}`).origin);
    } catch {
      // A Host header that is no host matches no origin.
    }
  }
  return origins;
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Why a browser request must not be trusted with the session, or undefined when it may. */
function crossOriginReason(request: FastifyRequest, options: CsrfOptions): string | undefined {
  const site = headerOf(request, 'sec-fetch-site');
  if (site !== undefined && !trustedFetchSites.has(site.toLowerCase())) {
    return `the browser says the request came from a ${site} page (Sec-Fetch-Site: ${site}); only the platform's own pages may send it`;
  }
  const origin = headerOf(request, 'origin');
  if (origin === undefined) return undefined;
  if (origin === 'null') {
    return "the request came from an opaque origin (Origin: null: a sandboxed frame, a file or a redirect); only the platform's own pages may send it";
  }
  let given: string;
  try {
    given = new URL(origin).origin;
  } catch {
    return `the Origin header "${origin.slice(0, 100)}" is not an origin`;
  }
  const own = ownOrigins(request, options);
  if (own.includes(given)) return undefined;
  return `the request came from ${given}, not from the platform's own origin ${own[0] ?? '(unknown: no Host header)'}`;
}

/**
 * CSRF protection without tokens (OWASP CSRF Prevention Cheat Sheet: "Fetch Metadata headers" and
 * "Verifying origin with standard headers"). A write authenticated by the session cookie is refused
 * when the browser says it came from another site (`Sec-Fetch-Site`) or names another origin
 * (`Origin`). Both headers are set by the browser and cannot be set by a page's script; clients that
 * are not browsers send neither and pass, as do requests that carry `Authorization` (tokens, which a
 * browser never attaches on its own). This sits on top of `SameSite=Lax` cookies and JSON-only
 * bodies, and also covers what those leave open: multipart uploads and same-site subdomains.
 *
 * Runs in onRequest before authentication, so a refused request reads no body and touches nothing.
 */
export function installCsrfProtection(app: FastifyInstance, options: CsrfOptions): void {
  app.addHook('onRequest', async (request) => {
    if (safeMethods.has(request.method)) return;
    // As ./auth.ts reads credentials: any Authorization header wins over the cookie.
    const byCookie = !request.headers.authorization && request.cookies?.[sessionCookie] !== undefined;
    if (!byCookie && !request.routeOptions.config?.sameOriginOnly) return;
    const reason = crossOriginReason(request, options);
    if (reason) throw new AppError('csrf-refused', `${reason}; nothing was done`);
  });
}
