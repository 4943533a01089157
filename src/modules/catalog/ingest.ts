import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { type DuckEngine, quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { ColumnStatistics, DatasetFormat } from './schema.js';

export interface IngestedColumn {
  name: string;
  type: string;
  statistics: ColumnStatistics;
}

export interface IngestedFile {
  rowCount: number;
  columns: IngestedColumn[];
  /** Up to 200 distinct non-null values per column, as strings, for classification. */
  samples: Record<string, string[]>;
}

interface InputFile {
  path: string;
  format: DatasetFormat;
}

/** What a client is told about a file that cannot be read: a sentence, and the 1-based line where known. */
interface FileProblem {
  detail: string;
  line?: number;
}

const sampleLimit = 200;
/** Samples are drawn from the first rows holding a value, so profiling a 10 GB file reads a sliver of it. */
const sampleScanRows = 100_000;
/** Longer values are cut: a statistic or a sample is for a person to glance at, not a copy of the data. */
const sampleValueChars = 1000;
const statisticChars = 200;
/** The header of a CSV must end within this many bytes; beyond it the "header" is not one. */
const headerByteLimit = 1 << 20;
/** The fallback JSON Lines scan gives up on a line longer than this rather than hold it in memory. */
const scanLineByteLimit = 64 << 20;

const formatNames: Record<DatasetFormat, string> = {
  csv: 'CSV',
  tsv: 'TSV',
  parquet: 'Parquet',
  jsonl: 'JSON Lines',
};

/**
 * Converts an uploaded file to Parquet at exactly `outputPath` (zstd-compressed) and profiles it:
 * the row count, each column's DuckDB type and statistics, and value samples for classification.
 *
 * A file that does not parse as its declared format is an `invalid-dataset-file` error whose detail
 * says what is wrong in plain words, naming the 1-based line where it can be known (a CSV's header is
 * line 1). The detail goes to the client, so it never carries a path of this server. On any failure
 * the partial output is removed; temp names and renames are the caller's.
 *
 * A CSV or TSV must start with a header: its names become the dataset's columns, so they must be
 * present and unique ignoring case (SQL identifiers are case-insensitive). A header without rows is
 * a valid, empty dataset (0 rows, VARCHAR columns); a JSON Lines file without records is not, as it
 * names no columns.
 */
export async function ingestFile(
  engine: DuckEngine,
  input: InputFile,
  outputPath: string,
): Promise<IngestedFile> {
  const connection = await engine.ingestConnection();
  try {
    const header = await inspectStart(input);
    if (input.format === 'parquet') await checkParquetNames(connection, input.path);
    await convert(connection, input, outputPath, header);
    const columns = await describeParquet(connection, outputPath);
    if (input.format === 'jsonl') await checkJsonNames(input.path, columns);
    return await profile(connection, outputPath, columns);
  } catch (error) {
    await rm(outputPath, { force: true });
    throw error;
  } finally {
    connection.closeSync();
  }
}

function invalidFile(problem: FileProblem): AppError {
  return new AppError(
    'invalid-dataset-file',
    problem.detail,
    problem.line === undefined ? {} : { line: problem.line },
  );
}

// ---- before DuckDB: empty, binary and mislabelled files; the CSV header ------------------------

/** Leading bytes of formats people upload by mistake, and what to tell them. */
const knownSignatures: { bytes: number[]; looksLike: string }[] = [
  { bytes: [0x50, 0x41, 0x52, 0x31], looksLike: 'a Parquet file; upload it with the format parquet' },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    looksLike: 'a ZIP archive or an Excel workbook; export the sheet as CSV',
  },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], looksLike: 'an Excel 97-2003 workbook; export the sheet as CSV' },
  { bytes: [0x1f, 0x8b], looksLike: 'a gzip-compressed file; upload it uncompressed' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], looksLike: 'a PDF document' },
];

function signatureOf(start: Uint8Array): string | null {
  const match = knownSignatures.find((s) => s.bytes.every((byte, i) => start[i] === byte));
  return match ? match.looksLike : null;
}

