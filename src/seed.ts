import { type Config, ConfigError, generatePassword } from './config.js';
import { demoCommunity } from './demo/community.js';
import { seedDemoConsents } from './demo/consent.js';
import { seedDemoDatasets } from './demo/datasets.js';
import { seedDemoLab } from './demo/lab.js';
import { seedDemoCommunity } from './demo/seed.js';
import { seedDemoWishes } from './demo/wishes.js';
import { AppError } from './errors.js';
import { checkPasswordPolicy, generateAcceptedPassword } from './modules/identity/password-policy.js';
import type { PlatformServices } from './services.js';
import type { StartupPhases } from './startup-phases.js';

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

/**
 * Bootstraps the operator, seeds the demo when asked, and makes sure both are in place: what
 * `stp seed` does over the services alone, and `stp serve` before it listens.
 */
export async function prepare(platform: PlatformServices, phases?: StartupPhases): Promise<string[]> {
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
