import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, get, post } from '../api';
import { OpenApiReference } from '../components/apihub/OpenApiReference';
import { planIncludes } from '../components/apihub/openapi';
import {
  type ApiDetail,
  gatewayBaseOf,
  type IssuedCredential,
  type Plan,
  type Subscription,
} from '../components/apihub/types';
import { ConfirmedActionForm } from '../components/Confirm';
import { CopyButton, SecretOnce } from '../components/CopyButton';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, type Organisation, useMe } from '../session';

const openStates = new Set(['pending', 'active', 'suspended']);

async function loadApi(apiId: string, isConsumer: boolean) {
  const [detail, plans, subscriptions] = await Promise.all([
    get<ApiDetail>(`/v1/apis/${apiId}`),
    get<{ items: Plan[] }>(`/v1/apis/${apiId}/plans`),
    isConsumer
      ? get<{ items: Subscription[] }>('/v1/subscriptions', { as: 'consumer', apiId })
      : Promise.resolve({ items: [] as Subscription[] }),
  ]);
  const provider = await get<Organisation>(`/v1/orgs/${detail.orgId}`).catch(() => null);
  return { detail, plans: plans.items, subscriptions: subscriptions.items, provider };
}

/**
 * The document as uploaded, JSON or YAML. The YAML parser (the `yaml` package the server also
 * uses) is loaded only for a YAML document, in its own chunk.
 */
async function loadDocument(apiId: string): Promise<unknown> {
  const document = await api<unknown>('GET', `/v1/apis/${apiId}/openapi`);
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document);
  } catch {
    try {
      const { parse } = await import('yaml');
      return parse(document);
    } catch {
      return null;
    }
  }
}

