import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

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
