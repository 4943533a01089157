// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { LedgerActor, VerifyVerdict } from './LedgerPanel';
import { Tabs } from './RoleTabs';
import type { LedgerEntry } from './types';
import { VoteButton } from './VoteButton';
import { WishForm } from './WishForm';

const i18n = setupI18n('en');
const wrap = (children: ReactNode) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('LedgerActor', () => {
  const entry: LedgerEntry = {
    seq: 7,
    id: 'evt_1',
    at: '2026-12-05T02:00:00.000Z',
    actorType: 'session',
    actorId: 'usr_mei',
    orgId: 'org_lionrock',
    action: 'agreement.revoke',
    objectType: 'agreement',
    objectId: 'agr_1',
    decision: 'allow',
    reason: null,
    data: {},
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  };
  const names = {
    people: { usr_mei: { name: 'Chan Mei', organisations: [{ id: 'org_ops', name: 'STP Operations' }] } },
    organisations: { org_lionrock: 'Lion Rock Bank' },
  };

  it('names the person, their organisation and the organisation concerned; each filters by its id', () => {
    const onFilterActor = vi.fn();
    const onFilterOrg = vi.fn();
    render(
      wrap(
        <LedgerActor
          entry={entry}
          names={names}
          orgName={(id) => `directory ${id}`}
          onFilterActor={onFilterActor}
          onFilterOrg={onFilterOrg}
        />,
      ),
    );
    const person = screen.getByRole('button', { name: "Chan Mei: show only this actor's entries" });
    expect(person.title).toBe('usr_mei');
    expect(screen.getByText('(STP Operations)')).toBeTruthy();
    fireEvent.click(person);
    expect(onFilterActor).toHaveBeenCalledWith('usr_mei');
    fireEvent.click(screen.getByRole('button', { name: 'Lion Rock Bank' }));
    expect(onFilterOrg).toHaveBeenCalledWith('org_lionrock');
  });

  it('shows the id itself when no name is known', () => {
    render(
      wrap(
        <LedgerActor
          entry={{ ...entry, actorId: 'usr_gone', orgId: null }}
          names={names}
          orgName={(id) => `directory ${id}`}
          onFilterActor={() => {}}
          onFilterOrg={() => {}}
        />,
      ),
    );
    expect(screen.getByRole('button', { name: "usr_gone: show only this actor's entries" }).textContent).toBe(
      'usr_gone',
    );
  });
});

describe('VerifyVerdict', () => {
  it('says a sound chain is verified, with the entries checked and the head hash', () => {
    render(wrap(<VerifyVerdict verdict={{ ok: true, count: 42, headSeq: 42, headHash: 'ab'.repeat(32) }} />));
    const verdict = screen.getByRole('status');
    expect(verdict.textContent).toContain('Chain verified.');
    expect(verdict.textContent).toContain('42 entries checked');
    expect(verdict.textContent).toContain('ab'.repeat(32));
  });
  it('says where a broken chain breaks', () => {
    render(
      wrap(
        <VerifyVerdict
          verdict={{
            ok: false,
            count: 6,
            brokenSeq: 7,
            problem: 'hash-mismatch',
            detail: 'entry 7 was changed',
          }}
        />,
      ),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Chain broken at entry #7.');
    expect(alert.textContent).toContain('entry 7 was changed');
  });
});

describe('VoteButton', () => {
  it('toggles the vote and shows the count the platform answers', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(answer(200, { votes: 4, votedByMe: true }))
      .mockResolvedValueOnce(answer(200, { votes: 3, votedByMe: false }));
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<VoteButton wishId="wsh_1" title="EV chargers" votes={3} votedByMe={false} />));
    const button = screen.getByRole('button', { name: /vote/i });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('true'));
    expect(button.textContent).toContain('4 votes');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/v1/wishes/wsh_1/vote');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('PUT');
    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('false'));
    expect(fetchMock.mock.calls[1]?.[1]?.method).toBe('DELETE');
    expect(button.textContent).toContain('3 votes');
  });
});

describe('WishForm', () => {
  it('posts the title, description and parsed tags', async () => {
    const posted = { id: 'wsh_9', title: 'EV chargers' };
    const fetchMock = vi.fn().mockResolvedValue(answer(201, posted));
    vi.stubGlobal('fetch', fetchMock);
    const onPosted = vi.fn();
    render(wrap(<WishForm onPosted={onPosted} />));
    fireEvent.change(screen.getByLabelText('What data do you wish for?'), {
      target: { value: ' EV chargers ' },
    });
    fireEvent.change(screen.getByLabelText('What would you do with it?'), {
      target: { value: 'Plan a fleet' },
    });
    fireEvent.change(screen.getByLabelText('Tags (optional)'), { target: { value: 'EV, energy, ev' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post the wish' }));
    await waitFor(() => expect(onPosted).toHaveBeenCalledWith(posted));
    expect(JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string)).toEqual({
      title: 'EV chargers',
      description: 'Plan a fleet',
      tags: ['ev', 'energy'],
    });
  });
  it('shows the platform’s problem detail when posting is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        answer(400, {
          code: 'validation-failed',
          title: 'Invalid request',
          detail: 'title: at least 3 characters',
        }),
      ),
    );
    render(wrap(<WishForm onPosted={vi.fn()} />));
    fireEvent.change(screen.getByLabelText('What data do you wish for?'), { target: { value: 'abc' } });
    fireEvent.change(screen.getByLabelText('What would you do with it?'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post the wish' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('title: at least 3 characters');
    expect(alert.textContent).toContain('validation-failed');
  });
});

describe('Tabs', () => {
  it('selects with a click and moves with the arrow keys, keeping only the selected tab in the tab order', () => {
    const onChange = vi.fn();
    const items = [
      { value: '', label: 'Everyone' },
      { value: 'data-partner', label: 'Data partners' },
      { value: 'tech-company', label: 'Tech companies' },
    ];
    render(
      wrap(<Tabs label="Kind" items={items} value="" onChange={onChange} panelId="panel" idPrefix="tab" />),
    );
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false']);
    expect(tabs.map((tab) => tab.tabIndex)).toEqual([0, -1, -1]);
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    expect(onChange).toHaveBeenLastCalledWith('data-partner');
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowLeft' });
    expect(onChange).toHaveBeenLastCalledWith('tech-company');
    fireEvent.click(tabs[2]!);
    expect(onChange).toHaveBeenLastCalledWith('tech-company');
    expect(screen.getByRole('tablist', { name: 'Kind' })).toBeTruthy();
  });
});
