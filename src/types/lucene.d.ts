/**
 * Types for the `lucene` package (a PEG.js parser for Lucene's classic query syntax), which ships
 * none. Only what the platform reads: `parse` and the shapes of the tree it returns.
 */
declare module 'lucene' {
  export interface TermNode {
    /** `<implicit>` when the term names no field; `-field` / `+field` carry the modifier. */
    field: string;
    term: string;
    quoted: boolean;
    regex: boolean;
    /** `-`, `+` or `!` written before the term. */
    prefix?: string | null;
    similarity?: number | null;
    proximity?: number | null;
    boost?: number | null;
  }

  export interface RangeNode {
    field: string;
    term_min: string;
    term_max: string;
    inclusive: 'both' | 'left' | 'right' | 'none';
  }

  export interface BinaryNode {
    left: Node;
    /** `<implicit>`, `AND`, `OR`, `NOT`, `AND NOT`, `OR NOT`, `&&`, `||`. */
    operator?: string;
    right?: Node;
    /** `NOT` when the expression starts with it. */
    start?: string;
    parenthesized?: boolean;
    /** The default field of a parenthesised group (`title:(a OR b)`). */
    field?: string;
    prefix?: string | null;
  }

  export type Node = TermNode | RangeNode | BinaryNode;

  export interface SyntaxError extends Error {
    location?: { start: { offset: number; line: number; column: number } };
  }

  export function parse(query: string): BinaryNode;

  const lucene: { parse: typeof parse; toString(node: Node): string };
  export default lucene;
}
