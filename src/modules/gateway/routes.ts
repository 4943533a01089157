import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { type UsageService, usageGranularities } from './usage.js';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const UsageView = Type.Object({
  subscriptionId: Type.String(),
  apiId: Type.String(),
  orgId: Type.String({ description: 'the consumer organisation' }),
  providerOrgId: Type.String(),
  period: Timestamp,
  calls: Type.Integer(),
  status2xx: Type.Integer(),
  status3xx: Type.Integer(),
  status4xx: Type.Integer(),
  status5xx: Type.Integer(),
  rateLimited: Type.Integer({ description: 'calls refused with 429 rate-limited' }),
  bytesIn: Type.Integer(),
  bytesOut: Type.Integer(),
  latencyAvgMs: NullableNumber,
  latencyP50Ms: Type.Union([Type.Number(), Type.Null()], {
    description: 'estimated from the latency histogram',
  }),
  latencyP95Ms: Type.Union([Type.Number(), Type.Null()], {
    description: 'estimated from the latency histogram',
  }),
});

const UsageQuery = Type.Object({
  apiId: Type.Optional(Type.String({ pattern: idPatternFor('api') })),
  subscriptionId: Type.Optional(Type.String({ pattern: idPatternFor('subscription') })),
  from: Type.Optional(
    Type.String({ format: 'date-time', description: 'inclusive; default depends on granularity' }),
  ),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive; default now' })),
  granularity: Type.Optional(StringEnum(usageGranularities, { description: 'default hour' })),
  limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

/** GET /v1/usage: metered gateway calls, aggregated per subscription and period. */
export function usageRoutes(app: FastifyInstance, usage: UsageService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/v1/usage',
    {
      schema: {
        tags: ['usage'],
        summary:
          'Gateway usage per subscription and minute, hour or day: your calls as a consumer, calls to your APIs as a provider',
        querystring: UsageQuery,
        response: {
          200: Type.Object({
            items: Type.Array(UsageView),
            nextCursor: Type.Union([Type.String(), Type.Null()], {
              description: 'pass as ?cursor= for the next page',
            }),
          }),
        },
      },
    },
    async (request) => {
      const { from, to, granularity, ...rest } = request.query;
      return usage.list(principalOf(request), {
        ...rest,
        granularity: granularity ?? 'hour',
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      });
    },
  );

  r.get(
    '/v1/usage/calls/:requestId/proof',
    {
      schema: {
        tags: ['usage'],
        summary:
          "Prove one gateway call is in the record: the call, its batch's Merkle root, the ledger entry holding it, and the inclusion path",
        params: Type.Object({ requestId: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' }) }),
        response: {
          200: Type.Object({
            call: Type.Object({
              requestId: Type.String(),
              subscriptionId: Type.String(),
              apiId: Type.String(),
              orgId: Type.String(),
              providerOrgId: Type.String(),
              method: Type.String(),
              path: Type.String(),
              status: Type.Integer(),
              bytesIn: Type.Number(),
              bytesOut: Type.Number(),
              latencyMs: Type.Number(),
              at: Type.String(),
              rateLimited: Type.Boolean(),
            }),
            batchId: Type.String(),
            merkleRoot: Type.String(),
            ledgerSeq: Type.Integer(),
            proof: Type.Object({
              index: Type.Integer(),
              size: Type.Integer(),
              path: Type.Array(Type.String()),
            }),
          }),
        },
      },
    },
    async (request) => usage.proveCall(principalOf(request), request.params.requestId),
  );
}
