import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bodyOf, client } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage } from '../Feedback';
import { ClassificationBadge } from './common';
import {
  type AccessRequest,
  classificationOf,
  type Dataset,
  maxDurationDays,
  type Purpose,
  purposes,
  restrictedClassifications,
} from './types';

const steps = ['purpose', 'columns', 'duration', 'review'] as const;
type Step = (typeof steps)[number];
const durationPresets = [30, 90, 180, 365];

export interface WizardState {
  purpose: Purpose | '';
  purposeText: string;
  columns: string[];
  durationDays: string;
  wantsDownload: boolean;
}

/** What keeps a step from going on: a key under data.wizard.problem, or null. */
export function stepProblem(step: Step, state: WizardState): string | null {
  if (step === 'purpose') {
    if (!state.purpose) return 'purpose';
    if (!state.purposeText.trim()) return 'purposeText';
  }
  if (step === 'columns' && state.columns.length === 0) return 'columns';
  if (step === 'duration') {
    const days = Number(state.durationDays);
    if (!Number.isInteger(days) || days < 1 || days > maxDurationDays) return 'duration';
  }
  return null;
}

/**
 * Asks the provider for access in four steps: why (the purpose vocabulary and words), which
 * columns, for how long and whether to download, then a review → `POST /v1/access-requests`.
 */
