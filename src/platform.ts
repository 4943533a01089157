import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import type { Config } from './config.js';
import {
  type AdvisoryLocks,
  createEmbeddedAdvisoryLocks,
  createPostgresAdvisoryLocks,
} from './db/advisory-locks.js';
import { buildApp } from './http/app.js';
import { sweepIdempotencyKeys } from './http/idempotency.js';
import { logSerializers } from './http/logging.js';
import type { ModuleServices } from './http/modules.js';
import { Sweeper } from './infra/sweeps.js';
import { gatewayAudience, tokenIssuer } from './modules/access/oauth.js';
import { createGateway, type Gateway } from './modules/gateway/handler.js';
import { createLimits, type LimitShare, type Limits } from './modules/gateway/limiter.js';
import { DatabaseUsageSink, Meter } from './modules/gateway/metering.js';
import { controlPlaneSnapshotSource } from './modules/gateway/source.js';
import { FileSpool, replaySpool } from './modules/gateway/spool.js';
import { createJwtVerifier } from './modules/gateway/tokens.js';
import { modelServing } from './modules/lab/serving.js';
import { Schedule, type ScheduledJob } from './schedule.js';
import { createServices, type PlatformServices, type ServiceOptions } from './services.js';
import { version } from './version.js';

/** The running platform: every module's service (./http/modules.ts), the HTTP app and what they share. */
export interface Platform extends PlatformServices, ModuleServices {
  meter: Meter;
  app: FastifyInstance;
}

export interface PlatformOptions extends ServiceOptions {
  /** Where the platform's own logger (its level and redaction) writes; default stdout. Tests capture it. */
  logDestination?: DestinationStream;
  /** In a gateway worker process: its part of every limit it decides in process (no Redis). */
  localLimitShare?: LimitShare;
  /**
   * Whether this process takes turns at the jobs that run on one node at a time (default true).
   * `stp serve --workers N` leaves them to its first worker: the advisory locks would keep them to
   * one run anyway, but N processes asking for them every second is N times the lock traffic.
   */
  runsOneNodeJobs?: boolean;
}

/** Leftover files younger than this may belong to an upload in progress and are not swept. */
const leftoverMinAgeMs = 10 * 60_000;
/** A training job whose heartbeat (every 10 s) is older than this has no node running it. */
const labJobStaleMs = 60_000;