/**
 * Reads the first bytes of the file: an empty file, binary bytes in a text format and (for CSV/TSV)
 * a missing, duplicate or empty column name are refused here, before DuckDB runs. Returns the
 * header's names for CSV/TSV.
 */
async function inspectStart(input: InputFile): Promise<string[] | null> {
  const { size } = await stat(input.path);
  if (size === 0) throw invalidFile({ detail: 'The file is empty.' });
  const start = await readStart(input.path, Math.min(size, headerByteLimit));
  if (input.format === 'parquet') return null;
  const looksLike = signatureOf(start);
  if (looksLike) {
    throw invalidFile({
      detail: `The file is not ${formatNames[input.format]} text: it looks like ${looksLike}.`,
    });
  }
  // Excel's "Unicode text" export is UTF-16 with a byte-order mark; DuckDB reads UTF-8.
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    throw invalidFile({ detail: 'The file is UTF-16 text; save it with UTF-8 encoding.', line: 1 });
  }
  if (start.subarray(0, 64 * 1024).includes(0)) {
    throw invalidFile({
      detail: `The file is not ${formatNames[input.format]} text: it contains binary data (NUL bytes).`,
    });
  }
  if (input.format === 'jsonl') return null;
  const names = splitHeader(start, input.format === 'tsv' ? 0x09 : 0x2c, size <= headerByteLimit);
  if (!names)
    throw invalidFile({ detail: 'The first line is longer than 1 MiB, so it is not a header.', line: 1 });
  checkHeader(names);
  return names;
}

async function readStart(filePath: string, length: number): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits the first record of CSV bytes into its field names (RFC 4180 quoting, `"` doubled inside
 * quotes). Works on bytes: the delimiter, quote and line ends are ASCII, which UTF-8 never uses
 * inside a multi-byte character. Returns null if the record does not end within `bytes` and the
 * file goes on.
 */
function splitHeader(bytes: Uint8Array, delimiter: number, isWholeFile: boolean): string[] | null {
  const quote = 0x22;
  let position = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const fields: number[][] = [[]];
  let isQuoted = false;
  for (; position < bytes.length; position++) {
    const byte = bytes[position]!;
    const field = fields[fields.length - 1]!;
    if (isQuoted) {
      if (byte !== quote) field.push(byte);
      else if (bytes[position + 1] === quote) field.push(bytes[++position]!);
      else isQuoted = false;
    } else if (byte === quote && field.length === 0) isQuoted = true;
    else if (byte === delimiter) fields.push([]);
    else if (byte === 0x0a) break;
    else field.push(byte);
  }
  if (position === bytes.length && !isWholeFile) return null;
  const last = fields[fields.length - 1]!;
  if (last[last.length - 1] === 0x0d) last.pop();
  try {
    return fields.map((field) => utf8.decode(new Uint8Array(field)));
  } catch {
    throw invalidFile({
      detail: 'Line 1 (the header) is not valid UTF-8 text; save the file with UTF-8 encoding.',
      line: 1,
    });
  }
}

function checkHeader(names: string[]): void {
  if (names.every((name) => name.trim() === '')) {
    throw invalidFile({
      detail: 'The first line is empty; it must be a header naming the columns.',
      line: 1,
    });
  }
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name.trim() === '') {
      throw invalidFile({
        detail: `Column ${i + 1} of the header (line 1) has no name; every column needs one.`,
        line: 1,
      });
    }
    const key = name.trim().toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw invalidFile({
        detail: `The header (line 1) names columns ${earlier + 1} and ${i + 1} both "${name.trim()}"; column names must be unique, ignoring case.`,
        line: 1,
      });
    }
    seen.set(key, i);
  });
}

/**
 * DuckDB renames duplicate names (`x`, `X_1`) and reading them back would hide the clash, so the
 * Parquet schema's own top-level names are checked. The schema is a depth-first list in which each
 * group says how many children follow.
 */
