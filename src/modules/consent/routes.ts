import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import {
  NullableString,
  NullableTimestamp,
  PageOf,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { purposes } from '../access/schema.js';
import { subjectKeyPattern } from './gate.js';
import {
  type Consent,
  type ConsentService,
  consentCsvColumns,
  consentState,
  consentStates,
} from './service.js';

/** A consent file may be this large; split larger ones (each file is one transaction). */
export const maxConsentFileBytes = 64 * 1024 * 1024;

const ConsentId = Type.String({ pattern: idPatternFor('consent'), description: 'a consent id (cns_…)' });
const ApiId = Type.String({ pattern: idPatternFor('api'), description: 'an API id (api_…)' });
const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const SubjectKey = Type.String({
  pattern: subjectKeyPattern,
  description: "the provider's pseudonymous key of the data subject: letters, digits and . _ : @ + = -",
});
const Purpose = StringEnum(purposes);
const Moment = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T.*)?$',
  description: 'RFC 3339 timestamp, or a date (midnight, Hong Kong time)',
});

const ConsentView = Type.Object({
  id: Type.String(),
  orgId: Type.String({ description: 'the provider (controller) that keeps the consent' }),
  subjectKey: Type.String(),
  purpose: Purpose,
  granteeOrgId: Type.Union([Type.String(), Type.Null()], { description: 'null: any organisation' }),
  datasetIds: Type.Array(Type.String()),
  apiIds: Type.Array(Type.String(), {
    description: 'with datasetIds empty too: every consent-required dataset and API of the provider',
  }),
  grantedAt: Timestamp,
  expiresAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
  revokeReason: NullableString,
  evidence: NullableString,
  importId: NullableString,
  state: StringEnum(consentStates),
  createdAt: Timestamp,
});

const RequirementView = Type.Object({
  apiId: Type.String(),
  purpose: Purpose,
  subjectRequired: Type.Boolean(),
  updatedAt: Timestamp,
});

export function consentView(consent: Consent, now: Date) {
  const { revokedBy: _revokedBy, createdBy: _createdBy, ...rest } = consent;
  return { ...rest, state: consentState(consent, now) };
}

/** The text of a consent file: a text/csv body, or the `file` part of a multipart form. */
async function consentFileOf(request: FastifyRequest): Promise<string> {
  if (request.isMultipart()) {
    const part = await request.file({ limits: { fileSize: maxConsentFileBytes, files: 1, fields: 5 } });
    if (!part) throw new AppError('validation-failed', 'file: the multipart body has no file part');
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if (part.file.truncated)
      throw new AppError('payload-too-large', `the file is larger than ${maxConsentFileBytes} bytes`);
    return Buffer.concat(chunks).toString('utf8');
  }
  if (typeof request.body !== 'string') {
    throw new AppError(
      'unsupported-media-type',
      'send the file as text/csv, or as multipart/form-data with a part named file',
    );
  }
  return request.body;
}

