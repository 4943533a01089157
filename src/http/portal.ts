import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` writes the portal (Vite's `web/dist`). */
export const defaultPortalDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * The portal's policy: its own scripts and styles only, API calls to this origin only. Recharts
 * sets `style` attributes from script, which CSP's `style-src` does not govern (it covers
 * `<style>` elements and style attributes in markup), so no 'unsafe-inline' is needed for it;
 * React renders `style={…}` the same way.
 */
export const portalContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Paths the platform answers itself. A browser asking for anything else is given the portal's
 * index.html, and the portal's router shows the page (or its own "not found").
 */
const serverPrefixes = [
  '/v1/',
  '/gw/',
  '/api/',
  '/catalog',
  '/delta-sharing',
  '/docs',
  '/oauth/',
  '/.well-known/',
  '/assets/',
];
const serverPaths = new Set(['/v1', '/gw', '/api', '/openapi.json', '/healthz', '/readyz', '/metrics']);

function isServerPath(path: string): boolean {
  return serverPaths.has(path) || serverPrefixes.some((prefix) => path.startsWith(prefix));
}

export interface Portal {
  /** Answers a browser's page request with the portal; false when the request is not one. */
  serveIndex(request: FastifyRequest, reply: FastifyReply): boolean;
}

/**
 * Serves the built portal: hashed assets under `/assets/` (cached for a year: a new build has new
 * names), and `index.html` for page requests (never cached, so a deployment is seen at once).
 * Returns undefined when the portal has not been built; `/` then shows the API reference.
 */
export async function installPortal(app: FastifyInstance, directory: string): Promise<Portal | undefined> {
  const indexPath = join(directory, 'index.html');
  if (!existsSync(indexPath)) {
    app.log.warn({ directory }, 'the portal is not built (npm run build:web); / shows the API reference');
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.redirect('/docs'),
    );
    return undefined;
  }
  const index = readFileSync(indexPath);
  await app.register(async (scope) => {
    // The portal's files are public (the sign-in page needs them), and not part of the API reference.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), public: true };
      route.schema = { ...route.schema, hide: true };
    });
    await scope.register(fastifyStatic, {
      root: join(directory, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
      // Source maps stay on the server's disk for debugging, not served to everyone.
      allowedPath: (path) => !path.endsWith('.map'),
    });
  });

  const serveIndex = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.url.split('?')[0]!;
    if (isServerPath(path)) return false;
    const accept = request.headers.accept ?? '';
    if (!accept.includes('text/html') && !accept.includes('*/*')) return false;
    reply
      .code(200)
      .header('content-security-policy', portalContentSecurityPolicy)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(index);
    return true;
  };
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (!serveIndex(request, reply)) return reply.redirect('/docs');
    return reply;
  });
  return { serveIndex };
}
