import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { Empty, ErrorMessage, Loading } from '../Feedback';
import { TableScroll } from '../TableScroll';
import { CountChart } from './CountChart';
import { countBy, entriesOverTime, formatDateTime, hashPrefix } from './logic';
import type { ChainVerdict, LedgerEntry, LedgerNames } from './types';

const pageSize = 25;
const sampleSize = 200;

interface LedgerPage {
  items: LedgerEntry[];
  nextCursor: string | null;
  names?: LedgerNames;
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
/** A date typed in the form (the reader's day) as the start or end of that day, in RFC 3339. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

interface LedgerFilter {
  action: string;
  orgId: string;
  actorId: string;
  objectId: string;
  since: string;
  until: string;
}
const noFilter: LedgerFilter = { action: '', orgId: '', actorId: '', objectId: '', since: '', until: '' };

/** Where an object's id leads: its own page when the portal has one. */
function objectPath(objectType: string, objectId: string): string | undefined {
  if (objectType === 'dataset') return `/datasets/${objectId}`;
  if (objectType === 'organisation') return `/community/${objectId}`;
  if (objectType === 'api') return `/apis/${objectId}`;
  if (objectType === 'wish') return `/wishes/${objectId}`;
  return undefined;
}

export function LedgerPanel({
  orgName,
  organisations = [],
}: {
  orgName: (orgId: string | null) => string;
  /** The organisations a reader may filter by. */
  organisations?: { id: string; name: string }[];
}) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<LedgerFilter>(noFilter);
  const [filter, setFilter] = useState<LedgerFilter>(noFilter);
  const datasets = useLoad(
    () => get<{ items: { id: string; title: string }[] }>('/v1/datasets', { limit: 200 }),
    [],
  );
  // cursors[i] opens page i; page 0 is the newest.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const pageIndex = cursors.length - 1;
  const cursor = cursors[pageIndex];
  const page = useLoad(
    () =>
      get<LedgerPage>('/v1/audit', {
        limit: pageSize,
        cursor,
        action: filter.action,
        orgId: filter.orgId,
        actorId: filter.actorId,
        objectId: filter.objectId,
        since: dayBound(filter.since, false),
        until: dayBound(filter.until, true),
      }),
    [cursor, filter],
  );
  const sample = useLoad(() => get<LedgerPage>('/v1/audit', { limit: sampleSize }), []);
  const [verdict, setVerdict] = useState<ChainVerdict>();
  const verify = useAction(async () => {
    setVerdict(undefined);
    setVerdict(await get<ChainVerdict>('/v1/audit/verify'));
  });

