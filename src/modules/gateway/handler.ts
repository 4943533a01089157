import { hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../clock.js';
import type { ErrorCode } from '../../errors.js';
import { consentRefusal, subjectKeyHeader } from '../consent/gate.js';
import { apiTransferRefusal } from '../crossborder/index.js';
import {
  type BreakerOptions,
  defaultBreakerOptions,
  outcomeOf,
  UpstreamBreakers,
  type UpstreamRefusal,
} from './breaker.js';
import { answerBuiltin, type BuiltinUpstreams } from './builtin.js';
import {
  type Limits,
  LimitsUnavailableError,
  monthPeriodKey,
  type QuotaDecision,
  type RateDecision,
} from './limiter.js';
import type { MeteredCall } from './metering.js';
import { writeProblem } from './problem.js';
import {
  connectionTokens,
  hasRequestBody,
  isHopByHop,
  type ProxyOptions,
  readBody,
  UpstreamProxy,
} from './proxy.js';
import { createRequestIds } from './requestid.js';
import { compileSnapshot, matchOperation, pathSegments, planIncludes, type RoutingTable } from './routing.js';
import {
  type AccessTokenVerifier,
  type SnapshotCredential,
  type SnapshotSource,
  type SnapshotSubscription,
  subscriptionKey,
} from './snapshot.js';

/**
 * The gateway's request pipeline for `/gw/{slug}/{rest}`, on the raw node:http path in front of
 * Fastify (see DESIGN.md, Gateway). In order: API by slug → credential (API key or OAuth2 bearer
 * JWT) → active subscription → sunset (a retired version: 410) → operation (deny by default) → plan → rate limit → cross-boundary
 * transfer (where the API carries personal data) → consent (where the API requires it) → monthly
 * quota → request validation (where the API asks for it) → upstream guard (circuit breaker and
 * calls in flight, breaker.ts) → proxy → meter. An API with a built-in upstream (builtin.ts) goes
 * through the same steps and is answered by the platform's handler where it would be proxied.
 * It reads only the in-memory snapshot, never the database.
 *
 * The pipeline is one async function, but with an API key and local limits it never awaits: the
 * key check, `takeNow` and `consumeNow` are synchronous, so a call reaches the proxy in the tick
 * it arrived in. Only a bearer token (signature check) and Redis counters cost a microtask hop.
 */

export interface GatewayLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** What the gateway needs of a meter: one synchronous call per metered request. */
export interface CallMeter {
  record(call: MeteredCall): void;
}

export interface GatewayOptions extends ProxyOptions {
  /** Circuit breaking and the bound on calls in flight, per upstream (breaker.ts). */
  breaker?: Partial<BreakerOptions>;
  /** Wait this long after a change notice before reloading, so a burst of changes loads once. */
  refreshDebounceMs?: number;
  /** Retry a failed snapshot load after this long. */
  refreshRetryMs?: number;
}

export interface GatewayDeps {
  source: SnapshotSource;
  verifier: AccessTokenVerifier;
  limits: Pick<Limits, 'rate' | 'quota'>;
  meter: CallMeter;
  clock?: Clock;
  logger?: GatewayLogger;
  options?: GatewayOptions;
  /** Handlers of built-in upstreams by kind (builtin.ts): APIs the platform answers itself. */
  builtins?: BuiltinUpstreams;
}

export interface Gateway {
  /** Whether a request URL belongs to the gateway (`/gw/…`). */
  matches(url: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Loads a fresh snapshot; resolves once one loaded after this call is in use. */
  refresh(): Promise<void>;
  /** Resolves once the first snapshot is in use. */
  ready(): Promise<void>;
  /** Whether the snapshot in use knows this OAuth2 client (live and unrevoked). */
  knowsClient(clientId: string): boolean;
  /** Stops listening for changes and closes upstream connections (not the limits or the meter). */
  close(): Promise<void>;
}

const silentLogger: GatewayLogger = { info() {}, warn() {}, error() {} };

/** Request headers never forwarded: the caller's credentials, and what the gateway itself sets. */
const droppedRequestHeaders = new Set([
  'host',
  'authorization',
  'x-api-key',
  'x-request-id',
  'forwarded',
  'x-real-ip',
]);

/** The platform's session cookie must not reach an upstream (a browser calling /gw/ sends it). */
const sessionCookiePattern = /(?:^|;\s*)stp_session=[^;]*/g;

function withoutSessionCookie(value: string): string {
  if (!value.includes('stp_session=')) return value;
  return value.replace(sessionCookiePattern, '').replace(/^;\s*/, '').trim();
}

const bearerPattern = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

type Authentication =
  | { ok: true; credential: SnapshotCredential }
  | { ok: false; code: ErrorCode; detail: string; challenge: string };

const realm = 'Bearer realm="stp-gateway"';

const unknownKey: Authentication = {
  ok: false,
  code: 'unauthenticated',
  detail: 'the API key is unknown, expired or revoked',
  challenge: realm,
};
const noCredentials: Authentication = {
  ok: false,
  code: 'unauthenticated',
  detail: 'send X-API-Key: <key> or Authorization: Bearer <access token>',
  challenge: realm,
};
const invalidToken: Authentication = {
  ok: false,
  code: 'unauthenticated',
  detail: 'the access token is invalid, expired or revoked',
  challenge: `${realm}, error="invalid_token"`,
};

/** The headers of a 429 answer: the rate limit's state and when to come back. */
function refusalHeaders(limit: RateDecision, retryAfterSeconds: number) {
  return {
    'ratelimit-limit': limit.limit,
    'ratelimit-remaining': limit.remaining,
    'ratelimit-reset': limit.resetSeconds,
    'retry-after': retryAfterSeconds,
  };
}

const isLive = (c: SnapshotCredential | undefined, nowMs: number): c is SnapshotCredential =>
  c !== undefined && (c.validUntil === null || c.validUntil > nowMs);

export function createGateway(deps: GatewayDeps): Gateway {
  const { clock } = deps;
  // Date.now() unless a test injects a clock: the system clock's `new Date()` is an allocation per call.
  const nowMsOf = clock ? () => clock.now().getTime() : Date.now;
  const nextRequestId = createRequestIds();
  const logger = deps.logger ?? silentLogger;
  const options = deps.options ?? {};
  const breakerOptions = { ...defaultBreakerOptions, ...options.breaker };
  const breakers = new UpstreamBreakers(breakerOptions, logger, nowMsOf);
  // No more sockets per upstream than calls allowed in flight: nothing queues inside the pool.
  const proxy = new UpstreamProxy({
    ...options,
    connectionsPerOrigin: options.connectionsPerOrigin ?? breakerOptions.maxConcurrent,
  });
  const { rate, quota } = deps.limits;

  let table: RoutingTable | null = null;
  let closed = false;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  // --- snapshot: loaded once, replaced atomically (one assignment) on every change ---
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let changeTimer: NodeJS.Timeout | null = null;

  const loadOnce = async () => {
    const snapshot = await deps.source.load();
    const compiled = compileSnapshot(snapshot);
    for (const warning of compiled.warnings) logger.warn({ warning }, 'gateway snapshot: not enforced');
    table = compiled;
    resolveReady();
  };

  const refresh = (): Promise<void> => {
    if (queued) return queued;
    if (inFlight) {
      // A load is running but may have read the state from before this call: run one more after it.
      queued = inFlight
        .catch(() => {})
        .then(() => {
          queued = null;
          return refresh();
        });
      return queued;
    }
    inFlight = loadOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const scheduleRefresh = (delayMs: number) => {
    if (changeTimer || closed) return;
    changeTimer = setTimeout(() => {
      changeTimer = null;
      refresh().catch((error) => {
        logger.error({ err: error }, 'gateway snapshot load failed; keeping the previous one');
        scheduleRefresh(options.refreshRetryMs ?? 500);
      });
    }, delayMs);
  };

  const unsubscribe = deps.source.onChange(() => scheduleRefresh(options.refreshDebounceMs ?? 20));
  refresh().catch((error) => {
    logger.error({ err: error }, 'gateway snapshot load failed');
    scheduleRefresh(options.refreshRetryMs ?? 500);
  });

  // --- authentication ---
  /** Synchronous: a hash and a map lookup. */
  function authenticateApiKey(table: RoutingTable, apiKey: string, nowMs: number): Authentication {
    const credential = table.snapshot.apiKeysByHash.get(hash('sha256', apiKey, 'hex'));
    return isLive(credential, nowMs) ? { ok: true, credential } : unknownKey;
  }

  async function authenticateBearer(
    authorization: string | undefined,
    table: RoutingTable,
    slug: string,
    nowMs: number,
  ): Promise<Authentication> {
    if (!authorization) return noCredentials;
    const token = bearerPattern.exec(authorization)?.[1];
    if (!token) return invalidToken;
    let claims: Awaited<ReturnType<AccessTokenVerifier['verify']>>;
    try {
      claims = await deps.verifier.verify(token);
    } catch {
      return invalidToken;
    }
    const client = table.snapshot.oauthClientsById.get(claims.clientId);
    // The organisation comes from the snapshot's credential; a token claiming another is refused.
    if (!isLive(client, nowMs) || client.orgId !== claims.orgId) return invalidToken;
    const needed = `api:${slug}`;
    if (!claims.scope.split(' ').includes(needed)) {
      // RFC 6750 §3.1: a valid token without the scope is 403 insufficient_scope, not 401.
      return {
        ok: false,
        code: 'forbidden',
        detail: `the access token lacks the scope ${needed}`,
        challenge: `${realm}, error="insufficient_scope", scope="${needed}"`,
      };
    }
    return { ok: true, credential: client };
  }

  function upstreamHeaders(req: IncomingMessage, subscription: SnapshotSubscription, requestId: string) {
    const raw = req.rawHeaders;
    const listed = connectionTokens(req.headers.connection);
    const out: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      const lower = name.toLowerCase();
      if (
        droppedRequestHeaders.has(lower) ||
        isHopByHop(lower, listed) ||
        // Only the gateway speaks for the caller: spoofed identity or forwarding headers are dropped.
        lower.startsWith('x-stp-') ||
        lower.startsWith('x-forwarded-')
      ) {
        continue;
      }
      let value = raw[i + 1]!;
      if (lower === 'cookie') {
        value = withoutSessionCookie(value);
        if (!value) continue;
      }
      out.push(name, value);
    }
    const socket = req.socket as { remoteAddress?: string; encrypted?: boolean };
    out.push(
      'x-forwarded-for',
      socket.remoteAddress ?? '',
      'x-forwarded-proto',
      socket.encrypted ? 'https' : 'http',
      'x-stp-consumer-org',
      subscription.orgId,
      'x-stp-subscription',
      subscription.id,
      'x-request-id',
      requestId,
    );
    if (req.headers.host) out.push('x-forwarded-host', req.headers.host);
    return out;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string, startedAt: number) {
    const nowMs = nowMsOf();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    // Once the API is known, a deprecated version's Deprecation, Sunset and Link headers go on every
    // answer about it, the gateway's own refusals included (RFC 9745 §2: the header describes the
    // resource, whatever the status), so a caller that only ever sees 401, 403 or 429 hears of it too.
    let retirementHeaders: Record<string, string> | undefined;
    const answer = (
      code: ErrorCode,
      options: Omit<Parameters<typeof writeProblem>[2], 'instance' | 'requestId'>,
    ) =>
      writeProblem(res, code, {
        ...options,
        instance: pathname,
        requestId,
        headers: retirementHeaders ? { ...retirementHeaders, ...options.headers } : options.headers,
      });
    const problem = (code: ErrorCode, detail: string, headers?: Record<string, string | number>) =>
      answer(code, { detail, headers });
    // Refused without reading a body it may carry, so the connection closes rather than drain it.
    const refuseUpstream = (refusal: UpstreamRefusal) =>
      answer(refusal.code, {
        detail: refusal.detail,
        headers: { 'retry-after': refusal.retryAfterSeconds },
        close: hasRequestBody(req) && !req.complete,
      });

    const current = table;
    if (!current) return problem('unavailable', 'the gateway has not loaded its configuration yet');
    const slugEnd = pathname.indexOf('/', 4);
    const slug = slugEnd === -1 ? pathname.slice(4) : pathname.slice(4, slugEnd);
    const rest = slugEnd === -1 ? '/' : pathname.slice(slugEnd);
    const compiled = current.apisBySlug.get(slug);
    if (!compiled) return problem('not-found', `no API is published at /gw/${slug}`);
    const { retirement } = compiled;
    retirementHeaders = retirement?.headerRecord;

    const declaredLength = req.headers['content-length'];
    if (declaredLength !== undefined && Number(declaredLength) > proxy.maxBodyBytes) {
      // Refused before a byte of the body is read; the connection closes rather than drain it.
      return answer('payload-too-large', {
        detail: `the request body exceeds ${proxy.maxBodyBytes} bytes`,
        close: true,
      });
    }

    const apiKey = req.headers['x-api-key'];
    const auth =
      typeof apiKey === 'string' && apiKey.length > 0
        ? authenticateApiKey(current, apiKey, nowMs)
        : await authenticateBearer(req.headers.authorization, current, slug, nowMs);
    if (!auth.ok) return problem(auth.code, auth.detail, { 'www-authenticate': auth.challenge });
    const { api } = compiled;
    const subscription = current.snapshot.subscriptions.get(subscriptionKey(auth.credential.orgId, api.id));
    if (!subscription) {
      return problem('subscription-not-active', `your organisation has no active subscription to ${slug}`);
    }
    if (subscription.endsAt != null && nowMs >= subscription.endsAt) {
      // Its end date passed since the snapshot was built; the sweep records the expiry shortly.
      return problem(
        'subscription-not-active',
        `your organisation's subscription to ${slug} ended at ${new Date(subscription.endsAt).toISOString()}`,
      );
    }

    // From here on the call is attributable to a subscription, so every outcome is metered.
    const method = req.method ?? 'GET';
    const meter = (status: number, bytesIn: number, bytesOut: number, rateLimited = false) =>
      deps.meter.record({
        requestId,
        subscriptionId: subscription.id,
        apiId: api.id,
        orgId: subscription.orgId,
        providerOrgId: subscription.providerOrgId,
        method,
        path: rest,
        status,
        bytesIn,
        bytesOut,
        latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
        atMs: nowMs,
        rateLimited,
      });

    // A retired version: refused before anything else is spent on the call, the upstream never called.
    if (retirement && nowMs >= retirement.sunsetAt) {
      const sunset = new Date(retirement.sunsetAt).toISOString();
      const detail = retirement.successorPath
        ? `the version of ${slug} served here reached its sunset at ${sunset}; call ${retirement.successorPath} instead`
        : `the version of ${slug} served here reached its sunset at ${sunset}`;
      return meter(
        answer('api-version-sunset', {
          detail,
          extensions: { sunset, successor: retirement.successorPath },
          close: hasRequestBody(req) && !req.complete,
        }),
        0,
        0,
      );
    }

    const segments = pathSegments(rest);
    if (!segments) {
      return meter(problem('bad-request', 'the path has dot segments or encoded slashes'), 0, 0);
    }
    const operation = matchOperation(compiled, method, segments);
    if (!operation) {
      return meter(problem('not-found', `${slug} has no operation ${method} ${rest}`), 0, 0);
    }
    const { plan } = subscription;
    if (!planIncludes(plan, operation)) {
      return meter(
        problem(
          'operation-not-in-plan',
          `your plan does not include ${operation.method} ${operation.operation.path}`,
        ),
        0,
        0,
      );
    }

    // Limits count per consumer organisation and API, not per subscription: ending a subscription
    // and taking a new one must not buy a fresh burst or a fresh monthly quota.
    const limitKey = `${subscription.orgId}:${subscription.apiId}`;
    let limit: RateDecision;
    try {
      limit = rate.takeNow
        ? rate.takeNow(limitKey, plan.rateLimitPerSecond, plan.burst)
        : await rate.take(limitKey, plan.rateLimitPerSecond, plan.burst);
    } catch (error) {
      // Deny by default: without the shared counter we cannot know the limit holds. A Redis known to
      // be down was logged once when it went (limiter.ts); only a surprise is logged per call.
      if (!(error instanceof LimitsUnavailableError)) {
        logger.error({ err: error, requestId }, 'rate limiter unavailable');
      }
      return meter(
        problem('unavailable', 'the rate limiter is unavailable; retry shortly', { 'retry-after': 1 }),
        0,
        0,
      );
    }
    if (!limit.allowed) {
      const status = problem(
        'rate-limited',
        `the plan allows ${plan.rateLimitPerSecond}/s, burst ${plan.burst}`,
        refusalHeaders(limit, limit.retryAfterSeconds),
      );
      return meter(status, 0, 0, true);
    }
    // A call that carries personal data between organisations in different jurisdictions (either
    // direction: Hong Kong, Macao, the Mainland GBA cities) goes only under a transfer covering this
    // API in force now; a party elsewhere is refused outright. Same as the query engine's gate, from
    // the snapshot. Before consent: the parties' standing is settled before any subject is looked at.
    const transferGate = current.snapshot.transferGate;
    if (transferGate) {
      const refusal = apiTransferRefusal(
        transferGate,
        { apiId: api.id, providerOrgId: subscription.providerOrgId, recipientOrgId: subscription.orgId },
        nowMs,
      );
      if (refusal) {
        const { code, detail, ...extensions } = refusal;
        return meter(answer(code, { detail, extensions }), 0, 0);
      }
    }
    // A consent-required API: a call naming a data subject (X-Subject-Key) goes only with a live
    // consent of that subject for the calling organisation and the API's purpose; a call naming
    // none goes only if the API does not say every call concerns a subject. After the rate limit
    // (probing subject keys costs tokens), before the quota (a refused call uses none of it).
    const consentGate = current.snapshot.consentGates?.get(api.id);
    if (consentGate) {
      const refusal = consentRefusal(consentGate, subscription.orgId, req.headers[subjectKeyHeader], nowMs);
      if (refusal) return meter(problem('consent-required', refusal), 0, 0);
    }
    // An upstream known to be failing is refused here, before the call uses any of the quota.
    const early = compiled.builtin ? null : breakers.refusal(compiled.origin);
    if (early) return meter(refuseUpstream(early), 0, 0);
    if (plan.monthlyQuota !== null) {
      let used: QuotaDecision;
      try {
        const period = monthPeriodKey(nowMs);
        used = quota.consumeNow
          ? quota.consumeNow(limitKey, period, plan.monthlyQuota)
          : await quota.consume(limitKey, period, plan.monthlyQuota);
      } catch (error) {
        if (!(error instanceof LimitsUnavailableError)) {
          logger.error({ err: error, requestId }, 'quota counter unavailable');
        }
        return meter(
          problem('unavailable', 'the quota counter is unavailable; retry shortly', { 'retry-after': 1 }),
          0,
          0,
        );
      }
      if (!used.allowed) {
        const status = problem(
          'quota-exceeded',
          `the plan's ${plan.monthlyQuota} calls this month are used`,
          refusalHeaders(limit, used.resetSeconds),
        );
        return meter(status, 0, 0);
      }
    }

    let body: Buffer | undefined;
    const { validation } = operation;
    if (validation) {
      const invalid = validation.parameters({
        segments,
        query: queryAt === -1 ? '' : url.slice(queryAt + 1),
        headers: req.headers,
      });
      if (invalid) return meter(problem('request-invalid', invalid), 0, 0);
      const bodyCheck = validation.body(req.headers['content-type'], hasRequestBody(req));
      if (bodyCheck.kind === 'refuse') return meter(problem('request-invalid', bodyCheck.detail), 0, 0);
      if (bodyCheck.kind === 'json') {
        // Only a body that validation reads is buffered; every other body streams through.
        const read = await readBody(req, proxy.maxBodyBytes);
        if (!read) {
          const status = answer('payload-too-large', {
            detail: `the request body exceeds ${proxy.maxBodyBytes} bytes`,
            close: true,
          });
          return meter(status, proxy.maxBodyBytes, 0);
        }
        const bodyInvalid = bodyCheck.check(read);
        if (bodyInvalid) return meter(problem('request-invalid', bodyInvalid), read.length, 0);
        body = read;
      }
    }

    const responseHeaders = [
      'x-request-id',
      requestId,
      'RateLimit-Limit',
      String(limit.limit),
      'RateLimit-Remaining',
      String(limit.remaining),
      'RateLimit-Reset',
      String(limit.resetSeconds),
      ...(retirement ? retirement.headers : []),
    ];

    // A built-in upstream: the platform answers where it would forward, after every check above.
    if (compiled.builtin) {
      const { kind, id } = compiled.builtin;
      const outcome = await answerBuiltin(req, res, {
        handler: deps.builtins?.[kind],
        id,
        path: rest,
        consumerOrgId: subscription.orgId,
        requestId,
        instance: pathname,
        body,
        maxBodyBytes: proxy.maxBodyBytes,
        headers: responseHeaders,
        onError: (error) => logger.error({ err: error, requestId, api: slug }, 'built-in upstream failed'),
      });
      return meter(outcome.status, outcome.bytesIn, outcome.bytesOut);
    }

    const admission = breakers.admit(compiled.origin);
    if (!admission.ok) return meter(refuseUpstream(admission), body?.length ?? 0, 0);
    const { permit } = admission;

    proxy.forward(
      req,
      res,
      {
        origin: compiled.origin,
        path: compiled.basePath + rest + (queryAt === -1 ? '' : url.slice(queryAt)),
        headers: upstreamHeaders(req, subscription, requestId),
        responseHeaders,
        requestId,
        instance: pathname,
        body,
      },
      (result) => {
        permit.release(outcomeOf(result));
        if (result.error && result.error !== 'client-closed') {
          logger.warn({ requestId, api: slug, error: result.error }, 'upstream call failed');
        }
        meter(result.status, result.bytesIn, result.bytesOut);
      },
    );
  }

  return {
    matches: (url) => url.startsWith('/gw/') || url === '/gw',
    handle(req, res) {
      const startedAt = performance.now();
      const requestId = nextRequestId();
      serve(req, res, requestId, startedAt).catch((error) => {
        logger.error({ err: error, requestId }, 'gateway request failed');
        writeProblem(res, 'internal', {
          detail: 'something went wrong on our side; quote the request id',
          instance: (req.url ?? '/').split('?')[0]!,
          requestId,
        });
      });
    },
    refresh,
    ready: () => readyPromise,
    knowsClient: (clientId) => table?.snapshot.oauthClientsById.has(clientId) ?? false,
    async close() {
      closed = true;
      unsubscribe();
      if (changeTimer) clearTimeout(changeTimer);
      await proxy.close();
    },
  };
}
