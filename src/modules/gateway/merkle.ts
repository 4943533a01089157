import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

/**
 * A Merkle tree over a batch of call records, as in Certificate Transparency (RFC 6962 §2.1,
 * RFC 9162 §2.1): leaf = sha256(0x00 ‖ data), node = sha256(0x01 ‖ left ‖ right), and a tree of n
 * leaves splits at the largest power of two below n. The domain-separation bytes stop a leaf from
 * being passed off as an inner node. Only the root enters the ledger; an inclusion proof of
 * log2(n) hashes shows that one call is in the committed batch.
 */

// The package is CommonJS (`module.exports = fn`) while its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const leafPrefix = Buffer.from([0x00]);
const nodePrefix = Buffer.from([0x01]);

export interface InclusionProof {
  /** Position of the leaf in the batch, from 0. */
  index: number;
  /** Number of leaves in the batch. */
  size: number;
  /** Sibling hashes (hex) from the leaf up to the root. */
  path: string[];
}

/** The leaf data of a record: its RFC 8785 canonical JSON, so any party re-derives the same bytes. */
export function leafData(record: unknown): Buffer {
  const text = canonicalize(record);
  if (text === undefined) throw new Error('the record has no JSON form');
  return Buffer.from(text, 'utf8');
}

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(leafPrefix).update(data).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(nodePrefix).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function subtreeRoot(hashes: Buffer[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return hashes[start]!;
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(hashes, start, start + k), subtreeRoot(hashes, start + k, end));
}

/** Root (hex) of the tree over the given leaf data; the empty tree's root is sha256 of nothing. */
export function merkleRoot(leaves: readonly Uint8Array[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  return subtreeRoot(leaves.map(leafHash), 0, leaves.length).toString('hex');
}

/** The audit path of RFC 6962 §2.1.1 for the leaf at `index`. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): InclusionProof {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`index ${index} is outside a batch of ${leaves.length}`);
  }
  const hashes = leaves.map(leafHash);
  const path: Buffer[] = [];
  const walk = (m: number, start: number, end: number) => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(subtreeRoot(hashes, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(subtreeRoot(hashes, start, start + k));
    }
  };
  walk(index, 0, leaves.length);
  return { index, size: leaves.length, path: path.map((h) => h.toString('hex')) };
}

/**
 * Checks an audit path against a root with the algorithm of RFC 9162 §2.1.3.2. As in CT, the tree
 * size is part of what is trusted: take `proof.size` from the committed batch (its `count`, which
 * the ledger entry records), not from whoever presents the proof.
 */
export function verifyInclusion(leaf: Uint8Array, proof: InclusionProof, root: string): boolean {
  const { index, size, path } = proof;
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(leaf);
  for (const hex of path) {
    if (sn === 0) return false;
    const p = Buffer.from(hex, 'hex');
    if (p.length !== 32) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && r.toString('hex') === root;
}
