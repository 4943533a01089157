import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage, StatusBadge } from '../Feedback';
import { formatDate } from './common';

/** A deletion request as `GET /v1/deletion-requests` gives it. */
export interface DeletionRequest {
  id: string;
  consentId: string;
  providerOrgId: string;
  granteeOrgId: string;
  agreementId: string;
  datasetId: string;
  subjectKey: string;
  state: 'pending' | 'confirmed' | 'overdue';
  dueAt: string;
  confirmedAt: string | null;
  evidence: string | null;
  escalatedAt: string | null;
  createdAt: string;
}

/** One revoked consent and the deletion requests it raised, oldest request first. */
export interface Revocation {
  consentId: string;
  subjectKey: string;
  datasetId: string;
  requests: DeletionRequest[];
  confirmed: number;
}

/** The provider's requests grouped per revoked consent, the newest revocation first. */
export function revocationsOf(requests: DeletionRequest[]): Revocation[] {
  const byConsent = new Map<string, DeletionRequest[]>();
  for (const request of [...requests].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const group = byConsent.get(request.consentId) ?? [];
    group.push(request);
    byConsent.set(request.consentId, group);
  }
  return [...byConsent.entries()]
    .map(([consentId, group]) => ({
      consentId,
      subjectKey: group[0]!.subjectKey,
      datasetId: group[0]!.datasetId,
      requests: group,
      confirmed: group.filter((request) => request.state === 'confirmed').length,
    }))
    .sort((a, b) => b.requests[0]!.createdAt.localeCompare(a.requests[0]!.createdAt));
}

/** A provider's view of one revocation: each grantee asked to delete, and what it confirmed. */
export function RevocationCard(props: {
  revocation: Revocation;
  datasetTitle: string;
  orgName: (orgId: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const { revocation } = props;
  return (
    <li className="card" aria-label={t('data.deletions.revocation', { subject: revocation.subjectKey })}>
      <div className="card-head">
        <h3>{t('data.deletions.revocation', { subject: revocation.subjectKey })}</h3>
        <span className="meta">
          {t('data.deletions.confirmedCount', {
            confirmed: revocation.confirmed,
            count: revocation.requests.length,
          })}
        </span>
      </div>
      <p className="meta">{props.datasetTitle}</p>
      <ul>
        {revocation.requests.map((request) => (
          <li key={request.id}>
            <strong>{props.orgName(request.granteeOrgId)}</strong> <StatusBadge status={request.state} />{' '}
            {request.state === 'confirmed'
              ? t('data.deletions.confirmedOn', { date: formatDate(request.confirmedAt, i18n.language) })
              : t('data.deletions.dueOn', { date: formatDate(request.dueAt, i18n.language) })}
            {request.evidence && <p className="meta">{request.evidence}</p>}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** A grantee's view of one request: what to delete, by when, and the confirmation with its evidence. */
export function DeletionRequestCard(props: {
  request: DeletionRequest;
  datasetTitle: string;
  providerName: string;
  onConfirmed: (confirmed: DeletionRequest) => void;
}) {
  const { t, i18n } = useTranslation();
  const { request } = props;
  const [evidence, setEvidence] = useState('');
  const confirm = useAction(async () => {
    const trimmed = evidence.trim();
    const confirmed = await post<DeletionRequest>(
      `/v1/deletion-requests/${encodeURIComponent(request.id)}/confirm`,
      trimmed ? { evidence: trimmed } : {},
    );
    props.onConfirmed(confirmed);
  });
  const evidenceId = `evidence-${request.id}`;
  return (
    <li className="card" aria-label={t('data.deletions.asked', { provider: props.providerName })}>
      <div className="card-head">
        <h3>{t('data.deletions.asked', { provider: props.providerName })}</h3>
        <StatusBadge status={request.state} />
      </div>
      <p>{t('data.deletions.what', { dataset: props.datasetTitle, subject: request.subjectKey })}</p>
      {request.state === 'confirmed' ? (
        <p className="meta">
          {t('data.deletions.confirmedOn', { date: formatDate(request.confirmedAt, i18n.language) })}
          {request.evidence && ` · ${request.evidence}`}
        </p>
      ) : (
        <>
          <p className="meta">
            {t('data.deletions.dueOn', { date: formatDate(request.dueAt, i18n.language) })}
          </p>
          <ErrorMessage error={confirm.error} />
          <label htmlFor={evidenceId}>{t('data.deletions.evidence')}</label>
          <textarea
            id={evidenceId}
            value={evidence}
            maxLength={2000}
            onChange={(event) => setEvidence(event.target.value)}
          />
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={confirm.isPending}
              onClick={() => void confirm.run()}
            >
              {t('data.deletions.confirm')}
            </button>
          </div>
        </>
      )}
    </li>
  );
}
