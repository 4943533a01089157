import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import type { NotificationService } from '../community/notifications.js';
import { locations } from '../identity/schema.js';
import { transferStates } from './schema.js';
import type { TransferService } from './service.js';

const TransferId = Type.String({ pattern: idPatternFor('transfer'), description: 'a transfer id (xfr_…)' });
const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const DatasetId = Type.String({ pattern: idPatternFor('dataset') });
const ApiId = Type.String({ pattern: idPatternFor('api') });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

const TransferView = Type.Object({
  id: Type.String(),
  providerOrgId: Type.String({ description: 'the sender, whose data crosses' }),
  recipientOrgId: Type.String(),
  providerLocation: StringEnum(locations),
  recipientLocation: StringEnum(locations),
  datasetIds: Type.Array(Type.String()),
  apiIds: Type.Array(Type.String(), { description: 'APIs whose calls carry the data through the gateway' }),
  dataCategories: Type.Array(Type.String()),
  volume: Type.String(),
  purpose: Type.String(),
  impactAssessment: Type.Union([
    Type.Object({
      completedOn: Type.String(),
      attachment: Type.Object({ name: Type.String(), sha256: Type.String() }),
      summary: NullableString,
    }),
    Type.Null(),
  ]),
  providerSignedAt: NullableTimestamp,
  recipientSignedAt: NullableTimestamp,
  contractEffectiveOn: NullableString,
  filingDueOn: Type.Union([Type.String(), Type.Null()], {
    description: '10 working days after the contract takes effect (holiday calendar)',
  }),
  filedOn: NullableString,
  filingReference: NullableString,
  noOnwardTransfer: Type.Boolean(),
  retentionYears: Type.Integer(),
  expiresAt: Timestamp,
  state: StringEnum(transferStates, { description: 'as last decided' }),
  currentState: StringEnum(transferStates, { description: 'as of now: deadlines and expiry applied' }),
  reason: NullableString,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const NotificationView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  objectType: NullableString,
  objectId: NullableString,
  data: Type.Record(Type.String(), Type.Unknown(), { description: "the event's payload (docs/events.md)" }),
  readAt: NullableTimestamp,
  createdAt: Timestamp,
});

export function transferRoutes(
  app: FastifyInstance,
  transfers: TransferService,
  notifications: NotificationService,
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ transferId: TransferId });
  const withState = async (principal: ReturnType<typeof principalOf>, id: string) =>
    transfers.get(principal, id);

  r.post(
    '/v1/transfers',
    {
      schema: {
        tags: ['transfers'],
        summary: 'Start a cross-boundary transfer within the GBA (sender or recipient): a draft',
        body: Type.Object(
          {
            providerOrgId: OrgId,
            recipientOrgId: OrgId,
            datasetIds: Type.Array(DatasetId, {
              minItems: 0,
              maxItems: 100,
              description: 'datasets the transfer covers (with apiIds, at least one item in all)',
            }),
            apiIds: Type.Optional(
              Type.Array(ApiId, {
                maxItems: 100,
                description: 'APIs whose calls the gateway lets cross the boundary under this transfer',
              }),
            ),
            dataCategories: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              minItems: 1,
              maxItems: 50,
            }),
            volume: Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'e.g. "about 2,000 records a month"',
            }),
            purpose: Type.String({ minLength: 1, maxLength: 2000 }),
            noOnwardTransfer: Type.Boolean({
              description: "the recipient's commitment not to transfer the data onward outside the GBA",
            }),
            retentionYears: Type.Integer({ minimum: 1, maximum: 50, description: 'at least 3' }),
            expiresAt: Type.String({ format: 'date-time' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: TransferView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const created = await transfers.create(principal, request.body);
      return reply.code(201).send(await withState(principal, created.id));
    },
  );

  r.get(
    '/v1/transfers',
    {
      schema: {
        tags: ['transfers'],
        summary: 'Transfers your organisation is a party to (regulators and operators: all)',
        querystring: Type.Object({ state: Type.Optional(StringEnum(transferStates)) }),
        response: { 200: PageOf(TransferView) },
      },
    },
    async (request) => ({
      items: await transfers.list(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/transfers/:transferId',
    { schema: { tags: ['transfers'], params, response: { 200: TransferView } } },
    async (request) => withState(principalOf(request), request.params.transferId),
  );

  r.post(
    '/v1/transfers/:transferId/assessment',
    {
      schema: {
        tags: ['transfers'],
        summary: "Record the sender's personal-information impact assessment (before submitting)",
        params,
        body: Type.Object(
          {
            completedOn: Day,
            attachment: Type.Object(
              {
                name: Type.String({ minLength: 1, maxLength: 200 }),
                sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
              },
              { additionalProperties: false },
            ),
            summary: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: TransferView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await transfers.recordAssessment(principal, request.params.transferId, {
        ...request.body,
        summary: request.body.summary ?? null,
      });
      return withState(principal, request.params.transferId);
    },
  );

  for (const [path, summary, act] of [
    ['sign', 'Sign the standard contract for your side', (p, id) => transfers.sign(p, id)],
    ['submit', 'Submit the transfer for review (sender)', (p, id) => transfers.submit(p, id)],
    [
      'review/start',
      'Take a submitted transfer into review (regulator)',
      (p, id) => transfers.review(p, id, 'start'),
    ],
  ] as const satisfies readonly [
    string,
    string,
    (p: ReturnType<typeof principalOf>, id: string) => Promise<unknown>,
  ][]) {
    r.post(
      `/v1/transfers/:transferId/${path}`,
      { schema: { tags: ['transfers'], summary, params, response: { 200: TransferView } } },
      async (request) => {
        const principal = principalOf(request);
        await act(principal, request.params.transferId);
        return withState(principal, request.params.transferId);
      },
    );
  }

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/v1/transfers/:transferId/review/${decision}`,
      {
        schema: {
          tags: ['transfers'],
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} a transfer under review, with a reason (regulator)`,
          params,
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: TransferView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        await transfers.review(principal, request.params.transferId, decision, request.body.reason);
        return withState(principal, request.params.transferId);
      },
    );
  }

  r.post(
    '/v1/transfers/:transferId/filing',
    {
      schema: {
        tags: ['transfers'],
        summary:
          'Record the filing with the authority (sender; due 10 working days after the contract takes effect)',
        params,
        body: Type.Object(
          { filedOn: Day, reference: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: TransferView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await transfers.recordFiling(principal, request.params.transferId, request.body);
      return withState(principal, request.params.transferId);
    },
  );

  r.post(
    '/v1/transfers/:transferId/revoke',
    {
      schema: {
        tags: ['transfers'],
        summary: 'Revoke a transfer (either party); personal data stops crossing at once',
        params,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: TransferView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await transfers.revoke(principal, request.params.transferId, request.body.reason);
      return withState(principal, request.params.transferId);
    },
  );

  r.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: "Your organisation's notifications, newest first",
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean()),
          before: Type.Optional(Type.String({ pattern: idPatternFor('notification') })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: PageOf(NotificationView) },
      },
    },
    async (request) => ({
      items: await notifications.list(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.post(
    '/v1/notifications/:notificationId/read',
    {
      schema: {
        tags: ['notifications'],
        params: Type.Object({ notificationId: Type.String({ pattern: idPatternFor('notification') }) }),
        response: { 200: NotificationView },
      },
    },
    async (request) => notifications.markRead(principalOf(request), request.params.notificationId),
  );
}
