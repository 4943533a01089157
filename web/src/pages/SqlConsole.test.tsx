// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { historyKey } from '../components/data/sqlHistory';
import type { QueryResult } from '../components/data/types';
import { setupI18n } from '../i18n';
import type { Me } from '../session';
import { SqlConsole } from './SqlConsole';

const me: Me = {
  user: { id: 'usr_grace', email: 'grace@example.org', name: 'Grace' },
  organisation: { id: 'org_park', slug: 'park', name: 'Science Park', kinds: ['consumer'], status: 'active' },
  role: 'member',
  memberships: [],
};

vi.mock('../session', () => ({ useMe: () => me }));

const result: QueryResult = {
  queryId: 'qry_1',
  columns: [
    { name: 'building', type: 'VARCHAR' },
    { name: 'note', type: 'VARCHAR' },
  ],
  rows: [
    ['b15w', 'meter, "new"'],
    ['innocell', null],
  ],
  rowCount: 2,
  truncated: false,
  datasets: [],
};

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

function stubPlatform() {
  const fetchMock = vi.fn(async (url: string) =>
    url.startsWith('/v1/query/tables') ? json({ items: [] }) : json(result),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const renderConsole = () =>
  render(
    <I18nextProvider i18n={setupI18n('en')}>
      <MemoryRouter>
        <SqlConsole />
      </MemoryRouter>
    </I18nextProvider>,
  );

const editor = () => screen.getByRole('textbox', { name: 'SQL query' }) as HTMLTextAreaElement;
const key = historyKey(me.user.id, me.organisation.id);

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('SqlConsole', () => {
  it('remembers a query that ran, for this user and organisation', async () => {
    stubPlatform();
    renderConsole();
    fireEvent.change(editor(), { target: { value: 'SELECT * FROM energy' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const list = await screen.findByRole('region', { name: 'Recent queries' });
    expect(within(list).getByRole('button', { name: /SELECT \* FROM energy/ })).toBeTruthy();
    expect(JSON.parse(localStorage.getItem(key) ?? '[]')).toEqual(['SELECT * FROM energy']);
  });

  it('does not remember a query the platform refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url.startsWith('/v1/query/tables')
          ? json({ items: [] })
          : new Response(JSON.stringify({ status: 400, title: 'Bad query', detail: 'syntax error' }), {
              status: 400,
              headers: { 'content-type': 'application/problem+json' },
            }),
      ),
    );
    renderConsole();
    fireEvent.change(editor(), { target: { value: 'SELEC oops' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByText(/syntax error/);
    expect(screen.queryByRole('region', { name: 'Recent queries' })).toBeNull();
    expect(localStorage.getItem(key)).toBeNull();
  });

  it('puts a query from the history back in the editor, and clears the history', () => {
    stubPlatform();
    localStorage.setItem(key, JSON.stringify(['SELECT 2', 'SELECT 1']));
    renderConsole();
    fireEvent.click(screen.getByRole('button', { name: 'Put back in the editor: SELECT 1' }));
    expect(editor().value).toBe('SELECT 1');
    fireEvent.click(screen.getByRole('button', { name: 'Clear history' }));
    expect(screen.queryByRole('region', { name: 'Recent queries' })).toBeNull();
    expect(localStorage.getItem(key)).toBeNull();
  });

  it('shows nothing from corrupt storage and still runs', async () => {
    stubPlatform();
    localStorage.setItem(key, '{not json');
    renderConsole();
    expect(screen.queryByRole('region', { name: 'Recent queries' })).toBeNull();
    fireEvent.change(editor(), { target: { value: 'SELECT 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByRole('region', { name: 'Recent queries' });
  });

  it('downloads the result as CSV with a header row and quoted fields', async () => {
    stubPlatform();
    let saved: Blob | undefined;
    vi.stubGlobal('URL', {
      ...URL,
      createObjectURL: (blob: Blob) => {
        saved = blob;
        return 'blob:result';
      },
      revokeObjectURL: () => undefined,
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderConsole();
    fireEvent.change(editor(), { target: { value: 'SELECT building, note FROM energy' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Download CSV' }));
    expect(click).toHaveBeenCalled();
    const link = click.mock.contexts[0] as HTMLAnchorElement;
    expect(link.download).toBe('query-qry_1.csv');
    expect(saved?.type).toBe('text/csv;charset=utf-8');
    const bytes = await new Promise<ArrayBuffer>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.readAsArrayBuffer(saved as Blob);
    });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toBe('\uFEFFbuilding,note\r\nb15w,"meter, ""new"""\r\ninnocell,\r\n');
  });
});