export async function consentRoutes(app: FastifyInstance, consents: ConsentService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const now = () => consents.deps.clock.now();

  r.post(
    '/v1/consents',
    {
      schema: {
        tags: ['consents'],
        summary:
          "Record a data subject's consent (providers): purpose, grantee, datasets/APIs, expiry, evidence",
        body: Type.Object(
          {
            subjectKey: SubjectKey,
            purpose: Purpose,
            granteeOrgId: Type.Optional(
              Type.Union([OrgId, Type.Null()], { description: 'absent or null: any organisation' }),
            ),
            datasetIds: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
            apiIds: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
            grantedAt: Type.Optional(Moment),
            expiresAt: Type.Optional(
              Type.Union([Moment, Type.Null()], { description: 'absent or null: until revoked' }),
            ),
            evidence: Type.Optional(
              Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], {
                description: 'where the proof of consent is kept: a form number, a document reference, a URL',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: ConsentView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(consentView(await consents.create(principalOf(request), request.body), now())),
  );

  // The import takes CSV, which no other route accepts: its parser lives in this scope only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: maxConsentFileBytes },
      (_request, body, done) => done(null, body),
    );
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/v1/consents/import',
      {
        bodyLimit: maxConsentFileBytes,
        schema: {
          tags: ['consents'],
          summary:
            'Import consents from a CSV file (text/csv body, or multipart/form-data with a `file` part): all lines or ' +
            `none. Columns: ${consentCsvColumns.join(', ')} (the first two required; ids separated by spaces or ;).`,
          consumes: ['text/csv', 'multipart/form-data'],
          response: {
            201: Type.Object({
              importId: Type.String(),
              imported: Type.Integer(),
              sha256: Type.String({ description: 'SHA-256 of the file as received' }),
            }),
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await consents.importCsv(principalOf(request), await consentFileOf(request))),
    );
  });

  r.get(
    '/v1/consents',
    {
      schema: {
        tags: ['consents'],
        summary: "Your organisation's consents, filtered by subject, purpose, grantee or state",
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            subjectKey: Type.Optional(SubjectKey),
            purpose: Type.Optional(Purpose),
            granteeOrgId: Type.Optional(OrgId),
            state: Type.Optional(StringEnum(consentStates)),
          }),
        ]),
        response: { 200: PageOf(ConsentView) },
      },
    },
    async (request) => {
      const page = await consents.list(principalOf(request), request.query);
      const at = now();
      return { items: page.items.map((consent) => consentView(consent, at)), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/consents/:consentId',
    {
      schema: {
        tags: ['consents'],
        params: Type.Object({ consentId: ConsentId }),
        response: { 200: ConsentView },
      },
    },
    async (request) => consentView(await consents.get(principalOf(request), request.params.consentId), now()),
  );

  r.post(
    '/v1/consents/:consentId/revoke',
    {
      schema: {
        tags: ['consents'],
        summary:
          'Revoke a consent: queries stop showing the subject from their next run, the gateway from its next snapshot',
        params: Type.Object({ consentId: ConsentId }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ConsentView },
      },
    },
    async (request) =>
      consentView(
        await consents.revoke(principalOf(request), request.params.consentId, request.body.reason),
        now(),
      ),
  );

  r.get(
    '/v1/consents/receipts/:subjectKey',
    {
      schema: {
        tags: ['consents'],
        summary:
          "A consent receipt (Kantara Consent Receipt 1.1 JSON) of one data subject's consents with your organisation",
        params: Type.Object({ subjectKey: SubjectKey }),
      },
    },
    async (request, reply) => {
      const { subjectKey } = request.params;
      const directoryUrl = `${request.protocol}://${request.host}/v1/orgs/${principalOf(request).orgId}`;
      const receipt = await consents.receipt(principalOf(request), subjectKey, directoryUrl);
      return reply
        .header('content-disposition', `attachment; filename="consent-receipt-${subjectKey}.json"`)
        .send(receipt);
    },
  );

  r.get(
    '/v1/apis/:apiId/consent-requirement',
    {
      schema: {
        tags: ['consents'],
        summary: 'Whether calls to this API need a consent of the data subject they name (X-Subject-Key)',
        params: Type.Object({ apiId: ApiId }),
        response: { 200: RequirementView },
      },
    },
    async (request) => {
      const requirement = await consents.apiRequirement(principalOf(request), request.params.apiId);
      if (!requirement) throw new AppError('not-found', `api ${request.params.apiId} requires no consent`);
      return requirement;
    },
  );

  r.put(
    '/v1/apis/:apiId/consent-requirement',
    {
      schema: {
        tags: ['consents'],
        summary:
          "Make your API consent-required: a call with X-Subject-Key needs that subject's live consent for the " +
          'calling organisation and this purpose; with subjectRequired, every call must name a subject',
        params: Type.Object({ apiId: ApiId }),
        body: Type.Object(
          {
            purpose: Purpose,
            subjectRequired: Type.Boolean({ description: 'every call concerns a data subject' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RequirementView },
      },
    },
    async (request) => consents.setApiRequirement(principalOf(request), request.params.apiId, request.body),
  );

  r.delete(
    '/v1/apis/:apiId/consent-requirement',
    {
      schema: {
        tags: ['consents'],
        summary: 'Stop requiring consent for calls to your API',
        params: Type.Object({ apiId: ApiId }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await consents.removeApiRequirement(principalOf(request), request.params.apiId);
      return reply.code(204).send(null);
    },
  );
}
