import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createCredential, publishDemoApi } from './api-hub.js';
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
});
