import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { writeAside } from '../../infra/atomic-files.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import { compileSelect, type Grant, maskKey } from './views.js';

/** Bumped whenever the way a grant file is written changes, so no older file is reused. */
const grantFileFormat = 'grant-parquet-v1';

/** How long a file seen on disk is trusted to be there without another look (see `fileFor`). */
const recheckMs = 60_000;
/** Files remembered as seen at most (the least recent go first). */
const seenKept = 10_000;

/** The hidden column an aggregate-only grant file carries so k counts subjects, not rows. */
export const subjectColumn = '__subject';

/**
 * Whether a grant is the whole version as stored: every column, no mask, no row or consent filter,
 * and no hidden column to add. Such a grant's file is the dataset version's own file.
 */
function isWholeFile(grant: Grant): boolean {
  return (
    Object.keys(grant.terms.masks).length === 0 &&
    grant.terms.rowFilter.length === 0 &&
    !grant.consent &&
    !grant.terms.aggregateOnly &&
    grant.terms.columns.length === grant.columns.length
  );
}

/**
 * The SELECT that writes a grant's file: the compiled view (granted columns, masks applied, row
 * and consent filters) and, for an aggregate-only grant, each row's subject as a keyed pseudonym
 * (or its row number where the dataset names no subject column), so thresholds count people.
 */
export function grantFileSelect(grant: Grant): string {
  const select = compileSelect(grant);
  if (!grant.terms.aggregateOnly) return select;
  const subject = grant.subjectColumn
    ? `substr(sha256(${quoteLiteral(`${maskKey(grant)}:subject`)} || CAST(${quoteIdentifier(grant.subjectColumn)} AS VARCHAR)), 1, 16)`
    : 'CAST(row_number() OVER () AS VARCHAR)';
  const fromAt = select.indexOf(' FROM read_parquet(');
  return `${select.slice(0, fromAt)}, ${subject} AS ${quoteIdentifier(subjectColumn)}${select.slice(fromAt)}`;
}

/**
 * Grant files: what one grant lets its holder read, written once as Parquet by the platform's own
 * SQL (never a consumer's) and read by consumers' queries in place of the dataset's file. Masks are
 * computed here, at write time, so a mask's key never enters the engine that runs consumer SQL,
 * and per-row hashing is paid once per grant, not once per query.
 *
 * A file is named by the SHA-256 of the SELECT that writes it, which holds the version's file, the
 * granted columns, the masks with their agreement's key, the row filter and the consent filter's
 * subjects: identical terms share a file, and any change (a new version, new terms, a revoked
 * consent) names a new file, written before the query that needs it runs. Files are written aside
 * and renamed, so another reader (or node, on shared storage) sees a complete file or none.
 */
export class GrantFiles {
  private readonly making = new Map<string, Promise<string>>();
  /** Files this process saw on disk (and marked in use) lately, by key, with when (ms). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly deps: {
      engine: DuckEngine;
      /** DATA_DIR/grants. */
      dir: string;
    },
  ) {}

  get dir(): string {
    return this.deps.dir;
  }

  /**
   * The file of a grant, written first if it does not exist yet. A file seen on disk within the
   * last `recheckMs` is not looked at again: its name is the hash of what it holds, so the same key
   * is the same content, and the sweep keeps files used far more recently than its age limit. This
   * skips file-system calls only; what the caller may read was decided afresh before (the grant).
   */
  fileFor(grant: Grant, now = Date.now()): Promise<string> {
    if (isWholeFile(grant)) return Promise.resolve(grant.file);
    const select = grantFileSelect(grant);
    const key = createHash('sha256').update(`${grantFileFormat}\n${select}`).digest('hex');
    const final = path.join(this.deps.dir, `${key}.parquet`);
    const seenAt = this.seen.get(key);
    if (seenAt !== undefined && now - seenAt < recheckMs) return Promise.resolve(final);
    const pending = this.making.get(key);
    if (pending) return pending;
    const making = this.write(select, final)
      .then((file) => {
        this.remember(key, now);
        return file;
      })
      .finally(() => this.making.delete(key));
    this.making.set(key, making);
    return making;
  }

  private remember(key: string, now: number): void {
    this.seen.delete(key);
    this.seen.set(key, now);
    for (const [oldest, at] of this.seen) {
      if (this.seen.size <= seenKept && now - at < recheckMs) break;
      this.seen.delete(oldest);
    }
  }

  private async write(select: string, final: string): Promise<string> {
    if (await stat(final).catch(() => null)) {
      // Marks the file as in use, so the sweep keeps it (best effort: a read-only disk still reads).
      const now = new Date();
      await utimes(final, now, now).catch(() => {});
      return final;
    }
    await mkdir(this.deps.dir, { recursive: true });
    const connection = await this.deps.engine.ingestConnection();
    try {
      await writeAside(final, async (aside) => {
        await connection.run(`COPY (${select}) TO ${quoteLiteral(aside)} (FORMAT parquet, COMPRESSION zstd)`);
      });
    } finally {
      connection.closeSync();
    }
    return final;
  }

  /**
   * Removes grant files unused for `maxAgeMs` (a file is marked used each time a query asks for
   * it) and partial files of writes that died. A grant still in force whose file was removed gets
   * it written again by its next query; a superseded one (new version, terms, consents) never does.
   */
  async sweep(maxAgeMs: number, now = Date.now()): Promise<{ removed: number; bytes: number }> {
    // The next query of every grant looks at its file again (and writes it if this removed it).
    this.seen.clear();
    const names = await readdir(this.deps.dir).catch(() => [] as string[]);
    let removed = 0;
    let bytes = 0;
    for (const name of names) {
      const file = path.join(this.deps.dir, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) continue;
      const age = now - info.mtimeMs;
      const isPartial = name.endsWith('.partial');
      // A partial file may be another node's write in progress: only an old one is abandoned.
      if (age < (isPartial ? Math.min(maxAgeMs, 3_600_000) : maxAgeMs)) continue;
      await rm(file, { force: true });
      removed += 1;
      bytes += info.size;
    }
    return { removed, bytes };
  }
}
