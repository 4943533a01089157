import { type Answer, get } from '../../api';
import { dateLocale } from '../../i18n';
import type { Organisation } from '../../session';

/** The API hub's view of the platform's answers (src/modules/catalog/routes.ts, access/routes.ts). */
export type Api = Answer<'/v1/apis', 'get'>['items'][number];

export type ApiDetail = Answer<'/v1/apis/{apiId}', 'get'>;

export type Plan = Answer<'/v1/plans/{planId}', 'get'>;

export type SubscriptionState = Subscription['state'];

export type Subscription = Answer<'/v1/subscriptions', 'get'>['items'][number];

export type CredentialKind = Credential['kind'];

export type Credential = Answer<'/v1/credentials', 'get'>['items'][number];

export type IssuedCredential = Answer<'/v1/credentials', 'post'>;

export type Dataset = Answer<'/v1/datasets', 'get'>['items'][number];

export type UsageRow = Answer<'/v1/usage', 'get'>['items'][number];

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
