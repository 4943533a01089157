import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { Empty, ErrorMessage, Loading } from '../Feedback';
import { TableScroll } from '../TableScroll';
import { formatDate, formatNumber } from './common';

export interface AccessEvent {
  seq: number;
  at: string;
  action: string;
  org: { id: string; name: string | null };
  via: string | null;
  agreementId: string | null;
  rows: number | null;
  columns: string[] | null;
  refusal: { code: string; count: number } | null;
}

/**
 * Who read a dataset, newest first, from the ledger: the organisation, how (a query through an
 * agreement, a download, a share, the lab), when, rows and columns, and refused attempts. For the
 * dataset's owner, regulators and operators.
 */
export function AccessHistory({ datasetId }: { datasetId: string }) {
  const { t, i18n } = useTranslation();
  const history = useLoad(
    () => get<{ items: AccessEvent[] }>(`/v1/regulator/datasets/${datasetId}/access`, { limit: 100 }),
    [datasetId],
  );
  const items = history.data?.items ?? [];
  return (
    <section aria-labelledby="access-history">
      <h2 id="access-history">{t('data.history.title')}</h2>
      <p className="meta">{t('data.history.lead')}</p>
      <ErrorMessage error={history.error} />
      {history.isLoading && !history.data && <Loading />}
      {history.data && items.length === 0 && <Empty>{t('data.history.none')}</Empty>}
      {items.length > 0 && (
        <TableScroll label={t('data.history.title')}>
          <table className="data-table">
            <caption className="visually-hidden">{t('data.history.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.history.when')}</th>
                <th scope="col">{t('data.history.who')}</th>
                <th scope="col">{t('data.history.what')}</th>
                <th scope="col">{t('data.history.agreement')}</th>
                <th scope="col" className="num">
                  {t('data.history.rows')}
                </th>
                <th scope="col">{t('data.history.columns')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => (
                <tr key={event.seq}>
                  <td className="date">{formatDate(event.at, i18n.language, true)}</td>
                  <td>{event.org.name ?? event.org.id}</td>
                  <td>
                    {event.refusal
                      ? t('data.history.refused', { code: event.refusal.code, count: event.refusal.count })
                      : t(`data.history.actions.${event.action}`, { defaultValue: event.action })}
                  </td>
                  <td className="mono">{event.agreementId ?? '—'}</td>
                  <td className="num">
                    {event.rows === null ? '—' : formatNumber(event.rows, i18n.language)}
                  </td>
                  <td>{event.columns?.join(', ') ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
