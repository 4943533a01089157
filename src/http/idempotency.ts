import { createHash } from 'node:crypto';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/client.js';
import type { RequestScope, RequestTransactions } from '../db/request-transaction.js';
import { AppError } from '../errors.js';
import type { Failpoints } from '../infra/failpoints.js';
import { idempotencyKeys } from './idempotency-schema.js';
import { sendProblem } from './problem.js';

/**
 * Idempotency keys on every state-changing `/v1` operation, after the IETF httpapi draft "The
 * Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-key-header):
 *
 * - A POST, PUT, PATCH or DELETE under `/v1` with `Idempotency-Key: "<key>"` (an sf-string; a bare
 *   token is taken too) from a signed-in caller is carried out at most once per key. The key is
 *   the caller's own (organisation and user), kept 24 hours.
 * - The change and its answer commit in ONE transaction (src/db/request-transaction.ts): the key is
 *   reserved as the first statement of the request's transaction and the answer written as its last,
 *   so after any crash either both are there or neither is. A retry after a crash that came between
 *   the commit and the answer reaching the client gets the original answer, with
 *   `Idempotent-Replayed: true`; a retry after a crash before the commit finds nothing and runs.
 * - The same key with another request (method, path or body) → 422 `idempotency-key-reused`.
 *   The same key while its first request is still running → 409 `idempotency-key-in-use` (on this
 *   node from memory; across nodes the reservation waits on the first node's row and then finds it).
 * - Answers below 500 are kept, refusals included (a retry learns the same thing). A 5xx rolls the
 *   request's transaction back and keeps nothing, so a retry runs again. A request refused before
 *   its handler (bad schema, not signed in) keeps nothing either.
 * - A streamed answer (a Parquet result, an evidence bundle) is not kept: its status and headers are,
 *   and a retry is answered 409 `idempotency-answer-not-kept` with them, so the caller knows the
 *   request ran (and e.g. the `x-query-id` it ran as) without running it twice.
 *
 * Sign-up and sign-in carry no principal: the header is ignored there.
 */

/** How long a key and its answer are kept. */
export const idempotencyKeyTtlMs = 24 * 60 * 60_000;

const stateChangingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Printable ASCII without the quote and backslash that would need escaping in an sf-string. */
const keyPattern = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,255}$/;
/** Answer headers that belong to the answer (not to the connection or the session) and are replayed. */
const keptHeaderPattern =
  /^(content-type|location|content-disposition|x-query-id|x-result-truncated|stp-.+)$/;

interface KeyedRequest {
  orgId: string;
  userId: string;
  key: string;
  fingerprint: string;
  /** In-process marker of a request in flight. */
  flightKey: string;
  scope: RequestScope;
  stored?: StoredAnswer;
}

type StoredRow = typeof idempotencyKeys.$inferSelect;

interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  isBodyKept: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: KeyedRequest | null;
  }
}

