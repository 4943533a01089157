import type { FastifyRequest } from 'fastify';

/**
 * Query parameters that carry a credential: an OIDC authorization code and state (RFC 6749 §4.1.2),
 * a Delta Sharing pre-signed URL's signature, and tokens some clients put in a URL. Request lines
 * log the URL, and logs are read by more people than may hold these.
 */
const secretQueryParameters = new Set([
  'code',
  'state',
  'signature',
  'token',
  'access_token',
  'client_secret',
]);

/** The request URL as logged: secret query values replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0]!;
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {}
      return secretQueryParameters.has(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}

/** Replaces Fastify's `req` serializer: the same fields, with the URL redacted. */
export const logSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
};
