import { createHash } from 'node:crypto';
import type { AccessRequestInput, AgreementService } from '../modules/access/agreements.js';
import type { TermsOverrides } from '../modules/access/terms.js';
import type { DatasetEntry } from '../modules/catalog/datasets.js';
import { hongKongDate } from '../modules/crossborder/index.js';
import type { Principal } from '../modules/identity/principal.js';
import type { PlatformServices } from '../services.js';
import { demoPrincipal, mulberry32 } from './principal.js';
import { type CsvValue, type DemoColumn, type DemoDatasetSpec, ensureDemoDataset } from './publish.js';

/**
 * The demo's data products. Open datasets from the park's published figures (the press release of
 * 25 October 2023, shared/seed-facts.md: nothing here is estimated or filled in), a synthetic SME
 * customer file at Harbour Bank, and one agreement under which Qianhai FinTech queries that file
 * through masks and a row filter, so a visitor can run a governed query right after `npm start`.
 *
 * The park's figures are published by Kowloon Land: the community has no organisation for the
 * park itself (its operator organisation runs the platform and cannot provide data), and in this
 * demo Kowloon Land already owns and meters the park's buildings, InnoCell and the InnoParks'
 * centres (building-energy.ts). Each row names the park's press release as its source.
 */

interface DemoDataset extends DemoDatasetSpec {
  /** Slug of the demo organisation that publishes it. */
  publisher: string;
}

export interface DatasetSeedResult {
  created: string[];
  existing: string[];
  /** The demo agreement; null when someone decided otherwise (a rejected or withdrawn request). */
  agreement: { id: string; created: boolean } | null;
  /** Sha Tin AI Labs' request for the bank file, left for Harbour Bank to decide; null once decided. */
  pendingRequest: { id: string; created: boolean } | null;
}

const pressRelease = 'Science Park press release, 25 Oct 2023';
const asOf = '2023-10-25';
/** Hong Kong Science Park (mostly in Sha Tin, partly in Tai Po) and the three InnoParks. */
const parkDistricts = ['sha-tin', 'tai-po', 'yuen-long', 'sai-kung'];

const qualifierDescription =
  'how the figure was published: "at least" (published as 1,400+ or ≥ 50), "about", "target" or ' +
  '"planned"; empty where the figure was published as it stands';

// ---- open datasets from the park's published figures --------------------------------------------

