import type { Executor } from './db/client.js';
import type { RetirementNotice, RetiringVersion } from './modules/catalog/service.js';
import type { EventPublisher } from './modules/community/events.js';
import type { UsageService } from './modules/gateway/usage.js';

/** How far back a call makes an organisation one of a version's callers. */
export const callerWindowMs = 30 * 86_400_000;

/**
 * An API version's retirement reaches the organisations that called it: those with metered calls
 * to the API while that version was the one served, in the 30 days before the notice — not every
 * subscriber, and never anyone else. Each hears its own call count. Runs inside the catalogue's
 * transaction (the deprecation, or the sweep that records the sunset), so the notice and its
 * webhook deliveries exist exactly when the change was committed; a failure rolls back both.
 */
export function apiRetirementNotice(deps: { usage: UsageService; events: EventPublisher }): RetirementNotice {
  /** Tells the organisations that called the version in the 30 days up to `at`. */
  const tell = async (
    tx: Executor,
    type: 'api-version.deprecated' | 'api-version.sunset',
    retiring: RetiringVersion,
    at: Date,
  ) => {
    const { api, version } = retiring;
    const from = new Date(Math.max(retiring.servedFrom.getTime(), at.getTime() - callerWindowMs));
    const to = retiring.servedUntil && retiring.servedUntil < at ? retiring.servedUntil : at;
    if (from >= to) return;
    const callers = await deps.usage.callersOf(tx, api, { from, to });
    const successor = version.successorApiId ? `; move to ${version.successorApiId}` : '';
    for (const caller of callers) {
      await deps.events.publish(tx, type, {
        to: { caller: caller.orgId },
        objectId: api.id,
        title:
          type === 'api-version.deprecated'
            ? `${api.slug} ${version.version} is deprecated`
            : `${api.slug} ${version.version} reached its sunset`,
        body:
          type === 'api-version.deprecated'
            ? `Version ${version.version} of ${api.slug}, which you called ${caller.calls} times in the last 30 days, ` +
              `is deprecated; the gateway answers its calls with 410 from ${version.sunsetAt.toISOString()}${successor}.`
            : `Version ${version.version} of ${api.slug} reached its sunset at ${version.sunsetAt.toISOString()}; ` +
              `the gateway answers its calls with 410${successor}.`,
        data: {
          apiId: api.id,
          slug: api.slug,
          versionId: version.id,
          version: version.version,
          providerOrgId: api.orgId,
          deprecatedAt: version.deprecatedAt.toISOString(),
          sunsetAt: version.sunsetAt.toISOString(),
          link: version.deprecationLink,
          successorApiId: version.successorApiId,
          calls: caller.calls,
        },
      });
    }
  };
  return {
    deprecated: (tx, retiring, now) => tell(tx, 'api-version.deprecated', retiring, now),
    sunset: (tx, retiring) => tell(tx, 'api-version.sunset', retiring, retiring.version.sunsetAt),
  };
}
