import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminEmail,
  adminPassword,
  type PortalUnderTest,
  saveScreenshot,
  signInAs,
  startPortal,
} from './support.js';

/**
 * The work each party comes for: what waits on them and on others, as each role sees it. Lion
 * Rock Bank asks Victoria Mutual for a dataset and Kowloon Land for an API plan that needs approval;
 * Victoria Mutual sees the request on its home page and in the bell; an operator sees the
 * organisation waiting to join; nobody can make themselves a regulator.
 */
const consumerEmail = 'kelvin@lion-rock-bank.demo';
const providerEmail = 'mandy@victoria-mutual.demo';

/** A JSON call from inside the page (its session cookie, its origin), answered with status and body. */
async function call<T = Record<string, unknown>>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([method, url, body]) => {
      const response = await fetch(url as string, {
        method: method as string,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    [method, url, body] as const,
  ) as Promise<{ status: number; body: T }>;
}

describe('pending work journey', () => {
  let portal: PortalUnderTest;
  beforeAll(async () => {
    portal = await startPortal();
  }, 240_000);
  afterAll(async () => portal?.close());

  it('shows each party its own pending work: consumer, provider (home and bell) and operator', async () => {
    // ---- the consumer asks for a dataset (wizard) and an API plan that needs approval ----
    const consumer = await portal.newPage();
    const c = consumer.page;
    await signInAs(c, consumerEmail);
    type Items<T> = { items: T[] };
    const datasets = await call<Items<{ id: string; slug: string; title: string }>>(
      c,
      'GET',
      '/v1/datasets?limit=200',
    );
    const claims = datasets.body.items.find((d) => d.slug === 'insurance_claims')!;
    expect(claims, 'the demo claims dataset').toBeDefined();
    await c.goto(`/datasets/${claims.id}`);
    await c.getByRole('button', { name: 'Request access' }).click();
    await c.getByRole('combobox', { name: /^Purpose/ }).selectOption('research');
    await c.getByLabel('What you will do with the data').fill('Claims by type for a product study.');
    await c.getByRole('button', { name: 'Next' }).click();
    // Every column of the claims file is personal, sensitive or an identifier: none starts ticked.
    for (const column of ['patient_id', 'claim_type', 'amount_hkd', 'claim_year']) {
      expect(await c.getByRole('checkbox', { name: new RegExp(column) }).isChecked(), column).toBe(false);
    }
    await c.getByRole('checkbox', { name: /claim_type/ }).check();
    await c.getByRole('checkbox', { name: /amount_hkd/ }).check();
    await c.getByRole('button', { name: 'Next' }).click();
    await c.getByRole('button', { name: '30 days' }).click();
    await c.getByRole('button', { name: 'Next' }).click();
    await c.getByRole('button', { name: 'Send the request' }).click();
    await c.getByText('Your request was sent.', { exact: false }).waitFor();

    const apis = await call<Items<{ id: string; slug: string }>>(c, 'GET', '/v1/apis?limit=100');
    const energy = apis.body.items.find((a) => a.slug === 'park-building-energy')!;
    const plans = await call<Items<{ id: string; name: string; requiresApproval: boolean }>>(
      c,
      'GET',
      `/v1/apis/${energy.id}/plans`,
    );
    const partner = plans.body.items.find((p) => p.name === 'Partner')!;
    expect(partner.requiresApproval).toBe(true);
    const subscribed = await call(c, 'POST', '/v1/subscriptions', { planId: partner.id });
    expect(subscribed.status).toBe(201);
    expect(subscribed.body.state).toBe('pending');

    await c.goto('/');
    const sent = c.getByRole('region', { name: /^Your requests for data/ });
    await sent.getByRole('link', { name: `${claims.title} from Victoria Mutual Insurance` }).waitFor();
    expect(await sent.getByRole('listitem').first().textContent()).toMatch(/pending/);
    const subs = c.getByRole('region', { name: /^Your API subscriptions/ });
    const pendingSub = subs.getByRole('listitem').filter({ hasText: 'pending' });
    await pendingSub.getByRole('link', { name: /from Kowloon Land Properties/ }).waitFor();
    // The consumer's open-plan subscription is shown too, with its own state.
    await saveScreenshot(c, 'governance-consumer-home');

    // ---- the provider: on its home page and in the bell ----
    const provider = await portal.newPage();
    const p = provider.page;
    await signInAs(p, providerEmail);
    await p.goto('/');
    const received = p.getByRole('region', { name: /^New requests for your datasets/ });
    await received.getByRole('link', { name: `Lion Rock Bank asks for ${claims.title}` }).waitFor();
    expect(await received.getByRole('heading').textContent()).toMatch(/1$/);
    const tile = p.getByRole('link', { name: /Requests waiting for you/ });
    expect(await tile.textContent()).toMatch(/^1/);
    const bell = p.getByRole('link', { name: /unread notification/ });
    expect(await bell.getAttribute('aria-label')).toMatch(/^[1-9]\d* unread notification/);
    await bell.click();
    const notice = p.getByRole('listitem').filter({ hasText: 'New access request' });
    await notice.first().waitFor();
    expect(await notice.first().textContent()).toMatch(/^Unread/);
    await saveScreenshot(p, 'governance-provider-bell');

    // ---- the terms editor starts safe; rejecting asks first, says what it does, then what happened ----
    await p.goto('/requests');
    const card = p.getByRole('listitem', { name: `Lion Rock Bank asks for ${claims.title}` });
    await card.getByRole('button', { name: 'Set terms and approve' }).click();
    expect(await card.getByLabel('Mask for claim_type').inputValue()).toBe('redact');
    expect(await card.getByLabel('Mask for amount_hkd').inputValue()).toBe('band');
    // About a tenth of the amounts' range (HK$178 to HK$627,748), rounded to a power of ten.
    expect(await card.getByLabel('Band width for amount_hkd').inputValue()).toBe('100000');
    await saveScreenshot(p, 'governance-terms-defaults');
    await card.getByRole('button', { name: 'Cancel' }).click();
    await card.getByLabel('Reason (required to reject)').fill('claims are not shared with banks');
    await card.getByRole('button', { name: 'Reject', exact: true }).click();
    const dialog = p.getByRole('alertdialog', {
      name: `Reject Lion Rock Bank's request for ${claims.title}?`,
    });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('is told your reason: “claims are not shared with banks”');
    await saveScreenshot(p, 'governance-confirm-reject');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Nothing happened: the request still waits.
    const stillPending = await call<{ items: { id: string }[] }>(
      p,
      'GET',
      '/v1/access-requests?as=provider&state=pending',
    );
    expect(stillPending.body.items).toHaveLength(1);
    await card.getByRole('button', { name: 'Reject', exact: true }).click();
    await dialog.getByRole('button', { name: 'Reject the request' }).click();
    await p.getByText('Rejected: Lion Rock Bank has been told your reason.').waitFor();
    await card.waitFor({ state: 'detached' });

    // ---- an applicant cannot choose the regulator kind; the operator sees the application ----
    const applicant = await portal.newPage();
    const a = applicant.page;
    await a.goto('/join');
    const kinds = a.getByRole('group', { name: 'What will you do here?' });
    await kinds.getByRole('checkbox', { name: 'Data provider' }).waitFor();
    expect(await kinds.getByRole('checkbox').count()).toBe(2);
    expect(await kinds.getByRole('checkbox', { name: /regulator/i }).count()).toBe(0);
    await kinds.getByText(/operator sets up regulator organisations/).waitFor();
    // The API refuses it too, whatever a page offers.
    const selfMade = await call(a, 'POST', '/v1/auth/register', {
      organisation: { name: 'Harbour Watch', kinds: ['regulator'] },
      owner: {
        email: 'watch@harbour-watch.example',
        name: 'Watch',
        password: 'watching the harbour at night',
      },
    });
    expect(selfMade.status).toBe(403);
    expect(selfMade.body.detail).toMatch(/^regulator organisations are created by operators only/);
    await a.getByLabel('Name', { exact: true }).fill('Tolo Harbour Sensors');
    await a.getByLabel('Your name').fill('Iris Lam');
    await a.getByLabel('E-mail').fill('iris@tolo-sensors.example');
    await a.getByLabel('Password').fill('sensors listen to the tide');
    await a.getByRole('button', { name: 'Send application' }).click();
    await a.getByText(/Tolo Harbour Sensors has applied/).waitFor();

    const operator = await portal.newPage();
    const o = operator.page;
    await signInAs(o, adminEmail, adminPassword);
    const waiting = o.getByRole('region', { name: /^Organisations waiting to join/ });
    await waiting.getByRole('link', { name: 'Tolo Harbour Sensors applied to join' }).waitFor();
    expect(await o.getByRole('link', { name: /Applications waiting/ }).textContent()).toMatch(/^[1-9]/);
    await saveScreenshot(o, 'governance-operator-home');

    // ---- the same home page in Chinese ----
    // The consumer's home now shows the decision.
    await c.reload();
    await c
      .getByRole('region', { name: /^Your requests for data/ })
      .getByRole('listitem')
      .filter({ hasText: claims.title })
      .getByText('rejected')
      .waitFor();
    await c.getByTestId('language-switch').selectOption('zh-HK');
    await c
      .getByRole('region', { name: /^你的 API 訂閱/ })
      .getByText('待處理')
      .first()
      .waitFor();

    for (const journey of [consumer, provider, applicant, operator]) expect(journey.errors).toEqual([]);
  }, 240_000);

  it('an operator verifies a declared location with evidence, from its menu, and the ledger keeps it', async () => {
    const operator = await portal.newPage();
    const o = operator.page;
    await signInAs(o, adminEmail, adminPassword);
    await o.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Location checks' }).click();
    await o.getByRole('heading', { name: 'Location checks', level: 1 }).waitFor();
    const card = o.getByRole('listitem', { name: 'Hengqin MedTech' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Declared locationZhuhai');
    // Only organisations still waiting are listed: the seeded, verified ones are not.
    expect(await o.getByRole('listitem', { name: 'Harbour Bank' }).count()).toBe(0);
    const verify = card.getByRole('button', { name: 'Verify location' });
    expect(await verify.isDisabled()).toBe(true);
    expect(await card.getByLabel('Verified location').inputValue()).toBe('zhuhai');
    await card.getByLabel('Evidence').fill('Business licence 91440400MA5HENGQIN, Hengqin registry extract');
    await saveScreenshot(o, 'governance-locations');
    await verify.click();
    await o
      .getByText(
        'Verified: Hengqin MedTech is recorded in Zhuhai. Cross-boundary rules use this location from now on',
        { exact: false },
      )
      .waitFor();
    await card.waitFor({ state: 'detached' });

    type Org = { id: string; name: string; location: string | null; locationVerifiedAt: string | null };
    const orgs = await call<{ items: Org[] }>(o, 'GET', '/v1/orgs?q=Hengqin');
    const hengqin = orgs.body.items[0]!;
    expect(hengqin.location).toBe('zhuhai');
    expect(hengqin.locationVerifiedAt).not.toBeNull();
    const ledger = await call<{
      items: { action: string; reason: string | null; objectId: string | null }[];
    }>(o, 'GET', '/v1/audit?action=organisation.location.verify&limit=100');
    const entry = ledger.body.items.find((e) => e.objectId === hengqin.id);
    expect(entry?.reason).toBe('Business licence 91440400MA5HENGQIN, Hengqin registry extract');

    // The page in Chinese on a phone: the same words, no code, nothing wider than the screen.
    const phone = await portal.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-HK' });
    await signInAs(phone.page, adminEmail, adminPassword);
    await phone.page.goto('/admin/locations');
    await phone.page.getByRole('heading', { name: '所在地核實', level: 1 }).waitFor();
    await phone.page.waitForLoadState('networkidle');
    expect(await phone.page.locator('main').textContent()).not.toContain('Hengqin MedTech');
    expect(await phone.page.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    for (const journey of [operator, phone]) expect(journey.errors).toEqual([]);
  }, 240_000);

  it('fits a 390-px phone in Chinese on every page: nothing wider than the screen', async () => {
    const walks: { who: string | null; password?: string; paths: string[] }[] = [
      { who: null, paths: ['/signin', '/join'] },
      {
        who: 'grace@harbour-bank.demo',
        paths: [
          '/',
          '/explore',
          '/community',
          '/wishes',
          '/credentials',
          '/agreements',
          '/sql',
          '/labs',
          '/publish',
          '/requests',
          '/usage',
          '/notifications',
        ],
      },
      { who: 'ivy@data-governance-office.demo', paths: ['/', '/regulator'] },
      { who: adminEmail, password: adminPassword, paths: ['/', '/admin/applications'] },
    ];
    const wide: string[] = [];
    let walked = 0;
    for (const walk of walks) {
      const { page, errors } = await portal.newPage({ viewport: { width: 390, height: 844 } });
      await page.addInitScript("localStorage.setItem('stp.language', 'zh-HK')");
      if (walk.who) await signInAs(page, walk.who, walk.password);
      for (const path of walk.paths) {
        await page.goto(path);
        await page.locator('main, form').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate('document.documentElement.lang')).toBe('zh-HK');
        const width = await page.evaluate<number>('document.scrollingElement.scrollWidth');
        if (width > 390) wide.push(`${path} (${walk.who ?? 'signed out'}): ${width}px`);
        walked += 1;
      }
      expect(errors).toEqual([]);
    }
    expect(walked).toBe(18);
    expect(wide).toEqual([]);
  }, 240_000);
});
