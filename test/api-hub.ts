import { buildingEnergyOpenApi } from '../src/demo/building-energy.js';
import type { Tenant, TestPlatform } from './harness.js';

/** Test helpers for the API hub: a provider's API with an open and an approval plan. */
export async function publishDemoApi(
  platform: TestPlatform,
  provider: Tenant,
  options: { slug: string; upstreamUrl: string },
) {
  const imported = await platform.app.inject({
    method: 'POST',
    url: '/v1/apis',
    headers: provider.headers,
    payload: {
      document: buildingEnergyOpenApi,
      slug: options.slug,
      upstreamUrl: options.upstreamUrl,
      visibility: 'public',
    },
  });
  if (imported.statusCode !== 201) throw new Error(`import failed: ${imported.statusCode} ${imported.body}`);
  const api = imported.json() as { id: string; slug: string };
  const plan = async (payload: Record<string, unknown>) => {
    const response = await platform.app.inject({
      method: 'POST',
      url: `/v1/apis/${api.id}/plans`,
      headers: provider.headers,
      payload,
    });
    if (response.statusCode !== 201) throw new Error(`plan failed: ${response.statusCode} ${response.body}`);
    return response.json() as { id: string };
  };
  const open = await plan({
    name: 'Open',
    rateLimitPerSecond: 5,
    burst: 10,
    monthlyQuota: 10_000,
    includedTags: ['buildings'],
  });
  const partner = await plan({ name: 'Partner', rateLimitPerSecond: 50, burst: 100, requiresApproval: true });
  return { api, open, partner };
}

export async function subscribe(platform: TestPlatform, consumer: Tenant, planId: string) {
  const response = await platform.app.inject({
    method: 'POST',
    url: '/v1/subscriptions',
    headers: consumer.headers,
    payload: { planId },
  });
  return response;
}

export async function createCredential(
  platform: TestPlatform,
  consumer: Tenant,
  kind: 'api-key' | 'oauth-client',
  name = 'test',
) {
  const response = await platform.app.inject({
    method: 'POST',
    url: '/v1/credentials',
    headers: consumer.headers,
    payload: { name, kind },
  });
  if (response.statusCode !== 201)
    throw new Error(`credential failed: ${response.statusCode} ${response.body}`);
  return response.json() as { credential: { id: string; prefix: string }; secret: string };
}
