import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import sjson from 'secure-json-parse';
import Type from 'typebox';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { RequestTransactions } from '../db/request-transaction.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { Failpoints } from '../infra/failpoints.js';
import { gatewayServerFactory } from '../modules/gateway/server.js';
import { installAuthentication } from './auth.js';
import { installCsrfProtection } from './csrf.js';
import { installSecurityHeaders } from './headers.js';
import { installIdempotency } from './idempotency.js';
import { type ModuleServices, moduleRoutes } from './modules.js';
import { defaultPortalDir, installPortal, type Portal } from './portal.js';
import { answerFrameworkError, installProblemHandlers, ProblemSchema, sendProblem } from './problem.js';
import { sharedSchemaCompilers } from './schema-compilers.js';

export interface AppDeps extends ModuleServices {
  database: Database;
  /** DuckDB, for its count of open connections in /metrics (a leak shows as a figure that only grows). */
  engine?: { readonly openConnections: number };
  logger: FastifyBaseLogger;
  secureCookies: boolean;
  /** STP_PUBLIC_URL: the origin browsers use, when a proxy hides it (cross-origin checks, ./csrf.ts). */
  publicUrl?: string;
  version: string;
  maxUploadBytes: number;
  /** The built portal (`web/dist` unless set); without one, `/` shows the API reference. */
  portalDir?: string;
  /** Idempotency-Key: the request-scoped transactions the database was opened with (./idempotency.ts). */
  idempotency: { transactions: RequestTransactions; clock: Clock; failpoints?: Failpoints };
  /** What the partial-file sweeps removed since start, for /metrics. */
  sweeps?: { readonly removedFiles: number; readonly removedBytes: number };
  /** Runs of each scheduled job on this node, for /metrics. */
  schedule?: { readonly counts: ReadonlyMap<string, { ran: number; skipped: number; failed: number }> };
  /** The gateway meter's crash spool, for /metrics. */
  spool?: { readonly appends: number; readonly replayedCalls: number };
}

/** What `/readyz` tells a caller to wait before asking again when the database does not answer. */
const readinessRetryAfterSeconds = 5;

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The name a shared schema takes under `components/schemas`: its `$id`, or the last segment of a URL
 * `$id` without `.json`. A name must match `^[a-zA-Z0-9._-]+$` (OpenAPI 3.1, Components Object), and
 * a `/` in it would turn its `$ref` into a JSON Pointer to a place that does not exist.
 */
