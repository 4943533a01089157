import type { Clock } from '../clock.js';

/** What one sweep of leftover files did. */
export interface SweepReport {
  /** Files deleted (incoming uploads, `.partial` conversions and shares). */
  removed: string[];
  removedBytes: number;
  /** Version files no row points at, moved to DATA_DIR/orphans (kept, out of the engine's reach). */
  movedAside: string[];
}

export interface SweepLogger {
  info(object: object, message: string): void;
}

export interface SweepDeps {
  /** Each sweep of leftover files, given the age below which a file is left alone. */
  fileSweeps: ((minAgeMs: number) => Promise<SweepReport>)[];
  /** Rows past their time (idempotency keys); returns how many went. */
  rowSweeps: ((now: Date) => Promise<number>)[];
  clock: Clock;
  logger: SweepLogger;
}

/**
 * Leftovers of interrupted work, cleared once at start and then at every turn of the platform's
 * `leftover-files` job (src/schedule.ts: on one node at a time), on either database: files of uploads and conversions that a crash or a cut
 * connection left behind, and expired rows. Every run that removes something says what in one log
 * line, and the totals are in /metrics (`stp_swept_files_total`, `stp_swept_bytes_total`).
 *
 * The age rule: a file is taken only when last written more than `minAgeMs` ago, so an upload in
 * progress (which keeps writing its file) on this node or another one sharing DATA_DIR is never
 * touched. At the start on the embedded database the age is 0: DATA_DIR is locked to this process,
 * which has nothing in progress yet.
 */
export class Sweeper {
  removedFiles = 0;
  removedBytes = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: SweepDeps) {}

  /** One sweep; a run still going is joined, not doubled. */
  run(minAgeMs: number): Promise<void> {
    this.running ??= this.sweep(minAgeMs).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(minAgeMs: number): Promise<void> {
    const removed: string[] = [];
    const movedAside: string[] = [];
    let bytes = 0;
    for (const sweep of this.deps.fileSweeps) {
      const report = await sweep(minAgeMs);
      removed.push(...report.removed);
      movedAside.push(...report.movedAside);
      bytes += report.removedBytes;
    }
    let rows = 0;
    for (const sweep of this.deps.rowSweeps) rows += await sweep(this.deps.clock.now());
    this.removedFiles += removed.length;
    this.removedBytes += bytes;
    if (removed.length > 0 || movedAside.length > 0) {
      this.deps.logger.info(
        { removed, removedBytes: bytes, movedAside, expiredRows: rows },
        `swept ${removed.length} leftover file(s) (${bytes} bytes) and moved ${movedAside.length} aside`,
      );
    }
  }

  /** Waits for a sweep in progress. */
  async stop(): Promise<void> {
    await this.running?.catch(() => {});
  }
}
