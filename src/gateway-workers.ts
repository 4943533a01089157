import cluster, { type Worker } from 'node:cluster';
import type { LimitShare } from './modules/gateway/limiter.js';

/**
 * `stp gateway --workers N` and `stp serve --workers N`: one supervisor process and N gateway worker processes sharing one
 * listening socket through node:cluster (the supervisor accepts and hands connections out round
 * robin). Each worker is a whole gateway (its snapshot, its meter and spool, its upstream pools);
 * limits stay exact across them through Redis, or without Redis each worker enforces its part of
 * every limit (`LimitShare`), so the parts add up to the whole.
 *
 * `stp serve` workers are whole nodes in the same way (control plane, portal and the gateway path);
 * the first (index 0) also prepares the operator and the demo and runs the jobs that run once per
 * cluster, and its banner is the one the supervisor prints.
 *
 * A worker that dies is replaced by a new one with the same index, so the parts of the limits still
 * add up; the replacement takes over the dead worker's metering spool at start. If workers keep
 * dying (five deaths within five seconds), the supervisor gives up rather than spin.
 */

const indexVariable = 'STP_GATEWAY_WORKER_INDEX';
const countVariable = 'STP_GATEWAY_WORKER_COUNT';

/** The message a worker sends the supervisor once it listens. */
interface ListeningMessage {
  type: 'stp-gateway-listening';
  port: number;
  /** Lines for a person, from the worker that has them to say (`stp serve`'s first). */
  banner?: string[];
}

function isListeningMessage(message: unknown): message is ListeningMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as ListeningMessage).type === 'stp-gateway-listening' &&
    typeof (message as ListeningMessage).port === 'number'
  );
}

/** True in the process that starts the workers (not in a worker it started). */
export function isGatewaySupervisor(): boolean {
  return cluster.isPrimary;
}

/** In a worker: which part of the limits is its own. */
export function gatewayWorkerShare(): LimitShare | undefined {
  if (cluster.isPrimary) return undefined;
  const index = Number(process.env[indexVariable]);
  const count = Number(process.env[countVariable]);
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1) return undefined;
  return { index, count };
}

/** In a worker: tells the supervisor this worker listens (on the port the socket is bound to). */
export function announceListening(port: number, banner?: string[]): void {
  const message: ListeningMessage = { type: 'stp-gateway-listening', port, banner };
  process.send?.(message);
}

export interface SupervisorLog {
  info(message: string): void;
  error(message: string): void;
}

export interface GatewaySupervisor {
  /** The port the workers listen on (the first to listen says). */
  port: number;
  /** What the workers had to say when they started (`stp serve`'s first worker's banner). */
  banner: string[];
  /** Current worker pids by index. */
  pids(): number[];
  /** SIGTERM to every worker, SIGKILL to those still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** How many deaths within `crashWindowMs` make the supervisor give up. */
const crashLimit = 5;
const crashWindowMs = 5_000;

/**
 * Starts `count` workers running this same program (the CLI re-enters `stp gateway` in each) and
 * resolves once every one listens. Rejects when a worker fails before all are listening; after
 * that, dead workers are replaced.
 */
export function superviseGatewayWorkers(options: {
  count: number;
  log: SupervisorLog;
  /** Called when the supervisor gives up on workers that keep dying. */
  onGiveUp?: () => void;
}): Promise<GatewaySupervisor> {
  const { count, log } = options;
  const workers = new Map<number, Worker>();
  const deaths: number[] = [];
  let stopping = false;
  let port = 0;
  const banner: string[] = [];

  return new Promise((resolve, reject) => {
    let listening = 0;
    let started = false;
    const supervisor: GatewaySupervisor = {
      get port() {
        return port;
      },
      banner,
      pids: () => [...workers.values()].map((worker) => worker.process.pid ?? 0),
      stop: async (graceMs = 10_000) => {
        stopping = true;
        const alive = [...workers.values()].filter((worker) => !worker.isDead());
        await Promise.all(
          alive.map(
            (worker) =>
              new Promise<void>((done) => {
                const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs);
                worker.once('exit', () => {
                  clearTimeout(timer);
                  done();
                });
                worker.process.kill('SIGTERM');
              }),
          ),
        );
      },
    };

    const fork = (index: number) => {
      const worker = cluster.fork({ [indexVariable]: String(index), [countVariable]: String(count) });
      workers.set(index, worker);
      worker.on('message', (message: unknown) => {
        if (!isListeningMessage(message)) return;
        port ||= message.port;
        if (!started && message.banner) banner.push(...message.banner);
        if (!started && ++listening === count) {
          started = true;
          resolve(supervisor);
        }
      });
      worker.on('exit', (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        if (stopping) return;
        const how = signal ?? `exit code ${code}`;
        if (!started) {
          stopping = true;
          for (const other of workers.values()) other.process.kill('SIGTERM');
          reject(new Error(`gateway worker ${index} ended (${how}) before it listened`));
          return;
        }
        const now = Date.now();
        deaths.push(now);
        while (deaths.length > 0 && deaths[0]! < now - crashWindowMs) deaths.shift();
        if (deaths.length >= crashLimit) {
          stopping = true;
          log.error(
            `gateway workers ended ${deaths.length} times within ${crashWindowMs / 1000} s; stopping`,
          );
          for (const other of workers.values()) other.process.kill('SIGTERM');
          options.onGiveUp?.();
          return;
        }
        log.info(`gateway worker ${index} (pid ${worker.process.pid}) ended (${how}); starting another`);
        fork(index);
      });
    };

    for (let index = 0; index < count; index++) fork(index);
  });
}
