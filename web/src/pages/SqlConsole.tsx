import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get } from '../api';
import { formatNumber, ResultGrid, withIntervals } from '../components/data/common';
import { QuickChart } from '../components/data/QuickChart';
import type { QueryResult, QueryTable } from '../components/data/types';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { useMe } from '../session';

const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/** The governed SQL console: the tables I may read (with their masks), a query, its result and a chart. */
export function SqlConsole() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const tables = useLoad(() => get<{ items: QueryTable[] }>('/v1/query/tables'), [me.organisation.id]);
  const [sql, setSql] = useState('');
  const [answer, setAnswer] = useState<{ result: QueryResult; elapsedMs: number }>();
  const run = useAction(async () => {
    const started = performance.now();
    const result = await api<QueryResult>('POST', '/v1/query', { body: { sql } });
    setAnswer({ result, elapsedMs: performance.now() - started });
    return result;
  });
  const items = tables.data?.items ?? [];
  const masks: Record<string, string | null> = {};
  for (const dataset of answer?.result.datasets ?? []) {
    const table = items.find((item) => item.datasetId === dataset.datasetId);
    for (const column of table?.columns ?? []) if (column.mask) masks[column.name] = column.mask;
  }
  const submit = () => {
    if (sql.trim() && !run.isPending) void run.run();
  };

  return (
    <section>
      <PageHeader title={t('data.sql.title')} lead={t('data.sql.lead')} />
      <div className="sql-layout">
        <aside className="panel sql-tables" aria-labelledby="sql-tables-heading">
          <h2 id="sql-tables-heading">{t('data.sql.tables')}</h2>
          <ErrorMessage error={tables.error} />
          {tables.isLoading && !tables.data && <Loading />}
          {tables.data && items.length === 0 && (
            <Empty>
              {t('data.sql.noTables')} <Link to="/explore">{t('data.sql.explore')}</Link>
            </Empty>
          )}
          <ul className="table-list">
            {items.map((table) => (
              <li key={`${table.name}-${table.datasetId}`}>
                <details>
                  <summary>
                    <span className="mono">{table.name}</span>{' '}
                    <span className="badge">{t(`data.sql.via.${table.via}`)}</span>
                    {table.aggregateOnly && (
                      <span className="badge badge-mask">{t('data.sql.aggregateOnly')}</span>
                    )}
                  </summary>
                  {table.blockedBy && (
                    <p className="alert alert-warning">
                      {t('data.sql.blocked', { reason: table.blockedBy })}
                    </p>
                  )}
                  <ul className="column-list">
                    {table.columns.map((column) => (
                      <li key={column.name}>
                        <span className="mono">{column.name}</span>{' '}
                        <span className="col-type">{column.type}</span>
                        {column.mask && (
                          <span className="badge badge-mask">{t(`data.mask.${column.mask}`)}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() =>
                      setSql(
                        table.aggregateOnly
                          ? `SELECT count(*) AS n FROM ${quote(table.name)}`
                          : `SELECT * FROM ${quote(table.name)} LIMIT 100`,
                      )
                    }
                  >
                    {t('data.sql.use')}
                    <span className="visually-hidden"> {table.name}</span>
                  </button>
                </details>
              </li>
            ))}
          </ul>
        </aside>
        <div className="sql-main">
          <form
            className="form"
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <label>
              {t('data.sql.editor')}
              <textarea
                className="sql"
                spellCheck={false}
                value={sql}
                placeholder="SELECT … FROM …"
                aria-describedby="sql-hint"
                onChange={(event) => setSql(event.target.value)}
                onKeyDown={(event) => {
                  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
                    event.preventDefault();
                    submit();
                  }
                }}
              />
            </label>
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={!sql.trim() || run.isPending}>
                {run.isPending ? t('data.sql.running') : t('data.sql.run')}
              </button>
              <span id="sql-hint" className="hint">
                {t('data.sql.hint')}
              </span>
            </div>
          </form>
          <div aria-live="polite">
            <ErrorMessage error={run.error} />
            {answer && !run.error && (
              <>
                <p className="meta result-meta">
                  {t('data.sql.rows', {
                    count: answer.result.rowCount,
                    formatted: formatNumber(answer.result.rowCount, i18n.language),
                  })}
                  {' · '}
                  {t('data.sql.elapsed', { ms: formatNumber(Math.round(answer.elapsedMs), i18n.language) })}
                  {' · '}
                  <span className="mono">{answer.result.queryId}</span>
                </p>
                {answer.result.truncated && <Notice kind="warning">{t('data.sql.truncated')}</Notice>}
                {answer.result.noise && (
                  <Notice kind="info">
                    {t('data.sql.noisy', {
                      epsilon: formatNumber(answer.result.noise.epsilon, i18n.language),
                      remaining: formatNumber(answer.result.noise.budget.remaining, i18n.language),
                      total: formatNumber(answer.result.noise.budget.total, i18n.language),
                    })}
                  </Notice>
                )}
              </>
            )}
          </div>
          {answer && !run.error && (
            <>
              <h2>{t('data.sql.result')}</h2>
              {answer.result.rowCount === 0 ? (
                <Empty>{t('data.sql.noRows')}</Empty>
              ) : (
                <ResultGrid
                  caption={t('data.sql.result')}
                  columns={answer.result.columns}
                  rows={
                    answer.result.noise
                      ? withIntervals(answer.result.rows, answer.result.noise.intervals, i18n.language)
                      : answer.result.rows
                  }
                  masks={masks}
                />
              )}
              {answer.result.rowCount > 0 && (
                <>
                  <h2>{t('data.chart.heading')}</h2>
                  <QuickChart
                    key={answer.result.queryId}
                    columns={answer.result.columns}
                    rows={answer.result.rows}
                  />
                </>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