const ecosystemFigures: DemoDataset = {
  publisher: 'kowloon-land',
  metadata: {
    slug: 'park_ecosystem_figures',
    title: 'Science Park ecosystem in figures (October 2023)',
    description:
      'Every figure from the Science Park’s press release welcoming the 2023 Policy Address (25 October 2023), ' +
      'one row per figure: companies, researchers, start-ups, InnoHK labs, biotech, funding, InnoCell, talent ' +
      'programmes, the Shenzhen branch, green tech and the facilities opening in 2024. A figure published as ' +
      '"1,400+" is recorded as 1400 with the qualifier "at least"; nothing is estimated or filled in. ' +
      'Spatial coverage lists the Hong Kong districts of Science Park and the InnoParks; the rows on the ' +
      'Shenzhen branch describe Futian, Shenzhen, which lies outside Hong Kong and outside that coverage.',
    licence: 'CC-BY-4.0',
    keywords: [
      'science park',
      'innopark',
      'innohk',
      'start-ups',
      'researchers',
      'biotech',
      'innocell',
      'green tech',
      'policy address 2023',
    ],
    themes: ['economy', 'science-and-technology'],
    updateFrequency: 'irregular',
    spatial: ['hong-kong', ...parkDistricts],
    temporalStart: '2018-01-01',
    temporalEnd: asOf,
  },
  columns: [
    { name: 'topic', classification: 'public', description: 'what the figure is about, for grouping' },
    { name: 'fact', classification: 'public', description: 'the published fact, in words' },
    { name: 'figure', classification: 'public', description: 'the number as published, without separators' },
    { name: 'qualifier', classification: 'public', description: qualifierDescription },
    { name: 'unit', classification: 'public', description: 'what the figure counts or measures' },
    { name: 'note', classification: 'public', description: 'context given with the figure' },
    { name: 'as_of', classification: 'public', description: 'date of the press release' },
    { name: 'source', classification: 'public', description: 'where the figure was published' },
  ],
  rows: () =>
    (
      [
        ['ecosystem', 'Technology companies in the park ecosystem', 1400, 'at least', 'companies', null],
        ['ecosystem', 'Researchers', 13_000, null, 'people', null],
        ['incubation', 'Start-ups incubated, all time', 950, 'at least', 'start-ups', null],
        [
          'innoparks',
          'Companies in the three InnoParks',
          188,
          null,
          'companies',
          'the former industrial estates, renamed InnoParks in 2021',
        ],
        [
          'microelectronics',
          'Microelectronics-related companies in Science Park',
          200,
          'at least',
          'companies',
          null,
        ],
        [
          'research',
          'Labs in the two InnoHK research clusters (Health@InnoHK, AIR@InnoHK)',
          28,
          null,
          'labs',
          'total of both clusters; not published per cluster',
        ],
        [
          'research',
          'Research projects in the first phase of the third InnoHK cluster',
          50,
          'at least',
          'research projects',
          'advanced manufacturing, materials, energy and sustainability; preparation from 2024',
        ],
        [
          'biotech',
          'Biomedical companies in Science Park, five years earlier',
          30,
          null,
          'companies',
          'five years before the press release',
        ],
        ['biotech', 'Biomedical companies in Science Park', 240, 'about', 'companies', null],
        [
          'funding',
          'Funds raised via the translational research programme',
          964_000_000,
          'at least',
          'HKD',
          'financial year 2022-23',
        ],
        ['housing', 'InnoCell occupancy', 90, null, 'percent', null],
        [
          'housing',
          'Additional InnoCell units planned',
          200,
          null,
          'units',
          'in West Kowloon, delivered in phases',
        ],
        ['talent', 'Future tech leaders programme participants', 2000, 'at least', 'participants', null],
        ['talent', 'Talent Game On 2K23 participants', 100_000, 'at least', 'participants', null],
        [
          'greater-bay-area',
          'Gross floor area of the Shenzhen branch',
          31_000,
          null,
          'square metres',
          'in Futian, Shenzhen (outside Hong Kong); first tenants in June 2023',
        ],
        [
          'greater-bay-area',
          'Companies targeted at the Shenzhen branch within a year',
          150,
          'target',
          'companies',
          'in Futian, Shenzhen (outside Hong Kong)',
        ],
        ['green-tech', 'Green-tech companies', 100, 'at least', 'companies', null],
        ['green-tech', 'Net-zero target year', 2045, 'target', 'year', null],
        [
          'policy',
          'New industrialisation acceleration scheme (government)',
          10_000_000_000,
          null,
          'HKD',
          null,
        ],
        [
          'facilities',
          'Advanced Manufacturing Centre "ProShop" opens (Tseung Kwan O InnoPark)',
          2024,
          'planned',
          'year',
          null,
        ],
        ['facilities', 'Microelectronics Centre opens (Yuen Long InnoPark)', 2024, 'planned', 'year', null],
      ] satisfies CsvValue[][]
    ).map((row) => [...row, asOf, pressRelease]),
};

