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
 * A periodic reload also catches what no event announces: a rotated key's grace running out.
 */
export function controlPlaneSnapshotSource(deps: {
  catalog: ApiCatalogue;
  access: AccessService;
  changes: ChangeFeed;
  clock?: { now(): Date };
  /** Reload at least this often even without events (ms). */
  maxAgeMs?: number;
}): SnapshotSource {
  return {
    async load(): Promise<GatewaySnapshot> {
      const [apis, credentials, subscriptions] = await Promise.all([
        deps.catalog.snapshotApis(),
        deps.access.snapshotCredentials(),
        deps.access.snapshotSubscriptions(),
      ]);
      return {
        builtAt: (deps.clock?.now() ?? new Date()).getTime(),
        apisBySlug: new Map(apis.map((api) => [api.slug, api])),
        apiKeysByHash: credentials.apiKeysByHash,
        oauthClientsById: credentials.oauthClientsById,
        subscriptions: new Map(subscriptions.map((s) => [subscriptionKey(s.orgId, s.apiId), s])),
      };
    },
    onChange(listener) {
      const unsubscribe = deps.changes.subscribe((topic) => {
        if (topic === 'gateway') listener();
      });
      const timer = setInterval(listener, deps.maxAgeMs ?? 60_000);
      timer.unref();
      return () => {
        unsubscribe();
        clearInterval(timer);
      };
    },
  };
}
