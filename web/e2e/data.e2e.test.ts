import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers, type PortalUnderTest, saveScreenshot, signInAs, startPortal } from './support.js';

/** Screenshots people look at while building: the publish page with its risk panel, desktop and phone. */
const shotsDir = process.env.STP_SHOTS_DIR ?? '/tmp/shots';

/** An HKID's check digit (letter + six digits), so the generated numbers are valid ones. */
function hkidCheck(body: string): string {
  const chars = ` ${body}`;
  let sum = 0;
  for (const [i, char] of Array.from(chars).entries()) {
    sum += (char === ' ' ? 36 : /[A-Z]/.test(char) ? char.charCodeAt(0) - 55 : Number(char)) * (9 - i);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'A' : check === 11 ? '0' : String(check);
}

interface Patient {
  patientId: string;
  givenName: string;
  familyName: string;
  hkid: string;
  birthDate: string;
  sex: string;
  district: string;
  latitude: string;
  longitude: string;
  icd10: string;
  diagnosis: string;
}

/**
 * A patient-like file of the kind hospitals exchange for testing: names, a patient id, an HKID,
 * birth date, sex, district, home coordinates to 5 decimals and an ICD-10 diagnosis. People share
 * birth date, sex and district in small groups, and one combination is planted once, so the
 * smallest group (k), before and after masks, is known from the rows themselves.
 */
function patients(): Patient[] {
  const given = ['Ka Ming', 'Wai Yee', 'Siu Fung', 'Mei Ling', 'Chi Keung', 'Hoi Yan', 'Tsz Ho', 'Man Wai'];
  const family = ['Chan', 'Wong', 'Lee', 'Cheung', 'Lau', 'Ng', 'Ho', 'Leung', 'Yip', 'Tsang'];
  const districts = ['Sha Tin', 'Tai Po', 'Wan Chai', 'Yuen Long', 'Kwun Tong'];
  const diagnoses: [string, string][] = [
    ['E11.9', 'Type 2 diabetes mellitus without complications'],
    ['I10', 'Essential (primary) hypertension'],
    ['J45.909', 'Unspecified asthma, uncomplicated'],
    ['F32.9', 'Major depressive disorder, single episode, unspecified'],
    ['C50.911', 'Malignant neoplasm of unspecified site of right female breast'],
    ['N18.3', 'Chronic kidney disease, stage 3'],
  ];
  const groups: { birthDate: string; sex: string; district: string; size: number }[] = [];
  for (let g = 0; g < 12; g++) {
    groups.push({
      birthDate: `19${50 + g * 3}-0${(g % 9) + 1}-1${g % 10}`,
      sex: g % 2 === 0 ? 'F' : 'M',
      district: districts[g % districts.length]!,
      size: 2 + (g % 3),
    });
  }
  // Alone on its birth date, but not on its birth year: truncating dates to the year raises k.
  groups.push({ birthDate: '1953-07-04', sex: 'M', district: 'Tai Po', size: 1 });
  const rows: Patient[] = [];
  for (const group of groups) {
    for (let j = 0; j < group.size; j++) {
      const i = rows.length;
      const body = `${String.fromCharCode(65 + (i % 26))}${String(123_400 + i * 37).padStart(6, '0')}`;
      const [icd10, diagnosis] = diagnoses[i % diagnoses.length]!;
      rows.push({
        patientId: `P${String(100_001 + i * 7)}`,
        givenName: given[i % given.length]!,
        familyName: family[(i * 3) % family.length]!,
        hkid: `${body}(${hkidCheck(body)})`,
        birthDate: group.birthDate,
        sex: group.sex,
        district: group.district,
        latitude: (22.28 + ((i * 7919) % 1000) / 10_000 + 0.00001 * (i % 7)).toFixed(5),
        longitude: (114.15 + ((i * 104_729) % 1000) / 10_000 + 0.00001 * (i % 5)).toFixed(5),
        icd10,
        diagnosis,
      });
    }
  }
  return rows;
}

/** The smallest group of rows sharing the same values of the given fields, and the rows alone in theirs. */
function equivalence(
  rows: Patient[],
  fields: (keyof Patient)[],
  mask: (field: keyof Patient, value: string) => string = (_, value) => value,
): { k: number; unique: number } {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify(fields.map((field) => mask(field, row[field])));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sizes = [...counts.values()];
  return { k: Math.min(...sizes), unique: sizes.filter((size) => size === 1).length };
}

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * The data journey: "a provider uploads a dataset and approves a request; the consumer runs a query and
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
    // Personal and sensitive columns start unticked: the consumer asks for them on purpose.
    const emailBox = c.getByRole('checkbox', { name: /customer_email/ });
    expect(await emailBox.isChecked()).toBe(false);
    await emailBox.check();
    const balanceBox = c.getByRole('checkbox', { name: /balance_hkd/ });
    expect(await balanceBox.isChecked()).toBe(false);
    await balanceBox.check();
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
    // The balance is a sensitive number, so the editor starts it banded; the bank releases it as it is.
    expect(await card.getByLabel('Mask for balance_hkd').inputValue()).toBe('band');
    await card.getByLabel('Mask for balance_hkd').selectOption('');
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
    // Spending ε is confirmed first, with the amount and what remains after.
    const confirm = page.getByRole('alertdialog', { name: /^Spend ε [\d.]+ on this query\?$/ });
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/of the [\d.]+ you have left, leaving [\d.]+ of [\d.]+/);
    await confirm.getByRole('button', { name: /^Spend ε [\d.]+ and run$/ }).click();
    await page.getByRole('heading', { name: 'Noisy result' }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/This query spent ε \d/);
    await page.getByRole('cell', { name: /FROM patients/ }).waitFor();
    await saveScreenshot(page, 'data-labs');
    expect(errors).toEqual([]);
  }, 120_000);

  it('flags a patient file, refuses to publish it as open data and shows k before publishing', async () => {
    const rows = patients();
    const header = [
      'patient_id',
      'given_name',
      'family_name',
      'hkid',
      'birth_date',
      'sex',
      'district',
      'latitude',
      'longitude',
      'icd10_code',
      'diagnosis',
    ];
    const csv = path.join(dir, 'patients.csv');
    await writeFile(
      csv,
      `${header.join(',')}\n${rows
        .map((r) =>
          [
            r.patientId,
            r.givenName,
            r.familyName,
            r.hkid,
            r.birthDate,
            r.sex,
            r.district,
            r.latitude,
            r.longitude,
            r.icd10,
            r.diagnosis,
          ]
            .map(csvField)
            .join(','),
        )
        .join('\n')}\n`,
    );
    const patientsTitle = 'Outpatient diagnoses (journey)';

    const provider = await portal.newPage();
    const p = provider.page;
    await signInAs(p, 'dr.chan@hospital-data-lab.demo');
    await p.goto('/publish');
    await p.getByLabel('Title', { exact: true }).fill(patientsTitle);
    await p.getByLabel('Name in SQL (optional)').fill('journey_outpatients');
    await p.getByLabel('Licence').fill('CC-BY-4.0');
    await p.getByRole('button', { name: 'Create the draft' }).click();
    await p.getByLabel(/^File/).setInputFiles(csv);
    await p.getByRole('button', { name: 'Upload', exact: true }).click();
    await p.getByLabel('Classification of diagnosis').waitFor();

    // ---- the suggestions and the reasons given for them ----
    const expected: [string, string, RegExp][] = [
      ['given_name', 'personal', /name/i],
      ['family_name', 'personal', /name/i],
      ['patient_id', 'identifier', /./],
      ['hkid', 'identifier', /HKID|identity/i],
      ['latitude', 'personal', /latitude or longitude/],
      ['longitude', 'personal', /latitude or longitude/],
      ['icd10_code', 'sensitive', /ICD|diagnos/i],
      ['diagnosis', 'sensitive', /diagnos|health/i],
    ];
    for (const [column, classification, reason] of expected) {
      expect(await p.getByLabel(`Classification of ${column}`).inputValue(), column).toBe(classification);
      const reasons = p.getByRole('list', { name: `Why ${column} got this suggestion` });
      expect(await reasons.textContent(), column).toMatch(reason);
    }
    // Birth date, sex and district are suggested as the quasi-identifiers.
    for (const column of ['birth_date', 'sex', 'district']) {
      expect(await p.getByLabel(`${column} is a quasi-identifier`).isChecked(), column).toBe(true);
    }
    await saveScreenshot(p, 'data-patients-classify');
    await p.getByRole('button', { name: 'Confirm classifications' }).click();

    // ---- the risk panel before publishing: k from the rows themselves ----
    const figures = p.getByTestId('risk-figures');
    await figures.waitFor();
    const { k, unique } = equivalence(rows, ['birthDate', 'sex', 'district']);
    expect(k).toBe(1);
    const figuresText = (await figures.textContent()) ?? '';
    expect(figuresText).toContain(`k = ${k} is below your threshold of 5`);
    expect(figuresText).toContain(`${unique} of ${rows.length} rows`);
    expect(figuresText).toMatch(/Measured on\s*birth_date, sex, district/);
    const byYear = equivalence(rows, ['birthDate', 'sex', 'district'], (field, value) =>
      field === 'birthDate' ? value.slice(0, 4) : value,
    );
    expect(byYear.k).toBeGreaterThan(k);
    expect(figuresText).toContain(`truncate birth_date to the year → k = ${byYear.k}`);

    // ---- publishing under an open licence is refused, and the refusal names the columns ----
    const restricted = [
      'patient_id',
      'given_name',
      'family_name',
      'hkid',
      'birth_date',
      'sex',
      'latitude',
      'longitude',
      'icd10_code',
      'diagnosis',
    ];
    const warning = p.getByText(/CC-BY-4.0 is an open licence/);
    await warning.waitFor();
    for (const column of restricted) expect(await warning.textContent()).toContain(column);
    await p.getByRole('button', { name: 'Publish to the catalogue' }).click();
    const refusal = p.getByRole('alert');
    await refusal.waitFor();
    const refusalText = (await refusal.textContent()) ?? '';
    expect(refusalText).toContain('open-data-restricted-columns');
    const named = /identifiers: ([a-z0-9_, ]+)\./.exec(refusalText)?.[1]?.split(', ');
    expect(new Set(named)).toEqual(new Set(restricted));
    // Still a draft: nothing was published.
    const row = p.getByRole('row', { name: /Outpatient diagnoses \(journey\)/ });
    await row.getByText('draft').waitFor();
    await mkdir(shotsDir, { recursive: true });
    await p.evaluate('window.scrollTo(0, 0)');
    await p.screenshot({ path: path.join(shotsDir, 'publish-risk-en-1280.png'), fullPage: true });

    // ---- the same page on a phone, in Chinese ----
    const phone = await portal.newPage({ viewport: { width: 390, height: 844 } });
    const f = phone.page;
    await signInAs(f, 'dr.chan@hospital-data-lab.demo');
    await f.getByTestId('language-switch').selectOption('zh-HK');
    await f.goto('/publish');
    await f.getByRole('button', { name: /繼續 Outpatient diagnoses \(journey\)/ }).click();
    await f.getByTestId('risk-figures').waitFor();
    expect(await f.getByTestId('risk-figures').textContent()).toContain(`k = ${k}`);
    await f.getByRole('button', { name: '發佈到目錄' }).click();
    await f.getByRole('alert').waitFor();
    const zhRefusal = (await f.getByRole('alert').textContent()) ?? '';
    expect(zhRefusal).toContain('開放授權不能涵蓋個人、敏感或識別欄位');
    for (const column of restricted) expect(zhRefusal).toContain(column);
    await f.evaluate('window.scrollTo(0, 0)');
    await f.screenshot({ path: path.join(shotsDir, 'publish-risk-zh-HK-390.png'), fullPage: true });
    expect(await f.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);

    expect(provider.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  }, 180_000);
});
