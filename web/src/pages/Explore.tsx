import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { bodyOf, client } from '../api';
import type { Api, Dataset } from '../components/apihub/types';
import { loadOrgNames } from '../components/apihub/types';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/Feedback';
import { useLoad, useUrlFilters } from '../hooks';

type Kind = 'api' | 'dataset';
type Access = '' | 'open' | 'restricted';

interface Entry {
  kind: Kind;
  id: string;
  to: string;
  title: string;
  description: string | null;
  orgId: string;
  publisher: string | null;
  tags: string[];
  isOpen: boolean | null;
  facts: string[];
}

const limit = 200;

async function loadCatalogue(type: string, q: string, orgId: string) {
  const query = { limit, q: q || undefined, orgId: orgId || undefined };
  const [apis, datasets] = await Promise.all([
    type === 'dataset' ? { items: [] } : bodyOf(client.GET('/v1/apis', { params: { query } })),
    type === 'api' ? { items: [] } : bodyOf(client.GET('/v1/datasets', { params: { query } })),
  ]);
  return { apis: apis.items as Api[], datasets: datasets.items as Dataset[] };
}

/** Catalogue of the park's APIs and datasets: search, filter by type, provider, tag and access. */
export function Explore() {
  const { t } = useTranslation();
  const [params, update, setParams] = useUrlFilters({ replace: false });
  const type = params.get('type') === 'api' || params.get('type') === 'dataset' ? params.get('type') : '';
  const q = params.get('q') ?? '';
  const org = params.get('org') ?? '';
  const tag = params.get('tag') ?? '';
  const access = (
    ['open', 'restricted'].includes(params.get('access') ?? '') ? params.get('access') : ''
  ) as Access;
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const orgs = useLoad(() => loadOrgNames(), []);
  const catalogue = useLoad(() => loadCatalogue(type ?? '', q, org), [type, q, org]);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update({ q: text.trim() });
  };

  const entries = useMemo<Entry[]>(() => {
    const data = catalogue.data;
    if (!data) return [];
    const apis: Entry[] = data.apis.map((api) => ({
      kind: 'api',
      id: api.id,
      to: `/apis/${api.id}`,
      title: api.title,
      description: api.description,
      orgId: api.orgId,
      publisher: null,
      tags: [...(api.category ? [api.category] : []), ...api.tags],
      isOpen: null,
      facts: [
        t('apihub.explore.version', { version: api.currentVersion.version }),
        t('apihub.explore.operations', { count: api.operationCount }),
      ],
    }));
    const datasets: Entry[] = data.datasets.map((ds) => ({
      kind: 'dataset',
      id: ds.id,
      to: `/datasets/${ds.id}`,
      title: ds.title,
      description: ds.description,
      orgId: ds.orgId,
      publisher: ds.origin?.publisher ?? null,
      tags: [...new Set([...ds.themes, ...ds.keywords])],
      isOpen: ds.isOpen,
      facts: [ds.licence, ...(ds.updateFrequency ? [ds.updateFrequency] : [])],
    }));
    return [...apis, ...datasets];
  }, [catalogue.data, t]);

  const tagOptions = useMemo(
    () => [...new Set(entries.flatMap((e) => e.tags))].sort((a, b) => a.localeCompare(b)),
    [entries],
  );
  const providers = useMemo(
    () =>
      [...(orgs.data?.values() ?? [])]
        .filter((o) => o.kinds.includes('provider'))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [orgs.data],
  );
  const shown = entries.filter(
    (e) =>
      (!tag || e.tags.includes(tag)) &&
      (!access || (e.kind === 'dataset' && (access === 'open' ? e.isOpen : !e.isOpen))),
  );
  const hasFilters = Boolean(type || q || org || tag || access);

  return (
    <section className="explore">
      <PageHeader title={t('apihub.explore.title')} lead={t('apihub.explore.lead')} />
      <form className="toolbar explore-search" onSubmit={onSearch}>
        <label className="grow">
          {t('apihub.explore.search')}
          <input
            type="search"
            value={text}
            placeholder={t('apihub.explore.searchPlaceholder')}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <button type="submit" className="button button-primary">
          {t('search')}
        </button>
      </form>
      <div className="toolbar explore-filters">
        <label>
          {t('apihub.explore.type')}
          <select value={type ?? ''} onChange={(event) => update({ type: event.target.value, access: '' })}>
            <option value="">{t('apihub.explore.allTypes')}</option>
            <option value="api">{t('apihub.explore.apis')}</option>
            <option value="dataset">{t('apihub.explore.datasets')}</option>
          </select>
        </label>
        <label>
          {t('apihub.explore.provider')}
          <select value={org} onChange={(event) => update({ org: event.target.value })}>
            <option value="">{t('apihub.explore.allProviders')}</option>
            {providers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('apihub.explore.tag')}
          <select value={tag} onChange={(event) => update({ tag: event.target.value })}>
            <option value="">{t('apihub.explore.allTags')}</option>
            {tag && !tagOptions.includes(tag) && <option value={tag}>{tag}</option>}
            {tagOptions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {type !== 'api' && (
          <label>
            {t('apihub.explore.access')}
            <select value={access} onChange={(event) => update({ access: event.target.value })}>
              <option value="">{t('apihub.explore.anyAccess')}</option>
              <option value="open">{t('apihub.explore.open')}</option>
              <option value="restricted">{t('apihub.explore.restricted')}</option>
            </select>
          </label>
        )}
        {hasFilters && (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              setText('');
              setParams(new URLSearchParams());
            }}
          >
            {t('apihub.explore.clear')}
          </button>
        )}
      </div>
      <ErrorMessage error={catalogue.error} />
      {catalogue.isLoading && !catalogue.data && <Loading />}
      {catalogue.data && (
        <p className="meta" role="status" aria-live="polite">
          {t('apihub.explore.results', { count: shown.length })}
        </p>
      )}
      {catalogue.data && shown.length === 0 && <Empty>{t('apihub.explore.none')}</Empty>}
      <ul className="cards catalogue-cards">
        {shown.map((entry) => (
          <li key={entry.id} className="card catalogue-card">
            <div className="card-head">
              <h2>
                <Link to={entry.to}>{entry.title}</Link>
              </h2>
              <span className={`badge badge-kind-${entry.kind}`}>
                {entry.kind === 'api' ? t('apihub.explore.kindApi') : t('apihub.explore.kindDataset')}
              </span>
            </div>
            <p className="meta">
              {orgs.data?.get(entry.orgId)?.name ?? entry.publisher ?? ''}
              {entry.facts.length > 0 && ` · ${entry.facts.join(' · ')}`}
            </p>
            {entry.description && <p className="catalogue-description">{entry.description}</p>}
            <div className="chip-list">
              {entry.isOpen !== null && (
                <span className={`badge ${entry.isOpen ? 'badge-open' : 'badge-pending'}`}>
                  {entry.isOpen ? t('apihub.explore.openBadge') : t('apihub.explore.restrictedBadge')}
                </span>
              )}
              {entry.tags.slice(0, 6).map((name) => (
                <button
                  key={name}
                  type="button"
                  className="tag-chip"
                  aria-pressed={tag === name}
                  title={t('apihub.explore.filterByTag', { tag: name })}
                  onClick={() => update({ tag: tag === name ? '' : name })}
                >
                  {name}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
