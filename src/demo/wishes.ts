import type { WishView } from '../modules/community/wishes.js';
import type { PlatformServices } from '../services.js';
import { demoPrincipal } from './principal.js';
import { findOwnDataset } from './publish.js';

/** A demo wish: who asks, who votes and follows, and which demo dataset answers it (if one does). */
interface DemoWish {
  by: string;
  title: string;
  description: string;
  tags: string[];
  votes: string[];
  follows: string[];
  answer?: { by: string; datasetSlug: string; message: string };
}

/**
 * What the demo community asks for. Only one wish is answered, by a dataset that really holds what
 * it says (InnoCell's published occupancy); the hourly building occupancy the green-tech companies
 * want does not exist in the demo, so that wish stays open with its votes.
 */
export const demoWishes: DemoWish[] = [
  {
    by: 'greengrid-analytics',
    title: 'Building occupancy by hour',
    description:
      'Hourly headcounts per floor in the park’s office buildings, to match cooling and lighting schedules ' +
      'to when people are actually there. Counts per floor are enough: nobody needs to be identified.',
    tags: ['buildings', 'occupancy', 'energy', 'net-zero'],
    votes: ['shatin-ai-labs', 'harbour-bank', 'kowloon-land'],
    follows: ['kowloon-land'],
  },
  {
    by: 'shatin-ai-labs',
    title: 'Occupancy of talent housing near the park',
    description:
      'How full the residences for people working in the park are, to tell new hires where they can live.',
    tags: ['housing', 'talent', 'occupancy'],
    votes: ['greengrid-analytics', 'qianhai-fintech'],
    follows: ['greengrid-analytics'],
    answer: {
      by: 'kowloon-land',
      datasetSlug: 'innocell_occupancy',
      message:
        'InnoCell’s occupancy as published (90% in October 2023) and the 200 units planned in West Kowloon. ' +
        'One point for now; we will publish a series when there is one.',
    },
  },
  {
    by: 'qianhai-fintech',
    title: 'SME cash-flow indicators across the Greater Bay Area',
    description:
      'Monthly inflow and outflow bands per SME sector and city, with consent, to score credit for start-ups ' +
      'that bank on both sides of the boundary.',
    tags: ['sme', 'credit', 'gba', 'banking'],
    votes: ['lion-rock-bank', 'greengrid-analytics'],
    follows: ['lion-rock-bank'],
  },
  {
    by: 'shatin-ai-labs',
    title: 'De-identified chest X-ray reports for model validation',
    description:
      'Radiology reports with their findings, de-identified, to validate a diagnostic model before a clinical ' +
      'trial. Clean-room access is fine.',
    tags: ['health', 'imaging', 'ai'],
    votes: ['hospital-data-lab'],
    follows: ['hospital-data-lab'],
  },
  {
    by: 'greengrid-analytics',
    title: 'EV charger use in park car parks',
    description: 'Sessions and kWh per charger and hour, to plan where the next chargers go.',
    tags: ['mobility', 'energy'],
    votes: ['shatin-ai-labs'],
    follows: [],
  },
];

export interface WishSeedResult {
  created: string[];
  existing: string[];
  answered: string[];
}

/**
 * Seeds the demo wish board: wishes, votes, follows and one answer. Idempotent: a wish is found by
 * its organisation and title, votes and follows are set (not added), and an answer that is there
 * is not given twice. Needs the demo community and its datasets.
 */
export async function seedDemoWishes(platform: PlatformServices): Promise<WishSeedResult> {
  const { identity, wishes, datasets } = platform;
  const result: WishSeedResult = { created: [], existing: [], answered: [] };
  for (const spec of demoWishes) {
    const asker = await demoPrincipal(identity, spec.by);
    const found = (await wishes.list(asker, { q: spec.title, sort: 'recent', limit: 50 })).items.find(
      (wish: WishView) => wish.orgId === asker.orgId && wish.title === spec.title,
    );
    const wish =
      found ??
      (await wishes.create(asker, { title: spec.title, description: spec.description, tags: spec.tags }));
    (found ? result.existing : result.created).push(spec.title);
    for (const slug of spec.votes) await wishes.vote(await demoPrincipal(identity, slug), wish.id, true);
    for (const slug of spec.follows) await wishes.follow(await demoPrincipal(identity, slug), wish.id, true);
    if (!spec.answer) continue;
    const answerer = await demoPrincipal(identity, spec.answer.by);
    const dataset = await findOwnDataset(datasets, answerer, spec.answer.datasetSlug);
    if (dataset?.dataset.status !== 'published') continue;
    const { responses } = await wishes.get(answerer, wish.id);
    if (!responses.some((response) => response.target.id === dataset.dataset.id)) {
      await wishes.respond(answerer, wish.id, {
        message: spec.answer.message,
        datasetId: dataset.dataset.id,
      });
    }
    result.answered.push(spec.title);
  }
  return result;
}
