import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { del, get, type Page, post } from '../api';
import {
  type Api,
  type Credential,
  type CredentialKind,
  formatDate,
  formatDateTime,
  type IssuedCredential,
  loadOrgNames,
  type Plan,
  type Subscription,
} from '../components/apihub/types';
import { SecretOnce } from '../components/CopyButton';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { TableScroll } from '../components/TableScroll';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, useMe } from '../session';

const graceOptions = [0, 3600, 86_400, 604_800] as const;

async function loadSubscriptions(isConsumer: boolean, isProvider: boolean) {
  const [mine, toMine, apis, orgs] = await Promise.all([
    isConsumer
      ? get<{ items: Subscription[] }>('/v1/subscriptions', { as: 'consumer' })
      : Promise.resolve({ items: [] as Subscription[] }),
    isProvider
      ? get<{ items: Subscription[] }>('/v1/subscriptions', { as: 'provider' })
      : Promise.resolve({ items: [] as Subscription[] }),
    get<Page<Api>>('/v1/apis', { limit: 200 }),
    loadOrgNames().catch(() => new Map()),
  ]);
  const planIds = [
    ...new Set(
      [...mine.items, ...toMine.items].flatMap((s) =>
        s.pendingPlanId ? [s.planId, s.pendingPlanId] : [s.planId],
      ),
    ),
  ];
  const plans = await Promise.all(planIds.map((id) => get<Plan>(`/v1/plans/${id}`).catch(() => null)));
  return {
    mine: mine.items,
    toMine: toMine.items,
    apis: new Map(apis.items.map((a) => [a.id, a])),
    plans: new Map(plans.filter((p): p is Plan => p !== null).map((p) => [p.id, p])),
    orgs,
  };
}

type Decision =
  | 'approve'
  | 'reject'
  | 'suspend'
  | 'resume'
  | 'revoke'
  | 'plan-change/approve'
  | 'plan-change/reject';

const decisionLabels: Record<Decision, string> = {
  approve: 'apihub.credentials.approve',
  reject: 'apihub.credentials.reject',
  suspend: 'apihub.credentials.suspend',
  resume: 'apihub.credentials.resume',
  revoke: 'apihub.credentials.revoke',
  'plan-change/approve': 'apihub.credentials.approvePlanChange',
  'plan-change/reject': 'apihub.credentials.rejectPlanChange',
};

/** The decisions a provider may take on a subscription: by its state, and on a plan change waiting. */
function decisionsFor(subscription: Subscription): { decision: Decision; style?: string }[] {
  const waiting: { decision: Decision; style?: string }[] =
    subscription.state === 'active' && subscription.pendingPlanId
      ? [
          { decision: 'plan-change/approve', style: 'button-primary' },
          { decision: 'plan-change/reject', style: 'button-danger' },
        ]
      : [];
  return [...waiting, ...(decisionsByState[subscription.state] ?? [])];
}

/** What a provider may decide on a subscription in each state, as the subscription routes allow. */
const decisionsByState: Record<string, { decision: Decision; style?: string }[]> = {
  pending: [
    { decision: 'approve', style: 'button-primary' },
    { decision: 'reject', style: 'button-danger' },
  ],
  active: [{ decision: 'suspend', style: 'button-danger' }],
  suspended: [{ decision: 'resume' }],
};

