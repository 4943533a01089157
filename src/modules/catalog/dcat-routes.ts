import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { baseUrlOf } from '../../http/urls.js';
import { idPatternFor } from '../../ids.js';
import type { Principal } from '../identity/principal.js';
import { catalogGraph, toJsonLd, writeRdf } from './dcat.js';
import { type CatalogueListing, thePublic } from './listing.js';
import type { CatalogService } from './service.js';

/** What /catalog serves, in order of preference when the client has none. */
export const catalogMediaTypes = [
  'application/ld+json',
  'application/json',
  'text/turtle',
  'application/n-triples',
] as const;
export type CatalogMediaType = (typeof catalogMediaTypes)[number];

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      const [type = '', subtype = ''] = range.toLowerCase().split('/');
      const qParameter = parameters.find((parameter) => /^q=/i.test(parameter));
      const q = qParameter ? Number(qParameter.slice(2)) : 1;
      return { type, subtype, q: Number.isFinite(q) ? q : 0 };
    });
}

/**
 * Content negotiation (RFC 9110 §12.5.1): each servable type takes the q of the most specific
 * range that matches it (`text/turtle` over `text/*` over `*\/*`); the highest q wins, ties go to
 * the order above. No Accept header means anything: JSON-LD. Null when nothing servable is acceptable.
 */
export function negotiateCatalogType(accept: string | undefined): CatalogMediaType | null {
  if (!accept?.trim()) return catalogMediaTypes[0];
  const ranges = parseAccept(accept);
  let best: { type: CatalogMediaType; q: number } | null = null;
  for (const candidate of catalogMediaTypes) {
    const [type, subtype] = candidate.split('/');
    const specificity = (range: MediaRange) =>
      range.type === type && range.subtype === subtype
        ? 3
        : range.type === type && range.subtype === '*'
          ? 2
          : range.type === '*' && range.subtype === '*'
            ? 1
            : 0;
    const match = ranges
      .filter((range) => specificity(range) > 0)
      .sort((a, b) => specificity(b) - specificity(a))[0];
    if (match && match.q > 0 && (!best || match.q > best.q)) best = { type: candidate, q: match.q };
  }
  return best?.type ?? null;
}

/** A viewer for public routes: the caller if signed in to an active organisation, else the public. */
function viewerOf(request: FastifyRequest): Principal {
  const principal = request.principal;
  return principal && principal.orgStatus === 'active' ? principal : thePublic;
}

/**
 * The DCAT-AP catalogue at /catalog, for harvesters (national portals, data.europa.eu-style
 * catalogues). It lists what the public may see, whoever asks: a harvested catalogue must not
 * depend on the harvester's credentials, and a portal re-publishes what it harvests.
 */
export function dcatRoutes(
  app: FastifyInstance,
  deps: { listing: CatalogueListing; catalog: CatalogService },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/catalog',
    {
      config: { public: true },
      schema: {
        tags: ['dcat'],
        summary:
          'The public catalogue as DCAT-AP 3: JSON-LD (default), Turtle or N-Triples by Accept; 406 for anything else',
        security: [],
        produces: [...catalogMediaTypes],
        response: {
          200: {
            description:
              'a dcat:Catalog with a dcat:Dataset per open dataset and a dcat:DataService per public API',
            content: Object.fromEntries(
              catalogMediaTypes.map((type) => [type, { schema: { type: 'string' } }]),
            ),
          },
        },
      },
    },
    async (request, reply) => {
      reply.header('vary', 'Accept');
      const mediaType = negotiateCatalogType(request.headers.accept);
      if (!mediaType) {
        throw new AppError(
          'not-acceptable',
          `/catalog is served as ${catalogMediaTypes.join(', ')}; the request accepts ${request.headers.accept}`,
        );
      }
      const quads = catalogGraph(await deps.listing.forViewer(null), baseUrlOf(request));
      reply.type(`${mediaType}; charset=utf-8`);
      if (mediaType === 'application/ld+json' || mediaType === 'application/json') {
        return reply.send(JSON.stringify(toJsonLd(quads)));
      }
      return reply.send(await writeRdf(quads, mediaType));
    },
  );

  r.get(
    '/catalog/apis/:apiId/openapi',
    {
      config: { public: true },
      schema: {
        tags: ['dcat'],
        summary:
          "An API's OpenAPI document, its servers pointed at the gateway (a DataService's endpointDescription); public APIs need no sign-in",
        security: [],
        params: Type.Object({ apiId: Type.String({ pattern: idPatternFor('api') }) }),
        produces: ['application/json', 'application/yaml'],
      },
    },
    async (request, reply) => {
      const document = await deps.catalog.getDocument(viewerOf(request), request.params.apiId);
      return reply
        .type(document.sourceFormat === 'json' ? 'application/json' : 'application/yaml')
        .send(document.original);
    },
  );
}
