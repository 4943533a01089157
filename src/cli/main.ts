import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import type { JWK } from 'jose';
import type { Config, ConfigFlags } from '../config.js';
import { ConfigError } from '../config-error.js';
import { locations } from '../modules/identity/vocabulary.js';
import { version } from '../version.js';
import { registerApiCommands } from './apis.js';
import { ApiError, apiClient, unreachable, withClientFlags } from './client.js';
import { registerConsentCommands } from './consents.js';
import { forgetCredentials, readCredentials, writeCredentials } from './credentials.js';
import { registerDataCommands } from './datasets.js';
import { registerDeclarationCommands } from './declarations.js';
import { registerHarvestCommands } from './harvest.js';
import { registerLabCommands } from './lab.js';
import { emit, progressBar, table } from './output.js';
import { registerWishCommands } from './wishes.js';

/** `stp audit export` scope flags: any of them turns the export into an evidence bundle. */
interface ScopeFlags {
  org?: string;
  dataset?: string;
  agreement?: string;
  since?: string;
  until?: string;
}

interface CommonOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

/** Adds the flags every server-side command shares; each mirrors an environment variable. */
function withServerFlags(command: Command): Command {
  return command
    .option('--port <port>', 'port to listen on (PORT)')
    .option('--host <host>', 'address to listen on (HOST)')
    .option('--data-dir <dir>', 'embedded database, dataset files and keys (DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL connection string (DATABASE_URL); unset: embedded PGlite')
    .option('--redis-url <url>', 'Redis for shared rate limits (REDIS_URL)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (LOG_LEVEL)')
    .option('--json', 'machine-readable output');
}

/** Loads the configuration (and its validator) only for the commands that need one, so `--help` stays fast. */
async function configFrom(options: ConfigFlags & { demo?: boolean }): Promise<Config> {
  const { loadConfig } = await import('../config.js');
  return loadConfig(process.env, options);
}

async function readPassword(options: { password?: string; passwordStdin?: boolean }): Promise<string> {
  if (options.password) return options.password;
  if (process.env.STP_PASSWORD) return process.env.STP_PASSWORD;
  if (options.passwordStdin || !process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) return line.trim();
    throw new ConfigError('no password on standard input');
  }
  process.stderr.write('Password: ');
  const stdin = process.stdin;
  stdin.setRawMode(true);
  let password = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          process.stderr.write('\n');
          return resolve(password);
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          return reject(new ConfigError('cancelled'));
        }
        password = char === '\u007f' ? password.slice(0, -1) : password + char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

