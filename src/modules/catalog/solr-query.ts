import lucene, { type BinaryNode, type Node, type RangeNode, type TermNode } from 'lucene';

/**
 * The Solr query forms CKAN clients send in `q` and `fq`, read the way CKAN's Solr reads them: the
 * Lucene classic syntax (`field:value`, `"a phrase"`, trailing or inner `*` and `?`, `[a TO b]`
 * ranges, `AND`/`OR`/`NOT`, `+`/`-`, parentheses), with CKAN's schema default operator `AND`. Terms
 * joined by `AND`, by nothing, or marked `+` are required, terms joined by `OR` optional (at least
 * one must hold when nothing is required), terms marked `-` or `NOT` excluded: the rules of
 * Lucene's classic QueryParser (`QueryParserBase.addClause`), so a harvester's
 * `organization:a OR organization:b` finds either publisher's packages. Regular expressions are
 * refused: one request must not be able to spend the server's time on backtracking.
 */
export type SolrQuery =
  | { kind: 'all' }
  | { kind: 'term'; field: string | null; value: string; quoted: boolean }
  | {
      kind: 'range';
      field: string;
      min: string | null;
      max: string | null;
      minIncluded: boolean;
      maxIncluded: boolean;
    }
  | { kind: 'bool'; clauses: { occur: Occur; query: SolrQuery }[] };

type Occur = 'must' | 'should' | 'mustNot';
type Conjunction = 'and' | 'or' | 'none';

export class SolrSyntaxError extends Error {
  override name = 'SolrSyntaxError';
}

const isBinary = (node: Node): node is BinaryNode => 'left' in node;
const isRange = (node: Node): node is RangeNode => 'term_min' in node;

/** Parses a query; an empty one matches everything. */
export function parseSolrQuery(input: string): SolrQuery {
  if (!input.trim()) return { kind: 'all' };
  let tree: BinaryNode;
  try {
    tree = lucene.parse(input);
  } catch (error) {
    const at = (error as { location?: { start: { column: number } } }).location?.start.column;
    throw new SolrSyntaxError(
      `cannot read the query${at ? ` at character ${at}` : ''}: ${(error as Error).message}`,
    );
  }
  return booleanOf(tree, null);
}

interface Item {
  conjunction: Conjunction;
  not: boolean;
  required: boolean;
  query: SolrQuery;
}

/** A chain `a OP b OP c…` (the parser nests it to the right) as one Boolean query. */
function booleanOf(node: BinaryNode, defaultField: string | null): SolrQuery {
  const items: Item[] = [];
  let current: BinaryNode | null = node;
  let conjunction: Conjunction = 'none';
  let not = node.start === 'NOT';
  while (current) {
    items.push({ conjunction, ...operandOf(current.left, defaultField, not) });
    const operator = current.operator?.toUpperCase();
    if (!operator || current.right === undefined) break;
    conjunction =
      operator === 'AND' || operator === '&&' || operator === 'AND NOT'
        ? 'and'
        : operator === 'OR' || operator === '||' || operator === 'OR NOT'
          ? 'or'
          : 'none';
    not = operator.endsWith('NOT');
    const right: Node = current.right;
    if (isBinary(right) && !right.parenthesized) {
      current = right;
      if (right.start === 'NOT') not = true;
    } else {
      items.push({ conjunction, ...operandOf(right, defaultField, not) });
      current = null;
    }
  }
  const clauses: { occur: Occur; query: SolrQuery }[] = [];
  for (const item of items) {
    const previous = clauses.at(-1);
    // An AND makes the clause before it required, an OR optional, unless it is excluded.
    if (previous && previous.occur !== 'mustNot') {
      if (item.conjunction === 'and') previous.occur = 'must';
      if (item.conjunction === 'or') previous.occur = 'should';
    }
    const occur: Occur = item.not
      ? 'mustNot'
      : item.required || item.conjunction !== 'or'
        ? 'must'
        : 'should';
    clauses.push({ occur, query: item.query });
  }
  return clauses.length === 1 && clauses[0]!.occur === 'must' ? clauses[0]!.query : { kind: 'bool', clauses };
}

function operandOf(
  node: Node,
  defaultField: string | null,
  notBefore: boolean,
): { not: boolean; required: boolean; query: SolrQuery } {
  if (isBinary(node)) {
    const field = node.field && node.field !== '<implicit>' ? node.field : defaultField;
    return {
      not: notBefore || node.prefix === '-' || node.prefix === '!',
      required: node.prefix === '+',
      query: booleanOf(node, field),
    };
  }
  let field = node.field === '<implicit>' ? defaultField : node.field;
  let not = notBefore;
  let required = false;
  if (field?.startsWith('-') || field?.startsWith('!')) {
    not = true;
    field = field.slice(1);
  } else if (field?.startsWith('+')) {
    required = true;
    field = field.slice(1);
  }
  if (isRange(node)) {
    if (!field) throw new SolrSyntaxError('a range needs a field: field:[from TO to]');
    const open = (value: string) => (value === '*' ? null : value);
    return {
      not,
      required,
      query: {
        kind: 'range',
        field,
        min: open(node.term_min),
        max: open(node.term_max),
        minIncluded: node.inclusive === 'both' || node.inclusive === 'left',
        maxIncluded: node.inclusive === 'both' || node.inclusive === 'right',
      },
    };
  }
  const term = node as TermNode;
  if (term.prefix === '-' || term.prefix === '!') not = true;
  if (term.prefix === '+') required = true;
  if (term.regex) throw new SolrSyntaxError('regular expressions (/…/) are not supported; use * and ?');
  if (field === '*' && term.term === '*') return { not, required, query: { kind: 'all' } };
  return { not, required, query: { kind: 'term', field, value: term.term, quoted: term.quoted } };
}

