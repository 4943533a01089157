import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get, saveBlob } from '../api';
import { formatNumber, ResultGrid, withIntervals } from '../components/data/common';
import { toCsv } from '../components/data/csv';
import { QuickChart } from '../components/data/QuickChart';
import {
  addToHistory,
  clearHistory,
  type HistoryStorage,
  historyKey,
  loadHistory,
} from '../components/data/sqlHistory';
import type { QueryResult, QueryTable } from '../components/data/types';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { useMe } from '../session';

/** The browser's localStorage, or a stand-in that keeps nothing when storage is disabled. */
function browserStorage(): HistoryStorage {
  try {
    return window.localStorage;
  } catch {
    return { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
  }
}

/** The result as a CSV file. The byte order mark lets spreadsheet programs read UTF-8 (Chinese text). */
function downloadCsv(result: QueryResult) {
  const csv = toCsv(
    result.columns.map((column) => column.name),
    result.rows,
  );
  saveBlob(new Blob([`\uFEFF${csv}`], { type: 'text/csv;charset=utf-8' }), `query-${result.queryId}.csv`);
}

const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/** The governed SQL console: the tables I may read (with their masks), a query, its result and a chart. */
export function SqlConsole() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const tables = useLoad(() => get<{ items: QueryTable[] }>('/v1/query/tables'), [me.organisation.id]);
  const [sql, setSql] = useState('');
  const [answer, setAnswer] = useState<{ result: QueryResult; elapsedMs: number }>();
  const storageKey = historyKey(me.user.id, me.organisation.id);
  const [history, setHistory] = useState<string[]>(() => loadHistory(browserStorage(), storageKey));
  useEffect(() => setHistory(loadHistory(browserStorage(), storageKey)), [storageKey]);
  const run = useAction(async () => {
    const started = performance.now();
    const result = await api<QueryResult>('POST', '/v1/query', { body: { sql } });
    setAnswer({ result, elapsedMs: performance.now() - started });
    setHistory(addToHistory(browserStorage(), storageKey, sql));
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
          {history.length > 0 && (
            <section className="sql-history" aria-labelledby="sql-history-heading">
              <div className="sql-history-header">
                <h2 id="sql-history-heading">{t('data.sql.history.title')}</h2>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => {
                    clearHistory(browserStorage(), storageKey);
                    setHistory([]);
                  }}
                >
                  {t('data.sql.history.clear')}
                </button>
              </div>
              <p className="hint">{t('data.sql.history.hint')}</p>
              <ol className="sql-history-list">
                {history.map((entry) => (
                  <li key={entry}>
                    <button
                      type="button"
                      className="sql-history-item mono"
                      title={entry}
                      aria-label={t('data.sql.history.restore', { query: entry })}
                      onClick={() => setSql(entry)}
                    >
                      {entry}
                    </button>
                  </li>
                ))}
              </ol>
            </section>
          )}
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
                <div className="actions">
                  <button
                    type="button"
                    className="button button-small"
                    disabled={answer.result.columns.length === 0}
                    onClick={() => downloadCsv(answer.result)}
                  >
                    {t('data.sql.downloadCsv')}
                  </button>
                </div>
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
                      ? withIntervals(
                          answer.result.rows,
                          answer.result.noise.intervals,
                          i18n.language,
                          t('data.labs.noiseFlag'),
                        )
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
