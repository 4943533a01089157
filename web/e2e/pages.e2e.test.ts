import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminPassword,
  demoPassword,
  demoUsers,
  type PortalUnderTest,
  saveScreenshot,
  startPortal,
} from './support.js';

/**
 * Every page of the portal (web/src/App.tsx's routes) as each party that reaches it sees it: on a
 * desktop in English and on a 390-px phone in Chinese. On each, nothing is wider than the screen
 * and axe-core finds no serious or critical accessibility violation; on the phone the header keeps
 * to one row of at most 64 px, and the view is saved under test-results/ for people to look at.
 */

/**
 * axe-core runs in the page through the DevTools protocol (page.evaluate), which the portal's CSP
 * (`script-src 'self'`) does not govern; an injected script tag would be refused. So the pages are
 * scanned with their CSP in force, and a violation of it still fails the walk.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const views = [
  { name: 'desktop en', viewport: { width: 1280, height: 860 }, locale: 'en-GB', lang: 'en', isPhone: false },
  {
    name: 'phone zh-HK',
    viewport: { width: 390, height: 844 },
    locale: 'zh-HK',
    lang: 'zh-HK',
    isPhone: true,
  },
] as const;
type View = (typeof views)[number];

/** Ids of the records the detail pages show (loadRecords). */
interface Records {
  ownDataset: string;
  otherDataset: string;
  api: string;
  org: string;
  wish: string;
}

interface Walk {
  role: string;
  email: string | null;
  password?: string;
  paths: (records: Records) => string[];
}

const walks: Walk[] = [
  { role: 'visitor', email: null, paths: () => ['/signin', '/join'] },
  {
    // Harbour Bank provides and consumes: every page but the regulator's and the operator's.
    role: 'provider',
    email: demoUsers.provider,
    paths: (r) => [
      '/',
      '/explore',
      `/apis/${r.api}`,
      `/datasets/${r.ownDataset}`,
      `/datasets/${r.otherDataset}`,
      '/credentials',
      '/usage',
      '/publish',
      '/requests',
      '/agreements',
      '/sql',
      '/labs',
      '/community',
      `/community/${r.org}`,
      '/wishes',
      `/wishes/${r.wish}`,
      '/notifications',
      '/webhooks',
      '/harvest-sources',
      '/no-such-page',
    ],
  },
  {
    // A consumer only: the request wizard on another's dataset, its own usage and agreements.
    role: 'consumer',
    email: demoUsers.techCompany,
    paths: (r) => ['/', `/datasets/${r.otherDataset}`, '/agreements', '/usage'],
  },
  {
    role: 'regulator',
    email: demoUsers.regulator,
    paths: () => ['/', '/regulator', '/regulator/ledger', '/regulator/transfers'],
  },
  {
    role: 'operator',
    email: demoUsers.operator,
    password: adminPassword,
    paths: () => [
      '/',
      '/admin/applications',
      '/admin/locations',
      '/regulator/ledger',
      '/regulator/transfers',
    ],
  },
];

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Reads them as Harbour Bank, whose pages show one of its own datasets and one of another's. */
async function loadRecords(url: string): Promise<Records> {
  const api = await request.newContext({ baseURL: url });
  const read = async <T>(path: string): Promise<T> => {
    const answer = await api.get(path);
    if (!answer.ok()) throw new Error(`${path}: ${answer.status()}`);
    return (await answer.json()) as T;
  };
  const login = await api.post('/v1/auth/login', {
    data: { email: demoUsers.provider, password: demoPassword },
  });
  if (!login.ok()) throw new Error(`sign-in: ${login.status()}`);
  const me = await read<{ organisation: { id: string } }>('/v1/me');
  const datasets = await read<{ items: { id: string; orgId: string }[] }>('/v1/datasets?limit=200');
  const apis = await read<{ items: { id: string }[] }>('/v1/apis?limit=20');
  const wishes = await read<{ items: { id: string }[] }>('/v1/wishes?limit=5');
  await api.dispose();
  const own = datasets.items.find((d) => d.orgId === me.organisation.id);
  const other = datasets.items.find((d) => d.orgId !== me.organisation.id);
  if (!own || !other || !apis.items[0] || !wishes.items[0])
    throw new Error('the demo lacks a record to show');
  return {
    ownDataset: own.id,
    otherDataset: other.id,
    api: apis.items[0].id,
    org: other.orgId,
    wish: wishes.items[0].id,
  };
}