/** The composition root: config → database (migrated) → services → HTTP app. Nothing starts listening here. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const logOptions = {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
    serializers: logSerializers,
  };
  const logger =
    options.logger ?? (options.logDestination ? pino(logOptions, options.logDestination) : pino(logOptions));
  const { wiring, ...platformServices } = await createServices(config, { ...options, logger });
  const {
    config: _config,
    database,
    engine,
    changes,
    close: closeServices,
    ...moduleServices
  } = platformServices;
  const { clock, transactions, unscopedDb, failpoints, refusals, grantFiles, locationsOf } = wiring;
  const phases = options.phases;
  let oauthReload: (() => void) | undefined;
  let dataPlane: { gateway: Gateway; meter: Meter; limits: Limits } | undefined;
  let locks: AdvisoryLocks | undefined;
  let schedule: Schedule | undefined;
  let sweeper: Sweeper | undefined;
  // Stops what started, newest first; each step runs even if an earlier one failed.
  const shutdown = async (app?: FastifyInstance) => {
    await app?.close().catch(() => {});
    oauthReload?.();
    await dataPlane?.gateway.close().catch(() => {});
    await dataPlane?.meter.close().catch(() => {});
    await dataPlane?.limits.close().catch(() => {});
    await schedule?.stop();
    await sweeper?.stop();
    await locks?.close().catch(() => {});
    await closeServices();
  };
  try {
    const {
      access,
      agreements,
      audit,
      catalog,
      consents,
      datasets,
      deletions,
      harvest,
      identity,
      labs,
      labModels,
      labTwins,
      oauth,
      reminders,
      sharing,
      transfers,
      webhooks,
    } = moduleServices;
    const sweeps = new Sweeper({
      fileSweeps: [(age) => datasets.sweepPartialFiles(age), (age) => sharing.sweepPartialFiles(age)],
      rowSweeps: [(now) => sweepIdempotencyKeys(database.db, now)],
      clock,
      logger: logger.child({ component: 'sweeps' }),
    });
    sweeper = sweeps;
    const jobs: ScheduledJob[] = [
      // End dates take effect within a second: the sweep expires what is due and rebuilds the snapshot.
      {
        name: 'subscription-expiry',
        everyMs: 1_000,
        runsOn: 'one-node',
        run: () => access.expireDue(),
      },
      // Expiry is enforced on every use; this only writes each expiry into the ledger soon after.
      {
        name: 'agreement-expiry',
        everyMs: 60_000,
        runsOn: 'one-node',
        run: () => agreements.recordExpiries(),
      },
      {
        name: 'transfer-deadlines',
        everyMs: 60_000,
        runsOn: 'one-node',
        run: () => transfers.sweep(),
      },
      { name: 'reminders', everyMs: 60_000, runsOn: 'one-node', run: () => reminders.run() },
      // Training jobs: each node keeps its own jobs' heartbeat; one node fails those whose heartbeat stopped.
      {
        name: 'lab-job-heartbeats',
        everyMs: 10_000,
        runsOn: 'every-node',
        run: () => labModels.heartbeat(),
      },
      {
        name: 'lab-jobs-abandoned',
        everyMs: 30_000,
        runsOn: 'one-node',
        run: () => labModels.failAbandoned(labJobStaleMs),
      },
      // Lab seats end with their agreement or their own end date: refused on use, recorded here.
      {
        name: 'lab-seat-expiry',
        everyMs: 1_000,
        runsOn: 'one-node',
        run: () => labs.expireSeats(),
      },
      // A dataset's new version reaches its lab copies, and each lab dataset with a twin gets the next one.
      {
        name: 'lab-dataset-versions',
        everyMs: 60_000,
        runsOn: 'one-node',
        run: async () => {
          await labs.refreshCopies();
          await labTwins.regenerateStale();
        },
      },
      // Deletion requests past their deadline go to both parties and the regulator's queue.
      {
        name: 'deletion-deadlines',
        everyMs: 60_000,
        runsOn: 'one-node',
        run: () => deletions.escalateOverdue(),
      },
      // The gateway refuses a retired version's calls by its clock; this records each sunset and tells its callers.
      {
        name: 'api-version-sunsets',
        everyMs: 60_000,
        runsOn: 'one-node',
        run: () => catalog.recordSunsets(),
      },
      // Harvest sources whose interval has passed.
      { name: 'harvest', everyMs: 60_000, runsOn: 'one-node', run: () => harvest.runDue() },
      // Each notification's deliveries, written in its transaction; nodes share them out row by row.
      {
        name: 'webhook-deliveries',
        everyMs: 1_000,
        runsOn: 'every-node',
        run: () => webhooks.deliverDue(),
      },
      // This node's refusal windows that have closed.
      {
        name: 'refusal-summaries',
        everyMs: 60_000,
        runsOn: 'every-node',
        run: () => refusals!.flush(false),
      },
      {
        name: 'leftover-files',
        everyMs: config.sweepIntervalMs,
        runsOn: 'one-node',
        run: () => sweeps.run(leftoverMinAgeMs),
      },
      // Grant files unused for a week, and partial writes that died, go; live grants are rewritten on use.
      {
        name: 'grant-files',
        everyMs: 3_600_000,
        runsOn: 'one-node',
        run: async () => {
          const swept = await grantFiles.sweep(7 * 86_400_000);
          if (swept.removed > 0) logger.info({ component: 'grant-files', ...swept }, 'grant files swept');
        },
      },
    ];
    const runsOneNodeJobs = options.runsOneNodeJobs ?? true;
    const scheduled = jobs.filter((job) => job.runsOn === 'every-node' || runsOneNodeJobs);
    // Jobs that run on one node at a time take an advisory lock each (src/schedule.ts): on
    // PostgreSQL, a session per such job, so none waits for another's to be free.
    locks = config.databaseUrl
      ? createPostgresAdvisoryLocks(
          config.databaseUrl,
          scheduled.filter((job) => job.runsOn === 'one-node').length,
        )
      : createEmbeddedAdvisoryLocks(unscopedDb);
    schedule = new Schedule({ locks, logger: logger.child({ component: 'schedule' }) });
    for (const job of scheduled) schedule.add(job);
    if (runsOneNodeJobs) {
      // PGlite locks DATA_DIR to this process, so at start everything left is a crash's; on
      // PostgreSQL, and while running on either, a young file may be an upload in progress.
      await schedule.run('leftover-files', () => sweeps.run(config.databaseUrl ? leftoverMinAgeMs : 0));
      await schedule.run('grant-files');
      // Jobs a stopped process left queued or running: on PGlite all of them are (DATA_DIR is this
      // process's alone); on PostgreSQL only those whose node's heartbeat stopped.
      await schedule.run('lab-jobs-abandoned', async () => {
        const failed = await labModels.failAbandoned(config.databaseUrl ? labJobStaleMs : 0);
        if (failed.length > 0) {
          logger.info({ jobs: failed.map((job) => job.id) }, 'training jobs of a stopped process failed');
        }
      });
    }
    phases?.mark('services and leftover sweep');
    schedule.start();
    oauthReload = changes.subscribe(() => void oauth.reload().catch(() => {}));
    const limits = createLimits(config.redisUrl, {
      fallback: config.rateLimitFallback,
      logger: logger.child({ component: 'limits' }),
      localShare: options.localLimitShare,
    });
    // Calls the last process metered and did not commit are committed before this one meters any.
    const usageSink = new DatabaseUsageSink({ db: database.db, audit });
    const { spool, leftovers } = await FileSpool.open(path.join(config.dataDir, 'spool'));
    try {
      spool.replayedCalls = await replaySpool(leftovers, usageSink);
    } catch (error) {
      await spool.close();
      throw error;
    }
    if (leftovers.files.length > 0) {
      logger.info(
        { files: leftovers.files, replayedCalls: spool.replayedCalls, tornLines: leftovers.tornLines },
        'metering spool of an earlier process replayed',
      );
    }
    const meter = new Meter(usageSink, { logger: logger.child({ component: 'metering' }), spool });
    const gateway = createGateway({
      source: controlPlaneSnapshotSource({
        catalog,
        access,
        changes,
        clock,
        activeOrganisations: () => identity.activeOrganisationIds(),
        consentGates: () => consents.snapshotGates(),
        crossBoundary: { apiFlows: () => transfers.snapshotApiFlows(), locationsOf },
      }),
      verifier: createJwtVerifier({
        getKeys: () => oauth.jwks(),
        issuer: tokenIssuer,
        audience: gatewayAudience,
      }),
      limits,
      meter,
      clock,
      // Released Data Lab models published as APIs are answered by the platform itself.
      builtins: { 'lab-model': modelServing(database.db) },
      logger: logger.child({ component: 'gateway' }),
      options: {
        headersTimeoutMs: config.upstreamTimeoutMs,
        breaker: {
          maxConcurrent: config.upstreamConcurrency,
          failureThreshold: config.breakerFailures,
          cooldownMs: config.breakerCooldownMs,
        },
      },
    });
    dataPlane = { gateway, meter, limits };
    phases?.mark('gateway and metering spool');
    const services: ModuleServices = { ...moduleServices, gateway };
    const app = await buildApp({
      ...services,
      engine,
      database,
      logger,
      maxUploadBytes: config.maxUploadBytes,
      secureCookies: config.secureCookies,
      publicUrl: config.publicUrl,
      version,
      idempotency: { transactions, clock, failpoints },
      sweeps: sweeper,
      schedule,
      spool,
    });
    phases?.mark('HTTP routes');
    return {
      ...platformServices,
      ...services,
      app,
      meter,
      close: () => shutdown(app),
    };
  } catch (error) {
    await shutdown();
    throw error;
  }
}
