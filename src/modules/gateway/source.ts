import type { ChangeFeed } from '../../infra/change-feed.js';
import type { AccessService } from '../access/service.js';
import type { ConsentGate } from '../consent/gate.js';
import type { ApiTransferFlow, TransferGate } from '../crossborder/index.js';
import type { Location } from '../identity/schema.js';
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
  /** Consent: consent-required APIs and their consents (ConsentService.snapshotGates). */
  consentGates?: () => Promise<Map<string, ConsentGate>>;
  /** Cross-boundary transfers: flows transfers cover (TransferService.snapshotApiFlows), verified locations. */
  crossBoundary?: {
    apiFlows: () => Promise<Map<string, ApiTransferFlow>>;
    locationsOf: (orgIds: string[]) => Promise<Map<string, Location | null>>;
  };
  clock?: { now(): Date };
  /** Reload at least this often even without events (ms). */
  maxAgeMs?: number;
}): SnapshotSource {
  return {
    async load(): Promise<GatewaySnapshot> {
      const [apis, credentials, subscriptions, active, consentGates, apiFlows] = await Promise.all([
        deps.catalog.snapshotApis(),
        deps.access.snapshotCredentials(),
        deps.access.snapshotSubscriptions(),
        deps.activeOrganisations(),
        deps.consentGates?.(),
        deps.crossBoundary?.apiFlows(),
      ]);
      const inGoodStanding = <T extends { orgId: string }>(entries: Iterable<[string, T]>) =>
        new Map([...entries].filter(([, value]) => active.has(value.orgId)));
      const apisBySlug = inGoodStanding(apis.map((api) => [api.slug, api] as [string, SnapshotApi]));
      const activeSubscriptions = subscriptions.filter(
        (s) => active.has(s.orgId) && active.has(s.providerOrgId),
      );
      // Which calls carry personal data: those of APIs with a consent requirement. A provider sets
      // one because the API's calls concern data subjects, so that is its own statement that they
      // carry personal data; the catalogue has no other signal for APIs (column classifications
      // exist for datasets only, and an OpenAPI document says nothing dependable about it). Other
      // APIs are not gated.
      // Time needs no reload here: each flow carries the instant its transfer stops being in force
      // (an unfiled filing deadline or its end; currentState's rules), compared with the clock on
      // every call, so an overdue filing stops calls at Hong Kong midnight to the millisecond, even
      // if snapshots cannot load meanwhile. Decisions (approval, filing, revocation, a location
      // verified) arrive through the change feed after a 20 ms debounce; if a notice is lost, the
      // periodic reload below brings them within `maxAgeMs` (5 s) plus one load.
      let transferGate: TransferGate | undefined;
      if (consentGates && apiFlows && deps.crossBoundary) {
        const personalDataApis = new Set(
          [...apisBySlug.values()].filter((api) => consentGates.has(api.id)).map((api) => api.id),
        );
        const parties = new Set<string>();
        for (const api of apisBySlug.values()) if (personalDataApis.has(api.id)) parties.add(api.orgId);
        for (const s of activeSubscriptions) if (personalDataApis.has(s.apiId)) parties.add(s.orgId);
        const verified = await deps.crossBoundary.locationsOf([...parties]);
        const locations = new Map<string, Location>();
        for (const [orgId, location] of verified) if (location) locations.set(orgId, location);
        transferGate = { personalDataApis, locations, flows: apiFlows };
      }
      return {
        builtAt: (deps.clock?.now() ?? new Date()).getTime(),
        apisBySlug,
        apiKeysByHash: inGoodStanding(credentials.apiKeysByHash),
        oauthClientsById: inGoodStanding(credentials.oauthClientsById),
        subscriptions: new Map(activeSubscriptions.map((s) => [subscriptionKey(s.orgId, s.apiId), s])),
        consentGates,
        transferGate,
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
