import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { get } from '../api';
import { locations } from '../components/community/logic';
import { OrgCard } from '../components/community/OrgCard';
import { Tabs } from '../components/community/RoleTabs';
import { type DirectoryEntry, type DirectoryRole, directoryRoles } from '../components/community/types';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/Feedback';
import { useLoad, useUrlFilters } from '../hooks';
import { useMe } from '../session';

type RoleFilter = DirectoryRole | '';

/** The community directory: data partners, tech companies and regulatory advisors of the park. */
export function Community() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setFilters] = useUrlFilters({ replace: true });
  const roleParam = params.get('role') ?? '';
  const role: RoleFilter = (directoryRoles as readonly string[]).includes(roleParam)
    ? (roleParam as DirectoryRole)
    : '';
  const q = params.get('q') ?? '';
  const sector = params.get('sector') ?? '';
  const location = params.get('location') ?? '';
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const entries = useLoad(
    () => get<{ items: DirectoryEntry[] }>('/v1/directory', { role, q, sector, location }),
    [role, q, sector, location],
  );
  // Sectors to choose from: those of the whole community, whatever the other filters.
  const everyone = useLoad(() => get<{ items: DirectoryEntry[] }>('/v1/directory'), []);
  const sectors = [
    ...new Set((everyone.data?.items ?? []).map((e) => e.sector).filter((s): s is string => !!s)),
  ].sort((a, b) => a.localeCompare(b));

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ q: search.trim() });
  };
  const tabs = [
    { value: '' as RoleFilter, label: t('community.directory.all') },
    ...directoryRoles.map((r) => ({ value: r as RoleFilter, label: t(`community.rolesPlural.${r}`) })),
  ];
  const items = entries.data?.items ?? [];

  return (
    <section>
      <PageHeader title={t('community.directory.title')} lead={t('community.directory.lead')} />
      <Tabs
        label={t('community.directory.rolesLabel')}
        items={tabs}
        value={role}
        onChange={(value) => setFilters({ role: value })}
        panelId="directory-panel"
        idPrefix="directory-tab"
      />
      <div id="directory-panel" role="tabpanel" aria-labelledby={`directory-tab-${role || 'all'}`}>
        <form className="toolbar" onSubmit={onSearch}>
          <label>
            {t('community.directory.search')}
            <input
              type="search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              placeholder={t('community.directory.searchPlaceholder')}
            />
          </label>
          <button type="submit" className="button">
            {t('search')}
          </button>
          <label className="toolbar-narrow">
            {t('community.directory.sector')}
            <select value={sector} onChange={(event) => setFilters({ sector: event.target.value })}>
              <option value="">{t('community.directory.anySector')}</option>
              {sectors.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="toolbar-narrow">
            {t('community.directory.location')}
            <select value={location} onChange={(event) => setFilters({ location: event.target.value })}>
              <option value="">{t('community.directory.anyLocation')}</option>
              {locations.map((l) => (
                <option key={l} value={l}>
                  {t(`location.${l}`)}
                </option>
              ))}
            </select>
          </label>
        </form>
        <ErrorMessage error={entries.error} />
        {entries.isLoading && !entries.data && <Loading />}
        {entries.data && (
          <p className="meta" aria-live="polite">
            {t('community.directory.count', { count: items.length })}
          </p>
        )}
        {entries.data && items.length === 0 && <Empty>{t('community.directory.none')}</Empty>}
        <ul className="cards" aria-busy={entries.isLoading}>
          {items.map((entry) => (
            <OrgCard key={entry.id} entry={entry} isMine={entry.id === me.organisation.id} />
          ))}
        </ul>
      </div>
    </section>
  );
}
