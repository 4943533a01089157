import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, dbTargets, type TestPlatform } from '../../../test/harness.js';
import {
  ChainVerifier,
  canonicalEntry,
  canonicalEntryReference,
  genesisHash,
  hashEntry,
  type LedgerEntry,
} from './chain.js';
import { verifyExport } from './service.js';
import { loadOrCreateSigningKey } from './signing.js';

const event = (i: number) => ({
  actor: { type: 'system' },
  action: 'test.event',
  object: { type: 'thing', id: `thing-${i}` },
  data: { i, note: 'ünïcødé ✓', nested: { b: 2, a: [1, 'x', null] } },
});

describe.each(dbTargets)('audit ledger on %s', (target) => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('chains each entry to the one before with sha256 over RFC 8785 canonical JSON', async () => {
    const [first, second] = await platform.audit.record([event(1), event(2)]);
    expect(second!.seq).toBe(first!.seq + 1);
    expect(second!.prevHash).toBe(first!.hash);
    expect(hashEntry(first!.prevHash, first!)).toBe(first!.hash);
    const result = await platform.audit.verify();
    expect(result).toMatchObject({ ok: true, headSeq: second!.seq, headHash: second!.hash });
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
    await expect(
      platform.database.db.execute(sql`update audit_events set reason = 'x' where seq = 1`),
    ).rejects.toThrow();
    await expect(platform.database.db.execute(sql`delete from audit_events where seq = 1`)).rejects.toThrow();
    await expect(platform.database.db.execute(sql`truncate audit_events`)).rejects.toThrow();
  });

  it('keeps 200 concurrent appends gap-free and unforked', async () => {
    const before = (await platform.audit.head()).seq;
    await Promise.all(Array.from({ length: 200 }, (_, i) => platform.audit.record(event(i))));
    const rows = (await platform.database.db.execute(
      sql`select seq::int as seq, prev_hash, hash from audit_events order by seq`,
    )) as unknown as { rows: { seq: number; prev_hash: string; hash: string }[] };
    const seqs = rows.rows.map((r) => Number(r.seq));
    expect(seqs.length).toBe(before + 200);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    // Unforked: no two entries claim the same predecessor.
    expect(new Set(rows.rows.map((r) => r.prev_hash)).size).toBe(rows.rows.length);
    expect((await platform.audit.verify()).ok).toBe(true);
  });

  it('rolls the evidence back with a failed change: no entry, no gap', async () => {
    const before = await platform.audit.head();
    await expect(
      platform.database.db.transaction(async (tx) => {
        await platform.audit.append(tx, event(999));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await platform.audit.head()).toEqual(before);
    const [next] = await platform.audit.record(event(1000));
    expect(next!.seq).toBe(before.seq + 1);
  });

  it('exports JSON Lines with a signed manifest that verifies offline, and catches a tampered export', async () => {
    const out = path.join(platform.dataDir, 'ledger.jsonl');
    const { manifest } = await platform.audit.exportTo(out);
    const head = await platform.audit.head();
    expect(manifest).toMatchObject({ count: head.seq, headHash: head.hash, startHash: genesisHash });
    const ok = await verifyExport(out, platform.audit.publicKey);
    expect(ok.problems).toEqual([]);
    expect(ok.signatureValid).toBe(true);

    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    const tampered = JSON.parse(lines[4]!) as LedgerEntry;
    tampered.reason = 'rewritten history';
    lines[4] = JSON.stringify(tampered);
    await writeFile(out, `${lines.join('\n')}\n`);
    const bad = await verifyExport(out, platform.audit.publicKey);
    expect(bad.chain).toMatchObject({ ok: false, brokenSeq: 5, problem: 'hash-mismatch' });
    expect(bad.problems).toContain('the file digest differs from the manifest');
  });

  it('rejects an export signed by another key', async () => {
    const out = path.join(platform.dataDir, 'ledger2.jsonl');
    await platform.audit.exportTo(out);
    const otherKey = await loadOrCreateSigningKey(path.join(platform.dataDir, 'another-platform'));
    const result = await verifyExport(out, otherKey.publicJwk);
    expect(result.signatureValid).toBe(false);
    expect(result.problems[0]).toMatch(/signature does not verify/);
  });

  it('verifies in ranges, carrying the chain across range boundaries', async () => {
    const head = await platform.audit.head();
    const seen: number[] = [];
    const result = await platform.audit.verify((checked) => seen.push(checked), 50);
    expect(result).toMatchObject({ ok: true, headSeq: head.seq, headHash: head.hash });
    expect(seen.at(-1)).toBe(head.seq);
    expect(seen.length).toBe(Math.ceil(head.seq / 50));
  });

  // Last in this suite: it disables the append-only trigger to play a superuser rewriting history.
  it('names the first tampered sequence number when a row is changed behind its back', async () => {
    const db = platform.database.db;
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    // The readable columns are generated from the hashed text: they cannot be changed on their own…
    await expect(
      db.execute(sql`update audit_events set reason = 'nothing to see' where seq = 7`),
    ).rejects.toThrow();
    // …so history can only be rewritten in the hashed text itself, which verify catches.
    await db.execute(
      sql`update audit_events set canonical = replace(canonical, '"reason":null', '"reason":"nothing to see"') where seq = 7`,
    );
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const [changed] = await platform.audit.list({ limit: 1, afterSeq: 8 });
    expect(changed?.reason).toBe('nothing to see');
    const result = await platform.audit.verify();
    expect(result).toMatchObject({ ok: false, brokenSeq: 7, problem: 'hash-mismatch', count: 6 });
  });
});

describe('chain verifier (property-based)', () => {
  const entryArb = fc.record({
    actorType: fc.constantFrom('user', 'token', 'system'),
    actorId: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
    orgId: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
    action: fc.string({ minLength: 1, maxLength: 20 }),
    objectType: fc.string({ minLength: 1, maxLength: 10 }),
    objectId: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
    decision: fc.constantFrom('allow' as const, 'deny' as const, 'info' as const),
    reason: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
    data: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })),
  });

  function seal(parts: object[]): LedgerEntry[] {
    let prevHash = genesisHash;
    return parts.map((part, i) => {
      const unsealed = { ...part, seq: i + 1, id: `evt_${i}`, at: new Date(i * 1000).toISOString() } as Omit<
        LedgerEntry,
        'prevHash' | 'hash'
      >;
      const hash = hashEntry(prevHash, unsealed);
      const entry = { ...unsealed, prevHash, hash };
      prevHash = hash;
      return entry;
    });
  }

  it('accepts every honestly built chain', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 20 }), (parts) => {
        const verifier = new ChainVerifier();
        for (const entry of seal(parts)) verifier.push(entry);
        expect(verifier.result().ok).toBe(true);
      }),
    );
  });

  it('names the changed entry whenever one field of one entry changes', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.constantFrom('action', 'reason', 'orgId', 'data', 'at'),
        (parts, pick, field) => {
          const chain = seal(parts);
          const index = pick % chain.length;
          const target = chain[index]! as unknown as Record<string, unknown>;
          target[field] =
            field === 'data' ? { tampered: true, ...(target.data as object) } : `${String(target[field])}!`;
          const verifier = new ChainVerifier();
          for (const entry of chain) verifier.push(entry);
          expect(verifier.result()).toMatchObject({ ok: false, brokenSeq: index + 1 });
        },
      ),
    );
  });

  it('writes exactly the RFC 8785 canonical form of the whole entry', () => {
    fc.assert(
      fc.property(entryArb, fc.nat(), fc.string(), fc.date({ noInvalidDate: true }), (part, seq, id, at) => {
        const entry = { ...part, seq, id, at: at.toISOString() };
        expect(canonicalEntry(entry)).toBe(canonicalEntryReference(entry));
      }),
      { numRuns: 500 },
    );
  });

  it('notices a removed entry as a gap', () => {
    const chain = seal(
      Array.from({ length: 5 }, () => ({
        actorType: 'system',
        actorId: null,
        orgId: null,
        action: 'a',
        objectType: 'o',
        objectId: null,
        decision: 'info',
        reason: null,
        data: {},
      })),
    );
    chain.splice(2, 1);
    const verifier = new ChainVerifier();
    for (const entry of chain) verifier.push(entry);
    expect(verifier.result()).toMatchObject({ ok: false, brokenSeq: 3, problem: 'sequence-gap' });
  });
});
