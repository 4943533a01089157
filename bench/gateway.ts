/**
 * The gateway's throughput and added latency, against the upstream called directly and against
 * nginx `proxy_pass` with a keep-alive upstream, each in its own process, with the load generated
 * by autocannon from another process. The gateway runs with key auth, a (high) rate limit and
 * metering into memory, so the figures include the work every real call does. Both run once with
 * one worker process and once with two (nginx `worker_processes 2`; the gateway as
 * `stp gateway --workers 2` runs, node:cluster sharing the port).
 *
 * Roles: no argument orchestrates; `upstream`, `gateway <upstreamUrl> [workers]` and `load <json>`
 * are the child processes it starts.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { once } from 'node:events';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const durationSeconds = env('BENCH_GATEWAY_SECONDS', 10);
const warmupSeconds = env('BENCH_GATEWAY_WARMUP', 3);
const connections = env('BENCH_GATEWAY_CONNECTIONS', 50);
/** BENCH_GATEWAY_SPOOL=1: the meter appends and fsyncs its crash spool every 200 ms, as `stp serve` does. */
const withSpool = process.env.BENCH_GATEWAY_SPOOL === '1';
/** Fixed-rate runs per side for the added-latency figure, alternating direct and gateway. */
const fixedRateRepeats = Math.max(1, env('BENCH_GATEWAY_REPEATS', 3));
const apiKey = 'sk_bench_key';
const targets = { rpsOverNginx: 0.7, addedP99Ms: 2, twoWorkersOverNginx: 0.6, twoWorkersOverOne: 1.6 };
const self = fileURLToPath(import.meta.url);
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** A small JSON answer, as a typical data API would give. */
async function runUpstream() {
  const body = JSON.stringify({ building: 'Core F', kwh: 1234.5, at: '2026-11-01T00:00:00Z' });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
}

