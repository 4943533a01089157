import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { Empty, ErrorMessage, Loading } from '../Feedback';
import { TableScroll } from '../TableScroll';
import { CountChart } from './CountChart';
import { formatDate } from './logic';
import { type Transfer, type TransferState, transferStates } from './types';

/** Cross-boundary transfers in the Greater Bay Area, by their state as of now, with a chart. */
export function TransfersPanel({
  orgName,
  state,
  onStateChange,
}: {
  orgName: (orgId: string | null) => string;
  state: TransferState | '';
  onStateChange: (state: TransferState | '') => void;
}) {
  const { t, i18n } = useTranslation();
  const all = useLoad(() => get<{ items: Transfer[] }>('/v1/transfers'), []);
  const items = (all.data?.items ?? []).filter((x) => !state || x.currentState === state);
  const byState = transferStates.map((s) => ({
    name: t(`community.transfers.states.${s}`),
    count: (all.data?.items ?? []).filter((x) => x.currentState === s).length,
  }));

  return (
    <div>
      <ErrorMessage error={all.error} />
      {all.isLoading && !all.data && <Loading />}
      {all.data && (
        <div className="charts">
          <CountChart
            title={t('community.transfers.chart', { count: all.data.items.length })}
            data={byState}
            label={t('community.transfers.count')}
            horizontal
          />
        </div>
      )}
      <div className="toolbar">
        <label className="toolbar-narrow">
          {t('community.transfers.state')}
          <select value={state} onChange={(event) => onStateChange(event.target.value as TransferState | '')}>
            <option value="">{t('community.transfers.anyState')}</option>
            {transferStates.map((s) => (
              <option key={s} value={s}>
                {t(`community.transfers.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {all.data && items.length === 0 && <Empty>{t('community.transfers.none')}</Empty>}
      {items.length > 0 && (
        <TableScroll label={t('community.transfers.title')}>
          <table>
            <caption className="visually-hidden">{t('community.transfers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('community.transfers.id')}</th>
                <th scope="col">{t('community.transfers.route')}</th>
                <th scope="col">{t('community.transfers.data')}</th>
                <th scope="col">{t('community.transfers.purpose')}</th>
                <th scope="col">{t('community.transfers.state')}</th>
                <th scope="col">{t('community.transfers.filingDue')}</th>
                <th scope="col">{t('community.transfers.expires')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr key={x.id}>
                  <td>
                    <code className="id">{x.id}</code>
                  </td>
                  <td>
                    {orgName(x.providerOrgId)} ({t(`location.${x.providerLocation}`)}) →{' '}
                    {orgName(x.recipientOrgId)} ({t(`location.${x.recipientLocation}`)})
                  </td>
                  <td>
                    {x.dataCategories.join(', ')}
                    <div className="meta">{x.volume}</div>
                  </td>
                  <td>{x.purpose}</td>
                  <td>
                    <span className={`badge badge-${x.currentState}`}>
                      {t(`community.transfers.states.${x.currentState}`)}
                    </span>
                    {x.reason && <div className="meta">{x.reason}</div>}
                  </td>
                  <td className="nowrap">
                    {x.filedOn
                      ? t('community.transfers.filedOn', { date: formatDate(x.filedOn, i18n.language) })
                      : x.filingDueOn
                        ? formatDate(x.filingDueOn, i18n.language)
                        : '—'}
                  </td>
                  <td className="nowrap">{formatDate(x.expiresAt, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