/** Every field a query names, so the caller can refuse the ones it cannot search. */
export function fieldsOf(query: SolrQuery): string[] {
  switch (query.kind) {
    case 'all':
      return [];
    case 'term':
      return query.field ? [query.field] : [];
    case 'range':
      return [query.field];
    case 'bool':
      return query.clauses.flatMap((clause) => fieldsOf(clause.query));
  }
}

/** How a document answers for one field: its values, and whether they are text (matched word by word). */
export interface SolrDocument {
  values(field: string | null): { values: string[]; isText: boolean; isDate: boolean };
}

const wildcardPattern = (term: string) =>
  new RegExp(
    `^${term
      .split('')
      .map((char) =>
        char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'),
      )
      .join('')}$`,
    'su',
  );

/** Solr date maths in the forms clients send: an ISO date or date-time, `NOW`, `NOW-7DAYS`, `NOW/DAY`. */
function instantOf(value: string, now: Date): number {
  const maths = /^NOW((?:[+-]\d+(?:YEARS?|MONTHS?|DAYS?|HOURS?|MINUTES?|SECONDS?))*)(?:\/(DAY|HOUR))?$/i.exec(
    value,
  );
  if (maths) {
    const date = new Date(now);
    for (const [, sign, amount, unit] of (maths[1] ?? '').matchAll(/([+-])(\d+)([A-Z]+)/gi)) {
      const n = Number(amount) * (sign === '-' ? -1 : 1);
      const u = unit!.toUpperCase().replace(/S$/, '');
      if (u === 'YEAR') date.setUTCFullYear(date.getUTCFullYear() + n);
      else if (u === 'MONTH') date.setUTCMonth(date.getUTCMonth() + n);
      else
        date.setTime(
          date.getTime() + n * { DAY: 86_400_000, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 }[u as 'DAY'],
        );
    }
    if (maths[2]?.toUpperCase() === 'DAY') date.setUTCHours(0, 0, 0, 0);
    if (maths[2]?.toUpperCase() === 'HOUR') date.setUTCMinutes(0, 0, 0);
    return date.getTime();
  }
  // CKAN stores naive UTC times; a value without a zone is UTC too.
  const iso = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(value)
    ? `${value}${value.includes('T') ? 'Z' : 'T00:00:00Z'}`
    : value;
  const time = Date.parse(iso);
  if (Number.isNaN(time))
    throw new SolrSyntaxError(`"${value}" is not a date (use 2024-01-31T00:00:00Z or NOW-7DAYS)`);
  return time;
}

/** Whether a document matches, evaluated as Solr would (a purely negative query excludes from all). */
export function matchesSolr(query: SolrQuery, document: SolrDocument, now = new Date()): boolean {
  switch (query.kind) {
    case 'all':
      return true;
    case 'term': {
      const { values, isText } = document.values(query.field);
      const value = query.value.toLowerCase();
      const hasWildcard = !query.quoted && /[*?]/.test(value);
      if (hasWildcard && value === '*') return values.length > 0;
      const lowered = values.map((entry) => entry.toLowerCase());
      if (isText) {
        if (!hasWildcard) return lowered.some((text) => text.includes(value));
        const pattern = wildcardPattern(value);
        return lowered.some((text) => text.split(/[^\p{L}\p{N}_-]+/u).some((word) => pattern.test(word)));
      }
      if (hasWildcard) {
        const pattern = wildcardPattern(value);
        return lowered.some((entry) => pattern.test(entry));
      }
      return lowered.includes(value);
    }
    case 'range': {
      const { values, isDate } = document.values(query.field);
      const read = (value: string) => (isDate ? instantOf(value, now) : value.toLowerCase());
      const min = query.min === null ? null : read(query.min);
      const max = query.max === null ? null : read(query.max);
      return values.some((raw) => {
        const value = read(raw);
        if (min !== null && (value < min || (!query.minIncluded && value === min))) return false;
        if (max !== null && (value > max || (!query.maxIncluded && value === max))) return false;
        return true;
      });
    }
    case 'bool': {
      let hasMust = false;
      let anyShould = false;
      let hasShould = false;
      for (const clause of query.clauses) {
        const matched = matchesSolr(clause.query, document, now);
        if (clause.occur === 'mustNot' && matched) return false;
        if (clause.occur === 'must') {
          hasMust = true;
          if (!matched) return false;
        }
        if (clause.occur === 'should') {
          hasShould = true;
          anyShould ||= matched;
        }
      }
      return hasMust || !hasShould || anyShould;
    }
  }
}
