import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, StringEnum, Timestamp } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { maxQueryLength } from '../query/guard.js';
import { budgetScopes, labQueryStates, labRoles } from './schema.js';
import type { LabService } from './service.js';

const LabId = Type.String({ pattern: idPatternFor('lab'), description: 'a lab id (lab_…)' });
const LabQueryId = Type.String({ pattern: idPatternFor('labQuery') });
const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const DatasetId = Type.String({ pattern: idPatternFor('dataset') });
const ColumnName = Type.String({ minLength: 1, maxLength: 128 });

const LabView = Type.Object({
  id: Type.String(),
  orgId: Type.String({ description: 'the owner organisation' }),
  name: Type.String(),
  description: NullableString,
  minGroupSize: Type.Integer({ description: 'k: groups with fewer subjects are suppressed' }),
  epsilonBudget: Type.Number({ description: 'ε each budget holder (see budgetScope) may spend in this lab' }),
  defaultEpsilon: Type.Number(),
  minEpsilon: Type.Number({ description: 'the least ε a query may spend' }),
  maxRowsPerSubject: Type.Integer({ description: 'contribution bound L: rows per subject and query' }),
  maxGroupsPerSubject: Type.Integer({ description: 'contribution bound G: groups per subject and query' }),
  budgetScope: StringEnum(budgetScopes, {
    description: 'who shares one ε budget: each analyst, each organisation or the whole lab',
  }),
  outputReview: Type.Boolean(),
  createdAt: Timestamp,
});

const MemberView = Type.Object({
  labId: Type.String(),
  orgId: Type.String(),
  role: StringEnum(labRoles),
  agreementId: Type.Union([Type.String(), Type.Null()], {
    description: 'the agreement the seat came from (an approved access request naming this lab)',
  }),
  endsAt: Type.Union([Timestamp, Type.Null()], { description: 'when the seat ends; null: until removed' }),
  createdAt: Timestamp,
});

const Bounds = Type.Object(
  { lower: Type.Number(), upper: Type.Number() },
  { additionalProperties: false, description: 'values are clamped into [lower, upper]' },
);

const LabDatasetView = Type.Object({
  labId: Type.String(),
  name: Type.String({ description: 'its name in clean-room SQL' }),
  datasetId: Type.String(),
  versionId: Type.String(),
  orgId: Type.String(),
  subjectColumn: Type.String({ description: 'replaced by subject_key, its HMAC under the lab key' }),
  dimensions: Type.Array(Type.String()),
  measures: Type.Record(Type.String(), Bounds),
  allowMinMax: Type.Boolean(),
  rowCount: Type.Integer(),
  createdAt: Timestamp,
});

const LabDetailView = Type.Object({
  lab: LabView,
  members: Type.Array(MemberView),
  datasets: Type.Array(LabDatasetView),
});

const LabQueryView = Type.Object({
  id: Type.String(),
  labId: Type.String(),
  orgId: Type.String(),
  userId: Type.String(),
  sql: Type.String(),
  sqlSha256: Type.String(),
  epsilon: Type.Number(),
  datasets: Type.Array(
    Type.Object({ name: Type.String(), datasetId: Type.String(), versionId: Type.String() }),
  ),
  state: StringEnum(labQueryStates),
  result: Type.Object({
    columns: Type.Array(Type.Object({ name: Type.String(), kind: Type.String() })),
    rows: Type.Array(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()]))),
    intervals: Type.Array(Type.Array(Type.Union([Type.Number(), Type.Null()])), {
      description:
        'per cell, the half-width of its 95% interval (value ± half-width); null for group keys and un-noised min/max',
    }),
    noiseScales: Type.Record(Type.String(), Type.Number()),
  }),
  reviewReason: NullableString,
  createdAt: Timestamp,
});

const BudgetView = Type.Object({
  scope: StringEnum(budgetScopes),
  total: Type.Number(),
  spent: Type.Number(),
  remaining: Type.Number(),
});