async function checkParquetNames(connection: DuckDBConnection, filePath: string): Promise<void> {
  let rows: Record<string, unknown>[];
  try {
    const reader = await connection.runAndReadAll(
      `SELECT name, num_children::INTEGER AS children FROM parquet_schema(${quoteLiteral(filePath)})`,
    );
    rows = reader.getRowObjects();
  } catch (error) {
    throw explainFailure(error, { path: filePath, format: 'parquet' }) ?? error;
  }
  const names: string[] = [];
  // pending[i]: how many more children the group at depth i expects.
  const pending: number[] = [];
  rows.forEach((row, i) => {
    if (i > 0) {
      if (pending.length === 1) names.push(String(row.name ?? ''));
      pending[pending.length - 1]! -= 1;
    }
    const children = Number(row.children ?? 0);
    if (children > 0) pending.push(children);
    while (pending.length > 0 && pending[pending.length - 1] === 0) pending.pop();
  });
  const seen = new Map<string, string>();
  for (const name of names) {
    if (name.trim() === '') throw invalidFile({ detail: 'The Parquet file has a column without a name.' });
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      throw invalidFile({
        detail: `The Parquet file has columns named "${earlier}" and "${name}"; column names must be unique, ignoring case.`,
      });
    }
    seen.set(name.toLowerCase(), name);
  }
}

// ---- conversion ---------------------------------------------------------------------------------

function csvOptions(format: 'csv' | 'tsv'): string {
  // Strict: a row with too many or too few fields is an error, never skipped or padded. The
  // sniffer may otherwise decide silently that the header is a later line (skipping the rows above
  // a ragged one) or that lines starting with # are comments, dropping data rows either way.
  return [
    'header = true',
    'skip = 0',
    "comment = ''",
    `delim = ${quoteLiteral(format === 'tsv' ? '\t' : ',')}`,
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    'null_padding = false',
    'ignore_errors = false',
  ].join(', ');
}

function readerSql(input: InputFile, options: { isFullSample?: boolean } = {}): string {
  const file = quoteLiteral(input.path);
  switch (input.format) {
    case 'csv':
    case 'tsv':
      return `read_csv(${file}, ${csvOptions(input.format)}${options.isFullSample ? ', sample_size = -1' : ''})`;
    case 'jsonl':
      // sample_size = -1: the schema comes from every record. With the default sample, a key first
      // seen after record 20,480 is silently dropped.
      return `read_json(${file}, format = 'newline_delimited', records = 'true', sample_size = -1)`;
    case 'parquet':
      return `read_parquet(${file})`;
  }
}

