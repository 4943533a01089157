import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { bodyOf, client, get, post } from '../api';
import { AccessHistory } from '../components/data/AccessHistory';
import { ClassificationEditor } from '../components/data/ClassificationEditor';
import {
  ClassificationBadge,
  formatBytes,
  formatDate,
  formatNumber,
  ResultGrid,
  ShareBar,
  useOrgNames,
} from '../components/data/common';
import { RequestWizard } from '../components/data/RequestWizard';
import { RiskPanel } from '../components/data/RiskPanel';
import type {
  AccessRequest,
  Dataset,
  DatasetVersion,
  QueryResult,
  QueryTable,
} from '../components/data/types';
import { UploadForm } from '../components/data/UploadForm';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { TableScroll } from '../components/TableScroll';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, useMe } from '../session';

/** A dataset: what it is, its columns and their statistics, a masked sample, and how to get access. */
export function DatasetPage() {
  const { datasetId = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const loaded = useLoad(
    () => bodyOf(client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId } } })),
    [datasetId],
  );
  const [updated, setUpdated] = useState<Dataset>();
  const dataset = updated?.id === datasetId ? updated : loaded.data;
  const orgs = useOrgNames();

  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!dataset) return <Loading />;
  const isOwner = dataset.orgId === me.organisation.id;
  const provider = orgs.get(dataset.orgId)?.name ?? (isOwner ? me.organisation.name : dataset.orgId);
  const version = dataset.currentVersion;

  return (
    <section className="dataset-page">
      <PageHeader
        title={dataset.title}
        lead={dataset.description}
        actions={
          <>
            <StatusBadge status={dataset.status} />
            <span className={`badge ${dataset.isOpen ? 'badge-open' : 'badge-restricted'}`}>
              {dataset.isOpen ? t('data.dataset.open') : t('data.dataset.restricted')}
            </span>
          </>
        }
      />
      <div className="grid-2">
        <About dataset={dataset} provider={provider} />
        {isOwner ? <OwnerPanel dataset={dataset} onChange={setUpdated} /> : <AccessPanel dataset={dataset} />}
      </div>
      {version ? (
        <>
          <Schema version={version} />
          <Sample dataset={dataset} isOwner={isOwner} />
          <Versions datasetId={dataset.id} key={`${version.id}-${version.confirmedAt}`} />
          {(isOwner || hasKind(me, 'regulator') || hasKind(me, 'operator')) && (
            <AccessHistory datasetId={dataset.id} />
          )}
        </>
      ) : (
        <Notice>{dataset.origin ? t('data.dataset.harvested') : t('data.dataset.noVersion')}</Notice>
      )}
    </section>
  );
}

function About({ dataset, provider }: { dataset: Dataset; provider: string }) {
  const { t, i18n } = useTranslation();
  const version = dataset.currentVersion;
  const period =
    dataset.temporalStart || dataset.temporalEnd
      ? `${dataset.temporalStart ?? '…'} – ${dataset.temporalEnd ?? '…'}`
      : '—';
  return (
    <div className="panel">
      <h2>{t('data.dataset.about')}</h2>
      <dl className="facts">
        <dt>{t('data.dataset.provider')}</dt>
        <dd>
          <Link to={`/community/${dataset.orgId}`}>{provider}</Link>
        </dd>
        <dt>{t('data.dataset.licence')}</dt>
        <dd>{dataset.licence}</dd>
        <dt>{t('data.dataset.sqlName')}</dt>
        <dd>
          <code>{dataset.slug}</code>
        </dd>
        <dt>{t('data.dataset.themes')}</dt>
        <dd>{dataset.themes.join(', ') || '—'}</dd>
        <dt>{t('data.dataset.keywords')}</dt>
        <dd>{dataset.keywords.join(', ') || '—'}</dd>
        <dt>{t('data.dataset.updateFrequency')}</dt>
        <dd>
          {dataset.updateFrequency
            ? t(`data.frequency.${dataset.updateFrequency}`, { defaultValue: dataset.updateFrequency })
            : '—'}
        </dd>
        <dt>{t('data.dataset.spatial')}</dt>
        <dd>{dataset.spatial.join(', ') || '—'}</dd>
        <dt>{t('data.dataset.period')}</dt>
        <dd>{period}</dd>
        {version && (
          <>
            <dt>{t('data.dataset.rows')}</dt>
            <dd>{formatNumber(version.rowCount, i18n.language)}</dd>
          </>
        )}
        {dataset.consentRequired && (
          <>
            <dt>{t('data.dataset.consent')}</dt>
            <dd>{t('data.dataset.consentRequired', { column: dataset.subjectColumn ?? '—' })}</dd>
          </>
        )}
        <dt>{t('data.dataset.updated')}</dt>
        <dd>{formatDate(dataset.updatedAt, i18n.language)}</dd>
      </dl>
    </div>
  );
}

