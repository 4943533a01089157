import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import { createTenant, createTestPlatform, type TestPlatform } from './harness.js';

const stp = path.resolve('bin/stp.js');

/** Starts `stp gateway` as its own process and resolves with its URL. */
function startGatewayProcess(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [stp, 'gateway', '--port', '0', '--json'], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /"url": "([^"]+)"/.exec(out);
      if (match) resolve({ url: match[1]!, child });
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`stp gateway exited with ${code}: ${out}`)));
  });
}

/**
 * Two data-plane processes (`stp gateway`) on one PostgreSQL and one Redis: a plan's limit is one
 * limit across them, exactly. Needs the real servers, so it runs when CI sets both URLs.
 */
describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)('two gateway processes', () => {
  let platform: TestPlatform;
  let upstream: RunningUpstream;
  const nodes: ChildProcess[] = [];
  const nodeUrls: string[] = [];

  beforeAll(async () => {
    platform = await createTestPlatform('postgres');
    upstream = await startBuildingEnergyUpstream();
  });
  afterAll(async () => {
    for (const node of nodes) node.kill('SIGTERM');
    await Promise.all(nodes.map((node) => new Promise((resolve) => node.once('exit', resolve))));
    await upstream?.close();
    await platform?.dispose();
  });

  it('let exactly the burst through, together, when they share Redis', async () => {
    const provider = await createTenant(platform, { kinds: ['provider'] });
    const consumer = await createTenant(platform, { kinds: ['consumer'] });
    const { api } = await publishDemoApi(platform, provider, {
      slug: 'energy-nodes',
      upstreamUrl: upstream.url,
    });
    // Practically no refill during the test: the burst of 10 is all there is.
    const plan = await platform.app.inject({
      method: 'POST',
      url: `/v1/apis/${api.id}/plans`,
      headers: provider.headers,
      payload: { name: 'Tight', rateLimitPerSecond: 0.001, burst: 10 },
    });
    await platform.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      headers: consumer.headers,
      payload: { planId: plan.json().id },
    });
    const { secret } = await createCredential(platform, consumer, 'api-key');

    const env = {
      DATABASE_URL: platform.databaseUrl!,
      REDIS_URL: process.env.REDIS_URL!,
      DATA_DIR: platform.dataDir,
    };
    const [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    nodes.push(a.child, b.child);
    nodeUrls.push(a.url, b.url);

    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${i % 2 === 0 ? a.url : b.url}/gw/energy-nodes/buildings`, {
          headers: { 'x-api-key': secret },
        }).then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        }),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40);
  }, 120_000);

  it('let a key issued on the control plane through on every node within a second', async () => {
    expect(nodeUrls).toHaveLength(2);
    const provider = await createTenant(platform, { kinds: ['provider'] });
    const consumer = await createTenant(platform, { kinds: ['consumer'] });
    const { open } = await publishDemoApi(platform, provider, {
      slug: 'energy-fresh-keys',
      upstreamUrl: upstream.url,
    });
    expect((await subscribe(platform, consumer, open.id)).statusCode).toBe(201);
    const { secret } = await createCredential(platform, consumer, 'api-key');
    const issuedAt = Date.now();
    const statuses = await Promise.all(
      nodeUrls.map(async (url) => {
        let status = 0;
        // The change feed's notice, the node's 20 ms debounce and one snapshot load: well inside 1 s.
        while (Date.now() - issuedAt < 1000) {
          const response = await fetch(`${url}/gw/energy-fresh-keys/buildings`, {
            headers: { 'x-api-key': secret },
          });
          await response.arrayBuffer();
          status = response.status;
          if (status === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return status;
      }),
    );
    expect(statuses).toEqual([200, 200]);
  }, 60_000);
});
