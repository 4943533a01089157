import type { ServerResponse } from 'node:http';
import { type ErrorCode, errorCatalogue, problemTypeBase } from '../../errors.js';

/**
 * The gateway answers on the raw node:http path, outside Fastify, with the same RFC 9457 body as
 * src/http/problem.ts: type, title, status, detail, instance, code, requestId. Never a stack trace.
 */
export function writeProblem(
  res: ServerResponse,
  code: ErrorCode,
  options: {
    detail?: string;
    instance: string;
    requestId: string;
    headers?: Record<string, string | number>;
    /** Close the connection after answering (the request body was not read). */
    close?: boolean;
    /** RFC 9457 §3.2 extension members, e.g. the `missingStep` of a cross-boundary refusal. */
    extensions?: Record<string, unknown>;
  },
): number {
  const { status, title } = errorCatalogue[code];
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return status;
  }
  const body = JSON.stringify({
    type: `${problemTypeBase}${code}`,
    title,
    status,
    detail: options.detail ?? title,
    instance: options.instance,
    code,
    requestId: options.requestId,
    ...options.extensions,
  });
  const headers: Record<string, string | number> = {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': options.requestId,
    // The same as the control plane's problem answers (src/http/headers.ts): never sniffed as HTML.
    'x-content-type-options': 'nosniff',
    ...options.headers,
  };
  if (options.close) {
    headers.connection = 'close';
    res.shouldKeepAlive = false;
  }
  res.writeHead(status, headers);
  res.end(body);
  return status;
}
