/**
 * Plans, subscriptions and credentials as the gateway holds them in its snapshot: the access
 * module's own view of what it owns, built by `AccessService.snapshot*` and read by the gateway on
 * every call (never the database).
 */
export interface SnapshotPlan {
  id: string;
  rateLimitPerSecond: number;
  burst: number;
  /** null = unlimited */
  monthlyQuota: number | null;
  /** Empty tags and paths = every operation of the API. */
  includedTags: string[];
  includedPaths: string[];
}

export interface SnapshotSubscription {
  id: string;
  apiId: string;
  /** The consumer organisation. */
  orgId: string;
  providerOrgId: string;
  plan: SnapshotPlan;
  /**
   * Epoch ms at which the subscription ends (its end date); absent or null = no end. Compared with
   * the clock on every call, so the end holds to the millisecond whenever the snapshot reloads.
   */
  endsAt?: number | null;
}

export interface SnapshotCredential {
  id: string;
  /** The consumer organisation the credential acts for. */
  orgId: string;
  /** Epoch ms after which this secret stops working (a rotated-out secret's grace); null = no end. */
  validUntil: number | null;
}