function PlanCard({
  plan,
  subscription,
  canSubscribe,
  isPending,
  onSubscribe,
  change,
  cancel,
}: {
  plan: Plan;
  subscription: Subscription | undefined;
  canSubscribe: boolean;
  isPending: boolean;
  onSubscribe: () => void;
  /** On another plan than the caller's active subscription: move to this one, or the move waiting. */
  change?: { isWaiting: boolean; provider: string; onChange: () => void };
  /** On the caller's subscription: ending it. */
  cancel?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const number = (n: number) => n.toLocaleString(i18n.language);
  const scope = [
    ...plan.includedTags.map((tag) => t('apihub.plans.tagScope', { tag })),
    ...plan.includedPaths,
  ];
  return (
    <li
      id={`plan-${plan.id}`}
      tabIndex={-1}
      className={`card plan-card${subscription ? ' plan-card-current' : ''}`}
      data-plan={plan.name}
    >
      <div className="card-head">
        <h3>{plan.name}</h3>
        <span className={`badge ${plan.requiresApproval ? 'badge-pending' : 'badge-open'}`}>
          {plan.requiresApproval ? t('apihub.plans.approvalNeeded') : t('apihub.plans.instant')}
        </span>
      </div>
      {plan.description && <p>{plan.description}</p>}
      <dl className="api-facts">
        <div>
          <dt>{t('apihub.plans.rate')}</dt>
          <dd>
            {t('apihub.plans.rateValue', {
              rate: number(plan.rateLimitPerSecond),
              burst: number(plan.burst),
            })}
          </dd>
        </div>
        <div>
          <dt>{t('apihub.plans.quota')}</dt>
          <dd>
            {plan.monthlyQuota === null
              ? t('apihub.plans.noQuota')
              : t('apihub.plans.quotaValue', { quota: number(plan.monthlyQuota) })}
          </dd>
        </div>
        <div>
          <dt>{t('apihub.plans.scope')}</dt>
          <dd>{scope.length === 0 ? t('apihub.plans.allOperations') : scope.join(', ')}</dd>
        </div>
      </dl>
      <div className="actions">
        {subscription ? (
          <>
            <p className="plan-state">
              {t('apihub.plans.yourSubscription')} <StatusBadge status={subscription.state} />
            </p>
            {cancel}
          </>
        ) : change ? (
          change.isWaiting ? (
            <p className="plan-state">{t('apihub.plans.changeWaiting', { provider: change.provider })}</p>
          ) : (
            <button type="button" className="button" disabled={isPending} onClick={change.onChange}>
              {t(plan.requiresApproval ? 'apihub.plans.askChange' : 'apihub.plans.change', {
                plan: plan.name,
              })}
            </button>
          )
        ) : (
          canSubscribe && (
            <button
              type="button"
              className="button button-primary"
              disabled={isPending}
              onClick={onSubscribe}
            >
              {t(plan.requiresApproval ? 'apihub.plans.request' : 'apihub.plans.subscribe', {
                plan: plan.name,
              })}
            </button>
          )
        )}
      </div>
    </li>
  );
}

/** One API: overview, plans with subscribe, a key for try-it, and the rendered OpenAPI reference. */
export function ApiPage() {
  const { apiId = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const isConsumer = hasKind(me, 'consumer');
  const loaded = useLoad(() => loadApi(apiId, isConsumer), [apiId, me.organisation.id]);
  const document = useLoad(() => loadDocument(apiId), [apiId]);
  const [apiKey, setApiKey] = useState('');
  const [keyName, setKeyName] = useState('');
  const [issued, setIssued] = useState<IssuedCredential>();
  const [justSubscribed, setJustSubscribed] = useState<Subscription>();
  const [isCancelled, setCancelled] = useState(false);

  const subscribe = useAction(async (planId: string) => {
    const subscription = await post<Subscription>('/v1/subscriptions', { planId });
    setJustSubscribed(subscription);
    setCancelled(false);
    loaded.reload();
  });
  const [changed, setChanged] = useState<{ subscription: Subscription; plan: Plan }>();
  const changePlan = useAction(async (subscriptionId: string, plan: Plan) => {
    const subscription = await post<Subscription>(`/v1/subscriptions/${subscriptionId}/plan-change`, {
      planId: plan.id,
    });
    setChanged({ subscription, plan });
    loaded.reload();
  });
  const createKey = useAction(async (event: FormEvent) => {
    event.preventDefault();
    const detail = loaded.data?.detail;
    const name = keyName.trim() || t('apihub.key.defaultName', { api: detail?.slug ?? apiId });
    const created = await post<IssuedCredential>('/v1/credentials', { name, kind: 'api-key' });
    setIssued(created);
    setApiKey(created.secret);
  });

  const data = loaded.data;
  const current = data?.subscriptions.find((s) => openStates.has(s.state));
  const currentPlan = data?.plans.find((p) => p.id === current?.planId);
  const includingPlan = useMemo(() => {
    const candidates = (data?.plans ?? []).filter((p) => !p.archivedAt && p.id !== currentPlan?.id);
    return (operation: { tags: string[]; path: string }) =>
      candidates.find((p) => planIncludes(p, operation) === true);
  }, [data?.plans, currentPlan?.id]);
  const includes = useMemo(
    () =>
      currentPlan && current?.state === 'active'
        ? (operation: { tags: string[]; path: string }) => planIncludes(currentPlan, operation)
        : undefined,
    [currentPlan, current?.state],
  );

  if (loaded.error && !data) {
    return (
      <section>
        <PageHeader title={t('apihub.api.title')} />
        <ErrorMessage error={loaded.error} />
        <Link to="/explore?type=api">{t('apihub.api.back')}</Link>
      </section>
    );
  }
  if (!data) return <Loading />;

  const { detail, plans, provider } = data;
  const activePlans = plans.filter((p) => !p.archivedAt);
  const gatewayBase = gatewayBaseOf(detail.slug);
  const gatewayUrl = `${window.location.origin}${gatewayBase}`;
  const isOwner = detail.orgId === me.organisation.id;
  const canSubscribe = isConsumer && !isOwner && !current && me.organisation.status === 'active';
  const hasOAuth = Object.values(detail.securitySchemes).some((s) => s.type === 'oauth2');
  const canCreateKey = isConsumer && isAdmin(me);

  return (
    <section className="api-page">
      <PageHeader
        title={detail.title}
        lead={t('apihub.api.lead', {
          provider: provider?.name ?? detail.orgId,
          version: detail.currentVersion.version,
        })}
        actions={
          <Link className="button" to="/explore?type=api">
            {t('apihub.api.back')}
          </Link>
        }
      />
      <section className="panel api-overview" aria-labelledby="api-overview">
        <h2 id="api-overview">{t('apihub.api.overview')}</h2>
        {detail.description && <p className="api-description">{detail.description}</p>}
        {detail.warnings && detail.warnings.length > 0 && (
          <Notice kind="warning">
            <p>{t('apihub.api.warnings', { count: detail.warnings.length })}</p>
            <ul className="document-warnings">
              {detail.warnings.map((warning) => (
                <li key={`${warning.field} ${warning.message}`}>
                  {warning.message} <code>{t('apihub.api.warningAt', { field: warning.field })}</code>
                </li>
              ))}
            </ul>
          </Notice>
        )}
        <dl className="api-facts">
          <div>
            <dt>{t('apihub.api.provider')}</dt>
            <dd>{provider ? <Link to={`/community/${provider.id}`}>{provider.name}</Link> : detail.orgId}</dd>
          </div>
          <div>
            <dt>{t('apihub.api.version')}</dt>
            <dd>
              {detail.currentVersion.version}{' '}
              <span className="hint">({detail.currentVersion.specFormat})</span>
            </dd>
          </div>
          {detail.category && (
            <div>
              <dt>{t('apihub.api.category')}</dt>
              <dd>{detail.category}</dd>
            </div>
          )}
          <div>
            <dt>{t('apihub.api.operations')}</dt>
            <dd>{detail.operationCount}</dd>
          </div>
          <div className="fact-wide">
            <dt>{t('apihub.api.gateway')}</dt>
            <dd className="gateway-url">
              <code>{gatewayUrl}</code> <CopyButton value={gatewayUrl} />
            </dd>
          </div>
          <div className="fact-wide">
            <dt>{t('apihub.api.auth')}</dt>
            <dd>
              {t('apihub.api.authKey')}
              {hasOAuth && (
                <>
                  <br />
                  {t('apihub.api.authOAuth', { scope: `api:${detail.slug}` })}
                </>
              )}
            </dd>
          </div>
        </dl>
        {detail.tags.length > 0 && (
          <div className="chip-list">
            {detail.tags.map((tag) => (
              <Link key={tag} className="tag-chip" to={`/explore?type=api&tag=${encodeURIComponent(tag)}`}>
                {tag}
              </Link>
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="api-plans">
        <h2 id="api-plans">{t('apihub.plans.title')}</h2>
        <ErrorMessage error={subscribe.error ?? changePlan.error} />
        {changed && !changed.subscription.pendingPlanId && (
          <Notice kind="success">{t('apihub.plans.changed', { plan: changed.plan.name })}</Notice>
        )}
        {changed?.subscription.pendingPlanId && (
          <Notice kind="success">
            {t('apihub.plans.changeRequested', {
              plan: changed.plan.name,
              provider: provider?.name ?? detail.orgId,
            })}
          </Notice>
        )}
        {isCancelled && !current && (
          <Notice kind="success">{t('apihub.plans.cancelled', { api: detail.title })}</Notice>
        )}
        {justSubscribed?.state === 'active' && <Notice kind="success">{t('apihub.plans.subscribed')}</Notice>}
        {justSubscribed?.state === 'pending' && (
          <Notice kind="success">
            {t('apihub.plans.requested', { provider: provider?.name ?? detail.orgId })}
          </Notice>
        )}
        {!justSubscribed && current?.state === 'pending' && (
          <Notice>{t('apihub.plans.pending', { provider: provider?.name ?? detail.orgId })}</Notice>
        )}
        {current?.state === 'suspended' && (
          <Notice kind="warning">{t('apihub.plans.suspended', { reason: current.reason ?? '' })}</Notice>
        )}
        {!isConsumer && !isOwner && <p className="hint">{t('apihub.plans.consumersOnly')}</p>}
        {activePlans.length === 0 ? (
          <Empty>{t('apihub.plans.none')}</Empty>
        ) : (
          <ul className="cards plan-cards">
            {activePlans.map((plan) => (
              <PlanCard
                key={plan.id}
                plan={plan}
                subscription={current?.planId === plan.id ? current : undefined}
                canSubscribe={canSubscribe}
                isPending={subscribe.isPending}
                onSubscribe={() => void subscribe.run(plan.id)}
                change={
                  current?.state === 'active' && current.planId !== plan.id && isAdmin(me)
                    ? {
                        isWaiting: current.pendingPlanId === plan.id,
                        provider: provider?.name ?? detail.orgId,
                        onChange: () => void changePlan.run(current.id, plan),
                      }
                    : undefined
                }
                cancel={
                  current?.planId === plan.id && isAdmin(me) ? (
                    <ConfirmedActionForm
                      isAvailable={current.state !== 'revoked'}
                      reasonLabel={t('apihub.plans.cancelReason')}
                      actionLabel={t('apihub.plans.cancel')}
                      title={t('apihub.plans.cancelTitle', { api: detail.title })}
                      consequence={() => (
                        <p>
                          {t('apihub.plans.cancelConsequence', {
                            api: detail.title,
                            provider: provider?.name ?? detail.orgId,
                          })}
                        </p>
                      )}
                      confirmLabel={t('apihub.plans.cancelConfirm')}
                      onConfirm={(reason) => post(`/v1/subscriptions/${current.id}/revoke`, { reason })}
                      onDone={() => {
                        setCancelled(true);
                        loaded.reload();
                      }}
                    />
                  ) : undefined
                }
              />
            ))}
          </ul>
        )}
      </section>

      {isConsumer && (
        <section className="panel api-key" aria-labelledby="api-key">
          <h2 id="api-key">{t('apihub.key.title')}</h2>
          {current?.state === 'active' && canCreateKey && (
            <form className="toolbar" onSubmit={(event) => void createKey.run(event)}>
              <label>
                {t('apihub.key.name')}
                <input
                  value={keyName}
                  placeholder={t('apihub.key.defaultName', { api: detail.slug })}
                  maxLength={100}
                  onChange={(event) => setKeyName(event.target.value)}
                />
              </label>
              <button type="submit" className="button button-primary" disabled={createKey.isPending}>
                {t('apihub.key.create')}
              </button>
            </form>
          )}
          {current?.state === 'active' && isConsumer && !isAdmin(me) && (
            <p className="hint">{t('apihub.key.adminsOnly')}</p>
          )}
          {!current && isConsumer && !isOwner && <p className="hint">{t('apihub.key.subscribeFirst')}</p>}
          <ErrorMessage error={createKey.error} />
          {issued && (
            <SecretOnce
              value={issued.secret}
              label={t('apihub.key.secret', { name: issued.credential.name })}
            />
          )}
          <label className="api-key-field">
            {t('apihub.key.field')}
            <input
              className="mono"
              value={apiKey}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setApiKey(event.target.value)}
            />
          </label>
          <p className="hint">
            {t('apihub.key.memoryOnly')} <Link to="/credentials">{t('apihub.key.manage')}</Link>
          </p>
        </section>
      )}

      <section aria-labelledby="api-reference">
        <h2 id="api-reference">{t('apihub.reference.title')}</h2>
        <ErrorMessage error={document.error} />
        {document.isLoading && !document.data && <Loading />}
        {!document.isLoading && (
          <OpenApiReference
            document={document.data ?? null}
            fallback={detail.operations}
            gatewayBase={gatewayBase}
            apiKey={isConsumer ? apiKey : null}
            includes={includes}
            includingPlan={includes ? includingPlan : undefined}
          />
        )}
      </section>
    </section>
  );
}
