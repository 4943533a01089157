import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.js';
import type { NoisyModel, SynthesisRequest } from '../lab/synthesis.js';
import type { TrainingOutcome, TrainingRequest } from '../lab/training-run.js';

/** One query for a worker: SQL over views, each a Parquet file the query may read. */
export interface WorkerRequest {
  id: number;
  sql: string;
  views: { name: string; file: string }[];
  maxRows: number;
  /** Train a model on the query's rows instead of returning them (lab jobs, training-run.ts). */
  train?: TrainingRequest;
  /**
   * Measure the noisy marginals of a lab dataset for its synthetic twin (synthesis.ts) instead of
   * running `sql`: the worker writes its own SELECTs over the one view it is given.
   */
  synthesize?: SynthesisRequest;
}

export type WorkerReply =
  | {
      id: number;
      ok: true;
      columns: { name: string; type: string }[];
      rows: unknown[][];
      truncated: boolean;
      trained?: TrainingOutcome;
      synthesized?: NoisyModel;
    }
  | { id: number; ok: false; message: string }
  | { id: number; progress: number };

export interface QueryJob {
  sql: string;
  /** The only files the query's engine may open, each as a view of the given name. */
  views: { name: string; file: string }[];
  maxRows: number;
  timeoutMs: number;
  train?: TrainingRequest;
  synthesize?: SynthesisRequest;
  /** Told the share of a training run done, now and then. */
  onProgress?: (done: number) => void;
  /** Aborting stops the worker (and so the job) at once. */
  signal?: AbortSignal;
}

export interface JobResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  truncated: boolean;
  trained?: TrainingOutcome;
  synthesized?: NoisyModel;
}

/** A job stopped by its caller (AbortSignal), not by a cap. */
export class JobCancelled extends Error {}

/** The answer to a query that needed more memory than a worker may use, however it was stopped. */
function outgrown(memoryMb: number): AppError {
  return new AppError(
    'query-resources-exceeded',
    `the query needed more than the ${memoryMb} MiB of memory a query may use and was stopped; ` +
      'aggregate, filter or select fewer columns',
  );
}

/** An engine error from the worker (the caller decides how much of its message a consumer may see). */
export class EngineError extends Error {}

export interface WorkerPoolOptions {
  /** Worker processes at most (STP_QUERY_WORKERS). */
  workers: number;
  /** Resident memory one worker may use, in MiB (STP_QUERY_MEMORY_MB); over it the worker is killed. */
  memoryMb: number;
  /** DuckDB threads per query. */
  threads: number;
  /** Queries waiting for a worker at most; more answer 503 at once. */
  maxQueued?: number;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
  cgroup: string | null;
  /** The sets of views this worker ran last, most recent last: it likely keeps them warm. */
  recent: string[];
}

/** How many sets of views a worker keeps warm (worker-process.ts). */
const warmPerWorker = 4;

/** A set of views as worker-process.ts keys its warm instances. */
function setKeyOf(views: QueryJob['views']): string {
  return JSON.stringify(
    views.map((view) => [view.name, view.file]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)),
  );
}

const pageSize = 4096;
const watchEveryMs = 25;

/** Resident set size of a process in bytes, from /proc (Linux); null where /proc is not there. */
function residentBytes(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return Number(fields[1]) * pageSize;
  } catch {
    return null;
  }
}

/**
 * Where cgroup v2 is mounted with the memory controller and writable, each worker gets a cgroup
 * whose `memory.max` the kernel enforces: a worker over it is killed by the kernel, not the
 * platform. Elsewhere (cgroup v1, containers without delegation) the RSS watchdog alone holds.
 */
