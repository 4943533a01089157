// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n';
import type { Me } from '../session';
import { type Webhook, type WebhookDelivery, Webhooks, webhookHealth } from './Webhooks';

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

const hook: Webhook = {
  id: 'whk_1',
  orgId: 'org_harbour',
  url: 'https://hooks.harbour.example/stp',
  events: ['transfer.*'],
  createdBy: 'usr_ada',
  createdAt: '2026-12-04T02:00:00.000Z',
};

const delivery = (overrides: Partial<WebhookDelivery>): WebhookDelivery => ({
  id: 'whd_1',
  notificationId: 'ntf_1',
  event: 'transfer.approved',
  state: 'delivered',
  attempts: 1,
  nextAttemptAt: '2026-12-05T03:00:00.000Z',
  lastAttemptAt: '2026-12-05T02:00:00.000Z',
  lastStatus: 204,
  lastError: null,
  deliveredAt: '2026-12-05T02:00:00.000Z',
  createdAt: '2026-12-05T02:00:00.000Z',
  ...overrides,
});

const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** The platform as the page sees it: one webhook whose last delivery is being retried after a 500. */
function stubPlatform(answers: Record<string, (init?: RequestInit) => Response> = {}) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${url}`;
    for (const [prefix, answer] of Object.entries(answers)) if (key.startsWith(prefix)) return answer(init);
    if (key === 'GET /v1/webhooks') return json({ items: [hook] });
    if (key === 'GET /v1/event-types')
      return json({
        items: [
          { type: 'transfer.approved', description: 'A transfer was approved.' },
          { type: 'transfer.revoked', description: 'A transfer was revoked.' },
          { type: 'wish.answered', description: 'A wish was answered.' },
        ],
      });
    if (key.startsWith('GET /v1/webhooks/whk_1/deliveries'))
      return json({
        items: [
          delivery({
            id: 'whd_2',
            state: 'pending',
            lastStatus: 500,
            lastError: 'answered 500',
            deliveredAt: null,
          }),
          delivery({}),
        ],
      });
    throw new Error(`unexpected ${key}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const renderPage = (language: 'en' | 'zh-HK' = 'en') =>
  render(
    <I18nextProvider i18n={setupI18n(language)}>
      <Webhooks />
    </I18nextProvider>,
  );

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('webhookHealth', () => {
  it('reads the latest delivery that was not cancelled', () => {
    expect(webhookHealth([])).toBe('quiet');
    expect(webhookHealth([delivery({ state: 'cancelled' })])).toBe('quiet');
    expect(webhookHealth([delivery({ state: 'failed' }), delivery({})])).toBe('failing');
    expect(webhookHealth([delivery({ state: 'pending', attempts: 2 })])).toBe('retrying');
    expect(webhookHealth([delivery({ state: 'pending', attempts: 0 }), delivery({ state: 'failed' })])).toBe(
      'healthy',
    );
    expect(webhookHealth([delivery({ state: 'cancelled' }), delivery({})])).toBe('healthy');
  });
});

