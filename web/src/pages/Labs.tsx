import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bodyOf, client } from '../api';
import { BarChartCard } from '../components/Charts';
import { ConfirmDialog } from '../components/Confirm';
import {
  formatDate,
  formatNumber,
  noiseDominatedCount,
  ResultGrid,
  useOrgNames,
  withIntervals,
} from '../components/data/common';
import type { Budget, LabDetail, LabQuery } from '../components/data/types';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/Feedback';
import { CreateLabForm, MembersPanel } from '../components/lab/LabAdmin';
import { ModelsPanel } from '../components/lab/ModelsPanel';
import { TwinPanel } from '../components/lab/TwinPanel';
import { TableScroll } from '../components/TableScroll';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, useMe } from '../session';

/** The clean-room Data Lab: my labs, their pseudonymised datasets, my ε budget, noisy queries. */
export function Labs() {
  const { t } = useTranslation();
  const me = useMe();
  const labs = useLoad(() => bodyOf(client.GET('/v1/labs')), [me.organisation.id]);
  const [chosen, setChosen] = useState<string>();
  const items = labs.data?.items ?? [];
  const labId = chosen ?? items[0]?.id;
  // The platform's rule: an administrator of a data provider opens labs.
  const mayCreate = hasKind(me, 'provider') && isAdmin(me);

  return (
    <section>
      <PageHeader title={t('data.labs.title')} lead={t('data.labs.lead')} />
      <ErrorMessage error={labs.error} />
      {labs.isLoading && !labs.data && <Loading />}
      {labs.data && items.length === 0 && <Empty>{t('data.labs.none')}</Empty>}
      {mayCreate && (
        <CreateLabForm
          onCreated={(detail) => {
            setChosen(detail.lab.id);
            labs.reload();
          }}
        />
      )}
      {items.length > 1 && (
        <div className="toolbar">
          <label>
            {t('data.labs.choose')}
            <select value={labId} onChange={(event) => setChosen(event.target.value)}>
              {items.map((lab) => (
                <option key={lab.id} value={lab.id}>
                  {lab.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {labId && <LabView key={labId} labId={labId} />}
    </section>
  );
}

function LabView({ labId }: { labId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const orgs = useOrgNames();
  const path = { labId };
  const detail = useLoad(() => bodyOf(client.GET('/v1/labs/{labId}', { params: { path } })), [labId]);
  const budget = useLoad(() => bodyOf(client.GET('/v1/labs/{labId}/budget', { params: { path } })), [labId]);
  const history = useLoad(
    () => bodyOf(client.GET('/v1/labs/{labId}/queries', { params: { path } })),
    [labId],
  );
  const [sql, setSql] = useState('');
  const [epsilon, setEpsilon] = useState('');
  const [shown, setShown] = useState<LabQuery>();
  const [isConfirming, setConfirming] = useState(false);
  const run = useAction(async () => {
    const body: { sql: string; epsilon?: number } = { sql };
    if (epsilon.trim()) body.epsilon = Number(epsilon);
    try {
      const query = await bodyOf(client.POST('/v1/labs/{labId}/queries', { params: { path }, body }));
      setShown(query);
      return query;
    } finally {
      // A refusal is shown beside the form, not behind the modal dialog; a refused query may still
      // have been charged (the ledger says), so the budget is read again either way.
      setConfirming(false);
      budget.reload();
      history.reload();
    }
  });
  // Every query spends ε for good: it is asked for, with the amount and what would remain, first.
  const askToRun = () => {
    if (!sql.trim()) return;
    run.clearError();
    setConfirming(true);
  };
  const review = useAction(async (queryId: string, decision: 'approve' | 'reject') => {
    const query = await bodyOf(
      client.POST(`/v1/labs/{labId}/queries/{queryId}/${decision}`, {
        params: { path: { labId, queryId } },
        body: {},
      }),
    );
    setShown(query);
    history.reload();
  });

  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <Loading />;
  const { lab, members, datasets } = detail.data;
  const myRole = members.find((member) => member.orgId === me.organisation.id)?.role;
  const canReview = myRole === 'owner' || myRole === 'data-owner';
  const b = budget.data;
  const spend = epsilon.trim() ? Number(epsilon) : lab.defaultEpsilon;

  return (
    <>
      <div className="panel">
        <h2>{lab.name}</h2>
        {lab.description && <p>{lab.description}</p>}
        <dl className="facts">
          <dt>{t('data.labs.owner')}</dt>
          <dd>{orgs.get(lab.orgId)?.name ?? lab.orgId}</dd>
          <dt>{t('data.labs.myRole')}</dt>
          <dd>{myRole ? t(`data.labs.role.${myRole}`) : '—'}</dd>
          <dt>{t('data.labs.minGroupSize')}</dt>
          <dd>{lab.minGroupSize}</dd>
          <dt>{t('data.labs.defaultEpsilon')}</dt>
          <dd>{lab.defaultEpsilon}</dd>
          <dt>{t('data.labs.maxRowsPerSubject')}</dt>
          <dd>{lab.maxRowsPerSubject}</dd>
          <dt>{t('data.labs.maxGroupsPerSubject')}</dt>
          <dd>{lab.maxGroupsPerSubject}</dd>
          <dt>{t('data.labs.minEpsilon')}</dt>
          <dd>{lab.minEpsilon}</dd>
          <dt>{t('data.labs.budgetScope')}</dt>
          <dd>{t(`data.labs.scopes.${lab.budgetScope}`)}</dd>
          <dt>{t('data.labs.outputReview')}</dt>
          <dd>{lab.outputReview ? t('data.labs.yes') : t('data.labs.no')}</dd>
        </dl>
      </div>

      <MembersPanel
        labId={labId}
        members={members}
        isOwner={myRole === 'owner' && isAdmin(me)}
        orgName={(orgId) => orgs.get(orgId)?.name ?? orgId}
        onChanged={detail.reload}
      />

      <div className="grid-2 lab-top">
        <div>
          <h3>{t('data.labs.budget')}</h3>
          <ErrorMessage error={budget.error} />
          {b && (
            <>
              <BarChartCard
                title={t('data.labs.budgetChart', { total: formatNumber(b.total, i18n.language) })}
                data={[{ name: 'ε', spent: round(b.spent), remaining: round(b.remaining) }]}
                xKey="name"
                height={180}
                series={[
                  { key: 'spent', label: t('data.labs.spent') },
                  { key: 'remaining', label: t('data.labs.remaining') },
                ]}
              />
              <p className="meta">
                {t('data.labs.budgetWords', {
                  spent: formatNumber(b.spent, i18n.language),
                  remaining: formatNumber(b.remaining, i18n.language),
                  total: formatNumber(b.total, i18n.language),
                })}{' '}
                {t('data.labs.budgetOf', { scope: t(`data.labs.scopes.${b.scope}`) })}
              </p>
              <p className="hint">{t('data.labs.epsilonExplained')}</p>
            </>
          )}
        </div>
        <div>
          <h3>{t('data.labs.datasets')}</h3>
          {datasets.length === 0 && <Empty>{t('data.labs.noDatasets')}</Empty>}
          <ul className="lab-datasets">
            {datasets.map((dataset) => (
              <li key={dataset.name}>
                <button type="button" className="linklike mono" onClick={() => setSql(exampleFor(dataset))}>
                  {dataset.name}
                </button>{' '}
                <span className="hint">
                  {t('data.labs.datasetFacts', {
                    org: orgs.get(dataset.orgId)?.name ?? dataset.orgId,
                    rows: formatNumber(dataset.rowCount, i18n.language),
                  })}
                </span>
                <div className="hint">
                  {t('data.labs.dimensions')}:{' '}
                  <span className="mono">{dataset.dimensions.join(', ') || '—'}</span>
                  {' · '}
                  {t('data.labs.measures')}:{' '}
                  <span className="mono">
                    {Object.entries(dataset.measures)
                      .map(([name, bounds]) => `${name} [${bounds.lower}, ${bounds.upper}]`)
                      .join(', ') || '—'}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          <p className="hint">{t('data.labs.subjectKey')}</p>
        </div>
      </div>

      {datasets.map((dataset) => (
        <TwinPanel
          key={dataset.name}
          labId={labId}
          datasetName={dataset.name}
          isDataOwner={canReview && dataset.orgId === me.organisation.id}
          defaultEpsilon={lab.defaultEpsilon}
        />
      ))}

      <ModelsPanel
        labId={labId}
        myOrgId={me.organisation.id}
        isOwner={myRole === 'owner'}
        isResearcherOnly={myRole === 'researcher'}
      />

      <h3>{t('data.labs.run')}</h3>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          askToRun();
        }}
      >
        <label>
          {t('data.labs.sql')}
          <textarea
            className="sql"
            spellCheck={false}
            value={sql}
            placeholder="SELECT district, count(DISTINCT subject_key) AS n FROM … GROUP BY district"
            onChange={(event) => setSql(event.target.value)}
            onKeyDown={(event) => {
              if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
                event.preventDefault();
                askToRun();
              }
            }}
          />
        </label>
        <div className="toolbar">
          <label>
            {t('data.labs.epsilon')}
            <input
              type="number"
              min={0}
              step="0.01"
              value={epsilon}
              placeholder={String(lab.defaultEpsilon)}
              onChange={(event) => setEpsilon(event.target.value)}
            />
          </label>
          <button type="submit" className="button button-primary" disabled={!sql.trim() || run.isPending}>
            {run.isPending ? t('data.sql.running') : t('data.labs.runButton')}
          </button>
        </div>
      </form>
      <ErrorMessage error={run.error ?? review.error} />
      <ConfirmDialog
        open={isConfirming}
        title={t('data.labs.confirmTitle', { epsilon: formatNumber(spend, i18n.language) })}
        consequence={
          <>
            <p>{t('data.labs.epsilonExplained')}</p>
            <p>
              {b
                ? t('data.labs.confirmSpend', {
                    epsilon: formatNumber(spend, i18n.language),
                    remaining: formatNumber(b.remaining, i18n.language),
                    after: formatNumber(Math.max(0, b.remaining - spend), i18n.language),
                    total: formatNumber(b.total, i18n.language),
                  })
                : t('data.labs.confirmSpendUnknown', { epsilon: formatNumber(spend, i18n.language) })}
            </p>
            {b && spend > b.remaining && (
              <p>
                <strong>
                  {t('data.labs.overBudget', { remaining: formatNumber(b.remaining, i18n.language) })}
                </strong>
              </p>
            )}
          </>
        }
        confirmLabel={t('data.labs.confirmRun', { epsilon: formatNumber(spend, i18n.language) })}
        isPending={run.isPending}
        onConfirm={() => void run.run()}
        onCancel={() => setConfirming(false)}
      />
      {shown && (
        <LabResult
          budget={b}
          query={shown}
          minGroupSize={lab.minGroupSize}
          canReview={canReview}
          onReview={(decision) => void review.run(shown.id, decision)}
        />
      )}

      <h3>{t('data.labs.history')}</h3>
      <ErrorMessage error={history.error} />
      {history.data?.items.length === 0 && <Empty>{t('data.labs.noHistory')}</Empty>}
      {history.data && history.data.items.length > 0 && (
        <TableScroll label={t('data.labs.history')}>
          <table className="data-table">
            <caption className="visually-hidden">{t('data.labs.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.labs.when')}</th>
                <th scope="col">{t('data.labs.sql')}</th>
                <th scope="col" className="num">
                  ε
                </th>
                <th scope="col">{t('data.labs.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('data.labs.show')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((query) => (
                <tr key={query.id}>
                  <td className="date">{formatDate(query.createdAt, i18n.language, true)}</td>
                  <td className="mono sql-cell">{query.sql}</td>
                  <td className="num">{formatNumber(query.epsilon, i18n.language)}</td>
                  <td>
                    <LabStateBadge state={query.state} />
                  </td>
                  <td>
                    <button type="button" className="button button-small" onClick={() => setShown(query)}>
                      {t('data.labs.show')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

/** ln 20: a Laplace(b) draw lies within ±b·ln 20 with probability 95%. */
const laplace95 = Math.log(20);

const round = (value: number) => Math.round(value * 1000) / 1000;

function exampleFor(dataset: LabDetail['datasets'][number]): string {
  const dimension = dataset.dimensions[0];
  const measure = Object.keys(dataset.measures)[0];
  const columns = [
    dimension,
    'count(DISTINCT subject_key) AS subjects',
    measure && `avg(${measure}) AS mean_${measure}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `SELECT ${columns} FROM ${dataset.name}${dimension ? ` GROUP BY ${dimension}` : ''}`;
}

export function LabResult({
  query,
  budget,
  minGroupSize,
  canReview,
  onReview,
}: {
  query: LabQuery;
  budget: Budget | undefined;
  minGroupSize: number;
  canReview: boolean;
  onReview: (decision: 'approve' | 'reject') => void;
}) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  const { flagged, noisy } = noiseDominatedCount(query.result.rows, query.result.intervals);
  const scales = Object.entries(query.result.noiseScales);
  const kindOf = new Map(query.result.columns.map((column) => [column.name, column.kind]));
  return (
    <div className="panel lab-result" aria-live="polite">
      <div className="card-head">
        <h4>{t('data.labs.result')}</h4>
        <LabStateBadge state={query.state} />
      </div>
      <p>
        {t('data.labs.spentThis', { epsilon: n(query.epsilon) })}{' '}
        {budget && t('data.labs.remainsNow', { remaining: n(budget.remaining), total: n(budget.total) })}
      </p>
      <p className="meta">
        {t('data.labs.suppressedNote', { k: minGroupSize })}
        {' · '}
        {t('data.labs.intervalNote')}
      </p>
      {scales.length > 0 && (
        <p className="meta">
          {t('data.labs.noise', {
            scales: scales
              .map(([name, scale]) =>
                kindOf.get(name) === 'avg'
                  ? t('data.labs.avgScale', { name, b: n(scale) })
                  : `${name === '__subjects' ? t('data.labs.subjectsNoise') : name}: b = ${n(scale)}, ± ${n(scale * laplace95)}`,
              )
              .join('; '),
          })}
        </p>
      )}
      {flagged > 0 && <Notice kind="warning">{t('data.labs.noisyValues', { count: flagged, noisy })}</Notice>}
      {query.state === 'pending-review' && <Notice>{t('data.labs.pendingReview')}</Notice>}
      {query.state === 'rejected' && (
        <Notice kind="warning">{t('data.labs.rejected', { reason: query.reviewReason ?? '—' })}</Notice>
      )}
      {query.result.rows.length > 0 ? (
        <ResultGrid
          caption={t('data.labs.result')}
          columns={query.result.columns}
          rows={withIntervals(
            query.result.rows,
            query.result.intervals,
            i18n.language,
            t('data.labs.noiseFlag'),
          )}
        />
      ) : (
        query.state === 'released' && <Empty>{t('data.sql.noRows')}</Empty>
      )}
      {canReview && query.state === 'pending-review' && (
        <div className="actions">
          <button type="button" className="button button-primary" onClick={() => onReview('approve')}>
            {t('data.labs.release')}
          </button>
          <button type="button" className="button button-danger" onClick={() => onReview('reject')}>
            {t('data.labs.withhold')}
          </button>
        </div>
      )}
    </div>
  );
}

function LabStateBadge({ state }: { state: LabQuery['state'] }) {
  const { t } = useTranslation();
  const look = state === 'released' ? 'approved' : state === 'rejected' ? 'rejected' : 'pending';
  return <span className={`badge badge-${look}`}>{t(`data.labs.states.${state}`)}</span>;
}
