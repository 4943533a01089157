/**
 * Reading a consent file: CSV as RFC 4180 defines it (https://www.rfc-editor.org/rfc/rfc4180),
 * with LF or CRLF line ends, quoted fields that may hold commas, quotes ("") and line breaks, and an
 * optional UTF-8 byte-order mark. Every record keeps the physical line it starts on, so an error can
 * name the line a person sees in their editor.
 */

export interface CsvRecord {
  /** 1-based physical line the record starts on. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Parses CSV text into records; blank lines are skipped. Throws CsvSyntaxError naming the line. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (input[i] === '"') {
        const opened = line;
        i += 1;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(opened, 'a quoted field is never closed');
          const char = input[i]!;
          if (char === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (char === '\n') line += 1;
          field += char;
          i += 1;
        }
        const next = input[i];
        if (
          next !== undefined &&
          next !== ',' &&
          next !== '\n' &&
          !(next === '\r' && input[i + 1] === '\n')
        ) {
          throw new CsvSyntaxError(line, 'text after a closing quote; double a quote inside a quoted field');
        }
      } else {
        const from = i;
        while (i < n && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') i += 1;
        field = input.slice(from, i);
        if (field.includes('"')) {
          throw new CsvSyntaxError(line, 'a quote inside an unquoted field; quote the whole field');
        }
        if (input[i] === '\r' && input[i + 1] !== '\n') {
          throw new CsvSyntaxError(line, 'a carriage return that does not end a line');
        }
      }
      fields.push(field);
      if (input[i] === ',') {
        i += 1;
        continue;
      }
      // End of record: CRLF, LF or the end of the text.
      if (input[i] === '\r') i += 1;
      if (input[i] === '\n') {
        i += 1;
        line += 1;
      }
      break;
    }
    const isBlank = fields.length === 1 && fields[0]!.trim() === '';
    if (!isBlank) records.push({ line: start, fields });
  }
  return records;
}

/** Writes one CSV field, quoted only when it must be (the inverse of parseCsv, for tests and exports). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}
