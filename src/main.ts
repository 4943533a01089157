import { type Config, ConfigError, generatePassword } from './config.js';
import { type RunningUpstream, startBuildingEnergyUpstream } from './demo/building-energy.js';
import { demoCommunity } from './demo/community.js';
import { seedDemoConsents } from './demo/consent.js';
import { seedDemoDatasets } from './demo/datasets.js';
import { seedDemoLab } from './demo/lab.js';
import { seedDemoApi, seedDemoCommunity } from './demo/seed.js';
import { seedDemoWishes } from './demo/wishes.js';
import { AppError } from './errors.js';
import { checkPasswordPolicy, generateAcceptedPassword } from './modules/identity/password-policy.js';
import { createPlatform, type Platform, type PlatformOptions } from './platform.js';
import { removeServerRecord, writeServerRecord } from './server-record.js';
import { StartupPhases } from './startup-phases.js';

export interface StartedServer {
  platform: Platform;
  url: string;
  close(): Promise<void>;
  /** Lines for a person: where to go, how to sign in. Printed once by `stp serve`. */
  banner: string[];
}

/**
 * Refuses, before anything starts, an operator or demo password the password policy would refuse
 * later: a ConfigError, one sentence naming the variable and the rule.
 */
export async function checkConfiguredPasswords(config: Config): Promise<void> {
  const checks: { variable: string; password: string | undefined; emails: string[] }[] = [
    { variable: 'STP_ADMIN_PASSWORD', password: config.adminPassword, emails: [config.adminEmail] },
    {
      variable: 'STP_DEMO_PASSWORD',
      password: config.demo ? config.demoPassword : undefined,
      emails: demoCommunity.map((demo) => demo.user.email),
    },
  ];
  for (const { variable, password, emails } of checks) {
    if (password === undefined) continue;
    try {
      for (const email of emails) await checkPasswordPolicy(password, { email });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'password-too-weak')) throw error;
      throw new ConfigError(
        `${variable} is refused by the password policy: it ${error.message.replace(/^password: /, '')}`,
      );
    }
  }
}

/** Bootstraps the operator, seeds the demo when asked, and makes sure both are in place. */
export async function prepare(platform: Platform, phases?: StartupPhases): Promise<string[]> {
  const { config, identity } = platform;
  await checkConfiguredPasswords(config);
  const lines: string[] = [];
  const adminPassword =
    config.adminPassword ?? (await generateAcceptedPassword(generatePassword, [config.adminEmail]));
  const { created } = await identity.bootstrapOperator({ email: config.adminEmail, password: adminPassword });
  phases?.mark('operator');
  if (created) {
    lines.push(`Operator admin: ${config.adminEmail}`);
    if (!config.adminPassword) lines.push(`  password (printed once, keep it): ${adminPassword}`);
  }
  if (config.demo) {
    const demoPassword =
      config.demoPassword ??
      (await generateAcceptedPassword(
        generatePassword,
        demoCommunity.map((demo) => demo.user.email),
      ));
    const seeded = await seedDemoCommunity(identity, { adminEmail: config.adminEmail, demoPassword });
    phases?.mark('demo community');
    lines.push(
      `Demo community: ${seeded.created.length} organisations created, ${seeded.existing.length} already there`,
    );
    for (const login of seeded.logins) lines.push(`  ${login.email.padEnd(36)} ${login.organisation}`);
    if (seeded.created.length > 0 && !config.demoPassword) {
      lines.push(`  demo password for all of them (printed once, keep it): ${demoPassword}`);
    } else if (seeded.created.length > 0) {
      lines.push('  demo password: the value of STP_DEMO_PASSWORD');
    } else {
      lines.push('  demo password: as printed when the demo was first seeded (or STP_DEMO_PASSWORD)');
    }
    const datasets = await seedDemoDatasets(platform);
    phases?.mark('demo datasets');
    lines.push(
      `Demo datasets: ${datasets.created.length} created, ${datasets.existing.length} already there` +
        (datasets.agreement ? '; Qianhai FinTech holds an agreement on Harbour Bank SME customers' : ''),
    );
    const consented = await seedDemoConsents(platform);
    phases?.mark('demo consents');
    lines.push(
      `Demo consents: ${consented.consentingSubjects.length} Harbour Bank SMEs consented to Lion Rock Bank ` +
        'seeing their transaction summaries (harbour_bank_sme_transactions)',
    );
    const seededLab = await seedDemoLab(platform);
    phases?.mark('demo lab');
    lines.push(
      `Demo lab: "${seededLab.lab.name}" (hospital records, Victoria Mutual claims); ` +
        `Sha Tin AI Labs queries it at POST /v1/labs/${seededLab.lab.id}/queries`,
    );
    const seededWishes = await seedDemoWishes(platform);
    phases?.mark('demo wishes');
    lines.push(
      `Demo wishes: ${seededWishes.created.length} posted, ${seededWishes.existing.length} already there; ` +
        `${seededWishes.answered.length} answered by a published dataset (GET /v1/wishes?sort=votes)`,
    );
  }
  return lines;
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
