import type { FastifyInstance } from 'fastify';

/** Where @fastify/swagger-ui serves the API reference; it sets its own CSP (`staticCSP`). */
const docsPrefix = '/docs';

/**
 * The API answers JSON, never a page to render: `default-src 'none'` gives a response that is
 * somehow rendered as HTML (an error echoing input, a sniffed upload) nothing to load or run, and
 * `frame-ancestors 'none'` stops it being framed (clickjacking).
 */
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

/** One year, the minimum for HSTS preload lists (RFC 6797 §6.1.1). */
const strictTransportSecurity = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every control-plane response, error answers included (the hook runs for
 * problem+json too). The gateway (`/gw/…`) answers outside Fastify and passes upstream headers on
 * unchanged; it is not covered here.
 */
export function installSecurityHeaders(app: FastifyInstance, options: { isTls: boolean }): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    const path = request.url.split('?')[0]!;
    const isDocs = path === docsPrefix || path.startsWith(`${docsPrefix}/`);
    // Swagger UI needs its own scripts and styles; its policy is set by @fastify/swagger-ui.
    // The portal's page sets its own (src/http/portal.ts).
    if (!isDocs && !reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', apiContentSecurityPolicy);
    }
    // Only over TLS: a browser ignores HSTS on plain HTTP, and a development server on
    // http://localhost must not teach the browser to refuse it (RFC 6797 §7.2).
    if (options.isTls) reply.header('strict-transport-security', strictTransportSecurity);
  });
}
