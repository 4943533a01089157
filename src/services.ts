import path from 'node:path';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Database, type Db, openDatabase } from './db/client.js';
import { RequestTransactions } from './db/request-transaction.js';
import { apiRetirementNotice, apiSunsetReminders } from './flows/api-retirement.js';
import { labSeatProvisioning } from './flows/lab-seat-provisioning.js';
import { probingNotice } from './flows/probing-notice.js';
import type { ModuleServices } from './http/modules.js';
import { type ChangeFeed, createLocalChangeFeed, createPostgresChangeFeed } from './infra/change-feed.js';
import { DuckEngine } from './infra/duck-engine.js';
import { createFailpoints, type Failpoints } from './infra/failpoints.js';
import { AgreementService } from './modules/access/agreements.js';
import { OAuthServer } from './modules/access/oauth.js';
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
import { HolidayCalendar, TransferService, transferReminders } from './modules/crossborder/index.js';
import { DeclarationService } from './modules/declarations/index.js';
import { UsageService } from './modules/gateway/usage.js';
import { HarvestService } from './modules/harvest/index.js';
import { loadOrCreateSecretKey, SingleSignOn } from './modules/identity/oidc.js';
import type { Location } from './modules/identity/schema.js';
import { IdentityService } from './modules/identity/service.js';
import { LabModels } from './modules/lab/models.js';
import { ModelPublication } from './modules/lab/publication.js';
import { labSeatReminders } from './modules/lab/reminders.js';
import { LabService } from './modules/lab/service.js';
import { LabTwins } from './modules/lab/twins.js';
import { GrantFiles } from './modules/query/grant-files.js';
import { readGrantSources } from './modules/query/grant-sources.js';
import { RefusalLog } from './modules/query/refusals.js';
import { QueryService } from './modules/query/service.js';
import { QueryWorkerPool } from './modules/query/workers.js';
import { RegulatorService } from './modules/regulator/index.js';
import { loadOrCreateUrlKey, SharingService } from './modules/sharing/index.js';
import type { StartupPhases } from './startup-phases.js';

/**
 * Every module's service over one migrated database, and what they share: what the platform
 * serves, and all the demo seed needs. Nothing here listens, runs on a timer or sweeps.
 */
export interface PlatformServices extends Omit<ModuleServices, 'gateway'> {
  config: Config;
  database: Database;
  engine: DuckEngine;
  changes: ChangeFeed;
  close(): Promise<void>;
}

/** What the composition root (./platform.ts) wires into the jobs, the gateway and the HTTP app. */
export interface ServiceWiring {
  clock: Clock;
  /** The request-scoped transactions every service writes through (src/http/idempotency.ts). */
  transactions: RequestTransactions;
  /** The database itself, under the request-scoped one: the embedded advisory locks take it. */
  unscopedDb: Db;
  failpoints: Failpoints | undefined;
  refusals: RefusalLog;
  grantFiles: GrantFiles;
  /** Operator-verified locations (null: not verified), for the cross-boundary gate at every exit. */
  locationsOf(orgIds: string[]): Promise<Map<string, Location | null>>;
}

export interface ServiceOptions {
  clock?: Clock;
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
}

/** config → database (migrated) → every module's service. `stp seed` stops here; `createPlatform` goes on. */
export async function createServices(
  config: Config,
  options: ServiceOptions = {},
): Promise<PlatformServices & { wiring: ServiceWiring }> {
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
  let engine: DuckEngine | undefined;
  let workers: QueryWorkerPool | undefined;
  let refusals: RefusalLog | undefined;
  let webhookWorker: WebhookService | undefined;
  let harvester: HarvestService | undefined;
  // Stops what started, newest first; each step runs even if an earlier one failed.
  const shutdown = async () => {
    await harvester?.stop().catch(() => {});
    await webhookWorker?.stop().catch(() => {});
    workers?.close();
    await refusals?.close().catch(() => {});
    engine?.close();
    await changes?.close().catch(() => {});
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
      refusals,
      maxJobMs: config.labJobTimeoutMs,
    });
    const labTwins = new LabTwins({
      db: database.db,
      clock,
      audit,
      engine,
      labs,
      workers,
      refusals,
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
    const modelPublication = new ModelPublication({
      db: database.db,
      clock,
      audit,
      changes,
      labs,
      catalog,
      access,
    });
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
    return {
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
      modelPublication,
      labTwins,
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
      reminders,
      config,
      database,
      engine,
      changes,
      close: shutdown,
      wiring: { clock, transactions, unscopedDb: opened.db, failpoints, refusals, grantFiles, locationsOf },
    };
  } catch (error) {
    await shutdown();
    throw error;
  }
}
