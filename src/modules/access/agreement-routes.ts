import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { RiskAssessmentView } from '../catalog/dataset-routes.js';
import { type AgreementService, agreementStates, maxDurationDays } from './agreements.js';
import { accessRequestStates, purposes } from './schema.js';
import { AgreementTermsSchema, TermsOverridesSchema } from './terms.js';

const RequestId = Type.String({
  pattern: idPatternFor('accessRequest'),
  description: 'an access request id (arq_…)',
});
const AgreementId = Type.String({
  pattern: idPatternFor('agreement'),
  description: 'an agreement id (agr_…)',
});
const DatasetId = Type.String({ pattern: idPatternFor('dataset') });
const Side = StringEnum(['consumer', 'provider'] as const, { description: 'your side; default both' });

const AccessRequestView = Type.Object({
  id: Type.String(),
  datasetId: Type.String(),
  orgId: Type.String({ description: 'the consumer organisation' }),
  providerOrgId: Type.String(),
  purpose: StringEnum(purposes),
  purposeText: Type.String(),
  columns: Type.Array(Type.String()),
  durationDays: Type.Integer(),
  wantsDownload: Type.Boolean(),
  labId: Type.Union([Type.String(), Type.Null()], {
    description: 'the lab whose seat approval gives (the dataset is attached to it); null for none',
  }),
  state: StringEnum(accessRequestStates),
  reason: NullableString,
  agreementId: NullableString,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const AgreementView = Type.Object({
  id: Type.String(),
  datasetId: Type.String(),
  orgId: Type.String({ description: 'the consumer organisation' }),
  providerOrgId: Type.String(),
  requestId: NullableString,
  state: StringEnum(agreementStates),
  terms: Type.Unsafe({ $ref: 'https://stp-platform.dev/schemas/agreement-terms.json' }),
  queriesUsed: Type.Integer(),
  revokedAt: NullableTimestamp,
  revokeReason: NullableString,
  createdAt: Timestamp,
});

const ReleaseRisk = Type.Union([RiskAssessmentView, Type.Null()], {
  description:
    'rows unique on the released quasi-identifiers and the smallest class k, with the masks applied; ' +
    'null when the release has no quasi-identifier or the dataset nothing about people',
});
const RiskWarning = Type.Union([Type.String(), Type.Null()], {
  description: "set when k is below the dataset's kThreshold: the figure and the masks that would raise it",
});

/** Terms overrides, optionally laid over one of the provider's terms templates. */
const ApprovalBody = Type.Object(
  {
    ...TermsOverridesSchema.properties,
    template: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          "the slug of one of your terms templates to start from; without it and without other terms, the dataset's default template (if any)",
      }),
    ),
  },
  { additionalProperties: false },
);
const TemplateUsed = Type.Union([Type.String(), Type.Null()], {
  description: 'the slug of the terms template the terms started from; null when none',
});