const innohkLabs: DemoDataset = {
  publisher: 'kowloon-land',
  metadata: {
    slug: 'park_innohk_labs',
    title: 'InnoHK research clusters at Science Park',
    description:
      'The InnoHK research clusters as of October 2023. Health@InnoHK and AIR@InnoHK have 28 labs between ' +
      'them; the press release gives only this total, so it is published as one row naming both clusters ' +
      'rather than split by cluster. A third cluster (advanced manufacturing, materials, energy and ' +
      'sustainability) is in preparation from 2024 with at least 50 research projects in its first phase.',
    licence: 'CC-BY-4.0',
    keywords: ['innohk', 'health@innohk', 'air@innohk', 'research labs', 'science park'],
    themes: ['science-and-technology', 'research'],
    updateFrequency: 'irregular',
    spatial: ['sha-tin'],
    temporalStart: asOf,
    temporalEnd: asOf,
  },
  columns: [
    {
      name: 'clusters',
      classification: 'public',
      description: 'the InnoHK cluster or clusters the row covers',
    },
    { name: 'status', classification: 'public', description: 'operating, or in preparation' },
    {
      name: 'labs',
      classification: 'public',
      description: 'labs in the clusters of the row, where published',
    },
    {
      name: 'research_projects',
      classification: 'public',
      description: 'research projects in the first phase, where published',
    },
    { name: 'qualifier', classification: 'public', description: qualifierDescription },
    { name: 'note', classification: 'public', description: 'context given with the figures' },
    { name: 'as_of', classification: 'public', description: 'date of the press release' },
    { name: 'source', classification: 'public', description: 'where the figures were published' },
  ],
  rows: () => [
    [
      'Health@InnoHK and AIR@InnoHK',
      'operating',
      28,
      null,
      null,
      'total of both clusters; not published per cluster',
      asOf,
      pressRelease,
    ],
    [
      'Third cluster: advanced manufacturing, materials, energy and sustainability',
      'in preparation from 2024',
      null,
      50,
      'at least',
      'first phase',
      asOf,
      pressRelease,
    ],
  ],
};

const biotechGrowth: DemoDataset = {
  publisher: 'kowloon-land',
  metadata: {
    slug: 'park_biotech_growth',
    title: 'Biomedical companies in Science Park, 2018 and 2023',
    description:
      'How many biomedical companies Science Park hosts: 30 five years before the press release of October ' +
      '2023, and about 240 at its date. Two published figures, no series in between; the earlier one is ' +
      'recorded under 2018, five years before 2023.',
    licence: 'CC-BY-4.0',
    keywords: ['biotech', 'biomedical', 'life sciences', 'science park', 'health'],
    themes: ['health', 'economy'],
    updateFrequency: 'irregular',
    spatial: ['sha-tin'],
    temporalStart: '2018-01-01',
    temporalEnd: asOf,
  },
  columns: [
    { name: 'year', classification: 'public', description: 'the year the figure describes' },
    {
      name: 'biomedical_companies',
      classification: 'public',
      description: 'biomedical companies in Science Park',
    },
    { name: 'qualifier', classification: 'public', description: qualifierDescription },
    { name: 'note', classification: 'public', description: 'how the press release put it' },
    { name: 'source', classification: 'public', description: 'where the figure was published' },
  ],
  rows: () => [
    [2018, 30, null, '30 five years earlier', pressRelease],
    [2023, 240, 'about', 'about 240 now', pressRelease],
  ],
};

const innocellOccupancy: DemoDataset = {
  publisher: 'kowloon-land',
  metadata: {
    slug: 'innocell_occupancy',
    title: 'InnoCell occupancy and expansion (October 2023)',
    description:
      'InnoCell, the residence for people working in Science Park, was 90% occupied in October 2023; 200 more ' +
      'units are planned in West Kowloon, delivered in phases. One row, as published: there is no monthly series.',
    licence: 'CC-BY-4.0',
    keywords: ['innocell', 'housing', 'talent', 'occupancy', 'science park'],
    themes: ['housing'],
    updateFrequency: 'irregular',
    spatial: ['sha-tin'],
    temporalStart: asOf,
    temporalEnd: asOf,
  },
  columns: [
    { name: 'occupancy_percent', classification: 'public', description: 'share of InnoCell units occupied' },
    { name: 'additional_units_planned', classification: 'public', description: 'further units planned' },
    { name: 'additional_units_location', classification: 'public', description: 'where they are planned' },
    { name: 'additional_units_delivery', classification: 'public', description: 'how they are delivered' },
    { name: 'as_of', classification: 'public', description: 'date of the press release' },
    { name: 'source', classification: 'public', description: 'where the figures were published' },
  ],
  rows: () => [[90, 200, 'West Kowloon', 'in phases', asOf, pressRelease]],
};

