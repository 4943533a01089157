// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { setupI18n } from '../i18n';
import { ConfirmedActionForm } from './Confirm';

const wrap = (children: ReactNode) => <I18nextProvider i18n={setupI18n('en')}>{children}</I18nextProvider>;

afterEach(cleanup);

function revokeForm(props: Partial<Parameters<typeof ConfirmedActionForm>[0]> = {}) {
  return (
    <ConfirmedActionForm
      isAvailable
      reasonLabel="Reason for revoking"
      actionLabel="Revoke"
      title="Revoke the agreement?"
      consequence={(reason) => <p>Lion Rock Bank loses access at once; recorded reason: {reason}</p>}
      confirmLabel="Revoke the agreement"
      doneMessage="Revoked: Lion Rock Bank no longer has access."
      onConfirm={async () => {}}
      {...props}
    />
  );
}

describe('ConfirmedActionForm', () => {
  it('needs a reason, asks first with the consequence in words, and does nothing when cancelled', () => {
    const onConfirm = vi.fn().mockResolvedValue(undefined);
    render(wrap(revokeForm({ onConfirm })));
    const revoke = screen.getByRole('button', { name: 'Revoke' }) as HTMLButtonElement;
    expect(revoke.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Reason for revoking'), {
      target: { value: '  letter of 4 Dec  ' },
    });
    fireEvent.click(revoke);
    const dialog = screen.getByRole('alertdialog', { name: 'Revoke the agreement?' });
    expect(dialog.textContent).toContain('loses access at once; recorded reason: letter of 4 Dec');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('acts with the trimmed reason once confirmed, then says what happened instead of the form', async () => {
    const onConfirm = vi.fn().mockResolvedValue(undefined);
    const onDone = vi.fn();
    render(wrap(revokeForm({ onConfirm, onDone })));
    fireEvent.change(screen.getByLabelText('Reason for revoking'), {
      target: { value: '  letter of 4 Dec  ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the agreement' }));
    await screen.findByText('Revoked: Lion Rock Bank no longer has access.');
    expect(onConfirm).toHaveBeenCalledWith('letter of 4 Dec');
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText('Reason for revoking')).toBeNull();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('shows a refusal beside the form, closes the dialog and keeps the form to try again', async () => {
    const onDone = vi.fn();
    const onConfirm = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, 'agreement-not-active', 'Conflict', 'the agreement already ended', {}),
      );
    render(wrap(revokeForm({ onConfirm, onDone })));
    fireEvent.change(screen.getByLabelText('Reason for revoking'), { target: { value: 'ended' } });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the agreement' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('the agreement already ended'),
    );
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByLabelText('Reason for revoking')).toBeDefined();
    expect(screen.queryByText(/^Revoked:/)).toBeNull();
    expect(onDone).not.toHaveBeenCalled();
  });

  it('shows no form once the action is no longer possible', () => {
    render(wrap(revokeForm({ isAvailable: false })));
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });
});
