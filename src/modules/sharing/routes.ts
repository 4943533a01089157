import { createReadStream } from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type, { type TSchema } from 'typebox';
import { AppError, type ErrorCode, errorCatalogue } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import { sendProblem } from '../../http/problem.js';
import { NullableTimestamp, PageOf, Timestamp } from '../../http/schemas.js';
import { baseUrlOf } from '../../http/urls.js';
import { idPatternFor } from '../../ids.js';
import {
  defaultRecipientDays,
  type Recipient,
  type RecipientSession,
  type SharingService,
  tableKey,
} from './service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reached by a signed URL rather than a bearer token (shared files). */
    signedUrl?: boolean;
  }
  interface FastifyRequest {
    recipient: RecipientSession | null;
  }
}

export const deltaSharingPrefix = '/delta-sharing';

const RecipientView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the bearer token, to tell recipients apart' }),
  createdBy: Type.String(),
  expiresAt: Timestamp,
  lastUsedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
  createdAt: Timestamp,
});

function recipientView(recipient: Recipient) {
  const { secretHash: _secretHash, orgId: _orgId, ...view } = recipient;
  return view;
}

const ProfileView = Type.Object(
  {
    shareCredentialsVersion: Type.Literal(1),
    endpoint: Type.String({ description: 'the Delta Sharing server: this platform, /delta-sharing' }),
    bearerToken: Type.String({ description: 'shown once; store the file as a secret' }),
    expirationTime: Type.String({ format: 'date-time' }),
  },
  {
    description:
      'a Delta Sharing profile file (save as e.g. stp.share and give it to a Delta Sharing client)',
  },
);

// ---- the protocol's shapes (https://github.com/delta-io/delta-sharing/blob/main/PROTOCOL.md) ----

const DeltaError = Type.Object(
  {
    errorCode: Type.String({ description: "the protocol's error code" }),
    message: Type.String(),
    code: Type.String({ description: "the platform's error code (docs/errors.md)" }),
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
  },
  {
    description: 'problem+json carrying the protocol’s error body ({errorCode, message})',
    additionalProperties: true,
  },
);
const ListQuery = Type.Object({
  maxResults: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  pageToken: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: 1000 })),
});
const ListOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextPageToken: Type.Optional(Type.String()) });
const ShareItem = Type.Object({ name: Type.String(), id: Type.String() });
const SchemaItem = Type.Object({ name: Type.String(), share: Type.String() });
const TableItem = Type.Object({
  name: Type.String(),
  schema: Type.String(),
  share: Type.String(),
  shareId: Type.String(),
  id: Type.String(),
});
const ShareParams = Type.Object({ share: Type.String({ maxLength: 200 }) });
const SchemaParams = Type.Object({
  share: Type.String({ maxLength: 200 }),
  schema: Type.String({ maxLength: 200 }),
});
const TableParams = Type.Object({
  share: Type.String({ maxLength: 200 }),
  schema: Type.String({ maxLength: 200 }),
  table: Type.String({ maxLength: 200 }),
});
const QueryBody = Type.Object(
  {
    predicateHints: Type.Optional(Type.Array(Type.String())),
    jsonPredicateHints: Type.Optional(Type.String()),
    limitHint: Type.Optional(Type.Integer({ minimum: 0 })),
    version: Type.Optional(
      Type.Integer({ minimum: 0, description: 'time travel: the table version to read' }),
    ),
    timestamp: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'time travel: yyyy-mm-dd hh:mm:ss[.fff] (UTC), or ISO 8601',
      }),
    ),
    startingVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    endingVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { description: 'all hints are optional (absent or null); send {} for the whole table' },
);
const ndjson = (description: string) => ({
  description,
  headers: {
    'delta-table-version': { type: 'integer', description: 'the table version' },
    'delta-sharing-capabilities': {
      type: 'string',
      description: 'responseformat=parquet: the format of the answer, whatever format was asked for',
    },
  },
  content: { 'application/x-ndjson': { schema: { type: 'string' } } },
});
const versionHeader = {
  type: 'null',
  description: 'no body; the version is in the delta-table-version header',
  headers: { 'delta-table-version': { type: 'integer', description: 'the table version' } },
};