const greenTech: DemoDataset = {
  publisher: 'kowloon-land',
  metadata: {
    slug: 'park_green_tech',
    title: 'Green tech at the park and its net-zero target',
    description:
      'At least 100 green-tech companies work in the park (October 2023), and the park targets net zero by ' +
      '2045. One row, as published.',
    licence: 'CC-BY-4.0',
    keywords: ['green tech', 'net zero', 'carbon', 'sustainability', 'science park'],
    themes: ['environment', 'economy'],
    updateFrequency: 'irregular',
    spatial: parkDistricts,
    temporalStart: asOf,
    temporalEnd: asOf,
  },
  columns: [
    {
      name: 'green_tech_companies',
      classification: 'public',
      description: 'green-tech companies in the park',
    },
    { name: 'companies_qualifier', classification: 'public', description: qualifierDescription },
    {
      name: 'net_zero_target_year',
      classification: 'public',
      description: 'the year the park targets net zero',
    },
    { name: 'as_of', classification: 'public', description: 'date of the press release' },
    { name: 'source', classification: 'public', description: 'where the figures were published' },
  ],
  rows: () => [[100, 'at least', 2045, asOf, pressRelease]],
};

// ---- a synthetic customer file at Harbour Bank --------------------------------------------------

export const smeCustomerCount = 2000;

/** The districts of Science Park and the InnoParks: the only rows the demo agreement shows. */
export const creditAgreementDistricts = ['Sha Tin', 'Tai Po', 'Yuen Long', 'Sai Kung'];

/** The 18 districts, weighted roughly by where Hong Kong's small businesses are. */
const districtWeights: [string, number][] = [
  ['Central and Western', 12],
  ['Wan Chai', 10],
  ['Eastern', 6],
  ['Southern', 3],
  ['Yau Tsim Mong', 12],
  ['Sham Shui Po', 7],
  ['Kowloon City', 5],
  ['Wong Tai Sin', 3],
  ['Kwun Tong', 12],
  ['Kwai Tsing', 7],
  ['Tsuen Wan', 5],
  ['Tuen Mun', 3],
  ['Yuen Long', 4],
  ['North', 2],
  ['Tai Po', 3],
  ['Sha Tin', 6],
  ['Sai Kung', 3],
  ['Islands', 1],
];

/** Sectors, the words their company names use, and turnover per employee (HK$). */
const sectors: { name: string; trades: string[]; turnoverPerHead: number; isManufacturing?: boolean }[] = [
  { name: 'Trading', trades: ['Trading', 'Import and Export', 'Sourcing'], turnoverPerHead: 2_400_000 },
  { name: 'Logistics', trades: ['Logistics', 'Freight', 'Shipping'], turnoverPerHead: 1_500_000 },
  { name: 'Food and beverage', trades: ['Kitchen', 'Bakery', 'Tea House'], turnoverPerHead: 450_000 },
  { name: 'Retail', trades: ['Store', 'Outfitters', 'Homeware'], turnoverPerHead: 900_000 },
  {
    name: 'Professional services',
    trades: ['Consulting', 'Accounting', 'Advisory'],
    turnoverPerHead: 800_000,
  },
  { name: 'Software', trades: ['Software', 'Digital', 'Data'], turnoverPerHead: 1_100_000 },
  { name: 'Biotechnology', trades: ['Biotech', 'Life Sciences', 'Diagnostics'], turnoverPerHead: 1_000_000 },
  {
    name: 'Electronics',
    trades: ['Electronics', 'Microsystems', 'Semiconductor'],
    turnoverPerHead: 1_700_000,
  },
  {
    name: 'Green technology',
    trades: ['Clean Energy', 'Green Solutions', 'Recycling'],
    turnoverPerHead: 1_000_000,
  },
  {
    name: 'Construction',
    trades: ['Engineering', 'Building Services', 'Contractors'],
    turnoverPerHead: 1_200_000,
  },
  {
    name: 'Manufacturing',
    trades: ['Manufacturing', 'Precision Industries', 'Printing'],
    turnoverPerHead: 1_300_000,
    isManufacturing: true,
  },
];

