/** Escapes LIKE/ILIKE wildcards so a search for `50%` finds "50%" and not everything after "50". */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
