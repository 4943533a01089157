import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, put } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { ConfirmDialog } from '../Confirm';
import { formatNumber } from '../data/common';
import { ErrorMessage, Notice } from '../Feedback';
import { fieldErrorsOf } from './LabAdmin';

export interface TwinReport {
  rows: number;
  noisyRows: number;
  tree: [string, string][];
  marginals: {
    columns: string[];
    cells: number;
    noiseStd: number;
    measuredError: number;
    statedBound?: number;
  }[];
  privacy: Record<string, number | string>;
}

export interface Twin {
  id: string;
  datasetName: string;
  versionId: string;
  state: 'running' | 'ready' | 'failed' | 'refused';
  progress: number;
  epsilon: number;
  delta: number;
  report: TwinReport | null;
  error: { code: string; detail: string } | null;
  createdAt: string;
}

/** A Gaussian draw of standard deviation σ lies within ±1.96·σ with probability 95%. */
const gaussian95 = 1.96;

interface TwinBudget {
  total: number;
  spent: number;
  remaining: number;
}

/**
 * A lab dataset's synthetic twin: its state and utility report for every member, downloads of the
 * newest ready one, and for the data owner a way to generate the next, paid from the owner's ε
 * budget for this dataset after a confirmation that names the ε it spends.
 */
export function TwinPanel({
  labId,
  datasetName,
  isDataOwner,
  defaultEpsilon,
}: {
  labId: string;
  datasetName: string;
  isDataOwner: boolean;
  defaultEpsilon: number;
}) {
  const { t, i18n } = useTranslation();
  const base = `/v1/labs/${labId}/datasets/${datasetName}/twin`;
  const status = useLoad(() => get<{ twin: Twin | null; ready: Twin | null }>(base), [base]);
  const budget = useLoad(() => get<TwinBudget>(`${base}/budget`), [base]);
  const [epsilon, setEpsilon] = useState(String(defaultEpsilon));
  const [isAsking, setAsking] = useState(false);
  const generate = useAction(async () => {
    const twin = await post<Twin>(base, { epsilon: Number(epsilon) });
    setAsking(false);
    status.reload();
    budget.reload();
    return twin;
  });
  const [total, setTotal] = useState('');
  const [budgetSet, setBudgetSet] = useState<TwinBudget>();
  const setBudget = useAction(async () => {
    setBudgetSet(undefined);
    const next = await put<TwinBudget>(`${base}/budget`, { total: Number(total) });
    setBudgetSet(next);
    setTotal('');
    budget.reload();
    return next;
  });
  const totalError = fieldErrorsOf(setBudget.error).total;
  const latest = status.data?.twin;
  const ready = status.data?.ready;
  // Errors and ε are small shares: four decimals, where the lab's other figures show two.
  const number = (value: number) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 4 }).format(value);

  return (
    <section className="panel" aria-label={t('data.twins.title', { name: datasetName })}>
      <h4>{t('data.twins.title', { name: datasetName })}</h4>
      <ErrorMessage error={status.error ?? budget.error} />
      {budget.data && (
        <p className="meta">
          {t('data.twins.budget', {
            spent: number(budget.data.spent),
            remaining: number(budget.data.remaining),
            total: number(budget.data.total),
          })}
        </p>
      )}
      {isDataOwner && (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            void setBudget.run();
          }}
        >
          <label>
            {t('data.twins.setBudget.label')}
            <input
              type="number"
              min="0.0001"
              step="any"
              value={total}
              placeholder={budget.data ? String(budget.data.total) : undefined}
              aria-invalid={totalError ? true : undefined}
              onChange={(event) => setTotal(event.target.value)}
            />
            {totalError && (
              <span className="field-error" role="alert">
                {totalError}
              </span>
            )}
          </label>
          <button type="submit" disabled={setBudget.isPending || !(Number(total) > 0)}>
            {t('data.twins.setBudget.submit')}
          </button>
        </form>
      )}
      {isDataOwner && <p className="hint">{t('data.twins.setBudget.hint')}</p>}
      {budgetSet && (
        <Notice kind="success">
          {t('data.twins.setBudget.done', {
            total: number(budgetSet.total),
            spent: number(budgetSet.spent),
            remaining: number(budgetSet.remaining),
          })}
        </Notice>
      )}
      <ErrorMessage error={setBudget.error} />
      {status.data && !latest && <p>{t('data.twins.none')}</p>}
      {latest && (
        <p>
          {t(`data.twins.state.${latest.state}`, { progress: Math.round(latest.progress * 100) })}
          {latest.error && ` ${latest.error.detail}`}
          {latest.state === 'running' && (
            <button type="button" className="linklike" onClick={status.reload}>
              {t('data.twins.refresh')}
            </button>
          )}
        </p>
      )}
      {ready?.report && (
        <>
          <p>
            {t('data.twins.summary', {
              rows: formatNumber(ready.report.rows, i18n.language),
              epsilon: ready.epsilon,
              version: ready.versionId,
            })}{' '}
            <a href={`${base}/data?format=csv`} download>
              {t('data.twins.downloadCsv')}
            </a>{' '}
            ·{' '}
            <a href={`${base}/data?format=parquet`} download>
              {t('data.twins.downloadParquet')}
            </a>
          </p>
          <table className="table">
            <caption>{t('data.twins.report')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.twins.marginal')}</th>
                <th scope="col">{t('data.twins.measured')}</th>
                <th scope="col">{t('data.twins.stated')}</th>
                <th scope="col">{t('data.twins.cellNoise')}</th>
              </tr>
            </thead>
            <tbody>
              {ready.report.marginals.map((marginal) => (
                <tr key={marginal.columns.join('×')}>
                  <td className="mono">{marginal.columns.join(' × ')}</td>
                  <td>{number(marginal.measuredError)}</td>
                  <td>{marginal.statedBound === undefined ? '—' : number(marginal.statedBound)}</td>
                  <td>± {number(gaussian95 * marginal.noiseStd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('data.twins.reportHint')}</p>
        </>
      )}
      {isDataOwner && (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            setAsking(true);
          }}
        >
          <label>
            ε
            <input
              type="number"
              min="0.0001"
              step="any"
              value={epsilon}
              onChange={(event) => setEpsilon(event.target.value)}
            />
          </label>
          <button type="submit" disabled={generate.isPending || !(Number(epsilon) > 0)}>
            {t('data.twins.generate')}
          </button>
        </form>
      )}
      <ErrorMessage error={generate.error} />
      <ConfirmDialog
        open={isAsking}
        title={t('data.twins.confirmTitle', { name: datasetName })}
        consequence={t('data.twins.confirmConsequence', {
          epsilon,
          remaining: budget.data ? number(budget.data.remaining) : '?',
        })}
        confirmLabel={t('data.twins.confirm', { epsilon })}
        isPending={generate.isPending}
        onConfirm={() => void generate.run()}
        onCancel={() => setAsking(false)}
      />
    </section>
  );
}
