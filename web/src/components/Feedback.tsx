import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/**
 * A problem+json answer: what was wrong, and its stable code. Problems the portal has words for
 * (`portal.problem.<code>`, filled from the answer's extension members such as `columns`) are shown
 * in the reader's language; the rest as the platform wrote them.
 */
export function ErrorMessage({ error }: { error: Error | undefined }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  const known = code !== undefined && i18n.exists(`portal.problem.${code}.title`);
  const values = known ? problemValues((error as ApiError).body) : {};
  return (
    <div className="alert alert-error" role="alert">
      <strong>
        {known
          ? t(`portal.problem.${code}.title`)
          : error instanceof ApiError
            ? error.title
            : t('error.generic')}
      </strong>
      <span> {known ? t(`portal.problem.${code}.detail`, values) : error.message}</span>
      {code && <code className="alert-code">{code}</code>}
    </div>
  );
}

/** A problem's extension members as interpolation values: lists joined with commas. */
function problemValues(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([, value]) => typeof value === 'string' || typeof value === 'number' || Array.isArray(value))
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : String(value)]),
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Notice({
  children,
  kind = 'info',
}: {
  children: ReactNode;
  kind?: 'info' | 'success' | 'warning';
}) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {children}
    </div>
  );
}

/** Title, an optional lead and actions: the top of every page. */
export function PageHeader({
  title,
  lead,
  actions,
}: {
  title: string;
  lead?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}
