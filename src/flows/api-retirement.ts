import type { Executor } from '../db/client.js';
import type { RetirementNotice, RetiringVersion } from '../modules/catalog/service.js';
import type { EventPublisher } from '../modules/community/events.js';
import { endingWindow, type Reminder, reminderWindows } from '../modules/community/reminders.js';
import type { UsageService } from '../modules/gateway/usage.js';

/** How far back a call makes an organisation one of a version's callers. */
export const callerWindowMs = 30 * 86_400_000;

const day = 86_400_000;

interface Deps {
  usage: UsageService;
  events: EventPublisher;
}

/** The organisations that called the version in the 30 days up to `at`, with their counts. */
async function callersOf(deps: Deps, tx: Executor, retiring: RetiringVersion, at: Date) {
  const from = new Date(Math.max(retiring.servedFrom.getTime(), at.getTime() - callerWindowMs));
  const to = retiring.servedUntil && retiring.servedUntil < at ? retiring.servedUntil : at;
  if (from >= to) return [];
  return deps.usage.callersOf(tx, retiring.api, { from, to });
}

function factsOf({ api, version }: RetiringVersion, calls: number) {
  return {
    apiId: api.id,
    slug: api.slug,
    versionId: version.id,
    version: version.version,
    providerOrgId: api.orgId,
    deprecatedAt: version.deprecatedAt.toISOString(),
    sunsetAt: version.sunsetAt.toISOString(),
    link: version.deprecationLink,
    successorApiId: version.successorApiId,
    calls,
  };
}

const successorOf = ({ version }: RetiringVersion) =>
  version.successorApiId ? `; move to ${version.successorApiId}` : '';

/**
 * An API version's retirement reaches the organisations that called it: those with metered calls
 * to the API while that version was the one served, in the 30 days before the notice — not every
 * subscriber, and never anyone else. Each hears its own call count. The deprecation and the sunset
 * are told inside the catalogue's transaction (the deprecation, or the sweep that records the
 * sunset), so the notice and its webhook deliveries exist exactly when the change was committed; a
 * failure rolls back both. The reminders before the sunset (7 days, 1 day) go out with the other
 * reminders, once each.
 */
export function apiRetirementNotice(deps: Deps): RetirementNotice {
  return {
    async deprecated(tx, retiring, now) {
      const { api, version } = retiring;
      for (const caller of await callersOf(deps, tx, retiring, now)) {
        await deps.events.publish(tx, 'api-version.deprecated', {
          to: { caller: caller.orgId },
          objectId: api.id,
          title: `${api.slug} ${version.version} is deprecated`,
          body:
            `Version ${version.version} of ${api.slug}, which you called ${caller.calls} times in the last 30 days, ` +
            `is deprecated; the gateway answers its calls with 410 from ${version.sunsetAt.toISOString()}${successorOf(retiring)}.`,
          data: factsOf(retiring, caller.calls),
        });
      }
    },
    async sunset(tx, retiring) {
      const { api, version } = retiring;
      for (const caller of await callersOf(deps, tx, retiring, version.sunsetAt)) {
        await deps.events.publish(tx, 'api-version.sunset', {
          to: { caller: caller.orgId },
          objectId: api.id,
          title: `${api.slug} ${version.version} reached its sunset`,
          body:
            `Version ${version.version} of ${api.slug} reached its sunset at ${version.sunsetAt.toISOString()}; ` +
            `the gateway answers its calls with 410${successorOf(retiring)}.`,
          data: factsOf(retiring, caller.calls),
        });
      }
    },
  };
}

/** The reminders of coming sunsets, for the reminder sweep: one per version and window. */
export function apiSunsetReminders(
  deps: Deps & { sunsetsDue(now: Date, until: Date): Promise<RetiringVersion[]> },
): (now: Date) => Promise<Reminder[]> {
  return async (now) => {
    const until = new Date(now.getTime() + reminderWindows.endingDays[0] * day);
    return (await deps.sunsetsDue(now, until)).flatMap((retiring) => {
      const { api, version } = retiring;
      const days = endingWindow(version.sunsetAt, now);
      if (days === null) return [];
      return [
        {
          key: `api-version.retiring:${days}d:${version.id}:${version.sunsetAt.toISOString()}`,
          kind: 'api-version.retiring',
          object: { type: 'api', id: api.id },
          send: async (tx: Executor) => {
            for (const caller of await callersOf(deps, tx, retiring, now)) {
              await deps.events.publish(tx, 'api-version.retiring', {
                to: { caller: caller.orgId },
                objectId: api.id,
                title: `${api.slug} ${version.version} retires within ${days === 1 ? 'a day' : 'a week'}`,
                body:
                  `Version ${version.version} of ${api.slug}, which you called ${caller.calls} times in the last 30 days, ` +
                  `reaches its sunset at ${version.sunsetAt.toISOString()}; the gateway answers its calls with 410 from then${successorOf(retiring)}.`,
                data: { ...factsOf(retiring, caller.calls), daysLeft: days },
              });
            }
          },
        },
      ];
    });
  };
}