/** For the provider's admins: confirm classifications, publish, upload a new version. */
function OwnerPanel({ dataset, onChange }: { dataset: Dataset; onChange: (dataset: Dataset) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const canManage = hasKind(me, 'provider') && isAdmin(me);
  const version = dataset.currentVersion;
  const publish = useAction(async () => onChange(await post<Dataset>(`/v1/datasets/${dataset.id}/publish`)));
  return (
    <div className="panel">
      <h2>{t('data.owner.title')}</h2>
      {!canManage && <p className="hint">{t('data.owner.adminsOnly')}</p>}
      {dataset.status === 'draft' && (
        <p>
          {!version
            ? t('data.owner.needVersion')
            : version.confirmedAt
              ? t('data.owner.readyToPublish')
              : t('data.owner.needConfirm')}
        </p>
      )}
      {dataset.status === 'published' && <p>{t('data.owner.published')}</p>}
      <ErrorMessage error={publish.error} />
      <div className="actions">
        {dataset.status === 'draft' && canManage && (
          <button
            type="button"
            className="button button-primary"
            disabled={!version?.confirmedAt || publish.isPending}
            onClick={() => void publish.run()}
          >
            {t('data.owner.publish')}
          </button>
        )}
        <Link className="button" to="/requests">
          {t('data.owner.requests')}
        </Link>
      </div>
      {canManage && version && (
        <RiskPanel datasetId={dataset.id} versionKey={`${version.id}:${version.confirmedAt ?? ''}`} />
      )}
      {canManage && version && (
        <details className="disclosure" open={!version.confirmedAt}>
          <summary>{t('data.owner.classifications')}</summary>
          <ClassificationEditor key={version.id} dataset={dataset} onConfirmed={onChange} />
        </details>
      )}
      {canManage && (
        <details className="disclosure">
          <summary>{t('data.owner.newVersion')}</summary>
          <UploadForm datasetId={dataset.id} onUploaded={onChange} />
        </details>
      )}
    </div>
  );
}

/** For everyone else: where my organisation stands with this dataset, and the request wizard. */
function AccessPanel({ dataset }: { dataset: Dataset }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [isAsking, setAsking] = useState(false);
  const [sent, setSent] = useState<AccessRequest>();
  const status = useLoad(
    () =>
      Promise.all([
        bodyOf(
          client.GET('/v1/access-requests', { params: { query: { as: 'consumer', datasetId: dataset.id } } }),
        ),
        bodyOf(
          client.GET('/v1/agreements', { params: { query: { as: 'consumer', datasetId: dataset.id } } }),
        ),
      ]),
    [dataset.id, me.organisation.id, sent?.id],
  );
  const withdraw = useAction(async (requestId: string) => {
    await client.POST('/v1/access-requests/{requestId}/withdraw', { params: { path: { requestId } } });
    status.reload();
  });
  const canRequest = hasKind(me, 'consumer');
  const [requests, agreements] = status.data ?? [{ items: [] }, { items: [] }];
  const sortedRequests = [...requests.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const active = agreements.items.find((agreement) => agreement.state === 'active');
  const pending = sortedRequests.find((request) => request.state === 'pending');
  const latest = sortedRequests[0];

  return (
    <div className="panel" aria-live="polite">
      <h2>{t('data.access.title')}</h2>
      <ErrorMessage error={status.error ?? withdraw.error} />
      {status.isLoading && !status.data && <Loading />}
      {dataset.isOpen && <Notice kind="success">{t('data.access.open')}</Notice>}
      {active && (
        <Notice kind="success">
          {t('data.access.agreementActive', {
            date: formatDate(active.terms.expiresAt, i18n.language),
            count: active.queriesUsed,
          })}{' '}
          <Link to="/sql">{t('data.access.openSql')}</Link> ·{' '}
          <Link to="/agreements">{t('data.access.seeTerms')}</Link>
        </Notice>
      )}
      {pending && (
        <div className="alert alert-info" role="status">
          <p>{t('data.access.pending', { date: formatDate(pending.createdAt, i18n.language) })}</p>
          <button
            type="button"
            className="button button-small"
            disabled={withdraw.isPending}
            onClick={() => void withdraw.run(pending.id)}
          >
            {t('data.access.withdraw')}
          </button>
        </div>
      )}
      {!pending && latest?.state === 'rejected' && !active && (
        <Notice kind="warning">{t('data.access.rejected', { reason: latest.reason ?? '—' })}</Notice>
      )}
      {status.data && !active && !pending && !dataset.isOpen && !isAsking && (
        <>
          <p>{t('data.access.none')}</p>
          {canRequest ? (
            <button
              type="button"
              className="button button-primary"
              disabled={!dataset.currentVersion}
              onClick={() => setAsking(true)}
            >
              {t('data.access.request')}
            </button>
          ) : (
            <p className="hint">{t('data.access.consumersOnly')}</p>
          )}
        </>
      )}
      {isAsking && (
        <RequestWizard
          dataset={dataset}
          onCancel={() => setAsking(false)}
          onSent={(request) => {
            setAsking(false);
            setSent(request);
          }}
        />
      )}
      {sent && <Notice kind="success">{t('data.access.sent')}</Notice>}
    </div>
  );
}

function Schema({ version }: { version: DatasetVersion }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      <h2>{t('data.schema.title')}</h2>
      <TableScroll label={t('data.schema.title')}>
        <table className="data-table schema-table">
          <caption className="visually-hidden">{t('data.schema.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('data.schema.column')}</th>
              <th scope="col">{t('data.schema.type')}</th>
              <th scope="col">{t('data.schema.classification')}</th>
              <th scope="col">{t('data.schema.nulls')}</th>
              <th scope="col" className="num">
                {t('data.schema.distinct')}
              </th>
              <th scope="col">{t('data.schema.min')}</th>
              <th scope="col">{t('data.schema.max')}</th>
              <th scope="col" className="num">
                {t('data.schema.mean')}
              </th>
            </tr>
          </thead>
          <tbody>
            {version.columns.map((column) => {
              const share = version.rowCount > 0 ? column.statistics.nullCount / version.rowCount : 0;
              return (
                <tr key={column.name}>
                  <th scope="row">
                    <span className="mono">{column.name}</span>
                    {column.description && <div className="hint">{column.description}</div>}
                  </th>
                  <td className="mono" data-label={t('data.schema.type')}>
                    {column.type}
                  </td>
                  <td data-label={t('data.schema.classification')}>
                    <ClassificationBadge
                      classification={column.classification ?? column.suggested}
                      suggested={!column.classification}
                    />
                  </td>
                  <td data-label={t('data.schema.nulls')}>
                    <ShareBar
                      share={share}
                      label={t('data.schema.nullShare', {
                        count: column.statistics.nullCount,
                        formatted: formatNumber(column.statistics.nullCount, lang),
                        percent: formatNumber(Math.round(share * 1000) / 10, lang),
                      })}
                    />
                  </td>
                  <td className="num" data-label={t('data.schema.distinct')}>
                    {formatNumber(column.statistics.distinctApprox, lang)}
                  </td>
                  <td className="stat" data-label={t('data.schema.min')}>
                    {column.statistics.min ?? '—'}
                  </td>
                  <td className="stat" data-label={t('data.schema.max')}>
                    {column.statistics.max ?? '—'}
                  </td>
                  <td className="num" data-label={t('data.schema.mean')}>
                    {formatNumber(column.statistics.mean, lang)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/**
 * Twenty rows as the caller's grant shows them. The owner and open datasets load at once; under an
 * agreement a sample counts as a query, so it waits for the button.
 */
function Sample({ dataset, isOwner }: { dataset: Dataset; isOwner: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const automatic = isOwner || dataset.isOpen;
  const [wanted, setWanted] = useState(automatic);
  const tables = useLoad(
    () =>
      automatic
        ? Promise.resolve({ items: [] as QueryTable[] })
        : get<{ items: QueryTable[] }>('/v1/query/tables'),
    [dataset.id, me.organisation.id, automatic],
  );
  const table = tables.data?.items.find((item) => item.datasetId === dataset.id);
  const sample = useLoad(
    () =>
      wanted
        ? get<QueryResult>(`/v1/datasets/${dataset.id}/sample`)
        : Promise.resolve(undefined as QueryResult | undefined),
    [dataset.id, wanted, dataset.currentVersion?.id],
  );
  const masks = Object.fromEntries((table?.columns ?? []).map((column) => [column.name, column.mask]));
  const canAsk = automatic || (table && !table.blockedBy && !table.aggregateOnly);

  return (
    <>
      <h2>{t('data.sample.title')}</h2>
      {!wanted && (
        <>
          {table?.blockedBy && <Notice kind="warning">{table.blockedBy}</Notice>}
          {table?.aggregateOnly && <Notice>{t('data.sample.aggregateOnly')}</Notice>}
          {!tables.isLoading && !table && <Empty>{t('data.sample.noAccess')}</Empty>}
          {canAsk && (
            <div className="actions">
              <button type="button" className="button" onClick={() => setWanted(true)}>
                {t('data.sample.show')}
              </button>
              <span className="hint">{t('data.sample.counts')}</span>
            </div>
          )}
        </>
      )}
      {wanted && (
        <>
          <ErrorMessage error={sample.error} />
          {sample.isLoading && <Loading />}
          {sample.data && (
            <>
              <p className="hint">{t('data.sample.lead', { count: sample.data.rowCount })}</p>
              <ResultGrid
                caption={t('data.sample.title')}
                columns={sample.data.columns}
                rows={sample.data.rows}
                masks={masks}
              />
            </>
          )}
        </>
      )}
    </>
  );
}

function Versions({ datasetId }: { datasetId: string }) {
  const { t, i18n } = useTranslation();
  const versions = useLoad(
    () => bodyOf(client.GET('/v1/datasets/{datasetId}/versions', { params: { path: { datasetId } } })),
    [datasetId],
  );
  return (
    <>
      <h2>{t('data.versions.title')}</h2>
      <ErrorMessage error={versions.error} />
      {versions.data && (
        <TableScroll label={t('data.versions.title')}>
          <table className="data-table">
            <caption className="visually-hidden">{t('data.versions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.versions.version')}</th>
                <th scope="col">{t('data.versions.file')}</th>
                <th scope="col">{t('data.versions.format')}</th>
                <th scope="col" className="num">
                  {t('data.versions.size')}
                </th>
                <th scope="col" className="num">
                  {t('data.dataset.rows')}
                </th>
                <th scope="col">{t('data.versions.confirmed')}</th>
                <th scope="col">{t('data.versions.created')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.items.map((version) => (
                <tr key={version.id}>
                  <th scope="row">v{version.version}</th>
                  <td className="mono">{version.sourceName}</td>
                  <td>{t(`data.format.${version.sourceFormat}`)}</td>
                  <td className="num">{formatBytes(version.sourceBytes, i18n.language)}</td>
                  <td className="num">{formatNumber(version.rowCount, i18n.language)}</td>
                  <td>
                    {version.confirmedAt
                      ? formatDate(version.confirmedAt, i18n.language)
                      : t('data.versions.notYet')}
                  </td>
                  <td className="date">{formatDate(version.createdAt, i18n.language, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
