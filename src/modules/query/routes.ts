import { createReadStream } from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../http/auth.js';
import { NullableString, PageOf, StringEnum } from '../../http/schemas.js';
import { idPatternFor } from '../../ids.js';
import { csvField } from '../../infra/csv.js';
import { noiseBudgetScopes } from '../access/terms.js';
import { maxQueryLength } from './guard.js';
import { type QueryResult, type QueryService, queryFormats, rowCeiling } from './service.js';

const DatasetId = Type.String({ pattern: idPatternFor('dataset') });

const QueryResultView = Type.Object({
  queryId: Type.String({ description: 'the id under which the ledger records this query' }),
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  rows: Type.Array(Type.Array(Type.Unknown())),
  rowCount: Type.Integer(),
  truncated: Type.Boolean({ description: 'more rows existed than the row cap allowed' }),
  datasets: Type.Array(
    Type.Object({
      name: Type.String(),
      datasetId: Type.String(),
      versionId: Type.String(),
      agreementId: NullableString,
    }),
  ),
  noise: Type.Optional(
    Type.Object(
      {
        epsilon: Type.Number({ description: 'the ε this query spent' }),
        intervals: Type.Array(Type.Array(Type.Union([Type.Number(), Type.Null()])), {
          description:
            'per cell, the half-width of its 95% interval (value ± half-width); null for group keys',
        }),
        noiseScales: Type.Record(Type.String(), Type.Number(), {
          description: 'Laplace scale b = sensitivity / ε per released aggregate',
        }),
        budget: Type.Object({
          scope: StringEnum(noiseBudgetScopes),
          total: Type.Number(),
          spent: Type.Number(),
          remaining: Type.Number(),
        }),
      },
      {
        description:
          'present when the grant adds differential-privacy noise: every aggregate is noisy, small groups are left out unsaid',
      },
    ),
  ),
});

const TableView = Type.Object({
  name: Type.String({ description: 'write this in FROM' }),
  datasetId: Type.String(),
  versionId: Type.String(),
  via: StringEnum(['agreement', 'owner', 'open'] as const),
  agreementId: NullableString,
  aggregateOnly: Type.Boolean(),
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), mask: NullableString })),
  blockedBy: NullableString,
});

export function toCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const lines = [result.columns.map((column) => csvField(column.name)).join(',')];
  for (const row of result.rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function queryRoutes(app: FastifyInstance, query: QueryService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/v1/query',
    {
      schema: {
        tags: ['query'],
        summary:
          'Run one SELECT over the datasets you may read (GET /v1/query/tables). Masks, row filters and ' +
          'limits of your agreements apply; every query is recorded in the ledger. CSV with format=csv or ' +
          'Accept: text/csv; Parquet with format=parquet.',
        body: Type.Object(
          {
            sql: Type.String({ minLength: 1, maxLength: maxQueryLength }),
            format: Type.Optional(StringEnum(queryFormats)),
            maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: rowCeiling })),
            epsilon: Type.Optional(
              Type.Number({
                exclusiveMinimum: 0,
                description:
                  "ε to spend on an aggregate-only grant with noise (at least the owner's floor; default the grant's own)",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: QueryResultView },
      },
    },
    async (request, reply) => {
      const result = await query.run(principalOf(request), request.body);
      const wantsCsv =
        request.body.format === 'csv' ||
        (!request.body.format && /text\/csv/.test(request.headers.accept ?? ''));
      reply.header('x-query-id', result.queryId);
      if (result.truncated) reply.header('x-result-truncated', 'true');
      if (request.body.format === 'parquet') {
        const parquet = await query.resultToParquet(result);
        const stream = createReadStream(parquet.file);
        stream.on('close', () => void parquet.cleanup());
        reply.header('content-disposition', `attachment; filename="${result.queryId}.parquet"`);
        return reply.type('application/vnd.apache.parquet').send(stream as never);
      }
      if (wantsCsv) {
        return reply
          .type('text/csv; charset=utf-8')
          .serializer((body: unknown) => String(body))
          .send(toCsv(result) as never);
      }
      return result;
    },
  );

  r.get(
    '/v1/query/tables',
    {
      schema: {
        tags: ['query'],
        summary:
          'The datasets you may query now: your own, open ones and those of your agreements, with masks',
        response: { 200: PageOf(TableView) },
      },
    },
    async (request) => ({ items: await query.tables(principalOf(request)), nextCursor: null }),
  );

  r.get(
    '/v1/datasets/:datasetId/sample',
    {
      schema: {
        tags: ['datasets'],
        summary: 'Twenty rows as your grant shows them (masked and filtered); recorded like a query',
        params: Type.Object({ datasetId: DatasetId }),
        response: { 200: QueryResultView },
      },
    },
    async (request) => query.sample(principalOf(request), request.params.datasetId),
  );

  r.get(
    '/v1/datasets/:datasetId/download',
    {
      schema: {
        tags: ['datasets'],
        summary:
          'Download the dataset as your agreement allows it (masked, filtered); needs the download action',
        params: Type.Object({ datasetId: DatasetId }),
        querystring: Type.Object({ format: StringEnum(['csv', 'parquet'] as const, { default: 'csv' }) }),
      },
    },
    async (request, reply) => {
      const download = await query.download(
        principalOf(request),
        request.params.datasetId,
        request.query.format,
      );
      const stream = createReadStream(download.file);
      stream.on('close', () => void download.cleanup());
      reply.header('content-disposition', `attachment; filename="${download.filename}"`);
      reply.header('x-row-count', String(download.rows));
      reply.type(
        request.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
      );
      return reply.send(stream);
    },
  );
}
