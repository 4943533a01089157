import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inclusionProof, leafData, merkleRoot, verifyInclusion } from './merkle.js';

const leaves = (texts: string[]) => texts.map((t) => Buffer.from(t));

describe('merkle tree (RFC 6962)', () => {
  it('hashes the empty tree, one leaf and two leaves as RFC 6962 defines', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    expect(merkleRoot([])).toBe(sha().toString('hex'));
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    const leafA = sha(Buffer.from([0]), a);
    const leafB = sha(Buffer.from([0]), b);
    expect(merkleRoot([a])).toBe(leafA.toString('hex'));
    expect(merkleRoot([a, b])).toBe(sha(Buffer.from([1]), leafA, leafB).toString('hex'));
  });

  it('canonicalises a record so key order does not change its leaf', () => {
    expect(leafData({ b: 1, a: 'x' }).equals(leafData({ a: 'x', b: 1 }))).toBe(true);
  });

  it('proves every leaf of every tree size, and no proof survives a changed leaf', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 70 }), fc.nat(), (texts, pick) => {
        const data = leaves(texts);
        const root = merkleRoot(data);
        const index = pick % data.length;
        const proof = inclusionProof(data, index);
        expect(proof.path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(data.length)));
        expect(verifyInclusion(data[index]!, proof, root)).toBe(true);
        expect(verifyInclusion(Buffer.concat([data[index]!, Buffer.from('!')]), proof, root)).toBe(false);
        if (data.length > 1) {
          const other = (index + 1) % data.length;
          if (!data[other]!.equals(data[index]!)) {
            expect(verifyInclusion(data[other]!, proof, root)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('changes the root when any leaf changes or leaves are reordered', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 2, maxLength: 40 }), fc.nat(), (texts, pick) => {
        const data = leaves(texts);
        const root = merkleRoot(data);
        const i = pick % data.length;
        const changed = [...data];
        changed[i] = Buffer.concat([data[i]!, Buffer.from('tampered')]);
        expect(merkleRoot(changed)).not.toBe(root);
        expect(merkleRoot([...data].reverse())).not.toBe(root);
      }),
    );
  });

  it('refuses malformed proofs', () => {
    const data = leaves(['a', 'b', 'c']);
    const root = merkleRoot(data);
    const proof = inclusionProof(data, 2);
    expect(verifyInclusion(data[2]!, { ...proof, index: 3 }, root)).toBe(false);
    expect(verifyInclusion(data[2]!, { ...proof, path: [...proof.path, proof.path[0]!] }, root)).toBe(false);
    expect(verifyInclusion(data[2]!, { ...proof, path: ['zz'] }, root)).toBe(false);
    expect(() => inclusionProof(data, 3)).toThrow(RangeError);
  });
});
