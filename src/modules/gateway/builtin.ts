import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import { writeProblem } from './problem.js';
import { readBody } from './proxy.js';

/**
 * Built-in upstreams: APIs whose calls the platform answers itself (an API's `builtinUpstream`,
 * `{kind}:{id}`, e.g. `lab-model:lmd_…` for a released Data Lab model). The gateway runs such a call
 * through the same pipeline as a proxied one — key, subscription, plan, rate limit, quota, metering,
 * the ledger's call batches — and, where it would forward, hands the call to the handler of its kind.
 */

/** One call, as a handler sees it: after the gateway admitted it. */
export interface BuiltinCall {
  /** The id after the kind: which model (or other object) the API serves. */
  id: string;
  method: string;
  /** The path below the API (`/predict`). */
  path: string;
  contentType: string | undefined;
  body: Buffer;
  /** The calling organisation. */
  consumerOrgId: string;
  requestId: string;
}

/** A handler's JSON answer; a refusal is thrown as an AppError (answered as problem+json). */
export interface BuiltinAnswer {
  status: number;
  body: unknown;
}

export type BuiltinHandler = (call: BuiltinCall) => Promise<BuiltinAnswer>;

/** Handlers by kind (`lab-model`). A kind with no handler is answered 503, never forwarded. */
export type BuiltinUpstreams = Record<string, BuiltinHandler>;

export interface BuiltinOutcome {
  status: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Reads the body (at most `maxBodyBytes`, or uses the one validation already read), calls the
 * handler and writes its answer with the gateway's headers. Never throws: a handler's AppError is
 * its problem+json, anything else a 500 without detail (the log has it).
 */
export async function answerBuiltin(
  req: IncomingMessage,
  res: ServerResponse,
  call: {
    handler: BuiltinHandler | undefined;
    id: string;
    path: string;
    consumerOrgId: string;
    requestId: string;
    instance: string;
    body: Buffer | undefined;
    maxBodyBytes: number;
    /** RateLimit and retirement headers, as name, value pairs. */
    headers: string[];
    onError: (error: unknown) => void;
  },
): Promise<BuiltinOutcome> {
  const headerRecord: Record<string, string> = {};
  for (let i = 0; i < call.headers.length; i += 2) headerRecord[call.headers[i]!] = call.headers[i + 1]!;
  const problem = (error: AppError, bytesIn: number, close = false): BuiltinOutcome => {
    const status = writeProblem(res, error.code, {
      detail: error.message,
      instance: call.instance,
      requestId: call.requestId,
      headers: headerRecord,
      extensions: error.extensions,
      close,
    });
    return { status, bytesIn, bytesOut: 0 };
  };
  if (!call.handler) {
    return problem(new AppError('unavailable', 'this API is not served on this node'), 0, !req.complete);
  }
  const body = call.body ?? (await readBody(req, call.maxBodyBytes));
  if (!body) {
    return problem(
      new AppError('payload-too-large', `the request body exceeds ${call.maxBodyBytes} bytes`),
      call.maxBodyBytes,
      true,
    );
  }
  let answer: BuiltinAnswer;
  try {
    answer = await call.handler({
      id: call.id,
      method: req.method ?? 'GET',
      path: call.path,
      contentType: req.headers['content-type'],
      body,
      consumerOrgId: call.consumerOrgId,
      requestId: call.requestId,
    });
  } catch (error) {
    if (error instanceof AppError) return problem(error, body.length);
    call.onError(error);
    return problem(
      new AppError('internal', 'something went wrong on our side; quote the request id'),
      body.length,
    );
  }
  const text = JSON.stringify(answer.body);
  if (res.destroyed) return { status: answer.status, bytesIn: body.length, bytesOut: 0 };
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headerRecord,
  });
  res.end(text);
  return { status: answer.status, bytesIn: body.length, bytesOut: Buffer.byteLength(text) };
}
