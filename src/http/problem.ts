import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AppError, type ErrorCode, errorCatalogue, problemTypeBase } from '../errors.js';
import { type StorageFailure, storageFailureOf } from '../infra/storage-errors.js';

/** How long a client waits before retrying a write the disk refused (read-only, not writable). */
const storageRetryAfterSeconds = 30;

/** RFC 9457 problem details, plus the stable `code` and, for validation, the fields at fault. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String(),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true },
);

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  extensions: Record<string, unknown> = {},
): FastifyReply {
  const { status, title } = errorCatalogue[code];
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `${problemTypeBase}${code}`,
      title,
      status,
      detail: detail ?? title,
      instance: request.url.split('?')[0],
      code,
      requestId: request.id,
      ...extensions,
    });
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Turns Ajv's findings into "body/email: must match format "email"" lines a person can act on. */
function describeValidation(context: string | undefined, issues: ValidationIssue[]) {
  return issues.map((issue) => {
    let field = `${context ?? 'request'}${issue.instancePath ?? ''}`;
    let message = issue.message ?? 'is invalid';
    if (issue.keyword === 'additionalProperties' && issue.params?.additionalProperty) {
      field = `${field}/${String(issue.params.additionalProperty)}`;
      message = 'is not a known field';
    } else if (issue.keyword === 'required' && issue.params?.missingProperty) {
      field = `${field}/${String(issue.params.missingProperty)}`;
      message = 'is required';
    } else if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) {
      message = `must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    }
    return { field, message };
  });
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_BAD_URL: 'bad-request',
  // @fastify/multipart
  FST_REQ_FILE_TOO_LARGE: 'payload-too-large',
  FST_PARTS_LIMIT: 'payload-too-large',
  FST_FILES_LIMIT: 'payload-too-large',
  FST_FIELDS_LIMIT: 'payload-too-large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported-media-type',
};

/**
 * Errors Fastify's router raises before a request reaches a route (a path parameter past
 * `maxParamLength`, a malformed percent-encoding). Without this hook they leave as Fastify's own
 * `application/json`, not problem+json. Found by test/fuzz.test.ts.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(request, reply, 'bad-request', 'a path parameter is longer than 100 characters');
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(request, reply, 'bad-request', 'the path is not a valid URL component');
  }
  return sendProblem(request, reply, 'bad-request');
}

/** One place maps every error to problem+json; nothing else writes error bodies, and no stack leaves. */
export function installProblemHandlers(
  app: FastifyInstance,
  options: {
    pageFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
    /** Told of each request the disk failed (for /metrics). */
    onStorageFailure?: (failure: StorageFailure) => void;
  } = {},
): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      // A refusal that ends on its own says when (RFC 9110 §10.2.3), in the header clients read.
      const retryAfter = error.extensions.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return sendProblem(request, reply, error.code, error.message, error.extensions);
    }
    if (error.validation) {
      const errors = describeValidation(error.validationContext, error.validation as ValidationIssue[]);
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return sendProblem(request, reply, 'validation-failed', detail, { errors });
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped === 'malformed-json') {
      return sendProblem(request, reply, mapped, `the body is not valid JSON: ${error.message}`);
    }
    if (mapped) return sendProblem(request, reply, mapped, error.message);
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return sendProblem(request, reply, 'malformed-json', `the body is not valid JSON: ${error.message}`);
    }
    const storage = storageFailureOf(error);
    if (storage) {
      // An operator's problem, not a bug: one line naming the errno and the file, no stack.
      request.log.warn({ errno: storage.errno, path: storage.path }, `storage failure: ${storage.code}`);
      options.onStorageFailure?.(storage);
      if (storage.code === 'storage-unavailable')
        reply.header('retry-after', String(storageRetryAfterSeconds));
      // The path stays in the log: a client learns what to do, not how the server's disk is laid out.
      return sendProblem(
        request,
        reply,
        storage.code,
        storage.code === 'storage-full'
          ? `the server's disk is full (${storage.errno}); nothing of this request was kept; retry once space is freed`
          : `the server's disk cannot be written (${storage.errno}); nothing of this request was kept`,
      );
    }
    if (isDatabaseUnavailable(error)) {
      // Not a bug to page anyone about per request: the pool reconnects by itself.
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', '2');
      return sendProblem(request, reply, 'unavailable', 'the database does not answer; retry shortly');
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return sendProblem(request, reply, 'rate-limited', error.message);
    if (status >= 400 && status < 500) return sendProblem(request, reply, 'bad-request', error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, 'internal', 'something went wrong on our side; quote the request id');
  });

  app.setNotFoundHandler((request, reply) => {
    // A browser opening a portal page (`/explore`, `/wishes/…`) gets the portal, which routes it.
    if (options.pageFallback?.(request, reply)) return reply;
    return sendProblem(
      request,
      reply,
      'not-found',
      `no route for ${request.method} ${request.url.split('?')[0]}`,
    );
  });
}