const namePrefixes = [
  'Pearl River',
  'Harbourview',
  'Tolo',
  'Jade',
  'Golden Bauhinia',
  'Tai Mo Shan',
  'Lantau',
  'Silvermine',
  'Red Lotus',
  'Junk Bay',
  'Shing Mun',
  'Three Lamps',
  'Sunrise',
  'East Wind',
  'Bamboo Grove',
  'Phoenix Hill',
  'Cheung Chau',
  'Lamma',
  'Kowloon Bay',
  'Sai Kung',
  'Lotus Pond',
  'Blue Pool',
  'Plover Cove',
  'Crane',
  'Dragon Gate',
  'Fortune Bridge',
  'Evergreen',
  'Harbour Light',
  'Kingfisher',
  'Lychee',
  'Mandarin Tree',
  'North Point',
  'Orchid',
  'Peak',
  'Rising Tide',
  'Starling',
  'Tung Chung',
  'Waterfront',
  'Wing On Street',
  'Yellow River',
  'Aberdeen',
  'Apleichau',
  'Castle Peak',
  'Clearwater Bay',
  'Discovery',
  'Fanling',
  'Granville',
  'Hoi Ha',
  'Kam Tin',
  'Lion Gate',
  'Ma On Shan',
  'Nathan',
  'Ocean Crest',
  'Pine Hill',
  'Sandy Bay',
  'Shek O',
  'Stanley Bay',
  'Tai Hang',
  'Tin Hau',
  'Tsing Yi',
];
const nameSuffixes = ['Limited', 'Company Limited', '(HK) Limited'];

const givenNames = [
  'Karen',
  'Eric',
  'Winnie',
  'Kelvin',
  'Joyce',
  'Raymond',
  'Cindy',
  'Alan',
  'Vivian',
  'Patrick',
  'Fiona',
  'Dennis',
  'Queenie',
  'Terence',
  'Iris',
  'Gary',
  'Maggie',
  'Stanley',
  'Yvonne',
  'Wilson',
  'Ka Yan',
  'Wai Lun',
  'Siu Ming',
  'Hoi Ying',
  'Chi Keung',
  'Man Yee',
];
const surnames = [
  'Chan',
  'Wong',
  'Lee',
  'Cheung',
  'Lau',
  'Ho',
  'Ng',
  'Leung',
  'Tang',
  'Yip',
  'Chow',
  'Kwok',
  'Lam',
  'Tsang',
  'Mak',
  'Fung',
  'Yeung',
  'Chu',
  'Lo',
  'Siu',
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function pickWeighted(random: () => number, weights: [string, number][]): string {
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random() * total;
  for (const [value, weight] of weights) {
    at -= weight;
    if (at < 0) return value;
  }
  return weights[weights.length - 1]![0];
}

function digits(random: () => number, count: number): string {
  return Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
}

const day = 86_400_000;
const firstOpened = Date.UTC(2005, 0, 1);
const lastOpened = Date.UTC(2024, 5, 28);

export interface SmeCustomer {
  customer_id: string;
  company_name: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  district: string;
  sector: string;
  employees: number;
  annual_turnover_hkd: number;
  account_opened: string;
  credit_band: string;
}

/**
 * Harbour Bank's SME customers, invented: names, contacts and figures are drawn from a seeded PRNG
 * and belong to no real company or person. E-mail domains use the reserved `.example` TLD
 * (RFC 2606). Sizes stay within Hong Kong's SME definition (under 100 employees in manufacturing,
 * under 50 elsewhere).
 */
export function smeCustomers(count = smeCustomerCount): SmeCustomer[] {
  const random = mulberry32(0x5e_c0_2024);
  const usedNames = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const sector = pick(random, sectors);
    let company: string;
    do {
      company = `${pick(random, namePrefixes)} ${pick(random, sector.trades)} ${pick(random, nameSuffixes)}`;
    } while (usedNames.has(company));
    usedNames.add(company);
    const given = pick(random, givenNames);
    const surname = pick(random, surnames);
    const domain = `${company
      .replace(/ Limited$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}.example`;
    const localPart = `${given.toLowerCase().replace(/ /g, '')}.${surname.toLowerCase()}`;
    // Mobile numbers start with 5, 6 or 9; business lines with 2 or 3.
    const phone = `${pick(random, ['2', '3', '5', '6', '9'])}${digits(random, 7)}`;
    const maxEmployees = sector.isManufacturing ? 99 : 49;
    // Most small businesses are very small: employees fall off roughly exponentially.
    const employees = Math.max(1, Math.floor(Math.exp(random() * Math.log(maxEmployees + 1))));
    const turnover = employees * sector.turnoverPerHead * (0.5 + random());
    const opened = new Date(firstOpened + Math.floor(random() * ((lastOpened - firstOpened) / day)) * day);
    // Longer relationships and larger turnover earn better bands, with plenty of noise.
    const tenureYears = (lastOpened - opened.getTime()) / (365.25 * day);
    const score = random() * 0.7 + Math.min(tenureYears / 20, 1) * 0.2 + Math.min(employees / 50, 1) * 0.1;
    const band = score > 0.7 ? 'A' : score > 0.5 ? 'B' : score > 0.3 ? 'C' : score > 0.15 ? 'D' : 'E';
    return {
      customer_id: `HB-SME-${String(i + 1).padStart(6, '0')}`,
      company_name: company,
      // Cantonese names put the surname first (Chan Siu Ming), English ones last (Karen Chan).
      contact_name: given.includes(' ') ? `${surname} ${given}` : `${given} ${surname}`,
      contact_email: `${localPart}@${domain}`,
      contact_phone: `+852 ${phone.slice(0, 4)} ${phone.slice(4)}`,
      district: pickWeighted(random, districtWeights),
      sector: sector.name,
      employees,
      annual_turnover_hkd: Math.round(turnover / 1000) * 1000,
      account_opened: opened.toISOString().slice(0, 10),
      credit_band: band,
    };
  });
}

