import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { Empty, ErrorMessage, Loading } from '../Feedback';
import { TableScroll } from '../TableScroll';
import { CountChart } from './CountChart';
import { countBy, entriesOverTime, formatDateTime, hashPrefix } from './logic';
import type { ChainVerdict, LedgerEntry } from './types';

const pageSize = 25;
const sampleSize = 200;

interface LedgerPage {
  items: LedgerEntry[];
  nextCursor: string | null;
}

/** The outcome of recomputing the chain, said plainly: sound (how many, which head) or where it broke. */
export function VerifyVerdict({ verdict }: { verdict: ChainVerdict }) {
  const { t } = useTranslation();
  if (verdict.ok) {
    return (
      <div className="alert alert-success verdict" role="status">
        <strong>{t('community.ledger.verified')}</strong>
        <span> {t('community.ledger.verifiedDetail', { count: verdict.count })}</span>
        {verdict.headHash && (
          <span className="verdict-head">
            {t('community.ledger.head', { seq: verdict.headSeq ?? verdict.count })}{' '}
            <code className="hash">{verdict.headHash}</code>
          </span>
        )}
      </div>
    );
  }
  return (
    <div className="alert alert-error verdict" role="alert">
      <strong>{t('community.ledger.broken', { seq: verdict.brokenSeq ?? '?' })}</strong>
      <span> {t('community.ledger.brokenDetail', { count: verdict.count })}</span>
      {(verdict.problem || verdict.detail) && (
        <span className="verdict-head">
          {verdict.problem && <code className="alert-code">{verdict.problem}</code>} {verdict.detail}
        </span>
      )}
    </div>
  );
}

/** The evidence ledger: a paged table, a verification of the whole chain, and what it holds. */
export function LedgerPanel({ orgName }: { orgName: (orgId: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState('');
  // cursors[i] opens page i; page 0 is the newest.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const pageIndex = cursors.length - 1;
  const cursor = cursors[pageIndex];
  const page = useLoad(
    () => get<LedgerPage>('/v1/audit', { limit: pageSize, cursor, action: filter }),
    [cursor, filter],
  );
  const sample = useLoad(() => get<LedgerPage>('/v1/audit', { limit: sampleSize }), []);
  const [verdict, setVerdict] = useState<ChainVerdict>();
  const verify = useAction(async () => {
    setVerdict(undefined);
    setVerdict(await get<ChainVerdict>('/v1/audit/verify'));
  });

  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    setFilter(action.trim());
    setCursors([undefined]);
  };
  const sampleItems = sample.data?.items ?? [];
  const byAction = countBy(sampleItems, (e) => e.action, {
    top: 12,
    otherLabel: t('community.ledger.otherActions'),
  });
  const overTime = entriesOverTime(sampleItems);
  const byOrg = countBy(sampleItems, (e) => (e.orgId ? orgName(e.orgId) : t('community.ledger.platform')), {
    top: 10,
    otherLabel: t('community.ledger.otherOrgs'),
  });

  return (
    <div className="ledger">
      <section className="panel verify-panel" aria-labelledby="verify-title">
        <h2 id="verify-title">{t('community.ledger.verifyTitle')}</h2>
        <p className="hint">{t('community.ledger.verifyLead')}</p>
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={verify.isPending}
            onClick={() => void verify.run()}
          >
            {verify.isPending ? t('community.ledger.verifying') : t('community.ledger.verify')}
          </button>
        </div>
        <div aria-live="polite">{verdict && <VerifyVerdict verdict={verdict} />}</div>
        <ErrorMessage error={verify.error} />
      </section>

      <h2>{t('community.ledger.chartsTitle')}</h2>
      <ErrorMessage error={sample.error} />
      {sampleItems.length > 0 && (
        <div className="charts">
          <CountChart
            title={t('community.ledger.byAction', { count: sampleItems.length })}
            data={byAction}
            label={t('community.ledger.entries')}
            horizontal
          />
          <CountChart
            title={t('community.ledger.byOrg', { count: sampleItems.length })}
            data={byOrg}
            label={t('community.ledger.entries')}
            horizontal
          />
          {/* Over time only when there is more than one bar to compare. */}
          {overTime.rows.length > 1 && (
            <CountChart
              title={
                overTime.unit === 'day'
                  ? t('community.ledger.perDay', { count: sampleItems.length })
                  : t('community.ledger.perHour', { count: sampleItems.length, day: overTime.day })
              }
              data={overTime.rows}
              label={t('community.ledger.entries')}
            />
          )}
        </div>
      )}

      <h2>{t('community.ledger.entriesTitle')}</h2>
      <form className="toolbar" onSubmit={onFilter}>
        <label>
          {t('community.ledger.action')}
          <input
            value={action}
            onChange={(event) => setAction(event.target.value)}
            placeholder={t('community.ledger.actionPlaceholder')}
            list="ledger-actions"
          />
          <datalist id="ledger-actions">
            {byAction
              .filter((row) => row.name !== t('community.ledger.otherActions'))
              .map((row) => (
                <option key={row.name} value={row.name} />
              ))}
          </datalist>
        </label>
        <button type="submit" className="button">
          {t('community.ledger.filter')}
        </button>
      </form>
      <ErrorMessage error={page.error} />
      {page.isLoading && !page.data && <Loading />}
      {page.data && page.data.items.length === 0 && <Empty>{t('community.ledger.none')}</Empty>}
      {page.data && page.data.items.length > 0 && (
        <TableScroll label={t('community.ledger.entriesTitle')}>
          <table>
            <caption className="visually-hidden">{t('community.ledger.entriesTitle')}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('community.ledger.seq')}
                </th>
                <th scope="col">{t('community.ledger.time')}</th>
                <th scope="col">{t('community.ledger.actor')}</th>
                <th scope="col">{t('community.ledger.action')}</th>
                <th scope="col">{t('community.ledger.object')}</th>
                <th scope="col">{t('community.ledger.decision')}</th>
                <th scope="col">{t('community.ledger.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((entry) => (
                <tr key={entry.seq}>
                  <td className="num">{entry.seq}</td>
                  <td className="nowrap">
                    <time dateTime={entry.at} title={entry.at}>
                      {formatDateTime(entry.at, i18n.language, 'short')}
                    </time>
                  </td>
                  <td className="ledger-actor">
                    <span className="badge">{entry.actorType}</span>{' '}
                    <span title={entry.actorId ?? undefined}>
                      {entry.orgId ? orgName(entry.orgId) : (entry.actorId ?? '—')}
                    </span>
                  </td>
                  <td>
                    <code>{entry.action}</code>
                    {entry.reason && <div className="meta">{entry.reason}</div>}
                  </td>
                  <td>
                    {entry.objectType}
                    {entry.objectId && (
                      <code className="id" title={entry.objectId}>
                        {entry.objectId}
                      </code>
                    )}
                  </td>
                  <td>
                    <span className={`badge badge-decision-${entry.decision}`}>
                      {t(`community.ledger.decisions.${entry.decision}`, { defaultValue: entry.decision })}
                    </span>
                  </td>
                  <td>
                    <code className="hash" title={entry.hash}>
                      {hashPrefix(entry.hash)}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <div className="actions pager">
        <button
          type="button"
          className="button"
          disabled={pageIndex === 0 || page.isLoading}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('community.ledger.newer')}
        </button>
        <span className="meta">{t('community.ledger.page', { page: pageIndex + 1 })}</span>
        <button
          type="button"
          className="button"
          disabled={!page.data?.nextCursor || page.isLoading}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
        >
          {t('community.ledger.older')}
        </button>
      </div>
    </div>
  );
}
