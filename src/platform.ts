import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import { buildApp } from './http/app.js';
import { AuditLedger } from './modules/audit/service.js';
import { loadOrCreateSigningKey } from './modules/audit/signing.js';
import { IdentityService } from './modules/identity/service.js';
import { version } from './version.js';

export interface Platform {
  config: Config;
  database: Database;
  audit: AuditLedger;
  identity: IdentityService;
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
  try {
    await database.migrate();
    const signingKey = await loadOrCreateSigningKey(config.dataDir);
    const audit = new AuditLedger({ db: database.db, clock, signingKey });
    const identity = new IdentityService({
      db: database.db,
      clock,
      audit,
      sessionTtlHours: config.sessionTtlHours,
    });
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
      logger,
      secureCookies: config.secureCookies,
      version,
    });
    return {
      config,
      database,
      audit,
      identity,
      app,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
