import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { bodyOf, client, get } from '../api';
import { useLoad } from '../hooks';
import { hasKind, type Me } from '../session';
import { formatDate } from './data/common';
import { ErrorMessage, Loading, StatusBadge } from './Feedback';

/** One thing that waits: what it is, its state, since when, and where to act on it. */
export interface WorkItem {
  id: string;
  /** Its words: a key under `portal.work` and the names that fill it. */
  text: [key: string, values: Record<string, string | undefined>];
  state: string;
  since: string;
  to: string;
}

export interface WorkGroup {
  key: 'sentRequests' | 'sentSubscriptions' | 'receivedRequests' | 'receivedSubscriptions' | 'applications';
  items: WorkItem[];
  /** Where the whole list lives. */
  to: string;
}

/** How many of a consumer's decided requests and subscriptions stay on the home page beside the waiting ones. */
const recentDecided = 3;

/** Waiting first (oldest first: it has waited longest), then the latest decisions. */
export function waitingFirst<T extends { state: string; createdAt: string; updatedAt: string }>(
  items: T[],
  keepDecided = recentDecided,
): T[] {
  const waiting = items
    .filter((item) => item.state === 'pending')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const decided = items
    .filter((item) => item.state !== 'pending')
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, keepDecided);
  return [...waiting, ...decided];
}

async function namesOf<T>(ids: string[], load: (id: string) => Promise<T>, name: (found: T) => string) {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => load(id).then(name, () => id)));
  return new Map(unique.map((id, i) => [id, found[i]!]));
}

/**
 * Everything that waits on someone, for the caller's organisation: what it asked for and its state
 * (consumers), what others ask of it (providers), and organisations waiting to join (operators).
 */
async function loadWork(me: Me) {
  const groups: WorkGroup[] = [];
  const isConsumer = hasKind(me, 'consumer');
  const isProvider = hasKind(me, 'provider');
  const [sentRequests, sentSubscriptions, receivedRequests, receivedSubscriptions, applications] =
    await Promise.all([
      isConsumer
        ? bodyOf(client.GET('/v1/access-requests', { params: { query: { as: 'consumer' } } }))
        : { items: [] },
      isConsumer
        ? bodyOf(client.GET('/v1/subscriptions', { params: { query: { as: 'consumer' } } }))
        : { items: [] },
      isProvider
        ? bodyOf(
            client.GET('/v1/access-requests', { params: { query: { as: 'provider', state: 'pending' } } }),
          )
        : { items: [] },
      isProvider
        ? bodyOf(client.GET('/v1/subscriptions', { params: { query: { as: 'provider', state: 'pending' } } }))
        : { items: [] },
      hasKind(me, 'operator')
        ? get<{ items: { id: string; name: string; createdAt: string; status: string }[] }>('/v1/orgs', {
            status: 'pending',
            limit: 100,
          })
        : { items: [] },
    ]);
  const requests = [...waitingFirst(sentRequests.items), ...receivedRequests.items];
  const subscriptions = [...waitingFirst(sentSubscriptions.items), ...receivedSubscriptions.items];
  const [datasets, apis, orgs] = await Promise.all([
    namesOf(
      requests.map((r) => r.datasetId),
      (datasetId) => bodyOf(client.GET('/v1/datasets/{datasetId}', { params: { path: { datasetId } } })),
      (d) => d.title,
    ),
    namesOf(
      subscriptions.map((s) => s.apiId),
      (apiId) => bodyOf(client.GET('/v1/apis/{apiId}', { params: { path: { apiId } } })),
      (a) => a.title,
    ),
    namesOf(
      [
        ...requests.map((r) => (r.orgId === me.organisation.id ? r.providerOrgId : r.orgId)),
        ...subscriptions.map((s) => (s.orgId === me.organisation.id ? s.providerOrgId : s.orgId)),
      ],
      (id) => get<{ name: string }>(`/v1/orgs/${id}`),
      (o) => o.name,
    ),
  ]);
  if (isConsumer) {
    groups.push({
      key: 'sentRequests',
      to: '/agreements',
      items: waitingFirst(sentRequests.items).map((r) => ({
        id: r.id,
        text: [
          'sentRequest',
          {
            dataset: datasets.get(r.datasetId),
            provider: orgs.get(r.providerOrgId),
          },
        ],
        state: r.state,
        since: r.state === 'pending' ? r.createdAt : r.updatedAt,
        to: `/datasets/${r.datasetId}`,
      })),
    });
    groups.push({
      key: 'sentSubscriptions',
      to: '/credentials',
      items: waitingFirst(sentSubscriptions.items).map((s) => ({
        id: s.id,
        text: ['sentSubscription', { api: apis.get(s.apiId), provider: orgs.get(s.providerOrgId) }],
        state: s.state,
        since: s.state === 'pending' ? s.createdAt : s.updatedAt,
        to: '/credentials',
      })),
    });
  }
  if (isProvider) {
    groups.push({
      key: 'receivedRequests',
      to: '/requests',
      items: receivedRequests.items.map((r) => ({
        id: r.id,
        text: ['receivedRequest', { consumer: orgs.get(r.orgId), dataset: datasets.get(r.datasetId) }],
        state: r.state,
        since: r.createdAt,
        to: '/requests',
      })),
    });
    groups.push({
      key: 'receivedSubscriptions',
      to: '/credentials',
      items: receivedSubscriptions.items.map((s) => ({
        id: s.id,
        text: ['receivedSubscription', { consumer: orgs.get(s.orgId), api: apis.get(s.apiId) }],
        state: s.state,
        since: s.createdAt,
        to: '/credentials',
      })),
    });
  }
  if (hasKind(me, 'operator')) {
    groups.push({
      key: 'applications',
      to: '/admin/applications',
      items: applications.items.map((org) => ({
        id: org.id,
        text: ['application', { org: org.name }],
        state: org.status,
        since: org.createdAt,
        to: '/admin/applications',
      })),
    });
  }
  return groups;
}

/** The home page's "waiting" section: each party's own pending work, with states and links. */
export function PendingWork({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const work = useLoad(() => loadWork(me), [me.organisation.id]);
  if (work.data?.length === 0) return null;
  return (
    <section className="pending-work" aria-labelledby="pending-work-title">
      <h2 id="pending-work-title">{t('portal.work.title')}</h2>
      <ErrorMessage error={work.error} />
      {work.isLoading && !work.data && <Loading />}
      <div className="pending-groups">
        {work.data?.map((group) => {
          const waiting = group.items.filter((item) => item.state === 'pending').length;
          return (
            <section key={group.key} className="panel" aria-labelledby={`work-${group.key}`}>
              <h3 id={`work-${group.key}`}>
                {t(`portal.work.${group.key}`)} <span className="badge">{waiting}</span>
              </h3>
              {group.items.length === 0 ? (
                <p className="hint">{t(`portal.work.none.${group.key}`)}</p>
              ) : (
                <ul className="work-list">
                  {group.items.map((item) => (
                    <li key={item.id} className="work-item">
                      <Link to={item.to}>{t(`portal.work.${item.text[0]}`, item.text[1])}</Link>{' '}
                      <StatusBadge status={item.state} />{' '}
                      <span className="meta">
                        <time dateTime={item.since}>{formatDate(item.since, i18n.language)}</time>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <Link to={group.to}>{t(`portal.work.all.${group.key}`)}</Link>
              </p>
            </section>
          );
        })}
      </div>
    </section>
  );
}
