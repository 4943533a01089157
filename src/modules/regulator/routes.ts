import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, PageQuery, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { AuditEventView } from '../audit/routes.js';
import { DeletionRequestView, deletionRequestView } from '../consent/deletion-routes.js';
import { transferStates } from '../crossborder/index.js';
import { reviewDecisions } from './schema.js';
import type { RegulatorService } from './service.js';

const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const DatasetId = Type.String({ pattern: idPatternFor('dataset') });
const AgreementId = Type.String({ pattern: idPatternFor('agreement') });
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const Party = Type.Object({ id: Type.String(), name: NullableString });

const ReviewView = Type.Object({
  id: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  regulatorOrgId: Type.String(),
  decision: StringEnum(reviewDecisions),
  reason: Type.String(),
  decidedBy: Type.String(),
  createdAt: Timestamp,
});

const QueueView = Type.Object({
  agreements: Type.Array(
    Type.Object({
      id: Type.String(),
      dataset: Type.Object({ id: Type.String(), title: Type.String() }),
      provider: Party,
      consumer: Party,
      purpose: Type.String(),
      purposeText: Type.String(),
      actions: Type.Array(Type.String()),
      columns: Type.Array(
        Type.Object({ name: Type.String(), classification: NullableString, mask: NullableString }),
      ),
      sensitiveColumns: Type.Array(Type.String(), {
        description: 'granted columns classified sensitive or identifier',
      }),
      masks: Type.Record(Type.String(), Type.Unknown()),
      aggregateOnly: Type.Boolean(),
      expiresAt: Type.String(),
      createdAt: Timestamp,
      latestReview: Type.Union([ReviewView, Type.Null()]),
    }),
    { description: 'agreements in force over sensitive or identifier columns, newest first' },
  ),
  transfers: Type.Array(
    Type.Object({
      id: Type.String(),
      state: StringEnum(transferStates),
      provider: Type.Object({ id: Type.String(), name: NullableString, location: Type.String() }),
      recipient: Type.Object({ id: Type.String(), name: NullableString, location: Type.String() }),
      datasetIds: Type.Array(Type.String()),
      dataCategories: Type.Array(Type.String()),
      volume: Type.String(),
      purpose: Type.String(),
      filingDueOn: NullableString,
      expiresAt: Timestamp,
      updatedAt: Timestamp,
    }),
    { description: 'transfers submitted or under review: decide them at /v1/transfers/{id}/review/…' },
  ),
  deletionRequests: Type.Array(DeletionRequestView, {
    description:
      'deletion requests from revoked consents still unconfirmed past their deadline, oldest deadline first',
  }),
});

const AccessEventView = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  action: Type.String(),
  org: Party,
  actorType: Type.String(),
  actorId: NullableString,
  via: NullableString,
  agreementId: NullableString,
  rows: NullableNumber,
  columns: Type.Union([Type.Array(Type.String()), Type.Null()]),
  refusal: Type.Union(
    [
      Type.Object({
        code: Type.String({ description: 'the problem code(s) the attempt was refused with' }),
        count: Type.Integer({ description: 'attempts this entry stands for (a summary counts a minute)' }),
      }),
      Type.Null(),
    ],
    { description: 'set when the row is a refused attempt at the dataset (a probe; `via` is `probe`)' },
  ),
  entryHash: Type.String({ description: 'the ledger entry this row is read from' }),
});

const ScopeFields = {
  orgId: Type.Optional(OrgId),
  datasetId: Type.Optional(DatasetId),
  agreementId: Type.Optional(AgreementId),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
};

function afterSeqOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const seq = Number(cursor);
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new AppError('validation-failed', 'querystring/cursor: must be a cursor from a previous page');
  }
  return seq;
}

/** One extra row tells whether there is a next page; its cursor is the last sequence number shown. */
function pageOf<T extends { seq: number }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(last.seq) : null };
}

export function regulatorRoutes(app: FastifyInstance, regulator: RegulatorService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/regulator/queue',
    {
      schema: {
        tags: ['regulator'],
        summary:
          'Review queue: agreements over sensitive data and transfers awaiting a decision (regulators)',
        querystring: Type.Object({
          include: StringEnum(['pending', 'all'] as const, {
            default: 'pending',
            description: 'pending: leave out agreements your organisation has reviewed',
          }),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: QueueView },
      },
    },
    async (request) => {
      const queue = await regulator.queue(principalOf(request), request.query);
      return { ...queue, deletionRequests: queue.deletionRequests.map(deletionRequestView) };
    },
  );

  r.post(
    '/v1/regulator/reviews',
    {
      schema: {
        tags: ['regulator'],
        summary:
          'Endorse or object to an agreement, with a reason; both parties are notified. An objection flags, it does not revoke',
        body: Type.Object(
          {
            objectType: Type.Literal('agreement'),
            objectId: AgreementId,
            decision: StringEnum(reviewDecisions),
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReviewView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await regulator.review(principalOf(request), request.body)),
  );

  r.get(
    '/v1/regulator/reviews',
    {
      schema: {
        tags: ['regulator'],
        summary: "Regulators' reviews of an agreement, newest first (its parties, regulators and operators)",
        querystring: Type.Object({ objectType: Type.Literal('agreement'), objectId: AgreementId }),
        response: { 200: PageOf(ReviewView) },
      },
    },
    async (request) => ({
      items: await regulator.reviews(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/regulator/evidence',
    {
      schema: {
        tags: ['regulator'],
        summary:
          'Ledger search: entries by or about an organisation, touching a dataset or agreement, in a time range (regulators, operators)',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({ ...ScopeFields, action: Type.Optional(Type.String({ maxLength: 100 })) }),
        ]),
        response: { 200: PageOf(AuditEventView) },
      },
    },
    async (request) => {
      const { cursor, limit, ...query } = request.query;
      const rows = await regulator.evidence(principalOf(request), {
        ...query,
        afterSeq: afterSeqOf(cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit);
    },
  );

  r.get(
    '/v1/regulator/datasets/:datasetId/access',
    {
      schema: {
        tags: ['regulator'],
        summary:
          'Access history of a dataset: who queried, downloaded or shared it, when, through which agreement, rows and columns (its owner, regulators, operators)',
        params: Type.Object({ datasetId: DatasetId }),
        querystring: PageQuery,
        response: { 200: PageOf(AccessEventView) },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const rows = await regulator.accessHistory(principalOf(request), request.params.datasetId, {
        afterSeq: afterSeqOf(cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit);
    },
  );

  r.post(
    '/v1/regulator/evidence-bundles',
    {
      schema: {
        tags: ['regulator'],
        summary:
          'A signed evidence bundle for a scope (JSON Lines: signed manifest, then entries); verify offline with `stp audit verify --file`',
        body: Type.Object(
          { scope: Type.Object(ScopeFields, { additionalProperties: false }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { manifest, lines } = await regulator.bundle(principalOf(request), request.body.scope);
      reply.header('content-disposition', `attachment; filename="${manifest.bundleId}.jsonl"`);
      reply.header('stp-bundle-id', manifest.bundleId);
      reply.header('stp-bundle-count', String(manifest.count));
      reply.type('application/x-ndjson; charset=utf-8');
      return reply.send(Readable.from(lines));
    },
  );
}
