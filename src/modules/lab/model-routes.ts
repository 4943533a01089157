import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { apiVisibilities } from '../catalog/schema.js';
import { JobSpecSchema } from './job-spec.js';
import type { LabModels } from './models.js';
import type { ModelPublication } from './publication.js';
import { labJobStates, labQueryStates, type ModelCard } from './schema.js';

const LabId = Type.String({ pattern: idPatternFor('lab'), description: 'a lab id (lab_…)' });
const JobId = Type.String({ pattern: idPatternFor('labJob'), description: 'a lab job id (ljb_…)' });
const ModelId = Type.String({ pattern: idPatternFor('labModel'), description: 'a lab model id (lmd_…)' });
const DatasetRef = Type.Object({ name: Type.String(), datasetId: Type.String(), versionId: Type.String() });

const JobView = Type.Object({
  id: Type.String(),
  labId: Type.String(),
  orgId: Type.String(),
  userId: Type.String(),
  spec: Type.Record(Type.String(), Type.Unknown()),
  specSha256: Type.String(),
  epsilon: Type.Number({ description: 'ε charged to the budget when the job was accepted' }),
  delta: Type.Number(),
  datasets: Type.Array(DatasetRef, { description: 'the data versions the job reads' }),
  state: StringEnum(labJobStates),
  progress: Type.Number({ description: 'share of the training steps done, 0–1' }),
  error: Type.Union([Type.Object({ code: Type.String(), detail: Type.String() }), Type.Null()]),
  modelId: NullableString,
  createdAt: Timestamp,
  startedAt: NullableTimestamp,
  finishedAt: NullableTimestamp,
});

const CardView = Type.Unsafe<ModelCard>({
  type: 'object',
  additionalProperties: true,
  description: 'the model card: coefficients, noisy held-out metrics, ε/δ spent, data versions, spec',
});

const PublicationView = Type.Object({
  apiId: Type.String(),
  slug: Type.String({ description: 'served at POST /gw/{slug}/predict' }),
  isRetired: Type.Boolean({ description: 'unpublished: the gateway answers 410' }),
});

const ModelView = Type.Object({
  id: Type.String(),
  labId: Type.String(),
  jobId: Type.String(),
  orgId: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  state: StringEnum(labQueryStates),
  card: Type.Union([CardView, Type.Null()], { description: 'null for a researcher until released' }),
  reviewReason: NullableString,
  createdAt: Timestamp,
  publication: Type.Union([PublicationView, Type.Null()], {
    description: 'the API the model is published as in the hub; null when it was never published',
  }),
});

