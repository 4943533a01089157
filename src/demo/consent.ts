import type { AccessRequestInput } from '../modules/access/agreements.js';
import type { DatasetEntry } from '../modules/catalog/datasets.js';
import type { Classification } from '../modules/catalog/schema.js';
import type { Principal } from '../modules/identity/principal.js';
import type { PlatformServices } from '../services.js';
import { smeCustomers } from './datasets.js';
import { demoPrincipal, mulberry32 } from './principal.js';
import { ensureDemoDataset } from './publish.js';

/**
 * The bank-to-bank scenario, in the spirit of Hong Kong's Commercial Data Interchange: an SME that
 * banks with Harbour Bank applies for credit at Lion Rock Bank and consents to Harbour Bank sharing
 * its transaction history with Lion Rock Bank for credit assessment. Harbour Bank publishes its SME
 * customers' monthly transaction summaries as a consent-required dataset (subject column: the
 * customer number) and keeps the consents; Lion Rock Bank holds an agreement for the dataset, and
 * its governed queries return exactly the rows of the SMEs whose consent to it is live. Everything
 * is synthetic (the SMEs are those of the demo's customer file, datasets.ts).
 */

const slug = 'harbour_bank_sme_transactions';
const months = 12;
/** The summaries run from July 2023 to June 2024, the last month of the customer file. */
const firstMonth = Date.UTC(2023, 6, 1);

/** Every 40th SME (from the 8th) has consented to Lion Rock Bank: 50 of the 2,000. */
export function isConsentingSme(index: number): boolean {
  return index % 40 === 7;
}

export const demoEvidencePrefix = 'Harbour Bank CDI consent form';

interface SummaryColumn {
  name: string;
  classification: Classification;
  description: string;
}

const summaryColumns: SummaryColumn[] = [
  {
    name: 'customer_id',
    classification: 'identifier',
    description: 'Harbour Bank’s customer number: the subject key',
  },
  { name: 'month', classification: 'public', description: 'first day of the month summarised' },
  { name: 'credit_turnover_hkd', classification: 'sensitive', description: 'money in during the month, HK$' },
  { name: 'debit_turnover_hkd', classification: 'sensitive', description: 'money out during the month, HK$' },
  { name: 'transactions', classification: 'internal', description: 'number of transactions in the month' },
  {
    name: 'average_balance_hkd',
    classification: 'sensitive',
    description: 'average end-of-day balance, HK$',
  },
  { name: 'returned_items', classification: 'sensitive', description: 'cheques and debits returned unpaid' },
];

/** Twelve months per SME, shaped by its size and turnover; seeded, so every run gives the same file. */
export function smeTransactionSummaries(): (string | number)[][] {
  const random = mulberry32(0xcd1_2024);
  const rows: (string | number)[][] = [];
  for (const customer of smeCustomers()) {
    const monthly = customer.annual_turnover_hkd / 12;
    for (let m = 0; m < months; m++) {
      const date = new Date(firstMonth);
      date.setUTCMonth(date.getUTCMonth() + m);
      const credits = Math.round((monthly * (0.75 + random() * 0.5)) / 100) * 100;
      const debits = Math.round((credits * (0.85 + random() * 0.2)) / 100) * 100;
      rows.push([
        customer.customer_id,
        date.toISOString().slice(0, 10),
        credits,
        debits,
        Math.max(1, Math.round(customer.employees * (8 + random() * 20))),
        Math.round((monthly * (0.2 + random() * 1.3)) / 100) * 100,
        random() < 0.03 ? 1 : 0,
      ]);
    }
  }
  return rows;
}

export interface ConsentSeedResult {
  datasetId: string;
  created: boolean;
  /** Consents this run added (0 on every run after the first). */
  consentsCreated: number;
  /** Lion Rock Bank's agreement; null when a person decided otherwise. */
  agreement: { id: string; created: boolean } | null;
  /** The SMEs whose rows Lion Rock Bank sees. */
  consentingSubjects: string[];
}

async function ensureDataset(
  platform: PlatformServices,
  bank: Principal,
): Promise<{ entry: DatasetEntry; created: boolean }> {
  const { entry, isNew } = await ensureDemoDataset(platform.datasets, bank, {
    metadata: {
      slug,
      title: 'Harbour Bank SME monthly transaction summaries (synthetic)',
      description:
        'Monthly money in, money out, transaction counts, average balance and returned items of Harbour Bank’s SME ' +
        'customers, July 2023 to June 2024. Consent-required: another organisation sees the rows of an SME only ' +
        'while that SME’s consent to it for the agreement’s purpose is live (Commercial Data Interchange style). ' +
        'Synthetic: no real company.',
      licence: 'proprietary',
      keywords: ['sme', 'transactions', 'credit', 'banking', 'consent', 'cdi', 'synthetic'],
      themes: ['economy', 'finance'],
      updateFrequency: 'monthly',
      spatial: ['hong-kong'],
      temporalStart: '2023-07-01',
      temporalEnd: '2024-06-30',
      consentRequired: true,
      subjectColumn: 'customer_id',
    },
    columns: summaryColumns,
    rows: smeTransactionSummaries,
  });
  return { entry, created: isNew };
}

