// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n';
import type { Me } from '../session';
import { type HarvestRun, type HarvestSource, HarvestSources } from './HarvestSources';

let me: Me;
const admin: Me = {
  user: { id: 'usr_ada', email: 'ada@harbour.example', name: 'Ada' },
  organisation: {
    id: 'org_harbour',
    slug: 'harbour',
    name: 'Harbour Bank',
    kinds: ['provider'],
    status: 'active',
  },
  role: 'admin',
  memberships: [],
};

vi.mock('../session', async (original) => ({
  ...(await original<typeof import('../session')>()),
  useMe: () => me,
}));

const source: HarvestSource = {
  id: 'hvs_1',
  orgId: 'org_harbour',
  kind: 'ckan',
  name: 'Open data portal',
  url: 'https://data.example.gov.hk',
  intervalHours: 24,
  status: 'active',
  nextRunAt: '2026-12-06T02:00:00.000Z',
  createdBy: 'usr_ada',
  createdAt: '2026-12-01T02:00:00.000Z',
  updatedAt: '2026-12-01T02:00:00.000Z',
};

const failedRun: HarvestRun = {
  id: 'hvr_1',
  sourceId: 'hvs_1',
  trigger: 'schedule',
  status: 'failed',
  isComplete: false,
  counts: { new: 12, changed: 3, unchanged: 40, withdrawn: 0, failed: 2 },
  failures: [
    { record: 'air-quality', reason: 'no title' },
    { record: 'tides', reason: 'licence unreadable' },
  ],
  progress: { pages: 3, fetched: 57, total: 120 },
  error: 'page 4 answered 502',
  startedAt: '2026-12-05T02:00:00.000Z',
  finishedAt: '2026-12-05T02:03:00.000Z',
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function stubPlatform(answers: Record<string, (init?: RequestInit) => Response> = {}) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${url}`;
    for (const [prefix, answer] of Object.entries(answers)) if (key.startsWith(prefix)) return answer(init);
    if (key.startsWith('GET /v1/harvest-sources?')) return json({ items: [source], nextCursor: null });
    if (key.startsWith('GET /v1/harvest-sources/hvs_1/runs')) return json({ items: [failedRun] });
    throw new Error(`unexpected ${key}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const renderPage = (language: 'en' | 'zh-HK' = 'en') =>
  render(
    <I18nextProvider i18n={setupI18n(language)}>
      <HarvestSources />
    </I18nextProvider>,
  );

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('HarvestSources', () => {
  it("shows each source's schedule and its last run: counts, the error and the failed records", async () => {
    me = admin;
    stubPlatform();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Open data portal' });
    await within(card).findByText('failed');
    expect(card.textContent).toContain('CKAN portal');
    expect(card.textContent).toContain('every 24 hours');
    expect(card.textContent).toContain('started on schedule 5 Dec 2026');
    expect(card.textContent).toContain('New12');
    expect(card.textContent).toContain('Failed2');
    expect(card.textContent).toContain('Reading stopped early: page 4 answered 502');
    expect(card.textContent).toContain('not read to its end, so no record was withdrawn');
    expect(card.textContent).toContain('tides: licence unreadable');
  });

  it('adds a CKAN source, run by hand only when no interval is given', async () => {
    me = admin;
    const create = vi.fn((init?: RequestInit) => json({ ...source, ...JSON.parse(String(init?.body)) }, 201));
    stubPlatform({ 'POST /v1/harvest-sources': create });
    renderPage();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' City portal ' } });
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: 'https://city.example/ ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add the source' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(JSON.parse(String(create.mock.calls[0]![0]?.body))).toEqual({
      kind: 'ckan',
      name: 'City portal',
      url: 'https://city.example/',
      intervalHours: null,
    });
  });

  it('runs a source now without waiting, and follows the run until it ends', async () => {
    me = admin;
    let runs = 0;
    const running: HarvestRun = {
      ...failedRun,
      id: 'hvr_2',
      trigger: 'manual',
      status: 'running',
      error: null,
      finishedAt: null,
    };
    const start = vi.fn(() => json(running, 202));
    stubPlatform({
      'POST /v1/harvest-sources/hvs_1/runs?wait=false': start,
      'GET /v1/harvest-sources/hvs_1/runs': () => {
        runs += 1;
        // Before the start: the old run; then running once; then finished.
        if (runs === 1) return json({ items: [failedRun] });
        if (runs === 2) return json({ items: [running] });
        return json({ items: [{ ...running, status: 'succeeded', finishedAt: '2026-12-05T03:00:00.000Z' }] });
      },
    });
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Open data portal' });
    fireEvent.click(await within(card).findByRole('button', { name: 'Run now' }));
    await within(card).findByText('57 of 120 records read so far.');
    expect((within(card).getByRole('button', { name: 'Running…' }) as HTMLButtonElement).disabled).toBe(true);
    await within(card).findByText('succeeded', {}, { timeout: 4000 });
    expect(start).toHaveBeenCalledTimes(1);
    expect(within(card).getByRole('button', { name: 'Run now' })).toBeTruthy();
  });

  it('removes a source only once confirmed', async () => {
    me = admin;
    const remove = vi.fn(() => json({ ...source, status: 'disabled' }));
    stubPlatform({ 'DELETE /v1/harvest-sources/hvs_1': remove });
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Open data portal' });
    fireEvent.click(within(card).getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove the harvest source Open data portal?' });
    expect(dialog.textContent).toContain('the datasets it imported stay');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(remove).not.toHaveBeenCalled();
    fireEvent.click(within(card).getByRole('button', { name: 'Remove' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove the source' }));
    await waitFor(() => expect(remove).toHaveBeenCalledTimes(1));
  });

  it('shows consumers and members the sources without the controls, in Chinese too', async () => {
    me = { ...admin, role: 'member' };
    stubPlatform();
    renderPage('zh-HK');
    const card = await screen.findByRole('listitem', { name: 'Open data portal' });
    await within(card).findAllByText('失敗');
    expect(card.textContent).toContain('每 24 小時');
    expect(card.textContent).toContain('2026年12月5日');
    expect(screen.queryByRole('button', { name: '立即執行' })).toBeNull();
    expect(screen.queryByLabelText('名稱')).toBeNull();
  });
});
