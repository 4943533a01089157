import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, saveFile } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { ConfirmDialog } from '../Confirm';
import { formatDate } from '../data/common';
import { ErrorMessage } from '../Feedback';
import { TableScroll } from '../TableScroll';

export interface LabJob {
  id: string;
  orgId: string;
  spec: { name?: string; model?: { kind?: string } };
  specSha256: string;
  epsilon: number;
  delta: number;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  error: { code: string; detail: string } | null;
  modelId: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ModelCard {
  name: string;
  version: number;
  kind: string;
  target: string;
  intercept: number;
  coefficients: Record<string, number>;
  features: { column: string; lower: number; upper: number; equals?: string | number }[];
  metrics: Record<string, number>;
  privacy: Record<string, number | string>;
  datasets: { name: string; datasetId: string; versionId: string }[];
  specSha256: string;
  spec: unknown;
}

export interface LabModel {
  id: string;
  orgId: string;
  name: string;
  version: number;
  state: 'released' | 'pending-review' | 'rejected';
  card: ModelCard | null;
  createdAt: string;
  publication: { apiId: string; slug: string; isRetired: boolean } | null;
}

/** How often the jobs list is read again while a job is queued or running (the server keeps its progress). */
const pollMs = 2000;

const isLive = (job: LabJob) => job.state === 'queued' || job.state === 'running';

/**
 * A lab's training jobs and models: jobs with their state and live progress (read again every two
 * seconds while one runs) and a confirmed cancel; each model's card (coefficients by feature, the
 * noisy metrics on the held-out split, ε and δ spent, data versions, the spec and its hash), its
 * released versions and its JSON download; for the lab owner, publishing a released model as an
 * API in the hub and unpublishing it, each after a confirmation.
 */
export function ModelsPanel({
  labId,
  myOrgId,
  isOwner,
  isResearcherOnly,
}: {
  labId: string;
  myOrgId: string;
  isOwner: boolean;
  /** A researcher cancels only its organisation's jobs. */
  isResearcherOnly: boolean;
}) {
  const { t, i18n } = useTranslation();
  const jobs = useLoad(() => get<{ items: LabJob[] }>(`/v1/labs/${labId}/jobs`), [labId]);
  const models = useLoad(() => get<{ items: LabModel[] }>(`/v1/labs/${labId}/models`), [labId]);
  const [shownId, setShownId] = useState<string>();
  const [cancelling, setCancelling] = useState<LabJob>();
  const [confirming, setConfirming] = useState<'publish' | 'unpublish'>();
  const [slug, setSlug] = useState('');
  const anyLive = (jobs.data?.items ?? []).some(isLive);
  const { reload: reloadJobs } = jobs;
  const { reload: reloadModels } = models;

  // biome-ignore lint/correctness/useExhaustiveDependencies: each answer (jobs.data) arms the next read
  useEffect(() => {
    if (!anyLive) return;
    const timer = setTimeout(() => {
      reloadJobs();
      reloadModels();
    }, pollMs);
    return () => clearTimeout(timer);
  }, [anyLive, jobs.data, reloadJobs, reloadModels]);

  const cancel = useAction(async (job: LabJob) => {
    await post<LabJob>(`/v1/labs/${labId}/jobs/${job.id}/cancel`, {});
    setCancelling(undefined);
    reloadJobs();
  });
  const items = models.data?.items ?? [];
  const shown = items.find((model) => model.id === shownId) ?? items[0];
  const publish = useAction(async (model: LabModel) => {
    await post(`/v1/labs/${labId}/models/${model.id}/publish`, {
      slug: slug || model.name,
      visibility: 'public',
    });
    setConfirming(undefined);
    reloadModels();
  });
  const unpublish = useAction(async (model: LabModel) => {
    await post(`/v1/labs/${labId}/models/${model.id}/unpublish`, {});
    setConfirming(undefined);
    reloadModels();
  });
  const download = useAction(async (model: LabModel) =>
    saveFile('GET', `/v1/labs/${labId}/models/${model.id}/card.json`, { accept: 'application/json' }),
  );
  const number = (value: number) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 4 }).format(value);
  const versions = shown
    ? items.filter((model) => model.name === shown.name && model.state === 'released')
    : [];

  return (
    <section className="panel" aria-label={t('data.models.title')}>
      <h3>{t('data.models.title')}</h3>
      <ErrorMessage error={jobs.error ?? models.error} />

      <h4>{t('data.models.jobs')}</h4>
      {jobs.data && jobs.data.items.length === 0 && <p>{t('data.models.noJobs')}</p>}
      {jobs.data && jobs.data.items.length > 0 && (
        <TableScroll label={t('data.models.jobs')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('data.models.name')}</th>
                <th scope="col">{t('data.models.state')}</th>
                <th scope="col">{t('data.models.progress')}</th>
                <th scope="col">ε</th>
                <th scope="col">{t('data.models.submitted')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('data.models.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((job) => (
                <tr key={job.id}>
                  <td className="mono">{job.spec.name ?? job.id}</td>
                  <td>
                    {t(`data.models.jobState.${job.state}`)}
                    {job.error && <div className="hint">{job.error.detail}</div>}
                  </td>
                  <td>
                    <progress
                      max={1}
                      value={job.progress}
                      aria-label={t('data.models.progressOf', { name: job.spec.name ?? job.id })}
                    />{' '}
                    {Math.round(job.progress * 100)}%
                  </td>
                  <td>{number(job.epsilon)}</td>
                  <td>{formatDate(job.createdAt, i18n.language)}</td>
                  <td>
                    {isLive(job) && (!isResearcherOnly || job.orgId === myOrgId) && (
                      <button type="button" onClick={() => setCancelling(job)}>
                        {t('data.models.cancel')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ErrorMessage error={cancel.error} />

      <h4>{t('data.models.models')}</h4>
      {models.data && items.length === 0 && <p>{t('data.models.noModels')}</p>}
      {items.length > 0 && (
        <div className="toolbar">
          <label>
            {t('data.models.choose')}
            <select value={shown?.id} onChange={(event) => setShownId(event.target.value)}>
              {items.map((model) => (
                <option key={model.id} value={model.id}>
                  {`${model.name} v${model.version} · ${t(`data.models.modelState.${model.state}`)}`}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {shown && (
        <article className="model-card" aria-label={t('data.models.card', { name: shown.name })}>
          <p>
            <strong className="mono">
              {shown.name} v{shown.version}
            </strong>{' '}
            · {t(`data.models.modelState.${shown.state}`)}
            {shown.publication && (
              <>
                {' · '}
                {shown.publication.isRetired
                  ? t('data.models.retired', { slug: shown.publication.slug })
                  : t('data.models.servedAt', { slug: shown.publication.slug })}
              </>
            )}
          </p>
          {!shown.card && <p className="hint">{t('data.models.awaitingReview')}</p>}
          {shown.card && (
            <>
              <p>{t('data.models.kind', { kind: shown.card.kind, target: shown.card.target })}</p>
              <TableScroll label={t('data.models.coefficients')}>
                <table className="table">
                  <caption>{t('data.models.coefficients')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('data.models.feature')}</th>
                      <th scope="col">{t('data.models.bounds')}</th>
                      <th scope="col">{t('data.models.coefficient')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td>{t('data.models.intercept')}</td>
                      <td>—</td>
                      <td>{number(shown.card.intercept)}</td>
                    </tr>
                    {shown.card.features.map((feature) => (
                      <tr key={`${feature.column}-${String(feature.equals ?? '')}`}>
                        <td className="mono">
                          {feature.equals === undefined
                            ? feature.column
                            : `${feature.column} = ${String(feature.equals)}`}
                        </td>
                        <td>
                          {feature.equals === undefined ? `[${feature.lower}, ${feature.upper}]` : '0/1'}
                        </td>
                        <td>{number(shown.card!.coefficients[feature.column] ?? 0)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <dl className="facts">
                <dt>{t('data.models.metrics')}</dt>
                <dd>
                  {Object.entries(shown.card.metrics)
                    .map(([name, value]) => `${name} ${number(value)}`)
                    .join(' · ')}
                </dd>
                <dt>{t('data.models.privacy')}</dt>
                <dd>
                  {Object.entries(shown.card.privacy)
                    .map(([name, value]) => `${name} ${typeof value === 'number' ? number(value) : value}`)
                    .join(' · ')}
                </dd>
                <dt>{t('data.models.dataVersions')}</dt>
                <dd className="mono">
                  {shown.card.datasets.map((dataset) => `${dataset.name}@${dataset.versionId}`).join(', ')}
                </dd>
                <dt>{t('data.models.specHash')}</dt>
                <dd className="mono">{shown.card.specSha256}</dd>
              </dl>
              <details>
                <summary>{t('data.models.spec')}</summary>
                <pre className="mono">{JSON.stringify(shown.card.spec, null, 2)}</pre>
              </details>
              {versions.length > 0 && (
                <p>
                  {t('data.models.versions')}{' '}
                  {versions
                    .map((model) => `v${model.version} (${formatDate(model.createdAt, i18n.language)})`)
                    .join(', ')}
                </p>
              )}
            </>
          )}
          <div className="toolbar">
            {shown.state === 'released' && (
              <button type="button" onClick={() => void download.run(shown)}>
                {t('data.models.download')}
              </button>
            )}
            {isOwner && shown.state === 'released' && !shown.publication && (
              <>
                <label>
                  {t('data.models.slug')}
                  <input
                    value={slug}
                    placeholder={shown.name}
                    pattern="[a-z0-9]+(-[a-z0-9]+)*"
                    onChange={(event) => setSlug(event.target.value)}
                  />
                </label>
                <button type="button" onClick={() => setConfirming('publish')}>
                  {t('data.models.publish')}
                </button>
              </>
            )}
            {isOwner && shown.publication && !shown.publication.isRetired && (
              <button type="button" onClick={() => setConfirming('unpublish')}>
                {t('data.models.unpublish')}
              </button>
            )}
          </div>
          <ErrorMessage error={download.error ?? publish.error ?? unpublish.error} />
        </article>
      )}

      <ConfirmDialog
        open={cancelling !== undefined}
        title={t('data.models.cancelTitle', { name: cancelling?.spec.name ?? '' })}
        consequence={t('data.models.cancelConsequence', {
          epsilon: cancelling ? number(cancelling.epsilon) : '',
        })}
        confirmLabel={t('data.models.cancelConfirm')}
        isPending={cancel.isPending}
        onConfirm={() => cancelling && void cancel.run(cancelling)}
        onCancel={() => setCancelling(undefined)}
      />
      <ConfirmDialog
        open={confirming === 'publish' && shown !== undefined}
        title={t('data.models.publishTitle', { name: shown?.name ?? '' })}
        consequence={t('data.models.publishConsequence', { slug: slug || shown?.name || '' })}
        confirmLabel={t('data.models.publishConfirm')}
        isPending={publish.isPending}
        onConfirm={() => shown && void publish.run(shown)}
        onCancel={() => setConfirming(undefined)}
      />
      <ConfirmDialog
        open={confirming === 'unpublish' && shown?.publication !== undefined}
        title={t('data.models.unpublishTitle', { slug: shown?.publication?.slug ?? '' })}
        consequence={t('data.models.unpublishConsequence', { slug: shown?.publication?.slug ?? '' })}
        confirmLabel={t('data.models.unpublishConfirm')}
        isPending={unpublish.isPending}
        onConfirm={() => shown && void unpublish.run(shown)}
        onCancel={() => setConfirming(undefined)}
      />
    </section>
  );
}