/** With `workers` above 1, forks that many gateways sharing one port and prints it once all listen. */
async function runGatewayWorkers(upstreamUrl: string, workers: number) {
  if (workers <= 1 || !cluster.isPrimary) return runGateway(upstreamUrl);
  let listening = 0;
  let port = 0;
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork();
    worker.on('message', (message: { port?: number }) => {
      port ||= message.port ?? 0;
      if (++listening === workers) process.stdout.write(`${port}\n`);
    });
  }
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function runGateway(upstreamUrl: string) {
  const { createGateway } = await import('../src/modules/gateway/handler.js');
  const { createLimits } = await import('../src/modules/gateway/limiter.js');
  const { Meter, MemoryUsageSink } = await import('../src/modules/gateway/metering.js');
  const { createStandaloneGatewayServer } = await import('../src/modules/gateway/server.js');
  const { apiKeyHash, FixedSnapshotSource } = await import('../src/modules/gateway/testing.js');
  const apiId = 'api_bench';
  const orgId = 'org_consumer';
  const subscription = {
    id: 'sub_bench',
    apiId,
    orgId,
    providerOrgId: 'org_provider',
    plan: {
      id: 'pln_bench',
      rateLimitPerSecond: 1_000_000,
      burst: 1_000_000,
      monthlyQuota: null,
      includedTags: [],
      includedPaths: [],
    },
  };
  const source = new FixedSnapshotSource({
    builtAt: Date.now(),
    apisBySlug: new Map([
      [
        'bench',
        {
          id: apiId,
          slug: 'bench',
          orgId: 'org_provider',
          upstreamUrl: upstreamUrl,
          validateRequests: false,
          operations: [{ method: 'get', path: '/energy', operationId: null, summary: null, tags: [] }],
        },
      ],
    ]),
    apiKeysByHash: new Map([[apiKeyHash(apiKey), { id: 'key_bench', orgId, validUntil: null }]]),
    oauthClientsById: new Map(),
    subscriptions: new Map([[`${orgId} ${apiId}`, subscription]]),
  });
  const sink = new MemoryUsageSink();
  sink.keepCalls = false;
  const { FileSpool } = await import('../src/modules/gateway/spool.js');
  const spoolDir = withSpool ? await mkdtemp(path.join(tmpdir(), 'stp-bench-spool-')) : undefined;
  const spool = spoolDir ? (await FileSpool.open(spoolDir)).spool : undefined;
  const gateway = createGateway({
    source,
    verifier: {
      verify: async () => {
        throw new Error('no tokens in this benchmark');
      },
    },
    limits: createLimits(),
    meter: new Meter(sink, { spool }),
  });
  await gateway.ready();
  const server = createStandaloneGatewayServer(gateway);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  // In a cluster worker every listen(0) shares one port; the primary prints it.
  if (cluster.isPrimary) process.stdout.write(`${port}\n`);
  else process.send?.({ port });
  // Exit on the orchestrator's SIGTERM (or ^C) through process.exit, so that a gateway started
  // with --cpu-prof or --prof writes its profile: a signal's default action would skip it.
  const stop = () => {
    server.closeAllConnections();
    server.close();
    void gateway
      .close()
      .then(() => spool?.close())
      .then(() => (spoolDir ? rm(spoolDir, { recursive: true, force: true }) : undefined))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

interface LoadResult {
  /** The machine's 1-minute load average as the run ended (the machine may be shared). */
  load1?: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function runLoad(spec: { url: string; seconds: number; rate?: number }) {
  // autocannon ships no types; this is the part of its result the benchmark reads.
  type Result = {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  const moduleName = 'autocannon';
  const { default: autocannon } = (await import(moduleName)) as {
    default: (options: Record<string, unknown>) => Promise<Result>;
  };
  const result = await autocannon({
    url: spec.url,
    connections,
    duration: spec.seconds,
    headers: { 'x-api-key': apiKey },
    ...(spec.rate ? { overallRate: spec.rate } : {}),
  });
  const out: LoadResult = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// ---- orchestration ----

const children: ChildProcess[] = [];

function child(args: string[]): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', self, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  return proc;
}

async function firstLine(proc: ChildProcess): Promise<string> {
  let buffer = '';
  for await (const chunk of proc.stdout!) {
    buffer += chunk;
    const end = buffer.indexOf('\n');
    if (end !== -1) return buffer.slice(0, end);
  }
  throw new Error('child exited without answering');
}

async function load(url: string, seconds: number, rate?: number): Promise<LoadResult> {
  const proc = child(['load', JSON.stringify({ url, seconds, rate })]);
  const line = await firstLine(proc);
  await once(proc, 'exit');
  return JSON.parse(line) as LoadResult;
}

async function measure(label: string, url: string, rate?: number): Promise<LoadResult> {
  if (!rate && warmupSeconds > 0) await load(url, warmupSeconds);
  const result = await load(url, durationSeconds, rate);
  result.load1 = round(loadavg()[0]!, 1);
  process.stderr.write(
    `  ${label}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms (load average ${result.load1})\n`,
  );
  if (result.non2xx > 0 || result.errors > 0) {
    process.stderr.write(`  ${label}: ${result.non2xx} non-2xx, ${result.errors} errors\n`);
  }
  return result;
}

/** The run with the median p99 (its other figures come with it, so the row stays one real run). */
function medianRun(runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.p99 - b.p99);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

async function startNginx(
  upstreamPort: number,
  parent: string,
  workers: number,
): Promise<{ port: number; proc: ChildProcess } | null> {
  if (spawnSync('nginx', ['-v']).error) {
    if (workers === 1) {
      process.stderr.write(
        '  nginx not found on PATH: its rows are skipped (apt-get install nginx-light, or brew install nginx)\n',
      );
    }
    return null;
  }
  const port = await freePort();
  const dir = path.join(parent, `nginx-${workers}`);
  await mkdir(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 100000;
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const proc = spawn('nginx', ['-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  children.push(proc);
  // nginx does not announce readiness: poll until it answers.
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/energy`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { port, proc };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('nginx did not start');
}

async function orchestrate() {
  const dir = await mkdtemp(path.join(tmpdir(), 'stp-bench-gateway-'));
  try {
    const upstreamPort = Number(await firstLine(child(['upstream'])));
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
    const gatewayPort = Number(await firstLine(child(['gateway', upstreamUrl])));
    const nginx = await startNginx(upstreamPort, dir, 1);

    const direct = await measure('(a) upstream direct', `${upstreamUrl}/energy`);
    const viaNginx = nginx
      ? await measure('(b) nginx proxy_pass', `http://127.0.0.1:${nginx.port}/energy`)
      : null;
    const viaGateway = await measure('(c) gateway', `http://127.0.0.1:${gatewayPort}/gw/bench/energy`);
    const halfRate = Math.max(1, Math.round(viaGateway.rps / 2));
    // One fixed-rate p99 is noisy on a shared machine (a single stall moves it by milliseconds):
    // alternate direct and gateway runs at the same rate and compare the medians.
    const directRuns: LoadResult[] = [];
    const gatewayRuns: LoadResult[] = [];
    for (let i = 0; i < fixedRateRepeats; i++) {
      directRuns.push(await measure(`direct at ${halfRate}/s`, `${upstreamUrl}/energy`, halfRate));
      gatewayRuns.push(
        await measure(
          `gateway at ${halfRate}/s`,
          `http://127.0.0.1:${gatewayPort}/gw/bench/energy`,
          halfRate,
        ),
      );
    }
    const directHalf = medianRun(directRuns);
    const gatewayHalf = medianRun(gatewayRuns);

    // Two worker processes each: nginx `worker_processes 2`, the gateway as `--workers 2` runs.
    const nginx2 = await startNginx(upstreamPort, dir, 2);
    const viaNginx2 = nginx2
      ? await measure('(d) nginx proxy_pass, 2 workers', `http://127.0.0.1:${nginx2.port}/energy`)
      : null;
    nginx2?.proc.kill('SIGTERM');
    const gateway2Port = Number(await firstLine(child(['gateway', upstreamUrl, '2'])));
    const viaGateway2 = await measure(
      '(e) gateway, 2 workers',
      `http://127.0.0.1:${gateway2Port}/gw/bench/energy`,
    );

    const ratios = {
      gatewayOverDirect: round(viaGateway.rps / direct.rps, 2),
      gatewayOverNginx: viaNginx ? round(viaGateway.rps / viaNginx.rps, 2) : null,
      twoWorkersOverNginx: viaNginx2 ? round(viaGateway2.rps / viaNginx2.rps, 2) : null,
      twoWorkersOverOne: round(viaGateway2.rps / viaGateway.rps, 2),
      nginxTwoOverOne: viaNginx && viaNginx2 ? round(viaNginx2.rps / viaNginx.rps, 2) : null,
    };
    const addedP99Ms = round(gatewayHalf.p99 - directHalf.p99, 2);
    const rows: [string, LoadResult | null][] = [
      ['(a) upstream direct', direct],
      ['(b) nginx proxy_pass', viaNginx],
      ['(c) gateway', viaGateway],
      ['(d) nginx proxy_pass, 2 workers', viaNginx2],
      ['(e) gateway, 2 workers', viaGateway2],
      [`direct at ${halfRate}/s (median of ${fixedRateRepeats})`, directHalf],
      [`gateway at ${halfRate}/s (median of ${fixedRateRepeats})`, gatewayHalf],
    ];
    const cells = [['measure', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'load']].concat(
      rows.map(([name, r]) =>
        r
          ? [
              name,
              Math.round(r.rps).toLocaleString('en'),
              String(r.p50),
              String(r.p99),
              String(r.non2xx + r.errors),
              String(r.load1 ?? ''),
            ]
          : [name, 'skipped (no nginx)', '', '', '', ''],
      ),
    );
    const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
    for (const row of cells) {
      console.log(
        row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
      );
    }
    console.log(`gateway / direct req/s: ${ratios.gatewayOverDirect}`);
    if (ratios.gatewayOverNginx !== null) {
      const met = ratios.gatewayOverNginx >= targets.rpsOverNginx ? 'yes' : 'NO';
      console.log(
        `gateway / nginx req/s: ${ratios.gatewayOverNginx} (target >= ${targets.rpsOverNginx}: ${met})`,
      );
    }
    if (ratios.twoWorkersOverNginx !== null) {
      const met = ratios.twoWorkersOverNginx >= targets.twoWorkersOverNginx ? 'yes' : 'NO';
      console.log(
        `2-worker gateway / 2-worker nginx req/s: ${ratios.twoWorkersOverNginx} (target >= ${targets.twoWorkersOverNginx}: ${met})`,
      );
      console.log(`2-worker nginx / 1-worker nginx req/s: ${ratios.nginxTwoOverOne}`);
    }
    const twoMet = ratios.twoWorkersOverOne >= targets.twoWorkersOverOne ? 'yes' : 'NO';
    console.log(
      `2-worker gateway / 1-worker gateway req/s: ${ratios.twoWorkersOverOne} (target >= ${targets.twoWorkersOverOne}: ${twoMet})`,
    );
    const p99Met = addedP99Ms < targets.addedP99Ms ? 'yes' : 'NO';
    console.log(
      `gateway added p99 at ${halfRate}/s: ${addedP99Ms} ms (target < ${targets.addedP99Ms} ms: ${p99Met})`,
    );
    console.log(`${connections} connections, ${durationSeconds} s per run after ${warmupSeconds} s warm-up`);
    console.log(
      `load average at the end: ${loadavg()
        .map((n) => n.toFixed(1))
        .join(', ')} on ${availableParallelism()} cores (the load generator shares them)`,
    );
    console.log('targets are information only: a miss does not fail the run');

    const results = {
      benchmark: 'gateway',
      at: new Date().toISOString(),
      node: process.version,
      loadAverage: loadavg(),
      cores: availableParallelism(),
      connections,
      durationSeconds,
      targets,
      direct,
      nginx: viaNginx,
      gateway: viaGateway,
      nginx2: viaNginx2,
      gateway2: viaGateway2,
      halfPeak: {
        rate: halfRate,
        repeats: fixedRateRepeats,
        direct: directHalf,
        gateway: gatewayHalf,
        addedP99Ms,
        runs: { direct: directRuns, gateway: gatewayRuns },
      },
      ratios,
    };
    const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    const out = path.join(resultsDir, 'gateway.json');
    await writeFile(`${out}.${process.pid}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
    await rename(`${out}.${process.pid}.tmp`, out);
  } finally {
    for (const proc of children) if (proc.exitCode === null) proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

const [role, arg] = process.argv.slice(2);
if (role === 'upstream') await runUpstream();
else if (role === 'gateway') await runGatewayWorkers(arg!, Number(process.argv[4] ?? 1));
else if (role === 'load') await runLoad(JSON.parse(arg!));
else await orchestrate();
