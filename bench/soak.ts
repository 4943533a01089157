/**
 * `npm run soak`: the platform under a steady load for minutes, to find what only time
 * shows: memory that grows, sockets or DuckDB connections that are never given back, errors that
 * start after a while. Loopback only, bounded in time (SOAK_SECONDS), not run in CI.
 *
 * The platform runs as its own process (`stp serve`, PGlite in a temp DATA_DIR), so what is measured
 * is the server alone: its RSS and open file descriptors from /proc, its heap and open DuckDB
 * connections from /metrics. This process seeds the world (an API in front of a local upstream, a
 * dataset under an agreement with masks), then sends gateway calls and governed queries at a fixed
 * rate each (open loop: the rate does not drop when the server slows), samples every few seconds,
 * and, once the load has stopped and the server is idle, compares sockets and connections with
 * those before the load. It prints a table and exits non-zero on a leak or too many errors.
 *
 *   SOAK_SECONDS=180 SOAK_GATEWAY_RATE=200 SOAK_QUERY_RATE=4 npm run soak
 */
import { once } from 'node:events';
import { mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { createCredential, publishDemoApi } from '../test/api-hub.js';
import { customersCsv, grantAccess, publishDataset } from '../test/data-products.js';
import { createTenant, createTestPlatform } from '../test/harness.js';
import { startServerProcess, waitFor } from '../test/processes.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seconds = env('SOAK_SECONDS', 180);
const gatewayRate = env('SOAK_GATEWAY_RATE', 200);
const queryRate = env('SOAK_QUERY_RATE', 4);
const sampleEveryMs = env('SOAK_SAMPLE_SECONDS', 5) * 1000;
/** Calls in flight past this are not sent and count as errors: the server is not keeping up. */
const maxInFlight = env('SOAK_MAX_IN_FLIGHT', 256);
const limits = {
  errorRate: env('SOAK_MAX_ERROR_RATE', 0.01),
  rssGrowthMb: env('SOAK_MAX_RSS_GROWTH_MB', 128),
  extraSockets: env('SOAK_MAX_EXTRA_SOCKETS', 2),
};

interface Sample {
  atSeconds: number;
  rssMb: number;
  heapMb: number;
  fds: number;
  sockets: number;
  duckdbConnections: number;
  gatewayCalls: number;
  queries: number;
  errors: number;
}

interface Stream {
  name: string;
  sent: number;
  ok: number;
  errors: number;
  shed: number;
  inFlight: number;
  latenciesMs: number[];
  statuses: Map<string, number>;
}

const newStream = (name: string): Stream => ({
  name,
  sent: 0,
  ok: 0,
  errors: 0,
  shed: 0,
  inFlight: 0,
  latenciesMs: [],
  statuses: new Map(),
});

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function procFigures(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const fds = await readdir(`/proc/${pid}/fd`);
  let sockets = 0;
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target.startsWith('socket:')) sockets += 1;
  }
  return { rssMb: rssKb / 1024, fds: fds.length, sockets };
}

/** From /metrics, on a connection closed right after (`reset`), so it is not counted as the server's. */
async function metricsFigures(url: string) {
  const response = await request(`${url}/metrics`, { reset: true });
  const text = await response.body.text();
  const value = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    heapMb: value('nodejs_heap_size_used_bytes') / 1024 / 1024,
    duckdbConnections: value('stp_duckdb_open_connections'),
  };
}

/**
 * The provider's service: a small JSON answer. Its keep-alive is short (2 s, which it tells the
 * gateway), so once the load stops the gateway's pooled sockets to it close, and any socket still
 * open afterwards is one the gateway kept for nothing.
 */