/** Model development routes: /v1/labs/{labId}/jobs and /models (models.ts). */
export function labModelRoutes(app: FastifyInstance, models: LabModels, publication: ModelPublication) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ labId: LabId });
  const jobParams = Type.Object({ labId: LabId, jobId: JobId });
  const modelParams = Type.Object({ labId: LabId, modelId: ModelId });
  /** Models with where each is published. */
  const withPublication = async <T extends { id: string }>(rows: T[]) => {
    const published = await publication.publicationsOf(rows.map((row) => row.id));
    return rows.map((row) => ({ ...row, publication: published.get(row.id) ?? null }));
  };

  r.get(
    '/v1/labs/job-schema',
    {
      schema: {
        tags: ['labs'],
        summary: 'The JSON Schema of a training job',
        response: {
          200: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
        },
      },
    },
    async () => JSON.parse(JSON.stringify(JobSpecSchema)),
  );

  r.post(
    '/v1/labs/:labId/jobs',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Submit a training job (linear regression from noisy sufficient statistics, logistic regression by DP-SGD); ' +
          'ε is charged from your budget when it is accepted',
        params,
        body: JobSpecSchema,
        response: { 202: JobView },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await models.submit(principalOf(request), request.params.labId, request.body)),
  );

  r.get(
    '/v1/labs/:labId/jobs',
    { schema: { tags: ['labs'], params, response: { 200: PageOf(JobView) } } },
    async (request) => ({
      items: await models.listJobs(principalOf(request), request.params.labId),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/labs/:labId/jobs/:jobId',
    { schema: { tags: ['labs'], params: jobParams, response: { 200: JobView } } },
    async (request) => models.getJob(principalOf(request), request.params.labId, request.params.jobId),
  );

  r.post(
    '/v1/labs/:labId/jobs/:jobId/cancel',
    {
      schema: {
        tags: ['labs'],
        summary: 'Stop a queued or running job',
        params: jobParams,
        response: { 200: JobView },
      },
    },
    async (request) => models.cancel(principalOf(request), request.params.labId, request.params.jobId),
  );

  r.get(
    '/v1/labs/:labId/models',
    { schema: { tags: ['labs'], params, response: { 200: PageOf(ModelView) } } },
    async (request) => ({
      items: await withPublication(await models.listModels(principalOf(request), request.params.labId)),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/labs/:labId/models/:modelId',
    { schema: { tags: ['labs'], params: modelParams, response: { 200: ModelView } } },
    async (request) => {
      const model = await models.getModel(principalOf(request), request.params.labId, request.params.modelId);
      return (await withPublication([model]))[0]!;
    },
  );

  r.get(
    '/v1/labs/:labId/models/:modelId/card.json',
    {
      schema: {
        tags: ['labs'],
        summary: 'Download a released model card as JSON',
        params: modelParams,
        response: { 200: CardView },
      },
    },
    async (request, reply) => {
      const card = await models.download(principalOf(request), request.params.labId, request.params.modelId);
      return reply
        .header('content-disposition', `attachment; filename="${card.name}-v${card.version}.json"`)
        .send(card);
    },
  );

  r.post(
    '/v1/labs/:labId/models/:modelId/publish',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Publish a released model as an API in the hub (lab owner): the platform serves POST /gw/{slug}/predict ' +
          'itself, with plans, keys, rate limits and metering like any API',
        params: modelParams,
        body: Type.Object(
          {
            slug: Type.String({
              pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
              maxLength: 48,
              description: 'the address under /gw/',
            }),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            description: Type.Optional(Type.String({ maxLength: 4000 })),
            visibility: Type.Optional(StringEnum(apiVisibilities)),
            allowedOrgIds: Type.Optional(Type.Array(Type.String(), { maxItems: 1000, uniqueItems: true })),
            plan: Type.Optional(
              Type.Object(
                {
                  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                  rateLimitPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
                  burst: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
                  monthlyQuota: Type.Optional(
                    Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
                      description: 'null: unlimited',
                    }),
                  ),
                  requiresApproval: Type.Optional(Type.Boolean()),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            modelId: Type.String(),
            api: Type.Object({
              id: Type.String(),
              slug: Type.String(),
              visibility: StringEnum(apiVisibilities),
              builtinUpstream: Type.String(),
            }),
            plan: Type.Object(
              {
                id: Type.String(),
                name: Type.String(),
                rateLimitPerSecond: Type.Number(),
                burst: Type.Number(),
              },
              { additionalProperties: true },
            ),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await publication.publish(
            principalOf(request),
            request.params.labId,
            request.params.modelId,
            request.body,
          ),
        ),
  );

  r.post(
    '/v1/labs/:labId/models/:modelId/unpublish',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Unpublish a published model (lab owner): its API is retired at once, the gateway answers predict ' +
          'with 410 and the organisations that called it are told',
        params: modelParams,
        body: Type.Optional(
          Type.Object(
            { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: PublicationView },
      },
    },
    async (request) =>
      publication.unpublish(
        principalOf(request),
        request.params.labId,
        request.params.modelId,
        request.body?.reason,
      ),
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/v1/labs/:labId/models/:modelId/${decision}`,
      {
        schema: {
          tags: ['labs'],
          summary: `Output review: ${decision === 'approve' ? 'release' : 'withhold'} a trained model (owner or data owner)`,
          params: modelParams,
          body: Type.Optional(
            Type.Object(
              { reason: Type.Optional(Type.String({ maxLength: 2000 })) },
              { additionalProperties: false },
            ),
          ),
          response: { 200: ModelView },
        },
      },
      async (request) =>
        (
          await withPublication([
            await models.review(
              principalOf(request),
              request.params.labId,
              request.params.modelId,
              decision,
              request.body?.reason,
            ),
          ])
        )[0]!,
    );
  }
}
