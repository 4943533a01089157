import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage } from '../Feedback';
import { TableScroll } from '../TableScroll';
import { ClassificationBadge } from './common';
import { RiskFiguresView } from './RiskPanel';
import {
  buildOverrides,
  type ConditionDraft,
  emptyMask,
  initialDraft,
  lastRequestedDay,
  type MaskDraft,
  needsNoValue,
  needsValues,
  type TermsDraft,
} from './terms';
import {
  type AccessRequest,
  type Agreement,
  classificationOf,
  type DatasetColumn,
  type FilterOperator,
  filterOperators,
  isNumericType,
  type Location,
  locations,
  type MaskKind,
  masksFor,
  type NoiseBudgetScope,
  noiseBudgetScopes,
  type RiskAssessment,
} from './types';

/**
 * The provider's terms for one request: narrower columns, a mask per column (only the kinds that
 * fit its type), a row filter of structured conditions, expiry, limits, aggregate-only (with
 * optional noise: ε per query, floor, budget and the bounds of summable columns), download and regions → `POST /v1/access-requests/{id}/approve`.
 */
export function TermsEditor({
  request,
  columns,
  consumerRegion,
  onApproved,
  onCancel,
}: {
  request: AccessRequest;
  columns: DatasetColumn[];
  consumerRegion: Location | null;
  onApproved: (agreement: Agreement) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [now] = useState(() => new Date());
  const lastDay = lastRequestedDay(request.durationDays, now);
  const [draft, setDraft] = useState<TermsDraft>(() => initialDraft(request, now, consumerRegion, columns));
  const [problem, setProblem] = useState<{ key: string; column?: string }>();
  const byName = new Map(columns.map((column) => [column.name, column]));
  const columnTypes = Object.fromEntries(columns.map((column) => [column.name, column.type]));
  const [risk, setRisk] = useState<{ risk: RiskAssessment | null; warning: string | null }>();
  const preview = useAction(async () => {
    const built = buildOverrides(draft, columnTypes, lastDay);
    if ('problem' in built) {
      setProblem(built.problem);
      return undefined;
    }
    setProblem(undefined);
    const answer = await post<{ risk: RiskAssessment | null; warning: string | null }>(
      `/v1/access-requests/${request.id}/preview`,
      built.overrides,
    );
    setRisk(answer);
    return answer;
  });
  const approve = useAction(async () => {
    const built = buildOverrides(draft, columnTypes, lastDay);
    if ('problem' in built) {
      setProblem(built.problem);
      return undefined;
    }
    setProblem(undefined);
    const answer = await post<{ agreement: Agreement }>(
      `/v1/access-requests/${request.id}/approve`,
      built.overrides,
    );
    onApproved(answer.agreement);
    return answer;
  });

  const setMask = (column: string, change: Partial<MaskDraft>) =>
    setDraft((d) => ({
      ...d,
      masks: { ...d.masks, [column]: { ...(d.masks[column] ?? emptyMask), ...change } },
    }));
  const setCondition = (index: number, change: Partial<ConditionDraft>) =>
    setDraft((d) => ({
      ...d,
      rowFilter: d.rowFilter.map((condition, i) => (i === index ? { ...condition, ...change } : condition)),
    }));
  const toggle = <T,>(list: T[], item: T, on: boolean) =>
    on ? [...new Set([...list, item])] : list.filter((x) => x !== item);

  return (
    <form
      className="form terms-editor"
      aria-label={t('data.terms.title')}
      onSubmit={(event) => {
        event.preventDefault();
        void approve.run();
      }}
    >
      <fieldset>
        <legend>{t('data.terms.columns')}</legend>
        <p className="hint">{t('data.terms.columnsHint')}</p>
        <TableScroll label={t('data.terms.columns')}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('data.terms.grant')}</th>
                <th scope="col">{t('data.schema.classification')}</th>
                <th scope="col">{t('data.terms.mask')}</th>
                <th scope="col">{t('data.terms.maskParameter')}</th>
              </tr>
            </thead>
            <tbody>
              {request.columns.map((name) => {
                const column = byName.get(name);
                const granted = draft.columns.includes(name);
                const mask = draft.masks[name] ?? emptyMask;
                return (
                  <tr key={name}>
                    <th scope="row">
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={granted}
                          onChange={(event) =>
                            setDraft((d) => ({
                              ...d,
                              columns: toggle(d.columns, name, event.target.checked),
                            }))
                          }
                        />
                        <span className="mono">{name}</span>
                      </label>
                      {column && <span className="col-type">{column.type}</span>}
                    </th>
                    <td>{column && <ClassificationBadge classification={classificationOf(column)} />}</td>
                    <td>
                      <label>
                        <span className="visually-hidden">{t('data.terms.maskOf', { column: name })}</span>
                        <select
                          value={mask.kind}
                          disabled={!granted}
                          onChange={(event) => setMask(name, { kind: event.target.value as MaskKind | '' })}
                        >
                          <option value="">{t('data.terms.noMask')}</option>
                          {masksFor(column?.type ?? 'VARCHAR').map((kind) => (
                            <option key={kind} value={kind}>
                              {t(`data.mask.${kind}`)}
                            </option>
                          ))}
                        </select>
                      </label>
                    </td>
                    <td>
                      {granted && mask.kind === 'truncate-date' && (
                        <label>
                          <span className="visually-hidden">{t('data.terms.unitOf', { column: name })}</span>
                          <select
                            value={mask.unit}
                            onChange={(event) =>
                              setMask(name, { unit: event.target.value as 'year' | 'month' })
                            }
                          >
                            <option value="month">{t('data.terms.unit.month')}</option>
                            <option value="year">{t('data.terms.unit.year')}</option>
                          </select>
                        </label>
                      )}
                      {granted && mask.kind === 'band' && (
                        <label>
                          <span className="visually-hidden">{t('data.terms.widthOf', { column: name })}</span>
                          <input
                            type="number"
                            min={0}
                            step="any"
                            value={mask.width}
                            onChange={(event) => setMask(name, { width: event.target.value })}
                          />
                        </label>
                      )}
                      {granted && mask.kind === 'keep-last' && (
                        <label>
                          <span className="visually-hidden">{t('data.terms.keepOf', { column: name })}</span>
                          <input
                            type="number"
                            min={1}
                            max={32}
                            value={mask.n}
                            onChange={(event) => setMask(name, { n: event.target.value })}
                          />
                        </label>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </fieldset>

      <fieldset>
        <legend>{t('data.terms.rowFilter')}</legend>
        <p className="hint">{t('data.terms.rowFilterHint')}</p>
        {draft.rowFilter.length === 0 && <p className="empty">{t('data.terms.noFilter')}</p>}
        {draft.rowFilter.map((condition, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions are edited in place, in order
          <div className="condition" key={index}>
            <label>
              {t('data.terms.filterColumn')}
              <select
                value={condition.column}
                onChange={(event) => setCondition(index, { column: event.target.value })}
              >
                {columns.map((column) => (
                  <option key={column.name} value={column.name}>
                    {column.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('data.terms.operator')}
              <select
                value={condition.op}
                onChange={(event) => setCondition(index, { op: event.target.value as FilterOperator })}
              >
                {filterOperators.map((op) => (
                  <option key={op} value={op}>
                    {t(`data.op.${op}`)}
                  </option>
                ))}
              </select>
            </label>
            {!needsNoValue(condition.op) && (
              <label>
                {needsValues(condition.op) ? t('data.terms.values') : t('data.terms.value')}
                <input
                  value={condition.value}
                  onChange={(event) => setCondition(index, { value: event.target.value })}
                />
              </label>
            )}
            <button
              type="button"
              className="button button-small button-danger"
              onClick={() =>
                setDraft((d) => ({ ...d, rowFilter: d.rowFilter.filter((_, i) => i !== index) }))
              }
            >
              {t('data.terms.removeCondition')}
            </button>
          </div>
        ))}
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              setDraft((d) => ({
                ...d,
                rowFilter: [...d.rowFilter, { column: columns[0]?.name ?? '', op: '=', value: '' }],
              }))
            }
          >
            {t('data.terms.addCondition')}
          </button>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('data.terms.limits')}</legend>
        <div className="grid-2">
          <div className="field">
            <label>
              {t('data.terms.expiry')}
              <input
                type="date"
                max={lastDay}
                value={draft.expiresOn}
                aria-describedby={`${request.id}-expiry`}
                onChange={(event) => setDraft((d) => ({ ...d, expiresOn: event.target.value }))}
              />
            </label>
            <span id={`${request.id}-expiry`} className="hint">
              {t('data.terms.expiryHint', { days: request.durationDays })}
            </span>
          </div>
          <label>
            {t('data.terms.maxQueries')}
            <input
              type="number"
              min={1}
              value={draft.maxQueries}
              placeholder={t('data.terms.unlimited')}
              onChange={(event) => setDraft((d) => ({ ...d, maxQueries: event.target.value }))}
            />
          </label>
          <label>
            {t('data.terms.maxRows')}
            <input
              type="number"
              min={1}
              max={1_000_000}
              value={draft.maxRowsPerQuery}
              onChange={(event) => setDraft((d) => ({ ...d, maxRowsPerQuery: event.target.value }))}
            />
          </label>
          <div className="form">
            <label className="check">
              <input
                type="checkbox"
                checked={draft.aggregateOnly}
                onChange={(event) => setDraft((d) => ({ ...d, aggregateOnly: event.target.checked }))}
              />
              {t('data.terms.aggregateOnly')}
            </label>
            {draft.aggregateOnly && (
              <label>
                {t('data.terms.minGroupSize')}
                <input
                  type="number"
                  min={2}
                  value={draft.minGroupSize}
                  onChange={(event) => setDraft((d) => ({ ...d, minGroupSize: event.target.value }))}
                />
              </label>
            )}
            {draft.aggregateOnly && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.noise}
                  aria-describedby={`${request.id}-noise`}
                  onChange={(event) => setDraft((d) => ({ ...d, noise: event.target.checked }))}
                />
                {t('data.terms.noise')}
              </label>
            )}
            <label className="check">
              <input
                type="checkbox"
                checked={draft.download}
                disabled={!request.wantsDownload}
                onChange={(event) => setDraft((d) => ({ ...d, download: event.target.checked }))}
              />
              {request.wantsDownload ? t('data.terms.download') : t('data.terms.downloadNotAsked')}
            </label>
          </div>
        </div>
      </fieldset>

      {draft.aggregateOnly && draft.noise && (
        <fieldset>
          <legend>{t('data.terms.noise')}</legend>
          <p id={`${request.id}-noise`} className="hint">
            {t('data.terms.noiseHint')}
          </p>
          <div className="grid-2">
            {(['epsilon', 'minEpsilon', 'epsilonBudget'] as const).map((field) => (
              <label key={field}>
                {t(`data.terms.${field}`)}
                <input
                  type="number"
                  min={0}
                  step="any"
                  value={draft[field]}
                  onChange={(event) => setDraft((d) => ({ ...d, [field]: event.target.value }))}
                />
              </label>
            ))}
            <label>
              {t('data.terms.budgetScope')}
              <select
                value={draft.budgetScope}
                onChange={(event) =>
                  setDraft((d) => ({ ...d, budgetScope: event.target.value as NoiseBudgetScope }))
                }
              >
                {noiseBudgetScopes.map((scope) => (
                  <option key={scope} value={scope}>
                    {t(`data.terms.budgetScopeOption.${scope}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <p className="hint">{t('data.terms.bounds')}</p>
          <p className="hint">{t('data.terms.boundsHint')}</p>
          {draft.columns
            .filter((name) => isNumericType(byName.get(name)?.type ?? '') && !draft.masks[name]?.kind)
            .map((name) => {
              const bounds = draft.bounds[name] ?? { lower: '', upper: '' };
              const setBounds = (change: Partial<typeof bounds>) =>
                setDraft((d) => ({ ...d, bounds: { ...d.bounds, [name]: { ...bounds, ...change } } }));
              return (
                <div className="condition" key={name}>
                  <span className="mono">{name}</span>
                  <label>
                    <span className="visually-hidden">{t('data.terms.lowerOf', { column: name })}</span>
                    <input
                      type="number"
                      step="any"
                      value={bounds.lower}
                      onChange={(event) => setBounds({ lower: event.target.value })}
                    />
                  </label>
                  <label>
                    <span className="visually-hidden">{t('data.terms.upperOf', { column: name })}</span>
                    <input
                      type="number"
                      step="any"
                      value={bounds.upper}
                      onChange={(event) => setBounds({ upper: event.target.value })}
                    />
                  </label>
                </div>
              );
            })}
        </fieldset>
      )}

      <fieldset className="checks">
        <legend>{t('data.terms.regions')}</legend>
        {locations.map((location) => (
          <label key={location} className="check">
            <input
              type="checkbox"
              checked={draft.regions.includes(location)}
              onChange={(event) =>
                setDraft((d) => ({ ...d, regions: toggle(d.regions, location, event.target.checked) }))
              }
            />
            {t(`location.${location}`)}
          </label>
        ))}
      </fieldset>

      {problem && (
        <div className="alert alert-error" role="alert">
          {t(`data.terms.problem.${problem.key}`, { column: problem.column })}
        </div>
      )}
      <ErrorMessage error={preview.error} />
      {risk && (
        <section aria-label={t('data.risk.title')}>
          {risk.risk ? (
            <RiskFiguresView risk={risk.risk} />
          ) : (
            <p className="hint">{t('data.risk.noQuasiRelease')}</p>
          )}
        </section>
      )}
      <ErrorMessage error={approve.error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={approve.isPending}>
          {t('data.terms.approve')}
        </button>
        <button
          type="button"
          className="button"
          disabled={preview.isPending}
          onClick={() => void preview.run()}
        >
          {t('data.terms.checkRisk')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
