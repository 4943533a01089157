import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEmail, createTestPlatform, password, signIn, type TestPlatform } from '../../test/harness.js';
import { type ConsentSeedResult, seedDemoConsents } from './consent.js';
import { smeCustomerCount, smeCustomers } from './datasets.js';
import { seedDemoCommunity } from './seed.js';

describe('demo: an SME’s consent lets a second bank see its transaction summary', () => {
  let platform: TestPlatform;
  let first: ConsentSeedResult;
  let second: ConsentSeedResult;
  let lionRock: string;
  let harbour: string;

  async function rows(cookie: string, sql: string): Promise<unknown[][]> {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/query',
      headers: { cookie },
      payload: { sql },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().rows;
  }

  beforeAll(async () => {
    platform = await createTestPlatform('pglite');
    await seedDemoCommunity(platform.identity, { adminEmail, demoPassword: password });
    first = await seedDemoConsents(platform);
    second = await seedDemoConsents(platform);
    lionRock = await signIn(platform, 'kelvin@lion-rock-bank.demo');
    harbour = await signIn(platform, 'grace@harbour-bank.demo');
  });
  afterAll(async () => platform?.dispose());

  it('is idempotent: the second run finds the dataset, the consents and the agreement', () => {
    expect(first).toMatchObject({ created: true, consentsCreated: 54, agreement: { created: true } });
    expect(second).toMatchObject({
      datasetId: first.datasetId,
      created: false,
      consentsCreated: 0,
      agreement: { id: first.agreement!.id, created: false },
    });
    expect(first.consentingSubjects).toHaveLength(50);
  });

  it("gives Lion Rock Bank exactly the consenting SMEs' twelve months, and Harbour Bank every SME", async () => {
    const seen = await rows(
      lionRock,
      'SELECT customer_id, count(*) AS months FROM harbour_bank_sme_transactions GROUP BY 1 ORDER BY 1',
    );
    expect(seen.map((row) => row[0])).toEqual(first.consentingSubjects);
    expect(new Set(seen.map((row) => Number(row[1])))).toEqual(new Set([12]));
    // Another purpose, another bank, an expired and a withdrawn consent: none of them counts.
    const [, marketing, otherBank, expired, withdrawn] = smeCustomers().map((c) => c.customer_id);
    for (const subject of [marketing, otherBank, expired, withdrawn]) {
      expect(first.consentingSubjects).not.toContain(subject);
    }
    const all = await rows(harbour, 'SELECT count(DISTINCT customer_id) FROM harbour_bank_sme_transactions');
    expect(Number(all[0]![0])).toBe(smeCustomerCount);
  });

  it('hands the withdrawn SME a receipt that says so', async () => {
    const withdrawn = smeCustomers()[4]!.customer_id;
    const response = await platform.app.inject({
      method: 'GET',
      url: `/v1/consents/receipts/${withdrawn}`,
      headers: { cookie: harbour },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [purpose] = response.json().services[0].purposes;
    expect(purpose).toMatchObject({
      state: 'revoked',
      thirdPartyName: 'Lion Rock Bank',
      purpose: 'credit-assessment',
    });
  });
});
