import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { isNumericType } from '../access/terms.js';
import { asciiLower, parseSelect, type SyntaxNode } from './guard.js';

/**
 * Aggregate-only by construction. A query on an aggregate-only view is checked against one shape
 * and the platform writes the SQL that runs, from fresh syntax nodes (only names of the view's
 * columns, validated literals and the platform's own operators), turned into text by DuckDB
 * (json_deserialize_sql); nothing of the caller's text is pasted:
 *
 *   SELECT <dimension>, …, <aggregate>, …
 *   FROM <the view> [WHERE <condition>]
 *   [GROUP BY <dimension>, …]
 *   HAVING count(DISTINCT "__subject") >= k          -- added by the platform
 *   [ORDER BY <output>, …] [LIMIT n]
 *
 * - A dimension is a plain column of the view.
 * - Aggregates: count(*), count(c), count(DISTINCT c), and over numeric columns only sum, avg,
 *   min, max, median, quantile (a constant fraction), stddev and variance. No FILTER, DISTINCT
 *   (but in count), ORDER BY inside, nothing around or inside them: a single-value aggregate of
 *   text (min(name)) hands out one row's value, arithmetic between aggregates differences two
 *   groups, and casts or arithmetic can fail on one row's value (an error oracle).
 * - Conditions: a plain column compared with a literal (=, <>, <, >, <=, >=, IS [NOT] DISTINCT
 *   FROM), IN lists, BETWEEN, IS [NOT] NULL, joined by AND, OR, NOT. No function calls and no casts
 *   of columns: literals are checked against the column's type before the query runs, and numbers
 *   are compared as DOUBLE, so no comparison can fail on a row's value.
 * - One view, no joins, subqueries, CTEs, set operations, windows, HAVING, QUALIFY, SAMPLE, star
 *   expressions or DISTINCT.
 * - The view's hidden column `__subject` (the dataset's subject, or a row number where it has
 *   none) is the platform's alone: k counts distinct subjects, never rows, and names starting
 *   with `__` are refused.
 *
 * Thresholds do not stop differencing: two allowed queries whose groups differ by one subject
 * reveal that subject's contribution (docs/governed-queries.md).
 */

export const subjectColumnName = '__subject';

export interface AggregateGrant {
  /** The view's name as the caller writes it. */
  name: string;
  /** The view's columns as DuckDB describes them; those starting with `__` are hidden. */
  columns: { name: string; type: string }[];
  /** Groups with fewer distinct subjects are left out; null or 1 or less leaves none out. */
  minGroupSize: number | null;
}

function refused(detail: string): AppError {
  return new AppError('query-refused', `this dataset is aggregate-only: ${detail}`);
}

const shapeHint = 'SELECT <columns>, <aggregates> FROM <dataset> [WHERE …] GROUP BY <columns>';

const countAggregates = new Set(['count', 'count_star']);
const numericAggregates = new Set([
  'sum',
  'avg',
  'mean',
  'min',
  'max',
  'median',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'variance',
  'var_samp',
  'var_pop',
]);
const quantileAggregates = new Set(['quantile', 'quantile_cont', 'quantile_disc']);
const allowedList =
  'count(*), count(c), count(DISTINCT c), and over numeric columns sum, avg, min, max, median, ' +
  'quantile(c, fraction), stddev, variance';

const comparisons = new Set([
  'COMPARE_EQUAL',
  'COMPARE_NOTEQUAL',
  'COMPARE_LESSTHAN',
  'COMPARE_GREATERTHAN',
  'COMPARE_LESSTHANOREQUALTO',
  'COMPARE_GREATERTHANOREQUALTO',
  'COMPARE_DISTINCT_FROM',
  'COMPARE_NOT_DISTINCT_FROM',
]);
const numericLiteralTypes = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'FLOAT',
  'DOUBLE',
  'DECIMAL',
]);
const textType = /^(VARCHAR|TEXT|STRING)$/i;
/** Floating-point columns: a variance of their values can overflow DOUBLE and raise. */
const floatingType = /^(FLOAT|FLOAT4|REAL|DOUBLE|FLOAT8)$/i;
/** Spread aggregates: DuckDB raises "out of range" when their result is not finite. */
const spreadAggregates = new Set(['stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop']);
/**
 * The magnitude floating-point values are clamped to before a spread aggregate: squares of values
 * within ±1e100 summed over any number of rows a file can hold stay far below DOUBLE's 1.8e308, so
 * the aggregate cannot raise on one row's value (infinite, NaN or huge).
 */
