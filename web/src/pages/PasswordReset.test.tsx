// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n';
import { ForgotPassword, ResetPassword, tokenFromHash } from './PasswordReset';

const wrap = (children: ReactNode, language: 'en' | 'zh-HK' = 'en') => (
  <I18nextProvider i18n={setupI18n(language)}>
    <MemoryRouter>{children}</MemoryRouter>
  </I18nextProvider>
);

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.location.hash = '';
});

describe('ForgotPassword', () => {
  it('asks for a link and says the same thing whatever the platform knows', async () => {
    const fetchMock = vi.fn().mockResolvedValue(answer(202, { status: 'accepted', detail: 'on its way' }));
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<ForgotPassword />));
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'mei@lionrock.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send me a link' }));
    await screen.findByText(/If an account has mei@lionrock.test, a link/);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/v1/auth/password-reset');
    expect(JSON.parse(String(init.body))).toEqual({ email: 'mei@lionrock.test' });
  });
});

describe('ResetPassword', () => {
  it('reads the token from the fragment only', () => {
    expect(tokenFromHash('#token=stp_pwr_abc-_9')).toBe('stp_pwr_abc-_9');
    expect(tokenFromHash('')).toBeUndefined();
  });

  it('asks for the link when the page is opened without one', () => {
    render(wrap(<ResetPassword />));
    expect(screen.getByText('This page needs the link from the e-mail we sent.')).toBeTruthy();
    expect(screen.queryByLabelText('New password')).toBeNull();
  });

  it('refuses two different passwords, then sends the token with the new password', async () => {
    window.location.hash = '#token=stp_pwr_secret';
    const fetchMock = vi.fn().mockResolvedValue(answer(200, { sessionsEnded: 2 }));
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<ResetPassword />));
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'lantern orchard velvet' } });
    fireEvent.change(screen.getByLabelText('New password again'), { target: { value: 'lantern orchard' } });
    expect(screen.getByRole('alert').textContent).toBe('The two new passwords differ.');
    const submit = screen.getByRole('button', { name: 'Set new password' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('New password again'), {
      target: { value: 'lantern orchard velvet' },
    });
    fireEvent.click(submit);
    await screen.findByText('Your password is set.');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/v1/auth/password-reset/confirm');
    expect(JSON.parse(String(init.body))).toEqual({
      token: 'stp_pwr_secret',
      password: 'lantern orchard velvet',
    });
  });

  it('says in Chinese when the link is spent', async () => {
    window.location.hash = '#token=stp_pwr_spent';
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        answer(410, {
          type: 'https://stp-platform.dev/problems/password-reset-invalid',
          code: 'password-reset-invalid',
          title: 'The password-reset link is unknown, used or expired',
          status: 410,
          detail: 'ask for a new link from the sign-in page',
        }),
      ),
    );
    render(wrap(<ResetPassword />, 'zh-HK'));
    fireEvent.change(screen.getByLabelText('新密碼'), { target: { value: 'lantern orchard velvet' } });
    fireEvent.change(screen.getByLabelText('再輸入新密碼'), { target: { value: 'lantern orchard velvet' } });
    fireEvent.click(screen.getByRole('button', { name: '設定新密碼' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('此連結已失效'));
  });
});
