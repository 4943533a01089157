import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies a value (a secret shown once, a key, an id) and says so for a moment. */
export function CopyButton({ value, label }: { value: string; label?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard refused (no permission, plain http): select the text for the user instead.
      const field = document.querySelector<HTMLInputElement>(`[data-copy-source="${CSS.escape(value)}"]`);
      field?.select();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" className="button button-small" onClick={copy}>
      {copied ? t('copied') : (label ?? t('copy'))}
    </button>
  );
}

/** A secret shown once: read-only field, copy button, and the warning that it will not be shown again. */
export function SecretOnce({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <div className="secret-once" role="status">
      <label>
        {label}
        <div className="secret-row">
          <input readOnly value={value} data-copy-source={value} aria-label={label} className="mono" />
          <CopyButton value={value} />
        </div>
      </label>
      <p className="hint">{t('secretOnce')}</p>
    </div>
  );
}