/** Parses the header: `"abc"` (the draft's sf-string) or `abc`; undefined when absent. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header.join(',') : header;
  const value = raw.trim();
  const key = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (!keyPattern.test(key)) {
    throw new AppError(
      'idempotency-key-invalid',
      'Idempotency-Key must be 1 to 255 printable ASCII characters, without quotes or backslashes inside',
    );
  }
  return key;
}

function fingerprintOf(request: FastifyRequest): string {
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n`);
  if (request.body !== undefined) {
    hash.update(JSON.stringify(request.body));
  } else {
    // A streamed body (an upload) is not read here: its type and length stand for it.
    hash.update(`${request.headers['content-type'] ?? ''}\n${request.headers['content-length'] ?? ''}`);
  }
  return hash.digest('hex');
}

function answerOf(reply: FastifyReply, payload: unknown): StoredAnswer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && keptHeaderPattern.test(name)) headers[name] = String(value);
  }
  const isText = typeof payload === 'string';
  const isTextBuffer =
    Buffer.isBuffer(payload) && /json|text|csv/.test(String(reply.getHeader('content-type') ?? ''));
  const body = isText ? payload : isTextBuffer ? payload.toString('utf8') : '';
  return { status: reply.statusCode, headers, body, isBodyKept: isText || isTextBuffer || payload == null };
}

export interface IdempotencyDeps {
  db: Db;
  transactions: RequestTransactions;
  clock: Clock;
  failpoints?: Failpoints;
}

export function installIdempotency(app: FastifyInstance, deps: IdempotencyDeps): void {
  const inFlight = new Set<string>();
  app.decorateRequest('idempotency', null);

  const replay = (request: FastifyRequest, reply: FastifyReply, stored: StoredAnswer) => {
    reply.header('idempotent-replayed', 'true');
    if (!stored.isBodyKept) {
      for (const [name, value] of Object.entries(stored.headers)) {
        if (name !== 'content-type' && name !== 'content-disposition') reply.header(name, value);
      }
      return sendProblem(
        request,
        reply,
        'idempotency-answer-not-kept',
        `the request with this key was carried out (status ${stored.status}); its answer was streamed and is not kept`,
        { originalStatus: stored.status },
      );
    }
    for (const [name, value] of Object.entries(stored.headers)) reply.header(name, value);
    return reply.code(stored.status).send(stored.body);
  };

  app.addHook('preHandler', async (request, reply) => {
    if (!stateChangingMethods.has(request.method) || !request.url.startsWith('/v1/')) return;
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const principal = request.principal;
    if (key === undefined || !principal) return;
    const fingerprint = fingerprintOf(request);
    const flightKey = `${principal.orgId} ${principal.userId} ${key}`;
    if (inFlight.has(flightKey)) {
      throw new AppError('idempotency-key-in-use', 'a request with this Idempotency-Key is still running', {
        retryAfterSeconds: 1,
      });
    }
    // Claimed before the lookup: a duplicate arriving meanwhile is refused, not run beside it.
    inFlight.add(flightKey);
    let found: StoredRow | undefined;
    try {
      [found] = await deps.db
        .select()
        .from(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.orgId, principal.orgId),
            eq(idempotencyKeys.userId, principal.userId),
            eq(idempotencyKeys.key, key),
            gt(idempotencyKeys.expiresAt, deps.clock.now()),
          ),
        );
    } catch (error) {
      inFlight.delete(flightKey);
      throw error;
    }
    if (found) {
      inFlight.delete(flightKey);
      if (found.fingerprint !== fingerprint) {
        throw new AppError(
          'idempotency-key-reused',
          `this Idempotency-Key was used for another request (${found.method} ${found.path}, or another body); use a new key for a new request`,
        );
      }
      return replay(request, reply, found);
    }
    const keyed: KeyedRequest = {
      orgId: principal.orgId,
      userId: principal.userId,
      key,
      fingerprint,
      flightKey,
      scope: deps.transactions.scope({
        onOpen: (tx) => reserve(tx, keyed, request),
        beforeCommit: (tx) => store(tx, keyed),
      }),
    };
    request.idempotency = keyed;
  });

  // The handler, and everything it awaits, runs inside the request's scope.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.idempotency) deps.transactions.run(request.idempotency.scope, done);
    else done();
  });

  /** The first statement of the request's transaction: the key, reserved (an expired row is taken over). */
  const reserve = async (tx: Tx, keyed: KeyedRequest, request: FastifyRequest) => {
    const now = deps.clock.now();
    const reserved = await tx
      .insert(idempotencyKeys)
      .values({
        ...rowOf(keyed, request, now),
        status: 0,
        headers: {},
        body: '',
        isBodyKept: true,
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.orgId, idempotencyKeys.userId, idempotencyKeys.key],
        set: { ...rowOf(keyed, request, now) },
        setWhere: lte(idempotencyKeys.expiresAt, now),
      })
      .returning({ key: idempotencyKeys.key });
    if (reserved.length === 0) {
      throw new AppError(
        'idempotency-key-in-use',
        'a request with this Idempotency-Key ran meanwhile; retry',
        {
          retryAfterSeconds: 1,
        },
      );
    }
  };

  const rowOf = (keyed: KeyedRequest, request: FastifyRequest, now: Date) => ({
    orgId: keyed.orgId,
    userId: keyed.userId,
    key: keyed.key,
    fingerprint: keyed.fingerprint,
    method: request.method,
    path: request.url.slice(0, 2048),
    createdAt: now,
    expiresAt: new Date(now.getTime() + idempotencyKeyTtlMs),
  });

  /** The last statement of the request's transaction: the answer. */
  const store = async (tx: Tx, keyed: KeyedRequest) => {
    const answer = keyed.stored!;
    await tx
      .update(idempotencyKeys)
      .set(answer)
      .where(
        and(
          eq(idempotencyKeys.orgId, keyed.orgId),
          eq(idempotencyKeys.userId, keyed.userId),
          eq(idempotencyKeys.key, keyed.key),
        ),
      );
  };

  app.addHook('onSend', async (request, reply, payload) => {
    const keyed = request.idempotency;
    if (!keyed || keyed.scope.state === 'closed') return payload;
    try {
      if (reply.statusCode >= 500) {
        await keyed.scope.end('rollback');
        return payload;
      }
      keyed.stored = answerOf(reply, payload);
      const committed = await keyed.scope.end('commit');
      if (!committed) {
        // Nothing was changed in a transaction (a refusal, or a write of its own): keep the answer alone.
        const now = deps.clock.now();
        await deps.db
          .insert(idempotencyKeys)
          .values({ ...rowOf(keyed, request, now), ...keyed.stored })
          .onConflictDoNothing();
      }
      // Crash tests: the change and its answer are committed, the answer not yet sent.
      if (committed) await deps.failpoints?.reach('idempotency.committed');
      return payload;
    } finally {
      inFlight.delete(keyed.flightKey);
    }
  });

  // Whatever ended the request without an answer (an aborted client before onSend, a failing hook).
  app.addHook('onResponse', async (request) => {
    const keyed = request.idempotency;
    if (!keyed) return;
    inFlight.delete(keyed.flightKey);
    if (keyed.scope.state !== 'closed') await keyed.scope.end('rollback').catch(() => {});
  });
}

/** Deletes keys past their 24 hours; returns how many. */
export async function sweepIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
