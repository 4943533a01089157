import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminPassword,
  demoUsers,
  type PortalUnderTest,
  saveScreenshot,
  signInAs,
  startPortal,
} from './support.js';

/** The journey: a regulator opens the evidence ledger and verifies its hash chain. */
describe('regulator: a regulator verifies the ledger', () => {
  let portal: PortalUnderTest;

  beforeAll(async () => {
    portal = await startPortal();
  }, 180_000);
  afterAll(async () => {
    await portal?.close();
  });

  it('opens the ledger, verifies the chain and sees it verified', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, demoUsers.regulator);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Regulator' }).click();
    await page.getByRole('heading', { level: 1, name: 'Regulator' }).waitFor();
    // The review queue is the first tab.
    await page.getByRole('heading', { name: /agreements? over sensitive data/ }).waitFor();
    await saveScreenshot(page, 'regulator-queue');

    // Endorsing an agreement takes a reason; it then leaves the pending queue and shows as endorsed.
    const queueHeading = page.getByRole('heading', { name: /agreements? over sensitive data/ });
    const before = Number.parseInt((await queueHeading.textContent()) ?? '0', 10);
    if (before > 0) {
      const card = page.locator('li.queue-card').first();
      const dataset = ((await card.locator('h3').textContent()) ?? '').trim();
      const endorse = card.getByRole('button', { name: 'Endorse' });
      expect(await endorse.isDisabled()).toBe(true);
      await card.getByLabel('Reason').fill('Masks and purpose are proportionate to SME credit scoring.');
      await endorse.click();
      await page
        .getByRole('heading', { name: new RegExp(`^${before - 1} agreements? over sensitive data`) })
        .waitFor();
      await page.getByLabel('Also show agreements we have reviewed').check();
      await page
        .locator('li.queue-card', { hasText: dataset })
        .getByText('Endorsed', { exact: true })
        .waitFor();
    }

    await page.getByRole('link', { name: 'Evidence ledger' }).click();
    await page.waitForURL('**/regulator/ledger');
    await page.getByRole('heading', { name: 'Ledger entries, newest first' }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(1);
    const headers = await page.locator('table thead th').allTextContents();
    expect(headers).toEqual(['Seq', 'Time', 'Actor', 'Action', 'Object', 'Decision', 'Hash']);
    await page.getByRole('figure', { name: /Entries by action/ }).waitFor();

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.getByRole('status').filter({ hasText: 'Chain verified.' });
    await verdict.waitFor();
    const text = (await verdict.textContent()) ?? '';
    expect(text).toMatch(/Chain verified\. \d+ entries checked and found sound\./);
    expect(text).toMatch(/Head entry #\d+, hash [0-9a-f]{64}/);
    await saveScreenshot(page, 'regulator-ledger-verified');

    // Older entries are a page away, and the transfers tab shows its chart.
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('Page 2').waitFor();
    await page.getByRole('link', { name: 'Transfers' }).click();
    await page.waitForURL('**/regulator/transfers');
    await page.getByRole('figure', { name: /Transfers by state/ }).waitFor();
    await saveScreenshot(page, 'regulator-transfers');

    expect(errors).toEqual([]);
  }, 120_000);

  it('exports an evidence bundle for an organisation and verifies it offline with the public key', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, demoUsers.regulator);
    await page.goto('/regulator/ledger');
    await page.getByRole('heading', { name: 'Evidence bundle' }).waitFor();
    const panel = page.locator('section[aria-labelledby="bundle-heading"]');
    await panel.locator('select').first().selectOption({ label: 'Harbour Bank' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stp-bundle-'));
    try {
      const [bundle] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: 'Export the bundle' }).click(),
      ]);
      expect(bundle.suggestedFilename()).toMatch(/^evb_[0-9A-Za-z]+\.jsonl$/);
      const notice = panel.getByText(/^Downloaded evb_.*\.jsonl: \d+ entries, signed\.$/);
      await notice.waitFor();
      const count = Number(/: (\d+) entries/.exec((await notice.textContent()) ?? '')![1]);
      expect(count).toBeGreaterThan(0);
      const bundleFile = path.join(dir, bundle.suggestedFilename());
      await bundle.saveAs(bundleFile);
      const [key] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('link', { name: 'stp-public-key.json' }).click(),
      ]);
      const keyFile = path.join(dir, 'stp-public-key.json');
      await key.saveAs(keyFile);
      // The command the page gives, run as it says.
      const command = (await panel.locator('pre code').textContent()) ?? '';
      expect(command).toBe(
        `stp audit verify --file ${bundle.suggestedFilename()} --public-key stp-public-key.json`,
      );
      await saveScreenshot(page, 'regulator-evidence-bundle');

      const verify = async () => {
        const result = await promisify(execFile)(
          process.execPath,
          [
            path.resolve('bin/stp.js'),
            'audit',
            'verify',
            '--file',
            bundleFile,
            '--public-key',
            keyFile,
            '--json',
          ],
          { cwd: dir, env: { ...process.env, DATA_DIR: dir } },
        ).catch((failed: { stdout: string }) => failed);
        return JSON.parse(result.stdout) as { ok: boolean; signatureValid: boolean; problems: unknown[] };
      };
      const sound = await verify();
      expect(sound).toMatchObject({ ok: true, signatureValid: true, problems: [] });
      expect(JSON.stringify(sound)).toContain(String(count));

      // One entry changed after export: the offline check says so.
      const lines = (await readFile(bundleFile, 'utf8')).trimEnd().split('\n');
      lines[lines.length - 1] = lines.at(-1)!.replace('"orgId":"', '"orgId":"x');
      await writeFile(bundleFile, `${lines.join('\n')}\n`);
      const tampered = await verify();
      expect(tampered.ok).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('the operator reaches the ledger from its menu', async () => {
    const { page, errors } = await portal.newPage();
    await signInAs(page, demoUsers.operator, adminPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger' }).click();
    await page.waitForURL('**/regulator/ledger');
    await page.getByRole('heading', { name: 'Evidence bundle' }).waitFor();
    await page.locator('table tbody tr').first().waitFor();

    // Filters by organisation, dataset and time; actors shown as organisations; ids lead somewhere.
    const entries = page.locator('.ledger table tbody tr');
    const filters = page.locator('.ledger form.toolbar');
    await filters.getByLabel('Organisation').selectOption({ label: 'Harbour Bank' });
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/v1/audit?') && r.url().includes('orgId=')),
      filters.getByRole('button', { name: 'Filter', exact: true }).click(),
    ]);
    await entries.first().waitFor();
    const actors = await page.locator('.ledger td.ledger-actor').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    for (const actor of actors) expect(actor).toContain('Harbour Bank');
    const today = new Date().toISOString().slice(0, 10);
    await filters.getByLabel('From', { exact: true }).fill(today);
    await filters.getByLabel('To', { exact: true }).fill(today);
    await filters.getByLabel('Dataset').selectOption({ index: 1 });
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/v1/audit?') && r.url().includes('objectId=')),
      filters.getByRole('button', { name: 'Filter', exact: true }).click(),
    ]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await entries.first().waitFor();
    const datasetLink = page.locator('.ledger-object a[href^="/datasets/"]').first();
    await filters.getByLabel('Organisation').selectOption({ label: 'Harbour Bank' });
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/v1/audit?') && r.url().includes('orgId=')),
      filters.getByRole('button', { name: 'Filter', exact: true }).click(),
    ]);
    await saveScreenshot(page, 'regulator-ledger-filtered');
    if ((await datasetLink.count()) > 0) {
      await datasetLink.click();
      await page.waitForURL('**/datasets/ds_*');
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('reads well on a phone', async () => {
    const { page, errors } = await portal.newPage({ viewport: { width: 390, height: 844 } });
    await signInAs(page, demoUsers.regulator);
    await page.goto('/regulator/ledger');
    await page.locator('table tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByRole('status').filter({ hasText: 'Chain verified.' }).waitFor();
    await saveScreenshot(page, 'regulator-ledger-phone');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
