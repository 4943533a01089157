import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { type MeterSpool, mergeBatches, type UsageBatch, type UsageSink } from './metering.js';

/**
 * The metering spool: a file per gateway process in DATA_DIR/spool where the meter appends each
 * batch of calls (one JSON line, one write, one fdatasync) before the batch may be committed to the
 * database. When every spooled batch is committed the file is truncated; when some are still
 * waiting (the database is away) and the file has grown past a few MiB, it is rewritten with only
 * those. So after a `kill -9` the file holds every call that was not committed, except those of
 * the last spool interval (at most 200 ms), and possibly some that were: the commit of a batch and
 * the spool's forgetting it are not atomic.
 *
 * At the next start the leftovers are replayed exactly once: a batch whose calls the database
 * already holds (looked up by their request ids, which the gateway generates and never reuses) is
 * skipped; the others are committed as one batch, whose id the sink recognises if that commit is
 * retried; then the file goes. A crash during the replay leaves the file, and the next start
 * replays it with the same checks.
 *
 * Files are named `meter-<host>-<pid>-<random>.spool`. DATA_DIR may be shared by nodes (DESIGN.md),
 * so a start only takes over files of its own host whose process is gone (or has its own pid, from
 * an earlier life in a container), claiming each by an atomic rename so that two processes
 * starting at once never replay one file twice.
 */

/** Past this many bytes with batches still waiting, the file is rewritten without the committed ones. */
const rewriteAfterBytes = 4 * 1024 * 1024;

/** Spool files this process has open (several platforms may run in one test process). */
const openHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Leftover batches of an earlier process, and the claimed file they came from. */
export interface SpoolLeftovers {
  files: string[];
  batches: UsageBatch[];
  /** Lines that did not parse: the last one of a file cut off by the crash mid-write. */
  tornLines: number;
}

export class FileSpool implements MeterSpool {
  /** Batches appended (and fsynced) since start. */
  appends = 0;
  /** Calls found in the spool at start and committed then. */
  replayedCalls = 0;
  private bytes = 0;
  /** The lines of batches appended and not yet committed, by batch id. */
  private readonly waiting = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private handle: FileHandle,
  ) {}

  /** Opens this process's spool file in `dir` and claims what earlier processes left there. */
  static async open(dir: string): Promise<{ spool: FileSpool; leftovers: SpoolLeftovers }> {
    await mkdir(dir, { recursive: true });
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
    const leftovers: SpoolLeftovers = { files: [], batches: [], tornLines: 0 };
    const pattern = new RegExp(
      `^meter-${host.replace(/\./g, '\\.')}-(\\d+)-[0-9a-f]+\\.spool(\\.replay-(\\d+)-[0-9a-f]+)?$`,
    );
    for (const name of (await readdir(dir)).sort()) {
      const match = pattern.exec(name);
      if (!match || openHere.has(path.join(dir, name))) continue;
      // A file being replayed belongs to the replaying process; otherwise to the one that wrote it.
      const owner = Number(match[3] ?? match[1]);
      if (owner !== process.pid && isAlive(owner)) continue;
      const claimed = path.join(
        dir,
        `${name.replace(/\.replay-.*$/, '')}.replay-${process.pid}-${randomBytes(4).toString('hex')}`,
      );
      try {
        await rename(path.join(dir, name), claimed);
      } catch {
        continue; // another process starting now claimed it first
      }
      leftovers.files.push(claimed);
      for (const line of (await readFile(claimed, 'utf8')).split('\n')) {
        if (line.trim() === '') continue;
        try {
          leftovers.batches.push(JSON.parse(line) as UsageBatch);
        } catch {
          leftovers.tornLines += 1;
        }
      }
    }
    const file = path.join(dir, `meter-${host}-${process.pid}-${randomBytes(4).toString('hex')}.spool`);
    const handle = await open(file, 'a');
    openHere.add(file);
    return { spool: new FileSpool(file, handle), leftovers };
  }

  /** Runs file operations one at a time, in the order asked. */
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation);
    this.queue = next.catch(() => {});
    return next;
  }

  append(batch: UsageBatch): Promise<void> {
    const line = `${JSON.stringify(batch)}\n`;
    return this.serially(async () => {
      await this.handle.write(line);
      await this.handle.datasync();
      this.waiting.set(batch.id, line);
      this.bytes += Buffer.byteLength(line);
      this.appends += 1;
    });
  }

  committed(batchIds: string[]): Promise<void> {
    return this.serially(async () => {
      for (const id of batchIds) this.waiting.delete(id);
      if (this.waiting.size === 0) {
        // No fsync: should the truncation be lost in a crash, the replay skips what is committed.
        await this.handle.truncate(0);
        this.bytes = 0;
      } else if (this.bytes > rewriteAfterBytes) {
        const lines = [...this.waiting.values()].join('');
        const rewritten = `${this.file}.rewrite`;
        const handle = await open(rewritten, 'w');
        await handle.write(lines);
        await handle.datasync();
        await handle.close();
        await rename(rewritten, this.file);
        await this.handle.close();
        this.handle = await open(this.file, 'a');
        this.bytes = Buffer.byteLength(lines);
      }
    });
  }

  /** Closes the file; removes it when nothing in it waits for the database. */
  close(): Promise<void> {
    return this.serially(async () => {
      await this.handle.close();
      openHere.delete(this.file);
      if (this.waiting.size === 0) await rm(this.file, { force: true });
    });
  }
}

/** What the replay needs of the database: which calls it holds, and where batches go. */
export interface SpoolReplayTarget extends UsageSink {
  committedRequestIds(requestIds: string[], since: Date): Promise<Set<string>>;
}

/**
 * Commits the leftover batches the database does not hold yet, once, then removes their files.
 * Returns how many calls it committed.
 */
export async function replaySpool(leftovers: SpoolLeftovers, target: SpoolReplayTarget): Promise<number> {
  const batches = leftovers.batches.filter((batch) => batch.calls.length > 0);
  let replayed = 0;
  if (batches.length > 0) {
    let since = batches[0]!.calls[0]!.at;
    for (const batch of batches) for (const call of batch.calls) if (call.at < since) since = call.at;
    // A batch is committed whole or not at all (in one transaction), so its first call tells.
    const committed = await target.committedRequestIds(
      batches.map((batch) => batch.calls[0]!.requestId),
      new Date(since),
    );
    const missing = batches.filter((batch) => !committed.has(batch.calls[0]!.requestId));
    if (missing.length > 0) {
      const merged = mergeBatches(missing);
      await target.write(merged);
      replayed = merged.calls.length;
    }
  }
  for (const file of leftovers.files) await rm(file, { force: true });
  return replayed;
}
