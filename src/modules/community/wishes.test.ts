import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  password,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { newId } from '../../ids.js';
import type { OrgRole } from '../identity/schema.js';

interface WishBody {
  id: string;
  title: string;
  description: string;
  tags: string[];
  status: string;
  orgId: string;
  orgName: string;
  createdBy: string;
  createdByName: string;
  votes: number;
  votedByMe: boolean;
  followedByMe: boolean;
  responseCount: number;
  responses?: {
    orgId: string;
    message: string;
    target: { type: string; id: string; name: string };
  }[];
}

const buildingEnergyDocument = readFileSync(
  fileURLToPath(new URL('../../../test/fixtures/openapi/openapi30-building-energy.yaml', import.meta.url)),
  'utf8',
);

describe.each(dbTargets)('data wishes (%s)', (target) => {
  let platform: TestPlatform;
  /** A tech company that wishes; its member (not the poster) and its owner (the poster). */
  let wisher: Tenant;
  let wisherMember: Tenant;
  /** Another tech company that votes and follows. */
  let follower: Tenant;
  /** An organisation that neither wishes nor follows: it must hear nothing. */
  let bystander: Tenant;
  let provider: Tenant;
  let providerMember: Tenant;
  let otherProvider: Tenant;
  let publishedId: string;
  let draftId: string;

  const as = (tenant: Tenant, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: tenant.headers, payload });

  async function member(tenant: Tenant, role: OrgRole): Promise<Tenant> {
    const email = `${role}.${Math.random().toString(36).slice(2, 8)}@wishes.test`;
    const user = await platform.identity.provisionMember(platform.operator, tenant.orgId, {
      email,
      name: `Wish ${role}`,
      password,
      role,
    });
    const cookie = await signIn(platform, email);
    return { orgId: tenant.orgId, userId: user.id, email, cookie, headers: { cookie } };
  }

  async function post(tenant: Tenant, body: { title: string; description?: string; tags?: string[] }) {
    const response = await as(tenant, 'POST', '/v1/wishes', { description: '', ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as WishBody;
  }

  async function notificationsOf(tenant: Tenant) {
    const response = await as(tenant, 'GET', '/v1/notifications');
    expect(response.statusCode).toBe(200);
    return response.json().items as { kind: string; objectId: string; title: string; body: string }[];
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    wisher = await createTenant(platform, { kinds: ['consumer'], name: `Wishing Tech ${target}` });
    wisherMember = await member(wisher, 'member');
    follower = await createTenant(platform, { kinds: ['consumer'] });
    bystander = await createTenant(platform, { kinds: ['consumer'] });
    provider = await createTenant(platform, { kinds: ['provider'], name: `Answering Land ${target}` });
    providerMember = await member(provider, 'member');
    otherProvider = await createTenant(platform, { kinds: ['provider'] });
    publishedId = (
      await publishDataset(platform, provider, { title: 'Occupancy by hour', content: customersCsv(5) })
    ).id;
    draftId = (
      await publishDataset(platform, provider, {
        title: 'Draft occupancy',
        content: customersCsv(5),
        publish: false,
      })
    ).id;
  });
  afterAll(async () => platform?.dispose());

  it('posts a wish that its poster follows, with tags tidied', async () => {
    const wish = await post(wisher, {
      title: '  Building occupancy by hour ',
      description: 'Hourly headcounts per building, to size HVAC.',
      tags: ['Buildings', 'occupancy', 'buildings'],
    });
    expect(wish).toMatchObject({
      id: expect.stringMatching(/^wsh_/),
      title: 'Building occupancy by hour',
      tags: ['buildings', 'occupancy'],
      status: 'open',
      orgId: wisher.orgId,
      orgName: `Wishing Tech ${target}`,
      createdBy: wisher.userId,
      createdByName: expect.any(String),
      votes: 0,
      votedByMe: false,
      followedByMe: true,
      responseCount: 0,
    });
    // Another organisation sees it on the board, not followed by them.
    const seen = await as(follower, 'GET', `/v1/wishes/${wish.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id: wish.id, followedByMe: false, responses: [] });
    const ledger = await platform.app.inject({
      url: `/v1/audit?objectId=${wish.id}`,
      headers: { cookie: await operatorCookie(platform) },
    });
    expect(ledger.json().items.map((e: { action: string }) => e.action)).toEqual(['wish.create']);
  });

  it('answers bad input with a problem naming the field, and writes nothing', async () => {
    const before = (await as(wisher, 'GET', '/v1/wishes?limit=200')).json().items.length;
    const short = problemOf(await as(wisher, 'POST', '/v1/wishes', { title: 'ab', description: '' }));
    expect(short.code).toBe('validation-failed');
    expect(JSON.stringify(short.errors)).toContain('title');
    const blank = problemOf(await as(wisher, 'POST', '/v1/wishes', { title: '     ', description: '' }));
    expect(blank.detail).toContain('title');
    const tooManyTags = problemOf(
      await as(wisher, 'POST', '/v1/wishes', {
        title: 'Many tags',
        description: '',
        tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
      }),
    );
    expect(JSON.stringify(tooManyTags.errors)).toContain('tags');
    const longTag = problemOf(
      await as(wisher, 'POST', '/v1/wishes', { title: 'Long tag', description: '', tags: ['x'.repeat(41)] }),
    );
    expect(JSON.stringify(longTag.errors)).toContain('tags');
    const unknown = problemOf(
      await as(wisher, 'POST', '/v1/wishes', { title: 'Unknown field', description: '', status: 'closed' }),
    );
    expect(unknown.code).toBe('validation-failed');
    const badSort = problemOf(await as(wisher, 'GET', '/v1/wishes?sort=loudest'));
    expect(JSON.stringify(badSort.errors)).toContain('sort');
    const badCursor = problemOf(await as(wisher, 'GET', '/v1/wishes?sort=votes&cursor=nonsense'));
    expect(badCursor.detail).toContain('cursor');
    const badId = problemOf(await as(wisher, 'GET', '/v1/wishes/wsh_nope'));
    expect(JSON.stringify(badId.errors)).toContain('wishId');
    expect((await as(wisher, 'GET', '/v1/wishes?limit=200')).json().items).toHaveLength(before);
    expect((await as(wisher, 'GET', `/v1/wishes/${newId('wish')}`)).statusCode).toBe(404);
  });

  it('counts one vote per person however often they vote', async () => {
    const wish = await post(wisher, { title: 'Vote counting' });
    const url = `/v1/wishes/${wish.id}/vote`;
    expect((await as(follower, 'PUT', url)).json()).toEqual({ votes: 1, votedByMe: true });
    expect((await as(follower, 'PUT', url)).json()).toEqual({ votes: 1, votedByMe: true });
    expect((await as(wisher, 'PUT', url)).json()).toEqual({ votes: 2, votedByMe: true });
    expect((await as(follower, 'DELETE', url)).json()).toEqual({ votes: 1, votedByMe: false });
    expect((await as(follower, 'DELETE', url)).json()).toEqual({ votes: 1, votedByMe: false });
    const seen = (await as(wisher, 'GET', `/v1/wishes/${wish.id}`)).json() as WishBody;
    expect(seen).toMatchObject({ votes: 1, votedByMe: true });
    expect((await as(follower, 'PUT', `/v1/wishes/${newId('wish')}/vote`)).statusCode).toBe(404);
  });

  it('sorts by votes, most first, and pages through with a cursor', async () => {
    const tag = `sorting-${target}`;
    const one = await post(wisher, { title: 'One vote', tags: [tag] });
    const three = await post(wisher, { title: 'Three votes', tags: [tag] });
    const none = await post(wisher, { title: 'No votes', tags: [tag] });
    const two = await post(wisher, { title: 'Two votes', tags: [tag] });
    for (const tenant of [wisher, follower, bystander])
      await as(tenant, 'PUT', `/v1/wishes/${three.id}/vote`);
    for (const tenant of [follower, bystander]) await as(tenant, 'PUT', `/v1/wishes/${two.id}/vote`);
    await as(bystander, 'PUT', `/v1/wishes/${one.id}/vote`);

    const byVotes = (await as(follower, 'GET', `/v1/wishes?q=${tag}&sort=votes`)).json();
    expect(byVotes.items.map((w: WishBody) => [w.title, w.votes])).toEqual([
      ['Three votes', 3],
      ['Two votes', 2],
      ['One vote', 1],
      ['No votes', 0],
    ]);
    expect(byVotes.items.map((w: WishBody) => w.votedByMe)).toEqual([true, true, false, false]);
    const recent = (await as(follower, 'GET', `/v1/wishes?q=${tag}`)).json();
    // Newest first: ids are time-ordered, so the newest has the greatest id.
    const ids = [one.id, three.id, none.id, two.id];
    expect(recent.items.map((w: WishBody) => w.id)).toEqual([...ids].sort().reverse());

    for (const sort of ['votes', 'recent']) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `q=${tag}&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await as(follower, 'GET', `/v1/wishes?${query}`)).json();
        expect(page.items.length).toBeLessThanOrEqual(1);
        ids.push(...page.items.map((w: WishBody) => w.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids).toEqual((sort === 'votes' ? byVotes : recent).items.map((w: WishBody) => w.id));
    }
    // A cursor of one order is not accepted for the other.
    const first = (await as(follower, 'GET', `/v1/wishes?q=${tag}&sort=votes&limit=1`)).json();
    const mixed = await as(follower, 'GET', `/v1/wishes?q=${tag}&sort=recent&cursor=${first.nextCursor}`);
    expect(problemOf(mixed).detail).toContain('cursor');
  });

  it('follows and unfollows', async () => {
    const wish = await post(wisher, { title: 'Following' });
    const url = `/v1/wishes/${wish.id}/follow`;
    expect((await as(follower, 'PUT', url)).json()).toEqual({ followedByMe: true });
    expect((await as(follower, 'PUT', url)).json()).toEqual({ followedByMe: true });
    expect((await as(follower, 'GET', `/v1/wishes/${wish.id}`)).json().followedByMe).toBe(true);
    expect((await as(follower, 'DELETE', url)).json()).toEqual({ followedByMe: false });
    expect((await as(follower, 'GET', `/v1/wishes/${wish.id}`)).json().followedByMe).toBe(false);
    // The poster's own follow is untouched by someone else's.
    expect((await as(wisher, 'GET', `/v1/wishes/${wish.id}`)).json().followedByMe).toBe(true);
  });

  it('answering with a published dataset notifies the wisher and the followers, not others', async () => {
    const wish = await post(wisher, { title: 'Hourly occupancy, answered' });
    await as(follower, 'PUT', `/v1/wishes/${wish.id}/follow`);
    const answered = await as(provider, 'POST', `/v1/wishes/${wish.id}/responses`, {
      message: 'Our hourly series covers this.',
      datasetId: publishedId,
    });
    expect(answered.statusCode, answered.body).toBe(201);
    expect(answered.json()).toMatchObject({
      id: expect.stringMatching(/^wsr_/),
      orgId: provider.orgId,
      orgName: `Answering Land ${target}`,
      message: 'Our hourly series covers this.',
      target: { type: 'dataset', id: publishedId, name: 'Occupancy by hour' },
      createdBy: provider.userId,
    });
    const detail = (await as(bystander, 'GET', `/v1/wishes/${wish.id}`)).json() as WishBody;
    expect(detail.status).toBe('answered');
    expect(detail.responseCount).toBe(1);
    expect(detail.responses).toEqual([expect.objectContaining({ target: answered.json().target })]);

    for (const tenant of [wisher, follower]) {
      const heard = (await notificationsOf(tenant)).filter(
        (n) => n.kind === 'wish.answered' && n.objectId === wish.id,
      );
      expect(heard).toHaveLength(1);
      expect(heard[0]!.body).toContain('Occupancy by hour');
    }
    for (const tenant of [bystander, provider]) {
      const heard = (await notificationsOf(tenant)).filter((n) => n.objectId === wish.id);
      expect(heard).toEqual([]);
    }
    const ledger = await platform.app.inject({
      url: `/v1/audit?objectId=${wish.id}`,
      headers: { cookie: await operatorCookie(platform) },
    });
    expect(ledger.json().items.map((e: { action: string }) => e.action)).toEqual([
      'wish.respond',
      'wish.create',
    ]);

    // The same dataset twice is one answer; the board lists it once.
    const again = await as(provider, 'POST', `/v1/wishes/${wish.id}/responses`, {
      message: 'Again',
      datasetId: publishedId,
    });
    expect(problemOf(again).code).toBe('already-exists');
  });

  it('answers with a public API, not with a private one', async () => {
    const importApi = async (slug: string, visibility: string) => {
      const response = await as(provider, 'POST', '/v1/apis', {
        document: buildingEnergyDocument,
        slug,
        upstreamUrl: 'http://127.0.0.1:9',
        visibility,
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    const publicApi = await importApi(`wish-public-${target}`, 'public');
    const privateApi = await importApi(`wish-private-${target}`, 'private');
    const wish = await post(wisher, { title: 'Energy readings' });
    const hidden = await as(provider, 'POST', `/v1/wishes/${wish.id}/responses`, {
      message: 'Private',
      apiId: privateApi,
    });
    expect(problemOf(hidden).code).toBe('wish-target-unpublished');
    const answered = await as(provider, 'POST', `/v1/wishes/${wish.id}/responses`, {
      message: 'Live readings',
      apiId: publicApi,
    });
    expect(answered.statusCode, answered.body).toBe(201);
    expect(answered.json().target).toMatchObject({ type: 'api', id: publicApi });
  });

  it('refuses answers from members, from other organisations, and with drafts', async () => {
    const wish = await post(wisher, { title: 'Refused answers' });
    const url = `/v1/wishes/${wish.id}/responses`;
    const byMember = await as(providerMember, 'POST', url, { message: 'Hi', datasetId: publishedId });
    expect(byMember.statusCode).toBe(403);
    expect(problemOf(byMember).code).toBe('forbidden');
    const notOwner = await as(otherProvider, 'POST', url, { message: 'Theirs', datasetId: publishedId });
    expect(notOwner.statusCode).toBe(403);
    const draft = await as(provider, 'POST', url, { message: 'Draft', datasetId: draftId });
    expect(problemOf(draft).code).toBe('wish-target-unpublished');
    // Someone else's draft is not even found.
    const othersDraft = await as(otherProvider, 'POST', url, { message: 'Draft', datasetId: draftId });
    expect(othersDraft.statusCode).toBe(404);
    const both = await as(provider, 'POST', url, {
      message: 'Both',
      datasetId: publishedId,
      apiId: newId('api'),
    });
    expect(problemOf(both).detail).toContain('exactly one of datasetId and apiId');
    const neither = problemOf(await as(provider, 'POST', url, { message: 'Neither' }));
    expect(neither.errors).toEqual([
      { field: 'datasetId', message: 'give exactly one of datasetId and apiId' },
    ]);
    const empty = problemOf(await as(provider, 'POST', url, { message: '', datasetId: publishedId }));
    expect(JSON.stringify(empty.errors)).toContain('message');

    const after = (await as(wisher, 'GET', `/v1/wishes/${wish.id}`)).json() as WishBody;
    expect(after).toMatchObject({ status: 'open', responseCount: 0 });
    expect((await notificationsOf(wisher)).filter((n) => n.objectId === wish.id)).toEqual([]);
  });

  it('is closed by its own organisation only, and then takes no votes or answers', async () => {
    const wish = await post(wisher, { title: 'To be closed' });
    const url = `/v1/wishes/${wish.id}/close`;
    const byOther = await as(follower, 'POST', url);
    expect(byOther.statusCode).toBe(403);
    const byMember = await as(wisherMember, 'POST', url);
    expect(byMember.statusCode).toBe(403);
    expect((await as(wisher, 'GET', `/v1/wishes/${wish.id}`)).json().status).toBe('open');

    const closed = await as(wisher, 'POST', url);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ id: wish.id, status: 'closed' });
    expect((await as(wisher, 'POST', url)).json().status).toBe('closed');

    const vote = await as(follower, 'PUT', `/v1/wishes/${wish.id}/vote`);
    expect(problemOf(vote).code).toBe('wish-closed');
    const answer = await as(provider, 'POST', `/v1/wishes/${wish.id}/responses`, {
      message: 'Too late',
      datasetId: publishedId,
    });
    expect(problemOf(answer).code).toBe('wish-closed');
    const onlyClosed = (await as(follower, 'GET', '/v1/wishes?status=closed&limit=200')).json().items;
    expect(onlyClosed.map((w: WishBody) => w.id)).toContain(wish.id);
    expect(onlyClosed.every((w: WishBody) => w.status === 'closed')).toBe(true);
  });

  it('lets the poster, or an owner of its organisation, close a wish a member posted', async () => {
    const wish = await post(wisherMember, { title: 'Posted by a member' });
    expect((await as(wisherMember, 'POST', `/v1/wishes/${wish.id}/close`)).statusCode).toBe(200);
    const other = await post(wisherMember, { title: 'Closed by the owner' });
    expect((await as(wisher, 'POST', `/v1/wishes/${other.id}/close`)).json().status).toBe('closed');
  });

  it('hides the wishes of a suspended organisation from everyone else', async () => {
    const suspended = await createTenant(platform, { kinds: ['consumer'] });
    const wish = await post(suspended, { title: 'Soon hidden' });
    await platform.identity.suspendOrganisation(platform.operator, suspended.orgId, 'testing');
    expect((await as(follower, 'GET', `/v1/wishes/${wish.id}`)).statusCode).toBe(404);
    const board = (await as(follower, 'GET', '/v1/wishes?limit=200')).json().items;
    expect(board.map((w: WishBody) => w.id)).not.toContain(wish.id);
  });
});
