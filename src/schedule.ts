import type { AdvisoryLocks } from './db/advisory-locks.js';

/**
 * Work the platform does on its own, on a timer. Several `stp serve` nodes may share one database;
 * each job says where it runs:
 * - `one-node`: on one node at a time, under the advisory lock named after the job (expiry,
 *   reminders, harvest, file sweeps). A node whose turn comes while another holds the lock skips
 *   that turn. The jobs' own state checks (a row moves out of the state it was selected in, a
 *   reminder's key is recorded once) make a later run on another node find nothing left to do, so
 *   each effect — a ledger entry, a notification — happens once.
 * - `every-node`: on each node, for work that is each node's own (its refusal windows) or that a
 *   work queue shares out row by row (webhook deliveries claim with `FOR UPDATE SKIP LOCKED`).
 *
 * A failed run is logged, one line naming the job and the error, and the job runs again at its next
 * turn; runs of one job never overlap on a node.
 */
export interface ScheduledJob {
  name: string;
  everyMs: number;
  runsOn: 'one-node' | 'every-node';
  run(): Promise<unknown>;
}

export interface ScheduleLogger {
  error(object: object, message: string): void;
}

export class Schedule {
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private isStopped = false;
  /** Runs per job on this node: done, skipped because another node held the lock, failed. */
  readonly counts = new Map<string, { ran: number; skipped: number; failed: number }>();

  constructor(private readonly deps: { locks: AdvisoryLocks; logger: ScheduleLogger }) {}

  add(job: ScheduledJob): void {
    this.jobs.set(job.name, job);
    this.counts.set(job.name, { ran: 0, skipped: 0, failed: 0 });
  }

  /**
   * One run of a job now (its own work, or `work` in its place, as a first sweep at start with
   * other settings); a run of it still going on this node is joined. Never throws: a failure is
   * logged and counted.
   */
  run(name: string, work?: () => Promise<unknown>): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no scheduled job named ${name}`);
    const going = this.running.get(name);
    if (going) return going;
    const counts = this.counts.get(name)!;
    const task = work ?? (() => job.run());
    const once = (async () => {
      try {
        if (job.runsOn === 'every-node') await task();
        else if (!(await this.deps.locks.runExclusive(`job:${name}`, task))) {
          counts.skipped += 1;
          return;
        }
        counts.ran += 1;
      } catch (error) {
        counts.failed += 1;
        this.deps.logger.error(
          { job: name, err: error },
          `scheduled job ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    })().finally(() => this.running.delete(name));
    this.running.set(name, once);
    return once;
  }

  /** Runs every job at its interval until `stop`. */
  start(): void {
    for (const job of this.jobs.values()) {
      const timer = setInterval(() => {
        if (!this.isStopped) void this.run(job.name);
      }, job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Stops the timers and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.isStopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.running.values()]);
  }
}
