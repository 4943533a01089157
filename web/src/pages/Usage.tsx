import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { bodyOf, client, get, type Page } from '../api';
import {
  type Api,
  type Dataset,
  loadOrgNames,
  type Subscription,
  type UsageRow,
} from '../components/apihub/types';
import {
  type Granularity,
  latencyBy,
  periodLabel,
  timeline,
  totals,
  windowOf,
} from '../components/apihub/usage';
import { BarChartCard, LineChartCard } from '../components/Charts';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/Feedback';
import { TableScroll } from '../components/TableScroll';
import { useLoad } from '../hooks';
import { hasKind, type Me, useMe } from '../session';

const periods = {
  '24h': { granularity: 'hour', buckets: 24 },
  '7d': { granularity: 'day', buckets: 7 },
  '30d': { granularity: 'day', buckets: 30 },
} as const satisfies Record<string, { granularity: Granularity; buckets: number }>;
type PeriodKey = keyof typeof periods;

interface Agreement {
  id: string;
  datasetId: string;
  orgId: string;
  providerOrgId: string;
  state: 'active' | 'expired' | 'revoked';
  terms: { maxQueries: number | null };
  queriesUsed: number;
}

interface Lab {
  id: string;
  name: string;
  epsilonBudget: number;
}

async function loadUsage(query: {
  from: string;
  to: string;
  granularity: Granularity;
  apiId?: string;
  subscriptionId?: string;
}) {
  const rows: UsageRow[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const answer = await get<{ items: UsageRow[]; nextCursor: string | null }>('/v1/usage', {
      ...query,
      limit: 5000,
      cursor,
    });
    rows.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return rows;
}

/** Names for ids: APIs, subscriptions (with their consumer) and organisations. */
async function loadLookups(me: Me) {
  const [apis, subscriptions, orgs] = await Promise.all([
    get<Page<Api>>('/v1/apis', { limit: 200 }),
    hasKind(me, 'consumer') || hasKind(me, 'provider')
      ? get<{ items: Subscription[] }>('/v1/subscriptions')
      : Promise.resolve({ items: [] as Subscription[] }),
    loadOrgNames().catch(() => new Map()),
  ]);
  return { apis: new Map(apis.items.map((a) => [a.id, a])), subscriptions: subscriptions.items, orgs };
}

async function loadGovernedUsage(me: Me) {
  const [agreements, datasets, labs] = await Promise.all([
    hasKind(me, 'consumer') || hasKind(me, 'provider')
      ? bodyOf(client.GET('/v1/agreements', { params: { query: { state: 'active' } } }))
      : { items: [] as Agreement[] },
    bodyOf(client.GET('/v1/datasets', { params: { query: { limit: 200 } } })).catch(() => ({
      items: [] as Dataset[],
    })),
    bodyOf(client.GET('/v1/labs')).catch(() => ({ items: [] as Lab[] })),
  ]);
  const budgets = await Promise.all(
    labs.items.map((lab) =>
      bodyOf(client.GET('/v1/labs/{labId}/budget', { params: { path: { labId: lab.id } } }))
        .then((budget) => ({ lab, budget }))
        .catch(() => null),
    ),
  );
  return {
    agreements: agreements.items,
    datasets: new Map(datasets.items.map((d) => [d.id, d])),
    budgets: budgets.filter((b) => b !== null),
  };
}

/** Usage dashboards: gateway calls (as consumer or provider), agreement queries, lab budgets. */
export function Usage() {
  const me = useMe();
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<PeriodKey>('7d');
  const [apiId, setApiId] = useState('');
  const [subscriptionId, setSubscriptionId] = useState('');
  const { granularity, buckets } = periods[period];
  // The window is fixed when the period is chosen, so the timeline and the query agree.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new window per period choice or reload
  const span = useMemo(() => windowOf(new Date(), granularity, buckets), [period]);

  const lookups = useLoad(() => loadLookups(me), [me.organisation.id]);
  const usage = useLoad(
    () =>
      loadUsage({
        from: span.from.toISOString(),
        to: span.to.toISOString(),
        granularity,
        apiId: apiId || undefined,
        subscriptionId: subscriptionId || undefined,
      }),
    [span, apiId, subscriptionId, me.organisation.id],
  );
  const governed = useLoad(() => loadGovernedUsage(me), [me.organisation.id]);

  const rows = usage.data ?? [];
  const l = lookups.data;
  const apiName = (id: string) => l?.apis.get(id)?.title ?? id;
  const subscriptionName = (id: string) => {
    const s = l?.subscriptions.find((x) => x.id === id);
    if (!s) return id;
    const counterpart = s.orgId === me.organisation.id ? s.providerOrgId : s.orgId;
    return `${apiName(s.apiId)} · ${l?.orgs.get(counterpart)?.name ?? counterpart}`;
  };
  const points = timeline(rows, span, i18n.language);
  const perApi = latencyBy(rows, (r) => r.apiId, apiName);
  const perSubscription = latencyBy(rows, (r) => r.subscriptionId, subscriptionName);
  const sum = totals(rows);
  const subscriptionOptions = (l?.subscriptions ?? []).filter((s) => !apiId || s.apiId === apiId);
  const apiOptions = [...new Set((l?.subscriptions ?? []).map((s) => s.apiId))];
  const sortedRows = [...rows].sort((a, b) => b.period.localeCompare(a.period) || b.calls - a.calls);

  const agreementBars = (governed.data?.agreements ?? []).map((a) => ({
    name: governed.data?.datasets.get(a.datasetId)?.title ?? a.datasetId,
    used: a.queriesUsed,
    limit: a.terms.maxQueries,
  }));
  const budgetBars = (governed.data?.budgets ?? []).map(({ lab, budget }) => ({
    name: lab.name,
    spent: budget.spent,
    remaining: budget.remaining,
  }));

  return (
    <section className="usage">
      <PageHeader title={t('apihub.usage.title')} lead={t('apihub.usage.lead')} />
      <div className="toolbar">
        <label>
          {t('apihub.usage.period')}
          <select value={period} onChange={(event) => setPeriod(event.target.value as PeriodKey)}>
            {(Object.keys(periods) as PeriodKey[]).map((key) => (
              <option key={key} value={key}>
                {t(`apihub.usage.periods.${key}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('apihub.usage.api')}
          <select
            value={apiId}
            onChange={(event) => {
              setApiId(event.target.value);
              setSubscriptionId('');
            }}
          >
            <option value="">{t('apihub.usage.allApis')}</option>
            {apiOptions.map((id) => (
              <option key={id} value={id}>
                {apiName(id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('apihub.usage.subscription')}
          <select value={subscriptionId} onChange={(event) => setSubscriptionId(event.target.value)}>
            <option value="">{t('apihub.usage.allSubscriptions')}</option>
            {subscriptionOptions.map((s) => (
              <option key={s.id} value={s.id}>
                {subscriptionName(s.id)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={usage.reload} disabled={usage.isLoading}>
          {t('apihub.usage.refresh')}
        </button>
      </div>
      <ErrorMessage error={usage.error ?? lookups.error} />
      {usage.isLoading && !usage.data && <Loading />}
      {usage.data && (
        <>
          <ul className="tiles usage-tiles">
            <li className="tile">
              <span className="tile-value">{sum.calls.toLocaleString(i18n.language)}</span>
              <span className="tile-label">{t('apihub.usage.totalCalls')}</span>
            </li>
            <li className="tile">
              <span className="tile-value">{sum.errorRate}%</span>
              <span className="tile-label">{t('apihub.usage.errorRate')}</span>
            </li>
            <li className="tile">
              <span className="tile-value">{sum.rateLimitedRate}%</span>
              <span className="tile-label">{t('apihub.usage.rateLimitedRate')}</span>
            </li>
          </ul>
          {rows.length === 0 && (
            <Empty>
              {t('apihub.usage.noCalls')} <Link to="/explore?type=api">{t('apihub.usage.findApi')}</Link>
            </Empty>
          )}
          <h2>{t('apihub.usage.gateway')}</h2>
          <div className="charts">
            <LineChartCard
              title={t('apihub.usage.callsChart', { unit: t(`apihub.usage.per.${granularity}`) })}
              data={points}
              xKey="label"
              series={[{ key: 'calls', label: t('apihub.usage.calls') }]}
            />
            <LineChartCard
              title={t('apihub.usage.ratesChart')}
              data={points}
              xKey="label"
              unit="%"
              series={[
                { key: 'errorRate', label: t('apihub.usage.errorRate') },
                { key: 'rateLimitedRate', label: t('apihub.usage.rateLimitedRate') },
              ]}
            />
            {perApi.length > 0 && (
              <BarChartCard
                title={t('apihub.usage.p95ByApi')}
                data={perApi}
                xKey="name"
                unit=" ms"
                series={[{ key: 'p95', label: t('apihub.usage.p95') }]}
              />
            )}
            {perSubscription.length > 0 && (
              <BarChartCard
                title={t('apihub.usage.p95BySubscription')}
                data={perSubscription}
                xKey="name"
                unit=" ms"
                series={[{ key: 'p95', label: t('apihub.usage.p95') }]}
              />
            )}
          </div>
          {rows.length > 0 && <p className="hint">{t('apihub.usage.p95Hint')}</p>}
          {rows.length > 0 && (
            <TableScroll label={t('apihub.usage.tableCaption')} className="usage-table">
              <table>
                <caption className="visually-hidden">{t('apihub.usage.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('apihub.usage.periodColumn')}</th>
                    <th scope="col">{t('apihub.usage.api')}</th>
                    <th scope="col">{t('apihub.usage.subscription')}</th>
                    <th scope="col" className="num">
                      {t('apihub.usage.calls')}
                    </th>
                    <th scope="col" className="num">
                      2xx
                    </th>
                    <th scope="col" className="num">
                      4xx
                    </th>
                    <th scope="col" className="num">
                      5xx
                    </th>
                    <th scope="col" className="num">
                      429
                    </th>
                    <th scope="col" className="num">
                      {t('apihub.usage.p95')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sortedRows.map((row) => (
                    <tr key={`${row.period}-${row.subscriptionId}`}>
                      <td>
                        {new Date(row.period).toISOString().slice(0, 10)}{' '}
                        {granularity === 'hour' && periodLabel(row.period, 'hour', i18n.language)}
                      </td>
                      <td>{apiName(row.apiId)}</td>
                      <td>{subscriptionName(row.subscriptionId)}</td>
                      <td className="num">{row.calls}</td>
                      <td className="num">{row.status2xx}</td>
                      <td className="num">{row.status4xx}</td>
                      <td className="num">{row.status5xx}</td>
                      <td className="num">{row.rateLimited}</td>
                      <td className="num">{row.latencyP95Ms === null ? '–' : `${row.latencyP95Ms} ms`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </>
      )}

      <h2>{t('apihub.usage.governed')}</h2>
      <ErrorMessage error={governed.error} />
      {governed.isLoading && !governed.data && <Loading />}
      {governed.data && agreementBars.length === 0 && budgetBars.length === 0 && (
        <Empty>{t('apihub.usage.noGoverned')}</Empty>
      )}
      <div className="charts">
        {agreementBars.length > 0 && (
          <BarChartCard
            title={t('apihub.usage.queriesChart')}
            data={agreementBars}
            xKey="name"
            series={[
              { key: 'used', label: t('apihub.usage.queriesUsed') },
              { key: 'limit', label: t('apihub.usage.queriesLimit') },
            ]}
          />
        )}
        {budgetBars.length > 0 && (
          <BarChartCard
            title={t('apihub.usage.budgetChart')}
            data={budgetBars}
            xKey="name"
            series={[
              { key: 'spent', label: t('apihub.usage.epsilonSpent') },
              { key: 'remaining', label: t('apihub.usage.epsilonRemaining') },
            ]}
          />
        )}
      </div>
      {agreementBars.some((a) => a.limit === null) && (
        <p className="hint">{t('apihub.usage.unlimitedHint')}</p>
      )}
    </section>
  );
}
