import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { quoteIdentifier } from '../query/engine.js';
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

export interface PlannedColumn {
  name: string;
  kind: 'dimension' | AggregateKind;
  /** For measure aggregates: the clamping bounds. */
  bounds?: MeasureBounds;
}

export interface CleanRoomPlan {
  tables: string[];
  columns: PlannedColumn[];
  /** The platform's rewrite: per group, the subject count and the raw aggregates, contributions bounded. */
  sql: string;
}

function refused(detail: string): AppError {
  return new AppError('query-refused', `clean room: ${detail}`);
}

function columnName(node: SyntaxNode): string {
  const parts = node.column_names as string[];
  return String(parts[parts.length - 1]).toLowerCase();
}

function isEmptyList(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/** Every COLUMN_REF under a node. */
function columnsUnder(node: unknown): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      const object = value as SyntaxNode;
      if (object.class === 'COLUMN_REF') found.push(object);
      if (object.class === 'SUBQUERY' || object.class === 'WINDOW') throw refused('no subqueries or windows');
      for (const child of Object.values(object)) if (child && typeof child === 'object') stack.push(child);
    }
  }
  return found;
}

/** The FROM clause: lab tables, joined on the subject key only. Returns the table names. */
function tablesOf(from: SyntaxNode, tables: Map<string, LabTable>): string[] {
  if (from.type === 'BASE_TABLE') {
    const name = String(from.table_name).toLowerCase();
    if (!tables.has(name)) throw refused(`unknown lab dataset "${from.table_name}"`);
    return [name];
  }
  if (from.type === 'JOIN') {
    const using = (from.using_columns as string[] | undefined)?.map((c) => c.toLowerCase()) ?? [];
    if (using.length !== 1 || using[0] !== subjectKey) {
      throw refused(`datasets are joined on their pseudonyms only: JOIN … USING (${subjectKey})`);
    }
    if (!['INNER', 'LEFT'].includes(String(from.join_type))) throw refused('only inner and left joins');
    return [...tablesOf(from.left as SyntaxNode, tables), ...tablesOf(from.right as SyntaxNode, tables)];
  }
  throw refused('FROM may name lab datasets and joins of them, nothing else');
}

/**
 * Checks a researcher's statement and plans the rewrite. `functions` is the engine's catalogue
 * (only for the generic checks on WHERE); `tables` are the lab's datasets.
 */
export function planCleanRoomQuery(
  statement: SyntaxNode,
  tables: Map<string, LabTable>,
  functions: FunctionCatalog,
): { plan: Omit<CleanRoomPlan, 'sql'>; base: SyntaxNode; keys: SyntaxNode[]; arguments: SyntaxNode[] } {
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
  const tableNames = tablesOf(statement.from_table as SyntaxNode, tables);
  const used = tableNames.map((name) => tables.get(name)!);
  const isDimension = (name: string) => used.some((table) => table.dimensions.includes(name));
  const measureOf = (name: string) => used.find((table) => table.measures[name])?.measures[name];

  for (const column of columnsUnder(statement.where_clause)) {
    if (!isDimension(columnName(column))) {
      throw refused(`WHERE may only test dimensions; ${columnName(column)} is not one`);
    }
  }
  const groups = (statement.group_expressions as SyntaxNode[]) ?? [];
  const selectList = statement.select_list as SyntaxNode[];
  const keys: SyntaxNode[] = [];
  for (const group of groups) {
    let key = group;
    if (group.class === 'CONSTANT') {
      const position = Number((group.value as { value?: unknown }).value);
      key = selectList[position - 1] as SyntaxNode;
      if (!key) throw refused(`GROUP BY ${position} names no output column`);
    }
    if (key.class !== 'COLUMN_REF' || !isDimension(columnName(key))) {
      throw refused('GROUP BY may only name dimension columns');
    }
    keys.push(key);
  }
  const keyNames = keys.map(columnName);
  const columns: PlannedColumn[] = [];
  const args: SyntaxNode[] = [];
  for (const expression of selectList) {
    const alias = String(expression.alias ?? '');
    if (expression.class === 'COLUMN_REF') {
      const name = columnName(expression);
      if (!keyNames.includes(name))
        throw refused(`${name} is not a GROUP BY key; output only keys and aggregates`);
      columns.push({ name: alias || name, kind: 'dimension' });
      args.push(expression);
      continue;
    }
    if (expression.class !== 'FUNCTION')
      throw refused('output only GROUP BY keys and aggregates, unmodified');
    if (expression.filter || !isEmptyList((expression.order_bys as { orders?: unknown[] })?.orders)) {
      throw refused('aggregates take no FILTER or ORDER BY');
    }
    const name = String(expression.function_name).toLowerCase();
    const children = (expression.children as SyntaxNode[]) ?? [];
    if (name === 'count_star') {
      columns.push({ name: alias || 'count', kind: 'count' });
      args.push(expression);
      continue;
    }
    const [argument] = children;
    if (children.length !== 1 || argument?.class !== 'COLUMN_REF') {
      throw refused(`${name}() takes one column`);
    }
    const column = columnName(argument);
    if (name === 'count' && expression.distinct === true && column === subjectKey) {
      columns.push({ name: alias || 'subjects', kind: 'count-subjects' });
      args.push(argument);
      continue;
    }
    if (expression.distinct === true) throw refused(`only count(DISTINCT ${subjectKey}) may use DISTINCT`);
    const bounds = measureOf(column);
    if (!bounds) throw refused(`${column} is not a measure of this lab`);
    if (name === 'sum' || name === 'avg' || name === 'mean') {
      columns.push({ name: alias || `${name}_${column}`, kind: name === 'sum' ? 'sum' : 'avg', bounds });
    } else if (
      (name === 'min' || name === 'max') &&
      used.every((table) => !table.measures[column] || table.allowMinMax)
    ) {
      columns.push({ name: alias || `${name}_${column}`, kind: name, bounds });
    } else {
      throw refused(
        `${name}() is not allowed here; use count, sum or avg${used.some((t) => t.allowMinMax) ? ', min, max' : ''}`,
      );
    }
    args.push(argument);
  }
  if (!columns.some((column) => column.kind !== 'dimension')) throw refused('ask for at least one aggregate');
  const output = new Set(selectList.filter((e) => e.class === 'COLUMN_REF').map(columnName));
  const hidden = keyNames.find((name) => !output.has(name));
  if (hidden) throw refused(`GROUP BY ${hidden} must also be an output column`);
  return { plan: { tables: tableNames, columns }, base: statement, keys, arguments: args };
}