export function buildCli(): Command {
  const program = new Command('stp')
    .description('STP Platform: API hub, governed data products and the evidence ledger')
    .version(version)
    .showHelpAfterError();

  withServerFlags(program.command('serve').description('run the platform (control plane, portal, gateway)'))
    .addOption(new Option('--demo', 'seed the demo community (STP_DEMO=1)'))
    .addOption(new Option('--no-demo', 'do not seed the demo community'))
    .option(
      '--workers <n>',
      'processes sharing the port (STP_SERVE_WORKERS); default 1, more need DATABASE_URL',
    )
    .action(async (options: ConfigFlags & CommonOptions & { demo?: boolean }) => {
      // `--workers` here is serve's own setting, not the gateway's.
      const config = await configFrom({ ...options, workers: undefined, serveWorkers: options.workers });
      const workers = await import('../gateway-workers.js');
      if (config.serveWorkers > 1 && workers.isGatewaySupervisor()) {
        const supervisor = await workers.superviseGatewayWorkers({
          count: config.serveWorkers,
          log: {
            info: (message) => console.error(message),
            error: (message) => console.error(message),
          },
          onGiveUp: () => process.exit(1),
        });
        const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${supervisor.port}`;
        emit(options.json === true, { url, workers: config.serveWorkers }, () => [
          ...supervisor.banner,
          `  ${config.serveWorkers} worker processes share the port; the first runs the once-per-cluster jobs`,
          config.redisUrl
            ? `  rate limits shared through ${config.redisUrl}`
            : `  rate limits divided between the ${config.serveWorkers} workers (set REDIS_URL to share)`,
        ]);
        const shutdown = async () => {
          await supervisor.stop();
          process.exit(0);
        };
        process.once('SIGINT', () => void shutdown());
        process.once('SIGTERM', () => void shutdown());
        return;
      }
      const share = workers.gatewayWorkerShare();
      const { startServer } = await import('../main.js');
      const server = await startServer(config, { localLimitShare: share, leads: (share?.index ?? 0) === 0 });
      const shutdown = async (signal: string) => {
        server.platform.app.log.info({ signal }, 'shutting down');
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      if (share) {
        const { port } = server.platform.app.server.address() as { port: number };
        workers.announceListening(port, share.index === 0 ? server.banner : undefined);
        return;
      }
      emit(options.json === true, { url: server.url }, () => server.banner);
    });

  withServerFlags(
    program
      .command('gateway')
      .description(
        'run the data plane alone (/gw/…): share DATABASE_URL and REDIS_URL with the control plane',
      ),
  )
    .option(
      '--workers <n>',
      'processes sharing the port (STP_GATEWAY_WORKERS); default one per core with DATABASE_URL, else 1',
    )
    .action(async (options: ConfigFlags & CommonOptions) => {
      const config = await configFrom(options);
      const workers = await import('../gateway-workers.js');
      if (config.gatewayWorkers > 1 && workers.isGatewaySupervisor()) {
        const supervisor = await workers.superviseGatewayWorkers({
          count: config.gatewayWorkers,
          log: {
            info: (message) => console.error(message),
            error: (message) => console.error(message),
          },
          onGiveUp: () => process.exit(1),
        });
        const url = `http://${config.host}:${supervisor.port}`;
        emit(options.json === true, { url, workers: config.gatewayWorkers }, () => [
          `STP gateway (data plane only) at ${url}/gw/{apiSlug}/…, ${config.gatewayWorkers} worker processes`,
          config.redisUrl
            ? `  rate limits shared through ${config.redisUrl}`
            : `  rate limits divided between the ${config.gatewayWorkers} workers (set REDIS_URL to share)`,
        ]);
        const shutdown = async () => {
          await supervisor.stop();
          process.exit(0);
        };
        process.once('SIGINT', () => void shutdown());
        process.once('SIGTERM', () => void shutdown());
        return;
      }
      const share = workers.gatewayWorkerShare();
      const { createPlatform } = await import('../platform.js');
      const { createStandaloneGatewayServer } = await import('../modules/gateway/server.js');
      const platform = await createPlatform(config, { localLimitShare: share });
      await platform.gateway.ready();
      const server = createStandaloneGatewayServer(platform.gateway);
      await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
      const address = server.address() as { port: number };
      const shutdown = async () => {
        server.closeAllConnections();
        server.close();
        await platform.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
      if (share) {
        workers.announceListening(address.port);
        return;
      }
      const url = `http://${config.host}:${address.port}`;
      emit(options.json === true, { url }, () => [
        `STP gateway (data plane only) at ${url}/gw/{apiSlug}/…`,
        config.redisUrl
          ? `  rate limits shared through ${config.redisUrl}`
          : '  rate limits local to this process (set REDIS_URL to share)',
      ]);
    });

  withClientFlags(
    program.command('usage').description('metered gateway calls of your organisation (or of your APIs)'),
  )
    .option('--api <apiId>', 'one API')
    .option('--granularity <g>', 'minute, hour or day', 'day')
    .option('--from <iso>', 'start (inclusive)')
    .action(async (options: CommonOptions & { api?: string; granularity: string; from?: string }) => {
      const client = await apiClient(options);
      const query = new URLSearchParams({ granularity: options.granularity });
      if (options.api) query.set('apiId', options.api);
      if (options.from) query.set('from', options.from);
      const page = await client.request<{ items: Record<string, unknown>[] }>('GET', `/v1/usage?${query}`);
      emit(options.json === true, page, () =>
        table(page.items, [
          'period',
          'apiId',
          'subscriptionId',
          'calls',
          'status4xx',
          'status5xx',
          'rateLimited',
          'latencyP95Ms',
        ]),
      );
    });

  withServerFlags(program.command('migrate').description('apply database migrations and exit')).action(
    async (options: ConfigFlags & CommonOptions) => {
      const config = await configFrom({ ...options, logLevel: 'silent' });
      const { openDatabase } = await import('../db/client.js');
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      emit(
        options.json === true,
        { migrated: true, database: database.kind },
        () => `migrated the ${database.kind} database`,
      );
    },
  );

  withServerFlags(
    program.command('seed').description('create the operator admin and the demo community (idempotent)'),
  ).action(async (options: ConfigFlags & CommonOptions) => {
    const config = await configFrom({ ...options, demo: true, logLevel: 'silent' });
    // The services alone: seeding needs no HTTP app, gateway or scheduled jobs.
    const { createServices } = await import('../services.js');
    const { prepare } = await import('../seed.js');
    const services = await createServices(config);
    try {
      const lines = await prepare(services);
      emit(options.json === true, { lines }, () => lines);
    } finally {
      await services.close();
    }
  });

  withClientFlags(
    program.command('login').description('sign in and store a personal access token for later commands'),
  )
    .option('--email <email>', 'your e-mail address (STP_EMAIL)')
    .option('--password <password>', 'your password (STP_PASSWORD; prompted when omitted)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--org <orgId>', 'act for this organisation (default: your first active one)')
    .action(
      async (
        options: CommonOptions & { email?: string; password?: string; passwordStdin?: boolean; org?: string },
      ) => {
        const email = options.email ?? process.env.STP_EMAIL;
        if (!email) throw new ConfigError('give --email or set STP_EMAIL');
        const password = await readPassword(options);
        const client = await apiClient({ url: options.url, token: '' });
        const login = await fetch(`${client.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password, ...(options.org ? { orgId: options.org } : {}) }),
        }).catch((error: Error) => {
          throw unreachable(client.url, error);
        });
        if (!login.ok) throw new ApiError(login.status, (await login.json()) as { detail?: string });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
        const who = (await login.json()) as { organisation: { id: string; name: string } };
        const hostname = (await import('node:os')).hostname();
        const created = await client.request<{ token: { id: string }; secret: string }>(
          'POST',
          '/v1/tokens',
          { name: `stp CLI on ${hostname}`.slice(0, 100), expiresInDays: 90 },
          { cookie },
        );
        await client.request('POST', '/v1/auth/logout', undefined, { cookie }).catch(() => {});
        await writeCredentials({
          url: client.url,
          token: created.secret,
          tokenId: created.token.id,
          email,
          orgId: who.organisation.id,
        });
        emit(
          options.json === true,
          { url: client.url, email, organisation: who.organisation },
          () => `signed in to ${client.url} as ${email} for ${who.organisation.name}`,
        );
      },
    );

  withClientFlags(program.command('logout').description('revoke the stored token and forget it')).action(
    async (options: CommonOptions) => {
      const stored = await readCredentials();
      if (stored) {
        const client = await apiClient(options);
        await client.request('DELETE', `/v1/tokens/${stored.tokenId}`).catch(() => {});
        await forgetCredentials();
      }
      emit(options.json === true, { loggedOut: Boolean(stored) }, () =>
        stored ? 'signed out' : 'not signed in',
      );
    },
  );

  withClientFlags(program.command('whoami').description('who you are signed in as')).action(
    async (options: CommonOptions) => {
      const client = await apiClient(options);
      const me = await client.request<{
        user: { email: string; name: string };
        organisation: { id: string; name: string; kinds: string[] };
        role: string;
      }>('GET', '/v1/me');
      emit(
        options.json === true,
        me,
        () =>
          `${me.user.name} <${me.user.email}>, ${me.role} of ${me.organisation.name} (${me.organisation.id}; ${me.organisation.kinds.join(', ')})`,
      );
    },
  );

  const orgs = program.command('orgs').description('organisations: the directory and onboarding');
  withClientFlags(orgs.command('list').description('list organisations'))
    .option('--status <status>', 'pending, active, rejected or suspended')
    .option('--kind <kind>', 'operator, provider, consumer or regulator')
    .option('--q <text>', 'search names and descriptions')
    .option('--limit <n>', 'page size', '50')
    .action(
      async (options: CommonOptions & { status?: string; kind?: string; q?: string; limit: string }) => {
        const client = await apiClient(options);
        const query = new URLSearchParams({ limit: options.limit });
        for (const key of ['status', 'kind', 'q'] as const) if (options[key]) query.set(key, options[key]!);
        const page = await client.request<{ items: Record<string, unknown>[] }>('GET', `/v1/orgs?${query}`);
        emit(options.json === true, page, () =>
          table(page.items, ['id', 'slug', 'name', 'kinds', 'status', 'location']),
        );
      },
    );
  withClientFlags(orgs.command('show <orgId>').description('show one organisation')).action(
    async (orgId: string, options: CommonOptions) => {
      const client = await apiClient(options);
      const org = await client.request<Record<string, unknown>>(
        'GET',
        `/v1/orgs/${encodeURIComponent(orgId)}`,
      );
      emit(options.json === true, org, () =>
        Object.entries(org).map(([k, v]) => `${k.padEnd(20)} ${v ?? '-'}`),
      );
    },
  );
  withClientFlags(
    orgs.command('create').description('create an organisation (active at once when you are an operator)'),
  )
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--kinds <kinds>', 'comma-separated: provider, consumer, regulator, operator')
    .option('--sector <sector>', 'sector')
    .action(async (options: CommonOptions & { name: string; kinds: string; sector?: string }) => {
      const client = await apiClient(options);
      const org = await client.request<{ id: string; status: string }>('POST', '/v1/orgs', {
        name: options.name,
        kinds: options.kinds.split(',').map((k) => k.trim()),
        ...(options.sector ? { sector: options.sector } : {}),
      });
      emit(options.json === true, org, () => `created ${org.id} (${org.status})`);
    });
  for (const decision of ['approve', 'reject', 'suspend'] as const) {
    withClientFlags(
      orgs.command(`${decision} <orgId>`).description(`${decision} an organisation (operators)`),
    )
      .option('--reason <reason>', 'why (required to reject or suspend)')
      .action(async (orgId: string, options: CommonOptions & { reason?: string }) => {
        const client = await apiClient(options);
        const org = await client.request<{ id: string; status: string }>(
          'POST',
          `/v1/orgs/${encodeURIComponent(orgId)}/${decision}`,
          options.reason ? { reason: options.reason } : {},
        );
        emit(options.json === true, org, () => `${org.id} is now ${org.status}`);
      });
  }
  withClientFlags(
    orgs
      .command('set-location <orgId> <location>')
      .description(`record a verified location (operators): ${locations.join(', ')}`),
  )
    .option('--evidence <text>', 'what the verification rests on')
    .action(async (orgId: string, location: string, options: CommonOptions & { evidence?: string }) => {
      const client = await apiClient(options);
      const org = await client.request<{ id: string; location: string }>(
        'PUT',
        `/v1/orgs/${encodeURIComponent(orgId)}/location`,
        {
          location,
          ...(options.evidence ? { evidence: options.evidence } : {}),
        },
      );
      emit(options.json === true, org, () => `${org.id} is verified as located in ${org.location}`);
    });

  const audit = program.command('audit').description('the evidence ledger');
  withServerFlags(
    audit
      .command('verify')
      .description('recompute the hash chain (of the database, or of an export with --file)'),
  )
    .option('--file <file>', 'verify an export or an evidence bundle offline instead of the database')
    .option(
      '--public-key <file>',
      'the platform public key (JWK) for --file; default: the one in DATA_DIR/keys',
    )
    .action(async (options: ConfigFlags & CommonOptions & { file?: string; publicKey?: string }) => {
      const config = await configFrom({ ...options, logLevel: 'silent' });
      const { signingKeyPaths } = await import('../modules/audit/signing.js');
      const json = options.json === true;
      if (options.file) {
        const keyPath = options.publicKey ?? signingKeyPaths(config.dataDir).publicPath;
        const publicJwk = JSON.parse(await readFile(keyPath, 'utf8')) as JWK;
        const { isEvidenceBundle, verifyEvidenceBundle } = await import('../modules/audit/bundle.js');
        if (await isEvidenceBundle(options.file)) {
          const result = await verifyEvidenceBundle(options.file, publicJwk);
          const ok = result.signatureValid && result.problems.length === 0;
          emit(json, { ok, ...result }, () =>
            ok
              ? `evidence bundle verified: ${result.count} entries in scope ${JSON.stringify(result.manifest?.scope)}, ` +
                `signature valid, ledger head ${result.manifest?.head.seq} ${result.manifest?.head.hash}`
              : [`evidence bundle does NOT verify:`, ...result.problems.map((p) => `  - ${p}`)],
          );
          if (!ok) process.exitCode = 1;
          return;
        }
        const { verifyExport } = await import('../modules/audit/service.js');
        const result = await verifyExport(options.file, publicJwk);
        const ok = result.signatureValid && result.problems.length === 0;
        emit(json, { ok, ...result }, () =>
          ok
            ? `export verified: ${result.manifest?.count} entries, signature valid, head ${result.manifest?.headHash}`
            : [`export does NOT verify:`, ...result.problems.map((p) => `  - ${p}`)],
        );
        if (!ok) process.exitCode = 1;
        return;
      }
      const { openLedger } = await import('../ledger.js');
      const ledger = await openLedger(config);
      try {
        const bar = progressBar('verifying', json);
        const result = await ledger.audit.verify((done, total) => bar.update(done, total));
        bar.stop();
        emit(json, result, () =>
          result.ok
            ? `ledger verified: ${result.count} entries, head ${result.headSeq} ${result.headHash}`
            : `ledger BROKEN at sequence ${result.brokenSeq} (${result.problem}): ${result.detail}`,
        );
        if (!result.ok) process.exitCode = 1;
      } finally {
        await ledger.close();
      }
    });
  withServerFlags(
    audit
      .command('export')
      .description(
        'write the ledger as JSON Lines with a signed manifest, or with --org/--dataset/--agreement/--since/--until a signed evidence bundle of that scope',
      ),
  )
    .requiredOption(
      '--out <file>',
      'where to write; the manifest goes to FILE.manifest.json (a bundle is one file)',
    )
    .option('--org <orgId>', 'scope: entries by or about this organisation')
    .option('--dataset <datasetId>', 'scope: entries that touch this dataset')
    .option('--agreement <agreementId>', 'scope: entries that touch this agreement')
    .option('--since <time>', 'scope: entries at or after this ISO 8601 time')
    .option('--until <time>', 'scope: entries at or before this ISO 8601 time')
    .action(async (options: ConfigFlags & CommonOptions & { out: string } & ScopeFlags) => {
      const config = await configFrom({ ...options, logLevel: 'silent' });
      const { signingKeyPaths } = await import('../modules/audit/signing.js');
      const json = options.json === true;
      const { openLedger } = await import('../ledger.js');
      const ledger = await openLedger(config);
      try {
        if (options.org || options.dataset || options.agreement || options.since || options.until) {
          const { scopeOf } = await import('../modules/audit/scope.js');
          for (const name of ['since', 'until'] as const) {
            const value = options[name];
            if (value && Number.isNaN(Date.parse(value))) {
              throw new ConfigError(`--${name} must be an ISO 8601 time, got "${value}"`);
            }
          }
          const manifest = await ledger.audit.writeEvidenceBundle(
            options.out,
            scopeOf({
              orgId: options.org,
              datasetId: options.dataset,
              agreementId: options.agreement,
              since: options.since,
              until: options.until,
            }),
          );
          emit(json, manifest, () => [
            `wrote evidence bundle ${manifest.bundleId}: ${manifest.count} entries to ${options.out}`,
            `signed at ledger head ${manifest.head.seq} (key ${manifest.keyId})`,
            `verify offline: stp audit verify --file ${options.out} --public-key ${signingKeyPaths(config.dataDir).publicPath}`,
          ]);
          return;
        }
        const bar = progressBar('exporting', json);
        const result = await ledger.audit.exportTo(options.out, (done, total) => bar.update(done, total));
        bar.stop();
        emit(json, result, () => [
          `exported ${result.manifest.count} entries to ${options.out}`,
          `signed manifest: ${result.manifestPath} (key ${result.manifest.keyId})`,
          `verify offline: stp audit verify --file ${options.out} --public-key ${signingKeyPaths(config.dataDir).publicPath}`,
        ]);
      } finally {
        await ledger.close();
      }
    });

  registerApiCommands(program);
  registerDataCommands(program);
  registerConsentCommands(program);
  registerHarvestCommands(program);
  registerLabCommands(program);
  registerWishCommands(program);
  registerDeclarationCommands(program);

  program
    .command('bench [name]')
    .description('run benchmarks from bench/ (all, or one by name, e.g. audit)')
    .action(async (name?: string) => {
      // The benchmarks stay TypeScript (they are not part of the build): run them through tsx.
      const { register } = await import('tsx/esm/api');
      register();
      const { runBenchmarks }: typeof import('../../bench/run.js') = await import(
        new URL('../../bench/run.ts', import.meta.url).href
      );
      await runBenchmarks(name ? [name] : []);
    });

  return program;
}

export async function runCli(argv: string[] = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof ApiError) {
      process.stderr.write(
        `error: ${error.message}${error.problem.code ? ` (${error.problem.code})` : ''}\n`,
      );
    } else if (error instanceof ConfigError || (error as Error).name === 'DatabaseInUseError') {
      process.stderr.write(`error: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`error: ${(error as Error).stack ?? error}\n`);
    }
    process.exitCode = 1;
  }
}