const smeCustomerColumns: (DemoColumn & { name: keyof SmeCustomer })[] = [
  {
    name: 'customer_id',
    classification: 'identifier',
    description: 'the bank’s customer number: singles out the customer',
  },
  {
    name: 'company_name',
    classification: 'internal',
    description: 'registered name of the business (a company, not a person)',
  },
  { name: 'contact_name', classification: 'personal', description: 'the business’s contact person' },
  { name: 'contact_email', classification: 'personal', description: 'the contact person’s e-mail address' },
  {
    name: 'contact_phone',
    classification: 'personal',
    description: 'the contact person’s phone, +852 and eight digits',
  },
  { name: 'district', classification: 'public', description: 'Hong Kong district of the business address' },
  { name: 'sector', classification: 'public', description: 'line of business' },
  { name: 'employees', classification: 'public', description: 'number of employees' },
  {
    name: 'annual_turnover_hkd',
    classification: 'sensitive',
    description: 'turnover of the last financial year, HK$, rounded to the thousand',
  },
  { name: 'account_opened', classification: 'public', description: 'date the business account was opened' },
  {
    name: 'credit_band',
    classification: 'sensitive',
    description: 'the bank’s internal credit band, A (strongest) to E',
  },
];

const smeCustomerFile: DemoDataset = {
  publisher: 'harbour-bank',
  metadata: {
    slug: 'harbour_bank_sme_customers',
    title: 'Harbour Bank SME customers (synthetic)',
    description:
      'Small and medium-sized businesses banking with Harbour Bank: sector, size, district, turnover, account ' +
      'age and the bank’s credit band, with a contact person for each. The data is synthetic (generated for ' +
      'the demo; no real company or person), but shaped like a bank’s file: it holds personal, sensitive and ' +
      'identifying columns, so it is never open. Partners get it through an agreement, with masks and filters.',
    licence: 'proprietary',
    keywords: ['sme', 'customers', 'credit', 'banking', 'synthetic'],
    themes: ['economy', 'finance'],
    updateFrequency: 'irregular',
    spatial: ['hong-kong'],
    temporalStart: '2005-01-01',
    temporalEnd: '2024-06-28',
  },
  columns: smeCustomerColumns,
  rows: () => smeCustomers().map((customer) => smeCustomerColumns.map((column) => customer[column.name])),
};