/**
 * The platform's own query for a plan: the researcher's FROM and WHERE (turned back into SQL by
 * DuckDB from the checked tree), each subject's rows cut to `maxRowsPerSubject` at random (so
 * one subject can move a count by at most that much), values clamped into their bounds, and per
 * group the number of distinct subjects beside the raw aggregates. Noise comes after, in Node.
 */
export async function compileCleanRoomQuery(
  connection: DuckDBConnection,
  planned: ReturnType<typeof planCleanRoomQuery>,
  maxRowsPerSubject: number,
): Promise<CleanRoomPlan> {
  const { plan, base, arguments: args } = planned;
  const selectList: SyntaxNode[] = args.map((node, i) => ({ ...node, alias: `__c${i}` }));
  const column = (name: string, alias: string): SyntaxNode => ({
    class: 'COLUMN_REF',
    type: 'COLUMN_REF',
    alias,
    query_location: 0,
    column_names: [name],
  });
  selectList.push(column(subjectKey, '__subject'));
  // One table: its precomputed rank bounds contributions. A join multiplies rows per subject, so
  // the bound is applied after it, per query.
  const single = plan.tables.length === 1;
  if (single) selectList.push(column(subjectRow, '__row'));
  const rowsNode: SyntaxNode = {
    ...structuredClone(base),
    select_list: selectList.filter((node) => node.class !== 'FUNCTION'),
    group_expressions: [],
    group_sets: [],
    aggregate_handling: 'STANDARD_HANDLING',
    modifiers: [],
  };
  const reader = await connection.runAndReadAll('SELECT json_deserialize_sql($1::JSON) AS sql', [
    JSON.stringify({ error: false, statements: [{ node: rowsNode, named_param_map: [] }] }),
  ]);
  const rowsSql = String(reader.getRowObjectsJson()[0]?.sql);
  const outputs: string[] = [];
  const groupKeys: string[] = [];
  plan.columns.forEach((column, i) => {
    const c = quoteIdentifier(`__c${i}`);
    const clamp = column.bounds ? `least(greatest(${c}, ${column.bounds.lower}), ${column.bounds.upper})` : c;
    switch (column.kind) {
      case 'dimension':
        groupKeys.push(c);
        outputs.push(c);
        break;
      case 'count':
        outputs.push(`count(*) AS ${c}`);
        break;
      case 'count-subjects':
        outputs.push(`count(DISTINCT "__subject") AS ${c}`);
        break;
      case 'sum':
        outputs.push(`sum(${clamp}) AS ${c}`);
        break;
      case 'avg':
        // avg = noisy sum / noisy count, both released from these two.
        outputs.push(`sum(${clamp}) AS ${c}`, `count(${c}) AS ${quoteIdentifier(`__n${i}`)}`);
        break;
      case 'min':
        outputs.push(`min(${clamp}) AS ${c}`);
        break;
      case 'max':
        outputs.push(`max(${clamp}) AS ${c}`);
        break;
    }
  });
  // count(*) columns were not in the row list (they read no column): their __cN are computed above.
  const sql = `WITH "__rows" AS (${rowsSql}),
"__bounded" AS (SELECT * FROM "__rows" ${single ? `WHERE "__row" <= ${maxRowsPerSubject}` : `QUALIFY row_number() OVER (PARTITION BY "__subject" ORDER BY random()) <= ${maxRowsPerSubject}`})
SELECT ${[...outputs, 'count(DISTINCT "__subject") AS "__subjects"'].join(', ')}
FROM "__bounded"${groupKeys.length > 0 ? ` GROUP BY ${groupKeys.join(', ')}` : ''}`;
  return { ...plan, sql };
}
