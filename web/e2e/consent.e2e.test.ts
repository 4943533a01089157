import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConsentingSme } from '../../src/demo/consent.js';
import { smeCustomers } from '../../src/demo/datasets.js';
import { type PortalUnderTest, saveScreenshot, signInAs, startPortal } from './support.js';

const provider = 'grace@harbour-bank.demo';
const consumer = 'kelvin@lion-rock-bank.demo';
const countSql = 'SELECT count(DISTINCT customer_id) AS subjects FROM harbour_bank_sme_transactions';

/** The consumer's count of the SMEs it sees, through the portal's SQL console. */
async function subjectsSeen(page: Page): Promise<number> {
  await page.goto('/sql');
  await page.getByText('harbour_bank_sme_transactions', { exact: true }).first().waitFor();
  await page.getByLabel('SQL query').fill(countSql);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('heading', { name: 'Result' }).waitFor();
  const cell =
    (await page.locator('.result-grid tbody tr').first().locator('td').first().textContent()) ?? '';
  return Number(cell.replace(/[^0-9]/g, ''));
}

/**
 * A provider's consent register: an SME withdraws its consent, the bank that keeps the consent
 * revokes it after being told what follows, and the bank that receives the data sees one SME fewer
 * on its next query.
 */
describe('consent register: a revoked consent takes its subject out of the next query', () => {
  let portal: PortalUnderTest;

  beforeAll(async () => {
    portal = await startPortal();
  }, 180_000);
  afterAll(async () => {
    await portal?.close();
  });

  it('the provider revokes after confirming; the consumer sees one subject fewer', async () => {
    const subject = smeCustomers().find((_, index) => isConsentingSme(index))!.customer_id;
    const c = (await portal.newPage()).page;
    await signInAs(c, consumer);
    const before = await subjectsSeen(c);
    expect(before).toBe(smeCustomers().filter((_, index) => isConsentingSme(index)).length);

    const { page: p, errors } = await portal.newPage();
    await signInAs(p, provider);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consents' }).click();
    await p.getByRole('heading', { level: 1, name: 'Consent register' }).waitFor();
    await p.getByText(/^\d+ consents?$/).waitFor();
    await saveScreenshot(p, 'consents-register');

    // Find the SME's consents: one to Lion Rock Bank for credit assessment, live.
    await p.getByLabel('Find by subject key').fill(subject);
    await p.getByRole('button', { name: 'Find' }).click();
    await p.getByText('1 consent', { exact: true }).waitFor();
    expect(new URL(p.url()).searchParams.get('subject')).toBe(subject);
    const card = p.locator('li.card', { hasText: subject });
    expect(await card.textContent()).toMatch(/Lion Rock Bank/);
    expect(await card.textContent()).toMatch(/Credit assessment/i);
    await card.getByText('live', { exact: true }).waitFor();
    const [receipt] = await Promise.all([
      p.waitForEvent('download'),
      card.getByRole('button', { name: `Download the consent receipt of ${subject}` }).click(),
    ]);
    expect(receipt.suggestedFilename()).toBe(`consent-receipt-${subject}.json`);
    const receiptText = await readFile((await receipt.path())!, 'utf8');
    expect(receiptText).toContain(subject);

    // Revoking needs a reason, then asks first with the consequence; cancelling changes nothing.
    const revoke = card.getByRole('button', { name: 'Revoke the consent' });
    expect(await revoke.isDisabled()).toBe(true);
    await card
      .getByLabel('Reason for revoking')
      .fill('The SME withdrew its consent by letter of 4 Dec 2026.');
    await revoke.click();
    const dialog = p.getByRole('alertdialog', { name: `Revoke ${subject}'s consent to Lion Rock Bank?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/no longer sees .* rows .* cannot be undone/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.getByText('live', { exact: true }).waitFor();
    expect(await subjectsSeen(c)).toBe(before);

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke the consent' }).click();
    await p.getByText(/^Revoked: Lion Rock Bank no longer sees/).waitFor();
    await card.getByText('revoked', { exact: true }).waitFor();
    expect(await card.textContent()).toContain('The SME withdrew its consent by letter of 4 Dec 2026.');
    await saveScreenshot(p, 'consents-revoked');

    // The consumer's next query: one SME fewer.
    expect(await subjectsSeen(c)).toBe(before - 1);

    // The owner's access history of the dataset names the consumer's queries, newest first.
    const listed = (await (await p.request.get('/v1/datasets?limit=200')).json()) as {
      items: { id: string; slug: string }[];
    };
    const datasetId = listed.items.find((item) => item.slug === 'harbour_bank_sme_transactions')!.id;
    await p.goto(`/datasets/${datasetId}`);
    const history = p.locator('section[aria-labelledby="access-history"]');
    await history.getByRole('heading', { name: 'Access history' }).waitFor();
    const latest = history.locator('tbody tr').first();
    await latest.waitFor();
    const cells = await latest.locator('td').allTextContents();
    expect(cells.slice(1, 3)).toEqual(['Lion Rock Bank', 'Query']);
    expect(cells[3]).toMatch(/^agr_/);
    expect(cells[4]).toBe('1');
    expect(cells[5]).toBe('customer_id');
    // Three queries of the consumer so far (before, after cancelling, after revoking).
    expect(await history.locator('tbody tr', { hasText: 'Lion Rock Bank' }).count()).toBeGreaterThanOrEqual(
      3,
    );
    await saveScreenshot(p, 'dataset-access-history');
    await p.goto('/consents');
    await p.getByText(/^\d+ consents?$/).waitFor();

    // A CSV with a wrong line is refused whole, naming the line.
    await p.getByText('Import consents from a CSV file').click();
    await p.getByLabel('CSV file').setInputFiles({
      name: 'consents.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`subject_key,purpose\nNEW-1,credit-assessment\nNEW-2,not-a-purpose\n`),
    });
    await p.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await p.getByRole('alert').textContent()).toMatch(/line 3/);
    expect(errors).toEqual([]);
  }, 240_000);

  it('reads well on a 390-px phone in Chinese', async () => {
    const { page, errors } = await portal.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-HK' });
    await signInAs(page, provider);
    await page.goto('/consents?state=revoked');
    await page.getByRole('heading', { level: 1, name: '同意登記冊' }).waitFor();
    await page.locator('li.card').first().waitFor();
    expect(await page.locator('main').textContent()).toContain('已撤銷');
    const overflow = await page.evaluate<number>('document.scrollingElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'consents-phone-zh');
    expect(errors).toEqual([]);
  }, 120_000);
});
