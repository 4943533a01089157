import { createReadStream } from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, NullableTimestamp, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { labTwinStates, type TwinReport } from './schema.js';
import { type LabTwins, maxTwinRows } from './twins.js';

const LabId = Type.String({ pattern: idPatternFor('lab'), description: 'a lab id (lab_…)' });
const DatasetName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'the lab dataset’s name' });

const ReportView = Type.Unsafe<TwinReport>({
  type: 'object',
  additionalProperties: true,
  description:
    'the utility report: per marginal its cells, noise, the noisy measured L1 error (share of rows) and, ' +
    'for one-way marginals, the stated 95% bound; the tree of column pairs; the privacy spent',
});

const TwinView = Type.Object({
  id: Type.String(),
  labId: Type.String(),
  datasetName: Type.String(),
  datasetId: Type.String(),
  versionId: Type.String({ description: 'the dataset version the twin was made from' }),
  orgId: Type.String({ description: 'the data owner that paid' }),
  userId: NullableString,
  epsilon: Type.Number({ description: 'ε charged to the data owner’s budget for this dataset' }),
  delta: Type.Number(),
  requestedRows: Type.Union([Type.Integer(), Type.Null()]),
  state: StringEnum(labTwinStates),
  progress: Type.Number(),
  report: Type.Union([ReportView, Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), detail: Type.String() }), Type.Null()]),
  createdAt: Timestamp,
  finishedAt: NullableTimestamp,
});

const TwinBudgetView = Type.Object({
  scope: Type.Literal('dataset-owner'),
  datasetId: Type.String(),
  total: Type.Number(),
  spent: Type.Number(),
  remaining: Type.Number(),
});

/** Synthetic twins: /v1/labs/{labId}/datasets/{name}/twin (twins.ts). */
export function labTwinRoutes(app: FastifyInstance, twins: LabTwins) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ labId: LabId, name: DatasetName });

  r.post(
    '/v1/labs/:labId/datasets/:name/twin',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Generate a differentially private synthetic twin of a lab dataset (its data owner); ε is charged ' +
          'to the owner’s budget for that dataset',
        params,
        body: Type.Optional(
          Type.Object(
            {
              epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
              delta: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.001 })),
              rows: Type.Optional(Type.Integer({ minimum: 1, maximum: maxTwinRows })),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 202: TwinView },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await twins.generate(
            principalOf(request),
            request.params.labId,
            request.params.name,
            request.body ?? {},
          ),
        ),
  );

  r.get(
    '/v1/labs/:labId/datasets/:name/twin',
    {
      schema: {
        tags: ['labs'],
        summary:
          'The newest twin of a lab dataset (its state) and the newest ready one with its utility report',
        params,
        response: {
          200: Type.Object({
            twin: Type.Union([TwinView, Type.Null()]),
            ready: Type.Union([TwinView, Type.Null()]),
          }),
        },
      },
    },
    async (request) => twins.status(principalOf(request), request.params.labId, request.params.name),
  );

  r.get(
    '/v1/labs/:labId/datasets/:name/twin/budget',
    {
      schema: {
        tags: ['labs'],
        summary: 'The data owner’s ε budget for this dataset’s twins: total, spent, remaining',
        params,
        response: { 200: TwinBudgetView },
      },
    },
    async (request) => twins.budget(principalOf(request), request.params.labId, request.params.name),
  );

  r.put(
    '/v1/labs/:labId/datasets/:name/twin/budget',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Set the ε budget for this dataset’s twins (its data owner), at most the lab’s budget; what was spent stays spent',
        params,
        body: Type.Object(
          { total: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'the new total ε' }) },
          { additionalProperties: false },
        ),
        response: { 200: TwinBudgetView },
      },
    },
    async (request) =>
      twins.setBudget(principalOf(request), request.params.labId, request.params.name, request.body.total),
  );

  r.get(
    '/v1/labs/:labId/datasets/:name/twin/data',
    {
      schema: {
        tags: ['labs'],
        summary: 'Download the newest ready twin as CSV or Parquet (lab members)',
        params,
        querystring: Type.Object({ format: StringEnum(['csv', 'parquet'] as const, { default: 'csv' }) }),
      },
    },
    async (request, reply) => {
      const download = await twins.download(
        principalOf(request),
        request.params.labId,
        request.params.name,
        request.query.format,
      );
      reply.header('content-disposition', `attachment; filename="${download.filename}"`);
      reply.header('x-twin-id', download.twin.id);
      reply.type(
        request.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
      );
      return reply.send(createReadStream(download.file));
    },
  );
}
