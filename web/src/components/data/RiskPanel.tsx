import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { ErrorMessage, Loading, Notice } from '../Feedback';
import type { Generalisation, RiskAssessment } from './types';

/** A mask in words: "truncate birth_date to the year", "leave out district". */
export function MaskSentence({ column, mask }: { column: string; mask: Generalisation }) {
  const { t } = useTranslation();
  if (mask.kind === 'truncate-date')
    return <>{t('data.risk.mask.truncate', { column, unit: t(`data.risk.unit.${mask.unit}`) })}</>;
  if (mask.kind === 'band') return <>{t('data.risk.mask.band', { column, width: mask.width })}</>;
  return <>{t('data.risk.mask.redact', { column })}</>;
}

/** k, the unique rows and the masks that raise k, for a release (a dataset version or an agreement). */
export function RiskFiguresView({ risk }: { risk: RiskAssessment }) {
  const { t, i18n } = useTranslation();
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  return (
    <div className="risk" data-testid="risk-figures">
      <Notice kind={risk.isBelowThreshold ? 'warning' : 'success'}>
        {t(risk.isBelowThreshold ? 'data.risk.below' : 'data.risk.meets', {
          k: risk.k ?? 0,
          threshold: risk.threshold,
        })}
      </Notice>
      <dl className="facts">
        <dt>{t('data.risk.k')}</dt>
        <dd className="mono">k = {risk.k ?? '—'}</dd>
        <dt>{t('data.risk.unique')}</dt>
        <dd>
          {t('data.risk.uniqueRows', {
            unique: risk.uniqueRows,
            rows: risk.rows,
            share: percent.format(risk.uniqueShare),
          })}
        </dd>
        <dt>{t('data.risk.quasiIdentifiers')}</dt>
        <dd className="mono">{risk.quasiIdentifiers.join(', ') || '—'}</dd>
      </dl>
      {risk.masks.length > 0 && (
        <>
          <p>{t('data.risk.masksLead')}</p>
          <ol>
            {risk.masks.map((step) => (
              <li key={step.column}>
                <MaskSentence column={step.column} mask={step.mask} /> → k = {step.k ?? '—'}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

/**
 * The owner's re-identification panel for the current version (`GET /v1/datasets/{id}/risk`): shown
 * before publishing and before approving agreements.
 */
export function RiskPanel({ datasetId, versionKey }: { datasetId: string; versionKey: string }) {
  const { t } = useTranslation();
  const loaded = useLoad(
    () => get<{ restrictedColumns: string[]; risk: RiskAssessment | null }>(`/v1/datasets/${datasetId}/risk`),
    [datasetId, versionKey],
  );
  return (
    <section className="panel" aria-labelledby={`risk-${datasetId}`}>
      <h3 id={`risk-${datasetId}`}>{t('data.risk.title')}</h3>
      <ErrorMessage error={loaded.error} />
      {loaded.isLoading && <Loading />}
      {loaded.data && !loaded.data.risk && (
        <p className="hint">
          {loaded.data.restrictedColumns.length === 0
            ? t('data.risk.nothingPersonal')
            : t('data.risk.noQuasi')}
        </p>
      )}
      {loaded.data?.risk && <RiskFiguresView risk={loaded.data.risk} />}
    </section>
  );
}
