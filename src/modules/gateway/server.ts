import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerFactory } from 'fastify';
import { newId } from '../../ids.js';
import type { Gateway } from './handler.js';
import { writeProblem } from './problem.js';

/**
 * Serving `/gw/` on the lean path: the node:http request listener hands gateway paths to the
 * gateway before Fastify's router, its hooks and its reply objects are ever involved, and
 * everything else to `fallback` (Fastify's handler, or the standalone server's health check).
 */
export function createGatewayServer(
  gateway: Gateway,
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  const server = createServer((req, res) => {
    if (gateway.matches(req.url ?? '/')) gateway.handle(req, res);
    else fallback(req, res);
  });
  // A request node cannot parse (CR/LF inside a header value, an oversized header) never reaches
  // a handler; answer 400 and close rather than let the socket hang.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({
      type: 'https://stp-platform.dev/problems/bad-request',
      title: 'The request is malformed',
      status: 400,
      detail: 'the HTTP request could not be parsed',
      code: 'bad-request',
    });
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/**
 * For `Fastify({ serverFactory: gatewayServerFactory(gateway) })`: Fastify keeps serving every
 * path but `/gw/…`, which never enters its router.
 */
export function gatewayServerFactory(gateway: Gateway): FastifyServerFactory {
  return (handler) => createGatewayServer(gateway, handler);
}

/** The data plane alone (`stp gateway`): `/gw/…`, plus `/healthz` and `/readyz`. */
export function createStandaloneGatewayServer(gateway: Gateway): Server {
  let isReady = false;
  gateway.ready().then(() => {
    isReady = true;
  });
  return createGatewayServer(gateway, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' || isReady;
      const body = JSON.stringify({ status: ok ? 'ok' : 'starting' });
      res.writeHead(ok ? 200 : 503, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(body);
      return;
    }
    writeProblem(res, 'not-found', {
      detail: `no route for ${req.method} ${path}`,
      instance: path,
      requestId: newId('request'),
    });
  });
}