/** Resolves when the page has no call to the platform's API under way. */
function apiCallsSettled(page: Page): () => Promise<void> {
  let pending = 0;
  const waiting: (() => void)[] = [];
  const isApi = (url: string) => new URL(url).pathname.startsWith('/v1/');
  const finished = (url: string) => {
    if (!isApi(url)) return;
    pending -= 1;
    if (pending === 0) for (const resolve of waiting.splice(0)) resolve();
  };
  page.on('request', (request) => {
    if (isApi(request.url())) pending += 1;
  });
  page.on('requestfinished', (request) => finished(request.url()));
  page.on('requestfailed', (request) => finished(request.url()));
  return () => (pending === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)));
}

/**
 * What the waits below read of the page. This file is type-checked without the DOM's types, and
 * waits are functions: the portal's CSP refuses the eval a string wait would need.
 */
type PageGlobals = { document: { querySelector(selector: string): object | null } };

/**
 * Opens a path as the portal's own links do (through the router, without reloading the page),
 * then waits for the new page: content that was not there before, a heading, its API calls
 * answered and nothing left showing as loading.
 */
async function open(page: Page, path: string, isFirst: boolean, settledCalls: () => Promise<void>) {
  if (isFirst) {
    await page.goto(path);
  } else {
    await page.evaluate(`
      for (const element of document.querySelectorAll('#root *')) element.setAttribute('data-seen', '');
      history.pushState(null, '', ${JSON.stringify(path)});
      dispatchEvent(new PopStateEvent('popstate'));
    `);
  }
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return (
      document.querySelector('h1') !== null &&
      document.querySelector('#root *:not([data-seen])') !== null &&
      document.querySelector('.loading') === null
    );
  });
  await settledCalls();
  await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).document.querySelector('.loading') === null,
  );
}

async function scan(page: Page): Promise<string[]> {
  if (!(await page.evaluate('"axe" in window'))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeResult[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** `pages-provider-datasets-ownDataset`: a name that stays the same from one run to the next. */
function screenshotName(role: string, path: string, records: Records): string {
  let named = path;
  for (const [key, id] of Object.entries(records)) named = named.replace(id, key);
  const slug = named === '/' ? 'home' : named.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-');
  return `pages-${role}-${slug}`;
}

describe('every page, both languages, desktop and phone', () => {
  let portal: PortalUnderTest;
  let records: Records;
  beforeAll(async () => {
    portal = await startPortal();
    records = await loadRecords(portal.url);
  }, 240_000);
  afterAll(async () => portal?.close());

  async function walk(who: Walk, view: View): Promise<number> {
    const { page, context, errors } = await portal.newPage({ viewport: view.viewport, locale: view.locale });
    const settledCalls = apiCallsSettled(page);
    if (who.email) {
      // The sign-in form has its own walk; here the session cookie is all that is needed.
      const login = await context.request.post('/v1/auth/login', {
        data: { email: who.email, password: who.password ?? demoPassword },
      });
      expect(login.ok(), `${who.role} signs in`).toBe(true);
    }
    const paths = who.paths(records);
    const findings: string[] = [];
    for (const [index, path] of paths.entries()) {
      await open(page, path, index === 0, settledCalls);
      const where = `${path} (${who.role}, ${view.name})`;
      expect(await page.evaluate('document.documentElement.lang'), where).toBe(view.lang);
      const overflow = await page.evaluate<number>('document.scrollingElement.scrollWidth - innerWidth');
      if (overflow > 0) findings.push(`${where}: ${overflow}px wider than the screen`);
      const header = await page.evaluate<number>(
        `document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0`,
      );
      if (view.isPhone && header > 64) findings.push(`${where}: a header ${header}px tall`);
      for (const violation of await scan(page)) findings.push(`${where}: ${violation}`);
      if (view.isPhone) await saveScreenshot(page, screenshotName(who.role, path, records));
      if (view.isPhone && who.email && index === 0) {
        // The phone's menu holds the navigation and the account: scanned open, then closed again.
        const menu = page.locator('button.menu-toggle');
        await menu.click();
        await page.locator('#primary-nav').waitFor({ state: 'visible' });
        for (const violation of await scan(page)) findings.push(`${where}, menu open: ${violation}`);
        await saveScreenshot(page, `pages-${who.role}-menu`);
        await menu.click();
        await page.locator('#primary-nav').waitFor({ state: 'hidden' });
      }
    }
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
    return paths.length;
  }

  for (const view of views) {
    for (const who of walks) {
      it(`${who.role}, ${view.name}`, async () => {
        expect(await walk(who, view)).toBeGreaterThan(0);
      }, 120_000);
    }
  }
});