async function convert(
  connection: DuckDBConnection,
  input: InputFile,
  outputPath: string,
  header: string[] | null,
): Promise<void> {
  const copy = (options: { isFullSample?: boolean } = {}) =>
    connection.run(
      `COPY (SELECT * FROM ${readerSql(input, options)}) TO ${quoteLiteral(outputPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  try {
    await copy();
    return;
  } catch (error) {
    // DuckDB guesses CSV types from the first rows; a later value that does not fit ("n/a" in a
    // number column) is not the file's fault. Guess again from every row, once.
    const isTypeGuessWrong =
      (input.format === 'csv' || input.format === 'tsv') &&
      errorMessage(error).startsWith('Conversion Error');
    if (!isTypeGuessWrong) throw await explainReadFailure(connection, input, error, header);
  }
  try {
    await copy({ isFullSample: true });
  } catch (error) {
    throw await explainReadFailure(connection, input, error, header);
  }
}

// ---- explaining DuckDB's errors -----------------------------------------------------------------

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns a failed read into an `invalid-dataset-file` error, or returns the original error when the
 * failure is not the file's fault (out of memory, a full disk): those stay internal errors.
 *
 * What DuckDB 1.5 says, and what is done with it:
 * - CSV: `CSV Error on Line: N` (the header is line 1) followed by `Expected Number of Columns: 3
 *   Found: 2`, `Value with unterminated quote found` or `Invalid unicode`. But when the bad row is
 *   among the rows the dialect sniffer reads (the first 20,480), the error is only `Error when
 *   sniffing file ... It was not possible to automatically detect the CSV parsing dialect`, without a
 *   line; the file is then read once more with sniffing off and the header's column count given,
 *   which fails with the line.
 * - JSON Lines: `Malformed JSON in file "...", at byte B in line N`, where N is where the parser
 *   noticed, often the line after the broken one; `JSON transform error ... in line N` (right);
 *   `expected records, but got non-record JSON` (no line). The file is scanned line by line to find
 *   the first line that is not a JSON object.
 * - Parquet: `No magic bytes found at end of file`, `too small to be a Parquet file`,
 *   `TProtocolException: Invalid data`, `Snappy decompression failure`.
 */
async function explainReadFailure(
  connection: DuckDBConnection,
  input: InputFile,
  error: unknown,
  header: string[] | null,
): Promise<unknown> {
  const message = errorMessage(error);
  if (input.format === 'jsonl' && isFileFault(message)) {
    const found = await findBadJsonLine(input.path);
    if (found) return invalidFile(found);
  }
  if (
    (input.format === 'csv' || input.format === 'tsv') &&
    header &&
    /Error when sniffing file/.test(message)
  ) {
    const located = await locateCsvFault(connection, input, header.length);
    if (located) return explainFailure(located, input) ?? error;
  }
  return explainFailure(error, input) ?? error;
}

/** Reads the CSV again without type and dialect sniffing, every column text, to find the bad line. */
async function locateCsvFault(
  connection: DuckDBConnection,
  input: InputFile,
  columnCount: number,
): Promise<unknown> {
  const columns = Array.from({ length: columnCount }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const format = input.format === 'tsv' ? 'tsv' : 'csv';
  try {
    await connection.run(
      `SELECT count(*) FROM read_csv(${quoteLiteral(input.path)}, ${csvOptions(format)}, auto_detect = false, columns = {${columns}})`,
    );
    return null;
  } catch (error) {
    return error;
  }
}

function isFileFault(message: string): boolean {
  return (
    /^(Invalid Input Error|Invalid Error|Conversion Error):/.test(message) ||
    /expected records, but got non-record JSON/.test(message)
  );
}

function explainFailure(error: unknown, input: InputFile): AppError | null {
  const message = errorMessage(error);
  if (!isFileFault(message)) return null;
  const format = formatNames[input.format];
  const csvLine = /CSV Error on Line: (\d+)/.exec(message);
  if (csvLine) {
    const line = Number(csvLine[1]);
    const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
    if (fields) {
      const expected = Number(fields[1]);
      const found = Number(fields[2]);
      // When a row is too long DuckDB stops counting at the first extra field.
      return invalidFile({
        detail:
          found > expected
            ? `Line ${line} has more fields than the ${expected} of the header.`
            : `Line ${line} has ${found} ${found === 1 ? 'field' : 'fields'}; the header has ${expected}.`,
        line,
      });
    }
    if (/unterminated quote/i.test(message)) {
      return invalidFile({ detail: `Line ${line} has a quoted value that is never closed.`, line });
    }
    if (/Invalid unicode|not utf-8/i.test(message)) {
      return invalidFile({
        detail: `Line ${line} is not valid UTF-8 text; save the file with UTF-8 encoding.`,
        line,
      });
    }
    const conversion = /converting column "(.*?)"\. Could not convert string "(.*?)" to '(.*?)'/s.exec(
      message,
    );
    if (conversion) {
      return invalidFile({
        detail: `Line ${line}: the value "${clip(conversion[2]!, 60)}" in column "${conversion[1]}" is not a valid ${conversion[3]}.`,
        line,
      });
    }
    return invalidFile({
      detail: `Line ${line} cannot be read as ${format}: ${plainReason(message, input)}`,
      line,
    });
  }
  if (/Error when sniffing file/.test(message)) {
    return invalidFile({ detail: `The file cannot be read as ${format}: its rows do not share one layout.` });
  }
  const transform = /JSON transform error.*? in line (\d+): (.*)/.exec(message);
  if (transform) {
    const line = Number(transform[1]);
    const duplicate = /has duplicate key "(.*)"/.exec(transform[2]!);
    if (duplicate)
      return invalidFile({ detail: `Line ${line} has the key "${duplicate[1]}" more than once.`, line });
    return invalidFile({
      detail: `Line ${line} does not fit the columns of the file: ${clip(transform[2]!, 200)}`,
      line,
    });
  }
  if (/expected records, but got non-record JSON/.test(message)) {
    return invalidFile({ detail: 'Every line of a JSON Lines file must be a JSON object.' });
  }
  if (/No magic bytes found|too small to be a Parquet file/.test(message)) {
    return invalidFile({
      detail: 'The file is not a Parquet file: Parquet files begin and end with the marker PAR1.',
    });
  }
  if (input.format === 'parquet') {
    return invalidFile({
      detail: `The Parquet file is damaged or cannot be read: ${plainReason(message, input)}`,
    });
  }
  return invalidFile({ detail: `The file cannot be read as ${format}: ${plainReason(message, input)}` });
}

/**
 * The first sentence of DuckDB's message, without its error class, the SQL it echoes, its advice on
 * reader options (which the client cannot set) or any path of this server.
 */
function plainReason(message: string, input: InputFile): string {
  const withoutSql = message.split('\nLINE 1:')[0]!;
  const lines = withoutSql
    .replace(/^[A-Za-z ]*Error: /, '')
    .replace(/CSV Error on Line: \d+\s*/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(Original Line|Possible|\*|file =)/.test(line));
  const first = lines[0] ?? 'the reader gave no reason';
  return clip(scrubPaths(first, input.path), 200);
}

/** Removes the input's path and anything that looks like an absolute path from text for a client. */
function scrubPaths(text: string, ...paths: string[]): string {
  let result = text;
  for (const p of paths) if (p) result = result.split(p).join('the file');
  return result
    .replace(/\b[A-Za-z]:\\[^\s'"]*/g, 'the file')
    .replace(/(^|[\s'"(=])\/[^\s'"]+/g, '$1the file')
    .replace(/(in|at) file "the file"/g, 'in the file')
    .replace(/["']the file["']/g, 'the file')
    .replace(/\bfile the file\b/g, 'the file');
}

function clip(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length > length ? `${chars.slice(0, length).join('')}…` : text;
}

// ---- JSON Lines scan ----------------------------------------------------------------------------

/**
 * Reads a JSON Lines file line by line and returns the first line that is not one JSON object with
 * non-empty keys unique ignoring case, or, if every line is fine but none holds a record, that.
 * Runs only after DuckDB has failed (or renamed a key), so good files never pay for it.
 */
async function findBadJsonLine(filePath: string): Promise<FileProblem | null> {
  let lineNumber = 0;
  let records = 0;
  for await (const line of readLines(filePath)) {
    lineNumber++;
    if (line === 'too-long') return { detail: `Line ${lineNumber} is longer than 64 MiB.`, line: lineNumber };
    let text: string;
    try {
      text = utf8.decode(
        lineNumber === 1 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf
          ? line.subarray(3)
          : line,
      );
    } catch {
      return {
        detail: `Line ${lineNumber} is not valid UTF-8 text; save the file with UTF-8 encoding.`,
        line: lineNumber,
      };
    }
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { detail: `Line ${lineNumber} is not valid JSON: ${errorMessage(error)}.`, line: lineNumber };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return {
        detail: `Line ${lineNumber} is ${kind}, not a JSON object; every line must be one object.`,
        line: lineNumber,
      };
    }
    const keyProblem = checkKeys(Object.keys(value));
    if (keyProblem) return { detail: `Line ${lineNumber} ${keyProblem}`, line: lineNumber };
    records++;
  }
  return records === 0 ? { detail: 'The file holds no JSON records.' } : null;
}

function checkKeys(keys: string[]): string | null {
  const seen = new Map<string, string>();
  for (const key of keys) {
    if (key.trim() === '') return 'has a key that is empty; every column needs a name.';
    const earlier = seen.get(key.toLowerCase());
    if (earlier !== undefined) {
      return `has the keys "${earlier}" and "${key}"; column names must be unique, ignoring case.`;
    }
    seen.set(key.toLowerCase(), key);
  }
  return null;
}

/** Yields the file's lines as bytes, without the line end (so each can be checked as UTF-8). */
async function* readLines(filePath: string): AsyncGenerator<Uint8Array | 'too-long'> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const line = Buffer.concat([...pending, chunk.subarray(start, end)]);
      pending = [];
      pendingBytes = 0;
      yield line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
      start = end + 1;
    }
    pending.push(chunk.subarray(start));
    pendingBytes += chunk.length - start;
    if (pendingBytes > scanLineByteLimit) {
      yield 'too-long';
      return;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/**
 * DuckDB names an empty key `C0` and the second of two keys equal ignoring case `a_1`. When the
 * written columns show such a name, the file is scanned for the line that caused it; a name that
 * was in the file all along passes.
 */
async function checkJsonNames(filePath: string, columns: { name: string }[]): Promise<void> {
  const lowered = columns.map((c) => c.name.toLowerCase());
  const isSuspect = columns.some((c, i) => {
    if (/^C\d+$/.test(c.name)) return true;
    const base = /^(.*)_\d+$/.exec(lowered[i]!)?.[1];
    return base !== undefined && lowered.slice(0, i).includes(base);
  });
  if (!isSuspect) return;
  const found = await findBadJsonLine(filePath);
  if (found) throw invalidFile(found);
}

// ---- profile ------------------------------------------------------------------------------------

async function describeParquet(
  connection: DuckDBConnection,
  parquetPath: string,
): Promise<{ name: string; type: string }[]> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(parquetPath)}))`,
  );
  return reader
    .getRowObjects()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

const numericType =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
/** Nested values have no useful order for a minimum or maximum. */
const nestedType = /^(STRUCT|MAP|UNION)\b|\]$/;

