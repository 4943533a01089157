import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { adminEmail, password } from './harness.js';

/**
 * Real processes for the fault tests: the platform as `stp serve` in a child process
 * (so it can be killed with SIGKILL), a private redis-server, a TCP proxy in front of PostgreSQL
 * whose connections the test can cut, and a local upstream that can fail or hang on demand. Only
 * loopback addresses, and every wait has a deadline.
 */

const stp = path.resolve('bin/stp.js');

/** Polls until `check` holds (returns truthy) or the deadline passes; never a bare sleep in a test. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  what: string,
  deadlineMs = 20_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const until = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A port free at the time of asking, for a server that cannot be told to pick one (redis-server). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (failpoint notices, errors). */
  stderr(): string;
  /** Everything it wrote to stdout and stderr (logs at LOG_LEVEL, default error), for a failure's message. */
  output(): string;
  /** Resolves once the process has stopped at the named failpoint. */
  reachedFailpoint(name: string): Promise<void>;
  /** `kill -9`, and waits for the process to be gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean stop: the meter flushes, the database closes), and waits. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  dataDir: string;
  databaseUrl?: string;
  /** STP_FAILPOINTS for this run (src/infra/failpoints.ts). */
  failpoints?: string[];
  env?: Record<string, string>;
}

/** `stp serve` on a free loopback port, with the harness's operator, ready when this resolves. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [stp, 'serve', '--port', '0', '--host', '127.0.0.1', '--json'], {
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl ?? '',
      REDIS_URL: '',
      LOG_LEVEL: 'error',
      STP_DEMO: '0',
      STP_ADMIN_EMAIL: adminEmail,
      STP_ADMIN_PASSWORD: password,
      STP_ALLOW_PRIVATE_FETCH: '1',
      STP_FAILPOINTS: (options.failpoints ?? []).join(','),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const url = await waitFor(
    () => {
      if (hasExited) throw new Error(`stp serve exited: ${out}${err}`);
      return /"url": "([^"]+)"/.exec(out)?.[1];
    },
    'stp serve to listen',
    90_000,
  );
  const gone = async (signal: NodeJS.Signals) => {
    if (!hasExited) child.kill(signal);
    await exited;
  };
  return {
    url,
    child,
    stderr: () => err,
    output: () => out + err,
    reachedFailpoint: async (name) => {
      await waitFor(
        () => {
          if (hasExited) throw new Error(`the server exited before failpoint ${name}: ${err}`);
          return err.includes(`failpoint reached: ${name}\n`);
        },
        `failpoint ${name}`,
        30_000,
      );
    },
    kill9: () => gone('SIGKILL'),
    stop: () => gone('SIGTERM'),
  };
}

export interface RedisProcess {
  url: string;
  port: number;
  /** `kill -9`: Redis is gone, as if its machine died. */
  kill9(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A private redis-server on a free port, nothing saved, so the shared one on 6379 is never touched. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess;
  let exited: Promise<unknown>;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    exited = once(child, 'exit');
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() => out.includes('Ready to accept connections'), `redis-server on ${port}`, 15_000);
  };
  await launch();
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill9: () => halt('SIGKILL'),
    restart: launch,
    stop: () => halt('SIGTERM'),
  };
}

export interface TcpProxy {
  /** host:port to connect to instead of the target. */
  port: number;
  /** Connections opened through the proxy so far. */
  readonly connections: number;
  /** Drops every open connection and refuses new ones (they are closed as soon as accepted). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy the test controls, between the platform and PostgreSQL: `cut` is what the platform
 * sees when the database server restarts (every connection drops, new ones fail until it is back),
 * without touching the PostgreSQL server the rest of the suite shares.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isCut = false;
  let connections = 0;
  const server: Server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    connections += 1;
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const cut = () => {
    isCut = true;
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    cut,
    restore() {
      isCut = false;
    },
    async close() {
      cut();
      server.close();
      await once(server, 'close');
    },
  };
}

export type UpstreamMode = 'ok' | 'fail' | 'hang';

export interface ControlledUpstream {
  url: string;
  mode: UpstreamMode;
  /** Requests received, and the most that were in progress at once. */
  readonly received: number;
  readonly maxConcurrent: number;
  readonly inProgress: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Ends every hanging request (with 200) and resets the high-water mark. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A local upstream whose behaviour the test switches: `ok` answers 200 JSON, `fail` answers 503,
 * `hang` never answers (until `release`). It counts requests in progress, so a test can prove the
 * gateway never piles calls onto it.
 */
export async function startControlledUpstream(): Promise<ControlledUpstream> {
  let received = 0;
  let inProgress = 0;
  let maxConcurrent = 0;
  let connections = 0;
  const hanging = new Set<() => void>();
  const server: HttpServer = createHttpServer((req, res) => {
    received += 1;
    inProgress += 1;
    maxConcurrent = Math.max(maxConcurrent, inProgress);
    let isDone = false;
    const done = () => {
      if (isDone) return;
      isDone = true;
      inProgress -= 1;
    };
    res.on('close', done);
    req.resume();
    const answer = (status: number) => {
      const body = JSON.stringify({ ok: status === 200, path: req.url });
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (upstream.mode === 'ok') return answer(200);
    if (upstream.mode === 'fail') return answer(503);
    const release = () => {
      hanging.delete(release);
      answer(200);
    };
    hanging.add(release);
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const upstream: ControlledUpstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode: 'ok',
    get received() {
      return received;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    get inProgress() {
      return inProgress;
    },
    get connections() {
      return connections;
    },
    release() {
      for (const release of [...hanging]) release();
      maxConcurrent = inProgress;
    },
    async close() {
      this.release();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return upstream;
}