export const demoDatasets: DemoDataset[] = [
  ecosystemFigures,
  innohkLabs,
  biotechGrowth,
  innocellOccupancy,
  greenTech,
  smeCustomerFile,
];

// ---- the demo agreement -------------------------------------------------------------------------

const creditRequest: Omit<AccessRequestInput, 'datasetId'> = {
  purpose: 'credit-assessment',
  purposeText:
    'SME credit scoring for lenders in the Greater Bay Area: we score Hong Kong businesses that apply for ' +
    'credit from sector, size, turnover, account age and the bank’s credit band.',
  columns: smeCustomerColumns.map((column) => column.name),
  durationDays: 180,
  wantsDownload: false,
};

/**
 * What Harbour Bank approves: no contact names at all, the customer number as a pseudonym, contact
 * details withheld, turnover in HK$1 million bands, only businesses in the park's districts, at most
 * 1,000 rows a query, from the consumer's verified location in Shenzhen. What crosses the boundary
 * is about companies, not about the people who run them.
 */
export const creditAgreementTerms: TermsOverrides = {
  columns: creditRequest.columns.filter((name) => name !== 'contact_name'),
  masks: {
    customer_id: { kind: 'hash' },
    contact_email: { kind: 'redact' },
    contact_phone: { kind: 'redact' },
    annual_turnover_hkd: { kind: 'band', width: 1_000_000 },
  },
  rowFilter: [{ column: 'district', op: 'in', values: creditAgreementDistricts }],
  maxRowsPerQuery: 1000,
  regions: ['shenzhen'],
};

/**
 * A request nobody has decided yet, so a provider has one to approve (or reject): Sha Tin AI Labs
 * asks for the bank file's business columns, for research, without contact details.
 */
const researchRequest: Omit<AccessRequestInput, 'datasetId'> = {
  purpose: 'research',
  purposeText:
    'A study of how SMEs in the park districts grow: sector, size, turnover and credit band over account age, ' +
    'published only as aggregates.',
  columns: [
    'customer_id',
    'district',
    'sector',
    'employees',
    'annual_turnover_hkd',
    'account_opened',
    'credit_band',
  ],
  durationDays: 90,
  wantsDownload: false,
};

// ---- seeding ------------------------------------------------------------------------------------

/**
 * Qianhai FinTech's agreement for the bank file. Idempotent: an existing agreement is kept (even a
 * revoked or expired one: that was someone's decision or the terms' own), a pending request of this
 * seed is approved, and any other request means a person is handling it, so nothing is added.
 */
async function ensureCreditAgreement(
  agreements: AgreementService,
  bank: Principal,
  consumer: Principal,
  datasetId: string,
): Promise<DatasetSeedResult['agreement']> {
  const [existing] = await agreements.listAgreements(consumer, { as: 'consumer', datasetId });
  if (existing) return { id: existing.id, created: false };
  const requests = await agreements.listRequests(consumer, { as: 'consumer', datasetId });
  const pending = requests.find(
    (request) => request.state === 'pending' && request.purposeText === creditRequest.purposeText,
  );
  if (requests.length > 0 && !pending) return null;
  const request = pending ?? (await agreements.request(consumer, { ...creditRequest, datasetId }));
  const { agreement } = await agreements.approve(bank, request.id, creditAgreementTerms);
  return { id: agreement.id, created: true };
}

/**
 * Sha Tin AI Labs' pending request. Idempotent: any request or agreement of Sha Tin AI Labs on the
 * file (pending, or decided by someone since) means there is nothing to add.
 */