export function RequestWizard({
  dataset,
  onSent,
  onCancel,
}: {
  dataset: Dataset;
  onSent: (request: AccessRequest) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const columns = dataset.currentVersion?.columns ?? [];
  const [step, setStep] = useState<Step>('purpose');
  const [state, setState] = useState<WizardState>({
    purpose: '',
    purposeText: '',
    // Personal, sensitive and identifier columns start unticked: a consumer asks for them on purpose.
    columns: columns
      .filter((column) => !restrictedClassifications.includes(classificationOf(column)))
      .map((column) => column.name),
    durationDays: '90',
    wantsDownload: false,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const isFirstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: move focus to the new step's heading
  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const send = useAction(async () => {
    const request = await bodyOf(
      client.POST('/v1/access-requests', {
        body: {
          datasetId: dataset.id,
          // The purpose step lets no one past it without a purpose (stepProblem).
          purpose: state.purpose as Purpose,
          purposeText: state.purposeText.trim(),
          columns: state.columns,
          durationDays: Number(state.durationDays),
          wantsDownload: state.wantsDownload,
        },
      }),
    );
    onSent(request);
    return request;
  });

  const index = steps.indexOf(step);
  const next = () => {
    const found = stepProblem(step, state);
    setProblem(found);
    if (!found) setStep(steps[index + 1] ?? step);
  };
  const back = () => {
    setProblem(null);
    setStep(steps[index - 1] ?? step);
  };
  const toggleColumn = (name: string, on: boolean) =>
    setState((s) => ({
      ...s,
      columns: on
        ? columns.map((c) => c.name).filter((n) => n === name || s.columns.includes(n))
        : s.columns.filter((n) => n !== name),
    }));

  return (
    <div className="wizard">
      <ol className="wizard-steps">
        {steps.map((name, i) => (
          <li
            key={name}
            aria-current={name === step ? 'step' : undefined}
            className={i < index ? 'done' : name === step ? 'current' : undefined}
          >
            <span className="wizard-step-number" aria-hidden="true">
              {i + 1}
            </span>
            {t(`data.wizard.step.${name}`)}
          </li>
        ))}
      </ol>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (step === 'review') void send.run();
          else next();
        }}
      >
        <h3 ref={heading} tabIndex={-1}>
          {t('data.wizard.stepTitle', {
            n: index + 1,
            total: steps.length,
            title: t(`data.wizard.step.${step}`),
          })}
        </h3>
        {step === 'purpose' && (
          <>
            <label>
              {t('data.wizard.purpose')}
              <select
                value={state.purpose}
                onChange={(event) => setState((s) => ({ ...s, purpose: event.target.value as Purpose }))}
              >
                <option value="">{t('data.wizard.choosePurpose')}</option>
                {purposes.map((purpose) => (
                  <option key={purpose} value={purpose}>
                    {t(`data.purpose.${purpose}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('data.wizard.purposeText')}
              <textarea
                rows={4}
                maxLength={2000}
                value={state.purposeText}
                onChange={(event) => setState((s) => ({ ...s, purposeText: event.target.value }))}
              />
            </label>
            <p className="hint">{t('data.wizard.purposeHint')}</p>
          </>
        )}
        {step === 'columns' && (
          <fieldset>
            <legend>{t('data.wizard.columns')}</legend>
            <div className="actions">
              <button
                type="button"
                className="button button-small"
                onClick={() => setState((s) => ({ ...s, columns: columns.map((c) => c.name) }))}
              >
                {t('data.wizard.all')}
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => setState((s) => ({ ...s, columns: [] }))}
              >
                {t('data.wizard.none')}
              </button>
            </div>
            <ul className="column-checks">
              {columns.map((column) => (
                <li key={column.name}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={state.columns.includes(column.name)}
                      onChange={(event) => toggleColumn(column.name, event.target.checked)}
                    />
                    <span className="mono">{column.name}</span>
                    <ClassificationBadge classification={classificationOf(column)} />
                  </label>
                </li>
              ))}
            </ul>
            <p className="hint">{t('data.wizard.columnsHint')}</p>
          </fieldset>
        )}
        {step === 'duration' && (
          <>
            <label>
              {t('data.wizard.duration')}
              <input
                type="number"
                min={1}
                max={maxDurationDays}
                value={state.durationDays}
                onChange={(event) => setState((s) => ({ ...s, durationDays: event.target.value }))}
              />
            </label>
            <div className="actions">
              {durationPresets.map((days) => (
                <button
                  key={days}
                  type="button"
                  className="button button-small"
                  aria-pressed={state.durationDays === String(days)}
                  onClick={() => setState((s) => ({ ...s, durationDays: String(days) }))}
                >
                  {t('data.wizard.days', { count: days })}
                </button>
              ))}
            </div>
            <fieldset className="checks">
              <legend>{t('data.wizard.download')}</legend>
              <label className="check">
                <input
                  type="radio"
                  name="wantsDownload"
                  checked={!state.wantsDownload}
                  onChange={() => setState((s) => ({ ...s, wantsDownload: false }))}
                />
                {t('data.wizard.downloadNo')}
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="wantsDownload"
                  checked={state.wantsDownload}
                  onChange={() => setState((s) => ({ ...s, wantsDownload: true }))}
                />
                {t('data.wizard.downloadYes')}
              </label>
            </fieldset>
          </>
        )}
        {step === 'review' && (
          <dl className="facts">
            <dt>{t('data.wizard.purpose')}</dt>
            <dd>
              {state.purpose && t(`data.purpose.${state.purpose}`)} — {state.purposeText}
            </dd>
            <dt>{t('data.wizard.columns')}</dt>
            <dd className="mono">{state.columns.join(', ')}</dd>
            <dt>{t('data.wizard.duration')}</dt>
            <dd>{t('data.wizard.days', { count: Number(state.durationDays) })}</dd>
            <dt>{t('data.wizard.download')}</dt>
            <dd>{state.wantsDownload ? t('data.wizard.downloadYes') : t('data.wizard.downloadNo')}</dd>
          </dl>
        )}
        {problem && (
          <div className="alert alert-error" role="alert">
            {t(`data.wizard.problem.${problem}`)}
          </div>
        )}
        <ErrorMessage error={send.error} />
        <div className="actions">
          {index > 0 ? (
            <button type="button" className="button" onClick={back}>
              {t('data.wizard.back')}
            </button>
          ) : (
            <button type="button" className="button" onClick={onCancel}>
              {t('cancel')}
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={send.isPending}>
            {step === 'review'
              ? send.isPending
                ? t('data.wizard.sending')
                : t('data.wizard.send')
              : t('data.wizard.next')}
          </button>
        </div>
      </form>
    </div>
  );
}
