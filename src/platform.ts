import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, type Logger, pino } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import {
  type AdvisoryLocks,
  createEmbeddedAdvisoryLocks,
  createPostgresAdvisoryLocks,
} from './db/advisory-locks.js';
import { type Database, openDatabase } from './db/client.js';
import { RequestTransactions } from './db/request-transaction.js';
import { apiRetirementNotice, apiSunsetReminders } from './flows/api-retirement.js';
import { labSeatProvisioning } from './flows/lab-seat-provisioning.js';
import { probingNotice } from './flows/probing-notice.js';
import { buildApp } from './http/app.js';
import { sweepIdempotencyKeys } from './http/idempotency.js';
import { logSerializers } from './http/logging.js';
import type { ModuleServices } from './http/modules.js';
import { type ChangeFeed, createLocalChangeFeed, createPostgresChangeFeed } from './infra/change-feed.js';
import { DuckEngine } from './infra/duck-engine.js';
import { createFailpoints } from './infra/failpoints.js';
import { Sweeper } from './infra/sweeps.js';
import { AgreementService } from './modules/access/agreements.js';
import { gatewayAudience, OAuthServer, tokenIssuer } from './modules/access/oauth.js';
import { accessReminders } from './modules/access/reminders.js';
import { AccessService, type ApiDirectory } from './modules/access/service.js';
import { TermsTemplateService } from './modules/access/terms-templates.js';
import { AuditLedger } from './modules/audit/service.js';
import { loadOrCreateSigningKey } from './modules/audit/signing.js';
import { type Dataset, DatasetService, type DatasetVersion } from './modules/catalog/datasets.js';
import { validateDatasetRecord } from './modules/catalog/dcat-ap-validation.js';
import { CatalogueListing } from './modules/catalog/listing.js';
import { CatalogService } from './modules/catalog/service.js';
import { DirectoryService } from './modules/community/directory.js';
import { NotificationService } from './modules/community/notifications.js';
import { ReminderService } from './modules/community/reminders.js';
import { WebhookService } from './modules/community/webhooks.js';
import { catalogueTargets, WishService } from './modules/community/wishes.js';
import { DeletionRequestService } from './modules/consent/deletion.js';
import { ConsentService } from './modules/consent/service.js';
import { HolidayCalendar } from './modules/crossborder/calendar.js';
import { transferReminders } from './modules/crossborder/reminders.js';
import { TransferService } from './modules/crossborder/service.js';
import { DeclarationService } from './modules/declarations/index.js';
import { createGateway, type Gateway } from './modules/gateway/handler.js';
import { createLimits, type LimitShare, type Limits } from './modules/gateway/limiter.js';
import { DatabaseUsageSink, Meter } from './modules/gateway/metering.js';
import { controlPlaneSnapshotSource } from './modules/gateway/source.js';
import { FileSpool, replaySpool } from './modules/gateway/spool.js';
import { createJwtVerifier } from './modules/gateway/tokens.js';
import { UsageService } from './modules/gateway/usage.js';
import { HarvestService } from './modules/harvest/service.js';
import { loadOrCreateSecretKey, SingleSignOn } from './modules/identity/oidc.js';
import { IdentityService } from './modules/identity/service.js';
import { LabModels } from './modules/lab/models.js';
import { labSeatReminders } from './modules/lab/reminders.js';
import { LabService } from './modules/lab/service.js';
import { GrantFiles } from './modules/query/grant-files.js';
import { readGrantSources } from './modules/query/grant-sources.js';
import { RefusalLog } from './modules/query/refusals.js';
import { QueryService } from './modules/query/service.js';
import { QueryWorkerPool } from './modules/query/workers.js';
import { RegulatorService } from './modules/regulator/service.js';
import { SharingService } from './modules/sharing/service.js';
import { loadOrCreateUrlKey } from './modules/sharing/signing.js';
import { Schedule, type ScheduledJob } from './schedule.js';
import type { StartupPhases } from './startup-phases.js';
import { version } from './version.js';