const Reason = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export function agreementRoutes(app: FastifyInstance, agreements: AgreementService) {
  app.addSchema(AgreementTermsSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/agreements/terms-schema',
    {
      config: { public: true },
      schema: {
        tags: ['agreements'],
        security: [],
        summary: 'The JSON Schema of agreement terms (ODRL-inspired): what every agreement document follows',
      },
    },
    async (_request, reply) => reply.type('application/schema+json').send(AgreementTermsSchema),
  );

  r.post(
    '/v1/access-requests',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Ask a provider for access to a dataset: purpose, columns, duration, download or not',
        body: Type.Object(
          {
            datasetId: DatasetId,
            purpose: StringEnum(purposes),
            purposeText: Type.String({
              minLength: 1,
              maxLength: 2000,
              description: 'what you will do, in words',
            }),
            columns: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
              minItems: 1,
              maxItems: 2000,
            }),
            durationDays: Type.Integer({ minimum: 1, maximum: maxDurationDays }),
            wantsDownload: Type.Optional(Type.Boolean()),
            labId: Type.Optional(
              Type.String({
                pattern: idPatternFor('lab'),
                description:
                  'a lab the dataset is attached to: approval also gives your organisation a seat in it',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: AccessRequestView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await agreements.request(principalOf(request), {
          ...request.body,
          wantsDownload: request.body.wantsDownload ?? false,
        }),
      ),
  );

  r.get(
    '/v1/access-requests',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Requests your organisation made (consumer) or received (provider)',
        querystring: Type.Object({
          as: Type.Optional(Side),
          state: Type.Optional(StringEnum(accessRequestStates)),
          datasetId: Type.Optional(DatasetId),
        }),
        response: { 200: PageOf(AccessRequestView) },
      },
    },
    async (request) => ({
      items: await agreements.listRequests(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/access-requests/:requestId',
    {
      schema: {
        tags: ['access-requests'],
        params: Type.Object({ requestId: RequestId }),
        response: { 200: AccessRequestView },
      },
    },
    async (request) => agreements.getRequest(principalOf(request), request.params.requestId),
  );

  r.post(
    '/v1/access-requests/:requestId/approve',
    {
      schema: {
        tags: ['access-requests'],
        summary:
          'Approve a request (provider), optionally with narrower terms: masks, row filter, limits, ' +
          "regions, an earlier expiry, fewer columns, or a terms template; with no terms, the dataset's " +
          'default template applies. Creates the agreement.',
        params: Type.Object({ requestId: RequestId }),
        body: Type.Optional(ApprovalBody),
        response: {
          200: Type.Object({
            request: AccessRequestView,
            agreement: AgreementView,
            template: TemplateUsed,
            risk: ReleaseRisk,
            warning: RiskWarning,
          }),
        },
      },
    },
    async (request) => agreements.approve(principalOf(request), request.params.requestId, request.body ?? {}),
  );

  r.post(
    '/v1/access-requests/:requestId/preview',
    {
      schema: {
        tags: ['access-requests'],
        summary:
          'Preview an approval (provider): the terms these overrides would grant and the re-identification ' +
          'risk of what they release, with the masks that would raise k. Nothing is written.',
        params: Type.Object({ requestId: RequestId }),
        body: Type.Optional(ApprovalBody),
        response: {
          200: Type.Object({
            terms: Type.Unsafe({ $ref: 'https://stp-platform.dev/schemas/agreement-terms.json' }),
            template: TemplateUsed,
            risk: ReleaseRisk,
            warning: RiskWarning,
          }),
        },
      },
    },
    async (request) => agreements.preview(principalOf(request), request.params.requestId, request.body ?? {}),
  );

  r.post(
    '/v1/access-requests/:requestId/reject',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Reject a request with a reason (provider)',
        params: Type.Object({ requestId: RequestId }),
        body: Reason,
        response: { 200: AccessRequestView },
      },
    },
    async (request) => agreements.reject(principalOf(request), request.params.requestId, request.body.reason),
  );

  r.post(
    '/v1/access-requests/:requestId/withdraw',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Withdraw your pending request (consumer)',
        params: Type.Object({ requestId: RequestId }),
        response: { 200: AccessRequestView },
      },
    },
    async (request) => agreements.withdraw(principalOf(request), request.params.requestId),
  );

  r.get(
    '/v1/agreements',
    {
      schema: {
        tags: ['agreements'],
        summary: 'Agreements your organisation holds (consumer) or granted (provider)',
        querystring: Type.Object({
          as: Type.Optional(Side),
          state: Type.Optional(StringEnum(agreementStates)),
          datasetId: Type.Optional(DatasetId),
        }),
        response: { 200: PageOf(AgreementView) },
      },
    },
    async (request) => ({
      items: await agreements.listAgreements(principalOf(request), request.query),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/agreements/:agreementId',
    {
      schema: {
        tags: ['agreements'],
        params: Type.Object({ agreementId: AgreementId }),
        response: { 200: AgreementView },
      },
    },
    async (request) => agreements.getAgreement(principalOf(request), request.params.agreementId),
  );

  r.post(
    '/v1/agreements/:agreementId/revoke',
    {
      schema: {
        tags: ['agreements'],
        summary: 'Revoke an agreement (either side); the next query is refused',
        params: Type.Object({ agreementId: AgreementId }),
        body: Reason,
        response: { 200: AgreementView },
      },
    },
    async (request) =>
      agreements.revoke(principalOf(request), request.params.agreementId, request.body.reason),
  );
}
