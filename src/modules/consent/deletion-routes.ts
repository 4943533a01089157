import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { type DeletionRequestService, deletionRequestStates } from './deletion.js';

const DeletionRequestId = Type.String({
  pattern: idPatternFor('deletionRequest'),
  description: 'a deletion request id (del_…)',
});

export const DeletionRequestView = Type.Object({
  id: Type.String(),
  consentId: Type.String({ description: 'the revoked consent' }),
  providerOrgId: Type.String({ description: 'the controller that kept the consent' }),
  granteeOrgId: Type.String({ description: 'the organisation asked to delete' }),
  agreementId: Type.String({ description: 'the agreement under which the subject’s rows were received' }),
  datasetId: Type.String(),
  subjectKey: Type.String({
    description: "the provider's pseudonymous key of the subject: delete the rows that carry it",
  }),
  state: StringEnum(deletionRequestStates),
  dueAt: Timestamp,
  confirmedAt: NullableTimestamp,
  evidence: NullableString,
  escalatedAt: Type.Union([Timestamp, Type.Null()], {
    description: "when it went to the regulator's queue, unconfirmed at its deadline",
  }),
  createdAt: Timestamp,
});

export function deletionRequestView<T extends { confirmedBy: string | null }>(row: T) {
  const { confirmedBy: _confirmedBy, ...rest } = row;
  return rest;
}

export function deletionRequestRoutes(app: FastifyInstance, deletions: DeletionRequestService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ deletionRequestId: DeletionRequestId });

  r.get(
    '/v1/deletion-requests',
    {
      schema: {
        tags: ['consents'],
        summary:
          'Deletion requests from revoked consents: those you must confirm (grantee), those you asked for (provider); ' +
          'a regulator sees the escalated ones',
        querystring: Type.Object({
          as: Type.Optional(
            StringEnum(['grantee', 'provider'] as const, { description: 'your side; default both' }),
          ),
          consentId: Type.Optional(Type.String({ pattern: idPatternFor('consent') })),
          state: Type.Optional(StringEnum(deletionRequestStates)),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: PageOf(DeletionRequestView) },
      },
    },
    async (request) => ({
      items: (await deletions.list(principalOf(request), request.query)).map(deletionRequestView),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/deletion-requests/:deletionRequestId',
    {
      schema: {
        tags: ['consents'],
        summary: 'One deletion request (its provider, its grantee, or an overseer)',
        params,
        response: { 200: DeletionRequestView },
      },
    },
    async (request) =>
      deletionRequestView(await deletions.get(principalOf(request), request.params.deletionRequestId)),
  );

  r.post(
    '/v1/deletion-requests/:deletionRequestId/confirm',
    {
      schema: {
        tags: ['consents'],
        summary:
          'Confirm you deleted the copies the revoked consent covered (grantee admins); the provider is told and the ledger records it',
        params,
        body: Type.Object(
          {
            evidence: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 2000,
                description: 'how it was deleted: a ticket, a log reference',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: DeletionRequestView },
      },
    },
    async (request) =>
      deletionRequestView(
        await deletions.confirm(
          principalOf(request),
          request.params.deletionRequestId,
          request.body.evidence ?? null,
        ),
      ),
  );
}
