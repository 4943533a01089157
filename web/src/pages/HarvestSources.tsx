import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, type Page, post } from '../api';
import { ConfirmDialog } from '../components/Confirm';
import { formatDate, formatNumber } from '../components/data/common';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, useMe } from '../session';

export const harvestKinds = ['ckan', 'dcat'] as const;
export type HarvestKind = (typeof harvestKinds)[number];

export interface HarvestSource {
  id: string;
  orgId: string;
  kind: HarvestKind;
  name: string;
  url: string;
  intervalHours: number | null;
  status: 'active' | 'disabled';
  nextRunAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface HarvestRun {
  id: string;
  sourceId: string;
  trigger: 'manual' | 'schedule';
  status: 'running' | 'succeeded' | 'failed';
  isComplete: boolean;
  counts: { new: number; changed: number; unchanged: number; withdrawn: number; failed: number };
  failures: { record: string; reason: string }[];
  progress: { pages: number; fetched: number; total: number | null };
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** How often a running run's progress is read again. */
const pollMs = 2_000;
/** Failed records shown under a run; the count of all of them is exact. */
const failuresShown = 5;

/** A provider's harvest sources: catalogues whose dataset records are imported, and how each run went. */
export function HarvestSources() {
  const { t } = useTranslation();
  const me = useMe();
  const canManage = (hasKind(me, 'provider') || hasKind(me, 'operator')) && isAdmin(me);
  const sources = useLoad(
    () => get<Page<HarvestSource>>('/v1/harvest-sources', { limit: 100 }),
    [me.organisation.id],
  );
  const items = sources.data?.items ?? [];
  return (
    <section>
      <PageHeader title={t('portal.harvest.title')} lead={t('portal.harvest.lead')} />
      {canManage ? (
        <HarvestSourceForm onCreated={() => sources.reload()} />
      ) : (
        <Notice>{t('portal.harvest.adminsOnly')}</Notice>
      )}
      <h2>{t('portal.harvest.sources')}</h2>
      <ErrorMessage error={sources.error} />
      {sources.isLoading && !sources.data && <Loading />}
      {sources.data && items.length === 0 && <Empty>{t('portal.harvest.none')}</Empty>}
      <ul className="cards cards-wide">
        {items.map((source) => (
          <HarvestSourceCard
            key={source.id}
            source={source}
            canManage={canManage}
            onRemoved={() => sources.reload()}
          />
        ))}
      </ul>
    </section>
  );
}

/** A new source: what kind of catalogue, its name and address, and how often it is read. */
export function HarvestSourceForm({ onCreated }: { onCreated: (source: HarvestSource) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<HarvestKind>('ckan');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [interval, setIntervalHours] = useState('');
  const create = useAction(async () => {
    const created = await post<HarvestSource>('/v1/harvest-sources', {
      kind,
      name: name.trim(),
      url: url.trim(),
      intervalHours: interval ? Number(interval) : null,
    });
    setName('');
    setUrl('');
    setIntervalHours('');
    onCreated(created);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <form className="form panel" onSubmit={submit} aria-labelledby="harvest-form-title">
      <h2 id="harvest-form-title">{t('portal.harvest.add')}</h2>
      <label htmlFor="harvest-kind">{t('portal.harvest.kind')}</label>
      <select id="harvest-kind" value={kind} onChange={(event) => setKind(event.target.value as HarvestKind)}>
        {harvestKinds.map((value) => (
          <option key={value} value={value}>
            {t(`portal.harvest.kinds.${value}`)}
          </option>
        ))}
      </select>
      <label htmlFor="harvest-name">{t('portal.harvest.name')}</label>
      <input
        id="harvest-name"
        required
        maxLength={200}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <label htmlFor="harvest-url">{t('portal.harvest.url')}</label>
      <input
        id="harvest-url"
        type="url"
        required
        maxLength={2000}
        value={url}
        aria-describedby="harvest-url-hint"
        placeholder={
          kind === 'ckan' ? 'https://data.example.gov.hk' : 'https://data.example.gov.hk/catalog.jsonld'
        }
        onChange={(event) => setUrl(event.target.value)}
      />
      <p id="harvest-url-hint" className="hint">
        {t(`portal.harvest.urlHint.${kind}`)}
      </p>
      <label htmlFor="harvest-interval">{t('portal.harvest.interval')}</label>
      <input
        id="harvest-interval"
        type="number"
        min={1}
        max={8760}
        step={1}
        value={interval}
        aria-describedby="harvest-interval-hint"
        onChange={(event) => setIntervalHours(event.target.value)}
      />
      <p id="harvest-interval-hint" className="hint">
        {t('portal.harvest.intervalHint')}
      </p>
      <button
        type="submit"
        className="button button-primary"
        disabled={!name.trim() || !url.trim() || create.isPending}
      >
        {t('portal.harvest.create')}
      </button>
      <ErrorMessage error={create.error} />
    </form>
  );
}

/** One source: its schedule, its last run's counts and errors; run it now or remove it. */
export function HarvestSourceCard({
  source,
  canManage,
  onRemoved,
}: {
  source: HarvestSource;
  canManage: boolean;
  onRemoved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const runs = useLoad(
    () => get<{ items: HarvestRun[] }>(`/v1/harvest-sources/${source.id}/runs`, { limit: 1 }),
    [source.id],
  );
  const last = runs.data?.items[0];
  const isRunning = last?.status === 'running';
  const { reload } = runs;
  // A run in progress is read again until it ends, so its counts and its outcome appear on their own.
  useEffect(() => {
    if (!isRunning) return;
    const timer = window.setInterval(reload, pollMs);
    return () => window.clearInterval(timer);
  }, [isRunning, reload]);
  const [isConfirming, setConfirming] = useState(false);
  const start = useAction(async () => {
    await post<HarvestRun>(`/v1/harvest-sources/${source.id}/runs?wait=false`);
    reload();
  });
  const remove = useAction(async () => {
    try {
      await del(`/v1/harvest-sources/${source.id}`);
    } finally {
      setConfirming(false);
    }
    onRemoved();
  });
  const isActive = source.status === 'active';
  const headingId = `harvest-${source.id}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>{source.name}</h3>
        <StatusBadge status={source.status} />
      </div>
      <p className="meta mono break-anywhere">{source.url}</p>
      <dl className="facts">
        <dt>{t('portal.harvest.kind')}</dt>
        <dd>{t(`portal.harvest.kinds.${source.kind}`)}</dd>
        <dt>{t('portal.harvest.schedule')}</dt>
        <dd>
          {source.intervalHours === null
            ? t('portal.harvest.manualOnly')
            : t('portal.harvest.every', { count: source.intervalHours })}
        </dd>
        {isActive && source.nextRunAt && (
          <>
            <dt>{t('portal.harvest.nextRun')}</dt>
            <dd>{formatDate(source.nextRunAt, i18n.language, true)}</dd>
          </>
        )}
      </dl>
      <h4>{t('portal.harvest.lastRun')}</h4>
      <ErrorMessage error={runs.error} />
      {runs.isLoading && !runs.data && <Loading />}
      {runs.data && !last && <Empty>{t('portal.harvest.neverRun')}</Empty>}
      {last && <RunReport run={last} />}
      {canManage && isActive && (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={isRunning || start.isPending}
            onClick={() => void start.run()}
          >
            {isRunning ? t('portal.harvest.running') : t('portal.harvest.runNow')}
          </button>
          <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
            {t('portal.harvest.remove')}
          </button>
        </div>
      )}
      <ErrorMessage error={start.error ?? remove.error} />
      <ConfirmDialog
        open={isConfirming}
        title={t('portal.harvest.removeTitle', { name: source.name })}
        consequence={<p>{t('portal.harvest.removeConsequence')}</p>}
        confirmLabel={t('portal.harvest.removeConfirm')}
        isPending={remove.isPending}
        onConfirm={() => void remove.run()}
        onCancel={() => setConfirming(false)}
      />
    </li>
  );
}

const runLook: Record<HarvestRun['status'], string> = {
  running: 'pending',
  succeeded: 'approved',
  failed: 'rejected',
};

/** A run's outcome: when, how many records were new, changed, withdrawn or failed, and why it stopped. */
export function RunReport({ run }: { run: HarvestRun }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  return (
    <div className="run-report">
      <p className="meta">
        <span className={`badge badge-${runLook[run.status]}`}>
          {t(`portal.harvest.runStates.${run.status}`)}
        </span>{' '}
        {t(`portal.harvest.triggers.${run.trigger}`, {
          when: formatDate(run.startedAt, i18n.language, true),
        })}
        {run.finishedAt &&
          ` · ${t('portal.harvest.finished', { when: formatDate(run.finishedAt, i18n.language, true) })}`}
      </p>
      {run.status === 'running' ? (
        <p>
          {run.progress.total === null
            ? t('portal.harvest.progress', { fetched: n(run.progress.fetched) })
            : t('portal.harvest.progressOf', {
                fetched: n(run.progress.fetched),
                total: n(run.progress.total),
              })}
        </p>
      ) : (
        <dl className="facts">
          <dt>{t('portal.harvest.counts.new')}</dt>
          <dd>{n(run.counts.new)}</dd>
          <dt>{t('portal.harvest.counts.changed')}</dt>
          <dd>{n(run.counts.changed)}</dd>
          <dt>{t('portal.harvest.counts.unchanged')}</dt>
          <dd>{n(run.counts.unchanged)}</dd>
          <dt>{t('portal.harvest.counts.withdrawn')}</dt>
          <dd>{n(run.counts.withdrawn)}</dd>
          <dt>{t('portal.harvest.counts.failed')}</dt>
          <dd>{n(run.counts.failed)}</dd>
        </dl>
      )}
      {run.error && (
        <Notice kind="warning">
          <div>{t('portal.harvest.stopped', { error: run.error })}</div>
          {!run.isComplete && <div>{t('portal.harvest.incomplete')}</div>}
        </Notice>
      )}
      {run.failures.length > 0 && (
        <>
          <p className="meta">
            {t('portal.harvest.failuresShown', {
              shown: Math.min(failuresShown, run.failures.length),
              count: run.counts.failed,
            })}
          </p>
          <ul className="plain-list">
            {run.failures.slice(0, failuresShown).map((failure) => (
              <li key={failure.record} className="break-anywhere">
                <span className="mono">{failure.record}</span>: {failure.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
