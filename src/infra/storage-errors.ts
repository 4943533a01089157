/**
 * Failures of the disk under DATA_DIR that a client can act on, told apart from bugs: a full disk
 * (ENOSPC, or EDQUOT over a quota) is answered 507 `storage-full` (RFC 4918 §11.5, Insufficient
 * Storage), a read-only or unwritable one (EROFS, EACCES) 503 `storage-unavailable` with
 * Retry-After: an operator fixes either without a release, and the request can then be made again.
 *
 * Node's fs calls carry the errno in `code` and the file in `path`; DuckDB (converting an upload,
 * writing a share) reports the same conditions in its message only, with the file in quotes.
 */
export type StorageFailureCode = 'storage-full' | 'storage-unavailable';

export interface StorageFailure {
  code: StorageFailureCode;
  /** ENOSPC, EDQUOT, EROFS or EACCES. */
  errno: string;
  /** The file or directory the failing call touched, when the error says. */
  path?: string;
}

const codesByErrno: Record<string, StorageFailureCode> = {
  ENOSPC: 'storage-full',
  EDQUOT: 'storage-full',
  EROFS: 'storage-unavailable',
  EACCES: 'storage-unavailable',
};

/** strerror(3) texts, as DuckDB and other native code put them in their messages (case kept). */
const errnoByMessage: [RegExp, string][] = [
  [/No space left on device/, 'ENOSPC'],
  [/Disk quota exceeded/, 'EDQUOT'],
  [/Read-only file system/, 'EROFS'],
  // Capitalised as strerror writes it; PostgreSQL's "permission denied for table" is not a disk's.
  [/Permission denied/, 'EACCES'],
];

export function storageFailureOf(error: unknown): StorageFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    const { code, path, message } = current as { code?: unknown; path?: unknown; message?: unknown };
    if (typeof code === 'string' && codesByErrno[code]) {
      return { code: codesByErrno[code], errno: code, path: typeof path === 'string' ? path : undefined };
    }
    if (typeof message === 'string') {
      const found = errnoByMessage.find(([pattern]) => pattern.test(message));
      if (found) {
        const errno = found[1];
        const quoted = /"(\/[^"]+)"/.exec(message)?.[1];
        return { code: codesByErrno[errno]!, errno, path: quoted };
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
