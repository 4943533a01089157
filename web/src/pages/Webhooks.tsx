import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../api';
import { ConfirmDialog } from '../components/Confirm';
import { SecretOnce } from '../components/CopyButton';
import { formatDate } from '../components/data/common';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/Feedback';
import { TableScroll } from '../components/TableScroll';
import { useAction, useLoad } from '../hooks';
import { isAdmin, useMe } from '../session';

export interface Webhook {
  id: string;
  orgId: string;
  url: string;
  events: string[];
  createdBy: string;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  notificationId: string;
  event: string;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface EventType {
  type: string;
  description: string;
}

/** How many recent deliveries each webhook shows. */
const recentDeliveries = 10;

/**
 * How a webhook is doing, read from its latest delivery (the platform keeps no state of its own for
 * it): nothing sent yet, the receiver took the last one, it is being retried, or it was given up.
 */
export type WebhookHealth = 'quiet' | 'healthy' | 'retrying' | 'failing';

export function webhookHealth(deliveries: readonly WebhookDelivery[]): WebhookHealth {
  const latest = deliveries.find((delivery) => delivery.state !== 'cancelled');
  if (!latest) return 'quiet';
  if (latest.state === 'delivered') return 'healthy';
  if (latest.state === 'failed') return 'failing';
  return latest.attempts > 0 ? 'retrying' : 'healthy';
}

const healthLook: Record<WebhookHealth, string> = {
  quiet: 'draft',
  healthy: 'approved',
  retrying: 'pending',
  failing: 'rejected',
};

/** An organisation's webhooks: where its events go, how the deliveries fared, and their secrets. */
export function Webhooks() {
  const { t } = useTranslation();
  const me = useMe();
  const canManage = isAdmin(me);
  const hooks = useLoad(() => get<{ items: Webhook[] }>('/v1/webhooks'), [me.organisation.id]);
  const eventTypes = useLoad(() => get<{ items: EventType[] }>('/v1/event-types'), []);
  const [secret, setSecret] = useState<{ url: string; value: string; isRotated: boolean }>();
  const items = hooks.data?.items ?? [];

  return (
    <section>
      <PageHeader title={t('portal.webhooks.title')} lead={t('portal.webhooks.lead')} />
      <div aria-live="polite">
        {secret && (
          <>
            <Notice kind="success">
              {t(secret.isRotated ? 'portal.webhooks.rotated' : 'portal.webhooks.created', {
                url: secret.url,
              })}
            </Notice>
            <SecretOnce value={secret.value} label={t('portal.webhooks.secret')} />
          </>
        )}
      </div>
      {canManage ? (
        <WebhookForm
          eventTypes={eventTypes.data?.items ?? []}
          eventTypesError={eventTypes.error}
          onCreated={(created) => {
            setSecret({ url: created.url, value: created.secret, isRotated: false });
            hooks.reload();
          }}
        />
      ) : (
        <Notice>{t('portal.webhooks.adminsOnly')}</Notice>
      )}
      <h2>{t('portal.webhooks.registered')}</h2>
      <ErrorMessage error={hooks.error} />
      {hooks.isLoading && !hooks.data && <Loading />}
      {hooks.data && items.length === 0 && <Empty>{t('portal.webhooks.none')}</Empty>}
      <ul className="cards cards-wide">
        {items.map((webhook) => (
          <WebhookCard
            key={webhook.id}
            webhook={webhook}
            canManage={canManage}
            onRotated={(value) => setSecret({ url: webhook.url, value, isRotated: true })}
            onDeleted={() => {
              setSecret(undefined);
              hooks.reload();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

/** A new webhook: the receiver's URL and the events it is sent, chosen from the event catalogue. */
export function WebhookForm({
  eventTypes,
  eventTypesError,
  onCreated,
}: {
  eventTypes: EventType[];
  eventTypesError?: Error;
  onCreated: (created: Webhook & { secret: string }) => void;
}) {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useAction(async () => {
    const created = await post<Webhook & { secret: string }>('/v1/webhooks', {
      url: url.trim(),
      events: chosen,
    });
    setUrl('');
    setChosen([]);
    onCreated(created);
  });
  const toggle = (event: string, isOn: boolean) =>
    setChosen((current) => (isOn ? [...current, event] : current.filter((value) => value !== event)));
  // Whole families too (`transfer.*`): a webhook so registered hears of event types added later.
  const families = [...new Set(eventTypes.map((event) => `${event.type.split('.')[0]}.*`))];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <form className="form panel" onSubmit={submit} aria-labelledby="webhook-form-title">
      <h2 id="webhook-form-title">{t('portal.webhooks.add')}</h2>
      <label htmlFor="webhook-url">{t('portal.webhooks.url')}</label>
      <input
        id="webhook-url"
        type="url"
        required
        maxLength={2000}
        value={url}
        placeholder="https://hooks.example.com/stp"
        aria-describedby="webhook-url-hint"
        onChange={(event) => setUrl(event.target.value)}
      />
      <p id="webhook-url-hint" className="hint">
        {t('portal.webhooks.urlHint')}
      </p>
      <fieldset className="event-choice">
        <legend>{t('portal.webhooks.events')}</legend>
        <ErrorMessage error={eventTypesError} />
        <label className="check">
          <input
            type="checkbox"
            checked={chosen.includes('*')}
            onChange={(e) => toggle('*', e.target.checked)}
          />
          {t('portal.webhooks.allEvents')}
        </label>
        {families.map((family) => (
          <details key={family}>
            <summary>
              <span className="mono">{family}</span>
            </summary>
            <label className="check">
              <input
                type="checkbox"
                checked={chosen.includes(family)}
                onChange={(e) => toggle(family, e.target.checked)}
              />
              {t('portal.webhooks.family', { family: family.slice(0, -2) })}
            </label>
            {eventTypes
              .filter((event) => `${event.type.split('.')[0]}.*` === family)
              .map((event) => (
                <label key={event.type} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(event.type)}
                    onChange={(e) => toggle(event.type, e.target.checked)}
                  />
                  <span>
                    <span className="mono">{event.type}</span>
                    <span className="hint"> {event.description}</span>
                  </span>
                </label>
              ))}
          </details>
        ))}
      </fieldset>
      <p className="meta">
        {chosen.length === 0
          ? t('portal.webhooks.noneChosen')
          : t('portal.webhooks.chosen', { events: chosen.join(', ') })}
      </p>
      <button
        type="submit"
        className="button button-primary"
        disabled={!url.trim() || chosen.length === 0 || create.isPending}
      >
        {t('portal.webhooks.create')}
      </button>
      <ErrorMessage error={create.error} />
    </form>
  );
}

/** One webhook: where it posts, what it asked for, how its recent deliveries went; rotate or delete. */
export function WebhookCard({
  webhook,
  canManage,
  onRotated,
  onDeleted,
}: {
  webhook: Webhook;
  canManage: boolean;
  onRotated: (secret: string) => void;
  onDeleted: () => void;
}) {
  const { t, i18n } = useTranslation();
  const deliveries = useLoad(
    () =>
      get<{ items: WebhookDelivery[] }>(`/v1/webhooks/${webhook.id}/deliveries`, { limit: recentDeliveries }),
    [webhook.id],
  );
  const [confirming, setConfirming] = useState<'rotate' | 'delete'>();
  const rotate = useAction(async () => {
    try {
      const rotated = await post<Webhook & { secret: string }>(`/v1/webhooks/${webhook.id}/secret`);
      onRotated(rotated.secret);
    } finally {
      setConfirming(undefined);
    }
  });
  const remove = useAction(async () => {
    try {
      await del(`/v1/webhooks/${webhook.id}`);
    } finally {
      setConfirming(undefined);
    }
    onDeleted();
  });
  const items = deliveries.data?.items ?? [];
  const health = deliveries.data ? webhookHealth(items) : undefined;
  const headingId = `webhook-${webhook.id}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId} className="mono break-anywhere">
          {webhook.url}
        </h3>
        {health && (
          <span className={`badge badge-${healthLook[health]}`}>{t(`portal.webhooks.health.${health}`)}</span>
        )}
      </div>
      <dl className="facts">
        <dt>{t('portal.webhooks.events')}</dt>
        <dd className="mono">{webhook.events.join(', ')}</dd>
        <dt>{t('portal.webhooks.since')}</dt>
        <dd>{formatDate(webhook.createdAt, i18n.language)}</dd>
      </dl>
      <h4>{t('portal.webhooks.deliveries', { count: recentDeliveries })}</h4>
      <ErrorMessage error={deliveries.error} />
      {deliveries.isLoading && !deliveries.data && <Loading />}
      {deliveries.data && items.length === 0 && <Empty>{t('portal.webhooks.noDeliveries')}</Empty>}
      {items.length > 0 && (
        <TableScroll label={t('portal.webhooks.deliveriesOf', { url: webhook.url })}>
          <table className="data-table">
            <caption className="visually-hidden">
              {t('portal.webhooks.deliveriesOf', { url: webhook.url })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('portal.webhooks.when')}</th>
                <th scope="col">{t('portal.webhooks.event')}</th>
                <th scope="col">{t('portal.webhooks.state')}</th>
                <th scope="col" className="num">
                  {t('portal.webhooks.attempts')}
                </th>
                <th scope="col">{t('portal.webhooks.lastAnswer')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="date">{formatDate(delivery.createdAt, i18n.language, true)}</td>
                  <td className="mono">{delivery.event}</td>
                  <td>
                    <span className={`badge badge-${deliveryLook[delivery.state]}`}>
                      {t(`portal.webhooks.deliveryStates.${delivery.state}`)}
                    </span>
                  </td>
                  <td className="num">{delivery.attempts}</td>
                  <td className="delivery-answer">
                    <LastAnswer delivery={delivery} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canManage && (
        <div className="actions">
          <button type="button" className="button" onClick={() => setConfirming('rotate')}>
            {t('portal.webhooks.rotate')}
          </button>
          <button type="button" className="button button-danger" onClick={() => setConfirming('delete')}>
            {t('portal.webhooks.delete')}
          </button>
        </div>
      )}
      <ErrorMessage error={rotate.error ?? remove.error} />
      <ConfirmDialog
        open={confirming === 'rotate'}
        title={t('portal.webhooks.rotateTitle', { url: webhook.url })}
        consequence={<p>{t('portal.webhooks.rotateConsequence')}</p>}
        confirmLabel={t('portal.webhooks.rotateConfirm')}
        isPending={rotate.isPending}
        onConfirm={() => void rotate.run()}
        onCancel={() => setConfirming(undefined)}
      />
      <ConfirmDialog
        open={confirming === 'delete'}
        title={t('portal.webhooks.deleteTitle', { url: webhook.url })}
        consequence={<p>{t('portal.webhooks.deleteConsequence')}</p>}
        confirmLabel={t('portal.webhooks.deleteConfirm')}
        isPending={remove.isPending}
        onConfirm={() => void remove.run()}
        onCancel={() => setConfirming(undefined)}
      />
    </li>
  );
}

const deliveryLook: Record<WebhookDelivery['state'], string> = {
  pending: 'pending',
  delivered: 'approved',
  failed: 'rejected',
  cancelled: 'withdrawn',
};

/** The receiver's last answer in words: its status, or why nothing came back; when it is retried next. */
function LastAnswer({ delivery }: { delivery: WebhookDelivery }) {
  const { t, i18n } = useTranslation();
  if (delivery.attempts === 0) return <>{t('portal.webhooks.notYetSent')}</>;
  const answer =
    delivery.lastStatus !== null
      ? t('portal.webhooks.answered', { status: delivery.lastStatus })
      : t('portal.webhooks.noAnswer', { error: delivery.lastError ?? '—' });
  if (delivery.state !== 'pending') return <>{answer}</>;
  const when = formatDate(delivery.nextAttemptAt, i18n.language, true);
  return <>{`${answer} ${t('portal.webhooks.retryAt', { when })}`}</>;
}
