import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, dbTargets, type TestPlatform } from '../../../test/harness.js';
import { systemClock } from '../../clock.js';
import { openDatabase } from '../../db/client.js';
import {
  ChainVerifier,
  canonicalEntry,
  canonicalEntryReference,
  genesisHash,
  hashEntry,
  type LedgerEntry,
} from './chain.js';
import { type AuditEventInput, AuditLedger, defaultBulkThreshold, verifyExport } from './service.js';
import { loadOrCreateSigningKey } from './signing.js';

const event = (i: number): AuditEventInput => ({
  actor: { type: 'system' },
  action: 'dataset.download',
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

  // Backslashes, quotes, tabs and line feeds inside strings: JSON escapes them with backslashes,
  // which COPY's text format must carry through unchanged for the stored text to hash the same.
  const bulkEvent = (i: number): AuditEventInput => ({
    actor: { type: 'user', id: `usr-${i % 7}` },
    orgId: `org-${i % 3}`,
    action: 'gateway.calls.commit',
    // Ids may hold anything: tabs, line feeds, backslashes and quotes must land in the filter columns intact.
    object: { type: 'thing', id: i % 4 === 0 ? `thing-${i}\t"x"\\\n\r` : `thing-${i}` },
    decision: i % 5 === 0 ? ('deny' as const) : ('allow' as const),
    reason: i % 5 === 0 ? 'a "quoted" \\ reason' : null,
    data: { i, path: `C:\\data\\${i}\tx\n`, note: 'ünïcødé ✓ \u2028', nested: { b: 2, a: [1, 'x', null] } },
  });

  it('stores a batch as one consecutive run of the chain that verifies in the database and offline', async () => {
    const before = await platform.audit.head();
    const count = 3 * defaultBulkThreshold + 4321;
    const entries = await platform.audit.record(Array.from({ length: count }, (_, i) => bulkEvent(i)));
    expect(entries.map((entry) => entry.seq)).toEqual(
      Array.from({ length: count }, (_, i) => before.seq + i + 1),
    );
    expect(entries[0]!.prevHash).toBe(before.hash);
    expect(await platform.audit.head()).toEqual({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });
    // What was stored is what was hashed: the readable columns come from the stored text.
    const [stored] = await platform.audit.list({ limit: 1, afterSeq: before.seq + 3 });
    expect(stored).toEqual(entries[1]);
    expect(stored!.data.path).toBe('C:\\data\\1\tx\n');
    const [denied] = await platform.audit.list({
      limit: 1,
      action: 'gateway.calls.commit',
      afterSeq: before.seq + 7,
    });
    expect(denied).toMatchObject({ seq: before.seq + 6, reason: 'a "quoted" \\ reason', decision: 'deny' });
    expect(await platform.audit.verify()).toMatchObject({ ok: true, headSeq: entries.at(-1)!.seq });
    const out = path.join(platform.dataDir, 'bulk.jsonl');
    await platform.audit.exportTo(out);
    expect((await verifyExport(out, platform.audit.publicKey)).problems).toEqual([]);
  });

  it('writes the same entries in bulk as one at a time would', async () => {
    const clock = { now: () => new Date('2026-12-05T08:00:00.000Z') };
    const bulk = new AuditLedger({
      db: platform.database.db,
      clock,
      signingKey: await loadOrCreateSigningKey(platform.dataDir),
    });
    const plain = new AuditLedger({
      db: platform.database.db,
      clock,
      signingKey: await loadOrCreateSigningKey(platform.dataDir),
      bulkThreshold: Number.POSITIVE_INFINITY,
    });
    const inputs = Array.from({ length: defaultBulkThreshold * 2 }, (_, i) => bulkEvent(i));
    const viaCopy = await bulk.record(inputs);
    const viaInsert = await plain.record(inputs);
    type Row = { canonical: string } & Record<string, unknown>;
    const rows = async (from: number, to: number) =>
      (
        (await platform.database.db.execute(
          sql`select canonical, org_id as "orgId", action, object_type as "objectType",
                     object_id as "objectId", actor_id as "actorId", at, data
              from audit_events where seq between ${from} and ${to} order by seq`,
        )) as unknown as { rows: Row[] }
      ).rows;
    const copied = await rows(viaCopy[0]!.seq, viaCopy.at(-1)!.seq);
    const inserted = await rows(viaInsert[0]!.seq, viaInsert.at(-1)!.seq);
    expect(copied.length).toBe(inputs.length);
    // Same filter columns by either path (the canonical text differs only in sequence and id)…
    const columns = ({ canonical: _canonical, ...rest }: Row) => rest;
    expect(copied.map(columns)).toEqual(inserted.map(columns));
    // …and each column holds what the hashed canonical text says.
    const fromCanonical = (row: Row) => {
      const { orgId, action, objectType, objectId, actorId, at, data } = JSON.parse(row.canonical);
      return { orgId, action, objectType, objectId, actorId, at, data };
    };
    for (const row of [...copied, ...inserted]) expect(columns(row)).toEqual(fromCanonical(row));
    expect((await platform.audit.verify()).ok).toBe(true);
  });

  it('keeps batches from two connections appending at once in one unforked chain', async () => {
    // On PostgreSQL the second ledger has a pool of its own, as another process or node would.
    const other = platform.databaseUrl
      ? await openDatabase({ databaseUrl: platform.databaseUrl, poolSize: 2 })
      : null;
    try {
      const second = new AuditLedger({
        db: other?.db ?? platform.database.db,
        clock: systemClock,
        signingKey: await loadOrCreateSigningKey(platform.dataDir),
      });
      const before = (await platform.audit.head()).seq;
      const batch = (from: number) => Array.from({ length: 1500 }, (_, i) => bulkEvent(from + i));
      const results = await Promise.all([
        platform.audit.record(batch(0)),
        second.record(batch(10_000)),
        platform.audit.record(event(1)),
        second.record(batch(20_000)),
        platform.audit.record(batch(30_000)),
        second.record(event(2)),
      ]);
      const seqs = results.flatMap((entries) => entries.map((entry) => entry.seq)).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 4 * 1500 + 2 }, (_, i) => before + i + 1));
      // Each batch is one unbroken run: no other appender's entry lands inside it.
      for (const entries of results) {
        expect(entries.at(-1)!.seq - entries[0]!.seq).toBe(entries.length - 1);
      }
      expect(await platform.audit.verify()).toMatchObject({ ok: true, headSeq: before + seqs.length });
    } finally {
      await other?.close();
    }
  });

  it('leaves nothing of a batch the database refuses part-way, and the chain goes on from the old head', async () => {
    const before = await platform.audit.head();
    // jsonb refuses the NUL character, so this row fails inside the stream, after thousands went in.
    const inputs: AuditEventInput[] = Array.from({ length: 5000 }, (_, i) => bulkEvent(i));
    inputs[4200] = { ...inputs[4200]!, data: { text: 'nul \u0000 here' } };
    await expect(platform.audit.record(inputs)).rejects.toThrow();
    expect(await platform.audit.head()).toEqual(before);
    const count = (await platform.database.db.execute(
      sql`select count(*)::int as n from audit_events where seq > ${before.seq}`,
    )) as unknown as { rows: { n: number }[] };
    expect(Number(count.rows[0]!.n)).toBe(0);
    // A batch that went in whole but whose change failed afterwards rolls back with it.
    await expect(
      platform.database.db.transaction(async (tx) => {
        await platform.audit.append(
          tx,
          Array.from({ length: 2000 }, (_, i) => bulkEvent(i)),
        );
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await platform.audit.head()).toEqual(before);
    const next = await platform.audit.record(inputs.slice(0, 4000));
    expect(next[0]).toMatchObject({ seq: before.seq + 1, prevHash: before.hash });
    expect((await platform.audit.verify()).ok).toBe(true);
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