export const spreadClamp = 1e100;
/** Sums and means of these are taken in DOUBLE: their exact sum can overflow and raise. */
const wideNumeric = /^(HUGEINT|UHUGEINT|DECIMAL\((19|[2-3]\d),\s*\d+\))$/;
const orderTypes = new Set(['ORDER_DEFAULT', 'ASCENDING', 'DESCENDING']);
const nullOrders = new Set(['ORDER_DEFAULT', 'NULLS FIRST', 'NULLS LAST', 'NULLS_FIRST', 'NULLS_LAST']);

function isObject(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

function columnRef(name: string, alias = ''): SyntaxNode {
  return { class: 'COLUMN_REF', type: 'COLUMN_REF', alias, query_location: 0, column_names: [name] };
}

function constant(value: SyntaxNode): SyntaxNode {
  return { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', query_location: 0, value };
}

function integerConstant(value: number): SyntaxNode {
  return constant({ type: { id: 'BIGINT', type_info: null }, is_null: false, value });
}

function castNode(child: SyntaxNode, castType: unknown): SyntaxNode {
  return {
    class: 'CAST',
    type: 'OPERATOR_CAST',
    alias: '',
    query_location: 0,
    child,
    cast_type: structuredClone(castType),
    try_cast: false,
  };
}

function aggregateNode(name: string, children: SyntaxNode[], distinct: boolean, alias: string): SyntaxNode {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias,
    query_location: 0,
    function_name: name,
    schema: '',
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct,
    is_operator: false,
    export_state: false,
    catalog: '',
  };
}

function scalarNode(name: string, children: SyntaxNode[]): SyntaxNode {
  return { ...aggregateNode(name, children, false, ''), order_bys: { type: 'ORDER_MODIFIER', orders: [] } };
}

function doubleConstant(value: number): SyntaxNode {
  return constant({ type: { id: 'DOUBLE', type_info: null }, is_null: false, value });
}

/**
 * A checked number as a constant node. A whole number goes as BIGINT: JSON writes the DOUBLE 1.0
 * as `1`, which DuckDB's deserialiser reads as an integer and refuses for a DOUBLE (a 500).
 */
function numberConstant(value: number): SyntaxNode {
  return Number.isSafeInteger(value) ? integerConstant(value) : doubleConstant(value);
}

/**
 * least(greatest(c, -bound), bound), NULL kept NULL (greatest and least skip NULLs): infinite and
 * NaN values become ±bound, so no arithmetic over the result can overflow.
 */
function clampedNode(child: SyntaxNode, bound: number): SyntaxNode {
  return {
    class: 'CASE',
    type: 'CASE_EXPR',
    alias: '',
    query_location: 0,
    case_checks: [
      {
        when_expr: {
          class: 'OPERATOR',
          type: 'OPERATOR_IS_NULL',
          alias: '',
          query_location: 0,
          children: [structuredClone(child)],
        },
        then_expr: constant({ type: { id: 'NULL', type_info: null }, is_null: true }),
      },
    ],
    else_expr: scalarNode('least', [
      scalarNode('greatest', [child, doubleConstant(-bound)]),
      doubleConstant(bound),
    ]),
  };
}

/** The value of an integer or decimal constant as a JS number, or null when it is not one. */
function numberOf(node: SyntaxNode): number | null {
  if (node.class !== 'CONSTANT' || !isObject(node.value)) return null;
  const value = node.value as { type?: { id?: string; type_info?: { scale?: number } }; value?: unknown };
  const id = value.type?.id ?? '';
  if (!numericLiteralTypes.has(id) || typeof value.value !== 'number') return null;
  return id === 'DECIMAL' ? value.value / 10 ** (value.type?.type_info?.scale ?? 0) : value.value;
}

interface Column {
  name: string;
  type: string;
}

interface Output {
  node: SyntaxNode;
  /** A dimension's column name, or null for an aggregate. */
  dimension: string | null;
  /** What the caller wrote, without positions and aliases, to match ORDER BY items. */
  shape: string;
  alias: string;
}

function shapeOf(node: unknown): string {
  return JSON.stringify(node, (key, value) =>
    key === 'query_location' || key === 'alias'
      ? undefined
      : typeof value === 'string'
        ? asciiLower(value)
        : value,
  );
}

/**
 * Checks a statement on an aggregate-only view and returns the SQL the platform runs for it.
 * Refusals are `query-refused` (the shape) or `query-invalid` (an unknown column, a literal that is
 * not of its column's type), each naming what to change.
 */
export async function compileAggregateOnly(
  connection: DuckDBConnection,
  statement: SyntaxNode,
  grant: AggregateGrant,
): Promise<string> {
  const visible = new Map(
    grant.columns
      .filter((column) => !column.name.startsWith('__'))
      .map((column) => [asciiLower(column.name), column]),
  );
  const tableName = asciiLower(grant.name);

  if (statement.type !== 'SELECT_NODE') throw refused(`one ${shapeHint}; no UNION, INTERSECT or EXCEPT`);
  const ctes = statement.cte_map as { map?: unknown[] } | undefined;
  if (ctes?.map && ctes.map.length > 0) throw refused(`no WITH clauses; write ${shapeHint}`);
  const from = statement.from_table;
  if (!isObject(from) || from.type !== 'BASE_TABLE') {
    throw refused(`read ${grant.name} alone: no joins, subqueries or other tables (${shapeHint})`);
  }
  if (asciiLower(String(from.table_name)) !== tableName || from.schema_name || from.catalog_name) {
    throw refused(`read ${grant.name} alone (${shapeHint})`);
  }
  if (from.sample || from.at_clause || !isEmpty(from.column_name_alias)) {
    throw refused('no SAMPLE, AT or column aliases on the table');
  }
  if (statement.having) throw refused('no HAVING: the platform sets the minimum group size');
  if (statement.qualify || statement.sample) throw refused('no QUALIFY or SAMPLE');
  if (Array.isArray(statement.group_sets) && statement.group_sets.length > 1) {
    throw refused('no GROUPING SETS, CUBE or ROLLUP');
  }
  const qualifiers = new Set([tableName, ...(from.alias ? [asciiLower(String(from.alias))] : [])]);

  /** The view's column a COLUMN_REF names (a table qualifier is allowed, nothing deeper). */
  const columnOf = (node: SyntaxNode): Column => {
    const parts = (node.column_names as string[]) ?? [];
    if (parts.length === 2 && !qualifiers.has(asciiLower(parts[0]!))) {
      throw refused(`${parts.join('.')} is not a column of ${grant.name}`);
    }
    if (parts.length < 1 || parts.length > 2) throw refused(`${parts.join('.')} is not a plain column`);
    const name = parts[parts.length - 1]!;
    if (name.startsWith('__')) {
      throw refused(`names starting with __ (such as ${subjectColumnName}) are the platform's own`);
    }
    const column = visible.get(asciiLower(name));
    if (!column) {
      throw new AppError(
        'query-invalid',
        `${grant.name} has no column ${name}; its columns are ${[...visible.values()].map((c) => c.name).join(', ')}`,
      );
    }
    return column;
  };
  const numericColumn = (node: SyntaxNode | undefined, aggregate: string): Column => {
    if (node?.class !== 'COLUMN_REF') throw refused(`${aggregate}() takes one plain column`);
    const column = columnOf(node);
    if (!isNumericType(column.type)) {
      throw refused(
        `${aggregate}() is allowed on numeric columns only; ${column.name} is ${column.type} ` +
          '(a single value of text would be one row’s value)',
      );
    }
    return column;
  };

  /** A fresh aggregate node for what the caller wrote, or a refusal. */
  const aggregateOf = (node: SyntaxNode, alias: string): SyntaxNode => {
    const name = asciiLower(String(node.function_name ?? ''));
    if (node.schema || node.catalog) throw refused(`function ${node.schema}.${name} is not allowed`);
    if (node.filter) throw refused('aggregates take no FILTER clause');
    const orders = node.order_bys as { orders?: unknown[] } | undefined;
    if (!isEmpty(orders?.orders)) throw refused('aggregates take no ORDER BY');
    if (node.export_state === true || node.is_operator === true) {
      throw refused(`only aggregates of columns may be output: ${allowedList}`);
    }
    const children = Array.isArray(node.children) ? (node.children as SyntaxNode[]) : [];
    const distinct = node.distinct === true;
    if (name === 'count_star' && children.length === 0 && !distinct) {
      return aggregateNode('count_star', [], false, alias);
    }
    if (countAggregates.has(name)) {
      const [argument] = children;
      if (children.length !== 1 || argument?.class !== 'COLUMN_REF') {
        throw refused('count() takes * or one plain column');
      }
      return aggregateNode('count', [columnRef(columnOf(argument).name)], distinct, alias);
    }
    if (distinct) throw refused(`only count may use DISTINCT, not ${name}()`);
    if (numericAggregates.has(name)) {
      if (children.length !== 1) throw refused(`${name}() takes one plain column`);
      const column = numericColumn(children[0], name);
      let argument = columnRef(column.name);
      if ((name === 'sum' || name === 'avg' || name === 'mean') && wideNumeric.test(column.type)) {
        argument = castNode(argument, { id: 'DOUBLE', type_info: null });
        alias ||= `${name}(${column.name})`;
      }
      if (spreadAggregates.has(name) && floatingType.test(column.type)) {
        // A variance over an infinite or huge value raises "out of range": an error that would
        // say whether some row, in any group, even one under k, holds such a value.
        argument = clampedNode(argument, spreadClamp);
        alias ||= `${name}(${column.name})`;
      }
      return aggregateNode(name, [argument], false, alias);
    }
    if (quantileAggregates.has(name)) {
      const [argument, fraction] = children;
      const column = numericColumn(argument, name);
      const value = fraction ? numberOf(fraction) : null;
      if (children.length !== 2 || value === null || !(value >= 0 && value <= 1)) {
        throw refused(
          `${name}() takes a column and one fraction between 0 and 1: ${name}(${column.name}, 0.5)`,
        );
      }
      return aggregateNode(name, [columnRef(column.name), numberConstant(value)], false, alias);
    }
    throw refused(`${name}() is not allowed; use ${allowedList}`);
  };

  // Outputs.
  const list = Array.isArray(statement.select_list) ? (statement.select_list as SyntaxNode[]) : [];
  const outputs: Output[] = [];
  for (const expression of list) {
    const alias = String(expression.alias ?? '');
    if (alias.startsWith('__')) throw refused('names starting with __ are the platform’s own');
    if (expression.class === 'COLUMN_REF') {
      const column = columnOf(expression);
      outputs.push({
        node: columnRef(column.name, alias),
        dimension: asciiLower(column.name),
        shape: shapeOf(expression),
        alias,
      });
    } else if (expression.class === 'FUNCTION' || expression.class === 'AGGREGATE') {
      outputs.push({
        node: aggregateOf(expression, alias),
        dimension: null,
        shape: shapeOf(expression),
        alias,
      });
    } else if (expression.class === 'STAR') {
      throw refused('no * or COLUMNS(…): name each column and aggregate');
    } else {
      throw refused(`output only columns and aggregates, unmodified: ${allowedList}`);
    }
  }

  // GROUP BY: columns, output positions, or ALL (every output column).
  const handling = statement.aggregate_handling;
  if (handling !== 'STANDARD_HANDLING' && handling !== 'FORCE_AGGREGATES') throw refused(shapeHint);
  const groups: string[] = [];
  const addGroup = (name: string) => {
    if (!groups.includes(name)) groups.push(name);
  };
  if (handling === 'FORCE_AGGREGATES') {
    for (const output of outputs) if (output.dimension) addGroup(output.dimension);
  }
  for (const group of (statement.group_expressions as SyntaxNode[] | undefined) ?? []) {
    if (group.class === 'COLUMN_REF') {
      addGroup(asciiLower(columnOf(group).name));
      continue;
    }
    const position = numberOf(group);
    const output = position !== null && Number.isInteger(position) ? outputs[position - 1] : undefined;
    if (!output?.dimension)
      throw refused('GROUP BY names columns of the dataset (or their output positions)');
    addGroup(output.dimension);
  }
  for (const output of outputs) {
    if (output.dimension && !groups.includes(output.dimension)) {
      throw refused(`${output.dimension} is output but not grouped: add it to GROUP BY`);
    }
  }
  if (groups.length === 0 && !outputs.some((output) => output.dimension === null)) {
    throw refused(`summarise it with aggregates and GROUP BY: ${shapeHint}`);
  }

  // WHERE.
  const literalChecks: { value: string; type: string; column: string }[] = [];
  const castTypes = new Map<string, unknown>();
  const literalFor = async (node: unknown, column: Column): Promise<SyntaxNode> => {
    if (!isObject(node)) throw refused('conditions compare a column with a literal');
    if (node.class === 'CONSTANT' && isObject(node.value) && node.value.is_null === true) {
      return constant({ type: { id: 'NULL', type_info: null }, is_null: true });
    }
    if (isNumericType(column.type)) {
      const value = numberOf(node);
      if (value === null) throw refused(`compare ${column.name} (${column.type}) with a number`);
      // Compared as DOUBLE: converting a literal or a column to DOUBLE cannot fail.
      return castNode(numberConstant(value), { id: 'DOUBLE', type_info: null });
    }
    // Text, or a typed literal written as text (DATE '2024-01-01', TRUE).
    const text = node.class === 'CAST' && node.try_cast === false && isObject(node.child) ? node.child : node;
    const value = isObject(text.value) ? (text.value as { type?: { id?: string }; value?: unknown }) : null;
    if (text.class !== 'CONSTANT' || value?.type?.id !== 'VARCHAR' || typeof value.value !== 'string') {
      throw refused(`compare ${column.name} (${column.type}) with a quoted literal`);
    }
    const literal = constant({
      type: { id: 'VARCHAR', type_info: null },
      is_null: false,
      value: value.value,
    });
    if (textType.test(column.type)) {
      if (text !== node)
        throw refused(`compare ${column.name} (${column.type}) with a quoted string, not a cast`);
      return literal;
    }
    literalChecks.push({ value: value.value, type: column.type, column: column.name });
    if (!castTypes.has(column.type)) {
      // The column's type as DuckDB spells it, from the view's description (the platform's own text).
      const [template] = await parseSelect(connection, `SELECT CAST(NULL AS ${column.type})`);
      castTypes.set(column.type, ((template!.select_list as SyntaxNode[])[0] as SyntaxNode).cast_type);
    }
    return castNode(literal, castTypes.get(column.type));
  };
  const conditionOf = async (node: unknown): Promise<SyntaxNode> => {
    if (!isObject(node)) throw refused('conditions compare columns with literals');
    const base = { class: node.class, type: node.type, alias: '', query_location: 0 };
    if (node.class === 'CONJUNCTION' && (node.type === 'CONJUNCTION_AND' || node.type === 'CONJUNCTION_OR')) {
      const children: SyntaxNode[] = [];
      for (const child of node.children as unknown[]) children.push(await conditionOf(child));
      return { ...base, children };
    }
    if (node.class === 'OPERATOR' && node.type === 'OPERATOR_NOT') {
      const [child] = node.children as unknown[];
      return { ...base, children: [await conditionOf(child)] };
    }
    if (
      node.class === 'OPERATOR' &&
      (node.type === 'OPERATOR_IS_NULL' || node.type === 'OPERATOR_IS_NOT_NULL')
    ) {
      const [child] = node.children as SyntaxNode[];
      if (child?.class !== 'COLUMN_REF') throw refused('IS NULL tests a plain column');
      return { ...base, children: [columnRef(columnOf(child).name)] };
    }
    if (node.class === 'OPERATOR' && (node.type === 'COMPARE_IN' || node.type === 'COMPARE_NOT_IN')) {
      const [first, ...values] = node.children as SyntaxNode[];
      if (first?.class !== 'COLUMN_REF') throw refused('IN tests a plain column against literals');
      const column = columnOf(first);
      const literals: SyntaxNode[] = [];
      for (const value of values) literals.push(await literalFor(value, column));
      return { ...base, children: [columnRef(column.name), ...literals] };
    }
    if (node.class === 'BETWEEN' && node.type === 'COMPARE_BETWEEN') {
      const input = node.input as SyntaxNode;
      if (input?.class !== 'COLUMN_REF') throw refused('BETWEEN tests a plain column');
      const column = columnOf(input);
      return {
        ...base,
        input: columnRef(column.name),
        lower: await literalFor(node.lower, column),
        upper: await literalFor(node.upper, column),
      };
    }
    if (node.class === 'COMPARISON' && comparisons.has(String(node.type))) {
      const left = node.left as SyntaxNode;
      const right = node.right as SyntaxNode;
      if (left?.class === 'COLUMN_REF' && right?.class !== 'COLUMN_REF') {
        const column = columnOf(left);
        return { ...base, left: columnRef(column.name), right: await literalFor(right, column) };
      }
      if (right?.class === 'COLUMN_REF' && left?.class !== 'COLUMN_REF') {
        const column = columnOf(right);
        return { ...base, left: await literalFor(left, column), right: columnRef(column.name) };
      }
    }
    throw refused(
      'WHERE may only compare plain columns with literals (=, <>, <, >, IN, BETWEEN, IS NULL, AND, OR, NOT); ' +
        'no functions, casts or expressions',
    );
  };
  const where = statement.where_clause ? await conditionOf(statement.where_clause) : null;
  if (literalChecks.length > 0) {
    // Every literal converts to its column's type now, so no conversion can fail while rows are read.
    for (const check of literalChecks) {
      const reader = await connection.runAndReadAll(
        `SELECT TRY_CAST($1::VARCHAR AS ${check.type}) IS NOT NULL AS ok`,
        [check.value],
      );
      if (reader.getRowObjectsJson()[0]?.ok !== true) {
        throw new AppError(
          'query-invalid',
          `'${check.value}' is not a ${check.type} (column ${check.column})`,
        );
      }
    }
  }

  // ORDER BY outputs, LIMIT n.
  const modifiers: SyntaxNode[] = [];
  for (const modifier of (statement.modifiers as SyntaxNode[] | undefined) ?? []) {
    if (modifier.type === 'ORDER_MODIFIER') {
      const orders: SyntaxNode[] = [];
      for (const order of (modifier.orders as SyntaxNode[]) ?? []) {
        const expression = order.expression as SyntaxNode;
        if (!orderTypes.has(String(order.type)) || !nullOrders.has(String(order.null_order))) {
          throw refused('ORDER BY takes ASC or DESC and NULLS FIRST or LAST');
        }
        let position = numberOf(expression);
        if (position === null) {
          const shape = shapeOf(expression);
          const name =
            expression.class === 'COLUMN_REF' && (expression.column_names as string[]).length === 1
              ? asciiLower((expression.column_names as string[])[0]!)
              : null;
          const index = outputs.findIndex(
            (output) =>
              output.shape === shape ||
              (name !== null &&
                (asciiLower(output.alias) === name || (!output.alias && output.dimension === name))),
          );
          position = index + 1;
        }
        if (!Number.isInteger(position) || position < 1 || position > outputs.length) {
          throw refused('ORDER BY names output columns (by name, alias or position)');
        }
        orders.push({
          type: order.type,
          null_order: order.null_order,
          expression: integerConstant(position),
        });
      }
      modifiers.push({ type: 'ORDER_MODIFIER', orders });
    } else if (modifier.type === 'LIMIT_MODIFIER') {
      const limit = isObject(modifier.limit) ? numberOf(modifier.limit) : null;
      if (limit === null || !Number.isInteger(limit) || limit < 0 || modifier.offset) {
        throw refused('LIMIT takes one whole number and no OFFSET');
      }
      modifiers.push({ type: 'LIMIT_MODIFIER', limit: integerConstant(limit), offset: null });
    } else {
      throw refused('no DISTINCT or LIMIT … PERCENT');
    }
  }

  const k = Math.floor(grant.minGroupSize ?? 0);
  let having: SyntaxNode | null = null;
  if (k > 1) {
    const [template] = await parseSelect(
      connection,
      `SELECT 1 HAVING count(DISTINCT "${subjectColumnName}") >= ${k}`,
    );
    having = template!.having as SyntaxNode;
  }
  const tree: SyntaxNode = {
    type: 'SELECT_NODE',
    modifiers,
    cte_map: { map: [] },
    select_list: outputs.map((output) => output.node),
    from_table: {
      type: 'BASE_TABLE',
      alias: '',
      sample: null,
      query_location: 0,
      schema_name: '',
      table_name: grant.name,
      column_name_alias: [],
      catalog_name: '',
      at_clause: null,
    },
    where_clause: where,
    group_expressions: groups.map((name) => columnRef(visible.get(name)!.name)),
    group_sets: groups.length > 0 ? [groups.map((_, i) => i)] : [],
    aggregate_handling: 'STANDARD_HANDLING',
    having,
    sample: null,
    qualify: null,
  };
  const reader = await connection.runAndReadAll('SELECT json_deserialize_sql($1::JSON) AS sql', [
    JSON.stringify({ error: false, statements: [{ node: tree, named_param_map: [] }] }),
  ]);
  return String(reader.getRowObjectsJson()[0]?.sql);
}
