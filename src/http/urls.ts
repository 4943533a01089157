import type { FastifyRequest } from 'fastify';

/**
 * The platform's address as the caller reached it (`https://stp.example`), for the absolute URLs that
 * open protocols carry: DCAT IRIs, CKAN resource URLs, the Delta Sharing endpoint and file URLs.
 * Behind a proxy this relies on the Host header it forwards.
 */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
