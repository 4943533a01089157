import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { put } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage, Notice } from '../Feedback';
import { TableScroll } from '../TableScroll';
import { ClassificationBadge, formatDate } from './common';
import { type Classification, classifications, type Dataset } from './types';

/**
 * The provider reviews what the platform suggests for each column (with the reasons it saw) and
 * confirms: `PUT /v1/datasets/{id}/classifications`. A dataset is published only once confirmed.
 */
export function ClassificationEditor({
  dataset,
  onConfirmed,
}: {
  dataset: Dataset;
  onConfirmed: (dataset: Dataset) => void;
}) {
  const { t, i18n } = useTranslation();
  const version = dataset.currentVersion;
  const [choices, setChoices] = useState<Record<string, Classification>>(() =>
    Object.fromEntries((version?.columns ?? []).map((c) => [c.name, c.classification ?? c.suggested])),
  );
  const [descriptions, setDescriptions] = useState<Record<string, string>>(() =>
    Object.fromEntries((version?.columns ?? []).map((c) => [c.name, c.description ?? ''])),
  );
  const [quasi, setQuasi] = useState<Record<string, boolean>>(() =>
    Object.fromEntries((version?.columns ?? []).map((c) => [c.name, c.quasiIdentifier ?? false])),
  );
  const language = i18n.language.startsWith('zh') ? 'zh-HK' : 'en';
  const confirm = useAction(async () => {
    const described = Object.fromEntries(
      Object.entries(descriptions)
        .filter(([, text]) => text.trim() !== '')
        .map(([k, v]) => [k, v.trim()]),
    );
    const updated = await put<Dataset>(`/v1/datasets/${dataset.id}/classifications`, {
      columns: choices,
      quasiIdentifiers: quasi,
      ...(Object.keys(described).length > 0 ? { descriptions: described } : {}),
    });
    onConfirmed(updated);
    return updated;
  });
  if (!version) return <Notice>{t('data.classify.noVersion')}</Notice>;

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm.run();
      }}
    >
      <p className="hint">{t('data.classify.lead')}</p>
      {version.confirmedAt && (
        <Notice kind="success">
          {t('data.classify.confirmedOn', { date: formatDate(version.confirmedAt, i18n.language, true) })}
        </Notice>
      )}
      <TableScroll label={t('data.classify.caption')}>
        <table className="data-table">
          <caption className="visually-hidden">{t('data.classify.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('data.schema.column')}</th>
              <th scope="col">{t('data.schema.type')}</th>
              <th scope="col">{t('data.classify.suggested')}</th>
              <th scope="col">{t('data.classify.confirmed')}</th>
              <th scope="col">{t('data.classify.quasi')}</th>
              <th scope="col">{t('data.schema.description')}</th>
            </tr>
          </thead>
          <tbody>
            {version.columns.map((column) => (
              <tr key={column.name}>
                <th scope="row" className="mono">
                  {column.name}
                </th>
                <td className="mono">{column.type}</td>
                <td>
                  <ClassificationBadge classification={column.suggested} />
                  {(column.explanations ?? []).length > 0 && (
                    <ul className="hint reasons" aria-label={t('data.classify.why', { column: column.name })}>
                      {column.explanations.map((explanation) => (
                        <li key={explanation.en}>{explanation[language]}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <label>
                    <span className="visually-hidden">
                      {t('data.classify.classificationOf', { column: column.name })}
                    </span>
                    <select
                      value={choices[column.name] ?? column.suggested}
                      onChange={(event) =>
                        setChoices((c) => ({ ...c, [column.name]: event.target.value as Classification }))
                      }
                    >
                      {classifications.map((classification) => (
                        <option key={classification} value={classification}>
                          {t(`data.classification.${classification}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                </td>
                <td>
                  <label>
                    <span className="visually-hidden">
                      {t('data.classify.quasiOf', { column: column.name })}
                    </span>
                    <input
                      type="checkbox"
                      checked={quasi[column.name] ?? false}
                      onChange={(event) => setQuasi((q) => ({ ...q, [column.name]: event.target.checked }))}
                    />
                  </label>
                </td>
                <td>
                  <label>
                    <span className="visually-hidden">
                      {t('data.classify.descriptionOf', { column: column.name })}
                    </span>
                    <input
                      value={descriptions[column.name] ?? ''}
                      maxLength={2000}
                      onChange={(event) =>
                        setDescriptions((d) => ({ ...d, [column.name]: event.target.value }))
                      }
                    />
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ErrorMessage error={confirm.error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={confirm.isPending}>
          {confirm.isPending ? t('data.classify.confirming') : t('data.classify.confirm')}
        </button>
      </div>
    </form>
  );
}
