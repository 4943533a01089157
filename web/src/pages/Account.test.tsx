// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n';
import { PasswordForm } from './Account';

const wrap = (children: ReactNode) => <I18nextProvider i18n={setupI18n('en')}>{children}</I18nextProvider>;

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

function fill(current: string, next: string) {
  fireEvent.change(screen.getByLabelText('Current password'), { target: { value: current } });
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: next } });
  fireEvent.change(screen.getByLabelText('New password again'), { target: { value: next } });
  fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
}

describe('PasswordForm', () => {
  it('says a wrong current password in words and keeps what was typed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        answer(403, {
          code: 'current-password-incorrect',
          title: 'The current password given is not the account’s',
          status: 403,
          detail: 'body/currentPassword: is not your current password',
        }),
      ),
    );
    render(wrap(<PasswordForm />));
    fill('wrong one', 'lantern orchard velvet');
    expect((await screen.findByRole('alert')).textContent).toContain('The current password is wrong');
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('wrong one');
  });

  it('sends both passwords and says how many other sessions ended', async () => {
    const fetchMock = vi.fn().mockResolvedValue(answer(200, { sessionsEnded: 2 }));
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<PasswordForm />));
    fill('correct horse battery staple', 'lantern orchard velvet');
    await screen.findByText('Password changed. 2 other sessions were signed out.');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/v1/me/password');
    expect(JSON.parse(String(init.body))).toEqual({
      currentPassword: 'correct horse battery staple',
      newPassword: 'lantern orchard velvet',
    });
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');
  });
});
