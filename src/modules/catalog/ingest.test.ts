import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { DuckEngine, quoteLiteral } from '../../infra/duck-engine.js';
import { type IngestedFile, ingestFile } from './ingest.js';
import type { DatasetFormat } from './schema.js';

let dir: string;
let engine: DuckEngine;
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'stp-ingest-'));
  engine = await DuckEngine.open({
    datasetsDir: path.join(dir, 'datasets'),
    labsDir: path.join(dir, 'labs'),
    memoryLimit: '1GB',
    threads: 2,
  });
});

afterAll(async () => {
  engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes `content` as an upload and ingests it; returns the result and the Parquet path. */
async function ingest(
  format: DatasetFormat,
  content: string | Uint8Array,
): Promise<IngestedFile & { outputPath: string }> {
  const { inputPath, outputPath } = await upload(format, content);
  const result = await ingestFile(engine, { path: inputPath, format }, outputPath);
  return { ...result, outputPath };
}

async function upload(format: DatasetFormat, content: string | Uint8Array) {
  fileCount++;
  const inputPath = path.join(dir, `upload-${fileCount}.${format}`);
  const outputPath = path.join(dir, `converted-${fileCount}.parquet`);
  await writeFile(inputPath, content);
  return { inputPath, outputPath };
}

/** Ingests a file that must fail; returns the error and checks what the client would see. */
async function rejection(format: DatasetFormat, content: string | Uint8Array): Promise<AppError> {
  const { inputPath, outputPath } = await upload(format, content);
  let error: unknown;
  try {
    await ingestFile(engine, { path: inputPath, format }, outputPath);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('invalid-dataset-file');
  // The detail goes to the client: no path of this server, no raw DuckDB text.
  expect(appError.message).not.toContain(dir);
  expect(appError.message).not.toMatch(/(^|[\s'"])\/[\w.-]+\//);
  expect(appError.message).not.toMatch(/Error:|LINE 1|Possible (fixes|Solution)|strict_mode|read_csv/);
  expect(existsSync(outputPath)).toBe(false);
  return appError;
}

async function readBack(parquetPath: string): Promise<Record<string, unknown>[]> {
  const connection = await engine.ingestConnection();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoteLiteral(parquetPath)})`);
    return reader.getRowObjectsJson();
  } finally {
    connection.closeSync();
  }
}

/** `distinctApprox` is a HyperLogLog estimate: near the true count, not always on it. */
const near = (count: number) => ({
  asymmetricMatch: (actual: unknown) =>
    typeof actual === 'number' && Math.abs(actual - count) <= Math.max(1, count / 10),
  toString: () => `near ${count}`,
});

const columnsOf = (result: IngestedFile) => result.columns.map((c) => [c.name, c.type]);
const statisticsOf = (result: IngestedFile, name: string) =>
  result.columns.find((c) => c.name === name)?.statistics;

describe('ingestFile converts each format to Parquet and profiles it', () => {
  const csv = [
    'station,reading,day,note',
    'ST01,1.5,2024-01-01,ok',
    'ST02,2.5,2024-01-02,',
    'ST01,,2024-01-03,late',
    'ST03,4.0,2024-01-04,ok',
  ].join('\n');

  it('reads a CSV with its header, types and statistics', async () => {
    const result = await ingest('csv', `${csv}\n`);
    expect(result.rowCount).toBe(4);
    expect(columnsOf(result)).toEqual([
      ['station', 'VARCHAR'],
      ['reading', 'DOUBLE'],
      ['day', 'DATE'],
      ['note', 'VARCHAR'],
    ]);
    expect(statisticsOf(result, 'reading')).toEqual({
      nullCount: 1,
      distinctApprox: near(3),
      min: '1.5',
      max: '4.0',
      mean: (1.5 + 2.5 + 4) / 3,
    });
    expect(statisticsOf(result, 'station')).toEqual({
      nullCount: 0,
      distinctApprox: near(3),
      min: 'ST01',
      max: 'ST03',
      mean: null,
    });
    expect(statisticsOf(result, 'day')).toMatchObject({
      nullCount: 0,
      min: '2024-01-01',
      max: '2024-01-04',
      mean: null,
    });
    expect(statisticsOf(result, 'note')?.nullCount).toBe(1);
    expect(result.samples.station?.sort()).toEqual(['ST01', 'ST02', 'ST03']);
    expect(await readBack(result.outputPath)).toHaveLength(4);
  });

  it('reads a TSV, where commas are part of values', async () => {
    const result = await ingest(
      'tsv',
      'id\tplace\tcount\n1\tSha Tin, N.T.\t10\n2\tCentral\t20\n3\tTai Po\t\n',
    );
    expect(result.rowCount).toBe(3);
    expect(columnsOf(result)).toEqual([
      ['id', 'BIGINT'],
      ['place', 'VARCHAR'],
      ['count', 'BIGINT'],
    ]);
    expect(statisticsOf(result, 'count')).toEqual({
      nullCount: 1,
      distinctApprox: near(2),
      min: '10',
      max: '20',
      mean: 15,
    });
    expect(result.samples.place).toContain('Sha Tin, N.T.');
  });

  it('reads JSON Lines, keeping keys that appear only in later records', async () => {
    const lines = Array.from({ length: 25_000 }, (_, i) =>
      JSON.stringify({ id: i, at: '2024-05-01 08:00:00' }),
    );
    // Past DuckDB's default 20,480-record schema sample: would be dropped silently without sample_size = -1.
    lines.push(JSON.stringify({ id: 25_000, at: '2024-05-02 09:30:00', remark: 'late key' }));
    const result = await ingest('jsonl', `${lines.join('\n')}\n`);
    expect(result.rowCount).toBe(25_001);
    expect(columnsOf(result)).toEqual([
      ['id', 'BIGINT'],
      ['at', 'TIMESTAMP'],
      ['remark', 'VARCHAR'],
    ]);
    expect(statisticsOf(result, 'id')).toMatchObject({ nullCount: 0, min: '0', max: '25000', mean: 12_500 });
    expect(statisticsOf(result, 'remark')).toMatchObject({
      nullCount: 25_000,
      min: 'late key',
      max: 'late key',
    });
    expect(result.samples.remark).toEqual(['late key']);
  });

  it('reads a Parquet file', async () => {
    const source = path.join(dir, 'source.parquet');
    const connection = await engine.ingestConnection();
    try {
      await connection.run(
        `COPY (SELECT range AS id, range * 0.5 AS score, 'k' || (range % 7) AS kind, NULL::VARCHAR AS empty FROM range(1000)) TO ${quoteLiteral(source)} (FORMAT parquet)`,
      );
    } finally {
      connection.closeSync();
    }
    const outputPath = path.join(dir, 'from-parquet.parquet');
    const result = await ingestFile(engine, { path: source, format: 'parquet' }, outputPath);
    expect(result.rowCount).toBe(1000);
    expect(columnsOf(result)).toEqual([
      ['id', 'BIGINT'],
      ['score', 'DECIMAL(21,1)'],
      ['kind', 'VARCHAR'],
      ['empty', 'VARCHAR'],
    ]);
    expect(statisticsOf(result, 'score')).toMatchObject({
      nullCount: 0,
      min: '0.0',
      max: '499.5',
      mean: 249.75,
    });
    expect(statisticsOf(result, 'kind')).toMatchObject({
      distinctApprox: near(7),
      min: 'k0',
      max: 'k6',
      mean: null,
    });
    expect(statisticsOf(result, 'empty')).toEqual({
      nullCount: 1000,
      distinctApprox: 0,
      min: null,
      max: null,
      mean: null,
    });
    expect(result.samples.empty).toEqual([]);
  });

  it('keeps Traditional Chinese column names and values', async () => {
    const result = await ingest(
      'csv',
      '地區,人口,備註\n沙田,692806,新市鎮\n油尖旺,310647,\n九龍城,410634,舊區重建\n',
    );
    expect(columnsOf(result)).toEqual([
      ['地區', 'VARCHAR'],
      ['人口', 'BIGINT'],
      ['備註', 'VARCHAR'],
    ]);
    expect(result.samples.地區?.sort()).toEqual(['九龍城', '沙田', '油尖旺'].sort());
    expect(statisticsOf(result, '備註')).toMatchObject({ nullCount: 1, min: '新市鎮', max: '舊區重建' });
    expect(await readBack(result.outputPath)).toContainEqual({
      地區: '沙田',
      人口: '692806',
      備註: '新市鎮',
    });
  });

  it('samples at most 200 distinct values per column', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i % 1000},same`);
    const result = await ingest('csv', `code,constant\n${rows.join('\n')}\n`);
    const codes = result.samples.code!;
    expect(codes).toHaveLength(200);
    expect(new Set(codes).size).toBe(200);
    expect(codes.every((v) => typeof v === 'string')).toBe(true);
    expect(result.samples.constant).toEqual(['same']);
  });

  it('accepts a CSV with a header and no rows as an empty dataset', async () => {
    const result = await ingest('csv', 'station,reading\n');
    expect(result.rowCount).toBe(0);
    expect(columnsOf(result)).toEqual([
      ['station', 'VARCHAR'],
      ['reading', 'VARCHAR'],
    ]);
    expect(statisticsOf(result, 'reading')).toEqual({
      nullCount: 0,
      distinctApprox: 0,
      min: null,
      max: null,
      mean: null,
    });
    expect(result.samples).toEqual({ station: [], reading: [] });
  });

  it('keeps rows that start with # (DuckDB would sniff them as comments)', async () => {
    const result = await ingest('csv', 'unit,floor\n#1,3\n#2,4\n3,5\n');
    expect(result.rowCount).toBe(3);
    expect(result.samples.unit?.sort()).toEqual(['#1', '#2', '3']);
  });

  it('reads CRLF line ends and a UTF-8 byte-order mark', async () => {
    const result = await ingest('csv', '\ufeffa,b\r\n1,x\r\n2,y\r\n');
    expect(columnsOf(result)).toEqual([
      ['a', 'BIGINT'],
      ['b', 'VARCHAR'],
    ]);
    expect(result.rowCount).toBe(2);
  });

  it('re-reads a CSV whose later rows do not fit the type guessed from the first ones', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},x`);
    const result = await ingest('csv', `value,tag\n${rows.join('\n')}\nn/a,y\n`);
    expect(result.rowCount).toBe(30_001);
    expect(columnsOf(result)).toEqual([
      ['value', 'VARCHAR'],
      ['tag', 'VARCHAR'],
    ]);
  });
});

describe('ingestFile refuses files that do not parse, saying where', () => {
  it('names line 4 of a CSV whose fourth line has too few fields', async () => {
    const error = await rejection('csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n');
    expect(error.message).toBe('Line 4 has 2 fields; the header has 3.');
    expect(error.extensions).toEqual({ line: 4 });
  });

  it('names the line of a row with too many fields', async () => {
    const error = await rejection('csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10,11\n');
    expect(error.message).toBe('Line 4 has more fields than the 3 of the header.');
    expect(error.extensions).toEqual({ line: 4 });
  });

  it('refuses lines above the header rather than skipping them', async () => {
    const error = await rejection('csv', 'Title: readings\nstation,reading\nST01,1.5\n');
    expect(error.message).toBe('Line 2 has more fields than the 1 of the header.');
    expect(error.extensions).toEqual({ line: 2 });
  });

  it('names the line of a bad row past the rows DuckDB samples', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i},x,y`);
    const error = await rejection('csv', `a,b,c\n${rows.join('\n')}\n1,2\n`);
    expect(error.extensions).toEqual({ line: 25_002 });
    expect(error.message).toBe('Line 25002 has 2 fields; the header has 3.');
  });

  it('names the line of a TSV row with a missing field', async () => {
    const error = await rejection('tsv', 'a\tb\n1\tx\n2\n');
    expect(error.message).toBe('Line 3 has 1 field; the header has 2.');
    expect(error.extensions).toEqual({ line: 3 });
  });

  it('names the line of a quote that is never closed', async () => {
    const error = await rejection('csv', 'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n');
    expect(error.message).toBe('Line 3 has a quoted value that is never closed.');
    expect(error.extensions).toEqual({ line: 3 });
  });

  it('names the line that is not UTF-8', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('name,city\nChan,Sha Tin\nM'),
      Buffer.from([0xfc]),
      Buffer.from('ller,Central\n'),
    ]);
    const error = await rejection('csv', latin1);
    expect(error.message).toBe('Line 3 is not valid UTF-8 text; save the file with UTF-8 encoding.');
    expect(error.extensions).toEqual({ line: 3 });
  });

  it.each([
    ['a,,c\n1,2,3\n', 'Column 2 of the header (line 1) has no name; every column needs one.'],
    [
      'a,b,A\n1,2,3\n',
      'The header (line 1) names columns 1 and 3 both "A"; column names must be unique, ignoring case.',
    ],
    ['\n1,2,3\n', 'The first line is empty; it must be a header naming the columns.'],
  ])('refuses a header with a missing or repeated name: %j', async (content, detail) => {
    const error = await rejection('csv', content);
    expect(error.message).toBe(detail);
    expect(error.extensions).toEqual({ line: 1 });
  });

  it.each(['csv', 'tsv', 'jsonl', 'parquet'] as const)('refuses an empty %s file', async (format) => {
    const error = await rejection(format, '');
    expect(error.message).toBe('The file is empty.');
    expect(error.extensions).toEqual({});
  });

  it('refuses a binary file declared as CSV', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const error = await rejection('csv', png);
    expect(error.message).toBe('The file is not CSV text: it contains binary data (NUL bytes).');
  });

  it('says an Excel workbook declared as CSV looks like one', async () => {
    const error = await rejection('csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0]));
    expect(error.message).toBe(
      'The file is not CSV text: it looks like a ZIP archive or an Excel workbook; export the sheet as CSV.',
    );
  });

  it('asks for UTF-8 instead of UTF-16 text', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n1\t2\n', 'utf16le')]);
    const error = await rejection('tsv', utf16);
    expect(error.message).toBe('The file is UTF-16 text; save it with UTF-8 encoding.');
  });

  it('names line 3 of JSON Lines whose third line is broken', async () => {
    const error = await rejection('jsonl', '{"a":1}\n{"a":2}\n{"a":3,\n{"a":4}\n');
    expect(error.message).toMatch(/^Line 3 is not valid JSON: /);
    expect(error.extensions).toEqual({ line: 3 });
  });

  it('names a broken JSON line far into the file', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"a":${i}}`);
    lines.push('{"a": "unterminated}');
    const error = await rejection('jsonl', `${lines.join('\n')}\n`);
    expect(error.extensions).toEqual({ line: 30_001 });
  });

  it.each([
    ['{"a":1}\n[1,2]\n', 'Line 2 is an array, not a JSON object; every line must be one object.', 2],
    ['{"a":1}\n\n"text"\n', 'Line 3 is a string, not a JSON object; every line must be one object.', 3],
    ['{"a":1}\n{"a":2,"a":3}\n', 'Line 2 has the key "a" more than once.', 2],
    ['{"a":1}\n{"":2}\n', 'Line 2 has a key that is empty; every column needs a name.', 2],
    [
      '{"a":1}\n{"b":1,"B":2}\n',
      'Line 2 has the keys "b" and "B"; column names must be unique, ignoring case.',
      2,
    ],
  ])('names the JSON line that is not a usable record: %j', async (content, detail, line) => {
    const error = await rejection('jsonl', content);
    expect(error.message).toBe(detail);
    expect(error.extensions).toEqual({ line });
  });

  it('refuses JSON Lines without records', async () => {
    const error = await rejection('jsonl', '\n  \n\n');
    expect(error.message).toBe('The file holds no JSON records.');
  });

  it('accepts JSON keys that only look like DuckDB renames', async () => {
    const result = await ingest('jsonl', '{"C0":1,"x":2,"x_1":3}\n');
    expect(columnsOf(result).map(([name]) => name)).toEqual(['C0', 'x', 'x_1']);
  });

  it('refuses bytes that are not Parquet declared as Parquet', async () => {
    const error = await rejection('parquet', 'station,reading\nST01,1.5\n');
    expect(error.message).toBe(
      'The file is not a Parquet file: Parquet files begin and end with the marker PAR1.',
    );
  });

  it('refuses a damaged Parquet file', async () => {
    const source = path.join(dir, 'damaged-source.parquet');
    const connection = await engine.ingestConnection();
    try {
      await connection.run(
        `COPY (SELECT range AS id FROM range(10000)) TO ${quoteLiteral(source)} (FORMAT parquet)`,
      );
    } finally {
      connection.closeSync();
    }
    const bytes = await readFile(source);
    const truncated = await rejection('parquet', bytes.subarray(0, bytes.length - 10));
    expect(truncated.message).toBe(
      'The file is not a Parquet file: Parquet files begin and end with the marker PAR1.',
    );
    const corrupted = Buffer.from(bytes).fill(0x41, 100, 5000);
    const error = await rejection('parquet', corrupted);
    expect(error.message).toMatch(
      /^The Parquet file is damaged or cannot be read: Failed to read the file: /,
    );
  });

  it('refuses a Parquet file with two columns whose names differ only in case', async () => {
    // DuckDB will not write such a file (it renames the second column), so one is made by renaming
    // `zzzzz` to `ABCDE` in the footer of a file with columns `abcde` and `zzzzz`: same length, so
    // the Thrift encoding stays valid.
    const source = path.join(dir, 'clash.parquet');
    const connection = await engine.ingestConnection();
    try {
      await connection.run(
        `COPY (SELECT 1 AS abcde, 2 AS zzzzz) TO ${quoteLiteral(source)} (FORMAT parquet)`,
      );
    } finally {
      connection.closeSync();
    }
    const bytes = Buffer.from(await readFile(source));
    const footerStart = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    for (let at = bytes.indexOf('zzzzz', footerStart); at !== -1; at = bytes.indexOf('zzzzz', at)) {
      bytes.write('ABCDE', at);
    }
    const error = await rejection('parquet', bytes);
    expect(error.message).toBe(
      'The Parquet file has columns named "abcde" and "ABCDE"; column names must be unique, ignoring case.',
    );
  });
});
