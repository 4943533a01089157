import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEmail, createTestPlatform, password, signIn, type TestPlatform } from '../../test/harness.js';
import { demoDatasets } from './datasets.js';
import { demoPrincipal } from './principal.js';
import { ensureDemoDataset } from './publish.js';
import { seedDemoCommunity } from './seed.js';
import { demoWishes, seedDemoWishes, type WishSeedResult } from './wishes.js';

describe('demo wishes', () => {
  let platform: TestPlatform;
  let first: WishSeedResult;
  let second: WishSeedResult;

  beforeAll(async () => {
    platform = await createTestPlatform('pglite');
    await seedDemoCommunity(platform.identity, { adminEmail, demoPassword: password });
    // The one demo dataset that answers a wish; the others are not needed here.
    const innocell = demoDatasets.find((spec) => spec.metadata.slug === 'innocell_occupancy')!;
    const kowloonLand = await demoPrincipal(platform.identity, innocell.publisher);
    await ensureDemoDataset(platform.datasets, kowloonLand, innocell);
    first = await seedDemoWishes(platform);
    second = await seedDemoWishes(platform);
  });
  afterAll(async () => platform?.dispose());

  it('posts the wishes once, however often it runs', async () => {
    expect(first.created).toHaveLength(demoWishes.length);
    expect(second).toEqual({ created: [], existing: first.created, answered: first.answered });
    const cookie = await signIn(platform, 'sam@greengrid-analytics.demo');
    const board = await platform.app.inject({ url: '/v1/wishes?sort=votes', headers: { cookie } });
    const items = board.json().items as { title: string; votes: number; status: string }[];
    expect(items).toHaveLength(demoWishes.length);
    expect(items[0]).toMatchObject({ title: 'Building occupancy by hour', votes: 3, status: 'open' });
  });

  it("answers the housing wish with Kowloon Land's InnoCell dataset and tells the wisher", async () => {
    expect(first.answered).toEqual(['Occupancy of talent housing near the park']);
    const cookie = await signIn(platform, 'alex@shatin-ai-labs.demo');
    const board = await platform.app.inject({ url: '/v1/wishes?status=answered', headers: { cookie } });
    const [answered] = board.json().items as { id: string }[];
    const detail = (
      await platform.app.inject({ url: `/v1/wishes/${answered!.id}`, headers: { cookie } })
    ).json();
    expect(detail.responses).toEqual([
      expect.objectContaining({
        orgName: 'Kowloon Land Properties',
        target: expect.objectContaining({
          type: 'dataset',
          name: 'InnoCell occupancy and expansion (October 2023)',
        }),
      }),
    ]);
    const notifications = await platform.app.inject({ url: '/v1/notifications', headers: { cookie } });
    expect(
      notifications.json().items.filter((n: { kind: string }) => n.kind === 'wish.answered'),
    ).toHaveLength(1);
  });
});
