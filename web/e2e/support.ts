import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { type StartedServer, startServer } from '../../src/main.js';
import { pgliteTemplate } from '../../test/harness.js';

/**
 * End-to-end journeys: the real server (`stp serve` with the seeded demo, on the embedded
 * database, on a free loopback port) and Debian's Chromium driven by playwright-core. No browser
 * is downloaded: `npm test`'s pretest (scripts/ensure-browser.mjs) finds or installs Debian's package.
 */
export const chromiumPath = '/usr/bin/chromium';
export const demoPassword = 'e2e demo passphrase 2026';
export const adminEmail = 'admin@stp.e2e';
export const adminPassword = 'e2e operator passphrase 2026';
export const screenshotDir = path.resolve(import.meta.dirname, '../../test-results');

/** Demo logins (src/demo/community.ts). */
export const demoUsers = {
  provider: 'grace@harbour-bank.demo',
  kowloonLand: 'tony@kowloon-land.demo',
  techCompany: 'sam@greengrid-analytics.demo',
  qianhai: 'lin@qianhai-fintech.demo',
  regulator: 'ivy@data-governance-office.demo',
  operator: adminEmail,
} as const;

export interface PortalUnderTest {
  url: string;
  server: StartedServer;
  browser: Browser;
  /** A fresh browser context (its own cookies) with a page that records console errors. */
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<JourneyPage>;
  close(): Promise<void>;
}

export interface JourneyPage {
  page: Page;
  context: BrowserContext;
  /** Errors the page logged (CSP violations, uncaught exceptions); a journey ends with none. */
  errors: string[];
}

/** The demo server and browser this worker's journeys share (see startPortal). */
interface SharedPortal {
  url: string;
  server: StartedServer;
  browser: Browser;
  dataDir: string;
  /** Journeys holding it now. */
  holders: number;
  /** Ends it once no journey has taken it up again for a moment. */
  idleTimer?: NodeJS.Timeout;
}

let shared: Promise<SharedPortal> | undefined;
/** How long a released portal waits for the worker's next journey file before it is closed. */
const idleCloseMs = 3000;

async function launchShared(): Promise<SharedPortal> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk); npm test's pretest does so when run as root`,
    );
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'stp-e2e-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      STP_DEMO: '1',
      STP_DEMO_PASSWORD: demoPassword,
      STP_ADMIN_EMAIL: adminEmail,
      STP_ADMIN_PASSWORD: adminPassword,
    },
    {},
  );
  // The embedded database in memory, started from the suite's migrated template (test/harness.ts):
  // a journey never restarts its server, and initialising PGlite is most of a start's cost.
  const server = await startServer(config, {
    pgliteDir: 'memory://',
    pgliteLoadDataDir: await pgliteTemplate(),
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // Should the worker end before the idle close, the data directory goes with it.
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return { url: server.url, server, browser, dataDir, holders: 0 };
}

async function closeShared(portal: SharedPortal): Promise<void> {
  shared = undefined;
  await portal.browser.close().catch(() => undefined);
  await portal.server.close();
  await rm(portal.dataDir, { recursive: true, force: true });
}

/**
 * The seeded demo and a Chromium for one journey file. The journey files a test worker runs one
 * after another share one demo server and one browser (starting the seeded demo is most of a short
 * journey's cost), each journey in browser contexts of its own; so a journey asserts on the
 * organisations and records it makes or names, never on counts another journey may change. The
 * server and browser close when no journey has taken them up again for a moment.
 */
export async function startPortal(): Promise<PortalUnderTest> {
  shared ??= launchShared().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  const portal = await shared;
  clearTimeout(portal.idleTimer);
  portal.holders += 1;
  const contexts: BrowserContext[] = [];
  let released = false;
  return {
    url: portal.url,
    server: portal.server,
    browser: portal.browser,
    newPage: async (options = {}) => {
      const context = await portal.browser.newContext({
        baseURL: portal.url,
        viewport: options.viewport ?? { width: 1280, height: 860 },
        locale: options.locale ?? 'en-GB',
      });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        // A refused API call (a 4xx the page handles and shows) is logged by Chromium as a failed
        // resource; that is expected. Script errors and CSP violations are not.
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
          errors.push(`console: ${message.text()}`);
        }
      });
      return { page, context, errors };
    },
    close: async () => {
      if (released) return;
      released = true;
      for (const context of contexts) await context.close().catch(() => undefined);
      portal.holders -= 1;
      if (portal.holders === 0) {
        portal.idleTimer = setTimeout(() => {
          if (portal.holders === 0) void closeShared(portal);
        }, idleCloseMs);
      }
    },
  };
}

export async function signInAs(page: Page, email: string, password = demoPassword): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel(/e-mail|電郵/i).fill(email);
  await page.getByLabel(/^password|^密碼/i).fill(password);
  await page.getByRole('button', { name: /^sign in$|^登入$/i }).click();
  await page.locator('#primary-nav').waitFor({ state: 'attached' });
}

/** Saves the journey's last page under test-results/ (kept by CI, looked at by people). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
