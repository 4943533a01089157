import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { bodyOf, client } from '../api';
import { ConfirmedActionForm } from '../components/Confirm';
import { formatDate, useOrgNames } from '../components/data/common';
import { TermsEditor } from '../components/data/TermsEditor';
import type { AccessRequest, Agreement, Dataset, Location } from '../components/data/types';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { TableScroll } from '../components/TableScroll';
import { useLoad } from '../hooks';
import { hasKind, useMe } from '../session';

/** The provider's inbox: requests for its datasets, approved with terms or rejected with a reason. */
export function Requests() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const requests = useLoad(
    () => bodyOf(client.GET('/v1/access-requests', { params: { query: { as: 'provider' } } })),
    [me.organisation.id],
  );
  const datasets = useLoad(
    () =>
      bodyOf(client.GET('/v1/datasets', { params: { query: { orgId: me.organisation.id, limit: 200 } } })),
    [me.organisation.id],
  );
  const orgs = useOrgNames();
  const [approved, setApproved] = useState<Agreement>();
  const [rejected, setRejected] = useState<AccessRequest>();
  const byId = new Map((datasets.data?.items ?? []).map((dataset) => [dataset.id, dataset]));
  const all = [...(requests.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const pending = all.filter((request) => request.state === 'pending');
  const decided = all.filter((request) => request.state !== 'pending');
  const orgName = (id: string) => orgs.get(id)?.name ?? id;
  const titleOf = (id: string) => byId.get(id)?.title ?? id;

  return (
    <section>
      <PageHeader title={t('data.requests.title')} lead={t('data.requests.lead')} />
      {!hasKind(me, 'provider') && <Notice kind="warning">{t('data.requests.providersOnly')}</Notice>}
      <ErrorMessage error={requests.error ?? datasets.error} />
      {approved && (
        <Notice kind="success">
          {t('data.requests.approved', {
            dataset: titleOf(approved.datasetId),
            org: orgName(approved.orgId),
          })}{' '}
          <Link to="/agreements">{t('data.requests.seeAgreements')}</Link>
        </Notice>
      )}
      {rejected && (
        <Notice kind="success">{t('portal.confirm.rejected', { org: orgName(rejected.orgId) })}</Notice>
      )}
      <h2>{t('data.requests.pending', { count: pending.length })}</h2>
      {requests.isLoading && !requests.data && <Loading />}
      {requests.data && pending.length === 0 && <Empty>{t('data.requests.none')}</Empty>}
      <ul className="request-list">
        {pending.map((request) => (
          <PendingRequest
            key={request.id}
            request={request}
            dataset={byId.get(request.datasetId)}
            consumer={orgs.get(request.orgId)}
            onDecided={(agreement) => {
              setApproved(agreement);
              setRejected(agreement ? undefined : request);
              requests.reload();
            }}
          />
        ))}
      </ul>

      <h2>{t('data.requests.history')}</h2>
      {requests.data && decided.length === 0 && <Empty>{t('data.requests.noHistory')}</Empty>}
      {decided.length > 0 && (
        <TableScroll label={t('data.requests.history')}>
          <table className="data-table">
            <caption className="visually-hidden">{t('data.requests.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.requests.dataset')}</th>
                <th scope="col">{t('data.requests.consumer')}</th>
                <th scope="col">{t('data.requests.purpose')}</th>
                <th scope="col">{t('data.requests.state')}</th>
                <th scope="col">{t('data.requests.decided')}</th>
                <th scope="col">{t('data.requests.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((request) => (
                <tr key={request.id}>
                  <th scope="row">
                    <Link to={`/datasets/${request.datasetId}`}>{titleOf(request.datasetId)}</Link>
                  </th>
                  <td>{orgName(request.orgId)}</td>
                  <td>{t(`data.purpose.${request.purpose}`)}</td>
                  <td>
                    <StatusBadge status={request.state} />
                  </td>
                  <td className="date">{formatDate(request.updatedAt, i18n.language)}</td>
                  <td>{request.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function PendingRequest({
  request,
  dataset,
  consumer,
  onDecided,
}: {
  request: AccessRequest;
  dataset: Dataset | undefined;
  consumer: { name: string; location?: string | null } | undefined;
  onDecided: (agreement?: Agreement) => void;
}) {
  const { t, i18n } = useTranslation();
  const [isEditing, setEditing] = useState(false);
  const title = dataset?.title ?? request.datasetId;
  const consumerName = consumer?.name ?? request.orgId;
  const headingId = `request-${request.id}`;
  return (
    <li className="panel request" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>{t('data.requests.asks', { org: consumerName, dataset: title })}</h3>
        <StatusBadge status={request.state} />
      </div>
      <p className="meta">
        {formatDate(request.createdAt, i18n.language, true)}
        {consumer?.location && ` · ${t(`location.${consumer.location}`)}`}
      </p>
      <dl className="facts">
        <dt>{t('data.requests.purpose')}</dt>
        <dd>
          <span className="badge">{t(`data.purpose.${request.purpose}`)}</span> {request.purposeText}
        </dd>
        <dt>{t('data.requests.columns')}</dt>
        <dd className="mono">{request.columns.join(', ')}</dd>
        <dt>{t('data.requests.duration')}</dt>
        <dd>{t('data.wizard.days', { count: request.durationDays })}</dd>
        <dt>{t('data.wizard.download')}</dt>
        <dd>{request.wantsDownload ? t('data.wizard.downloadYes') : t('data.wizard.downloadNo')}</dd>
      </dl>
      {isEditing ? (
        <TermsEditor
          request={request}
          columns={dataset?.currentVersion?.columns ?? []}
          consumerRegion={(consumer?.location as Location | undefined) ?? null}
          onCancel={() => setEditing(false)}
          onApproved={(agreement) => {
            setEditing(false);
            onDecided(agreement);
          }}
        />
      ) : (
        <div className="decision">
          <button type="button" className="button button-primary" onClick={() => setEditing(true)}>
            {t('data.requests.review')}
          </button>
          <ConfirmedActionForm
            isAvailable
            reasonLabel={t('data.requests.rejectReason')}
            actionLabel={t('data.requests.reject')}
            title={t('portal.confirm.rejectTitle', { org: consumerName, dataset: title })}
            consequence={(reason) => (
              <p>{t('portal.confirm.rejectConsequence', { org: consumerName, dataset: title, reason })}</p>
            )}
            confirmLabel={t('portal.confirm.reject')}
            onConfirm={(reason) =>
              client.POST('/v1/access-requests/{requestId}/reject', {
                params: { path: { requestId: request.id } },
                body: { reason },
              })
            }
            onDone={() => onDecided()}
          />
        </div>
      )}
    </li>
  );
}