function cgroupFor(pid: number, memoryMb: number): string | null {
  const root = '/sys/fs/cgroup';
  try {
    if (!readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').includes('memory')) return null;
    const dir = path.join(root, `stp-query-${process.pid}-${pid}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'memory.max'), String(memoryMb * 1024 * 1024));
    writeFileSync(path.join(dir, 'memory.swap.max'), '0');
    writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
    return dir;
  } catch {
    return null;
  }
}

function removeCgroup(dir: string | null): void {
  if (!dir) return;
  try {
    rmdirSync(dir);
  } catch {
    // Still busy or already gone: the kernel frees an empty cgroup's memory either way.
  }
}

/** The worker script beside this module, as TypeScript (tests, tsx) or compiled JavaScript. */
function workerScript(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  const file = path.join(path.dirname(here), `worker-process${extension}`);
  if (!existsSync(file)) throw new Error(`query worker script missing: ${file}`);
  return { file, execArgv: extension === '.ts' ? ['--import', 'tsx'] : [] };
}

/**
 * A small pool of query worker processes. A query goes to an idle worker (one is started on
 * demand, up to `workers`) or waits in a bounded queue. While it runs, a watchdog reads the
 * worker's resident memory; past the cap, or past the query's time limit, the worker is killed and
 * the query answers 503 or 408 problem+json. The control plane, the gateway and other queries run
 * in other processes and keep serving; a new worker replaces the dead one on the next query.
 */
export class QueryWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private closed = false;
  private killedForMemory = 0;
  private killedForTime = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Workers killed so far, by cause (for /metrics). */
  get kills(): { memory: number; time: number } {
    return { memory: this.killedForMemory, time: this.killedForTime };
  }

  private spawn(): Slot {
    const { file, execArgv } = workerScript();
    // DuckDB's own limit sits below the process cap, so most heavy queries fail inside DuckDB with
    // a clean error; the cap is for what DuckDB does not account (huge strings, allocator slack).
    const duckdbMb = Math.max(64, Math.floor(this.options.memoryMb * 0.6));
    const child = fork(file, [], {
      execArgv: [...execArgv, `--max-old-space-size=${Math.max(64, Math.floor(this.options.memoryMb / 4))}`],
      // Nothing of the platform's environment (database URLs, passwords) enters the process that
      // runs consumer SQL: DuckDB's getenv() would read it back.
      env: {
        PATH: process.env.PATH ?? '',
        ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
        STP_WORKER_THREADS: String(this.options.threads),
        STP_WORKER_DUCKDB_MEMORY: `${duckdbMb}MB`,
        STP_WORKER_MEMORY_MB: String(this.options.memoryMb),
        STP_WORKER_WARM: String(warmPerWorker),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const slot: Slot = { child, busy: false, cgroup: null, ready: Promise.resolve(), recent: [] };
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { ready?: boolean }).ready) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = () => reject(new Error('the query worker exited while starting'));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    slot.ready.catch(() => {});
    if (child.pid) slot.cgroup = cgroupFor(child.pid, this.options.memoryMb);
    child.once('exit', () => {
      removeCgroup(slot.cgroup);
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      this.release();
    });
    // The platform never waits for an idle worker to exit.
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.slots.push(slot);
    return slot;
  }

  /** An idle worker, preferably one that ran this set of views lately (its instance is warm). */
  private idleSlot(key: string): Slot | undefined {
    const idle = this.slots.filter(
      (slot) => !slot.busy && slot.child.exitCode === null && !slot.child.killed,
    );
    if (idle.length > 0) {
      // Else one warm for nothing yet, else any: its least recent set makes way.
      return (
        idle.find((slot) => slot.recent.includes(key)) ??
        idle.find((slot) => slot.recent.length === 0) ??
        idle[0]
      );
    }
    if (this.slots.length < this.options.workers) return this.spawn();
    return undefined;
  }

  private release(): void {
    const wake = this.waiting.shift();
    wake?.();
  }

  private async acquire(key: string): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new AppError('query-engine-busy', 'the query engine is shutting down');
      const slot = this.idleSlot(key);
      if (slot) {
        slot.busy = true;
        return slot;
      }
      if (this.waiting.length >= (this.options.maxQueued ?? 64)) {
        throw new AppError('query-engine-busy', 'every query worker is busy; try again shortly', {
          retryAfterSeconds: 1,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Runs one query in a worker; the worker's death answers for this query alone. */
  async run(job: QueryJob): Promise<JobResult> {
    const key = setKeyOf(job.views);
    const slot = await this.acquire(key);
    // An idle worker never keeps the platform's process alive; one running a query does, so a
    // caller with nothing else pending (a script, a benchmark) still hears the answer.
    const channel = slot.child.channel as { ref?: () => void; unref?: () => void } | undefined;
    slot.child.ref();
    channel?.ref?.();
    try {
      await slot.ready;
      slot.recent = [...slot.recent.filter((recent) => recent !== key), key].slice(-warmPerWorker);
      return await this.runOn(slot, job);
    } finally {
      slot.child.unref();
      channel?.unref?.();
      slot.busy = false;
      this.release();
    }
  }

  private runOn(slot: Slot, job: QueryJob): Promise<JobResult> {
    const { child } = slot;
    const id = this.nextId++;
    const capBytes = this.options.memoryMb * 1024 * 1024;
    return new Promise<JobResult>((resolve, reject) => {
      let verdict: 'memory' | 'time' | 'cancelled' | null = null;
      const kill = (cause: 'memory' | 'time' | 'cancelled') => {
        if (verdict) return;
        verdict = cause;
        if (cause === 'memory') this.killedForMemory += 1;
        else if (cause === 'time') this.killedForTime += 1;
        child.kill('SIGKILL');
      };
      const onAbort = () => kill('cancelled');
      if (job.signal?.aborted) onAbort();
      job.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => kill('time'), job.timeoutMs);
      const watchdog = setInterval(() => {
        const rss = child.pid ? residentBytes(child.pid) : null;
        if (rss !== null && rss > capBytes) kill('memory');
      }, watchEveryMs);
      const done = () => {
        clearTimeout(timer);
        clearInterval(watchdog);
        job.signal?.removeEventListener('abort', onAbort);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (message: WorkerReply) => {
        if (message.id !== id) return;
        if ('progress' in message) {
          job.onProgress?.(message.progress);
          return;
        }
        done();
        if (message.ok) {
          resolve({
            columns: message.columns,
            rows: message.rows,
            truncated: message.truncated,
            ...(message.trained ? { trained: message.trained } : {}),
            ...(message.synthesized ? { synthesized: message.synthesized } : {}),
          });
        } else if (/out of memory|memory limit/i.test(message.message)) {
          // DuckDB's own memory limit stopped the query before the watchdog had to: the same answer.
          reject(outgrown(this.options.memoryMb));
        } else reject(new EngineError(message.message));
      };
      const onExit = (_code: number | null, signal: NodeJS.Signals | null) => {
        done();
        if (verdict === 'cancelled') reject(new JobCancelled('the job was cancelled'));
        else if (verdict === 'time') {
          reject(
            new AppError('query-timeout', `the query ran longer than ${job.timeoutMs} ms and was stopped`),
          );
        } else {
          if (verdict === null && signal === 'SIGKILL') this.killedForMemory += 1;
          reject(outgrown(this.options.memoryMb));
        }
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      const request: WorkerRequest = {
        id,
        sql: job.sql,
        views: job.views,
        maxRows: job.maxRows,
        ...(job.train ? { train: job.train } : {}),
        ...(job.synthesize ? { synthesize: job.synthesize } : {}),
      };
      child.send(request);
    });
  }

  /** Stops every worker; queries in flight fail, queued ones are refused. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.child.kill('SIGKILL');
    for (const wake of this.waiting.splice(0)) wake();
  }
}