/**
 * The consent file Harbour Bank imports: the consenting SMEs, and four that show what does not
 * count for Lion Rock Bank (another purpose, another bank, an expired consent, a withdrawn one).
 */
function consentFile(datasetId: string, lionRock: string, qianhai: string, now: Date): string {
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines = ['subject_key,purpose,grantee_org_id,dataset_ids,granted_at,expires_at,evidence'];
  const customers = smeCustomers();
  customers.forEach((customer, index) => {
    if (!isConsentingSme(index)) return;
    const granted = now.getTime() - (1 + (index % 30)) * day;
    lines.push(
      [
        customer.customer_id,
        'credit-assessment',
        lionRock,
        datasetId,
        iso(granted),
        iso(granted + 365 * day),
        `${demoEvidencePrefix} CDI-${customer.customer_id}`,
      ].join(','),
    );
  });
  const [, marketing, otherBank, expired, withdrawn] = customers;
  const counterExamples: [string, string, string, string, string][] = [
    [
      marketing!.customer_id,
      'marketing',
      lionRock,
      iso(now.getTime() - 10 * day),
      iso(now.getTime() + 355 * day),
    ],
    [
      otherBank!.customer_id,
      'credit-assessment',
      qianhai,
      iso(now.getTime() - 10 * day),
      iso(now.getTime() + 355 * day),
    ],
    [expired!.customer_id, 'credit-assessment', lionRock, '2023-01-02', '2024-01-02'],
    [
      withdrawn!.customer_id,
      'credit-assessment',
      lionRock,
      iso(now.getTime() - 20 * day),
      iso(now.getTime() + 345 * day),
    ],
  ];
  for (const [subject, purpose, grantee, granted, expires] of counterExamples) {
    lines.push(
      [subject, purpose, grantee, datasetId, granted, expires, `${demoEvidencePrefix} CDI-${subject}`].join(
        ',',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

const lendingRequest: Omit<AccessRequestInput, 'datasetId'> = {
  purpose: 'credit-assessment',
  purposeText:
    'Credit assessment of SMEs that apply to Lion Rock Bank for a loan and consent to Harbour Bank sharing ' +
    'their transaction history with us.',
  columns: summaryColumns.map((column) => column.name),
  durationDays: 365,
  wantsDownload: false,
};

/**
 * Seeds the consent scenario; needs the demo community. Idempotent: the dataset is found by slug,
 * the consents by the first consenting SME's evidence reference, the agreement by consumer and
 * dataset, so every start after the first adds nothing.
 */
export async function seedDemoConsents(platform: PlatformServices): Promise<ConsentSeedResult> {
  const { identity, consents, agreements } = platform;
  const bank = await demoPrincipal(identity, 'harbour-bank');
  const lionRock = await demoPrincipal(identity, 'lion-rock-bank');
  const qianhai = await demoPrincipal(identity, 'qianhai-fintech');
  const { entry, created } = await ensureDataset(platform, bank);
  const datasetId = entry.dataset.id;
  const customers = smeCustomers();
  const consentingSubjects = customers
    .filter((_, index) => isConsentingSme(index))
    .map((customer) => customer.customer_id);

  let consentsCreated = 0;
  const existing = await consents.list(bank, { subjectKey: consentingSubjects[0], limit: 10 });
  if (!existing.items.some((consent) => consent.evidence?.startsWith(demoEvidencePrefix))) {
    const file = consentFile(datasetId, lionRock.orgId, qianhai.orgId, consents.deps.clock.now());
    consentsCreated = (await consents.importCsv(bank, file)).imported;
  }
  // The fifth SME withdrew its consent; make sure that holds even if an earlier run stopped before.
  const withdrawn = customers[4]!.customer_id;
  const live = await consents.list(bank, { subjectKey: withdrawn, state: 'live', limit: 10 });
  for (const consent of live.items.filter((item) => item.evidence?.startsWith(demoEvidencePrefix))) {
    await consents.revoke(bank, consent.id, 'the SME withdrew its consent at a Harbour Bank branch');
  }

  let agreement: ConsentSeedResult['agreement'] = null;
  const [held] = await agreements.listAgreements(lionRock, { as: 'consumer', datasetId });
  if (held) {
    agreement = { id: held.id, created: false };
  } else {
    const requests = await agreements.listRequests(lionRock, { as: 'consumer', datasetId });
    const pending = requests.find(
      (request) => request.state === 'pending' && request.purposeText === lendingRequest.purposeText,
    );
    if (requests.length === 0 || pending) {
      const request = pending ?? (await agreements.request(lionRock, { ...lendingRequest, datasetId }));
      // No masks: naming the SME to the bank it applied to is what the consent is for.
      const approved = await agreements.approve(bank, request.id, { maxRowsPerQuery: 5000 });
      agreement = { id: approved.agreement.id, created: true };
    }
  }
  return { datasetId, created, consentsCreated, agreement, consentingSubjects };
}