describe('Webhooks', () => {
  it('lists each webhook with its state and its deliveries: status, attempts and the last answer', async () => {
    me = admin;
    stubPlatform();
    renderPage();
    const card = await screen.findByRole('listitem', { name: hook.url });
    await within(card).findByText('retrying');
    expect(card.textContent).toContain('transfer.*');
    expect(card.textContent).toContain('4 Dec 2026');
    const rows = within(card).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('pending');
    expect(rows[1]!.textContent).toContain('HTTP 500');
    expect(rows[1]!.textContent).toContain('Next try 5 Dec 2026');
    expect(rows[2]!.textContent).toContain('delivered');
    expect(rows[2]!.textContent).toContain('HTTP 204');
  });

  it('adds a webhook for the events chosen from the catalogue and shows its secret once', async () => {
    me = admin;
    const fetchMock = stubPlatform({
      'POST /v1/webhooks': () =>
        json({ ...hook, id: 'whk_2', url: 'https://hooks.example.org/x', secret: 'whsec_once' }, 201),
    });
    renderPage();
    const create = screen.getByRole('button', { name: 'Add the webhook' }) as HTMLButtonElement;
    fireEvent.change(screen.getByLabelText('Receiver URL'), {
      target: { value: ' https://hooks.example.org/x ' },
    });
    // No event chosen, nothing to send.
    expect(create.disabled).toBe(true);
    fireEvent.click(await screen.findByLabelText(/^transfer\.revoked/));
    fireEvent.click(screen.getByLabelText('Every wish event, including types added later'));
    expect(screen.getByText('Will be sent: transfer.revoked, wish.*')).toBeTruthy();
    fireEvent.click(create);
    const secret = (await screen.findByLabelText('Signing secret')) as HTMLInputElement;
    expect(secret.value).toBe('whsec_once');
    expect(screen.getByText(/Webhook added for https:\/\/hooks\.example\.org\/x/)).toBeTruthy();
    const [, init] = fetchMock.mock.calls.find(([, i]) => i?.method === 'POST') as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({
      url: 'https://hooks.example.org/x',
      events: ['transfer.revoked', 'wish.*'],
    });
  });

  it('shows a refused URL as the platform explained it', async () => {
    me = admin;
    stubPlatform({
      'POST /v1/webhooks': () =>
        new Response(
          JSON.stringify({
            status: 400,
            code: 'validation-failed',
            title: 'Bad request',
            detail: 'url: must be a public address',
          }),
          { status: 400, headers: { 'content-type': 'application/problem+json' } },
        ),
    });
    renderPage();
    fireEvent.change(screen.getByLabelText('Receiver URL'), { target: { value: 'http://10.0.0.1/x' } });
    fireEvent.click(screen.getByLabelText('Every event (*), including types added later'));
    fireEvent.click(screen.getByRole('button', { name: 'Add the webhook' }));
    expect((await screen.findByRole('alert')).textContent).toContain('validation-failed');
    expect(screen.queryByLabelText('Signing secret')).toBeNull();
  });

  it('rotates the secret only once confirmed, and shows the new one', async () => {
    me = admin;
    const rotate = vi.fn(() => json({ ...hook, secret: 'whsec_new' }));
    stubPlatform({ 'POST /v1/webhooks/whk_1/secret': rotate });
    renderPage();
    const card = await screen.findByRole('listitem', { name: hook.url });
    fireEvent.click(within(card).getByRole('button', { name: 'Rotate the secret' }));
    const dialog = screen.getByRole('alertdialog', { name: `Replace the signing secret of ${hook.url}?` });
    expect(dialog.textContent).toContain('stop verifying at once');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(rotate).not.toHaveBeenCalled();
    fireEvent.click(within(card).getByRole('button', { name: 'Rotate the secret' }));
    fireEvent.click(screen.getByRole('button', { name: 'Replace the secret' }));
    expect(((await screen.findByLabelText('Signing secret')) as HTMLInputElement).value).toBe('whsec_new');
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('deletes only once confirmed, then reads the list again', async () => {
    me = admin;
    const remove = vi.fn(() => json(null, 204));
    const fetchMock = stubPlatform({ 'DELETE /v1/webhooks/whk_1': remove });
    renderPage();
    const card = await screen.findByRole('listitem', { name: hook.url });
    fireEvent.click(within(card).getByRole('button', { name: 'Delete' }));
    expect(remove).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete the webhook' }));
    await waitFor(() => expect(remove).toHaveBeenCalledTimes(1));
    await waitFor(() =>
      expect(
        fetchMock.mock.calls.filter(([url, init]) => url === '/v1/webhooks' && init?.method === 'GET'),
      ).toHaveLength(2),
    );
  });

  it('lets members see webhooks but not change them, in Chinese too', async () => {
    me = { ...admin, role: 'member' };
    stubPlatform();
    renderPage('zh-HK');
    const card = await screen.findByRole('listitem', { name: hook.url });
    await within(card).findByText('重試中');
    expect(screen.getByText(/只有貴機構的管理員/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '輪換密鑰' })).toBeNull();
    expect(screen.queryByLabelText('接收網址')).toBeNull();
    expect(card.textContent).toContain('2026年12月4日');
  });
});
