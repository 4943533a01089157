import type { Location, OrgKind } from '../modules/identity/schema.js';

/**
 * The demo community named in DESIGN.md: providers (two banks, an insurer, a property developer,
 * a hospital data lab), a regulator and four tech companies. Names are fictional; the park's
 * figures used elsewhere in the demo are the published ones (shared/seed-facts.md). One of them
 * has only declared where it is: an operator has its location to verify.
 */
export interface DemoOrganisation {
  slug: string;
  name: string;
  kinds: OrgKind[];
  sector: string;
  location: Location;
  /** false: the location is only what the organisation declared; no operator has verified it yet. */
  isLocationVerified?: boolean;
  description: string;
  user: { email: string; name: string };
}

export const demoCommunity: DemoOrganisation[] = [
  {
    slug: 'harbour-bank',
    name: 'Harbour Bank',
    kinds: ['provider', 'consumer'],
    sector: 'Banking',
    location: 'hong-kong',
    description: 'A retail and SME bank sharing anonymised customer and transaction summaries with consent.',
    user: { email: 'grace@harbour-bank.demo', name: 'Grace Cheung' },
  },
  {
    slug: 'lion-rock-bank',
    name: 'Lion Rock Bank',
    kinds: ['provider', 'consumer'],
    sector: 'Banking',
    location: 'hong-kong',
    description:
      'A commercial bank lending to the park’s start-ups; uses consented transaction data for SME credit.',
    user: { email: 'kelvin@lion-rock-bank.demo', name: 'Kelvin Lau' },
  },
  {
    slug: 'victoria-mutual',
    name: 'Victoria Mutual Insurance',
    kinds: ['provider'],
    sector: 'Insurance',
    location: 'hong-kong',
    description: 'A health and life insurer contributing pseudonymised claims to the clinical data lab.',
    user: { email: 'mandy@victoria-mutual.demo', name: 'Mandy Ho' },
  },
  {
    slug: 'kowloon-land',
    name: 'Kowloon Land Properties',
    kinds: ['provider'],
    sector: 'Real estate',
    location: 'hong-kong',
    description:
      'A property developer publishing building energy and occupancy data from its smart buildings.',
    user: { email: 'tony@kowloon-land.demo', name: 'Tony Wong' },
  },
  {
    slug: 'hospital-data-lab',
    name: 'Science Park–Hospital Data Lab',
    kinds: ['provider'],
    sector: 'Healthcare',
    location: 'hong-kong',
    description:
      'Turns clinical data into med-tech innovation through clean-room analysis; no patient record leaves.',
    user: { email: 'dr.chan@hospital-data-lab.demo', name: 'Dr Chan Siu-ming' },
  },
  {
    slug: 'data-governance-office',
    name: 'Data Governance Advisory Office',
    kinds: ['regulator'],
    sector: 'Regulation',
    location: 'hong-kong',
    description: 'Regulatory advisors who review high-risk access and verify the evidence ledger.',
    user: { email: 'ivy@data-governance-office.demo', name: 'Ivy Leung' },
  },
  {
    slug: 'shatin-ai-labs',
    name: 'Sha Tin AI Labs',
    kinds: ['consumer'],
    sector: 'Artificial intelligence',
    location: 'hong-kong',
    description: 'A Science Park start-up building diagnostic models for med-tech.',
    user: { email: 'alex@shatin-ai-labs.demo', name: 'Alex Ng' },
  },
  {
    slug: 'qianhai-fintech',
    name: 'Qianhai FinTech',
    kinds: ['consumer'],
    sector: 'Financial technology',
    location: 'shenzhen',
    description:
      'A fintech at the park’s Shenzhen branch building SME credit scoring across the Greater Bay Area.',
    user: { email: 'lin@qianhai-fintech.demo', name: 'Lin Wei' },
  },
  {
    slug: 'greengrid-analytics',
    name: 'GreenGrid Analytics',
    kinds: ['consumer'],
    sector: 'Green technology',
    location: 'hong-kong',
    description:
      'One of the park’s 100+ green-tech companies, optimising building energy towards net zero by 2045.',
    user: { email: 'sam@greengrid-analytics.demo', name: 'Sam Yip' },
  },
  {
    slug: 'hengqin-medtech',
    name: 'Hengqin MedTech',
    kinds: ['consumer'],
    sector: 'Medical technology',
    location: 'zhuhai',
    isLocationVerified: false,
    description:
      'A med-tech firm in the Hengqin cooperation zone developing wearable cardiac monitors with Hong Kong clinicians.',
    user: { email: 'mei@hengqin-medtech.demo', name: 'Zhou Mei' },
  },
];