function SubscriptionTable({
  items,
  side,
  lookups,
  onDecide,
  isPending,
}: {
  items: Subscription[];
  side: 'consumer' | 'provider';
  lookups: Awaited<ReturnType<typeof loadSubscriptions>>;
  onDecide?: (subscription: Subscription, decision: Decision) => void;
  isPending?: boolean;
}) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) {
    return (
      <Empty>
        {side === 'consumer' ? (
          <>
            {t('apihub.credentials.noSubscriptions')}{' '}
            <Link to="/explore?type=api">{t('apihub.credentials.findApi')}</Link>
          </>
        ) : (
          t('apihub.credentials.noSubscribers')
        )}
      </Empty>
    );
  }
  return (
    <TableScroll
      label={t(side === 'consumer' ? 'apihub.credentials.mySubscriptions' : 'apihub.credentials.subscribers')}
    >
      <table>
        <thead>
          <tr>
            <th scope="col">{t('apihub.credentials.api')}</th>
            {side === 'provider' && <th scope="col">{t('apihub.credentials.consumer')}</th>}
            <th scope="col">{t('apihub.credentials.plan')}</th>
            <th scope="col">{t('apihub.credentials.state')}</th>
            <th scope="col">{t('apihub.credentials.since')}</th>
            {onDecide && <th scope="col">{t('apihub.credentials.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((s) => {
            const apiEntry = lookups.apis.get(s.apiId);
            return (
              <tr key={s.id}>
                <td>
                  <Link to={`/apis/${s.apiId}`}>{apiEntry?.title ?? s.apiId}</Link>
                  {side === 'consumer' && (
                    <div className="meta">{lookups.orgs.get(s.providerOrgId)?.name ?? ''}</div>
                  )}
                </td>
                {side === 'provider' && <td>{lookups.orgs.get(s.orgId)?.name ?? s.orgId}</td>}
                <td>
                  {lookups.plans.get(s.planId)?.name ?? s.planId}
                  {s.pendingPlanId && (
                    <div className="meta">
                      {t('apihub.credentials.planChangeWaiting', {
                        plan: lookups.plans.get(s.pendingPlanId)?.name ?? s.pendingPlanId,
                      })}
                    </div>
                  )}
                </td>
                <td>
                  <StatusBadge status={s.state} />
                  {s.reason && <div className="meta">{s.reason}</div>}
                </td>
                <td>{formatDate(s.updatedAt, i18n.language)}</td>
                {onDecide && (
                  <td>
                    <div className="actions">
                      {decisionsFor(s).map(({ decision, style }) => (
                        <button
                          key={decision}
                          type="button"
                          className={`button button-small${style ? ` ${style}` : ''}`}
                          disabled={isPending}
                          onClick={() => onDecide(s, decision)}
                        >
                          {t(decisionLabels[decision])}
                        </button>
                      ))}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function credentialState(c: Credential): string {
  return c.revokedAt ? 'revoked' : 'active';
}

/** My subscriptions and my organisation's credentials: create, rotate (secret shown once), revoke. */
export function Credentials() {
  const me = useMe();
  const { t, i18n } = useTranslation();
  const isConsumer = hasKind(me, 'consumer');
  const isProvider = hasKind(me, 'provider');
  const canManage = isConsumer && isAdmin(me);
  const subs = useLoad(() => loadSubscriptions(isConsumer, isProvider), [me.organisation.id]);
  const creds = useLoad(
    () =>
      isConsumer
        ? get<{ items: Credential[] }>('/v1/credentials')
        : Promise.resolve({ items: [] as Credential[] }),
    [me.organisation.id],
  );
  const [name, setName] = useState('');
  const [kind, setKind] = useState<CredentialKind>('api-key');
  const [issued, setIssued] = useState<{ issued: IssuedCredential; rotated: boolean }>();
  const [confirming, setConfirming] = useState<string>();
  const [grace, setGrace] = useState<Record<string, number>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [decisionFor, setDecisionFor] = useState<{ id: string; decision: Decision }>();

  const create = useAction(async (event: FormEvent) => {
    event.preventDefault();
    const created = await post<IssuedCredential>('/v1/credentials', { name: name.trim(), kind });
    setIssued({ issued: created, rotated: false });
    setName('');
    creds.reload();
  });
  const rotate = useAction(async (credential: Credential) => {
    const rotated = await post<IssuedCredential>(`/v1/credentials/${credential.id}/rotate`, {
      graceSeconds: grace[credential.id] ?? 86_400,
    });
    setIssued({ issued: rotated, rotated: true });
    creds.reload();
  });
  const revoke = useAction(async (credential: Credential) => {
    await del(`/v1/credentials/${credential.id}`);
    setConfirming(undefined);
    if (issued?.issued.credential.id === credential.id) setIssued(undefined);
    creds.reload();
  });
  const decide = useAction(async (subscription: Subscription, decision: Decision, reason?: string) => {
    await post(`/v1/subscriptions/${subscription.id}/${decision}`, reason ? { reason } : {});
    setDecisionFor(undefined);
    subs.reload();
  });
  const needsReason = (decision: Decision) =>
    decision === 'reject' || decision === 'suspend' || decision === 'plan-change/reject';

  const credentials = creds.data?.items ?? [];
  const live = credentials.filter((c) => !c.revokedAt);
  const revoked = credentials.filter((c) => c.revokedAt);

  return (
    <section className="credentials">
      <PageHeader title={t('apihub.credentials.title')} lead={t('apihub.credentials.lead')} />

      {isConsumer && (
        <section aria-labelledby="my-subscriptions">
          <h2 id="my-subscriptions">{t('apihub.credentials.mySubscriptions')}</h2>
          <ErrorMessage error={subs.error} />
          {subs.isLoading && !subs.data && <Loading />}
          {subs.data && <SubscriptionTable items={subs.data.mine} side="consumer" lookups={subs.data} />}
        </section>
      )}

      {isProvider && (
        <section aria-labelledby="subscribers">
          <h2 id="subscribers">{t('apihub.credentials.subscribers')}</h2>
          {!isConsumer && <ErrorMessage error={subs.error} />}
          <ErrorMessage error={decide.error} />
          {decisionFor && (
            <form
              className="panel form decision-form"
              onSubmit={(event) => {
                event.preventDefault();
                const s = subs.data?.toMine.find((x) => x.id === decisionFor.id);
                if (s) void decide.run(s, decisionFor.decision, reasons[s.id]?.trim());
              }}
            >
              <label>
                {t('apihub.credentials.reason')}
                <input
                  value={reasons[decisionFor.id] ?? ''}
                  required
                  maxLength={2000}
                  onChange={(event) => setReasons((r) => ({ ...r, [decisionFor.id]: event.target.value }))}
                />
              </label>
              <div className="actions">
                <button type="submit" className="button button-danger" disabled={decide.isPending}>
                  {t(decisionLabels[decisionFor.decision])}
                </button>
                <button type="button" className="button" onClick={() => setDecisionFor(undefined)}>
                  {t('cancel')}
                </button>
              </div>
            </form>
          )}
          {subs.isLoading && !subs.data && <Loading />}
          {subs.data && (
            <SubscriptionTable
              items={subs.data.toMine}
              side="provider"
              lookups={subs.data}
              isPending={decide.isPending}
              onDecide={(s, decision) =>
                needsReason(decision) ? setDecisionFor({ id: s.id, decision }) : void decide.run(s, decision)
              }
            />
          )}
        </section>
      )}

      <section aria-labelledby="my-credentials">
        <h2 id="my-credentials">{t('apihub.credentials.keys')}</h2>
        {!isConsumer && <Notice>{t('apihub.credentials.consumersOnly')}</Notice>}
        {isConsumer && !canManage && <p className="hint">{t('apihub.credentials.adminsOnly')}</p>}
        {canManage && (
          <form className="toolbar" onSubmit={(event) => void create.run(event)}>
            <label>
              {t('apihub.credentials.name')}
              <input
                value={name}
                required
                maxLength={100}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
            <label className="apihub-narrow">
              {t('apihub.credentials.kind')}
              <select value={kind} onChange={(event) => setKind(event.target.value as CredentialKind)}>
                <option value="api-key">{t('apihub.credentials.kinds.api-key')}</option>
                <option value="oauth-client">{t('apihub.credentials.kinds.oauth-client')}</option>
              </select>
            </label>
            <button
              type="submit"
              className="button button-primary"
              disabled={create.isPending || !name.trim()}
            >
              {t('apihub.credentials.create')}
            </button>
          </form>
        )}
        <ErrorMessage error={creds.error ?? create.error ?? rotate.error ?? revoke.error} />
        {issued && (
          <div className="issued">
            <SecretOnce
              value={issued.issued.secret}
              label={t(
                issued.rotated ? 'apihub.credentials.newSecretRotated' : 'apihub.credentials.newSecret',
                {
                  name: issued.issued.credential.name,
                },
              )}
            />
            {issued.issued.credential.kind === 'oauth-client' && (
              <p className="hint">
                {t('apihub.credentials.clientId')} <code>{issued.issued.credential.id}</code> ·{' '}
                {t('apihub.credentials.tokenHint')}
              </p>
            )}
            {issued.rotated && issued.issued.credential.previousValidUntil && (
              <p className="hint">
                {t('apihub.credentials.graceUntil', {
                  at: formatDateTime(issued.issued.credential.previousValidUntil, i18n.language),
                })}
              </p>
            )}
          </div>
        )}
        {creds.isLoading && !creds.data && <Loading />}
        {isConsumer && creds.data && live.length === 0 && <Empty>{t('apihub.credentials.noKeys')}</Empty>}
        {live.length > 0 && (
          <TableScroll label={t('apihub.credentials.keys')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('apihub.credentials.name')}</th>
                  <th scope="col">{t('apihub.credentials.kind')}</th>
                  <th scope="col">{t('apihub.credentials.prefix')}</th>
                  <th scope="col">{t('apihub.credentials.created')}</th>
                  {canManage && <th scope="col">{t('apihub.credentials.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {live.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.name}
                      {c.previousValidUntil && new Date(c.previousValidUntil) > new Date() && (
                        <div className="meta">
                          {t('apihub.credentials.graceUntil', {
                            at: formatDateTime(c.previousValidUntil, i18n.language),
                          })}
                        </div>
                      )}
                    </td>
                    <td>
                      {t(`apihub.credentials.kinds.${c.kind}`)}
                      {c.kind === 'oauth-client' && <div className="meta mono">{c.id}</div>}
                    </td>
                    <td>
                      <code>{c.prefix}…</code>
                    </td>
                    <td>{formatDate(c.createdAt, i18n.language)}</td>
                    {canManage && (
                      <td>
                        {confirming === c.id ? (
                          <div className="confirm">
                            <p>{t('apihub.credentials.confirmRevoke', { name: c.name })}</p>
                            <div className="actions">
                              <button
                                type="button"
                                className="button button-small button-danger"
                                disabled={revoke.isPending}
                                onClick={() => void revoke.run(c)}
                              >
                                {t('apihub.credentials.revokeNow')}
                              </button>
                              <button
                                type="button"
                                className="button button-small"
                                onClick={() => setConfirming(undefined)}
                              >
                                {t('cancel')}
                              </button>
                            </div>
                          </div>
                        ) : (
                          <div className="actions">
                            <label className="inline-label">
                              <span className="visually-hidden">
                                {t('apihub.credentials.graceFor', { name: c.name })}
                              </span>
                              <select
                                value={grace[c.id] ?? 86_400}
                                onChange={(event) =>
                                  setGrace((g) => ({ ...g, [c.id]: Number(event.target.value) }))
                                }
                              >
                                {graceOptions.map((seconds) => (
                                  <option key={seconds} value={seconds}>
                                    {t(`apihub.credentials.grace.${seconds}`)}
                                  </option>
                                ))}
                              </select>
                            </label>
                            <button
                              type="button"
                              className="button button-small"
                              disabled={rotate.isPending}
                              onClick={() => void rotate.run(c)}
                              aria-label={t('apihub.credentials.rotateNamed', { name: c.name })}
                            >
                              {t('apihub.credentials.rotate')}
                            </button>
                            <button
                              type="button"
                              className="button button-small button-danger"
                              onClick={() => setConfirming(c.id)}
                              aria-label={t('apihub.credentials.revokeNamed', { name: c.name })}
                            >
                              {t('apihub.credentials.revoke')}
                            </button>
                          </div>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {revoked.length > 0 && (
          <details className="revoked-keys">
            <summary>{t('apihub.credentials.revokedCount', { count: revoked.length })}</summary>
            <ul>
              {revoked.map((c) => (
                <li key={c.id}>
                  {c.name} <code>{c.prefix}…</code> <StatusBadge status={credentialState(c)} />{' '}
                  <span className="meta">{c.revokedAt && formatDate(c.revokedAt, i18n.language)}</span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
    </section>
  );
}
