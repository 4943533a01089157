import { get } from '../../api';
import { dateLocale } from '../../i18n';
import type { Organisation } from '../../session';
import type { OperationSummary } from './OpenApiReference';

/** The API hub's view of the platform's answers (src/modules/catalog/routes.ts, access/routes.ts). */
export interface Api {
  id: string;
  orgId: string;
  slug: string;
  title: string;
  description: string | null;
  category: string | null;
  tags: string[];
  visibility: 'public' | 'private' | 'orgs';
  validateRequests: boolean;
  currentVersion: { id: string; version: string; specFormat: string };
  operationCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ApiDetail extends Api {
  operations: OperationSummary[];
  securitySchemes: Record<string, Record<string, unknown>>;
  servers: string[];
  /** What the validator let through but the provider should fix; present for the owner only. */
  warnings?: { field: string; message: string }[];
}

export interface Plan {
  id: string;
  apiId: string;
  orgId: string;
  name: string;
  description: string | null;
  rateLimitPerSecond: number;
  burst: number;
  monthlyQuota: number | null;
  requiresApproval: boolean;
  includedTags: string[];
  includedPaths: string[];
  archivedAt: string | null;
  createdAt: string;
}

export type SubscriptionState = 'pending' | 'active' | 'suspended' | 'revoked' | 'rejected' | 'expired';

export interface Subscription {
  id: string;
  apiId: string;
  planId: string;
  orgId: string;
  providerOrgId: string;
  state: SubscriptionState;
  reason: string | null;
  /** A plan asked for that waits for the provider's approval. */
  pendingPlanId?: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CredentialKind = 'api-key' | 'oauth-client';

export interface Credential {
  id: string;
  orgId: string;
  kind: CredentialKind;
  name: string;
  prefix: string;
  previousValidUntil: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface IssuedCredential {
  credential: Credential;
  secret: string;
}

export interface Dataset {
  id: string;
  orgId: string;
  slug: string;
  title: string;
  description: string | null;
  licence: string;
  keywords: string[];
  themes: string[];
  updateFrequency: string | null;
  status: 'draft' | 'published';
  consentRequired: boolean;
  isOpen: boolean;
  origin: { publisher: string | null } | null;
  updatedAt: string;
}

export interface UsageRow {
  subscriptionId: string;
  apiId: string;
  orgId: string;
  providerOrgId: string;
  period: string;
  calls: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  rateLimited: number;
  bytesIn: number;
  bytesOut: number;
  latencyAvgMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** Every organisation the caller may see, by id, for names in place of ids. */
export async function loadOrgNames(): Promise<Map<string, Organisation>> {
  const names = new Map<string, Organisation>();
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const answer = await get<{ items: Organisation[]; nextCursor: string | null }>('/v1/orgs', {
      limit: 200,
      cursor,
    });
    for (const org of answer.items) names.set(org.id, org);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return names;
}

/** The gateway's address of an API: `/gw/{slug}` on the platform's own origin (routing.ts). */
export const gatewayBaseOf = (slug: string) => `/gw/${slug}`;

export const formatDate = (value: string, language: string) =>
  new Date(value).toLocaleDateString(dateLocale(language), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });

export const formatDateTime = (value: string, language: string) =>
  new Date(value).toLocaleString(dateLocale(language), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
