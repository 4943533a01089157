import type { ChangeFeed } from '../../db/changes.js';
import type { AccessService } from '../access/service.js';
import { type GatewaySnapshot, type SnapshotApi, type SnapshotSource, subscriptionKey } from './snapshot.js';

/** What the snapshot needs from the catalogue. */
export interface ApiCatalogue {
  snapshotApis(): Promise<SnapshotApi[]>;
}

/**
 * Builds the gateway's snapshot from the control plane's services and reloads it when the change
 * feed says something changed (in-process on PGlite, LISTEN/NOTIFY across nodes on PostgreSQL).
 * A periodic reload (every 5 s) also catches what no event announced: a rotated key's grace running
 * out, or a notice lost while the LISTEN connection was down.
 */
export function controlPlaneSnapshotSource(deps: {
  catalog: ApiCatalogue;
  access: AccessService;
  /** Organisations in good standing; a suspended one loses its keys, subscriptions and APIs at once. */
  activeOrganisations: () => Promise<Set<string>>;
  changes: ChangeFeed;
  clock?: { now(): Date };
  /** Reload at least this often even without events (ms). */
  maxAgeMs?: number;
}): SnapshotSource {
  return {
    async load(): Promise<GatewaySnapshot> {
      const [apis, credentials, subscriptions, active] = await Promise.all([
        deps.catalog.snapshotApis(),
        deps.access.snapshotCredentials(),
        deps.access.snapshotSubscriptions(),
        deps.activeOrganisations(),
      ]);
      const inGoodStanding = <T extends { orgId: string }>(entries: Iterable<[string, T]>) =>
        new Map([...entries].filter(([, value]) => active.has(value.orgId)));
      return {
        builtAt: (deps.clock?.now() ?? new Date()).getTime(),
        apisBySlug: inGoodStanding(apis.map((api) => [api.slug, api] as [string, SnapshotApi])),
        apiKeysByHash: inGoodStanding(credentials.apiKeysByHash),
        oauthClientsById: inGoodStanding(credentials.oauthClientsById),
        subscriptions: new Map(
          subscriptions
            .filter((s) => active.has(s.orgId) && active.has(s.providerOrgId))
            .map((s) => [subscriptionKey(s.orgId, s.apiId), s]),
        ),
      };
    },
    onChange(listener) {
      const unsubscribe = deps.changes.subscribe((topic) => {
        if (topic === 'gateway') listener();
      });
      const timer = setInterval(listener, deps.maxAgeMs ?? 5_000);
      timer.unref();
      return () => {
        unsubscribe();
        clearInterval(timer);
      };
    },
  };
}
