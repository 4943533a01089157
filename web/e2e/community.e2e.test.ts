import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers, type PortalUnderTest, saveScreenshot, signInAs, startPortal } from './support.js';

/**
 * The journey: a tech company posts a data wish, another organisation votes for it, a
 * provider answers it by linking one of its published datasets, and the wisher sees the answer
 * and is notified (`wish.answered`). On the way, the wisher browses the community directory.
 */
describe('community: a user posts a wish and a provider answers it', () => {
  let portal: PortalUnderTest;
  const title = `Hourly EV charger occupancy ${Date.now().toString(36)}`;
  let wishPath = '';

  beforeAll(async () => {
    portal = await startPortal();
  }, 180_000);
  afterAll(async () => {
    await portal?.close();
  });

  it('browses the directory, posts a wish, gets a vote and an answer, and is notified', async () => {
    // ---- the tech company browses the data partners and opens a profile ----
    const wisher = await portal.newPage();
    const page = wisher.page;
    await signInAs(page, demoUsers.techCompany);
    await page.goto('/community');
    await page.getByRole('heading', { level: 1, name: 'Community' }).waitFor();
    await page.getByRole('link', { name: 'GreenGrid Analytics' }).waitFor();
    await page.getByRole('tab', { name: 'Data partners' }).click();
    await page.waitForURL(/role=data-partner/);
    await page.getByText(/^\d+ organisations?$/).waitFor();
    // Tech companies are not data partners: GreenGrid is gone from the list once it is filtered.
    await page.getByRole('link', { name: 'GreenGrid Analytics' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: 'Data partners' }).getAttribute('aria-selected')).toBe('true');
    await saveScreenshot(page, 'community-directory');
    await page.getByRole('link', { name: 'Kowloon Land Properties' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kowloon Land Properties' }).waitFor();
    await page.getByRole('heading', { name: 'Published datasets' }).waitFor();
    const datasetLinks = page.locator('#profile-datasets + ul a');
    expect(await datasetLinks.count()).toBeGreaterThan(0);
    expect(await datasetLinks.first().getAttribute('href')).toMatch(/^\/datasets\//);
    // Following the partner: the button turns to Unfollow and the followers count to one.
    await page.getByRole('button', { name: 'Follow Kowloon Land Properties' }).click();
    await page.getByRole('button', { name: 'Unfollow Kowloon Land Properties' }).waitFor();
    await page.locator('.org-counts div', { hasText: 'Followers' }).getByText('1', { exact: true }).waitFor();
    await saveScreenshot(page, 'community-profile');

    // ---- it posts a wish on the board ----
    await page.goto('/wishes');
    await page.getByRole('heading', { level: 1, name: 'Data wishes' }).waitFor();
    await page.getByRole('button', { name: 'Post a wish' }).click();
    await page.getByLabel('What data do you wish for?').fill(title);
    await page
      .getByLabel('What would you do with it?')
      .fill('To plan charging for a fleet of electric vans at the park, by building and hour.');
    await page.getByLabel('Tags (optional)').fill('energy, EV, buildings');
    await page.getByRole('button', { name: 'Post the wish' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('Your wish is posted.', { exact: false }).waitFor();
    wishPath = new URL(page.url()).pathname;
    expect(wishPath).toMatch(/^\/wishes\/wsh_/);
    await page.getByText('No answer yet.', { exact: false }).waitFor();

    // ---- another organisation finds it on the board and votes for it ----
    const voter = await portal.newPage();
    await signInAs(voter.page, demoUsers.qianhai);
    await voter.page.goto('/wishes?sort=recent');
    const card = voter.page.locator('li.wish-card', { hasText: title });
    const vote = card.getByRole('button', { name: /vote/i });
    expect(await vote.getAttribute('aria-pressed')).toBe('false');
    expect(await vote.textContent()).toContain('0 votes');
    await vote.click();
    await card.getByRole('button', { name: /vote/i, pressed: true }).waitFor();
    expect(await vote.textContent()).toContain('1 vote');
    await saveScreenshot(voter.page, 'community-wishes-board');

    // ---- a provider opens it and answers with one of its published datasets ----
    const provider = await portal.newPage();
    await signInAs(provider.page, demoUsers.kowloonLand);
    await provider.page.goto(wishPath);
    await provider.page.getByRole('heading', { level: 1, name: title }).waitFor();
    await provider.page.getByRole('heading', { name: 'Answer with a dataset or API' }).waitFor();
    const target = provider.page.getByLabel('Your dataset or API');
    await target.locator('option[value^="dataset:"]').first().waitFor({ state: 'attached' });
    const options = await target.locator('option[value^="dataset:"]').allTextContents();
    const datasetName = options.find((name: string) => /green tech/i.test(name)) ?? options[0]!;
    await target.selectOption({ label: datasetName });
    await provider.page
      .getByLabel('Message to the wisher')
      .fill('Our green-tech dataset covers the park’s buildings; ask us for the hourly readings.');
    await saveScreenshot(provider.page, 'community-wish-answer-form');
    await provider.page.getByRole('button', { name: 'Send the answer' }).click();
    await provider.page.getByRole('heading', { name: '1 response' }).waitFor();
    await provider.page.locator('.response-list').getByRole('link', { name: datasetName }).waitFor();

    // ---- the wisher sees the response… ----
    await page.goto(wishPath);
    await page.getByRole('heading', { name: '1 response' }).waitFor();
    const response = page.locator('.response-list li').first();
    expect(await response.getByRole('link', { name: datasetName }).getAttribute('href')).toMatch(
      /^\/datasets\/ds_/,
    );
    expect(await response.textContent()).toContain('Kowloon Land Properties');
    expect(await page.locator('.page-header .badge').textContent()).toBe('answered');
    expect(await page.getByRole('button', { name: /vote/i }).textContent()).toContain('1 vote');

    // ---- …and the notification, which leads back to the wish ----
    await page.goto('/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const notification = page.locator('li.notification', { hasText: `"${title}" was answered` });
    await notification.waitFor();
    expect(await notification.getAttribute('class')).toContain('is-unread');
    expect(await notification.textContent()).toContain('Wish answered');
    expect(await notification.textContent()).toContain(datasetName);
    await saveScreenshot(page, 'community-notifications');
    await notification.getByRole('button', { name: /mark as read/i }).click();
    await page.locator('li.notification:not(.is-unread)', { hasText: `"${title}" was answered` }).waitFor();
    await page
      .locator('li.notification', { hasText: `"${title}" was answered` })
      .getByRole('link', { name: 'Open the wish' })
      .click();
    await page.waitForURL(`**${wishPath}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.locator('.response-list').getByRole('link', { name: datasetName }).waitFor();
    await saveScreenshot(page, 'community-wish-answered');

    expect(wisher.errors).toEqual([]);
    expect(voter.errors).toEqual([]);
    expect(provider.errors).toEqual([]);
  }, 240_000);

  it('reads well on a phone, in Traditional Chinese', async () => {
    const phone = await portal.newPage({ viewport: { width: 390, height: 844 } });
    const page = phone.page;
    await signInAs(page, demoUsers.techCompany);
    await page.getByTestId('language-switch').selectOption('zh-HK');
    await page.goto('/wishes');
    await page.getByRole('heading', { level: 1, name: '數據願望' }).waitFor();
    await page.locator('li.wish-card').first().waitFor();
    await saveScreenshot(page, 'community-wishes-phone-zh');
    await page.goto('/community?role=data-partner');
    await page.getByRole('heading', { level: 1, name: '社群' }).waitFor();
    await page.locator('li.org-card').first().waitFor();
    await saveScreenshot(page, 'community-directory-phone-zh');
    if (wishPath) {
      await page.goto(wishPath);
      await page.locator('.response-list li').first().waitFor();
      await saveScreenshot(page, 'community-wish-phone-zh');
    }
    await page.goto('/notifications');
    await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
    await saveScreenshot(page, 'community-notifications-phone-zh');
    // Nothing wider than the phone: tables scroll inside their frame, text wraps.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(phone.errors).toEqual([]);
  }, 120_000);
});