/**
 * The protocol's capabilities header (PROTOCOL.md, "Delta Sharing Capabilities Header"): a client
 * may ask for `responseformat=delta` (Delta log actions, for tables with reader features such as
 * deletion vectors). Shared tables here are plain Parquet files with no reader features, so every
 * answer is in the Parquet format and says so in the same header, which is how the protocol lets
 * a server decline the Delta format; clients then read the Parquet lines.
 */
const capabilitiesHeader = 'delta-sharing-capabilities';
const answeredCapabilities = 'responseformat=parquet';

const deltaTags = ['delta sharing'];
const deltaSecurity = [{ deltaSharingRecipient: [] }];

const errorCodes: Record<number, string> = {
  400: 'INVALID_PARAMETER_VALUE',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  409: 'INVALID_PARAMETER_VALUE',
  422: 'INVALID_PARAMETER_VALUE',
  429: 'RESOURCE_EXHAUSTED',
};

/**
 * Errors as problem+json (RFC 9457) that also carry the protocol's own `{errorCode, message}`:
 * Delta Sharing clients read those two members, everything else reads `code` and `detail`, and an
 * RFC 9457 reader ignores members it does not know.
 */
function sendDeltaError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
) {
  const status = errorCatalogue[code].status;
  return sendProblem(request, reply, code, detail, {
    ...extensions,
    errorCode: errorCodes[status] ?? 'INTERNAL_ERROR',
    message: detail,
  });
}

const statusCodes: Record<number, ErrorCode> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

function deltaErrorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    // The protocol knows no 410: a gone object does not exist for the recipient.
    const code = error.status === 410 ? 'not-found' : error.code;
    return sendDeltaError(request, reply, code, error.message, error.extensions);
  }
  if (error.validation) {
    const detail = error.validation
      .map((issue) => `${error.validationContext ?? 'request'}${issue.instancePath}: ${issue.message}`)
      .join('; ');
    return sendDeltaError(request, reply, 'validation-failed', detail);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return sendDeltaError(request, reply, statusCodes[status] ?? 'bad-request', error.message);
  }
  request.log.error({ err: error }, 'unhandled error in the Delta Sharing server');
  return sendDeltaError(request, reply, 'internal', 'something went wrong on our side; quote the request id');
}

function encodePageToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The protocol's paging: `maxResults` per page, `nextPageToken` (the last key seen) while more remain. */
function pageOf<T>(
  items: T[],
  keyOf: (item: T) => string,
  query: { maxResults?: number; pageToken?: string },
) {
  const after = query.pageToken ? Buffer.from(query.pageToken, 'base64url').toString('utf8') : null;
  const start = after === null ? 0 : items.findIndex((item) => keyOf(item) > after);
  const from = start === -1 ? items.length : start;
  const max = query.maxResults ?? 500;
  const page = items.slice(from, from + max);
  const last = page[page.length - 1];
  const hasMore = from + max < items.length;
  return {
    items: page,
    ...(hasMore ? { nextPageToken: encodePageToken(last ? keyOf(last) : (after ?? '')) } : {}),
  };
}

/** One `Range: bytes=a-b` (or `a-`, `-n`); anything else is served whole, as RFC 9110 allows. */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

function recipientOf(request: FastifyRequest): RecipientSession {
  if (!request.recipient) throw new AppError('unauthenticated');
  return request.recipient;
}

