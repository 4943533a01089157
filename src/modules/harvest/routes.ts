import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
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
import { dcatFormats, harvestKinds, harvestRunStatuses, harvestSourceStatuses } from './schema.js';
import type { HarvestRun, HarvestService, HarvestSource } from './service.js';

const SourceId = Type.String({
  pattern: idPatternFor('harvestSource'),
  description: 'a harvest source id (hvs_…)',
});
const RunId = Type.String({ pattern: idPatternFor('harvestRun'), description: 'a harvest run id (hvr_…)' });

const Options = Type.Object(
  {
    fq: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'CKAN: a package_search filter, e.g. tags:air',
      }),
    ),
    organization: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "CKAN: only this organisation's packages (its name)",
      }),
    ),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'CKAN: packages per page' }),
    ),
    format: Type.Optional(
      StringEnum(dcatFormats, {
        description: "DCAT: the serialisation when the server's content type does not say",
      }),
    ),
  },
  { additionalProperties: false },
);

const SourceView = Type.Object({
  id: Type.String(),
  orgId: Type.String({ description: 'the organisation that owns what the source imports' }),
  kind: StringEnum(harvestKinds),
  name: Type.String(),
  url: Type.String(),
  intervalHours: Type.Union([Type.Integer(), Type.Null()], { description: 'null: manual runs only' }),
  options: Options,
  status: StringEnum(harvestSourceStatuses),
  nextRunAt: NullableTimestamp,
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const Counts = Type.Object({
  new: Type.Integer(),
  changed: Type.Integer(),
  unchanged: Type.Integer(),
  withdrawn: Type.Integer(),
  failed: Type.Integer(),
});

const Finding = Type.Object({
  focusNode: Type.String(),
  path: Type.String(),
  message: Type.String(),
});

const RunView = Type.Object({
  id: Type.String(),
  sourceId: Type.String(),
  trigger: StringEnum(['manual', 'schedule'] as const),
  status: StringEnum(harvestRunStatuses),
  isComplete: Type.Boolean({
    description: 'the whole catalogue was read; only then are missing records withdrawn',
  }),
  counts: Counts,
  failures: Type.Array(Type.Object({ record: Type.String(), reason: Type.String() }), {
    description: 'records that failed, with the reason (at most 200 listed; counts.failed is exact)',
  }),
  unmappedLicences: Type.Array(
    Type.Object({ licence: Type.String(), records: Type.Integer(), keptOpen: Type.Integer() }),
    {
      description:
        'licences the SPDX table does not know, as the source gave them (an IRI where it has one), with how many records used each and how many stayed open because the source marks them open',
    },
  ),
  nonConforming: Type.Array(
    Type.Object({
      record: Type.String({ description: "the record's identifier at the source" }),
      datasetId: Type.String(),
      violations: Type.Array(Finding),
      warnings: Type.Array(Finding),
    }),
    {
      description:
        'records whose DCAT-AP 3 record breaks a mandatory shape of the profile: kept, and flagged here with each finding (at most 200 listed)',
    },
  ),
  progress: Type.Object({
    pages: Type.Integer(),
    fetched: Type.Integer(),
    total: Type.Union([Type.Integer(), Type.Null()]),
  }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'why reading the catalogue stopped early' }),
  startedBy: NullableString,
  startedAt: Timestamp,
  finishedAt: NullableTimestamp,
});

const sourceView = ({ ...source }: HarvestSource) => source;
const runView = ({ orgId: _orgId, ...run }: HarvestRun) => run;

export function harvestRoutes(app: FastifyInstance, harvest: HarvestService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ sourceId: SourceId });

  r.post(
    '/v1/harvest-sources',
    {
      schema: {
        tags: ['harvesting'],
        summary:
          'Register a CKAN portal or DCAT catalogue to import dataset metadata from (operators and provider admins)',
        body: Type.Object(
          {
            kind: StringEnum(harvestKinds),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            url: Type.String({
              minLength: 1,
              maxLength: 2000,
              description: 'CKAN: the portal root; DCAT: the catalogue document (first page)',
            }),
            intervalHours: Type.Optional(
              Type.Union([Type.Integer({ minimum: 1, maximum: 8760 }), Type.Null()], {
                description: 'run every so many hours; null or absent: manual runs only',
              }),
            ),
            options: Type.Optional(Options),
          },
          { additionalProperties: false },
        ),
        response: { 201: SourceView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(sourceView(await harvest.create(principalOf(request), request.body))),
  );

  r.get(
    '/v1/harvest-sources',
    {
      schema: {
        tags: ['harvesting'],
        summary: "Your organisation's harvest sources (operators: all)",
        querystring: PageQuery,
        response: { 200: PageOf(SourceView) },
      },
    },
    async (request) => {
      const page = await harvest.list(principalOf(request), request.query);
      return { items: page.items.map(sourceView), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/v1/harvest-sources/:sourceId',
    { schema: { tags: ['harvesting'], params, response: { 200: SourceView } } },
    async (request) => sourceView(await harvest.get(principalOf(request), request.params.sourceId)),
  );

  r.delete(
    '/v1/harvest-sources/:sourceId',
    {
      schema: {
        tags: ['harvesting'],
        summary: 'Disable a source: no more runs; its runs and the datasets it imported stay',
        params,
        response: { 200: SourceView },
      },
    },
    async (request) => sourceView(await harvest.disable(principalOf(request), request.params.sourceId)),
  );

  r.post(
    '/v1/harvest-sources/:sourceId/runs',
    {
      schema: {
        tags: ['harvesting'],
        summary:
          'Run the source now. By default answers with the finished report (201); with wait=false at once ' +
          'with the running run (202): poll GET …/runs/{runId} for progress and the report',
        params,
        querystring: Type.Object({ wait: Type.Boolean({ default: true }) }),
        response: { 201: RunView, 202: RunView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!request.query.wait) {
        return reply.code(202).send(runView(await harvest.start(principal, request.params.sourceId)));
      }
      return reply.code(201).send(runView(await harvest.run(principal, request.params.sourceId)));
    },
  );

  r.get(
    '/v1/harvest-sources/:sourceId/runs',
    {
      schema: {
        tags: ['harvesting'],
        summary: "The source's runs, newest first, with their reports",
        params,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }),
        response: { 200: PageOf(RunView) },
      },
    },
    async (request) => ({
      items: (await harvest.listRuns(principalOf(request), request.params.sourceId, request.query.limit)).map(
        runView,
      ),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/harvest-sources/:sourceId/runs/:runId',
    {
      schema: {
        tags: ['harvesting'],
        params: Type.Object({ sourceId: SourceId, runId: RunId }),
        response: { 200: RunView },
      },
    },
    async (request) =>
      runView(await harvest.getRun(principalOf(request), request.params.sourceId, request.params.runId)),
  );
}
