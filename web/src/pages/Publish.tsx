import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post } from '../api';
import { ClassificationEditor } from '../components/data/ClassificationEditor';
import { formatDate, formatNumber } from '../components/data/common';
import { RiskPanel } from '../components/data/RiskPanel';
import { type Dataset, openLicences } from '../components/data/types';
import { UploadForm } from '../components/data/UploadForm';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { TableScroll } from '../components/TableScroll';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, useMe } from '../session';

const frequencies = ['daily', 'weekly', 'monthly', 'quarterly', 'annual', 'irregular'] as const;
const steps = ['describe', 'upload', 'classify', 'publish'] as const;
type Step = (typeof steps)[number] | 'done';

export function stepOf(dataset: Dataset | undefined): Step {
  if (!dataset) return 'describe';
  if (!dataset.currentVersion) return 'upload';
  if (!dataset.currentVersion.confirmedAt) return 'classify';
  return dataset.status === 'draft' ? 'publish' : 'done';
}

const listOf = (text: string) =>
  text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');

/** Providers: describe a dataset, upload its file, confirm the column classifications, publish. */
export function Publish() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const mine = useLoad(
    () => get<{ items: Dataset[] }>('/v1/datasets', { orgId: me.organisation.id, limit: 200 }),
    [me.organisation.id],
  );
  const [current, setCurrent] = useState<Dataset>();
  const canPublish = hasKind(me, 'provider') && isAdmin(me);
  const step = stepOf(current);
  const update = (dataset: Dataset) => {
    setCurrent(dataset);
    mine.reload();
  };

  return (
    <section>
      <PageHeader title={t('data.publish.title')} lead={t('data.publish.lead')} />
      {!canPublish && <Notice kind="warning">{t('data.publish.notAllowed')}</Notice>}
      {canPublish && (
        <div className="panel">
          <ol className="wizard-steps">
            {steps.map((name, i) => (
              <li
                key={name}
                aria-current={name === step ? 'step' : undefined}
                className={
                  step === 'done' || i < steps.indexOf(step as (typeof steps)[number])
                    ? 'done'
                    : name === step
                      ? 'current'
                      : undefined
                }
              >
                <span className="wizard-step-number" aria-hidden="true">
                  {i + 1}
                </span>
                {t(`data.publish.step.${name}`)}
              </li>
            ))}
          </ol>
          {current && (
            <p className="meta">
              {t('data.publish.working', { title: current.title })} · <code>{current.slug}</code>{' '}
              <StatusBadge status={current.status} />
            </p>
          )}
          {step === 'describe' && <DescribeForm onCreated={update} />}
          {step === 'upload' && current && (
            <>
              <h2>{t('data.publish.step.upload')}</h2>
              <UploadForm datasetId={current.id} onUploaded={update} />
            </>
          )}
          {step === 'classify' && current && (
            <>
              <h2>{t('data.publish.step.classify')}</h2>
              <p>
                {t('data.publish.profiled', {
                  rows: formatNumber(current.currentVersion?.rowCount, i18n.language),
                  columns: current.currentVersion?.columns.length ?? 0,
                })}
              </p>
              <ClassificationEditor key={current.currentVersion?.id} dataset={current} onConfirmed={update} />
            </>
          )}
          {step === 'publish' && current && <PublishStep dataset={current} onPublished={update} />}
          {step === 'done' && current && (
            <>
              <Notice kind="success">
                {t('data.publish.done', { title: current.title })}{' '}
                <Link to={`/datasets/${current.id}`}>{t('data.publish.openPage')}</Link>
              </Notice>
              <button type="button" className="button" onClick={() => setCurrent(undefined)}>
                {t('data.publish.another')}
              </button>
            </>
          )}
          {current && step !== 'done' && (
            <div className="actions wizard-foot">
              <button type="button" className="button button-ghost" onClick={() => setCurrent(undefined)}>
                {t('data.publish.startOver')}
              </button>
            </div>
          )}
        </div>
      )}

      <h2>{t('data.publish.mine')}</h2>
      <ErrorMessage error={mine.error} />
      {mine.isLoading && !mine.data && <Loading />}
      {mine.data?.items.length === 0 && <Empty>{t('data.publish.none')}</Empty>}
      {mine.data && mine.data.items.length > 0 && (
        <MyDatasets items={mine.data.items} onContinue={setCurrent} canContinue={canPublish} />
      )}
    </section>
  );
}

