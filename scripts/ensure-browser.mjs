#!/usr/bin/env node
/**
 * `npm test`'s pretest step: the portal's browser journeys (web/e2e) drive Debian's Chromium
 * through playwright-core (no browser download) and need CJK fonts for the zh-HK pages. This finds
 * them; when they are missing and we run as root on a machine with apt-get, it installs Debian's
 * `chromium` and `fonts-noto-cjk`, saying so; otherwise it explains what to install, and the tests
 * run anyway (everything but the journeys passes without a browser).
 *
 * Flags (for checking this script itself): --chromium <path> looks there instead of
 * /usr/bin/chromium; --dry-run prints what it would install without installing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--chromium');
const chromium = at === -1 ? '/usr/bin/chromium' : args[at + 1];
const dryRun = args.includes('--dry-run');
const packages = ['chromium', 'fonts-noto-cjk'];

function onPath(command) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, command)));
}

function hasCjkFonts() {
  if (!onPath('fc-list')) return false;
  try {
    return /Noto Sans CJK/i.test(
      execFileSync('fc-list', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  } catch {
    return false;
  }
}

const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!hasCjkFonts()) missing.push('fonts-noto-cjk');
if (missing.length === 0) process.exit(0);

const what = missing.join(' and ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canApt = onPath('apt-get');
if (isRoot && canApt) {
  console.log(
    `pretest: the browser journeys (web/e2e) need ${what}, missing here; installing Debian's ${packages.join(' and ')} with apt-get`,
  );
  if (dryRun) {
    console.log(
      `pretest: --dry-run: would run apt-get update and apt-get install -y --no-install-recommends ${packages.join(' ')}`,
    );
    process.exit(0);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  if (install.status === 0 && existsSync(chromium)) {
    console.log(`pretest: installed; the journeys will use ${chromium}`);
    process.exit(0);
  }
  console.log(
    `pretest: apt-get could not install ${packages.join(' ')}; the browser journeys will fail, the other tests run`,
  );
  process.exit(0);
}

const how = canApt
  ? `sudo apt-get install chromium fonts-noto-cjk`
  : `install Chromium at ${chromium} and the Noto CJK fonts with your system's package manager`;
console.log(
  `pretest: the browser journeys (web/e2e) need ${what}, missing here, and this is not a root shell with apt-get to install them. ` +
    `Run: ${how}. Until then those journeys fail; every other test runs.`,
);
