import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, saveFile } from '../api';
import { ConfirmedActionForm } from '../components/Confirm';
import { formatDate, useOrgNames } from '../components/data/common';
import { purposes } from '../components/data/types';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad, useUrlFilters } from '../hooks';
import { hasKind, useMe } from '../session';

export interface Consent {
  id: string;
  subjectKey: string;
  purpose: string;
  granteeOrgId: string | null;
  datasetIds: string[];
  apiIds: string[];
  grantedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  evidence: string | null;
  state: 'live' | 'expired' | 'revoked';
}

const states = ['live', 'expired', 'revoked'] as const;

/**
 * The provider's consent register: the consents its data subjects gave, found by subject or state,
 * added one at a time or from a CSV file, revoked with a reason (after saying what follows), and a
 * receipt per subject to hand over.
 */
export function Consents() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setFilters] = useUrlFilters({ replace: true });
  const subject = params.get('subject') ?? '';
  const state = params.get('state') ?? '';
  const [subjectInput, setSubjectInput] = useState(subject);
  const loaded = useLoad(
    () =>
      get<{ items: Consent[] }>('/v1/consents', {
        limit: 200,
        subjectKey: subject || undefined,
        state: state || undefined,
      }),
    [subject, state, me.organisation.id],
  );
  const orgs = useOrgNames();
  const granteeName = (id: string | null) => (id ? (orgs.get(id)?.name ?? id) : t('portal.consents.anyOrg'));

  if (!hasKind(me, 'provider')) {
    return (
      <section>
        <PageHeader title={t('portal.consents.title')} />
        <Notice kind="warning">{t('portal.consents.providersOnly')}</Notice>
      </section>
    );
  }
  const items = loaded.data?.items ?? [];
  return (
    <section>
      <PageHeader title={t('portal.consents.title')} lead={t('portal.consents.lead')} />
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ subject: subjectInput.trim() });
        }}
      >
        <label>
          {t('portal.consents.findSubject')}
          <input
            value={subjectInput}
            maxLength={200}
            onChange={(event) => setSubjectInput(event.target.value)}
          />
        </label>
        <label>
          {t('portal.consents.state')}
          <select value={state} onChange={(event) => setFilters({ state: event.target.value })}>
            <option value="">{t('portal.consents.anyState')}</option>
            {states.map((value) => (
              <option key={value} value={value}>
                {t(`portal.consents.states.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t('portal.consents.find')}
        </button>
      </form>
      <ErrorMessage error={loaded.error} />
      {loaded.isLoading && !loaded.data && <Loading />}
      {loaded.data && (
        <p className="meta" aria-live="polite">
          {t('portal.consents.count', { count: items.length })}
        </p>
      )}
      {loaded.data && items.length === 0 && <Empty>{t('portal.consents.none')}</Empty>}
      <ul className="cards consent-cards">
        {items.map((consent) => (
          <ConsentCard
            key={consent.id}
            consent={consent}
            grantee={granteeName(consent.granteeOrgId)}
            onRevoked={loaded.reload}
          />
        ))}
      </ul>
      <AddConsent
        grantees={[...orgs.values()].filter((org) => org.id !== me.organisation.id)}
        onAdded={loaded.reload}
      />
      <ImportConsents onImported={loaded.reload} />
    </section>
  );
}

function ConsentCard({
  consent,
  grantee,
  onRevoked,
}: {
  consent: Consent;
  grantee: string;
  onRevoked: () => void;
}) {
  const { t, i18n } = useTranslation();
  const receipt = useAction(() =>
    saveFile('GET', `/v1/consents/receipts/${encodeURIComponent(consent.subjectKey)}`, {
      accept: 'application/json',
    }),
  );
  const headingId = `consent-${consent.id}`;
  const words = { subject: consent.subjectKey, org: grantee, purpose: t(`data.purpose.${consent.purpose}`) };
  return (
    <li className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>{consent.subjectKey}</h3>
        <StatusBadge status={consent.state} />
      </div>
      <dl className="facts">
        <dt>{t('portal.consents.purpose')}</dt>
        <dd>{t(`data.purpose.${consent.purpose}`)}</dd>
        <dt>{t('portal.consents.grantee')}</dt>
        <dd>{grantee}</dd>
        <dt>{t('portal.consents.granted')}</dt>
        <dd>{formatDate(consent.grantedAt, i18n.language)}</dd>
        <dt>{t('portal.consents.expires')}</dt>
        <dd>
          {consent.expiresAt
            ? formatDate(consent.expiresAt, i18n.language)
            : t('portal.consents.untilRevoked')}
        </dd>
        {consent.evidence && (
          <>
            <dt>{t('portal.consents.evidence')}</dt>
            <dd>{consent.evidence}</dd>
          </>
        )}
        {consent.revokedAt && (
          <>
            <dt>{t('portal.consents.revokedOn')}</dt>
            <dd>
              {formatDate(consent.revokedAt, i18n.language)} — {consent.revokeReason ?? '—'}
            </dd>
          </>
        )}
      </dl>
      <p>
        <button
          type="button"
          className="button button-ghost"
          disabled={receipt.isPending}
          onClick={() => void receipt.run()}
        >
          {t('portal.consents.receipt', { subject: consent.subjectKey })}
        </button>
      </p>
      <ErrorMessage error={receipt.error} />
      <ConfirmedActionForm
        isAvailable={consent.state === 'live'}
        reasonLabel={t('portal.consents.revokeReason')}
        actionLabel={t('portal.consents.revoke')}
        title={t('portal.consents.revokeTitle', words)}
        consequence={() => <p>{t('portal.consents.revokeConsequence', words)}</p>}
        confirmLabel={t('portal.consents.revoke')}
        doneMessage={t('portal.consents.revoked', words)}
        onConfirm={(reason) => post(`/v1/consents/${consent.id}/revoke`, { reason })}
        onDone={onRevoked}
      />
    </li>
  );
}

function AddConsent({
  grantees,
  onAdded,
}: {
  grantees: { id: string; name: string }[];
  onAdded: () => void;
}) {
  const { t } = useTranslation();
  const [subjectKey, setSubjectKey] = useState('');
  const [purpose, setPurpose] = useState<string>(purposes[0]);
  const [grantee, setGrantee] = useState('');
  const [expires, setExpires] = useState('');
  const [evidence, setEvidence] = useState('');
  const [added, setAdded] = useState<string>();
  const add = useAction(async () => {
    const consent = await post<Consent>('/v1/consents', {
      subjectKey: subjectKey.trim(),
      purpose,
      granteeOrgId: grantee || null,
      expiresAt: expires || null,
      evidence: evidence.trim() || null,
    });
    setAdded(consent.subjectKey);
    setSubjectKey('');
    setEvidence('');
    onAdded();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void add.run();
  };
  return (
    <details className="disclosure">
      <summary>{t('portal.consents.add')}</summary>
      <form className="form" onSubmit={submit}>
        <label>
          {t('portal.consents.subject')}
          <input
            required
            value={subjectKey}
            maxLength={200}
            onChange={(e) => setSubjectKey(e.target.value)}
          />
        </label>
        <label>
          {t('portal.consents.purpose')}
          <select value={purpose} onChange={(e) => setPurpose(e.target.value)}>
            {purposes.map((value) => (
              <option key={value} value={value}>
                {t(`data.purpose.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('portal.consents.grantee')}
          <select value={grantee} onChange={(e) => setGrantee(e.target.value)}>
            <option value="">{t('portal.consents.anyOrg')}</option>
            {grantees.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('portal.consents.expires')}
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <label>
          {t('portal.consents.evidence')}
          <input value={evidence} maxLength={2000} onChange={(e) => setEvidence(e.target.value)} />
        </label>
        <button
          type="submit"
          className="button button-primary"
          disabled={!subjectKey.trim() || add.isPending}
        >
          {t('portal.consents.addButton')}
        </button>
        <ErrorMessage error={add.error} />
        {added && <Notice kind="success">{t('portal.consents.added', { subject: added })}</Notice>}
      </form>
    </details>
  );
}

function ImportConsents({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [imported, setImported] = useState<number>();
  const upload = useAction(async () => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    const result = await api<{ imported: number }>('POST', '/v1/consents/import', { form });
    setImported(result.imported);
    onImported();
  });
  return (
    <details className="disclosure">
      <summary>{t('portal.consents.import')}</summary>
      <p className="meta">{t('portal.consents.importHelp')}</p>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void upload.run();
        }}
      >
        <label>
          {t('portal.consents.file')}
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => {
              setImported(undefined);
              setFile(event.target.files?.[0]);
            }}
          />
        </label>
        <button type="submit" className="button" disabled={!file || upload.isPending}>
          {t('portal.consents.importButton')}
        </button>
        <ErrorMessage error={upload.error} />
        {imported !== undefined && (
          <Notice kind="success">{t('portal.consents.imported', { count: imported })}</Notice>
        )}
      </form>
    </details>
  );
}