function componentName(id: unknown, index: number): string {
  if (typeof id !== 'string') return `def-${index}`;
  const name = (id.split('/').pop() ?? id).replace(/\.json$/, '');
  return name.replace(/[^a-zA-Z0-9._-]/g, '-') || `def-${index}`;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    serverFactory: gatewayServerFactory(deps.gateway),
    bodyLimit: 1024 * 1024,
    frameworkErrors: answerFrameworkError,
    // Keep a caller's request id when it is sane, so one id follows a call through proxies and logs.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : newId('request');
    },
    ajv: {
      // Unknown fields are an error, not silently dropped: a typo in a policy must not pass unnoticed.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: sharedSchemaCompilers,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ProblemSchema);
  // Our own JSON parser so a malformed body is answered with where it broke ("…at position 12"),
  // still refusing __proto__ and constructor.prototype keys (prototype poisoning).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, sjson.parse(body as string, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(
        new AppError('malformed-json', `the body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
    }
  });
  await app.register(cookie);
  // Uploads stream through to disk: the file part is never buffered in memory.
  await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes, files: 1 } });
  let portal: Portal | undefined;
  const registry = new Registry();
  const storageFailures = new Counter({
    name: 'stp_storage_failures_total',
    help: 'Requests refused because the disk under DATA_DIR was full (storage-full) or not writable (storage-unavailable)',
    labelNames: ['code', 'errno'] as const,
    registers: [registry],
  });
  installProblemHandlers(app, {
    pageFallback: (request, reply) => portal?.serveIndex(request, reply) ?? false,
    onStorageFailure: (failure) => storageFailures.inc({ code: failure.code, errno: failure.errno }),
  });
  installCsrfProtection(app, { publicUrl: deps.publicUrl, isTls: deps.secureCookies });
  installAuthentication(app, deps.identity);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Secure cookies are the TLS setting: HSTS is sent only when the platform is served over HTTPS.
  installSecurityHeaders(app, { isTls: deps.secureCookies });

  installIdempotency(app, { db: deps.database.db, ...deps.idempotency });

  // Metrics.
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'stp_http_request_duration_seconds',
    help: 'Control-plane HTTP requests by route, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Which process answered: behind a shared port (`stp serve --workers N`) each worker has its own
  // metrics, and a scrape says whose they are.
  new Gauge({
    name: 'stp_process_info',
    help: 'Always 1; the pid label names the process that answered this scrape',
    labelNames: ['pid'] as const,
    registers: [registry],
  }).set({ pid: String(process.pid) }, 1);
  const { engine } = deps;
  if (engine) {
    new Gauge({
      name: 'stp_duckdb_open_connections',
      help: 'DuckDB connections handed out and not yet closed (governed queries, ingest, exports)',
      registers: [registry],
      collect() {
        this.set(engine.openConnections);
      },
    });
  }
  const { sweeps, spool, schedule } = deps;
  if (schedule) {
    new Gauge({
      name: 'stp_scheduled_job_runs_total',
      help: 'Turns of each scheduled job on this node since start: ran, skipped (another node held its lock) or failed',
      labelNames: ['job', 'outcome'],
      registers: [registry],
      collect() {
        for (const [job, counts] of schedule.counts) {
          for (const outcome of ['ran', 'skipped', 'failed'] as const)
            this.set({ job, outcome }, counts[outcome]);
        }
      },
    });
  }
  if (sweeps) {
    new Gauge({
      name: 'stp_swept_files_total',
      help: 'Files left by interrupted uploads and conversions that the sweeps removed since start',
      registers: [registry],
      collect() {
        this.set(sweeps.removedFiles);
      },
    });
    new Gauge({
      name: 'stp_swept_bytes_total',
      help: 'Bytes of the files the partial-file sweeps removed since start',
      registers: [registry],
      collect() {
        this.set(sweeps.removedBytes);
      },
    });
  }
  if (spool) {
    new Gauge({
      name: 'stp_metering_spool_appends_total',
      help: 'Batches of gateway calls appended (and fsynced) to the metering spool since start',
      registers: [registry],
      collect() {
        this.set(spool.appends);
      },
    });
    new Gauge({
      name: 'stp_metering_spool_replayed_calls_total',
      help: 'Gateway calls found in the spool at start, not yet committed, and committed then',
      registers: [registry],
      collect() {
        this.set(spool.replayedCalls);
      },
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  // OpenAPI and docs.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'STP Platform API',
        version: deps.version,
        description:
          'Control plane of STP Platform: identity, API hub, data products, governed access and the evidence ledger. ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'stp_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'a personal access token (stp_pat_…)' },
          ckanToken: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'CKAN clients: a personal access token, bare or after "Bearer"',
          },
          deltaSharingRecipient: {
            type: 'http',
            scheme: 'bearer',
            description: 'a Delta Sharing recipient token (stp_dsr_…) from a profile file',
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => componentName(json.$id, i) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const publicRoute = { config: { public: true }, schema: { hide: true } } as const;

  app.get('/openapi.json', publicRoute, async () => app.swagger());
  portal = await installPortal(app, deps.portalDir ?? defaultPortalDir);

  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], security: [], response: { 200: Type.Object({ status: Type.String() }) } },
    },
    async () => ({
      status: 'ok',
    }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: { tags: ['health'], security: [], summary: 'Ready when the database answers' },
    },
    async (request, reply) => {
      try {
        await deps.database.ping();
        return { status: 'ready', database: deps.database.kind };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        reply.header('retry-after', String(readinessRetryAfterSeconds));
        return sendProblem(request, reply, 'unavailable', 'the database does not answer');
      }
    },
  );

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });

  const routeOptions = { secureCookies: deps.secureCookies, maxUploadBytes: deps.maxUploadBytes };
  for (const register of moduleRoutes) await register(app, deps, routeOptions);

  return app;
}
