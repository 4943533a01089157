import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api';
import { Empty, ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import type { Organisation } from '../session';

interface Application extends Organisation {
  description: string | null;
  website: string | null;
  declaredLocation: string | null;
  createdAt: string;
}

/** Operators: organisations that applied to join, approved or rejected with a reason. */
export function Applications() {
  const { t } = useTranslation();
  const pending = useLoad(
    () => get<{ items: Application[] }>('/v1/orgs', { status: 'pending', limit: 100 }),
    [],
  );
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const decide = useAction(async (orgId: string, decision: 'approve' | 'reject') => {
    const reason = reasons[orgId]?.trim();
    await post(`/v1/orgs/${orgId}/${decision}`, reason ? { reason } : {});
    pending.reload();
  });

  return (
    <section>
      <PageHeader title={t('applications.title')} lead={t('applications.lead')} />
      <ErrorMessage error={pending.error ?? decide.error} />
      {pending.isLoading && !pending.data && <Loading />}
      {pending.data?.items.length === 0 && <Empty>{t('applications.none')}</Empty>}
      <ul className="cards">
        {pending.data?.items.map((org) => (
          <li key={org.id} className="card">
            <div className="card-head">
              <h2>{org.name}</h2>
              <StatusBadge status={org.status} />
            </div>
            <p className="meta">
              {org.kinds.map((kind) => t(`kind.${kind}`)).join(' · ')}
              {org.sector && ` · ${org.sector}`}
              {org.declaredLocation && ` · ${t(`location.${org.declaredLocation}`)}`}
            </p>
            {org.description && <p>{org.description}</p>}
            <label>
              {t('applications.reason')}
              <input
                value={reasons[org.id] ?? ''}
                onChange={(event) => setReasons((r) => ({ ...r, [org.id]: event.target.value }))}
              />
            </label>
            <div className="actions">
              <button
                type="button"
                className="button button-primary"
                disabled={decide.isPending}
                onClick={() => void decide.run(org.id, 'approve')}
              >
                {t('applications.approve')}
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={decide.isPending || !reasons[org.id]?.trim()}
                onClick={() => void decide.run(org.id, 'reject')}
              >
                {t('applications.reject')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