/** `/v1/sharing/recipients`: an organisation's bearer tokens for Delta Sharing clients. */
export function sharingRoutes(app: FastifyInstance, sharing: SharingService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sharing'];

  r.post(
    '/v1/sharing/recipients',
    {
      schema: {
        tags,
        summary:
          'Create a Delta Sharing recipient for your organisation; the profile file (with its bearer token) is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresInDays: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 366, description: `default ${defaultRecipientDays}` }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ recipient: RecipientView, profile: ProfileView }) },
      },
    },
    async (request, reply) => {
      const created = await sharing.createRecipient(
        principalOf(request),
        request.body,
        `${baseUrlOf(request)}${deltaSharingPrefix}`,
      );
      return reply.code(201).send({ recipient: recipientView(created.recipient), profile: created.profile });
    },
  );

  r.get(
    '/v1/sharing/recipients',
    {
      schema: {
        tags,
        summary: "Your organisation's Delta Sharing recipients (without their tokens)",
        response: { 200: PageOf(RecipientView) },
      },
    },
    async (request) => ({
      items: (await sharing.listRecipients(principalOf(request))).map(recipientView),
      nextCursor: null,
    }),
  );

  r.delete(
    '/v1/sharing/recipients/:recipientId',
    {
      schema: {
        tags,
        summary: 'Revoke a recipient: its token and every file URL it was given stop working at once',
        params: Type.Object({ recipientId: Type.String({ pattern: idPatternFor('recipient') }) }),
        response: { 200: RecipientView },
      },
    },
    async (request) =>
      recipientView(await sharing.revokeRecipient(principalOf(request), request.params.recipientId)),
  );
}

/**
 * The Delta Sharing server (protocol version 1) under /delta-sharing. Its own scope: a recipient's
 * bearer token instead of a platform principal, and errors as problem+json carrying the protocol's
 * `{errorCode, message}`.
 * Every route is `public` to the platform's authentication and checks the recipient token itself
 * (or, for files, the URL's signature).
 */