async function profile(
  connection: DuckDBConnection,
  parquetPath: string,
  columns: { name: string; type: string }[],
): Promise<IngestedFile> {
  const file = `read_parquet(${quoteLiteral(parquetPath)})`;
  // One pass over the file for every column's statistics.
  const aggregates = columns.flatMap((column, i) => {
    const c = quoteIdentifier(column.name);
    const isOrdered = !nestedType.test(column.type);
    return [
      `(count(*) - count(${c}))::DOUBLE AS n${i}`,
      `approx_count_distinct(${c})::DOUBLE AS d${i}`,
      isOrdered ? `min(${c})::VARCHAR AS lo${i}` : `NULL AS lo${i}`,
      isOrdered ? `max(${c})::VARCHAR AS hi${i}` : `NULL AS hi${i}`,
      numericType.test(column.type) ? `avg(${c})::DOUBLE AS m${i}` : `NULL AS m${i}`,
    ];
  });
  const reader = await connection.runAndReadAll(
    `SELECT ${['count(*)::DOUBLE AS row_count', ...aggregates].join(', ')} FROM ${file}`,
  );
  const row = reader.getRowObjects()[0] ?? {};
  const result: IngestedFile = { rowCount: numberOf(row.row_count) ?? 0, columns: [], samples: {} };
  for (const [i, column] of columns.entries()) {
    result.columns.push({
      name: column.name,
      type: column.type,
      statistics: {
        nullCount: numberOf(row[`n${i}`]) ?? 0,
        // HyperLogLog can overshoot on small columns; never more distinct values than non-null ones.
        distinctApprox: Math.min(
          numberOf(row[`d${i}`]) ?? 0,
          (numberOf(row.row_count) ?? 0) - (numberOf(row[`n${i}`]) ?? 0),
        ),
        min: textOf(row[`lo${i}`]),
        max: textOf(row[`hi${i}`]),
        mean: numberOf(row[`m${i}`]),
      },
    });
    const c = quoteIdentifier(column.name);
    const samples = await connection.runAndReadAll(
      `SELECT DISTINCT left(${c}::VARCHAR, ${sampleValueChars}) AS v FROM (SELECT ${c} FROM ${file} WHERE ${c} IS NOT NULL LIMIT ${sampleScanRows}) LIMIT ${sampleLimit}`,
    );
    result.samples[column.name] = samples.getRowObjects().map((r) => String(r.v));
  }
  return result;
}

function numberOf(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : value;
  // Infinity and NaN (an average over infinite values) have no place in JSON.
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? clip(value, statisticChars) : null;
}