function DescribeForm({ onCreated }: { onCreated: (dataset: Dataset) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState({
    title: '',
    slug: '',
    description: '',
    licence: 'proprietary',
    keywords: '',
    themes: '',
    updateFrequency: '',
  });
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: event.target.value }));
  const create = useAction(async () => {
    const dataset = await post<Dataset>('/v1/datasets', {
      title: form.title.trim(),
      ...(form.slug.trim() ? { slug: form.slug.trim() } : {}),
      description: form.description.trim() || null,
      licence: form.licence.trim(),
      keywords: listOf(form.keywords),
      themes: listOf(form.themes),
      updateFrequency: form.updateFrequency || null,
    });
    onCreated(dataset);
    return dataset;
  });
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void create.run();
      }}
    >
      <h2>{t('data.publish.step.describe')}</h2>
      <div className="grid-2">
        <label>
          {t('data.publish.fields.title')}
          <input required maxLength={200} value={form.title} onChange={set('title')} />
        </label>
        <div className="field">
          <label>
            {t('data.publish.fields.slug')}
            <input
              value={form.slug}
              pattern="[a-z][a-z0-9_]{0,62}"
              placeholder="harbour_bank_customers"
              onChange={set('slug')}
              aria-describedby={`${id}-slug`}
            />
          </label>
          <span id={`${id}-slug`} className="hint">
            {t('data.publish.fields.slugHint')}
          </span>
        </div>
      </div>
      <label>
        {t('data.publish.fields.description')}
        <textarea rows={3} maxLength={10_000} value={form.description} onChange={set('description')} />
      </label>
      <div className="grid-2">
        <div className="field">
          <label>
            {t('data.publish.fields.licence')}
            <input
              required
              list={`${id}-licences`}
              maxLength={100}
              value={form.licence}
              onChange={set('licence')}
              aria-describedby={`${id}-licence`}
            />
          </label>
          <datalist id={`${id}-licences`}>
            <option value="proprietary" />
            {openLicences.map((licence) => (
              <option key={licence} value={licence} />
            ))}
          </datalist>
          <span id={`${id}-licence`} className="hint">
            {t('data.publish.fields.licenceHint')}
          </span>
        </div>
        <label>
          {t('data.publish.fields.updateFrequency')}
          <select value={form.updateFrequency} onChange={set('updateFrequency')}>
            <option value="">{t('data.publish.fields.unspecified')}</option>
            {frequencies.map((frequency) => (
              <option key={frequency} value={frequency}>
                {t(`data.frequency.${frequency}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <label>
            {t('data.publish.fields.keywords')}
            <input value={form.keywords} onChange={set('keywords')} aria-describedby={`${id}-comma`} />
          </label>
          <span id={`${id}-comma`} className="hint">
            {t('data.publish.fields.commaHint')}
          </span>
        </div>
        <div className="field">
          <label>
            {t('data.publish.fields.themes')}
            <input
              value={form.themes}
              onChange={set('themes')}
              placeholder="economy, finance"
              aria-describedby={`${id}-comma`}
            />
          </label>
        </div>
      </div>
      <ErrorMessage error={create.error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {t('data.publish.create')}
        </button>
      </div>
    </form>
  );
}

function PublishStep({
  dataset,
  onPublished,
}: {
  dataset: Dataset;
  onPublished: (dataset: Dataset) => void;
}) {
  const { t } = useTranslation();
  const publish = useAction(async () =>
    onPublished(await post<Dataset>(`/v1/datasets/${dataset.id}/publish`)),
  );
  const restricted = (dataset.currentVersion?.columns ?? []).filter((column) =>
    ['personal', 'sensitive', 'identifier'].includes(column.classification ?? column.suggested),
  );
  return (
    <>
      <h2>{t('data.publish.step.publish')}</h2>
      <p>{t('data.publish.ready')}</p>
      {restricted.length > 0 ? (
        <Notice kind="warning">
          {t(
            (openLicences as readonly string[]).includes(dataset.licence)
              ? 'data.publish.restrictedOpen'
              : 'data.publish.restricted',
            { columns: restricted.map((column) => column.name).join(', '), licence: dataset.licence },
          )}
        </Notice>
      ) : (
        <Notice>{t('data.publish.unrestricted')}</Notice>
      )}
      {dataset.currentVersion && (
        <RiskPanel
          datasetId={dataset.id}
          versionKey={`${dataset.currentVersion.id}:${dataset.currentVersion.confirmedAt ?? ''}`}
        />
      )}
      <ErrorMessage error={publish.error} />
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={publish.isPending}
          onClick={() => void publish.run()}
        >
          {t('data.publish.publish')}
        </button>
        <Link className="button" to={`/datasets/${dataset.id}`}>
          {t('data.publish.preview')}
        </Link>
      </div>
    </>
  );
}

function MyDatasets({
  items,
  onContinue,
  canContinue,
}: {
  items: Dataset[];
  onContinue: (dataset: Dataset) => void;
  canContinue: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <TableScroll label={t('data.publish.mine')}>
      <table className="data-table">
        <caption className="visually-hidden">{t('data.publish.mine')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('data.publish.fields.title')}</th>
            <th scope="col">{t('data.dataset.sqlName')}</th>
            <th scope="col">{t('data.publish.status')}</th>
            <th scope="col" className="num">
              {t('data.versions.version')}
            </th>
            <th scope="col" className="num">
              {t('data.dataset.rows')}
            </th>
            <th scope="col">{t('data.dataset.updated')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('data.publish.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((dataset) => {
            const step = stepOf(dataset);
            return (
              <tr key={dataset.id}>
                <th scope="row">
                  <Link to={`/datasets/${dataset.id}`}>{dataset.title}</Link>
                </th>
                <td className="mono">{dataset.slug}</td>
                <td>
                  <StatusBadge status={dataset.status} />{' '}
                  {step !== 'done' && <span className="hint">{t(`data.publish.next.${step}`)}</span>}
                </td>
                <td className="num">{dataset.currentVersion ? `v${dataset.currentVersion.version}` : '—'}</td>
                <td className="num">{formatNumber(dataset.currentVersion?.rowCount, i18n.language)}</td>
                <td className="date">{formatDate(dataset.updatedAt, i18n.language)}</td>
                <td>
                  {step !== 'done' && canContinue && !dataset.origin && (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => {
                        onContinue(dataset);
                        window.scrollTo({ top: 0 });
                      }}
                    >
                      {t('data.publish.continue')}
                      <span className="visually-hidden"> {dataset.title}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
