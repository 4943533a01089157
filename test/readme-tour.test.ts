import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dbTargets, dropDatabase } from './harness.js';
import { waitFor } from './processes.js';

/**
 * The README's tour, run as written: every fenced `sh` block between "A five-minute tour" and the
 * next top-level section, in order, with `bash -euo pipefail`, in a directory laid out like a
 * checkout (examples/, the server's data/), against a freshly seeded demo started the way `npm start`
 * starts it. The two passwords the server prints are typed into the tour's first block, as a reader
 * does; `npx stp` runs this checkout's CLI. Blocks marked `sh illustrative` are skipped, visibly.
 * Shell variables and functions carry from one block to the next, as in one terminal.
 */

const root = path.resolve(import.meta.dirname, '..');

interface TourBlock {
  /** 1-based position among the tour's shell blocks. */
  index: number;
  illustrative: boolean;
  /** The block's first line, its name in the report. */
  title: string;
  body: string;
}

/** The fenced `sh` blocks of the README's tour, in order. */
function tourBlocks(readme: string): TourBlock[] {
  const start = readme.indexOf('\n## A five-minute tour');
  if (start < 0) throw new Error('README.md has no "## A five-minute tour" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks: TourBlock[] = [];
  for (const match of section.matchAll(/^```(sh\b[^\n]*)\n([\s\S]*?)^```$/gm)) {
    const info = match[1]!.trim().split(/\s+/);
    const body = match[2]!;
    blocks.push({
      index: blocks.length + 1,
      illustrative: info.includes('illustrative'),
      title: body.split('\n').find((line) => line.trim() !== '') ?? '(empty)',
      body,
    });
  }
  return blocks;
}

const readme = await readFile(path.join(root, 'README.md'), 'utf8');
const blocks = tourBlocks(readme);

interface Run {
  code: number | null;
  output: string;
}

/** Runs one block in a fresh bash that starts from the variables and functions the earlier ones left. */
function runBlock(
  block: TourBlock,
  dir: string,
  env: NodeJS.ProcessEnv,
  stdin: string,
  timeoutMs: number,
): Promise<Run> {
  const state = path.join(dir, '.tour-state.sh');
  const names = path.join(dir, '.tour-names');
  const script = [
    'set -euo pipefail',
    `[ -f '${state}' ] && source '${state}'`,
    '__tour_known=$(compgen -v | sort)',
    block.body,
    // What this block defined (and what earlier ones did), for the next block.
    `__tour_names=$( (cat '${names}' 2>/dev/null || true; comm -13 <(echo "$__tour_known") <(compgen -v | sort)) |`,
    `  grep -Ev '^(__|BASH|PIPESTATUS|FUNCNAME|COLUMNS|LINES|_$)' | sort -u || true)`,
    `echo "$__tour_names" > '${names}.next'`,
    `{ for __v in $__tour_names; do declare -p "$__v"; done; declare -f; } > '${state}.next'`,
    `mv '${names}.next' '${names}'; mv '${state}.next' '${state}'`,
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdin.end(stdin);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

describe('the README tour', () => {
  it('is there, marks what it cannot run, and calls the CLI as `npx stp`', () => {
    expect(blocks.filter((block) => !block.illustrative).length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) {
      for (const line of block.body.split('\n')) {
        // A bare `stp` only works once `npm link` put it on PATH; the tour says `npx stp`.
        expect(line, `block ${block.index}`).not.toMatch(/(^|[;&|(]\s*|\$\()stp\s/);
      }
    }
  });

  describe.each(dbTargets)('on %s', (target) => {
    let dir: string;
    let server: ChildProcess | undefined;
    let serverOutput = '';
    let databaseUrl: string | undefined;
    let passwords = '';
    let tourEnv: NodeJS.ProcessEnv;
    let failed: TourBlock | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'stp-readme-tour-'));
      // Laid out like the checkout a reader is in: the examples, and `npx stp` finding this CLI.
      await symlink(path.join(root, 'examples'), path.join(dir, 'examples'));
      const bin = path.join(dir, 'node_modules', '.bin');
      await mkdir(bin, { recursive: true });
      await writeFile(
        path.join(bin, 'stp'),
        `#!/bin/sh\nexec '${process.execPath}' '${path.join(root, 'bin', 'stp.js')}' "$@"\n`,
      );
      await chmod(path.join(bin, 'stp'), 0o755);
      // npm's own start-up is most of an `npx stp` on a busy machine, and the tour calls it a score of
      // times: `npx stp …` goes straight to the CLI, anything else to npx (the real one is checked below).
      const realNpx = execFileSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).trim();
      const fast = path.join(dir, '.tour-bin');
      await mkdir(fast);
      await writeFile(
        path.join(fast, 'npx'),
        `#!/bin/sh\nif [ "$1" = stp ]; then shift; exec '${path.join(bin, 'stp')}' "$@"; fi\nexec '${realNpx}' "$@"\n`,
      );
      await chmod(path.join(fast, 'npx'), 0o755);

      const {
        DATABASE_URL: _db,
        REDIS_URL: _redis,
        DATA_DIR: _data,
        PORT: _port,
        STP_URL: _url,
        STP_TOKEN: _token,
        STP_EMAIL: _email,
        STP_PASSWORD: _password,
        STP_DEMO_PASSWORD: _demo,
        STP_ADMIN_PASSWORD: _admin,
        STP_ADMIN_EMAIL: _adminEmail,
        ...inherited
      } = process.env;
      // Not the parent's npm run context either: npx must find `stp` from the tour's directory.
      const clean = Object.fromEntries(Object.entries(inherited).filter(([key]) => !/^npm_/i.test(key)));
      tourEnv = {
        ...clean,
        PATH: `${path.join(dir, '.tour-bin')}${path.delimiter}${clean.PATH ?? ''}`,
        STP_CONFIG_DIR: path.join(dir, '.config'),
        LOG_LEVEL: 'silent',
      };

      databaseUrl = target === 'postgres' ? await createDatabase({ empty: true }) : undefined;
      // `npm start` is `STP_DEMO=1 stp serve` after building the portal, which the tour does not use.
      server = spawn(process.execPath, [path.join(root, 'bin', 'stp.js'), 'serve', '--port', '0'], {
        cwd: dir,
        env: {
          ...clean,
          STP_DEMO: '1',
          LOG_LEVEL: 'warn',
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
          ...(target === 'postgres' && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout!.on('data', (chunk) => {
        serverOutput += chunk;
      });
      server.stderr!.on('data', (chunk) => {
        serverOutput += chunk;
      });
      let exited = false;
      server.once('exit', () => {
        exited = true;
      });
      await waitFor(
        () => {
          if (exited) throw new Error(`stp serve exited:\n${serverOutput}`);
          return /^Demo API: /m.test(serverOutput);
        },
        'the demo server to start',
        540_000,
        200,
      );
      // What a reader copies from the terminal: the passwords printed once.
      const admin = /password \(printed once, keep it\): (\S+)/.exec(serverOutput)?.[1];
      const demo = /demo password for all of them \(printed once, keep it\): (\S+)/.exec(serverOutput)?.[1];
      if (!admin || !demo) throw new Error(`the server printed no passwords:\n${serverOutput}`);
      passwords = `${admin}\n${demo}\n`;
    }, 600_000);

    afterAll(async () => {
      if (server && server.exitCode === null) {
        const gone = new Promise((resolve) => server!.once('exit', resolve));
        server.kill('SIGTERM');
        await gone;
      }
      if (databaseUrl) await dropDatabase(databaseUrl);
      if (dir) await rm(dir, { recursive: true, force: true });
    }, 60_000);

    it('`npx stp` in the checkout runs its CLI', () => {
      const { PATH: _path, ...rest } = tourEnv;
      const version = execFileSync('npx', ['stp', '--version'], {
        cwd: root,
        env: { ...rest, PATH: process.env.PATH },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }, 150_000);

    for (const block of blocks) {
      const name = `block ${block.index}: ${block.title}`;
      if (block.illustrative) {
        it.skip(`illustrative, not run: ${name}`, () => {});
        continue;
      }
      it(name, async () => {
        // A block builds on the ones before it: after a failure, the rest would only repeat it.
        if (failed) throw new Error(`not run: block ${failed.index} failed`);
        const run = await runBlock(block, dir, tourEnv, passwords, 280_000);
        if (run.code !== 0) {
          failed = block;
          throw new Error(
            `README tour block ${block.index} ("${block.title}") exited with ${run.code}:\n${tail(run.output)}` +
              `\n--- server output (tail) ---\n${tail(serverOutput, 15)}`,
          );
        }
      }, 300_000);
    }
  });
});
