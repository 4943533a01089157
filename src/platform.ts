import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type ChangeFeed, createLocalChangeFeed, createPostgresChangeFeed } from './db/changes.js';
import { type Database, openDatabase } from './db/client.js';
import { buildApp } from './http/app.js';
import { OAuthServer } from './modules/access/oauth.js';
import { AccessService, type ApiDirectory } from './modules/access/service.js';
import { AuditLedger } from './modules/audit/service.js';
import { loadOrCreateSigningKey } from './modules/audit/signing.js';
import { CatalogService } from './modules/catalog/service.js';
import type { Principal } from './modules/identity/principal.js';
import { IdentityService } from './modules/identity/service.js';
import { version } from './version.js';

export interface Platform {
  config: Config;
  database: Database;
  audit: AuditLedger;
  identity: IdentityService;
  catalog: CatalogService;
  access: AccessService;
  oauth: OAuthServer;
  changes: ChangeFeed;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Overrides where PGlite lives (tests pass `memory://`); DATA_DIR still holds the keys. */
  pgliteDir?: string;
}

/** The composition root: config → database (migrated) → services → HTTP app. Nothing starts listening here. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: options.pgliteDir ?? config.dataDir,
  });
  let changes: ChangeFeed | undefined;
  try {
    await database.migrate();
    changes = config.databaseUrl
      ? await createPostgresChangeFeed(config.databaseUrl)
      : createLocalChangeFeed();
    const signingKey = await loadOrCreateSigningKey(config.dataDir);
    const audit = new AuditLedger({ db: database.db, clock, signingKey });
    const identity = new IdentityService({
      db: database.db,
      clock,
      audit,
      sessionTtlHours: config.sessionTtlHours,
    });
    const catalog = new CatalogService({ db: database.db, clock, audit, changes });
    const apis: ApiDirectory = {
      visibleApi: async (principal, apiId) => {
        const api = await (catalog as unknown as { get(p: Principal, id: string): Promise<{ id: string; orgId: string; slug: string }> }).get(principal, apiId);
        return { id: api.id, orgId: api.orgId, slug: api.slug };
      },
      slugs: async (apiIds) => {
        const all = await (catalog as unknown as { snapshotApis(): Promise<{ id: string; slug: string }[]> }).snapshotApis();
        return all.filter((api) => apiIds.includes(api.id)).map((api) => api.slug);
      },
    };
    const access = new AccessService({ db: database.db, clock, audit, changes, apis });
    const oauth = new OAuthServer({ dataDir: config.dataDir, clock, access, apis, audit });
    await oauth.init();
    const logger =
      options.logger ??
      (config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
          });
    const app = await buildApp({
      database,
      identity,
      audit,
      catalog,
      access,
      oauth,
      logger,
      secureCookies: config.secureCookies,
      version,
    });
    return {
      config,
      database,
      audit,
      identity,
      catalog,
      access,
      oauth,
      changes,
      app,
      close: async () => {
        await app.close();
        await changes?.close();
        await database.close();
      },
    };
  } catch (error) {
    await changes?.close();
    await database.close();
    throw error;
  }
}
