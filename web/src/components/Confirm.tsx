import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../hooks';
import { ErrorMessage, Notice } from './Feedback';

/**
 * Asks before something that cannot be undone: the consequence in words, the action named on the
 * button that does it, and a way back (Cancel, or Escape). A modal <dialog>, so focus stays in it
 * and screen readers announce it as a dialog with its title and consequence.
 */
export function ConfirmDialog({
  open,
  title,
  consequence,
  confirmLabel,
  isPending = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  isPending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-consequence`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {open && (
        <>
          <h2 id={`${id}-title`}>{title}</h2>
          <div id={`${id}-consequence`} className="confirm-consequence">
            {consequence}
          </div>
          <div className="actions">
            <button type="button" className="button button-danger" disabled={isPending} onClick={onConfirm}>
              {confirmLabel}
            </button>
            <button type="button" className="button" onClick={onCancel}>
              {t('portal.confirm.cancel')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}

/**
 * A decision that cannot be undone and needs a reason (revoke, reject): the reason typed in, the
 * button that asks first, the dialog stating the consequence in words, then what happened. The
 * form is shown while the action is still possible (`isAvailable`); the outcome stays in view
 * after it, even when the record the form belonged to has changed state.
 */
export function ConfirmedActionForm({
  isAvailable,
  reasonLabel,
  actionLabel,
  title,
  consequence,
  confirmLabel,
  doneMessage,
  onConfirm,
  onDone,
}: {
  isAvailable: boolean;
  reasonLabel: string;
  /** The button in the form that opens the dialog. */
  actionLabel: string;
  title: string;
  /** What follows, in words; given the reason as it will be recorded. */
  consequence: (reason: string) => ReactNode;
  /** The dialog's button that does it. */
  confirmLabel: string;
  /** What happened, shown here after it did; omit it when the page says so itself. */
  doneMessage?: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onDone?: () => void;
}) {
  const [reason, setReason] = useState('');
  const [isConfirming, setConfirming] = useState(false);
  const [isDone, setDone] = useState(false);
  const trimmed = reason.trim();
  const act = useAction(async () => {
    try {
      await onConfirm(trimmed);
    } finally {
      // A refusal is shown beside the form, not behind the modal dialog.
      setConfirming(false);
    }
    setDone(true);
    onDone?.();
  });
  return (
    <>
      {isDone && doneMessage && <Notice kind="success">{doneMessage}</Notice>}
      {isAvailable && !isDone && (
        <form
          className="reject-form"
          onSubmit={(event) => {
            event.preventDefault();
            act.clearError();
            setConfirming(true);
          }}
        >
          <label>
            {reasonLabel}
            <input value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} />
          </label>
          <button type="submit" className="button button-danger" disabled={!trimmed || act.isPending}>
            {actionLabel}
          </button>
        </form>
      )}
      <ErrorMessage error={act.error} />
      <ConfirmDialog
        open={isConfirming}
        title={title}
        consequence={consequence(trimmed)}
        confirmLabel={confirmLabel}
        isPending={act.isPending}
        onConfirm={() => void act.run()}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
