import type { Config } from './config.js';
import { type RunningUpstream, startBuildingEnergyUpstream } from './demo/building-energy.js';
import { seedDemoApi } from './demo/seed.js';
import { createPlatform, type Platform, type PlatformOptions } from './platform.js';
import { checkConfiguredPasswords, prepare } from './seed.js';
import { removeServerRecord, writeServerRecord } from './server-record.js';
import { StartupPhases } from './startup-phases.js';

export interface StartedServer {
  platform: Platform;
  url: string;
  close(): Promise<void>;
  /** Lines for a person: where to go, how to sign in. Printed once by `stp serve`. */
  banner: string[];
}

export interface StartServerOptions extends PlatformOptions {
  /**
   * Whether this process is the one that prepares the operator and the demo, runs the jobs that
   * run once per cluster and writes `server.json` (default true). Under `stp serve --workers N`
   * only the first worker is; the others serve requests alone.
   */
  leads?: boolean;
}

/** `options` as for createPlatform (the browser journeys start from the tests' database template). */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<StartedServer> {
  // From the process's start: loading the code is part of starting.
  const phases = options.phases ?? new StartupPhases(0);
  const leads = options.leads ?? true;
  await checkConfiguredPasswords(config);
  phases.mark('loading code, password checks');
  const platform = await createPlatform(config, { ...options, phases, runsOneNodeJobs: leads });
  let upstream: RunningUpstream | undefined;
  try {
    const setup = leads ? await prepare(platform, phases) : [];
    if (config.demo && leads) {
      upstream = await startBuildingEnergyUpstream();
      const api = await seedDemoApi(platform, upstream.url);
      setup.push(
        `Demo API: ${api.slug} (Kowloon Land), upstream ${upstream.url}, gateway path /gw/${api.slug}/`,
      );
      phases.mark('demo API');
    }
    const address = await platform.app.listen({ port: config.port, host: config.host });
    phases.mark('listen');
    platform.app.log.info(
      { startup: { totalMs: phases.totalMs, phases: phases.phases } },
      `started in ${phases.summary()}`,
    );
    const url = address.replace('0.0.0.0', 'localhost');
    if (leads) await writeServerRecord(config.dataDir, url);
    const banner = [
      `STP Platform is running at ${url}/ (${platform.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
      `  API reference: ${url}/docs   OpenAPI: ${url}/openapi.json   health: ${url}/healthz`,
      ...setup,
    ];
    const close = async () => {
      if (leads) await removeServerRecord(config.dataDir);
      await platform.close();
      await upstream?.close();
    };
    return { platform, url, banner, close };
  } catch (error) {
    await upstream?.close();
    await platform.close();
    throw error;
  }
}
