import { AppError } from '../../errors.js';
import { quoteIdentifier, quoteLiteral } from '../../infra/duck-engine.js';
import type { FunctionCatalog, SyntaxNode } from '../query/guard.js';
import { checkQuery } from '../query/guard.js';
import type { MeasureBounds } from './schema.js';

/**
 * The clean room's query shape, checked on DuckDB's own syntax tree and then rewritten by the
 * platform, so no researcher SQL runs as written:
 *
 *   SELECT <dimension>, …, <aggregate>, …
 *   FROM <lab dataset> [JOIN <lab dataset> USING (subject_key)] …
 *   [WHERE <condition on dimensions>]
 *   GROUP BY <dimension>, …
 *
 * Aggregates: count(*), count(DISTINCT subject_key), sum(m), avg(m) over measures m, and min(m),
 * max(m) where the owner allows them. No row-level output is expressible: every output column is a
 * dimension or an aggregate, there is no HAVING, LIMIT, window, subquery, CTE or set operation.
 *
 * Every node of the tree is checked against what this shape allows and anything else is refused
 * (deny by default): a WHERE condition is AND, OR and NOT over comparisons of a dimension column
 * with literals (=, <>, <, >, <=, >=, IS [NOT] DISTINCT FROM, [NOT] IN, [NOT] BETWEEN, IS [NOT]
 * NULL), with no function call, COLUMNS(…), star or lambda anywhere. The platform then writes the
 * whole SQL itself from what it checked, literals cast (TRY_CAST) to the column's type so that no
 * comparison can raise an error that depends on the data.
 */

export const subjectKey = 'subject_key';
/** Each row's rank among its subject's rows (random order), fixed when the dataset was attached. */
export const subjectRow = 'subject_row';

export interface LabTable {
  name: string;
  dimensions: string[];
  measures: Record<string, MeasureBounds>;
  allowMinMax: boolean;
}

export type AggregateKind = 'count' | 'count-subjects' | 'sum' | 'avg' | 'min' | 'max';

/** A column reference, resolved: the lab table it reads and its ASCII-folded name. */
export interface ColumnSource {
  /** The alias (or table name) the reference was qualified with, or null. */
  qualifier: string | null;
  table: string;
  column: string;
}

/** A literal in a condition: its text (cast to the column's type when run) or SQL NULL. */
type Literal = { text: string } | null;

/** A checked WHERE condition. */
export type Condition =
  | { op: 'and' | 'or'; children: Condition[] }
  | { op: 'not'; child: Condition }
  | { op: 'compare'; operator: string; column: ColumnSource; literal: Literal }
  | { op: 'in'; negated: boolean; column: ColumnSource; literals: Literal[] }
  | { op: 'between'; negated: boolean; column: ColumnSource; lower: Literal; upper: Literal }
  | { op: 'null'; negated: boolean; column: ColumnSource };

/** The FROM clause, checked: lab tables joined on the subject key. */
export type FromItem =
  | { kind: 'table'; table: string; alias: string | null }
  | { kind: 'join'; type: 'INNER' | 'LEFT'; left: FromItem; right: FromItem };

export interface PlannedColumn {
  name: string;
  kind: 'dimension' | AggregateKind;
  /** For measure aggregates: the clamping bounds. */
  bounds?: MeasureBounds;
  /** The column a dimension or measure aggregate reads. */
  source?: ColumnSource;
}

export interface CleanRoomPlan {
  tables: string[];
  columns: PlannedColumn[];
  from: FromItem;
  where: Condition | null;
}

export interface CompileOptions {
  /** L: rows per subject, chosen at random. */
  maxRowsPerSubject: number;
  /** G: groups per subject, chosen at random (keyed by `seed`). */
  maxGroupsPerSubject: number;
  /** Per query: orders each subject's groups at random. */
  seed: number;
  /** The DuckDB type of each table's columns (for the casts of literals in WHERE). */
  types: Map<string, Map<string, string>>;
  /**
   * The column holding each row's subject (default `subject_key`) and whether the table carries
   * the stored rank `subject_row` (default true). Grant files have neither: their subject column
   * is `__subject` and rows are ranked at random per query, as across a join.
   */
  subjectColumn?: string;
  hasStoredRank?: boolean;
}

function refused(detail: string): AppError {
  return new AppError('query-refused', `clean room: ${detail}`);
}

