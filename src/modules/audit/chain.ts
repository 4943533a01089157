import { hash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { Decision } from './schema.js';

// The package is CommonJS (`module.exports = fn`) while its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** The hash that the first entry's prevHash points at. */
export const genesisHash = '0'.repeat(64);

/** One ledger entry as it is hashed, stored, exported and verified. */
export interface LedgerEntry {
  seq: number;
  id: string;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actorType: string;
  actorId: string | null;
  orgId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  decision: Decision;
  reason: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type UnsealedEntry = Omit<LedgerEntry, 'prevHash' | 'hash'>;

const str = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * The entry's RFC 8785 (JCS) canonical JSON. The envelope's keys are fixed, so they are written in
 * JCS order (UTF-16 code-unit order) directly; strings go through JSON.stringify, whose escaping is
 * the one JCS specifies; only the free-form `data` goes through the general canonicaliser. A
 * property test checks this equals canonicalising the whole object. It is the hot loop of both
 * appending and verifying, hence not just `canonicalize(entry)`.
 */
export function canonicalEntry(entry: UnsealedEntry): string {
  return canonicalEntryWithData(entry, canonicalData(entry.data));
}

/** `data`'s RFC 8785 canonical JSON: the part of an entry that is free-form. */
export function canonicalData(data: Record<string, unknown>): string {
  return canonicalize(data) ?? '{}';
}

/** canonicalEntry, given `data` already canonical (appends store that text on its own too). */
export function canonicalEntryWithData(entry: UnsealedEntry, data: string): string {
  return (
    `{"action":${str(entry.action)},"actorId":${str(entry.actorId)},"actorType":${str(entry.actorType)},` +
    `"at":${str(entry.at)},"data":${data},"decision":${str(entry.decision)},` +
    `"id":${str(entry.id)},"objectId":${str(entry.objectId)},"objectType":${str(entry.objectType)},` +
    `"orgId":${str(entry.orgId)},"reason":${str(entry.reason)},"seq":${entry.seq}}`
  );
}

/** The general form, for the property test that pins canonicalEntry to RFC 8785. */
export function canonicalEntryReference(entry: UnsealedEntry): string {
  const { seq, id, at, actorType, actorId, orgId, action, objectType, objectId, decision, reason, data } =
    entry;
  return (
    canonicalize({
      seq,
      id,
      at,
      actorType,
      actorId,
      orgId,
      action,
      objectType,
      objectId,
      decision,
      reason,
      data,
    }) ?? ''
  );
}

/**
 * hash = sha256(prevHash ‖ JCS(entry)), JCS being the JSON Canonicalization Scheme of RFC 8785,
 * so anyone can recompute it in any language from the exported JSON alone.
 */
export function hashEntry(prevHash: string, entry: UnsealedEntry): string {
  return hashCanonical(prevHash, canonicalEntry(entry));
}

export function hashCanonical(prevHash: string, canonical: string): string {
  // crypto.hash (Node ≥ 20.12) is the one-shot form: measured 0.7 µs against 1.8 µs for createHash.
  return hash('sha256', prevHash + canonical, 'hex');
}

export type ChainBreak = 'sequence-gap' | 'prev-hash-mismatch' | 'hash-mismatch';

export type VerifyResult =
  | { ok: true; count: number; headSeq: number; headHash: string }
  | { ok: false; count: number; brokenSeq: number; problem: ChainBreak; detail: string };

/**
 * Walks entries in sequence order and finds the first that does not follow from the one before.
 * Incremental: feed batches to `push`, then read `result()`. Shared by the database check and the
 * offline check of an export, so both apply the very same rules.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private count = 0;
  private broken: Extract<VerifyResult, { ok: false }> | undefined;

  constructor(start: { seq: number; prevHash: string } = { seq: 1, prevHash: genesisHash }) {
    this.expectedSeq = start.seq;
    this.prevHash = start.prevHash;
  }

  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  push(entry: LedgerEntry): boolean {
    if (this.broken) return false;
    const fail = (problem: ChainBreak, detail: string) => {
      this.broken = { ok: false, count: this.count, brokenSeq: entry.seq, problem, detail };
      return false;
    };
    if (entry.seq !== this.expectedSeq) {
      this.broken = {
        ok: false,
        count: this.count,
        brokenSeq: this.expectedSeq,
        problem: 'sequence-gap',
        detail: `expected sequence ${this.expectedSeq}, found ${entry.seq}`,
      };
      return false;
    }
    if (entry.prevHash !== this.prevHash) {
      return fail(
        'prev-hash-mismatch',
        `entry ${entry.seq} does not point at the hash of entry ${entry.seq - 1}`,
      );
    }
    if (hashEntry(entry.prevHash, entry) !== entry.hash) {
      return fail('hash-mismatch', `entry ${entry.seq} was changed after it was written`);
    }
    this.prevHash = entry.hash;
    this.expectedSeq += 1;
    this.count += 1;
    return true;
  }

  result(): VerifyResult {
    if (this.broken) return this.broken;
    return { ok: true, count: this.count, headSeq: this.expectedSeq - 1, headHash: this.prevHash };
  }
}
