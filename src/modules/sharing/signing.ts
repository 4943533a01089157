import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileOnce } from '../../infra/atomic-files.js';

/**
 * Short-lived URLs for shared files, in the manner of S3's pre-signed URLs: the file id, the
 * recipient and the expiry are signed with HMAC-SHA-256 under a platform key, so the file route
 * needs no bearer token (Delta Sharing clients fetch file URLs without one) yet opens one file, for
 * one recipient, until one moment. Every node that serves files must hold the same key.
 */
export interface FileGrant {
  fileId: string;
  recipientId: string;
  /** Unix seconds. */
  expires: number;
}

const keyFile = 'sharing-url-hmac.key';

/** The key lives in DATA_DIR/keys beside the ledger key; made once, readable by the owner only. */
export async function loadOrCreateUrlKey(dataDir: string): Promise<Buffer> {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, keyFile);
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // When several nodes start at once on one DATA_DIR, the first key made wins and all read it.
  await createFileOnce(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
}

function mac(key: Buffer, grant: FileGrant): Buffer {
  // Newline-separated: none of the three parts can contain one, so no two grants sign the same text.
  return createHmac('sha256', key)
    .update(`stp-shared-file-v1\n${grant.fileId}\n${grant.recipientId}\n${grant.expires}`)
    .digest();
}

export function signFileGrant(key: Buffer, grant: FileGrant): string {
  return mac(key, grant).toString('base64url');
}

/** Whether the signature is the one for exactly this grant (compared in constant time). */
export function isSignedFileGrant(key: Buffer, grant: FileGrant, signature: string): boolean {
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, grant);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