async function ensurePendingRequest(
  agreements: AgreementService,
  consumer: Principal,
  datasetId: string,
): Promise<DatasetSeedResult['pendingRequest']> {
  const requests = await agreements.listRequests(consumer, { as: 'consumer', datasetId });
  const pending = requests.find((request) => request.state === 'pending');
  if (pending) return { id: pending.id, created: false };
  if (requests.length > 0) return null;
  const request = await agreements.request(consumer, { ...researchRequest, datasetId });
  return { id: request.id, created: true };
}

/**
 * Qianhai FinTech is in Shenzhen and the bank in Hong Kong: personal data crosses a boundary, so
 * the demo also walks a GBA transfer through every step (assessment, both signatures, review by
 * the demo regulator, filing), as a real one would go.
 */
async function ensureCrossBoundaryTransfer(
  platform: PlatformServices,
  bank: Principal,
  consumer: Principal,
  datasetId: string,
): Promise<void> {
  const { transfers, identity } = platform;
  const existing = await transfers.list(bank, {});
  if (
    existing.some(
      (transfer) => transfer.recipientOrgId === consumer.orgId && transfer.datasetIds.includes(datasetId),
    )
  ) {
    return;
  }
  const regulator = await demoPrincipal(identity, 'data-governance-office');
  const today = hongKongDate(transfers.deps.clock.now());
  const transfer = await transfers.create(bank, {
    providerOrgId: bank.orgId,
    recipientOrgId: consumer.orgId,
    datasetIds: [datasetId],
    dataCategories: ['SME contact details (masked)', 'business turnover band', 'credit band'],
    volume: 'about 300 SME records, refreshed monthly',
    purpose: 'credit assessment of SMEs in the park districts applying for cross-boundary trade finance',
    noOnwardTransfer: true,
    retentionYears: 3,
    expiresAt: new Date(transfers.deps.clock.now().getTime() + 180 * 86_400_000).toISOString(),
  });
  await transfers.recordAssessment(bank, transfer.id, {
    completedOn: today,
    attachment: {
      name: 'harbour-bank-pia-qianhai.pdf',
      sha256: createHash('sha256').update(transfer.id).digest('hex'),
    },
    summary: 'Company-level data; contact fields redacted; hashed customer ids; low residual risk.',
  });
  await transfers.sign(bank, transfer.id);
  await transfers.sign(consumer, transfer.id);
  await transfers.submit(bank, transfer.id);
  await transfers.review(regulator, transfer.id, 'start');
  await transfers.review(
    regulator,
    transfer.id,
    'approve',
    'Standard contract in the prescribed form; PIA on file.',
  );
  await transfers.recordFiling(bank, transfer.id, { filedOn: today, reference: 'DEMO-GBA-FILING-0001' });
}

/**
 * Seeds the demo's datasets and agreement; needs the demo community. Idempotent: datasets are
 * found by slug and agreements by consumer and dataset, so every start after the first adds nothing.
 */
export async function seedDemoDatasets(platform: PlatformServices): Promise<DatasetSeedResult> {
  const { identity, datasets, agreements } = platform;
  const result: DatasetSeedResult = { created: [], existing: [], agreement: null, pendingRequest: null };
  const entries = new Map<string, DatasetEntry>();
  for (const spec of demoDatasets) {
    const owner = await demoPrincipal(identity, spec.publisher);
    const { entry, isNew } = await ensureDemoDataset(datasets, owner, spec);
    entries.set(spec.metadata.slug, entry);
    (isNew ? result.created : result.existing).push(spec.metadata.slug);
  }
  const bankFile = entries.get(smeCustomerFile.metadata.slug)!;
  const bank = await demoPrincipal(identity, smeCustomerFile.publisher);
  const qianhai = await demoPrincipal(identity, 'qianhai-fintech');
  result.agreement = await ensureCreditAgreement(agreements, bank, qianhai, bankFile.dataset.id);
  await ensureCrossBoundaryTransfer(platform, bank, qianhai, bankFile.dataset.id);
  const shatin = await demoPrincipal(identity, 'shatin-ai-labs');
  result.pendingRequest = await ensurePendingRequest(agreements, shatin, bankFile.dataset.id);
  return result;
}