  const applyFilter = (next: LedgerFilter) => {
    const trimmed = {
      ...next,
      action: next.action.trim(),
      actorId: next.actorId.trim(),
      objectId: next.objectId.trim(),
    };
    setDraft(trimmed);
    setFilter(trimmed);
    setCursors([undefined]);
  };
  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    applyFilter(draft);
  };
  const edit = (key: keyof LedgerFilter) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));
  const datasetItems = datasets.data?.items ?? [];
  const isDataset = datasetItems.some((d) => d.id === draft.objectId);
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
            value={draft.action}
            onChange={edit('action')}
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
        <label>
          {t('community.ledger.organisation')}
          <select value={draft.orgId} onChange={edit('orgId')}>
            <option value="">{t('community.ledger.everyOrg')}</option>
            {organisations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('community.ledger.dataset')}
          <select value={isDataset ? draft.objectId : ''} onChange={edit('objectId')}>
            <option value="">{t('community.ledger.everyDataset')}</option>
            {datasetItems.map((dataset) => (
              <option key={dataset.id} value={dataset.id}>
                {dataset.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('community.ledger.actorId')}
          <input value={draft.actorId} onChange={edit('actorId')} className="mono" spellCheck={false} />
        </label>
        <label>
          {t('community.ledger.objectId')}
          <input value={draft.objectId} onChange={edit('objectId')} className="mono" spellCheck={false} />
        </label>
        <label>
          {t('community.ledger.since')}
          <input type="date" value={draft.since} onChange={edit('since')} />
        </label>
        <label>
          {t('community.ledger.until')}
          <input type="date" value={draft.until} onChange={edit('until')} />
        </label>
        <button type="submit" className="button">
          {t('community.ledger.filter')}
        </button>
        <button type="button" className="button button-ghost" onClick={() => applyFilter(noFilter)}>
          {t('community.ledger.clear')}
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
                    <LedgerActor
                      entry={entry}
                      names={page.data?.names}
                      orgName={orgName}
                      onFilterActor={(actorId) => applyFilter({ ...filter, actorId })}
                      onFilterOrg={(orgId) => applyFilter({ ...filter, orgId })}
                    />
                  </td>
                  <td>
                    <code>{entry.action}</code>
                    {entry.reason && <div className="meta">{entry.reason}</div>}
                  </td>
                  <td>
                    {entry.objectType}
                    {entry.objectId && (
                      <ObjectId
                        objectType={entry.objectType}
                        objectId={entry.objectId}
                        onFilter={(objectId) => applyFilter({ ...filter, objectId })}
                      />
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

/**
 * Who did it, in words: the person's name and organisations, and the organisation the entry
 * concerns; each is a filter to that actor's or organisation's entries, with the id in its title.
 * Names are looked up when the page is served; an id without one (a system actor, a deleted
 * account) shows as the id itself.
 */
export function LedgerActor({
  entry,
  names,
  orgName,
  onFilterActor,
  onFilterOrg,
}: {
  entry: LedgerEntry;
  names: LedgerNames | undefined;
  orgName: (orgId: string | null) => string;
  onFilterActor: (actorId: string) => void;
  onFilterOrg: (orgId: string) => void;
}) {
  const { t } = useTranslation();
  const person = entry.actorId ? names?.people[entry.actorId] : undefined;
  const orgLabel = (orgId: string) => names?.organisations[orgId] ?? orgName(orgId);
  return (
    <>
      <span className="badge">
        {t(`community.ledger.actorTypes.${entry.actorType}`, { defaultValue: entry.actorType })}
      </span>{' '}
      {entry.actorId && (
        <button
          type="button"
          className="linklike"
          title={entry.actorId}
          aria-label={t('community.ledger.actorEntries', { name: person?.name ?? entry.actorId })}
          onClick={() => onFilterActor(entry.actorId ?? '')}
        >
          {person ? person.name : <code className="id">{entry.actorId}</code>}
        </button>
      )}
      {person && person.organisations.length > 0 && (
        <span className="meta"> ({person.organisations.map((org) => org.name).join(', ')})</span>
      )}
      <div>
        {entry.orgId ? (
          <button
            type="button"
            className="linklike"
            title={entry.orgId}
            onClick={() => onFilterOrg(entry.orgId ?? '')}
          >
            {orgLabel(entry.orgId)}
          </button>
        ) : (
          <span>{t('community.ledger.platform')}</span>
        )}
      </div>
    </>
  );
}

/** An entry's object id: to its page where the portal has one, and a filter to the object's whole history. */
function ObjectId({
  objectType,
  objectId,
  onFilter,
}: {
  objectType: string;
  objectId: string;
  onFilter: (objectId: string) => void;
}) {
  const { t } = useTranslation();
  const path = objectPath(objectType, objectId);
  return (
    <span className="ledger-object">
      {path ? (
        <Link to={path} title={objectId}>
          <code className="id">{objectId}</code>
        </Link>
      ) : (
        <code className="id" title={objectId}>
          {objectId}
        </code>
      )}{' '}
      <button
        type="button"
        className="linklike"
        aria-label={t('community.ledger.historyOf', { id: objectId })}
        onClick={() => onFilter(objectId)}
      >
        {t('community.ledger.history')}
      </button>
    </span>
  );
}
