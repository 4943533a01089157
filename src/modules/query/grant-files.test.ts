import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine, quoteLiteral } from '../../infra/duck-engine.js';
import { fullAccessTerms } from '../access/terms.js';
import type { DatasetColumn } from '../catalog/schema.js';
import { GrantFiles, grantFileSelect } from './grant-files.js';
import type { Grant } from './views.js';

const column = (name: string, type: string): DatasetColumn => ({
  name,
  type,
  suggested: 'public',
  reasons: [],
  classification: 'public',
  description: null,
  statistics: { nullCount: 0, distinctApprox: 3, min: null, max: null, mean: null },
});

describe('grant files', () => {
  let dir: string;
  let engine: DuckEngine;
  let files: GrantFiles;
  let source: string;
  const columns = [column('patient', 'VARCHAR'), column('ward', 'VARCHAR'), column('cost', 'BIGINT')];

  const grantOf = (overrides: Partial<Grant['terms']>, subjectColumn: string | null = 'patient'): Grant => ({
    name: 'visits',
    datasetId: 'ds_test',
    versionId: 'dsv_test',
    file: source,
    columns,
    terms: { ...fullAccessTerms(columns, new Date('2026-01-01'), true), ...overrides },
    agreementId: 'agr_test',
    secret: 'a'.repeat(64),
    via: 'agreement',
    ownerOrgId: 'org_owner',
    subjectColumn,
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-grant-files-'));
    engine = await DuckEngine.open({
      datasetsDir: path.join(dir, 'datasets'),
      labsDir: path.join(dir, 'labs'),
      memoryLimit: '256MB',
      threads: 1,
    });
    files = new GrantFiles({ engine, dir: path.join(dir, 'grants') });
    source = path.join(dir, 'datasets', 'visits.parquet');
    const connection = await engine.ingestConnection();
    try {
      await connection.run(
        `COPY (SELECT * FROM (VALUES ('P1', 'A', 10), ('P1', 'A', 20), ('P2', 'B', 30), ('P3', 'A', 40)) t(patient, ward, cost)) ` +
          `TO ${quoteLiteral(source)} (FORMAT parquet)`,
      );
    } finally {
      connection.closeSync();
    }
  });
  afterAll(async () => {
    engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function read(file: string): Promise<Record<string, unknown>[]> {
    const connection = await engine.ingestConnection();
    try {
      return (
        await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoteLiteral(file)})`)
      ).getRowObjectsJson();
    } finally {
      connection.closeSync();
    }
  }

  it('is the version file itself for a whole, unmasked grant', async () => {
    expect(await files.fileFor(grantOf({}))).toBe(source);
  });

  it('holds masked values, filtered rows and no key, and is shared by identical terms', async () => {
    const grant = grantOf({
      columns: ['patient', 'ward'],
      masks: { patient: { kind: 'hash' } },
      rowFilter: [{ column: 'ward', op: '=', value: 'A' }],
    });
    const file = await files.fileFor(grant);
    expect(path.dirname(file)).toBe(path.join(dir, 'grants'));
    const rows = await read(file);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['patient', 'ward']);
      expect(row.patient).toMatch(/^[0-9a-f]{32}$/);
      expect(row.ward).toBe('A');
    }
    expect(await files.fileFor({ ...grant })).toBe(file);
    expect(await files.fileFor({ ...grant, secret: 'b'.repeat(64) })).not.toBe(file);
  });

  it('gives an aggregate-only grant a hidden subject pseudonym, or a row number without a subject column', async () => {
    const terms = { columns: ['ward', 'cost'], aggregateOnly: true, minGroupSize: 2 };
    const bySubject = await read(await files.fileFor(grantOf(terms)));
    expect(new Set(bySubject.map((row) => row.__subject)).size).toBe(3);
    expect(grantFileSelect(grantOf(terms))).not.toContain('a'.repeat(64));
    const byRow = await read(await files.fileFor(grantOf(terms, null)));
    expect(new Set(byRow.map((row) => row.__subject)).size).toBe(4);
  });

  it('sweeps files unused for the age given and old partial writes, keeping recent ones', async () => {
    const grants = path.join(dir, 'grants');
    const used = await files.fileFor(grantOf({ columns: ['ward'] }));
    const old = path.join(grants, `${'0'.repeat(64)}.parquet`);
    const partial = path.join(grants, `${'1'.repeat(64)}.parquet.abc.partial`);
    await writeFile(old, 'x');
    await writeFile(partial, 'y');
    const longAgo = new Date(Date.now() - 8 * 86_400_000);
    await utimes(old, longAgo, longAgo);
    await utimes(partial, longAgo, longAgo);
    const swept = await files.sweep(7 * 86_400_000);
    expect(swept.removed).toBe(2);
    const left = await readdir(grants);
    expect(left).toContain(path.basename(used));
    expect(left).not.toContain(path.basename(old));
    expect(left).not.toContain(path.basename(partial));
  });

  it('looks at a file seen within the minute no more, and again after it or after a sweep', async () => {
    const grant = grantOf({ columns: ['ward', 'cost'], masks: { ward: { kind: 'hash' } } });
    const start = Date.now();
    const file = await files.fileFor(grant, start);
    await rm(file);
    // Seen a moment ago: trusted without a look (the name is the hash of the content).
    expect(await files.fileFor(grant, start + 1_000)).toBe(file);
    expect(await stat(file).catch(() => null)).toBeNull();
    // A minute on, it is looked at again and, missing, written again.
    expect(await files.fileFor(grant, start + 61_000)).toBe(file);
    expect((await read(file)).length).toBe(4);
    await rm(file);
    await files.sweep(7 * 86_400_000);
    expect(await files.fileFor(grant, start + 62_000)).toBe(file);
    expect((await read(file)).length).toBe(4);
  });
});
