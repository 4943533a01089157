import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { JWK } from 'jose';
import { AppError } from '../../errors.js';
import { hashEntry, type LedgerEntry } from './chain.js';
import { type EvidenceScope, entryInScope } from './scope.js';
import { verifySignedJson } from './signing.js';

/**
 * An evidence bundle: the ledger entries in one scope, as a single JSON Lines file. Line 1 is the
 * signed manifest `{"manifest":…,"signature":"<compact JWS>"}`; every further line is one entry as
 * exported. The manifest's `fileSha256` is the SHA-256 of the bytes after line 1, and the signature
 * (Ed25519, the platform's ledger key) covers that digest, the count, the scope and the ledger head
 * at export time. One file, so it travels as one attachment and verifies with
 * `stp audit verify --file F --public-key K`.
 *
 * The entries are not contiguous, so the chain cannot be walked; instead each entry shows that it
 * is what the ledger hashed (`hash = sha256(prevHash ‖ JCS(entry))`), neighbours that are adjacent in
 * the ledger link up, and the signature binds them to a head whose hash the regulator can compare
 * with a full export or `GET /v1/audit/verify` later.
 */
export const bundleFormat = 'stp-evidence-bundle/1';

export interface EvidenceBundleManifest {
  format: typeof bundleFormat;
  bundleId: string;
  scope: EvidenceScope;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The ledger's head when the bundle was made; entries after it are not considered. */
  head: { seq: number; hash: string };
  /** SHA-256 (hex) of the file after its first line: the entry lines, each ending in "\n". */
  fileSha256: string;
  exportedAt: string;
  /** Who asked for it (null from the CLI, which runs with the server's own authority). */
  requestedBy: { orgId: string; userId: string } | null;
  keyId: string;
}

export interface BundleVerifyResult {
  signatureValid: boolean;
  manifest: EvidenceBundleManifest | null;
  /** Entries read from the file. */
  count: number;
  problems: string[];
}

/** Whether a file is an evidence bundle (its first line holds a bundle manifest), not a full export. */
export async function isEvidenceBundle(file: string): Promise<boolean> {
  const first = await firstLine(file);
  if (first === null) return false;
  try {
    const parsed = JSON.parse(first) as { manifest?: { format?: unknown } };
    return parsed.manifest?.format === bundleFormat;
  } catch {
    return false;
  }
}

/** The first line of a file, or null when it is empty or cannot be read (the caller reports that). */
async function firstLine(file: string): Promise<string | null> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    for await (const line of lines) return line;
    return null;
  } catch {
    return null;
  } finally {
    lines.close();
  }
}

/**
 * Checks a bundle with nothing but the file and the platform's public key: the signature, the
 * readable manifest against the signed one, the digest and count, and every entry on its own (its
 * hash, its place below the head, its order, its links to adjacent entries, that it lies in scope).
 */
export async function verifyEvidenceBundle(file: string, publicJwk: JWK): Promise<BundleVerifyResult> {
  const problems: string[] = [];
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const digest = createHash('sha256');
  let envelope: { manifest: EvidenceBundleManifest; signature: string } | null = null;
  let manifest: EvidenceBundleManifest | null = null;
  let previous: LedgerEntry | null = null;
  let count = 0;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (lineNo === 1) {
      try {
        envelope = JSON.parse(line);
      } catch {
        throw new AppError('bad-request', `${file} does not start with an evidence bundle manifest`);
      }
      try {
        manifest = (await verifySignedJson(envelope!.signature, publicJwk)) as EvidenceBundleManifest;
      } catch {
        problems.push('the manifest signature does not verify with this public key');
      }
      // Checks below read the signed manifest when there is one, never the editable copy.
      if (manifest && JSON.stringify(manifest) !== JSON.stringify(envelope!.manifest)) {
        problems.push('the readable manifest differs from the signed one');
      }
      if (manifest && manifest.format !== bundleFormat) problems.push(`unknown format ${manifest.format}`);
      continue;
    }
    digest.update(`${line}\n`);
    count += 1;
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(line) as LedgerEntry;
    } catch {
      problems.push(`line ${lineNo} is not JSON`);
      continue;
    }
    const checked = manifest ?? envelope?.manifest ?? null;
    problems.push(...entryProblems(entry, previous, checked));
    previous = entry;
  }
  if (!envelope) throw new AppError('bad-request', `${file} is empty`);
  if (manifest) {
    if (digest.digest('hex') !== manifest.fileSha256)
      problems.push('the file digest differs from the manifest');
    if (count !== manifest.count)
      problems.push(`the manifest says ${manifest.count} entries, the file has ${count}`);
  }
  return { signatureValid: manifest !== null, manifest, count, problems };
}

function entryProblems(
  entry: LedgerEntry,
  previous: LedgerEntry | null,
  manifest: EvidenceBundleManifest | null,
): string[] {
  const problems: string[] = [];
  const at = `entry ${entry.seq}`;
  if (hashEntry(entry.prevHash, entry) !== entry.hash)
    problems.push(`${at} was changed after it was written`);
  if (previous && entry.seq <= previous.seq) problems.push(`${at} is out of order (after ${previous.seq})`);
  if (previous && entry.seq === previous.seq + 1 && entry.prevHash !== previous.hash) {
    problems.push(`${at} does not point at the hash of entry ${previous.seq}`);
  }
  if (manifest) {
    if (entry.seq > manifest.head.seq) problems.push(`${at} lies after the head the bundle was made at`);
    if (entry.seq === manifest.head.seq && entry.hash !== manifest.head.hash) {
      problems.push(`${at} is the head but its hash differs from the manifest's head`);
    }
    if (!entryInScope(entry, manifest.scope)) problems.push(`${at} lies outside the bundle's scope`);
  }
  return problems;
}
