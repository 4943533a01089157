import { type ChildProcess, fork } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
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
  /** The organisation the query runs for: it may hold only so many workers at once. */
  orgId?: string;
  /**
   * Waits behind its organisation's other queries however many there are, never refused for
   * them: a lab query has paid its ε before it runs, and its budget already bounds how many come.
   */
  mayWait?: boolean;
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

/** The answer to a query that spilled more to disk than a query may, however it was stopped. */
function overspilled(tempMb: number): AppError {
  return new AppError(
    'query-resources-exceeded',
    `the query needed more than the ${tempMb} MiB of temporary disk a query may use and was stopped; ` +
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
  /**
   * Workers one organisation may hold at once (STP_QUERY_WORKERS_PER_ORG); its further queries
   * wait behind other organisations', and past a few waiting they answer 429 at once. Default:
   * half the workers, so one consumer's heavy queries never hold them all.
   */
  perOrg?: number;
  /**
   * Where workers spill what does not fit in memory (a directory of their own each, removed when
   * the worker exits, however it exits); default a directory under the system's temporary one.
   */
  tempDir?: string;
  /** Temporary disk one query may fill, in MiB (STP_QUERY_TEMP_MB); past it the query is stopped. */
  tempMb?: number;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
  cgroup: string | null;
  /** The worker's own spill directory (its DuckDB temp_directory and working directory). */
  spill: string;
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

/** Bytes of the files in a worker's spill directory (DuckDB writes them flat); 0 when it is gone. */
function spilledBytes(dir: string): number {
  let total = 0;
  try {
    for (const name of readdirSync(dir)) {
      total += statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
    }
  } catch {
    return 0;
  }
  return total;
}

/** Whether a process of this id is alive (signal 0 tests without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
  // Resolved here: a worker's working directory is its spill directory, where `tsx` resolves to nothing.
  return { file, execArgv: extension === '.ts' ? ['--import', import.meta.resolve('tsx')] : [] };
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
  private readonly waiting: { orgId: string | undefined; wake: () => void }[] = [];
  /** Workers each organisation holds now. */
  private readonly holding = new Map<string, number>();
  private nextId = 1;
  private nextSpill = 1;
  private readonly tempDir: string;
  private readonly tempMb: number;
  private readonly perOrg: number;
  private closed = false;
  private killedForMemory = 0;
  private killedForTime = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    this.tempDir = options.tempDir ?? path.join(os.tmpdir(), 'stp-query-spill');
    this.tempMb = options.tempMb ?? 4096;
    this.perOrg = options.perOrg ?? Math.max(1, Math.ceil(options.workers / 2));
    mkdirSync(this.tempDir, { recursive: true });
    // A platform that was killed left its workers' spill files behind: nothing else removes them.
    for (const name of readdirSync(this.tempDir)) {
      const owner = Number(name.split('-')[0]);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !isAlive(owner)) {
        rmSync(path.join(this.tempDir, name), { recursive: true, force: true });
      }
    }
  }

  /** Workers killed so far, by cause (for /metrics). */
  get kills(): { memory: number; time: number } {
    return { memory: this.killedForMemory, time: this.killedForTime };
  }

  private spawn(): Slot {
    const { file, execArgv } = workerScript();
    // DuckDB's own limit sits below the process cap, so most heavy queries fail inside DuckDB with
    // a clean error; the cap is for what DuckDB does not account (huge strings, allocator slack).
    const duckdbMb = Math.max(64, Math.floor(this.options.memoryMb * 0.6));
    // DuckDB spills what does not fit in memory to its temp_directory, by default `.tmp` in the
    // working directory with room for 90% of the disk, and a killed worker never deletes it: each
    // worker gets a directory of its own, capped by DuckDB and watched by the pool, removed on exit.
    const spill = path.join(this.tempDir, `${process.pid}-${this.nextSpill++}`);
    mkdirSync(spill, { recursive: true });
    const child = fork(file, [], {
      cwd: spill,
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
        STP_WORKER_TEMP_DIR: spill,
        STP_WORKER_TEMP_MB: String(this.tempMb),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const slot: Slot = { child, busy: false, cgroup: null, spill, ready: Promise.resolve(), recent: [] };
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
      rmSync(spill, { recursive: true, force: true });
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

  /**
   * Starts a worker ahead of work known to come, so that the work does not wait for the process to
   * start (a few seconds under load): none is started while one is idle or the pool is full.
   */
  warm(): void {
    if (this.closed || this.slots.length >= this.options.workers) return;
    if (this.slots.some((slot) => !slot.busy && slot.child.exitCode === null && !slot.child.killed)) return;
    this.spawn();
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

  private mayHold(orgId: string | undefined): boolean {
    return orgId === undefined || (this.holding.get(orgId) ?? 0) < this.perOrg;
  }

  /** Wakes the longest waiting query whose organisation may take another worker. */
  private release(): void {
    const index = this.waiting.findIndex((waiter) => this.mayHold(waiter.orgId));
    if (index >= 0) this.waiting.splice(index, 1)[0]!.wake();
  }

  private async acquire(key: string, orgId: string | undefined, mayWait: boolean): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new AppError('query-engine-busy', 'the query engine is shutting down');
      const slot = this.mayHold(orgId) ? this.idleSlot(key) : undefined;
      if (slot) {
        slot.busy = true;
        if (orgId !== undefined) this.holding.set(orgId, (this.holding.get(orgId) ?? 0) + 1);
        return slot;
      }
      // One organisation's queries wait for a few of its own to finish, no more: past that its
      // flood is refused at once, and the queue stays open to everyone else.
      const waitingForOrg = this.waiting.filter((waiter) => waiter.orgId === orgId).length;
      if (orgId !== undefined && !mayWait && waitingForOrg >= this.perOrg * 4) {
        throw new AppError(
          'query-concurrency-exceeded',
          `your organisation has ${this.perOrg} queries running and ${waitingForOrg} waiting, as many as it may; ` +
            'try again when one has answered',
          { retryAfterSeconds: 1 },
        );
      }
      if (this.waiting.length >= (this.options.maxQueued ?? 64)) {
        throw new AppError('query-engine-busy', 'every query worker is busy; try again shortly', {
          retryAfterSeconds: 1,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push({ orgId, wake: resolve }));
    }
  }

  /** Runs one query in a worker; the worker's death answers for this query alone. */
  async run(job: QueryJob): Promise<JobResult> {
    const key = setKeyOf(job.views);
    const slot = await this.acquire(key, job.orgId, job.mayWait ?? false);
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
      if (job.orgId !== undefined) {
        const held = (this.holding.get(job.orgId) ?? 1) - 1;
        if (held > 0) this.holding.set(job.orgId, held);
        else this.holding.delete(job.orgId);
      }
      this.release();
    }
  }

  private runOn(slot: Slot, job: QueryJob): Promise<JobResult> {
    const { child } = slot;
    const id = this.nextId++;
    const capBytes = this.options.memoryMb * 1024 * 1024;
    // DuckDB's max_temp_directory_size stops most spills; this catches what it does not account.
    const spillCapBytes = this.tempMb * 1024 * 1024 * 1.25;
    let ticks = 0;
    return new Promise<JobResult>((resolve, reject) => {
      let verdict: 'memory' | 'disk' | 'time' | 'cancelled' | null = null;
      const kill = (cause: 'memory' | 'disk' | 'time' | 'cancelled') => {
        if (verdict) return;
        verdict = cause;
        if (cause === 'memory' || cause === 'disk') this.killedForMemory += 1;
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
        // The spill directory every tenth look: listing it costs more than reading /proc.
        else if (++ticks % 10 === 0 && spilledBytes(slot.spill) > spillCapBytes) kill('disk');
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
        } else if (/max_temp_directory_size/i.test(message.message)) {
          reject(overspilled(this.tempMb));
        } else if (/out of memory|memory limit/i.test(message.message)) {
          // DuckDB's own memory limit stopped the query before the watchdog had to: the same answer.
          reject(outgrown(this.options.memoryMb));
        } else reject(new EngineError(message.message));
      };
      const onExit = (_code: number | null, signal: NodeJS.Signals | null) => {
        done();
        if (verdict === 'cancelled') reject(new JobCancelled('the job was cancelled'));
        else if (verdict === 'disk') reject(overspilled(this.tempMb));
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
    for (const waiter of this.waiting.splice(0)) waiter.wake();
  }
}
