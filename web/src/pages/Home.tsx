import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../api';
import { PageHeader } from '../components/Feedback';
import { PendingWork } from '../components/PendingWork';
import { useLoad } from '../hooks';
import { hasKind, type Me, useMe } from '../session';

interface Counts {
  apis: number;
  datasets: number;
  agreements: number;
  pendingRequests: number;
  wishes: number;
  applications: number;
}

const countOf = (path: string, query: Record<string, string | number> = {}) =>
  get<{ items: unknown[] }>(path, { limit: 100, ...query })
    .then((page) => page.items.length)
    .catch(() => 0);

async function loadCounts(me: Me): Promise<Counts> {
  const isProvider = hasKind(me, 'provider');
  const [apis, datasets, agreements, pendingRequests, wishes, applications] = await Promise.all([
    countOf('/v1/apis'),
    countOf('/v1/datasets'),
    hasKind(me, 'regulator') ? Promise.resolve(0) : countOf('/v1/agreements'),
    isProvider ? countOf('/v1/access-requests', { state: 'pending' }) : Promise.resolve(0),
    countOf('/v1/wishes', { status: 'open' }),
    hasKind(me, 'operator') ? countOf('/v1/orgs', { status: 'pending' }) : Promise.resolve(0),
  ]);
  return { apis, datasets, agreements, pendingRequests, wishes, applications };
}

/** The landing page: where the caller stands, and the next thing to do for its role. */
export function Home() {
  const me = useMe();
  const { t } = useTranslation();
  const counts = useLoad(() => loadCounts(me), [me.organisation.id]);
  const c = counts.data;
  const tiles: { to: string; label: string; value: number | undefined }[] = [
    { to: '/explore?type=api', label: t('home.apis'), value: c?.apis },
    { to: '/explore?type=dataset', label: t('home.datasets'), value: c?.datasets },
    { to: '/wishes', label: t('home.openWishes'), value: c?.wishes },
  ];
  if (!hasKind(me, 'regulator'))
    tiles.push({ to: '/agreements', label: t('home.agreements'), value: c?.agreements });
  if (hasKind(me, 'provider'))
    tiles.push({ to: '/requests', label: t('home.pendingRequests'), value: c?.pendingRequests });
  if (hasKind(me, 'operator'))
    tiles.push({ to: '/admin/applications', label: t('portal.home.applications'), value: c?.applications });

  return (
    <section>
      <PageHeader
        title={t('home.title', { name: me.user.name })}
        lead={t('home.lead', { org: me.organisation.name, role: t(`role.${me.role}`) })}
      />
      <ul className="tiles">
        {tiles.map((tile) => (
          <li key={tile.to}>
            <Link to={tile.to} className="tile">
              <span className="tile-value">{tile.value ?? '…'}</span>
              <span className="tile-label">{tile.label}</span>
            </Link>
          </li>
        ))}
      </ul>
      <PendingWork me={me} />
      <h2>{t('home.next')}</h2>
      <ul className="next-steps">
        {hasKind(me, 'consumer') && (
          <li>
            <Link to="/explore">{t('home.stepExplore')}</Link>
          </li>
        )}
        {hasKind(me, 'provider') && (
          <li>
            <Link to="/publish">{t('home.stepPublish')}</Link>
          </li>
        )}
        {hasKind(me, 'regulator') && (
          <li>
            <Link to="/regulator">{t('home.stepRegulator')}</Link>
          </li>
        )}
        <li>
          <Link to="/wishes">{t('home.stepWish')}</Link>
        </li>
        <li>
          <Link to="/community">{t('home.stepCommunity')}</Link>
        </li>
      </ul>
    </section>
  );
}