async function startUpstream() {
  const body = JSON.stringify({ items: [{ id: 'core-f', name: 'Core F', kwh: 1234.5 }] });
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 2_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function main() {
  process.stdout.write(
    `soak: ${seconds} s, gateway ${gatewayRate}/s, governed queries ${queryRate}/s, sampling every ${sampleEveryMs / 1000} s\n`,
  );
  const upstream = await startUpstream();
  const seeding = await createTestPlatform('pglite', { onDisk: true });
  const { dataDir } = seeding;
  let slug: string;
  let apiKey: string;
  let queryToken: string;
  try {
    const provider = await createTenant(seeding, { kinds: ['provider'] });
    const consumer = await createTenant(seeding, { kinds: ['consumer'] });
    slug = 'soak-energy';
    const { api } = await publishDemoApi(seeding, provider, { slug, upstreamUrl: upstream.url });
    const plan = await seeding.app.inject({
      method: 'POST',
      url: `/v1/apis/${api.id}/plans`,
      headers: provider.headers,
      payload: { name: 'Soak', rateLimitPerSecond: 100_000, burst: 100_000 },
    });
    await seeding.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      headers: consumer.headers,
      payload: { planId: plan.json().id },
    });
    apiKey = (await createCredential(seeding, consumer, 'api-key')).secret;
    const dataset = await publishDataset(seeding, provider, {
      title: 'Soak customers',
      slug: 'soak_customers',
      content: customersCsv(20_000),
      classifications: { customer_id: 'identifier', email: 'personal', balance: 'sensitive' },
    });
    await grantAccess(seeding, consumer, provider, dataset.id, {
      columns: ['customer_id', 'district', 'age', 'balance'],
      terms: { masks: { customer_id: { kind: 'hash' } } },
    });
    const token = await seeding.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: consumer.headers,
      payload: { name: 'soak' },
    });
    queryToken = token.json().secret;
  } finally {
    await seeding.close();
  }

  const server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'error' } });
  const pid = server.child.pid!;
  let agent = new Agent({ connections: maxInFlight, keepAliveTimeout: 10_000 });
  const streams = { gateway: newStream('gateway'), query: newStream('query') };
  const samples: Sample[] = [];

  const send = (stream: Stream, fire: () => Promise<number>) => {
    if (stream.inFlight >= maxInFlight) {
      stream.shed += 1;
      stream.errors += 1;
      return;
    }
    stream.sent += 1;
    stream.inFlight += 1;
    const startedAt = performance.now();
    fire()
      .then(
        (status) => {
          stream.statuses.set(String(status), (stream.statuses.get(String(status)) ?? 0) + 1);
          if (status >= 200 && status < 300) stream.ok += 1;
          else stream.errors += 1;
        },
        (error: Error) => {
          stream.statuses.set(error.name, (stream.statuses.get(error.name) ?? 0) + 1);
          stream.errors += 1;
        },
      )
      .finally(() => {
        stream.inFlight -= 1;
        stream.latenciesMs.push(performance.now() - startedAt);
      });
  };
  const gatewayCall = async () => {
    const response = await request(`${server.url}/gw/${slug}/buildings`, {
      dispatcher: agent,
      headers: { 'x-api-key': apiKey },
    });
    await response.body.dump();
    return response.statusCode;
  };
  const sqlText =
    'SELECT district, count(*) AS n, avg(age) AS mean_age FROM soak_customers GROUP BY district';
  const governedQuery = async () => {
    const response = await request(`${server.url}/v1/query`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${queryToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: sqlText }),
    });
    await response.body.dump();
    return response.statusCode;
  };

  const sample = async (atSeconds: number): Promise<Sample> => {
    const proc = await procFigures(pid);
    const metrics = await metricsFigures(server.url);
    return {
      atSeconds,
      ...proc,
      ...metrics,
      gatewayCalls: streams.gateway.sent,
      queries: streams.query.sent,
      errors: streams.gateway.errors + streams.query.errors,
    };
  };

  try {
    await waitFor(async () => (await gatewayCall()) === 200, 'the gateway snapshot', 60_000);
    await waitFor(async () => (await governedQuery()) === 200, 'a first governed query', 60_000);
    // Idle before the load: the reference for sockets and connections. The client side is closed
    // first, and the gateway's keep-alive sockets to the upstream (4 s) are given time to close, so
    // only the server's own sockets (listener, database, upstream pool at rest) are counted.
    const idle = async () => {
      await agent.close();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const proc = await procFigures(pid);

      return { ...proc, ...(await metricsFigures(server.url)) };
    };
    const before = await idle();
    agent = new Agent({ connections: maxInFlight, keepAliveTimeout: 10_000 });
    const load = async () => {
      const startedAt = performance.now();
      const tickMs = 20;
      let owedGateway = 0;
      let owedQueries = 0;
      let nextSample = sampleEveryMs;
      let lastReport = 0;
      let lastTick = startedAt;
      while (performance.now() - startedAt < seconds * 1000) {
        // Owed by the clock, not by the tick count: a late tick sends what the rate says was due.
        const now = performance.now();
        owedGateway += (gatewayRate * (now - lastTick)) / 1000;
        owedQueries += (queryRate * (now - lastTick)) / 1000;
        lastTick = now;
        for (; owedGateway >= 1; owedGateway -= 1) send(streams.gateway, gatewayCall);
        for (; owedQueries >= 1; owedQueries -= 1) send(streams.query, governedQuery);
        const elapsed = performance.now() - startedAt;
        if (elapsed >= nextSample) {
          nextSample += sampleEveryMs;
          samples.push(await sample(Math.round(elapsed / 1000)));
          if (elapsed - lastReport >= 30_000) {
            lastReport = elapsed;
            const last = samples[samples.length - 1]!;
            process.stdout.write(
              `  ${last.atSeconds} s: rss ${last.rssMb.toFixed(0)} MB, heap ${last.heapMb.toFixed(0)} MB, ` +
                `${last.sockets} sockets, ${last.duckdbConnections} DuckDB connections, ${last.errors} errors\n`,
            );
          }
        }
        await new Promise((resolve) => setTimeout(resolve, tickMs));
      }
    };
    await load();
    await waitFor(() => streams.gateway.inFlight + streams.query.inFlight === 0, 'the load to drain', 60_000);
    const after = await idle();

    report({ samples, streams, before, after });
  } finally {
    await server.stop();
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(run: {
  samples: Sample[];
  streams: { gateway: Stream; query: Stream };
  before: { rssMb: number; heapMb: number; fds: number; sockets: number; duckdbConnections: number };
  after: { rssMb: number; heapMb: number; fds: number; sockets: number; duckdbConnections: number };
}) {
  const { samples, streams, before, after } = run;
  const lines: string[] = [];
  lines.push('');
  lines.push('  t (s) | RSS MB | heap MB | fds | sockets | DuckDB conns | gateway calls | queries | errors');
  lines.push('  ----- | ------ | ------- | --- | ------- | ------------ | ------------- | ------- | ------');
  for (const s of samples) {
    lines.push(
      `  ${String(s.atSeconds).padStart(5)} | ${s.rssMb.toFixed(0).padStart(6)} | ${s.heapMb.toFixed(0).padStart(7)} | ` +
        `${String(s.fds).padStart(3)} | ${String(s.sockets).padStart(7)} | ${String(s.duckdbConnections).padStart(12)} | ` +
        `${String(s.gatewayCalls).padStart(13)} | ${String(s.queries).padStart(7)} | ${String(s.errors).padStart(6)}`,
    );
  }
  // Growth under load: from the first sample after warm-up (a fifth of the run) to the last.
  const warm = samples[Math.min(samples.length - 1, Math.floor(samples.length / 5))];
  const last = samples[samples.length - 1];
  const rssGrowthMb = warm && last ? last.rssMb - warm.rssMb : 0;
  const heapGrowthMb = warm && last ? last.heapMb - warm.heapMb : 0;
  const summary = (stream: Stream) => ({
    requests: stream.sent + stream.shed,
    errors: stream.errors,
    errorRate: stream.sent + stream.shed === 0 ? 0 : stream.errors / (stream.sent + stream.shed),
    p50Ms: Number(percentile(stream.latenciesMs, 50).toFixed(2)),
    p99Ms: Number(percentile(stream.latenciesMs, 99).toFixed(2)),
    statuses: Object.fromEntries(stream.statuses),
  });
  const gateway = summary(streams.gateway);
  const query = summary(streams.query);
  lines.push('');
  lines.push('  stream  | requests | errors | error rate | p50 ms | p99 ms | statuses');
  lines.push('  ------- | -------- | ------ | ---------- | ------ | ------ | --------');
  for (const [name, s] of [
    ['gateway', gateway],
    ['query', query],
  ] as const) {
    lines.push(
      `  ${name.padEnd(7)} | ${String(s.requests).padStart(8)} | ${String(s.errors).padStart(6)} | ` +
        `${(s.errorRate * 100).toFixed(2).padStart(9)}% | ${String(s.p50Ms).padStart(6)} | ${String(s.p99Ms).padStart(6)} | ` +
        JSON.stringify(s.statuses),
    );
  }
  const checks = [
    {
      name: `gateway error rate ≤ ${limits.errorRate * 100}%`,
      value: `${(gateway.errorRate * 100).toFixed(2)}%`,
      ok: gateway.errorRate <= limits.errorRate,
    },
    {
      name: `query error rate ≤ ${limits.errorRate * 100}%`,
      value: `${(query.errorRate * 100).toFixed(2)}%`,
      ok: query.errorRate <= limits.errorRate,
    },
    {
      name: `RSS growth under load ≤ ${limits.rssGrowthMb} MB`,
      value: `${rssGrowthMb.toFixed(1)} MB (heap ${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb.toFixed(1)} MB)`,
      ok: rssGrowthMb <= limits.rssGrowthMb,
    },
    {
      name: `sockets when idle again ≤ before + ${limits.extraSockets}`,
      value: `${before.sockets} → ${after.sockets}`,
      ok: after.sockets <= before.sockets + limits.extraSockets,
    },
    {
      name: 'DuckDB connections when idle again = 0',
      value: `${before.duckdbConnections} → ${after.duckdbConnections}`,
      ok: after.duckdbConnections === 0,
    },
  ];
  lines.push('');
  for (const check of checks) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.value}`);
  const isHealthy = checks.every((check) => check.ok);
  lines.push('');
  lines.push(isHealthy ? 'soak: held' : 'soak: FAILED');
  process.stdout.write(`${lines.join('\n')}\n`);
  const results = fileURLToPath(new URL('./results/', import.meta.url));
  void mkdir(results, { recursive: true }).then(() =>
    writeFile(
      `${results}soak.json`,
      `${JSON.stringify({ seconds, gatewayRate, queryRate, samples, gateway, query, before, after, checks }, null, 2)}\n`,
    ),
  );
  process.exitCode = isHealthy ? 0 : 1;
}

await main();