export function labRoutes(app: FastifyInstance, labsService: LabService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const params = Type.Object({ labId: LabId });

  r.post(
    '/v1/labs',
    {
      schema: {
        tags: ['labs'],
        summary: 'Open a Data Lab (clean room) as a data owner',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
            minGroupSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 10_000 })),
            epsilonBudget: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
            defaultEpsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
            maxRowsPerSubject: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            maxGroupsPerSubject: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            minEpsilon: Type.Optional(Type.Number({ minimum: 0.0001, maximum: 100 })),
            budgetScope: Type.Optional(StringEnum(budgetScopes)),
            outputReview: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: LabDetailView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await labsService.create(principalOf(request), request.body)),
  );

  r.get('/v1/labs', { schema: { tags: ['labs'], response: { 200: PageOf(LabView) } } }, async (request) => ({
    items: await labsService.list(principalOf(request)),
    nextCursor: null,
  }));

  r.get(
    '/v1/labs/:labId',
    { schema: { tags: ['labs'], params, response: { 200: LabDetailView } } },
    async (request) => labsService.get(principalOf(request), request.params.labId),
  );

  r.post(
    '/v1/labs/:labId/members',
    {
      schema: {
        tags: ['labs'],
        summary: 'Add a data owner or a researcher organisation (lab owner)',
        params,
        body: Type.Object(
          {
            orgId: OrgId,
            role: StringEnum(['data-owner', 'researcher'] as const),
            endsAt: Type.Optional(
              Type.String({
                format: 'date-time',
                description: 'when the seat ends (in the future); default never',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: MemberView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await labsService.addMember(principalOf(request), request.params.labId, request.body)),
  );

  r.post(
    '/v1/labs/:labId/datasets',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Bring one of your datasets into the lab: its subject column is pseudonymised (HMAC under the lab key), ' +
          'only the named dimensions and measures are copied',
        params,
        body: Type.Object(
          {
            datasetId: DatasetId,
            name: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' })),
            subjectColumn: ColumnName,
            dimensions: Type.Array(ColumnName, { maxItems: 100, uniqueItems: true }),
            measures: Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Bounds),
            allowMinMax: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: LabDatasetView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await labsService.attachDataset(principalOf(request), request.params.labId, request.body)),
  );

  r.post(
    '/v1/labs/:labId/queries',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Run a clean-room query: SELECT dimensions and count/sum/avg … GROUP BY dimensions. Noisy aggregates, ' +
          'small groups suppressed, ε spent from your budget',
        params,
        body: Type.Object(
          {
            sql: Type.String({ minLength: 1, maxLength: maxQueryLength }),
            epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: LabQueryView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await labsService.runQuery(principalOf(request), request.params.labId, request.body)),
  );

  r.get(
    '/v1/labs/:labId/queries',
    {
      schema: {
        tags: ['labs'],
        summary: 'Query history of the lab with provenance (datasets, versions, ε)',
        params,
        response: { 200: PageOf(LabQueryView) },
      },
    },
    async (request) => ({
      items: await labsService.listQueries(principalOf(request), request.params.labId),
      nextCursor: null,
    }),
  );

  r.get(
    '/v1/labs/:labId/queries/:queryId',
    {
      schema: {
        tags: ['labs'],
        params: Type.Object({ labId: LabId, queryId: LabQueryId }),
        response: { 200: LabQueryView },
      },
    },
    async (request) =>
      labsService.getQuery(principalOf(request), request.params.labId, request.params.queryId),
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/v1/labs/:labId/queries/:queryId/${decision}`,
      {
        schema: {
          tags: ['labs'],
          summary: `${decision === 'approve' ? 'Release' : 'Withhold'} a result awaiting output review (data owner)`,
          params: Type.Object({ labId: LabId, queryId: LabQueryId }),
          body: Type.Optional(
            Type.Object(
              { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
              { additionalProperties: false },
            ),
          ),
          response: { 200: LabQueryView },
        },
      },
      async (request) =>
        labsService.review(
          principalOf(request),
          request.params.labId,
          request.params.queryId,
          decision,
          request.body?.reason,
        ),
    );
  }

  r.get(
    '/v1/labs/:labId/budget',
    {
      schema: {
        tags: ['labs'],
        summary:
          'Your privacy budget in this lab (yours, your organisation’s or the lab’s): ε total, spent and remaining',
        params,
        response: { 200: BudgetView },
      },
    },
    async (request) => labsService.budget(principalOf(request), request.params.labId),
  );
}
