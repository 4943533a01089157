import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import { createTenant, createTestPlatform, type TestPlatform } from './harness.js';

const stp = path.resolve('bin/stp.js');

interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** Starts `stp gateway` (with `workers` worker processes) as its own process and resolves with its URL. */
function startGatewayProcess(env: NodeJS.ProcessEnv, workers = 1): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    [stp, 'gateway', '--port', '0', '--json', '--workers', String(workers)],
    { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /"url": "([^"]+)"/.exec(out);
      if (match) resolve({ url: match[1]!, child, output: () => out });
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`stp gateway exited with ${code}: ${out}`)));
  });
}

/**
 * A consumer's key on an API whose plan refills practically never (0.001 calls a second), so the
 * burst is all a test can spend.
 */
async function tightPlanKey(
  platform: TestPlatform,
  upstream: RunningUpstream,
  slug: string,
  burst: number,
): Promise<string> {
  const provider = await createTenant(platform, { kinds: ['provider'] });
  const consumer = await createTenant(platform, { kinds: ['consumer'] });
  const { api } = await publishDemoApi(platform, provider, {
    slug: slug,
    upstreamUrl: upstream.url,
  });
  const plan = await platform.app.inject({
    method: 'POST',
    url: `/v1/apis/${api.id}/plans`,
    headers: provider.headers,
    payload: { name: 'Tight', rateLimitPerSecond: 0.001, burst },
  });
  await platform.app.inject({
    method: 'POST',
    url: '/v1/subscriptions',
    headers: consumer.headers,
    payload: { planId: plan.json().id },
  });
  const { secret } = await createCredential(platform, consumer, 'api-key');
  return secret;
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
    // Practically no refill during the test: the burst of 10 is all there is.
    const secret = await tightPlanKey(platform, upstream, 'energy-nodes', 10);

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

/** One call on a connection of its own (so the cluster's round robin hands calls to every worker). */
function callOnNewConnection(
  url: string,
  secret: string,
): Promise<{ status: number; limit: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: false, headers: { 'x-api-key': secret, connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, limit: res.headers['ratelimit-limit'] as string }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The pids of a process's children (from /proc, Linux). */
async function childPids(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return children.split(/\s+/).filter(Boolean).map(Number);
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `stp gateway --workers 2` without Redis: two worker processes share the port and divide every
 * limit between them, so together they let exactly the plan's burst through; a worker killed is
 * replaced, and the replacement's part keeps the sum exact. Needs PostgreSQL (the embedded database
 * belongs to one process).
 */
describe.skipIf(!process.env.DATABASE_URL)('a gateway with two worker processes', () => {
  let platform: TestPlatform;
  let upstream: RunningUpstream;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    platform = await createTestPlatform('postgres');
    upstream = await startBuildingEnergyUpstream();
  });
  afterAll(async () => {
    if (gateway) {
      const exited = new Promise((resolve) => gateway!.child.once('exit', resolve));
      gateway.child.kill('SIGTERM');
      await exited;
    }
    await upstream?.close();
    await platform?.dispose();
  });

  it('divides the burst between the workers and keeps the sum when one is replaced', async () => {
    const secret = await tightPlanKey(platform, upstream, 'energy-workers', 9);

    gateway = await startGatewayProcess(
      { DATABASE_URL: platform.databaseUrl!, REDIS_URL: '', DATA_DIR: platform.dataDir },
      2,
    );
    const url = `${gateway.url}/gw/energy-workers/buildings`;
    const calls = [];
    for (let i = 0; i < 30; i++) calls.push(await callOnNewConnection(url, secret));
    expect(calls.filter((call) => call.status === 200)).toHaveLength(9);
    expect(calls.filter((call) => call.status === 429)).toHaveLength(21);
    // Each worker states its own part of the burst: 5 and 4.
    expect(new Set(calls.map((call) => call.limit))).toEqual(new Set(['5', '4']));

    const workers = await childPids(gateway.child.pid!);
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    const replaced = await waitFor(
      async () => {
        const now = await childPids(gateway!.child.pid!);
        return now.length === 2 && !now.includes(workers[0]!) ? now : undefined;
      },
      'a worker in place of the one killed',
      30_000,
    );
    expect(replaced).toContain(workers[1]);
    await waitFor(
      async () =>
        /gateway worker \d \(pid \d+\) ended \(SIGKILL\); starting another/.test(gateway!.output())
          ? true
          : undefined,
      'the supervisor saying it replaced the worker',
      30_000,
    );
    // The replacement starts from a fresh part and the survivor has spent its own: at most the
    // replacement's part passes, never the whole burst again.
    const after = [];
    for (let i = 0; i < 10; i++) after.push(await callOnNewConnection(url, secret));
    expect(after.filter((call) => call.status === 200).length).toBeLessThanOrEqual(5);
  }, 120_000);
});

