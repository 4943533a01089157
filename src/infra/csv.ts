/**
 * One CSV field as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180): quoted when it holds
 * a comma, a quote, CR or LF, with quotes doubled inside; null is the empty field, and objects (lists,
 * structs from DuckDB) are written as JSON.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
