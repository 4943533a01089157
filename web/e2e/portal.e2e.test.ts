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
 * The portal's frame: sign-in, the language switch, role-aware navigation, a phone-sized screen,
 * and onboarding (an organisation applies to join; an operator approves it).
 */
describe('portal', () => {
  let portal: PortalUnderTest;
  beforeAll(async () => {
    portal = await startPortal();
  }, 240_000);
  afterAll(async () => portal?.close());

  it('serves the portal for page paths and keeps the API answering problem+json', async () => {
    const page = await fetch(`${portal.url}/wishes`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${portal.url}/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('signs in, refuses a wrong password with the platform’s reason, and switches language', async () => {
    const { page, errors } = await portal.newPage();
    await page.goto('/explore');
    // Not signed in: sent to the sign-in page, which remembers where the user was going.
    await page.waitForURL(/\/signin\?next=%2Fexplore/);
    await page.getByLabel('E-mail').fill('grace@harbour-bank.demo');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/invalid-credentials/);

    await page.getByLabel('Password').fill('e2e demo passphrase 2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/explore$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Publish data' }).waitFor();
    // Harbour Bank provides and consumes data: both sets of pages, no regulator or operator pages.
    expect(await nav.getByRole('link', { name: 'Publish data' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'SQL console' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Regulator', exact: true }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Applications' }).count()).toBe(0);

    await page.getByTestId('language-switch').selectOption('zh-HK');
    await page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '數據願望' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-HK');
    // The choice is remembered across a reload.
    await page.reload();
    await page.getByRole('link', { name: '主頁' }).waitFor();
    await page.getByRole('link', { name: '主頁' }).click();
    await page.getByRole('heading', { level: 1, name: /歡迎/ }).waitFor();
    await saveScreenshot(page, 'portal-language-zh-hk');

    await page.getByTestId('language-switch').selectOption('en');
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    expect(errors).toEqual([]);
  });

  it('fits a phone: the navigation folds behind a menu button', async () => {
    const { page, errors } = await portal.newPage({ viewport: { width: 390, height: 844 } });
    await signInAs(page, 'ivy@data-governance-office.demo');
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.waitFor({ state: 'visible' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('link', { name: 'Regulator', exact: true }).isVisible()).toBe(false);
    await menu.click();
    await page.getByRole('link', { name: 'Regulator', exact: true }).waitFor({ state: 'visible' });
    // Nothing wider than the screen.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'portal-phone-menu');
    expect(errors).toEqual([]);
  });

  it('onboards an organisation: it applies to join, an operator approves, its owner signs in to an active org', async () => {
    const applicant = await portal.newPage();
    const { page } = applicant;
    await page.goto('/join');
    await page.getByLabel('Name', { exact: true }).fill('Tai Po Robotics');
    await page.getByLabel('Sector').fill('Robotics');
    await page.getByLabel('Your name').fill('Wing Chan');
    await page.getByLabel('E-mail').fill('wing@taipo-robotics.example');
    await page.getByLabel('Password').fill('robots sort parcels at dawn');
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.getByText(/Tai Po Robotics has applied/).waitFor();

    const operator = await portal.newPage();
    await signInAs(operator.page, adminEmail, adminPassword);
    await operator.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Applications' })
      .click();
    const card = operator.page.getByRole('listitem').filter({ hasText: 'Tai Po Robotics' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' });
    await saveScreenshot(operator.page, 'portal-operator-applications');

    await signInAs(page, 'wing@taipo-robotics.example', 'robots sort parcels at dawn');
    await page.getByRole('heading', { level: 1, name: 'Welcome, Wing Chan' }).waitFor();
    expect(await page.getByText(/operator must approve/).count()).toBe(0);
    await saveScreenshot(page, 'portal-onboarded-home');
    expect([...applicant.errors, ...operator.errors]).toEqual([]);
  });
});
