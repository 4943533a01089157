import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../src/cli/main.js';
import { childEnv, cli, stp } from './cli-runner.js';
import { adminEmail, createTestPlatform, password, type TestPlatform } from './harness.js';
import { freePort } from './processes.js';

/** The CLI under test uses the embedded database: never the PostgreSQL that DATABASE_URL points the suite at. */
describe('stp CLI', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-cli-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('has --help and --json on every command', () => {
    const missingJson: string[] = [];
    const walk = (command: ReturnType<typeof buildCli>, trail: string) => {
      for (const sub of command.commands) {
        const name = `${trail} ${sub.name()}`;
        if (sub.commands.length > 0) walk(sub, name);
        else if (!sub.options.some((o) => o.long === '--json') && sub.name() !== 'bench')
          missingJson.push(name);
        expect(sub.helpInformation()).toContain('Usage:');
      }
    };
    walk(buildCli(), 'stp');
    expect(missingJson).toEqual([]);
  });

  it('prints help for a command', async () => {
    const help = await cli(['audit', 'export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--out <file>');
  });

  it.each([
    [
      { STP_ADMIN_PASSWORD: 'abcabcabcabcabc' },
      /^error: STP_ADMIN_PASSWORD is refused by the password policy: it repeats "abc" over and over/,
    ],
    [
      { STP_QUERY_TIMEOUT_MS: 'soon' },
      /^error: STP_QUERY_TIMEOUT_MS must be a whole number from 100 to 3600000, got "soon"/,
    ],
  ])('refuses a bad configuration at start in one sentence, without a stack: %o', async (env, message) => {
    const result = await cli(['serve', '--port', '0'], { DATA_DIR: path.join(workDir, 'refused'), ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('seeds, verifies the ledger, exports it and verifies the export offline', async () => {
    const dataDir = path.join(workDir, 'data');
    const env = { STP_ADMIN_EMAIL: adminEmail, STP_ADMIN_PASSWORD: password, STP_DEMO_PASSWORD: password };
    const seeded = await cli(['seed', '--data-dir', dataDir, '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout).lines.join('\n')).toContain('grace@harbour-bank.demo');
    // Seeding again changes nothing.
    const again = await cli(['seed', '--data-dir', dataDir, '--json'], env);
    expect(JSON.parse(again.stdout).lines.join('\n')).toContain('0 organisations created, 10 already there');

    const verified = await cli(['audit', 'verify', '--data-dir', dataDir, '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });

    const out = path.join(workDir, 'ledger.jsonl');
    const exported = await cli(['audit', 'export', '--data-dir', dataDir, '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const count = JSON.parse(exported.stdout).manifest.count;
    expect(count).toBeGreaterThan(9 * 3);

    const offline = await cli(['audit', 'verify', '--file', out, '--data-dir', dataDir]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toContain(`export verified: ${count} entries, signature valid`);
  }, 180_000);

  describe('against a running platform', () => {
    let platform: TestPlatform;
    let url: string;
    const configDir = () => path.join(workDir, 'config');

    beforeAll(async () => {
      platform = await createTestPlatform('pglite');
      url = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      await platform?.dispose();
    });

    it('logs in with a password from stdin-less env, then acts with the stored token', async () => {
      const env = { STP_CONFIG_DIR: configDir(), STP_PASSWORD: password };
      const login = await cli(['login', '--url', url, '--email', adminEmail, '--json'], env);
      expect(login.code, login.stderr).toBe(0);
      expect(JSON.parse(login.stdout).organisation.name).toBe('STP Platform Operations');

      const who = await cli(['whoami'], { STP_CONFIG_DIR: configDir() });
      expect(who.stdout).toContain(`<${adminEmail}>, owner of STP Platform Operations`);

      const created = await cli(
        ['orgs', 'create', '--name', 'Yuen Long Microchips', '--kinds', 'provider', '--json'],
        {
          STP_CONFIG_DIR: configDir(),
        },
      );
      const orgId = JSON.parse(created.stdout).id as string;
      const located = await cli(['orgs', 'set-location', orgId, 'hong-kong', '--evidence', 'BR 1234'], {
        STP_CONFIG_DIR: configDir(),
      });
      expect(located.stdout).toContain('verified as located in hong-kong');
      const list = await cli(['orgs', 'list'], { STP_CONFIG_DIR: configDir() });
      expect(list.stdout).toMatch(/ID\s+SLUG\s+NAME/);
      expect(list.stdout).toContain('yuen-long-microchips');
    });

    it('finds the server started from the same data directory without --url', async () => {
      const dataDir = path.join(workDir, 'recorded');
      await mkdir(dataDir, { recursive: true });
      // What `stp serve` writes when it listens; this test process stands in for the server's.
      await writeFile(path.join(dataDir, 'server.json'), JSON.stringify({ url, pid: process.pid }));
      const env = {
        DATA_DIR: dataDir,
        PORT: '1',
        STP_CONFIG_DIR: path.join(workDir, 'recorded-config'),
        STP_PASSWORD: password,
      };
      const login = await cli(['login', '--email', adminEmail], env);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toBe(`signed in to ${url} as ${adminEmail} for STP Platform Operations\n`);
    });

    it('explains a refusal from the server', async () => {
      const bad = await cli(['orgs', 'set-location', 'org_01m89q0v3849j3kcbv4e6qsks7', 'atlantis'], {
        STP_CONFIG_DIR: configDir(),
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('body/location: must be one of');
      expect(bad.stderr).toContain('(validation-failed)');
    });

    it('refuses a wrong password without storing anything', async () => {
      const env = { STP_CONFIG_DIR: path.join(workDir, 'other-config'), STP_PASSWORD: 'wrong password!' };
      const login = await cli(['login', '--url', url, '--email', adminEmail], env);
      expect(login.code).toBe(1);
      expect(login.stderr).toContain('invalid-credentials');
      const who = await cli(['whoami', '--url', url], { STP_CONFIG_DIR: env.STP_CONFIG_DIR });
      expect(who.stderr).toContain('unauthenticated');
    });
  });

  it('names the URL it tried and --url, in one line, when no platform answers', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const explicit = await cli(['orgs', 'list', '--url', closed]);
    expect(explicit.code).toBe(1);
    expect(explicit.stderr).toMatch(
      new RegExp(`^error: cannot reach the platform at ${closed} \\(ECONNREFUSED\\).*--url.*\\n$`),
    );

    // A record whose server is gone is ignored: then PORT, on this machine.
    const dataDir = path.join(workDir, 'stale');
    await mkdir(dataDir, { recursive: true });
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    await writeFile(
      path.join(dataDir, 'server.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9', pid: gone.pid }),
    );
    const port = new URL(closed).port;
    const login = await cli(['login', '--email', adminEmail, '--password', 'irrelevant'], {
      DATA_DIR: dataDir,
      PORT: port,
      STP_CONFIG_DIR: path.join(workDir, 'stale-config'),
    });
    expect(login.code).toBe(1);
    expect(login.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(login.stderr).toContain(`cannot reach the platform at http://127.0.0.1:${port} `);
    expect(login.stderr).not.toMatch(/\n\s+at /);
  });

  it('`stp serve` starts the seeded demo and answers on its port', async () => {
    const dataDir = path.join(workDir, 'serve-data');
    const child: ChildProcess = spawn(
      process.execPath,
      [stp, 'serve', '--port', '0', '--data-dir', dataDir, '--json'],
      {
        env: childEnv({ STP_DEMO: '1', LOG_LEVEL: 'warn', STP_DEMO_PASSWORD: password }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const { url } = await new Promise<{ url: string }>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk) => {
          out += chunk;
          const match = /"url": "([^"]+)"/.exec(out);
          if (match) resolve({ url: match[1]! });
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const health = await fetch(`${url}/readyz`);
      expect(health.status).toBe(200);
      // Where the CLI run from the same directory finds it.
      const record = JSON.parse(await readFile(path.join(dataDir, 'server.json'), 'utf8'));
      expect(record).toMatchObject({ url, pid: child.pid });
      const login = await fetch(`${url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'grace@harbour-bank.demo', password }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { organisation: { location: string } }).organisation.location).toBe(
        'hong-kong',
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
  }, 180_000);
});
