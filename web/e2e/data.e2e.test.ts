import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers, type PortalUnderTest, saveScreenshot, signInAs, startPortal } from './support.js';

/**
 * Issue journey: "a provider uploads a dataset and approves a request; the consumer runs a query and
 * sees masked values". Harbour Bank publishes a small customer file with an e-mail column,
 * GreenGrid Analytics asks for it with the wizard, the bank approves with a keyed hash on the
 * e-mail, and GreenGrid's query shows the pseudonyms, never the addresses.
 */
describe('data products journey', () => {
  let portal: PortalUnderTest;
  let dir: string;
  const title = 'Harbour Bank card customers (journey)';
  const slug = 'journey_card_customers';
  const districts = ['Sha Tin', 'Tai Po', 'Wan Chai', 'Yuen Long'];
  const customers = Array.from({ length: 24 }, (_, i) => ({
    email: `customer${String(i + 1).padStart(2, '0')}.chan@example.hk`,
    district: districts[i % districts.length]!,
    balance: 10_000 + i * 1_250,
  }));

  beforeAll(async () => {
    portal = await startPortal();
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-data-e2e-'));
  }, 180_000);
  afterAll(async () => {
    await portal?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publishes, requests, approves with a mask and queries masked values', async () => {
    const csv = path.join(dir, 'card-customers.csv');
    await writeFile(
      csv,
      `customer_email,district,balance_hkd\n${customers.map((c) => `${c.email},${c.district},${c.balance}`).join('\n')}\n`,
    );

    // ---- the provider publishes ----
    const provider = await portal.newPage();
    const p = provider.page;
    await signInAs(p, demoUsers.provider);
    await p.goto('/publish');
    await p.getByLabel('Title', { exact: true }).fill(title);
    await p.getByLabel('Name in SQL (optional)').fill(slug);
    await p.getByLabel('Description', { exact: true }).fill('Synthetic card customers for the journey test.');
    await p.getByRole('button', { name: 'Create the draft' }).click();
    await p.getByLabel(/^File/).setInputFiles(csv);
    await p.getByRole('button', { name: 'Upload', exact: true }).click();
    const emailClass = p.getByLabel('Classification of customer_email');
    await emailClass.waitFor();
    expect(await emailClass.inputValue()).toBe('personal');
    await p.getByLabel('Description of customer_email').fill('the customer’s e-mail address');
    await saveScreenshot(p, 'data-publish');
    await p.getByRole('button', { name: 'Confirm classifications' }).click();
    await p.getByRole('button', { name: 'Publish to the catalogue' }).click();
    const pageLink = p.getByRole('link', { name: 'Open its page' });
    await pageLink.waitFor();
    const href = await pageLink.getAttribute('href');
    expect(href).toMatch(/^\/datasets\/ds_/);
    // The list of my datasets shows it as published.
    const row = p.getByRole('row', { name: new RegExp(title.replace(/[()]/g, '\\$&')) });
    await row.getByText('published').waitFor();

    // ---- the consumer asks with the wizard ----
    const consumer = await portal.newPage();
    const c = consumer.page;
    await signInAs(c, demoUsers.techCompany);
    await c.goto(href!);
    await c.getByRole('heading', { name: title, level: 1 }).waitFor();
    await c.getByRole('button', { name: 'Request access' }).click();
    await c.getByRole('combobox', { name: /^Purpose/ }).selectOption('research');
    await c
      .getByLabel('What you will do with the data')
      .fill('District-level spending patterns for a park study.');
    await c.getByRole('button', { name: 'Next' }).click();
    await c.getByRole('checkbox', { name: /customer_email/ }).waitFor();
    await c.getByRole('button', { name: 'Next' }).click();
    await c.getByRole('button', { name: '30 days' }).click();
    await c.getByRole('button', { name: 'Next' }).click();
    await c.getByRole('button', { name: 'Send the request' }).click();
    await c.getByText('Your request was sent.', { exact: false }).waitFor();
    await c.getByText(/is waiting for the provider/).waitFor();

    // ---- the provider approves with a keyed hash on the e-mail ----
    await p.goto('/requests');
    const card = p.getByRole('listitem', {
      name: new RegExp(`GreenGrid Analytics asks for ${title.replace(/[()]/g, '\\$&')}`),
    });
    await card.waitFor();
    await card.getByRole('button', { name: 'Set terms and approve' }).click();
    await card.getByLabel('Mask for customer_email').selectOption('hash');
    await card.getByLabel('Most queries allowed').fill('50');
    await saveScreenshot(p, 'data-requests-editor');
    await card.getByRole('button', { name: 'Approve with these terms' }).click();
    await p.getByText(/^Approved: GreenGrid Analytics now has an agreement/).waitFor();

    // ---- the consumer queries and sees masked values ----
    await c.goto('/sql');
    await c.getByText(slug, { exact: true }).first().waitFor();
    const editor = c.getByLabel('SQL query');
    // A table without an agreement is refused, and the refusal says why.
    await editor.fill('SELECT count(*) FROM harbour_bank_sme_customers');
    await c.getByRole('button', { name: 'Run', exact: true }).click();
    const refusal = c.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/harbour_bank_sme_customers/);
    await editor.fill(
      `SELECT customer_email, district, balance_hkd FROM ${slug} ORDER BY balance_hkd DESC LIMIT 10`,
    );
    await editor.press('Control+Enter');
    await c.getByRole('heading', { name: 'Result' }).waitFor();
    const text = (await c.locator('main').textContent()) ?? '';
    for (const customer of customers) expect(text).not.toContain(customer.email);
    expect(text).not.toContain('@example.hk');
    const firstCell =
      (await c.locator('.result-grid tbody tr').first().locator('td').first().textContent()) ?? '';
    expect(firstCell).toMatch(/^[0-9a-f]{32}$/);
    expect(text).toContain('keyed hash');
    expect(text).toContain('10 rows');
    // Raw values of the other columns are shown as they are.
    expect(text).toContain(String(customers.at(-1)!.balance));
    await saveScreenshot(c, 'data-query-masked');

    // The dataset page shows the same masking in its sample.
    await c.goto(href!);
    await c.getByText(/has an agreement until/).waitFor();
    await c.getByRole('button', { name: 'Show a sample' }).click();
    await c.locator('.result-grid tbody tr').first().waitFor();
    const sampleText = (await c.locator('main').textContent()) ?? '';
    expect(sampleText).not.toContain('@example.hk');
    await saveScreenshot(c, 'data-dataset');

    // The agreement in words, on both sides.
    await c.goto('/agreements');
    await c.getByText(/customer_email \(a keyed hash/).waitFor();
    await saveScreenshot(c, 'data-agreements');

    // The provider's inbox after the decision, and the SQL console on a phone, in Chinese.
    await p.goto('/requests');
    await p.getByRole('heading', { name: 'Decided requests' }).waitFor();
    await saveScreenshot(p, 'data-requests');
    const phone = await portal.newPage({ viewport: { width: 390, height: 844 } });
    await signInAs(phone.page, demoUsers.techCompany);
    await phone.page.getByTestId('language-switch').selectOption('zh-HK');
    await phone.page.goto(href!);
    await phone.page.getByRole('heading', { name: '欄位及統計' }).waitFor();
    await saveScreenshot(phone.page, 'data-dataset-phone');

    expect(provider.errors).toEqual([]);
    expect(consumer.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  }, 240_000);

  it('runs a clean-room query in the Data Lab and shows the ε spent', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, 'alex@shatin-ai-labs.demo');
    await page.goto('/labs');
    await page.getByRole('heading', { name: 'Your privacy budget' }).waitFor();
    await page.getByRole('button', { name: 'patients', exact: true }).click();
    expect(await page.getByLabel('Clean-room SQL').inputValue()).toMatch(/FROM patients GROUP BY/);
    await page.getByRole('button', { name: 'Run with noise' }).click();
    await page.getByRole('heading', { name: 'Noisy result' }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/ε spent: \d/);
    await page.getByRole('cell', { name: /FROM patients/ }).waitFor();
    await saveScreenshot(page, 'data-labs');
    expect(errors).toEqual([]);
  }, 120_000);
});
