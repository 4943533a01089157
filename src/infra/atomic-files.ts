import { randomBytes } from 'node:crypto';
import { chmod, link, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * How every file the platform keeps under DATA_DIR comes into being, so that a node sharing the
 * directory (NFS, EFS, CephFS: any POSIX file system mounted on every node), or this node after a
 * crash, sees a complete file under its final name or none at all:
 *
 * 1. the content is written aside, to a hidden `.<name>.<random>.partial` in the same directory
 *    (rename is atomic only within one file system, and the sweeps know the suffix);
 * 2. the aside file is fsynced, so its bytes are on the storage before any name points at them;
 * 3. it is renamed to its final name (or, for a file made once, hard-linked: that fails when the
 *    name exists, so two nodes creating one key at once agree on the first);
 * 4. the directory is fsynced, so the new name itself survives a crash of this machine.
 *
 * A failure at any step removes the aside file; nothing ever writes a final name in place.
 */

/** A fresh aside path for `final`: hidden, beside it, ending in `.partial`. */
export function asidePath(final: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}.${randomBytes(6).toString('hex')}.partial`);
}

/** Flushes a file's content to the storage (any open descriptor flushes the whole file). */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory, so a rename or link in it is durable. Some file systems refuse to fsync a
 * directory (EINVAL, EISDIR, EPERM, ENOTSUP); there the rename is as durable as they make it.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
  } finally {
    await handle?.close();
  }
}

/** Puts a finished aside file under its final name: fsync, rename, fsync of the directory. */
export async function putInPlace(aside: string, final: string): Promise<void> {
  await fsyncFile(aside);
  await rename(aside, final);
  await fsyncDir(path.dirname(final));
}

/**
 * Runs `write` with an aside path to write `final`'s content to (a stream, DuckDB's `COPY … TO`),
 * then puts it in place. `write` may also look at the finished file (profile it) before it is
 * placed; whatever it returns is returned. On failure the aside file is removed and the error thrown.
 */
export async function writeAside<T>(final: string, write: (aside: string) => Promise<T>): Promise<T> {
  const aside = asidePath(final);
  try {
    const value = await write(aside);
    await putInPlace(aside, final);
    return value;
  } catch (error) {
    await rm(aside, { force: true });
    throw error;
  }
}

/** Writes bytes to a file (created or truncated) and fsyncs it, with the given mode. */
export async function writeDurably(file: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  const handle = await open(file, 'w', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // open(2) applies the umask to the mode; a key file must end up exactly owner-only.
  await chmod(file, mode);
}

/** Replaces `final` with `content` atomically and durably. */
export async function writeFileAtomic(
  final: string,
  content: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  await writeAside(final, (aside) => writeDurably(aside, content, options.mode));
}

/**
 * Creates `final` with `content` unless it exists; returns whether this call created it. Several
 * nodes starting at once on an empty DATA_DIR each try, exactly one wins, and every one then reads
 * the winner's complete file (never a half-written one, as with `open(…, 'wx')` then write).
 */
export async function createFileOnce(
  final: string,
  content: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<boolean> {
  const aside = asidePath(final);
  try {
    await writeDurably(aside, content, options.mode);
    try {
      await link(aside, final);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    await fsyncDir(path.dirname(final));
    return true;
  } finally {
    await rm(aside, { force: true });
  }
}
