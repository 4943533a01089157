import { existsSync } from 'node:fs';
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

export async function startPortal(): Promise<PortalUnderTest> {
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
  const contexts: BrowserContext[] = [];
  return {
    url: server.url,
    server,
    browser,
    newPage: async (options = {}) => {
      const context = await browser.newContext({
        baseURL: server.url,
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
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
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
