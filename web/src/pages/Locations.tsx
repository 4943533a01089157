import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, put } from '../api';
import { formatDate } from '../components/data/common';
import { locations } from '../components/data/types';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { hasKind, type Organisation, useMe } from '../session';

export interface DeclaredOrganisation extends Organisation {
  sector: string | null;
  description: string | null;
  declaredLocation: string | null;
  location: string | null;
  locationVerifiedAt: string | null;
  createdAt: string;
}

/**
 * Operators: organisations whose location is only what they declared. Cross-boundary rules read
 * the verified location alone, so until an operator records it with evidence, such an
 * organisation's transfers of personal data cannot be judged.
 */
export function Locations() {
  const { t } = useTranslation();
  const me = useMe();
  const waiting = useLoad(
    () => get<{ items: DeclaredOrganisation[] }>('/v1/orgs', { locationVerified: false, limit: 100 }),
    [me.organisation.id],
  );
  const [verified, setVerified] = useState<DeclaredOrganisation[]>([]);

  if (!hasKind(me, 'operator')) {
    return (
      <section>
        <PageHeader title={t('portal.locations.title')} />
        <Notice kind="warning">{t('portal.locations.operatorsOnly')}</Notice>
      </section>
    );
  }
  const items = waiting.data?.items ?? [];
  return (
    <section>
      <PageHeader title={t('portal.locations.title')} lead={t('portal.locations.lead')} />
      <ErrorMessage error={waiting.error} />
      {waiting.isLoading && !waiting.data && <Loading />}
      <div aria-live="polite">
        {verified.map((org) => (
          <Notice key={org.id} kind="success">
            {t('portal.locations.verified', {
              org: org.name,
              location: t(`location.${org.location}`),
            })}
          </Notice>
        ))}
      </div>
      {waiting.data && items.length === 0 && <Empty>{t('portal.locations.none')}</Empty>}
      <ul className="cards">
        {items.map((org) => (
          <LocationCard
            key={org.id}
            org={org}
            onVerified={(updated) => {
              setVerified((done) => [updated, ...done.filter((o) => o.id !== updated.id)]);
              waiting.reload();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

/** One organisation: what it declared, and the form that records where it is, with the evidence seen. */
export function LocationCard({
  org,
  onVerified,
}: {
  org: DeclaredOrganisation;
  onVerified: (org: DeclaredOrganisation) => void;
}) {
  const { t, i18n } = useTranslation();
  const [location, setLocation] = useState(org.declaredLocation ?? '');
  const [evidence, setEvidence] = useState('');
  const verify = useAction(async () => {
    const updated = await put<DeclaredOrganisation>(`/v1/orgs/${org.id}/location`, {
      location,
      evidence: evidence.trim(),
    });
    onVerified(updated);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void verify.run();
  };
  const headingId = `location-${org.id}`;
  const idPrefix = `location-form-${org.id}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId}>{org.name}</h2>
        <StatusBadge status={org.status} />
      </div>
      <p className="meta">
        {org.kinds.map((kind) => t(`kind.${kind}`)).join(' · ')}
        {org.sector && ` · ${org.sector}`}
      </p>
      {org.description && <p>{org.description}</p>}
      <dl className="facts">
        <dt>{t('portal.locations.declared')}</dt>
        <dd>
          {org.declaredLocation ? t(`location.${org.declaredLocation}`) : t('portal.locations.notDeclared')}
        </dd>
        <dt>{t('portal.locations.since')}</dt>
        <dd>{formatDate(org.createdAt, i18n.language)}</dd>
      </dl>
      <form className="form" onSubmit={submit}>
        <label htmlFor={`${idPrefix}-location`}>{t('portal.locations.verifiedLocation')}</label>
        <select
          id={`${idPrefix}-location`}
          required
          value={location}
          onChange={(event) => setLocation(event.target.value)}
        >
          <option value="">{t('portal.locations.choose')}</option>
          {locations.map((value) => (
            <option key={value} value={value}>
              {t(`location.${value}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${idPrefix}-evidence`}>{t('portal.locations.evidence')}</label>
        <input
          id={`${idPrefix}-evidence`}
          required
          value={evidence}
          maxLength={2000}
          aria-describedby={`${idPrefix}-hint`}
          onChange={(event) => setEvidence(event.target.value)}
        />
        <p id={`${idPrefix}-hint`} className="meta">
          {t('portal.locations.evidenceHint')}
        </p>
        <button
          type="submit"
          className="button button-primary"
          disabled={!location || !evidence.trim() || verify.isPending}
        >
          {t('portal.locations.verify')}
        </button>
        <ErrorMessage error={verify.error} />
      </form>
    </li>
  );
}
