import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import type { ErrorCode } from '../../errors.js';
import { writeProblem } from './problem.js';

/**
 * Forwards a call to its upstream over a keep-alive undici Pool per origin, with `pool.dispatch`
 * and a handler that receives the raw header buffers and writes them straight to the node
 * response (no header object is built either way). Measured in DESIGN.md as the fastest of the
 * options on this machine; bench/gateway.ts measures it again against nginx.
 */

export interface ProxyOptions {
  connectTimeoutMs?: number;
  /** Time allowed for the upstream's response headers. */
  headersTimeoutMs?: number;
  /** Time allowed between two chunks of the upstream's response body. */
  bodyTimeoutMs?: number;
  /** Largest request body forwarded; larger ones are answered 413. */
  maxBodyBytes?: number;
  /** Keep-alive connections per upstream origin (null = unbounded). */
  connectionsPerOrigin?: number | null;
}

export const defaultMaxBodyBytes = 10 * 1024 * 1024;

export interface ForwardRequest {
  origin: string;
  /** Path and query string sent upstream. */
  path: string;
  /** Request headers for the upstream, as a flat name/value list. */
  headers: string[];
  /** Headers added to the response (request id, RateLimit-*), as a flat name/value list. */
  responseHeaders: string[];
  requestId: string;
  /** Path reported in problem responses. */
  instance: string;
  /** The request body, already read (for validation); absent = stream it from the request. */
  body?: Buffer | undefined;
}

export interface ForwardResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
  /** Set when the gateway, not the upstream, produced the answer (or the client went away). */
  error?: ErrorCode | 'client-closed';
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded, in either
 * direction. `expect` is answered by node itself (100-continue) and refused by undici.
 */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);

/** Headers the upstream must not set on the gateway's response: the gateway owns them. */
const ownedResponseHeaders = new Set([
  'x-request-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
]);

/** Tokens listed in a Connection header: those headers are hop-by-hop for this message too. */
export function connectionTokens(value: string | undefined): Set<string> | null {
  if (!value) return null;
  const tokens = new Set<string>();
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive') tokens.add(name);
  }
  return tokens.size > 0 ? tokens : null;
}

export function isHopByHop(lowerName: string, listed: Set<string> | null): boolean {
  return hopByHop.has(lowerName) || lowerName.startsWith('proxy-') || (listed?.has(lowerName) ?? false);
}

class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
}

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof PayloadTooLargeError) return 'payload-too-large';
  const code = (error as { code?: string } | null)?.code;
  if (code && timeoutCodes.has(code)) return 'upstream-timeout';
  return 'upstream-unavailable';
}

/** The request body, counted as it streams; past the limit the upload fails with 413. */
async function* countedBody(req: IncomingMessage, limit: number, counter: { bytes: number }) {
  for await (const chunk of req as AsyncIterable<Buffer>) {
    counter.bytes += chunk.length;
    if (counter.bytes > limit) throw new PayloadTooLargeError(`the request body exceeds ${limit} bytes`);
    yield chunk;
  }
}

/**
 * Reads the whole request body, or null once it passes `limit` (the rest is not read: answer 413
 * and close the connection).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, bytes);
}

export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

export class UpstreamProxy {
  private readonly pools = new Map<string, Pool>();
  readonly maxBodyBytes: number;

  constructor(private readonly options: ProxyOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connectionsPerOrigin ?? null,
        connect: { timeout: this.options.connectTimeoutMs ?? 5000 },
        headersTimeout: this.options.headersTimeoutMs ?? 30_000,
        bodyTimeout: this.options.bodyTimeoutMs ?? 30_000,
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 600_000,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Forwards `req` and streams the answer into `res`; `done` is called exactly once, at the end. */
  forward(
    req: IncomingMessage,
    res: ServerResponse,
    target: ForwardRequest,
    done: (result: ForwardResult) => void,
  ): void {
    const counter = { bytes: target.body?.length ?? 0 };
    let bytesOut = 0;
    let finished = false;
    let abort: ((reason?: Error) => void) | null = null;
    let clientGone = false;

    const finish = (result: ForwardResult) => {
      if (finished) return;
      finished = true;
      done(result);
    };
    // The client went away before the answer was complete: cancel the upstream request, which
    // closes (rather than leaks or drains) its connection and frees the upstream's worker.
    res.once('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      abort?.(new Error('the client closed the connection'));
      finish({ status: 499, bytesIn: counter.bytes, bytesOut, error: 'client-closed' });
    });

    const fail = (error: unknown) => {
      if (clientGone) return;
      const code = errorCodeOf(error);
      const detail =
        code === 'payload-too-large'
          ? `the request body exceeds ${this.maxBodyBytes} bytes`
          : code === 'upstream-timeout'
            ? 'the upstream service did not answer in time'
            : 'the upstream service could not be reached';
      // The answer is about the same call: it carries the headers a proxied one would (the rate
      // limit's state, a deprecated version's Deprecation and Sunset).
      const headers: Record<string, string> = {};
      for (let i = 0; i + 1 < target.responseHeaders.length; i += 2) {
        headers[target.responseHeaders[i]!.toLowerCase()] = target.responseHeaders[i + 1]!;
      }
      const status = writeProblem(res, code, {
        detail,
        instance: target.instance,
        requestId: target.requestId,
        headers,
        close: code === 'payload-too-large' || !req.complete,
      });
      finish({ status, bytesIn: counter.bytes, bytesOut, error: code });
    };

    const handler = {
      onConnect(abortRequest: (reason?: Error) => void) {
        abort = abortRequest;
        if (clientGone) abortRequest(new Error('the client closed the connection'));
      },
      onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
        if (status < 200) return true;
        let listed: Set<string> | null = null;
        for (let i = 0; i < raw.length; i += 2) {
          if (raw[i]!.length === 10 && raw[i]!.toString('latin1').toLowerCase() === 'connection') {
            listed = connectionTokens(raw[i + 1]!.toString('latin1'));
          }
        }
        const headers: string[] = [];
        let hasDate = false;
        for (let i = 0; i < raw.length; i += 2) {
          const name = raw[i]!.toString('latin1');
          const lower = name.toLowerCase();
          if (isHopByHop(lower, listed) || ownedResponseHeaders.has(lower)) continue;
          if (lower === 'date') hasDate = true;
          headers.push(name, raw[i + 1]!.toString('latin1'));
        }
        for (const value of target.responseHeaders) headers.push(value);
        res.sendDate = !hasDate;
        res.writeHead(status, headers);
        res.on('drain', resume);
        resultStatus = status;
        return true;
      },
      onData(chunk: Buffer): boolean {
        bytesOut += chunk.length;
        // false pauses undici until the client's socket drains (backpressure, bounded memory).
        return res.write(chunk);
      },
      onComplete() {
        res.end();
        finish({ status: resultStatus, bytesIn: counter.bytes, bytesOut });
      },
      onError(error: Error) {
        if (res.headersSent) {
          // Mid-body: the status is out, so the only honest signal left is to cut the connection.
          res.destroy(error);
          finish({ status: resultStatus, bytesIn: counter.bytes, bytesOut, error: errorCodeOf(error) });
          return;
        }
        fail(error);
      },
    };
    let resultStatus = 502;

    try {
      this.poolFor(target.origin).dispatch(
        {
          path: target.path,
          method: req.method as 'GET',
          headers: target.headers,
          // undici streams any async iterable; its types list only Readable.
          body:
            target.body ??
            (hasRequestBody(req)
              ? (countedBody(req, this.maxBodyBytes, counter) as unknown as Readable)
              : null),
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => {})));
  }
}
