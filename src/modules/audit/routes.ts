import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, PageQuery, Timestamp } from '../../http/schemas.js';
import { isOverseer, requireKind } from '../identity/principal.js';
import type { LedgerEntry } from './chain.js';
import type { AuditLedger } from './service.js';

export const AuditEventView = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  at: Timestamp,
  actorType: Type.String(),
  actorId: NullableString,
  orgId: NullableString,
  action: Type.String(),
  objectType: Type.String(),
  objectId: NullableString,
  decision: Type.String(),
  reason: NullableString,
  data: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

const VerifyView = Type.Object({
  ok: Type.Boolean(),
  count: Type.Integer({ description: 'entries checked and found sound' }),
  headSeq: Type.Optional(Type.Integer()),
  headHash: Type.Optional(Type.String()),
  brokenSeq: Type.Optional(Type.Integer({ description: 'the first sequence number that does not verify' })),
  problem: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
});

export function auditRoutes(app: FastifyInstance, audit: AuditLedger) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary:
          "The evidence ledger, newest first: operators and regulators see all, others their own organisation's",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            orgId: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
            objectType: Type.Optional(Type.String({ maxLength: 64 })),
            objectId: Type.Optional(Type.String({ maxLength: 64 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            since: Type.Optional(Timestamp),
            until: Type.Optional(Timestamp),
          }),
        ]),
        response: { 200: PageOf(AuditEventView) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const query = request.query;
      let afterSeq: number | undefined;
      if (query.cursor !== undefined) {
        afterSeq = Number(query.cursor);
        if (!Number.isSafeInteger(afterSeq) || afterSeq < 1) {
          throw new AppError(
            'validation-failed',
            'querystring/cursor: must be a cursor from a previous page',
          );
        }
      }
      const items: LedgerEntry[] = await audit.list({
        ...query,
        orgId: isOverseer(principal) ? query.orgId : principal.orgId,
        since: query.since ? new Date(query.since) : undefined,
        until: query.until ? new Date(query.until) : undefined,
        afterSeq,
        limit: query.limit + 1,
      });
      const page = items.slice(0, query.limit);
      const last = page[page.length - 1];
      return { items: page, nextCursor: items.length > query.limit && last ? String(last.seq) : null };
    },
  );

  r.get(
    '/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Recompute the whole hash chain and name the first broken entry (operators and regulators)',
        response: { 200: VerifyView },
      },
    },
    async (request) => {
      requireKind(principalOf(request), 'operator', 'regulator');
      return audit.verify();
    },
  );

  r.get(
    '/v1/audit/public-key',
    {
      schema: {
        tags: ['audit'],
        summary: "The platform's Ed25519 public key (JWK) that signs ledger exports",
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    async () => audit.publicKey,
  );
}