/** Starts `stp serve --workers N` as its own process and resolves with its URL once every worker listens. */
function startServeProcess(env: NodeJS.ProcessEnv, workers: number): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    [stp, 'serve', '--port', '0', '--json', '--workers', String(workers)],
    {
      env: { ...process.env, LOG_LEVEL: 'silent', STP_DEMO: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /"url": "([^"]+)"/.exec(out);
      if (match) resolve({ url: match[1]!, child, output: () => out });
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`stp serve exited with ${code}: ${out}`)));
  });
}

/** A scrape of /metrics on a connection of its own: the pid that answered, and the text. */
function scrape(url: string): Promise<{ pid: number; metrics: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/metrics`, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => {
        const match = /^stp_process_info\{pid="(\d+)"\} 1$/m.exec(body);
        if (match) resolve({ pid: Number(match[1]), metrics: body });
        else reject(new Error(`no stp_process_info in /metrics (status ${res.statusCode})`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `stp serve --workers 2` on PostgreSQL and Redis: two worker processes answer on one port, the
 * control plane and the gateway path alike, and a plan's limit is one limit across them.
 */
describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)(
  'stp serve with two worker processes',
  () => {
    let platform: TestPlatform;
    let upstream: RunningUpstream;
    let serve: GatewayProcess | undefined;

    beforeAll(async () => {
      platform = await createTestPlatform('postgres');
      upstream = await startBuildingEnergyUpstream();
    });
    afterAll(async () => {
      if (serve) {
        const exited = new Promise((resolve) => serve!.child.once('exit', resolve));
        serve.child.kill('SIGTERM');
        await exited;
      }
      await upstream?.close();
      await platform?.dispose();
    });

    it('answers through both workers and lets exactly the burst through the gateway path', async () => {
      const secret = await tightPlanKey(platform, upstream, 'energy-serve-workers', 10);
      serve = await startServeProcess(
        {
          DATABASE_URL: platform.databaseUrl!,
          REDIS_URL: process.env.REDIS_URL!,
          DATA_DIR: platform.dataDir,
        },
        2,
      );

      const scrapes = new Map<number, string>();
      for (let i = 0; i < 10; i++) {
        const { pid, metrics } = await scrape(serve.url);
        scrapes.set(pid, metrics);
      }
      expect(scrapes.size).toBe(2);
      expect(scrapes.has(serve.child.pid!)).toBe(false);
      // The jobs that run once per cluster are the first worker's alone; both run the every-node ones.
      const runsJob = (metrics: string, job: string) =>
        metrics.includes(`stp_scheduled_job_runs_total{job="${job}"`);
      const metrics = [...scrapes.values()];
      expect(metrics.filter((text) => runsJob(text, 'subscription-expiry'))).toHaveLength(1);
      expect(metrics.filter((text) => runsJob(text, 'webhook-deliveries'))).toHaveLength(2);

      const url = `${serve.url}/gw/energy-serve-workers/buildings`;
      const calls = [];
      for (let i = 0; i < 30; i++) calls.push(await callOnNewConnection(url, secret));
      expect(calls.filter((call) => call.status === 200)).toHaveLength(10);
      expect(calls.filter((call) => call.status === 429)).toHaveLength(20);
      // Through Redis each worker enforces the whole limit, not a part of it.
      expect(new Set(calls.map((call) => call.limit))).toEqual(new Set(['10']));
    }, 120_000);
  },
);
