import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { bodyOf, client } from '../api';
import { BarChartCard } from '../components/Charts';
import { ConfirmedActionForm } from '../components/Confirm';
import { formatDate, ShareBar, useOrgNames } from '../components/data/common';
import { termsInWords } from '../components/data/terms';
import type { Agreement } from '../components/data/types';
import { Empty, ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/Feedback';
import { useLoad } from '../hooks';
import { useMe } from '../session';

async function loadAgreements() {
  const { items } = await bodyOf(client.GET('/v1/agreements'));
  const ids = [...new Set(items.map((agreement) => agreement.datasetId))];
  const datasets = await Promise.all(
    ids.map((datasetId) =>
      bodyOf(client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId } } })).catch(
        () => undefined,
      ),
    ),
  );
  const titles = new Map<string, string>();
  for (const dataset of datasets) if (dataset) titles.set(dataset.id, dataset.title);
  return { items, titles };
}

/** Agreements my organisation holds (consumer) and granted (provider): terms in words, use, revoke. */
export function Agreements() {
  const { t } = useTranslation();
  const me = useMe();
  const loaded = useLoad(loadAgreements, [me.organisation.id]);
  const orgs = useOrgNames();
  const items = loaded.data?.items ?? [];
  const titleOf = (id: string) => loaded.data?.titles.get(id) ?? id;
  const asConsumer = items.filter((agreement) => agreement.orgId === me.organisation.id);
  const asProvider = items.filter((agreement) => agreement.providerOrgId === me.organisation.id);
  const chartData = items
    .filter((agreement) => agreement.state === 'active')
    .map((agreement) => ({
      agreement: `${titleOf(agreement.datasetId).slice(0, 24)} · ${
        orgs
          .get(agreement.orgId === me.organisation.id ? agreement.providerOrgId : agreement.orgId)
          ?.name.slice(0, 16) ?? ''
      }`,
      used: agreement.queriesUsed,
      allowance: agreement.terms.maxQueries,
    }));

  return (
    <section>
      <PageHeader title={t('data.agreements.title')} lead={t('data.agreements.lead')} />
      <p>
        <Link to="/deletion-requests">{t('data.agreements.deletionRequests')}</Link>
      </p>
      <ErrorMessage error={loaded.error} />
      {loaded.isLoading && !loaded.data && <Loading />}
      {chartData.length > 0 && (
        <div className="charts">
          <BarChartCard
            title={t('data.agreements.chart')}
            data={chartData}
            xKey="agreement"
            series={[
              { key: 'used', label: t('data.agreements.used') },
              { key: 'allowance', label: t('data.agreements.allowance') },
            ]}
          />
        </div>
      )}
      {[
        { key: 'consumer', list: asConsumer },
        { key: 'provider', list: asProvider },
      ].map(({ key, list }) => (
        <section key={key} aria-labelledby={`agreements-${key}`}>
          <h2 id={`agreements-${key}`}>{t(`data.agreements.as.${key}`, { count: list.length })}</h2>
          {loaded.data && list.length === 0 && <Empty>{t(`data.agreements.none.${key}`)}</Empty>}
          <ul className="cards agreement-cards">
            {list.map((agreement) => (
              <AgreementCard
                key={agreement.id}
                agreement={agreement}
                title={titleOf(agreement.datasetId)}
                counterpart={
                  orgs.get(key === 'consumer' ? agreement.providerOrgId : agreement.orgId)?.name ??
                  (key === 'consumer' ? agreement.providerOrgId : agreement.orgId)
                }
                isProvider={key === 'provider'}
                onRevoked={loaded.reload}
              />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function AgreementCard({
  agreement,
  title,
  counterpart,
  isProvider,
  onRevoked,
}: {
  agreement: Agreement;
  title: string;
  counterpart: string;
  isProvider: boolean;
  onRevoked: () => void;
}) {
  const { t, i18n } = useTranslation();
  const max = agreement.terms.maxQueries;
  const headingId = `agreement-${agreement.id}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>
          <Link to={`/datasets/${agreement.datasetId}`}>{title}</Link>
        </h3>
        <StatusBadge status={agreement.state} />
      </div>
      <p className="meta">
        {isProvider
          ? t('data.agreements.grantedTo', { org: counterpart })
          : t('data.agreements.from', { org: counterpart })}
        {' · '}
        {t('data.agreements.since', { date: formatDate(agreement.createdAt, i18n.language) })}
      </p>
      <div className="usage">
        {max === null ? (
          <span>{t('data.agreements.usedUnlimited', { count: agreement.queriesUsed })}</span>
        ) : (
          <ShareBar
            share={agreement.queriesUsed / max}
            label={t('data.agreements.usedOf', { used: agreement.queriesUsed, max })}
          />
        )}
      </div>
      <details className="disclosure" open>
        <summary>{t('data.agreements.terms')}</summary>
        <ul className="terms-words">
          {termsInWords(agreement.terms, t, i18n.language).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
      {agreement.state === 'revoked' && (
        <p className="meta">
          {t('data.agreements.revokedOn', {
            date: formatDate(agreement.revokedAt, i18n.language),
            reason: agreement.revokeReason ?? '—',
          })}
        </p>
      )}
      {isProvider && (
        <ConfirmedActionForm
          isAvailable={agreement.state === 'active'}
          reasonLabel={t('data.agreements.revokeReason')}
          actionLabel={t('data.agreements.revoke')}
          title={t('portal.confirm.revokeTitle', { org: counterpart, dataset: title })}
          consequence={() => (
            <p>{t('portal.confirm.revokeConsequence', { org: counterpart, dataset: title })}</p>
          )}
          confirmLabel={t('portal.confirm.revoke')}
          doneMessage={t('portal.confirm.revoked', { org: counterpart, dataset: title })}
          onConfirm={(reason) =>
            client.POST('/v1/agreements/{agreementId}/revoke', {
              params: { path: { agreementId: agreement.id } },
              body: { reason },
            })
          }
          onDone={onRevoked}
        />
      )}
    </li>
  );
}
