/**
 * A query result as CSV (RFC 4180): a header row, CRLF between records, and a field quoted when
 * it holds a comma, a double quote, CR or LF, with its quotes doubled.
 */

/** One field as RFC 4180 writes it. Null and undefined are empty; objects are written as JSON. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && !(value instanceof Date)
        ? JSON.stringify(value)
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns, ...rows]
    .map((row) => row.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}