/** The running platform: every module's service (./http/modules.ts), the HTTP app and what they share. */
export interface Platform extends ModuleServices {
  config: Config;
  database: Database;
  engine: DuckEngine;
  meter: Meter;
  changes: ChangeFeed;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  logger?: Logger;
  /** Where the platform's own logger (its level and redaction) writes; default stdout. Tests capture it. */
  logDestination?: DestinationStream;
  /** Overrides where PGlite lives (tests pass `memory://`); DATA_DIR still holds the keys. */
  pgliteDir?: string;
  /**
   * Tests only (no configuration variable reaches it): run governed SQL without the guard, so a
   * test can show that the query workers' confinement to grant files holds by itself.
   */
  unguardedQueriesForTests?: boolean;
  /** For an in-memory PGlite: the data directory to start from (tests pass a migrated template). */
  pgliteLoadDataDir?: Blob;
  /** Records where the start's time goes (`stp serve` logs it). */
  phases?: StartupPhases;
  /** In a gateway worker process: its part of every limit it decides in process (no Redis). */
  localLimitShare?: LimitShare;
}

/** Leftover files younger than this may belong to an upload in progress and are not swept. */
const leftoverMinAgeMs = 10 * 60_000;

/** The composition root: config → database (migrated) → services → HTTP app. Nothing starts listening here. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const opened = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: options.pgliteDir ?? config.dataDir,
    loadDataDir: options.pgliteLoadDataDir,
  });
  const phases = options.phases;
  phases?.mark('database');
  // Every service gets the request-scoped database: a request with an Idempotency-Key commits its
  // change and its answer in one transaction (src/http/idempotency.ts).
  const transactions = new RequestTransactions(opened.db);
  const database: Database = { ...opened, db: transactions.db };
  let changes: ChangeFeed | undefined;
  let oauthReload: (() => void) | undefined;
  let dataPlane: { gateway: Gateway; meter: Meter; limits: Limits } | undefined;
  let engine: DuckEngine | undefined;
  let workers: QueryWorkerPool | undefined;
  let refusals: RefusalLog | undefined;
  let locks: AdvisoryLocks | undefined;
  let schedule: Schedule | undefined;
  let webhookWorker: WebhookService | undefined;
  let harvester: HarvestService | undefined;
  let sweeper: Sweeper | undefined;
  // Stops what started, newest first; each step runs even if an earlier one failed.
  const shutdown = async (app?: FastifyInstance) => {
    await app?.close().catch(() => {});
    oauthReload?.();
    await dataPlane?.gateway.close().catch(() => {});
    await dataPlane?.meter.close().catch(() => {});
    await dataPlane?.limits.close().catch(() => {});
    await changes?.close().catch(() => {});
    await schedule?.stop();
    await sweeper?.stop();
    await harvester?.stop().catch(() => {});
    await webhookWorker?.stop().catch(() => {});
    workers?.close();
    await refusals?.close().catch(() => {});
    engine?.close();
    await locks?.close().catch(() => {});
    await database.close();
  };
  try {
    await database.migrate();
    phases?.mark('migrations');
    changes = config.databaseUrl
      ? await createPostgresChangeFeed(config.databaseUrl)
      : createLocalChangeFeed();
    const signingKey = await loadOrCreateSigningKey(config.dataDir);
    // Crash tests only (STP_FAILPOINTS); undefined in every real deployment.
    const failpoints = createFailpoints(config.failpoints);
    const audit = new AuditLedger({ db: database.db, clock, signingKey, failpoints });
    const identity = new IdentityService({
      db: database.db,
      clock,
      audit,
      sessionTtlHours: config.sessionTtlHours,
      sessionIdleMinutes: config.sessionIdleMinutes,
      changes,
    });
    const sso = new SingleSignOn({
      db: database.db,
      clock,
      audit,
      identity,
      secretKey: await loadOrCreateSecretKey(config.dataDir),
      allowPrivateFetch: config.allowPrivateFetch,
    });
    // Events are written in the transaction of each change, so the publisher comes before them all.
    const notifications = new NotificationService({ db: database.db, clock });
    const usage = new UsageService({ db: database.db, clock });
    const catalog = new CatalogService({
      db: database.db,
      clock,
      audit,
      changes,
      allowPrivateFetch: config.allowPrivateFetch,
      // A version's deprecation and sunset reach the organisations that called it.
      retirementNotice: apiRetirementNotice({ usage, events: notifications }),
    });
    engine = await DuckEngine.open({
      datasetsDir: path.join(config.dataDir, 'datasets'),
      labsDir: path.join(config.dataDir, 'labs'),
      memoryLimit: config.queryMemoryLimit,
      threads: config.queryThreads,
    });
    phases?.mark('DuckDB');
    // A record checked outside a request (a harvest run, a declaration) is named under the public URL.
    const recordBase = config.publicUrl ?? 'http://localhost';
    const checkDatasetRecord = async (dataset: Dataset, version: DatasetVersion | null, baseUrl?: string) =>
      validateDatasetRecord(
        dataset,
        version,
        (await identity.organisationsByIds([dataset.orgId]))[0],
        baseUrl ?? recordBase,
      );
    const datasets = new DatasetService({
      db: database.db,
      clock,
      audit,
      engine,
      dataDir: config.dataDir,
      maxUploadBytes: config.maxUploadBytes,
      // Followers of the publisher hear of it (the directory is built below, before any publish).
      onPublished: (tx, dataset) => directory.announcePublication(tx, dataset),
      checkRecord: checkDatasetRecord,
    });
    const templates = new TermsTemplateService({ db: database.db, clock, audit, datasets });
    const agreements = new AgreementService({
      db: database.db,
      clock,
      audit,
      datasets,
      templates,
      events: notifications,
      // Approving a request that names a lab gives its seat; revoking the agreement ends it.
      provisioning: labSeatProvisioning((): LabService => labs),
    });
    const deletions = new DeletionRequestService({
      db: database.db,
      clock,
      audit,
      events: notifications,
      deadlineDays: config.deletionDeadlineDays,
      coveringAgreements: (tx, consent) => agreements.coveringConsent(tx, consent),
      consentRequiredDatasets: async (tx, scope) =>
        (await datasets.consentRequired(scope, tx)).map((entry) => entry.dataset.id),
    });
    const consents = new ConsentService({
      db: database.db,
      clock,
      audit,
      changes,
      datasets,
      catalog,
      organisationsByIds: (ids) => identity.organisationsByIds(ids),
      // A revocation asks every grantee whose agreement covered the subject to delete, in its transaction.
      deletions,
    });
    const directory = new DirectoryService({ db: database.db, clock, notifications });
    const wishes = new WishService({
      db: database.db,
      clock,
      audit,
      notifications,
      targets: catalogueTargets({ datasets, apis: catalog }),
    });
    /** Operator-verified locations (null: not verified), for the cross-boundary gate at every exit. */
    const locationsOf = async (orgIds: string[]) =>
      new Map((await identity.organisationsByIds(orgIds)).map((org) => [org.id, org.location ?? null]));
    const transfers = new TransferService({
      db: database.db,
      clock,
      audit,
      notifications,
      calendar: HolidayCalendar.load(config.holidaysFile),
      locationsOf,
      changes,
    });
    workers = new QueryWorkerPool({
      workers: config.queryWorkers,
      memoryMb: config.queryMemoryMb,
      threads: config.queryThreads,
      perOrg: config.queryWorkersPerOrg,
      tempDir: path.join(config.dataDir, 'query-temp'),
      tempMb: config.queryTempMb,
    });
    refusals = new RefusalLog({
      db: database.db,
      clock,
      audit,
      // Repeated refusals of one organisation reach the owners of the data it probed.
      notifyOwners: probingNotice(notifications),
    });
    const grantFiles = new GrantFiles({ engine, dir: path.join(config.dataDir, 'grants') });
    const query = new QueryService({
      db: database.db,
      clock,
      audit,
      engine,
      grantFiles,
      workers,
      refusals,
      unguarded: options.unguardedQueriesForTests === true,
      datasets,
      agreements,
      grantSources: (orgId) =>
        readGrantSources(database.db, orgId, clock.now(), (version) => datasets.fileOf(version)),
      timeoutMs: config.queryTimeoutMs,
      gate: (flow, known) => transfers.check(flow, known),
      gateRefused: (flow, problem) => transfers.recordRefusal(flow, problem),
      consentFilters: (granteeOrgId, grants) => consents.filtersFor(granteeOrgId, grants),
    });
    const labs = new LabService({
      db: database.db,
      clock,
      audit,
      engine,
      datasets,
      query,
      events: notifications,
    });
    const labModels = new LabModels({
      db: database.db,
      clock,
      audit,
      engine,
      labs,
      workers,
      maxJobMs: config.labJobTimeoutMs,
    });
    const sharing = new SharingService({
      db: database.db,
      clock,
      audit,
      identity,
      datasets,
      agreements,
      query,
      engine,
      dataDir: config.dataDir,
      urlKey: await loadOrCreateUrlKey(config.dataDir),
    });
    const listing = new CatalogueListing({
      datasets,
      catalog,
      organisationsByIds: (ids) => identity.organisationsByIds(ids),
      downloadableDatasetIds: (principal) => sharing.downloadableDatasetIds(principal),
    });
    const webhooks = new WebhookService({
      db: database.db,
      clock,
      audit,
      allowPrivateFetch: config.allowPrivateFetch,
    });
    const reminders = new ReminderService({
      db: database.db,
      clock,
      sources: [
        accessReminders({ db: database.db, events: notifications }),
        labSeatReminders({ db: database.db, events: notifications }),
        transferReminders({ db: database.db, notifications, calendar: transfers.deps.calendar }),
        apiSunsetReminders({
          usage,
          events: notifications,
          sunsetsDue: (now, until) => catalog.sunsetsDue(now, until),
        }),
      ],
    });
    const regulator = new RegulatorService({
      db: database.db,
      clock,
      audit,
      notifications,
      identity,
      agreements,
      datasets,
      transfers,
      deletions,
    });
    const harvest = new HarvestService({
      db: database.db,
      clock,
      audit,
      datasets,
      allowPrivateFetch: config.allowPrivateFetch,
      checkRecord: (dataset) => checkDatasetRecord(dataset, null),
    });
    harvester = harvest;
    webhookWorker = webhooks;
    const apis: ApiDirectory = {
      visibleApi: async (principal, apiId) => {
        const api = await catalog.findVisible(principal, apiId);
        return { id: api.id, orgId: api.orgId, slug: api.slug };
      },
      slugs: async (apiIds) =>
        (await catalog.snapshotApis()).filter((api) => apiIds.includes(api.id)).map((api) => api.slug),
    };
    const access = new AccessService({ db: database.db, clock, audit, changes, apis, events: notifications });
    const oauth = new OAuthServer({
      dataDir: config.dataDir,
      clock,
      access,
      apis,
      audit,
      isActiveOrganisation: async (orgId) => (await identity.activeOrganisationIds()).has(orgId),
      failpoints,
      changes,
    });
    await oauth.init();
    const logOptions = {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
      serializers: logSerializers,
    };
    const logger =
      options.logger ??
      (options.logDestination ? pino(logOptions, options.logDestination) : pino(logOptions));
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
      // Lab seats end with their agreement or their own end date: refused on use, recorded here.
      {
        name: 'lab-seat-expiry',
        everyMs: 1_000,
        runsOn: 'one-node',
        run: () => labs.expireSeats(),
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
    // Jobs that run on one node at a time take an advisory lock each (src/schedule.ts): on
    // PostgreSQL, a session per such job, so none waits for another's to be free.
    locks = config.databaseUrl
      ? createPostgresAdvisoryLocks(
          config.databaseUrl,
          jobs.filter((job) => job.runsOn === 'one-node').length,
        )
      : createEmbeddedAdvisoryLocks(opened.db);
    schedule = new Schedule({ locks, logger: logger.child({ component: 'schedule' }) });
    for (const job of jobs) schedule.add(job);
    // PGlite locks DATA_DIR to this process, so at start everything left is a crash's; on
    // PostgreSQL, and while running on either, a young file may be an upload in progress.
    await schedule.run('leftover-files', () => sweeps.run(config.databaseUrl ? leftoverMinAgeMs : 0));
    await schedule.run('grant-files');
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
    const declarations = new DeclarationService({
      db: database.db,
      clock,
      audit,
      identity,
      catalog,
      access,
      templates,
      consents,
      datasets,
      webhooks,
      harvest,
      labs,
    });
    const services: ModuleServices = {
      identity,
      sso,
      audit,
      catalog,
      datasets,
      access,
      agreements,
      templates,
      query,
      labs,
      labModels,
      transfers,
      notifications,
      listing,
      sharing,
      consents,
      deletions,
      webhooks,
      regulator,
      harvest,
      wishes,
      directory,
      declarations,
      oauth,
      usage,
      gateway,
      reminders,
    };
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
      ...services,
      config,
      database,
      engine,
      changes,
      app,
      meter,
      close: () => shutdown(app),
    };
  } catch (error) {
    await shutdown();
    throw error;
  }
}
