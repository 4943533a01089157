import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../src/clock.js';
import { newId } from '../src/ids.js';
import { createGateway, type Gateway, type GatewayOptions } from '../src/modules/gateway/handler.js';
import type { Limits } from '../src/modules/gateway/limiter.js';
import { createStandaloneGatewayServer } from '../src/modules/gateway/server.js';
import type { GatewaySnapshot, SnapshotPlan } from '../src/modules/gateway/snapshot.js';
import { subscriptionKey } from '../src/modules/gateway/snapshot.js';
import { apiKeyHash, FixedSnapshotSource } from '../src/modules/gateway/testing.js';

/**
 * The gateway alone, over real HTTP, for the fault tests of its dependencies (Redis, upstreams): one
 * API at `/gw/faulty/…` in front of `upstreamUrl`, and one API key per plan given.
 */
export interface RunningGateway {
  url: string;
  gateway: Gateway;
  /** The API key of each named plan. */
  keys: Record<string, string>;
  /** GET /gw/faulty/items through the gateway: status, code (of a problem), Retry-After. */
  call(key: string): Promise<{ status: number; code?: string; retryAfter: string | null }>;
  close(): Promise<void>;
}

export async function startGatewayFixture(options: {
  upstreamUrl: string;
  plans: Record<string, Partial<SnapshotPlan>>;
  limits: Pick<Limits, 'rate' | 'quota'>;
  gateway?: GatewayOptions;
  /** The gateway's clock (the circuit breaker's cool-down runs on it). */
  clock?: Clock;
}): Promise<RunningGateway> {
  const providerOrgId = newId('organisation');
  const apiId = newId('api');
  const keys: Record<string, string> = {};
  const snapshot: GatewaySnapshot = {
    builtAt: Date.now(),
    apisBySlug: new Map([
      [
        'faulty',
        {
          id: apiId,
          slug: 'faulty',
          orgId: providerOrgId,
          upstreamUrl: options.upstreamUrl,
          validateRequests: false,
          operations: [{ method: 'get', path: '/items', operationId: 'items', summary: null, tags: [] }],
        },
      ],
    ]),
    apiKeysByHash: new Map(),
    oauthClientsById: new Map(),
    subscriptions: new Map(),
  };
  for (const [name, plan] of Object.entries(options.plans)) {
    const orgId = newId('organisation');
    keys[name] = `sk_${name}_${newId('apiKey')}`;
    snapshot.apiKeysByHash.set(apiKeyHash(keys[name]), { id: newId('apiKey'), orgId, validUntil: null });
    snapshot.subscriptions.set(subscriptionKey(orgId, apiId), {
      id: newId('subscription'),
      apiId,
      orgId,
      providerOrgId,
      plan: {
        id: newId('plan'),
        rateLimitPerSecond: 100_000,
        burst: 100_000,
        monthlyQuota: null,
        includedTags: [],
        includedPaths: [],
        ...plan,
      },
    });
  }
  const gateway = createGateway({
    source: new FixedSnapshotSource(snapshot),
    verifier: {
      verify: async () => {
        throw new Error('no tokens here');
      },
    },
    limits: options.limits,
    meter: { record() {} },
    clock: options.clock,
    options: options.gateway,
  });
  await gateway.ready();
  const server: Server = createStandaloneGatewayServer(gateway);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    gateway,
    keys,
    async call(key) {
      const response = await fetch(`${url}/gw/faulty/items`, { headers: { 'x-api-key': key } });
      const text = await response.text();
      const code = response.headers.get('content-type')?.startsWith('application/problem+json')
        ? (JSON.parse(text) as { code: string }).code
        : undefined;
      return { status: response.status, code, retryAfter: response.headers.get('retry-after') };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await gateway.close();
    },
  };
}
