import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import { createFailpoints } from './infra/failpoints.js';
import { AuditLedger } from './modules/audit/service.js';
import { loadOrCreateSigningKey } from './modules/audit/signing.js';

/** The evidence ledger over its database and nothing else, for commands that only read it. */
export interface OpenLedger {
  audit: AuditLedger;
  database: Database;
  close(): Promise<void>;
}

/**
 * Opens the database (migrated, as a platform start would leave it) and the ledger with the
 * platform's signing key. `stp audit verify` and `stp audit export` need no more: no DuckDB, no
 * HTTP app, no scheduled jobs or sweeps, so they answer in the time it takes to open the database.
 */
export async function openLedger(config: Config): Promise<OpenLedger> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const audit = new AuditLedger({
      db: database.db,
      clock: systemClock,
      signingKey: await loadOrCreateSigningKey(config.dataDir),
      failpoints: createFailpoints(config.failpoints),
    });
    return { audit, database, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