export async function deltaSharingRoutes(scope: FastifyInstance, sharing: SharingService) {
  scope.decorateRequest('recipient', null);
  scope.setErrorHandler(deltaErrorHandler);
  scope.setNotFoundHandler((request, reply) =>
    sendDeltaError(
      request,
      reply,
      'not-found',
      `no route for ${request.method} ${request.url.split('?')[0]}`,
    ),
  );
  // Clients differ in leaving a hint out or sending it as null: both mean "no hint".
  scope.addHook('preValidation', async (request) => {
    const body = request.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [key, value] of Object.entries(body))
        if (value === null) delete (body as Record<string, unknown>)[key];
    }
  });
  scope.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.signedUrl) return;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match)
      throw new AppError('unauthenticated', 'send Authorization: Bearer <token> from your profile file');
    request.recipient = await sharing.authenticate(match[1]!);
    if (!request.recipient)
      throw new AppError('unauthenticated', 'the bearer token is unknown, expired or revoked');
  });

  const r = scope.withTypeProvider<TypeBoxTypeProvider>();
  const config = { public: true } as const;
  const common = { tags: deltaTags, security: deltaSecurity };
  const errors = { 400: DeltaError, 401: DeltaError, 403: DeltaError, 404: DeltaError };

  r.get(
    '/shares',
    {
      config,
      schema: {
        ...common,
        summary: 'List shares: one per agreement that permits downloads, and open-data',
        querystring: ListQuery,
        response: { 200: ListOf(ShareItem), ...errors },
      },
    },
    async (request) =>
      pageOf(await sharing.shares(recipientOf(request)), (share) => share.name, request.query),
  );

  r.get(
    '/shares/:share',
    {
      config,
      schema: {
        ...common,
        summary: 'Get a share',
        params: ShareParams,
        response: { 200: Type.Object({ share: ShareItem }), ...errors },
      },
    },
    async (request) => {
      const [table] = await sharing.shareTables(recipientOf(request), request.params.share);
      return { share: { name: table!.share, id: table!.shareId } };
    },
  );

  r.get(
    '/shares/:share/schemas',
    {
      config,
      schema: {
        ...common,
        summary: 'List the schemas in a share (each share has one: default)',
        params: ShareParams,
        querystring: ListQuery,
        response: { 200: ListOf(SchemaItem), ...errors },
      },
    },
    async (request) => {
      const [table] = await sharing.shareTables(recipientOf(request), request.params.share);
      return pageOf([{ name: table!.schema, share: table!.share }], (schema) => schema.name, request.query);
    },
  );

  const tableItem = (table: Awaited<ReturnType<SharingService['sharedTables']>>[number]) => ({
    name: table.name,
    schema: table.schema,
    share: table.share,
    shareId: table.shareId,
    id: table.id,
  });

  r.get(
    '/shares/:share/schemas/:schema/tables',
    {
      config,
      schema: {
        ...common,
        summary: 'List the tables in a schema: the datasets the share grants, by slug',
        params: SchemaParams,
        querystring: ListQuery,
        response: { 200: ListOf(TableItem), ...errors },
      },
    },
    async (request) => {
      const { share, schema } = request.params;
      const tables = await sharing.shareTables(recipientOf(request), share, schema);
      return pageOf(tables.map(tableItem), tableKey, request.query);
    },
  );

  r.get(
    '/shares/:share/all-tables',
    {
      config,
      schema: {
        ...common,
        summary: 'List all the tables in a share',
        params: ShareParams,
        querystring: ListQuery,
        response: { 200: ListOf(TableItem), ...errors },
      },
    },
    async (request) => {
      const tables = await sharing.shareTables(recipientOf(request), request.params.share);
      return pageOf(tables.map(tableItem), tableKey, request.query);
    },
  );

  const sendVersion = async (request: FastifyRequest, reply: FastifyReply) => {
    const { share, schema, table } = request.params as { share: string; schema: string; table: string };
    const { startingTimestamp } = (request.query ?? {}) as { startingTimestamp?: string };
    const session = recipientOf(request);
    const found = await sharing.table(session, share, schema, table);
    return reply
      .header('delta-table-version', await sharing.versionFrom(session, found, startingTimestamp))
      .send();
  };

  r.get(
    '/shares/:share/schemas/:schema/tables/:table/version',
    {
      config,
      schema: {
        ...common,
        summary:
          "Query a table's version (HEAD works too); with startingTimestamp, the earliest shared version committed at or after it",
        params: TableParams,
        querystring: Type.Object({
          startingTimestamp: Type.Optional(
            Type.String({ maxLength: 40, description: 'yyyy-mm-dd hh:mm:ss[.fff] (UTC), or ISO 8601' }),
          ),
        }),
        response: { 200: versionHeader, ...errors },
      },
    },
    sendVersion,
  );

  r.head(
    '/shares/:share/schemas/:schema/tables/:table',
    {
      config,
      schema: {
        ...common,
        summary: "Query a table's version (the protocol's deprecated HEAD form)",
        params: TableParams,
        response: { 200: versionHeader },
      },
    },
    sendVersion,
  );

  r.get(
    '/shares/:share/schemas/:schema/tables/:table/metadata',
    {
      config,
      schema: {
        ...common,
        summary: "Query a table's metadata: a protocol line and a metaData line (NDJSON)",
        params: TableParams,
        produces: ['application/x-ndjson'],
        response: { 200: ndjson('protocol and metaData lines'), ...errors },
      },
    },
    async (request, reply) => {
      const { share, schema, table } = request.params;
      const found = await sharing.table(recipientOf(request), share, schema, table);
      const { version, metaData } = await sharing.metadata(found);
      return reply
        .header('delta-table-version', version)
        .header(capabilitiesHeader, answeredCapabilities)
        .type('application/x-ndjson; charset=utf-8')
        .send(ndjsonLines([{ protocol: { minReaderVersion: 1 } }, { metaData }]));
    },
  );

  r.post(
    '/shares/:share/schemas/:schema/tables/:table/query',
    {
      config,
      schema: {
        ...common,
        summary:
          'Read a table: protocol, metaData and one file line per masked Parquet file, each with a short-lived signed URL (NDJSON); recorded in the ledger',
        params: TableParams,
        body: QueryBody,
        produces: ['application/x-ndjson'],
        response: { 200: ndjson('protocol, metaData and file lines'), ...errors },
      },
    },
    async (request, reply) => {
      const { share, schema, table } = request.params;
      const session = recipientOf(request);
      const found = await sharing.table(session, share, schema, table);
      const result = await sharing.query(
        session,
        found,
        request.body,
        `${baseUrlOf(request)}${deltaSharingPrefix}/files`,
      );
      return reply
        .header('delta-table-version', result.version)
        .header(capabilitiesHeader, answeredCapabilities)
        .type('application/x-ndjson; charset=utf-8')
        .send(
          ndjsonLines([
            { protocol: { minReaderVersion: 1 } },
            { metaData: result.metaData },
            ...result.files.map((file) => ({ file })),
          ]),
        );
    },
  );

  r.get(
    '/shares/:share/schemas/:schema/tables/:table/changes',
    {
      config,
      schema: {
        ...common,
        summary:
          "Read a table's change data feed between two shared versions (inclusive): add and cdf lines with signed URLs to masked Parquet files (NDJSON); recorded in the ledger",
        params: TableParams,
        querystring: Type.Object({
          startingVersion: Type.Optional(Type.Integer({ minimum: 0 })),
          startingTimestamp: Type.Optional(
            Type.String({ maxLength: 40, description: 'the earliest version committed at or after it' }),
          ),
          endingVersion: Type.Optional(Type.Integer({ minimum: 0 })),
          endingTimestamp: Type.Optional(
            Type.String({ maxLength: 40, description: 'the latest version committed at or before it' }),
          ),
          includeHistoricalMetadata: Type.Optional(
            Type.Boolean({
              description:
                'accepted; a feed never spans a change of columns, so one metaData line describes it',
            }),
          ),
        }),
        produces: ['application/x-ndjson'],
        response: { 200: ndjson('protocol, metaData, and add and cdf lines'), ...errors },
      },
    },
    async (request, reply) => {
      const { share, schema, table } = request.params;
      const session = recipientOf(request);
      const found = await sharing.table(session, share, schema, table);
      const { includeHistoricalMetadata: _historical, ...range } = request.query;
      const result = await sharing.changes(
        session,
        found,
        range,
        `${baseUrlOf(request)}${deltaSharingPrefix}/files`,
      );
      return reply
        .header('delta-table-version', result.startingVersion)
        .header(capabilitiesHeader, answeredCapabilities)
        .type('application/x-ndjson; charset=utf-8')
        .send(
          ndjsonLines([
            { protocol: { minReaderVersion: 1 } },
            { metaData: result.metaData },
            ...result.lines,
          ]),
        );
    },
  );

  r.get(
    '/files/:fileId',
    {
      config: { ...config, signedUrl: true },
      schema: {
        tags: deltaTags,
        security: [],
        summary:
          'A shared Parquet file, by the signed URL a table query gave (bound to one file and recipient, valid minutes); supports Range',
        params: Type.Object({ fileId: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({
          recipient: Type.String({ maxLength: 100 }),
          expires: Type.Integer({ minimum: 0 }),
          signature: Type.String({ maxLength: 100 }),
        }),
        produces: ['application/vnd.apache.parquet'],
      },
    },
    async (request, reply) => {
      const { recipient, expires, signature } = request.query;
      const file = await sharing.openFile(
        { fileId: request.params.fileId, recipientId: recipient, expires },
        signature,
      );
      reply
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, no-store')
        .type('application/vnd.apache.parquet');
      const range = byteRange(request.headers.range, file.bytes);
      if (range === 'unsatisfiable') {
        return reply.code(416).header('content-range', `bytes */${file.bytes}`).send();
      }
      if (range) {
        return reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${file.bytes}`)
          .header('content-length', range.end - range.start + 1)
          .send(createReadStream(file.path, range));
      }
      return reply.header('content-length', file.bytes).send(createReadStream(file.path));
    },
  );
}

function ndjsonLines(lines: object[]): string {
  return `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
}
