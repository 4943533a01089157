import type { SnapshotCredential, SnapshotSubscription } from '../access/gateway-view.js';
import type { GatewayApi as SnapshotApi } from '../catalog/service.js';
import type { ConsentGate } from '../consent/gate.js';
import type { TransferGate } from '../crossborder/index.js';

/** Plans, subscriptions and credentials as the gateway sees them (the access module's own view). */
export type { SnapshotCredential, SnapshotPlan, SnapshotSubscription } from '../access/gateway-view.js';
/** An API as the gateway sees it: address, upstream, operations (the catalogue's own view). */
export type { GatewayApi as SnapshotApi } from '../catalog/service.js';

/**
 * The gateway's whole view of the world, held in memory and replaced atomically when anything it
 * depends on changes. The hot path reads only this: never the database.
 */
export interface GatewaySnapshot {
  /** When it was built (epoch ms), for /metrics and debugging. */
  builtAt: number;
  apisBySlug: Map<string, SnapshotApi>;
  /** SHA-256 hex of an API key secret → credential. Rotated secrets appear with their validUntil. */
  apiKeysByHash: Map<string, SnapshotCredential>;
  /** OAuth2 clients by client id (= credential id); revoked ones are absent. */
  oauthClientsById: Map<string, SnapshotCredential>;
  /** Active subscriptions only, keyed by `${orgId} ${apiId}`. */
  subscriptions: Map<string, SnapshotSubscription>;
  /** Consent: consent-required APIs by id, with the consents that may be live. */
  consentGates?: Map<string, ConsentGate>;
  /** Cross-boundary transfers: which APIs carry personal data, where the parties are, which flows a transfer covers. */
  transferGate?: TransferGate;
}

export const subscriptionKey = (orgId: string, apiId: string) => `${orgId} ${apiId}`;

/** Where snapshots come from: the control plane's services in production, a fixture in tests. */
export interface SnapshotSource {
  load(): Promise<GatewaySnapshot>;
  /** Calls `listener` whenever something the snapshot depends on changed; returns an unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** The claims the gateway trusts from a verified OAuth2 access token (RFC 9068-style JWT). */
export interface AccessTokenClaims {
  /** The OAuth2 client id, i.e. the credential id. */
  clientId: string;
  orgId: string;
  /** Space-separated scopes; the gateway requires `api:{slug}`. */
  scope: string;
}

/** Verifies a bearer JWT (signature, expiry, audience); throws on anything wrong. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenClaims>;
}