/** DuckDB folds identifiers in ASCII only; so does the clean room. */
export function foldIdentifier(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function isEmptyList(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/** Lab datasets one query may join. */
export const maxJoinedDatasets = 3;

/** The lab tables of a FROM clause, by the name (alias or table name) their columns are qualified with. */
type Scope = Map<string, LabTable>;

/** The FROM clause: lab tables, joined on the subject key only; every other form is refused. */
function fromOf(node: SyntaxNode, tables: Map<string, LabTable>, scope: Scope): FromItem {
  if (node.sample) throw refused('no TABLESAMPLE');
  if (node.type === 'BASE_TABLE') {
    const name = foldIdentifier(String(node.table_name));
    const table = tables.get(name);
    if (!table) throw refused(`unknown lab dataset "${node.table_name}"`);
    if (node.schema_name || node.catalog_name || node.at_clause) {
      throw refused('name lab datasets without a schema, catalogue or AT clause');
    }
    if (!isEmptyList(node.column_name_alias)) throw refused('no column aliases on a dataset');
    const alias = node.alias ? foldIdentifier(String(node.alias)) : null;
    const qualifier = alias ?? name;
    if (scope.has(qualifier)) throw refused(`"${qualifier}" names two datasets; give each its own alias`);
    // A join multiplies each subject's rows before contributions are bounded: one dataset joined to
    // itself, or a long chain, would make the run time depend on one person's data (a timing oracle).
    if ([...scope.values()].includes(table)) throw refused(`${name} may appear once in a query`);
    if (scope.size >= maxJoinedDatasets) {
      throw refused(`a query may join at most ${maxJoinedDatasets} lab datasets`);
    }
    scope.set(qualifier, table);
    return { kind: 'table', table: name, alias };
  }
  if (node.type === 'JOIN') {
    if (node.alias) throw refused('no aliases on a join');
    const using = (node.using_columns as string[] | undefined)?.map(foldIdentifier) ?? [];
    if (node.ref_type !== 'REGULAR' || node.condition || using.length !== 1 || using[0] !== subjectKey) {
      throw refused(`datasets are joined on their pseudonyms only: JOIN … USING (${subjectKey})`);
    }
    const type = String(node.join_type);
    if (type !== 'INNER' && type !== 'LEFT') throw refused('only inner and left joins');
    return {
      kind: 'join',
      type,
      left: fromOf(node.left as SyntaxNode, tables, scope),
      right: fromOf(node.right as SyntaxNode, tables, scope),
    };
  }
  throw refused('FROM may name lab datasets and joins of them, nothing else');
}

/** A COLUMN_REF resolved in the scope: the table that has it in `role`, or a refusal naming it. */
function resolve(node: SyntaxNode, scope: Scope, role: 'dimension' | 'measure' | 'subject'): ColumnSource {
  if (node.class !== 'COLUMN_REF') throw refused('expected a column');
  const parts = (node.column_names as string[]).map((part) => foldIdentifier(String(part)));
  if (parts.length > 2) throw refused(`"${parts.join('.')}": name a column or alias.column`);
  const column = parts[parts.length - 1]!;
  const qualifier = parts.length === 2 ? parts[0]! : null;
  const has = (table: LabTable) =>
    role === 'dimension'
      ? table.dimensions.some((name) => foldIdentifier(name) === column)
      : role === 'measure'
        ? Object.keys(table.measures).some((name) => foldIdentifier(name) === column)
        : column === subjectKey;
  const candidates = qualifier ? (scope.has(qualifier) ? [scope.get(qualifier)!] : []) : [...scope.values()];
  const table = candidates.find(has);
  if (!table) {
    const what = role === 'subject' ? subjectKey : `a ${role} of this lab`;
    throw refused(`${parts.join('.')} is not ${what}`);
  }
  return { qualifier, table: table.name, column };
}

function literalOf(node: SyntaxNode): Literal {
  let constant = node;
  if (node.class === 'CAST' && node.try_cast !== true) constant = node.child as SyntaxNode;
  if (constant?.class !== 'CONSTANT') throw refused('compare dimensions with literals only');
  const value = constant.value as {
    is_null?: boolean;
    value?: unknown;
    type?: { id?: string; type_info?: { scale?: unknown } | null };
  };
  if (value.is_null) return null;
  const raw = value.value;
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    throw refused('compare dimensions with literals only');
  }
  // DuckDB's tree holds a DECIMAL literal as its unscaled integer (40.5 is 405 with scale 1).
  if (value.type?.id === 'DECIMAL') return { text: decimalText(raw, value.type.type_info?.scale) };
  return { text: String(raw) };
}

/** The text of a DECIMAL literal from its unscaled integer and scale, exactly (no binary rounding). */
function decimalText(unscaled: unknown, scale: unknown): string {
  if (typeof unscaled !== 'number' || !Number.isSafeInteger(unscaled) || !Number.isInteger(scale)) {
    throw refused('compare dimensions with literals only');
  }
  const places = scale as number;
  const digits = String(Math.abs(unscaled)).padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  return `${unscaled < 0 ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

const comparisons: Record<string, { sql: string; flipped: string }> = {
  COMPARE_EQUAL: { sql: '=', flipped: '=' },
  COMPARE_NOTEQUAL: { sql: '<>', flipped: '<>' },
  COMPARE_LESSTHAN: { sql: '<', flipped: '>' },
  COMPARE_GREATERTHAN: { sql: '>', flipped: '<' },
  COMPARE_LESSTHANOREQUALTO: { sql: '<=', flipped: '>=' },
  COMPARE_GREATERTHANOREQUALTO: { sql: '>=', flipped: '<=' },
  COMPARE_DISTINCT_FROM: { sql: 'IS DISTINCT FROM', flipped: 'IS DISTINCT FROM' },
  COMPARE_NOT_DISTINCT_FROM: { sql: 'IS NOT DISTINCT FROM', flipped: 'IS NOT DISTINCT FROM' },
};

const notAllowedInWhere =
  'WHERE may only compare dimensions with literals (=, <>, <, >, IN, BETWEEN, IS NULL) joined by AND, OR and NOT';

/** A WHERE condition, checked node by node: anything not listed here is refused. */
function conditionOf(node: SyntaxNode, scope: Scope, depth = 0): Condition {
  if (depth > 100) throw refused('the condition is nested too deeply');
  if (!node || typeof node !== 'object') throw refused(notAllowedInWhere);
  switch (node.class) {
    case 'CONJUNCTION': {
      const op = node.type === 'CONJUNCTION_AND' ? 'and' : node.type === 'CONJUNCTION_OR' ? 'or' : null;
      if (!op) throw refused(notAllowedInWhere);
      return {
        op,
        children: (node.children as SyntaxNode[]).map((child) => conditionOf(child, scope, depth + 1)),
      };
    }
    case 'COMPARISON': {
      const comparison = comparisons[String(node.type)];
      if (!comparison) throw refused(notAllowedInWhere);
      const left = node.left as SyntaxNode;
      const right = node.right as SyntaxNode;
      if (left?.class === 'COLUMN_REF') {
        return {
          op: 'compare',
          operator: comparison.sql,
          column: resolve(left, scope, 'dimension'),
          literal: literalOf(right),
        };
      }
      if (right?.class === 'COLUMN_REF') {
        return {
          op: 'compare',
          operator: comparison.flipped,
          column: resolve(right, scope, 'dimension'),
          literal: literalOf(left),
        };
      }
      throw refused(notAllowedInWhere);
    }
    case 'BETWEEN': {
      const negated = node.type === 'COMPARE_NOT_BETWEEN';
      if (!negated && node.type !== 'COMPARE_BETWEEN') throw refused(notAllowedInWhere);
      return {
        op: 'between',
        negated,
        column: resolve(node.input as SyntaxNode, scope, 'dimension'),
        lower: literalOf(node.lower as SyntaxNode),
        upper: literalOf(node.upper as SyntaxNode),
      };
    }
    case 'OPERATOR': {
      const children = (node.children as SyntaxNode[]) ?? [];
      switch (node.type) {
        case 'OPERATOR_NOT':
          if (children.length !== 1) throw refused(notAllowedInWhere);
          return { op: 'not', child: conditionOf(children[0]!, scope, depth + 1) };
        case 'OPERATOR_IS_NULL':
        case 'OPERATOR_IS_NOT_NULL':
          if (children.length !== 1) throw refused(notAllowedInWhere);
          return {
            op: 'null',
            negated: node.type === 'OPERATOR_IS_NOT_NULL',
            column: resolve(children[0]!, scope, 'dimension'),
          };
        case 'COMPARE_IN':
        case 'COMPARE_NOT_IN': {
          const [column, ...literals] = children;
          if (!column || literals.length === 0) throw refused(notAllowedInWhere);
          return {
            op: 'in',
            negated: node.type === 'COMPARE_NOT_IN',
            column: resolve(column, scope, 'dimension'),
            literals: literals.map(literalOf),
          };
        }
        default:
          throw refused(notAllowedInWhere);
      }
    }
    default:
      // COLUMNS(…), *, lambdas, functions, casts, subqueries, CASE, constants: none is a condition here.
      throw refused(notAllowedInWhere);
  }
}

/**
 * Checks a researcher's statement and plans the rewrite. `functions` is the engine's catalogue
 * (for the general guard); `tables` are the lab's datasets.
 */
export function planCleanRoomQuery(
  statement: SyntaxNode,
  tables: Map<string, LabTable>,
  functions: FunctionCatalog,
): CleanRoomPlan {
  // The general guard first: files, catalog, settings and unknown tables are refused as anywhere else.
  checkQuery(
    statement,
    new Map([...tables.keys()].map((name) => [name, { aggregateOnly: false }])),
    functions,
  );
  if (statement.type !== 'SELECT_NODE') throw refused('one SELECT … GROUP BY; no UNION, INTERSECT or EXCEPT');
  const cte = statement.cte_map as { map?: unknown[] } | undefined;
  if (cte?.map && cte.map.length > 0) throw refused('no WITH clauses');
  if (!isEmptyList(statement.modifiers))
    throw refused('no ORDER BY, LIMIT or DISTINCT: results come sorted by group');
  if (statement.having || statement.qualify || statement.sample)
    throw refused('no HAVING, QUALIFY or SAMPLE');
  if (!isEmptyList(statement.group_sets) && (statement.group_sets as unknown[]).length > 1) {
    throw refused('no GROUPING SETS, CUBE or ROLLUP');
  }
  if (statement.aggregate_handling !== undefined && statement.aggregate_handling !== 'STANDARD_HANDLING') {
    throw refused('name the GROUP BY columns (no GROUP BY ALL)');
  }
  const scope: Scope = new Map();
  const from = fromOf(statement.from_table as SyntaxNode, tables, scope);
  const used = [...new Set([...scope.values()].map((table) => table.name))];
  // A dataset alias that is also a column name would let the whole row be read as a struct.
  for (const qualifier of scope.keys()) {
    const clash = [...scope.values()].some(
      (table) =>
        qualifier === subjectKey ||
        qualifier === subjectRow ||
        table.dimensions.some((name) => foldIdentifier(name) === qualifier) ||
        Object.keys(table.measures).some((name) => foldIdentifier(name) === qualifier),
    );
    if (clash) throw refused(`"${qualifier}" is a column name; choose another alias`);
  }
  const where = statement.where_clause ? conditionOf(statement.where_clause as SyntaxNode, scope) : null;

  const groups = (statement.group_expressions as SyntaxNode[]) ?? [];
  const selectList = statement.select_list as SyntaxNode[];
  const keys: ColumnSource[] = [];
  for (const group of groups) {
    let key = group;
    if (group.class === 'CONSTANT') {
      const position = Number((group.value as { value?: unknown }).value);
      key = selectList[position - 1] as SyntaxNode;
      if (!key) throw refused(`GROUP BY ${position} names no output column`);
    }
    if (key.class !== 'COLUMN_REF') throw refused('GROUP BY may only name dimension columns');
    const source = resolve(key, scope, 'dimension');
    if (keys.some((other) => sameColumn(other, source)))
      throw refused(`GROUP BY names ${source.column} twice`);
    keys.push(source);
  }
  const columns: PlannedColumn[] = [];
  const output: ColumnSource[] = [];
  for (const expression of selectList) {
    const alias = expression.alias ? String(expression.alias) : '';
    if (expression.class === 'COLUMN_REF') {
      const source = resolve(expression, scope, 'dimension');
      if (!keys.some((key) => sameColumn(key, source))) {
        throw refused(`${source.column} is not a GROUP BY key; output only keys and aggregates`);
      }
      columns.push({ name: alias || source.column, kind: 'dimension', source });
      output.push(source);
      continue;
    }
    if (expression.class !== 'FUNCTION')
      throw refused('output only GROUP BY keys and aggregates, unmodified');
    if (
      expression.filter ||
      expression.export_state === true ||
      expression.schema ||
      expression.catalog ||
      !isEmptyList((expression.order_bys as { orders?: unknown[] })?.orders)
    ) {
      throw refused('aggregates take no FILTER, ORDER BY or schema');
    }
    const name = String(expression.function_name).toLowerCase();
    const children = (expression.children as SyntaxNode[]) ?? [];
    if (name === 'count_star' && children.length === 0 && expression.distinct !== true) {
      columns.push({ name: alias || 'count', kind: 'count' });
      continue;
    }
    const [argument] = children;
    if (children.length !== 1 || argument?.class !== 'COLUMN_REF') {
      throw refused(`${name}() takes one column`);
    }
    if (name === 'count' && expression.distinct === true) {
      resolve(argument, scope, 'subject');
      columns.push({ name: alias || 'subjects', kind: 'count-subjects' });
      continue;
    }
    if (expression.distinct === true) throw refused(`only count(DISTINCT ${subjectKey}) may use DISTINCT`);
    const source = resolve(argument, scope, 'measure');
    const table = tables.get(source.table)!;
    const bounds = Object.entries(table.measures).find(
      ([measure]) => foldIdentifier(measure) === source.column,
    )![1];
    if (name === 'sum' || name === 'avg' || name === 'mean') {
      columns.push({
        name: alias || `${name}_${source.column}`,
        kind: name === 'sum' ? 'sum' : 'avg',
        bounds,
        source,
      });
    } else if ((name === 'min' || name === 'max') && table.allowMinMax) {
      columns.push({ name: alias || `${name}_${source.column}`, kind: name, bounds, source });
    } else {
      throw refused(
        `${name}() is not allowed here; use count, sum or avg${used.some((t) => tables.get(t)?.allowMinMax) ? ', min, max' : ''}`,
      );
    }
  }
  if (!columns.some((column) => column.kind !== 'dimension')) throw refused('ask for at least one aggregate');
  const hidden = keys.find((key) => !output.some((column) => sameColumn(column, key)));
  if (hidden) throw refused(`GROUP BY ${hidden.column} must also be an output column`);
  return { tables: used, columns, from, where };
}

function sameColumn(a: ColumnSource, b: ColumnSource): boolean {
  return a.table === b.table && a.column === b.column;
}

const typePattern = /^[A-Z][A-Z0-9_]*(\(\d+(, ?\d+)?\))?(\[\])?$/;

function columnSql(source: ColumnSource): string {
  const column = quoteIdentifier(source.column);
  return source.qualifier ? `${quoteIdentifier(source.qualifier)}.${column}` : column;
}

function fromSql(item: FromItem): string {
  if (item.kind === 'table') {
    return item.alias
      ? `${quoteIdentifier(item.table)} AS ${quoteIdentifier(item.alias)}`
      : quoteIdentifier(item.table);
  }
  const right = item.right.kind === 'join' ? `(${fromSql(item.right)})` : fromSql(item.right);
  return `${fromSql(item.left)} ${item.type} JOIN ${right} USING (${quoteIdentifier(subjectKey)})`;
}

function conditionSql(condition: Condition, types: CompileOptions['types']): string {
  const literal = (value: Literal, source: ColumnSource) => {
    if (value === null) return 'NULL';
    const type = types.get(source.table)?.get(source.column);
    if (!type || !typePattern.test(type)) throw refused(`${source.column} cannot be compared here`);
    return `TRY_CAST(${quoteLiteral(value.text)} AS ${type})`;
  };
  switch (condition.op) {
    case 'and':
    case 'or':
      return `(${condition.children.map((child) => conditionSql(child, types)).join(` ${condition.op.toUpperCase()} `)})`;
    case 'not':
      return `(NOT ${conditionSql(condition.child, types)})`;
    case 'compare':
      return `(${columnSql(condition.column)} ${condition.operator} ${literal(condition.literal, condition.column)})`;
    case 'in':
      return `(${columnSql(condition.column)} ${condition.negated ? 'NOT IN' : 'IN'} (${condition.literals
        .map((value) => literal(value, condition.column))
        .join(', ')}))`;
    case 'between':
      return `(${columnSql(condition.column)} ${condition.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${literal(
        condition.lower,
        condition.column,
      )} AND ${literal(condition.upper, condition.column)})`;
    case 'null':
      return `(${columnSql(condition.column)} IS ${condition.negated ? 'NOT NULL' : 'NULL'})`;
  }
}

/** The (table, column) pairs a condition compares with literals: their types are needed to compile it. */
export function comparedColumns(condition: Condition | null): ColumnSource[] {
  if (!condition) return [];
  switch (condition.op) {
    case 'and':
    case 'or':
      return condition.children.flatMap(comparedColumns);
    case 'not':
      return comparedColumns(condition.child);
    case 'null':
      return [];
    default:
      return [condition.column];
  }
}

/**
 * The platform's own query for a plan, in four steps:
 * 1. the rows: the checked FROM and WHERE, with the group keys, the measures and the subject;
 * 2. each subject's rows cut to L at random (from one dataset, the rank fixed at attach time;
 *    across a join, a random rank per query);
 * 3. one cell per (subject, group): the subject's row count, the sum, mean, min and max of its
 *    clamped values; each subject keeps at most G cells, chosen by a keyed hash of the query's
 *    random seed (so a GROUP BY on a row-level dimension counts a subject in at most G groups);
 * 4. per group: the number of subjects, and per aggregate the sum over cells (for avg the sum of
 *    the subject means centred on the middle of the bounds).
 * Output: one value per planned column (count-subjects repeats the subject count), then the
 * subject count. Noise comes after, in Node (releaseWithNoise).
 */
export function compileCleanRoomQuery(plan: CleanRoomPlan, options: CompileOptions): string {
  const L = options.maxRowsPerSubject;
  const G = options.maxGroupsPerSubject;
  if (!Number.isInteger(L) || L < 1 || !Number.isInteger(G) || G < 1 || !Number.isInteger(options.seed)) {
    throw new Error('contribution bounds must be positive integers');
  }
  const rowColumns: string[] = [];
  const keys: string[] = [];
  const cellColumns: string[] = [];
  const outputs: string[] = [];
  plan.columns.forEach((column, i) => {
    const c = quoteIdentifier(`__c${i}`);
    if (column.source) rowColumns.push(`${columnSql(column.source)} AS ${c}`);
    const bounds = column.bounds;
    const clamp = bounds ? `least(greatest(${c}, ${bounds.lower}), ${bounds.upper})` : c;
    switch (column.kind) {
      case 'dimension':
        keys.push(c);
        outputs.push(c);
        break;
      case 'count':
        outputs.push(`sum("__n") AS ${c}`);
        break;
      case 'count-subjects':
        outputs.push(`count(*) AS ${c}`);
        break;
      case 'sum':
        cellColumns.push(`sum(${clamp}) AS ${c}`);
        outputs.push(`sum(${c}) AS ${c}`);
        break;
      case 'avg': {
        const middle = (bounds!.lower + bounds!.upper) / 2;
        cellColumns.push(`avg(${clamp}) AS ${c}`);
        outputs.push(`sum(${c} - ${middle}) AS ${c}`);
        break;
      }
      case 'min':
        cellColumns.push(`min(${clamp}) AS ${c}`);
        outputs.push(`min(${c}) AS ${c}`);
        break;
      case 'max':
        cellColumns.push(`max(${clamp}) AS ${c}`);
        outputs.push(`max(${c}) AS ${c}`);
        break;
    }
  });
  const single = plan.from.kind === 'table' && options.hasStoredRank !== false;
  rowColumns.push(`${quoteIdentifier(options.subjectColumn ?? subjectKey)} AS "__subject"`);
  if (single) rowColumns.push(`${quoteIdentifier(subjectRow)} AS "__row"`);
  const where = plan.where ? ` WHERE ${conditionSql(plan.where, options.types)}` : '';
  const bounded = single
    ? `SELECT * FROM "__rows" WHERE "__row" <= ${L}`
    : `SELECT * FROM "__rows" QUALIFY row_number() OVER (PARTITION BY "__subject" ORDER BY random()) <= ${L}`;
  const cellKeys = [...keys, '"__subject"'];
  // With no group key every subject is in the one group: nothing to choose.
  const choose =
    keys.length > 0
      ? ` QUALIFY row_number() OVER (PARTITION BY "__subject" ORDER BY hash(${[...cellKeys, String(options.seed)].join(', ')})) <= ${G}`
      : '';
  return `WITH "__rows" AS (SELECT ${rowColumns.join(', ')} FROM ${fromSql(plan.from)}${where}),
"__bounded" AS (${bounded}),
"__cells" AS (SELECT ${[...cellKeys, 'count(*) AS "__n"', ...cellColumns].join(', ')} FROM "__bounded" GROUP BY ${cellKeys.join(', ')}${choose})
SELECT ${[...outputs, 'count(*) AS "__subjects"'].join(', ')}
FROM "__cells"${keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : ''}`;
}
