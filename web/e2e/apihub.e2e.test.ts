import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoUsers,
  type PortalUnderTest,
  saveScreenshot,
  screenshotDir,
  signInAs,
  startPortal,
} from './support.js';

/**
 * The API hub's journey ("a consumer finds an API, subscribes, gets a key and sees a
 * successful try-it call"), on the seeded demo. Sha Tin AI Labs is the consumer: GreenGrid
 * Analytics (demoUsers.techCompany) is already subscribed to the Open plan by the seed, so it
 * could not subscribe again.
 */
const shatinAiLabs = 'alex@shatin-ai-labs.demo';

describe('API hub', () => {
  let portal: PortalUnderTest;

  beforeAll(async () => {
    portal = await startPortal();
  }, 180_000);

  afterAll(async () => {
    await portal?.close();
  });

  it('a consumer finds an API, subscribes, gets a key and sees a successful try-it call', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, shatinAiLabs);

    // Find the demo building-energy API by searching the catalogue.
    await page.goto('/explore');
    await page.getByLabel('Search the catalogue').fill('building energy');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=building/);
    const link = page.getByRole('link', { name: 'Park Building Energy' });
    await link.waitFor();
    expect(await page.locator('.catalogue-card', { has: link }).textContent()).toContain('Kowloon Land');
    await link.click();

    // The API page: overview, plans, reference.
    await page.getByRole('heading', { level: 1, name: 'Park Building Energy' }).waitFor();
    expect(await page.locator('.api-overview').textContent()).toContain('Kowloon Land');
    const openPlan = page.locator('[data-plan="Open"]');
    expect(await openPlan.textContent()).toContain('instant access');
    expect(await page.locator('[data-plan="Partner"]').textContent()).toContain('approval needed');

    // Subscribe to the plan that needs no approval, then create a key: shown once, held in memory.
    await page.getByRole('button', { name: 'Subscribe to the Open plan' }).click();
    await page.getByText('Subscribed. Create an API key below').waitFor();
    await openPlan.getByText('active').waitFor();
    await page.getByRole('button', { name: 'Create an API key' }).click();
    const secret = page.getByRole('textbox', { name: /^API key “/ });
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key.length).toBeGreaterThan(20);
    expect(await page.getByLabel('API key for try-it (X-API-Key)').inputValue()).toBe(key);

    // Try-it on a GET operation through the gateway: a 2xx with a body.
    const operation = page.locator('details[data-operation="GET /buildings"]');
    await operation.locator('summary').click();
    await operation.getByRole('button', { name: 'Send request' }).click();
    const status = operation.getByTestId('try-it-status');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/^2\d\d/);
    const body = await operation.getByTestId('try-it-body').textContent();
    expect(body).toContain('InnoCell');
    expect(await operation.locator('.try-it-url').textContent()).toContain(
      '/gw/park-building-energy/buildings',
    );

    // An operation outside the Open plan is marked, and the gateway refuses it with a problem.
    const energy = page.locator('details[data-operation="GET /buildings/{buildingId}/energy"]');
    expect(await energy.locator('summary').textContent()).toContain('not in your plan');
    await saveScreenshot(page, 'api-hub-try-it');

    // The call shows on the usage dashboard (the meter flushes every two seconds).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
    const table = page.locator('.usage-table');
    for (let attempt = 0; attempt < 20 && !(await table.isVisible()); attempt++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    await table.waitFor();
    expect(await table.textContent()).toContain('Park Building Energy');
    await page.getByRole('figure', { name: 'Calls per day' }).waitFor();
    await page.getByRole('figure', { name: 'p95 latency per API' }).waitFor();
    expect(await page.locator('.usage-tiles').textContent()).toMatch(/[1-9]\d*Calls/);
    await saveScreenshot(page, 'api-hub-usage');

    expect(errors).toEqual([]);
  });

  it('a consumer manages keys: create, rotate with the new secret shown once, revoke after confirming', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, demoUsers.techCompany);
    await page.goto('/credentials');
    await page.getByRole('heading', { level: 1, name: 'Subscriptions & keys' }).waitFor();
    // The seed subscribed GreenGrid to the Open plan.
    const subscriptions = page.locator('section[aria-labelledby="my-subscriptions"] table');
    await subscriptions.waitFor();
    expect(await subscriptions.textContent()).toContain('Park Building Energy');
    expect(await subscriptions.textContent()).toContain('active');

    await page.getByLabel('Name', { exact: true }).fill('nightly job');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const first = page.getByRole('textbox', { name: 'Secret of “nightly job”' });
    await first.waitFor();
    const firstSecret = await first.inputValue();

    await page.getByRole('button', { name: 'Rotate nightly job' }).click();
    const rotated = page.getByRole('textbox', { name: 'New secret of “nightly job”' });
    await rotated.waitFor();
    expect(await rotated.inputValue()).not.toBe(firstSecret);
    await page.getByText('The previous secret works until').first().waitFor();

    await page.getByRole('button', { name: 'Revoke nightly job' }).click();
    await page.getByText('Revoke “nightly job”? Applications using it are refused').waitFor();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('1 revoked key').waitFor();
    await saveScreenshot(page, 'api-hub-credentials');
    expect(errors).toEqual([]);
  });

  it('a plan that needs approval: the consumer requests it, the provider approves, the call goes through', async () => {
    const consumer = await portal.newPage();
    await signInAs(consumer.page, demoUsers.qianhai);
    await consumer.page.goto('/explore?type=api');
    await consumer.page.getByRole('link', { name: 'Park Building Energy' }).click();
    await consumer.page.getByRole('button', { name: 'Request the Partner plan' }).click();
    await consumer.page.getByText('Requested. Kowloon Land Properties will approve').waitFor();
    const partner = consumer.page.locator('[data-plan="Partner"]');
    await partner.getByText('pending').waitFor();
    const apiUrl = consumer.page.url();

    // The provider sees the request among the subscriptions to its APIs and approves it.
    const provider = await portal.newPage();
    await signInAs(provider.page, demoUsers.kowloonLand);
    await provider.page.goto('/credentials');
    const row = provider.page
      .locator('section[aria-labelledby="subscribers"] tr')
      .filter({ hasText: 'Qianhai FinTech' });
    await row.getByText('pending').waitFor();
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.getByText('active').waitFor();
    // A provider reads its API's reference but has no plan to subscribe to nor a key to try it with.
    await provider.page.goto(apiUrl);
    await provider.page.getByRole('heading', { level: 2, name: 'API reference' }).waitFor();
    expect(await provider.page.getByRole('button', { name: /^Subscribe to|^Request the/ }).count()).toBe(0);
    expect(await provider.page.getByRole('button', { name: 'Send request' }).count()).toBe(0);
    expect(provider.errors).toEqual([]);

    // Back with the consumer: active now, a key, and the energy readings only Partner includes.
    await consumer.page.reload();
    await partner.getByText('active').waitFor();
    await consumer.page.getByRole('button', { name: 'Create an API key' }).click();
    await consumer.page.getByRole('textbox', { name: /^API key “/ }).waitFor();
    const energy = consumer.page.locator('details[data-operation="GET /buildings/{buildingId}/energy"]');
    await energy.locator('summary').click();
    await energy.getByRole('textbox', { name: /^buildingId/ }).fill('b15w');
    await energy.getByRole('textbox', { name: /^hours/ }).fill('3');
    await energy.getByRole('button', { name: 'Send request' }).click();
    await energy.getByTestId('try-it-status').waitFor();
    expect(await energy.getByTestId('try-it-status').textContent()).toMatch(/^200/);
    expect(await energy.getByTestId('try-it-body').textContent()).toContain('kWh');
    expect(consumer.errors).toEqual([]);
  });

  it('the catalogue lists APIs and datasets with filters', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, demoUsers.techCompany);
    await page.goto('/explore');
    await page.getByRole('link', { name: 'Park Building Energy' }).waitFor();
    const cards = page.locator('.catalogue-card');
    const all = await cards.count();
    expect(all).toBeGreaterThan(1);
    await page.getByLabel('Dataset access').selectOption('open');
    await page.waitForURL(/access=open/);
    await page.getByRole('link', { name: 'Park Building Energy' }).waitFor({ state: 'detached' });
    expect(await page.locator('.catalogue-card').filter({ hasText: 'agreement needed' }).count()).toBe(0);
    await page.getByLabel('Dataset access').selectOption('');
    await page.getByLabel('Type').selectOption('dataset');
    await page.waitForURL(/type=dataset/);
    await page.getByRole('link', { name: 'Park Building Energy' }).waitFor({ state: 'detached' });
    expect(await cards.count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('link', { name: 'Park Building Energy' }).waitFor();
    await saveScreenshot(page, 'api-hub-explore');
    expect(errors).toEqual([]);
  });

  it('reads well on a phone, in Traditional Chinese', async () => {
    const { page, errors } = await portal.newPage({ viewport: { width: 390, height: 844 } });
    await signInAs(page, demoUsers.techCompany);
    await page.getByTestId('language-switch').selectOption('zh-HK');
    await page.goto('/explore?type=api');
    const link = page.getByRole('link', { name: 'Park Building Energy' });
    await link.waitFor();
    await saveScreenshot(page, 'api-hub-explore-phone-zh');
    await link.click();
    await page.getByRole('heading', { level: 2, name: '方案' }).waitFor();
    const operation = page.locator('details[data-operation="GET /buildings/{buildingId}"]');
    await operation.locator('summary').click();
    await operation.getByRole('button', { name: '發送請求' }).waitFor();
    await saveScreenshot(page, 'api-hub-api-phone-zh');
    await operation.screenshot({ path: path.join(screenshotDir, 'api-hub-operation-phone-zh.png') });
    await page
      .locator('.api-overview')
      .screenshot({ path: path.join(screenshotDir, 'api-hub-overview-phone-zh.png') });
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.goto('/usage');
    await page.getByRole('heading', { level: 1, name: '使用量' }).waitFor();
    await saveScreenshot(page, 'api-hub-usage-phone-zh');
    expect(errors).toEqual([]);
  });

  it('a plan change Open → Partner waits for the provider, then the consumer cancels after confirming', async () => {
    // GreenGrid Analytics is on the Open plan (the seed): the energy readings are not in it.
    const consumer = await portal.newPage();
    const c = consumer.page;
    await signInAs(c, demoUsers.techCompany);
    await c.goto('/explore?type=api');
    await c.getByRole('link', { name: 'Park Building Energy' }).click();
    const open = c.locator('[data-plan="Open"]');
    const partner = c.locator('[data-plan="Partner"]');
    await open.getByText('active').waitFor();
    const energy = c.locator('details[data-operation="GET /buildings/{buildingId}/energy"]');
    await energy.getByText('not in your plan').waitFor();
    await energy.locator('summary').click();
    // The way from "not in your plan" to the plan that includes it.
    await energy.getByRole('link', { name: 'The Partner plan includes it' }).click();
    expect(await partner.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await partner.getByRole('button', { name: 'Ask to move to the Partner plan' }).click();
    await c.getByText('Asked: Kowloon Land Properties decides on the move to the Partner plan.').waitFor();
    await partner.getByText('You asked to move to this plan').waitFor();
    // Until the provider decides, the subscription keeps its plan.
    await open.getByText('active').waitFor();
    await saveScreenshot(c, 'api-hub-plan-change-asked');

    const provider = await portal.newPage();
    const p = provider.page;
    await signInAs(p, demoUsers.kowloonLand);
    await p.goto('/credentials');
    const row = p
      .locator('section[aria-labelledby="subscribers"] tr')
      .filter({ hasText: 'GreenGrid Analytics' });
    await row.getByText('asks to move to Partner').waitFor();
    await saveScreenshot(p, 'api-hub-plan-change-provider');
    await row.getByRole('button', { name: 'Approve the move' }).click();
    await row.getByText('asks to move to Partner').waitFor({ state: 'detached' });
    expect(await row.locator('td').nth(2).textContent()).toBe('Partner');

    await c.reload();
    await partner.getByText('Your subscription:').waitFor();
    await energy.getByText('not in your plan').waitFor({ state: 'detached' });

    // Cancelling asks first, with what follows in words; cancelling the dialog changes nothing.
    const cancel = partner.getByRole('button', { name: 'Cancel the subscription' });
    expect(await cancel.isDisabled()).toBe(true);
    await partner.getByLabel('Why are you cancelling? (kept in the ledger)').fill('pilot finished');
    await cancel.click();
    const dialog = c.getByRole('alertdialog', { name: 'Cancel your subscription to Park Building Energy?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Every key of your organisation stops reaching');
    await saveScreenshot(c, 'api-hub-cancel-confirm');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await partner.getByText('active').waitFor();
    await cancel.click();
    await dialog.getByRole('button', { name: 'Cancel the subscription' }).click();
    await c.getByText('Cancelled: your keys no longer reach Park Building Energy.').waitFor();
    await c.getByRole('button', { name: 'Subscribe to the Open plan' }).waitFor();
    expect(consumer.errors).toEqual([]);
    expect(provider.errors).toEqual([]);
  }, 180_000);
});
