import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post } from '../api';
import { formatDateTime, notificationHref, unreadFirst } from '../components/community/logic';
import type { AppNotification } from '../components/community/types';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { notificationsChanged } from '../Layout';
import { hasKind, useMe } from '../session';

/** Your organisation's notifications: unread first, each linking to what it is about. */
export function Notifications() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const isRegulator = hasKind(me, 'regulator');
  const list = useLoad(
    () => get<{ items: AppNotification[] }>('/v1/notifications', { limit: 100 }),
    [me.organisation.id],
  );
  const markRead = useAction(async (ids: string[]) => {
    for (const id of ids) await post(`/v1/notifications/${encodeURIComponent(id)}/read`);
    list.reload();
    window.dispatchEvent(new Event(notificationsChanged));
  });
  const items = unreadFirst(list.data?.items ?? []);
  const unread = items.filter((n) => !n.readAt);

  return (
    <section>
      <PageHeader
        title={t('community.notifications.title')}
        lead={t('community.notifications.lead', { count: unread.length })}
        actions={
          unread.length > 0 && (
            <button
              type="button"
              className="button"
              disabled={markRead.isPending}
              onClick={() => void markRead.run(unread.map((n) => n.id))}
            >
              {t('community.notifications.markAllRead')}
            </button>
          )
        }
      />
      <ErrorMessage error={list.error ?? markRead.error} />
      {list.isLoading && !list.data && <Loading />}
      {list.data && items.length === 0 && <Empty>{t('community.notifications.none')}</Empty>}
      <ul className="notification-list">
        {items.map((n) => {
          const href = notificationHref(n, { isRegulator });
          return (
            <li key={n.id} className={`card notification${n.readAt ? '' : ' is-unread'}`}>
              <div className="card-head">
                <h2 className={n.readAt ? 'notification-read-title' : undefined}>
                  {!n.readAt && (
                    <span className="visually-hidden">{t('community.notifications.unread')}: </span>
                  )}
                  {n.title}
                </h2>
                <span className="badge">
                  {t(`community.notifications.kinds.${n.kind}`, { defaultValue: n.kind })}
                </span>
              </div>
              <p className="meta">
                <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, i18n.language)}</time>
                {n.readAt && ` · ${t('community.notifications.read')}`}
              </p>
              <p className="notification-body">{n.body}</p>
              <div className="actions">
                {href && (
                  <Link
                    to={href}
                    className="button button-small"
                    onClick={() => {
                      if (!n.readAt)
                        void post(`/v1/notifications/${encodeURIComponent(n.id)}/read`).catch(
                          () => undefined,
                        );
                    }}
                  >
                    {t(`community.notifications.open.${n.objectType}`, {
                      defaultValue: t('community.notifications.open.default'),
                    })}
                  </Link>
                )}
                {!n.readAt && (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={markRead.isPending}
                    onClick={() => void markRead.run([n.id])}
                  >
                    {t('community.notifications.markRead')}
                    <span className="visually-hidden">: {n.title}</span>
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
