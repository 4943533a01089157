import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';

/**
 * The gate in front of the governed engine. A consumer's SQL is parsed by DuckDB's own parser
 * (`json_serialize_sql`, which only accepts SELECT statements) into a syntax tree, and the tree is
 * checked before anything is bound or run:
 * - exactly one statement, and it is a SELECT;
 * - every table it reads is one of the caller's views (or a CTE it defines), unqualified: no
 *   schemas, catalogs, file names (`FROM '/etc/passwd'`), table functions (`read_csv`, `glob`,
 *   `query`, `duckdb_tables()`), PIVOT or other statement-like tables;
 * - every function is a known scalar or aggregate of DuckDB's `main` schema that cannot read the
 *   catalog, settings, variables or files;
 * - if a view is aggregate-only, the result is an aggregate (see checkAggregateOnly).
 * Deny by default: a node type the guard does not know is refused, not passed.
 * The engine itself is also locked (engine.ts), so the guard is one of two walls.
 */

export const maxQueryLength = 100_000;

export interface ViewRule {
  aggregateOnly: boolean;
}

export interface GuardedQuery {
  /** The statement's syntax tree as DuckDB serialised it. */
  statement: SyntaxNode;
  /** The caller's views the query reads (lower-case names). */
  views: string[];
}

export type SyntaxNode = { [key: string]: unknown };

const allowedNodeTypes = new Set([
  'SELECT_NODE',
  'SET_OPERATION_NODE',
  'RECURSIVE_CTE_NODE',
  'CTE_NODE',
  'BASE_TABLE',
  'JOIN',
  'SUBQUERY',
  'EMPTY',
  'EXPRESSION_LIST',
  'ORDER_MODIFIER',
  'LIMIT_MODIFIER',
  'LIMIT_PERCENT_MODIFIER',
  'DISTINCT_MODIFIER',
  // An ORDER BY item's direction is also serialised as `type`.
  'ORDER_DEFAULT',
  'ASCENDING',
  'DESCENDING',
]);

/**
 * Functions that read what a consumer must not see (settings, variables, the catalog and view
 * definitions, which hold mask secrets), identify the session, sleep, or touch files and other
 * engines. Matched on the lower-case name. `json_serialize_plan` binds SQL given as a string and
 * returns the plan with the views expanded (file paths, mask keys); `stats` reports the Parquet
 * file's min/max, taken over rows the row filter removes.
 */
const deniedFunction =
  /^(current_|pg_|has_.*_privilege$|inet_|duckdb_|pragma_|icu_|read_|glob$|parquet_|sniff_|getvariable$|getenv$|stats$|json_(de)?serialize_|json_execute|col_description$|obj_description$|shobj_description$|format_(pg_)?type$|map_to_pg_oid$|session_user$|user$|nextval$|currval$|setseed$|txid_|sqlite_|postgres_|mysql_|iceberg_|delta_|query$|query_table$|which_secret$|load_|install_|enable_|disable_|get_block_size$|write_log$|in_search_path$|__internal|sleep)/;

/** Aggregates an aggregate-only view may be summarised with: none of them returns the rows themselves. */
const summaryAggregates = new Set([
  'count',
  'count_star',
  'count_if',
  'sum',
  'fsum',
  'kahan_sum',
  'sum_no_overflow',
  'avg',
  'mean',
  'median',
  'min',
  'max',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'quantile',
  'quantile_cont',
  'quantile_disc',
  'approx_quantile',
  'approx_count_distinct',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
  'regr_r2',
  'regr_count',
  'kurtosis',
  'skewness',
  'entropy',
  'bool_and',
  'bool_or',
  'product',
  'geomean',
  'mad',
]);

function refused(detail: string): AppError {
  return new AppError('query-refused', detail);
}

export interface FunctionCatalog {
  /** Functions a governed query may call. */
  allowed: ReadonlySet<string>;
  /** Which of them are aggregates (for the aggregate-only rule). */
  aggregates: ReadonlySet<string>;
}

/** The functions DuckDB knows in its `main` schema (scalar, aggregate, macro), minus the denied ones. */
export async function loadFunctionCatalog(connection: DuckDBConnection): Promise<FunctionCatalog> {
  const reader = await connection.runAndReadAll(
    `SELECT DISTINCT lower(function_name) AS name, function_type AS kind FROM duckdb_functions()
     WHERE schema_name = 'main' AND function_type IN ('scalar', 'aggregate', 'macro')`,
  );
  const allowed = new Set<string>();
  const aggregates = new Set<string>();
  for (const row of reader.getRowObjectsJson()) {
    const name = String(row.name);
    if (row.kind === 'aggregate') aggregates.add(name);
    if (!deniedFunction.test(name)) allowed.add(name);
  }
  return { allowed, aggregates };
}

/** Parses with DuckDB's parser; turns its errors into problems a person can act on. */
export async function parseSelect(connection: DuckDBConnection, sql: string): Promise<SyntaxNode[]> {
  if (sql.length > maxQueryLength) throw refused(`the query is longer than ${maxQueryLength} characters`);
  if (sql.includes('\u0000')) throw refused('the query contains a NUL character');
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [sql]);
  const parsed = JSON.parse(String(reader.getRowObjectsJson()[0]?.tree)) as {
    error: boolean;
    error_type?: string;
    error_message?: string;
    statements?: { node: SyntaxNode }[];
  };
  if (parsed.error) {
    if (parsed.error_type === 'not implemented') {
      throw refused('only a single SELECT statement may run (no COPY, ATTACH, PRAGMA, SET, INSTALL, LOAD…)');
    }
    throw new AppError(
      'query-invalid',
      `the query does not parse: ${parsed.error_message ?? 'syntax error'}`,
    );
  }
  const statements = (parsed.statements ?? []).map((statement) => statement.node);
  if (statements.length !== 1) {
    throw refused(`exactly one SELECT statement may run; found ${statements.length}`);
  }
  return statements;
}

function isObject(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every object in the tree with the CTE names in scope where it stands, depth first, without
 * recursion (a deeply nested query cannot overflow the stack). Scope as DuckDB binds it: the
 * query of a WITH sees all its CTEs, a CTE's body only those before it, and a recursive CTE's
 * recursive branch also itself. Outside its scope a CTE's name is a catalog or file lookup, so one
 * list of names for the whole tree would let `(WITH duckdb_views AS (SELECT 1) SELECT 1)` in a
 * subquery unlock `FROM duckdb_views` (view definitions, mask keys) or `FROM 'x.parquet'` next to it.
 */
function* nodesInScope(root: unknown): Generator<[SyntaxNode, ReadonlySet<string>]> {
  const stack: [unknown, ReadonlySet<string>][] = [[root, new Set()]];
  while (stack.length > 0) {
    const [value, scope] = stack.pop()!;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, scope]);
      continue;
    }
    if (!isObject(value)) continue;
    yield [value, scope];
    const inner = new Set(scope);
    const map = value.cte_map;
    if (isObject(map) && Array.isArray(map.map)) {
      for (const entry of map.map) {
        if (!isObject(entry)) continue;
        stack.push([entry.value, new Set(inner)]);
        inner.add(String(entry.key).toLowerCase());
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'cte_map' || typeof child !== 'object' || !child) continue;
      const isRecursion = value.type === 'RECURSIVE_CTE_NODE' && key === 'right';
      stack.push([child, isRecursion ? new Set([...inner, String(value.cte_name).toLowerCase()]) : inner]);
    }
  }
}

/**
 * Checks the tree against the caller's views and the function allow-list; returns the views read.
 */
export function checkQuery(
  statement: SyntaxNode,
  views: ReadonlyMap<string, ViewRule>,
  functions: FunctionCatalog,
): GuardedQuery {
  const used = new Set<string>();
  for (const [node, ctes] of nodesInScope(statement)) {
    const kind = node.type;
    if (typeof node.class === 'string') {
      checkExpression(node, functions.allowed);
      continue;
    }
    if (typeof kind !== 'string') continue;
    // Type details of literals and casts (DECIMAL(10,2), STRUCT, LIST…) are data, not tables.
    if (kind.endsWith('_TYPE_INFO')) continue;
    if (!allowedNodeTypes.has(kind)) {
      if (kind === 'TABLE_FUNCTION') {
        const name = isObject(node.function) ? String(node.function.function_name) : 'a table function';
        throw refused(`table functions such as ${name}() are not allowed; query your datasets by name`);
      }
      throw refused(`${kind.toLowerCase().replaceAll('_', ' ')} is not allowed in governed queries`);
    }
    if (kind === 'BASE_TABLE') {
      const name = String(node.table_name);
      if (node.schema_name || node.catalog_name) {
        throw refused(`qualified table names are not allowed: use ${name} alone`);
      }
      const key = name.toLowerCase();
      if (views.has(key)) used.add(key);
      else if (!ctes.has(key)) {
        const known = [...views.keys()].sort().join(', ') || 'none';
        throw refused(`unknown dataset "${name}"; you may query: ${known}`);
      }
    }
  }
  const rules = [...used].map((name) => views.get(name)!);
  if (rules.some((rule) => rule.aggregateOnly)) checkAggregateOnly(statement, functions.aggregates);
  return { statement, views: [...used] };
}

function checkExpression(node: SyntaxNode, functions: ReadonlySet<string>): void {
  switch (node.class) {
    case 'FUNCTION':
    case 'AGGREGATE':
    case 'WINDOW': {
      const name = String(node.function_name ?? '').toLowerCase();
      const schema = String(node.schema ?? '');
      if ((schema && schema !== 'main') || node.catalog) {
        throw refused(`function ${schema}.${name} is not allowed`);
      }
      // Operators (+, =, ~~) arrive as functions with is_operator set; they are DuckDB's own.
      if (node.is_operator === true) return;
      if (node.class === 'WINDOW') {
        if (!functions.has(name) && !windowOnly.has(name))
          throw refused(`function ${name}() is not available`);
        return;
      }
      if (!functions.has(name)) throw refused(`function ${name}() is not available in governed queries`);
      return;
    }
    case 'PARAMETER':
      throw refused('query parameters are not supported; write values into the query');
    default:
      return;
  }
}

const windowOnly = new Set([
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  'rank_dense',
]);

/** An expression without the position fields, so `a` in SELECT and `a` in GROUP BY compare equal. */
function shapeOf(node: unknown): string {
  return JSON.stringify(node, (key, value) =>
    key === 'query_location' || key === 'alias' ? undefined : value,
  );
}

/**
 * Aggregate-only: the rows that leave are summaries. The outermost SELECT (each branch of a set
 * operation) must aggregate, and each of its output expressions must be a GROUP BY key or built
 * only from summary aggregates (count, sum, avg, quantiles…; not list(), string_agg(), first() or
 * window functions, which hand back row values). Inner queries may be row-level: only the outer
 * result leaves the engine.
 */
function checkAggregateOnly(statement: SyntaxNode, aggregateNames: ReadonlySet<string>): void {
  const outers: SyntaxNode[] = [];
  const pending: SyntaxNode[] = [statement];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'SET_OPERATION_NODE') {
      if (isObject(node.left)) pending.push(node.left);
      if (isObject(node.right)) pending.push(node.right);
    } else if (node.type === 'SELECT_NODE') {
      outers.push(node);
    } else {
      throw refused('an aggregate-only dataset must be summarised by a plain SELECT … GROUP BY');
    }
  }
  for (const select of outers) {
    const groups = Array.isArray(select.group_expressions) ? (select.group_expressions as SyntaxNode[]) : [];
    const groupShapes = new Set(groups.map(shapeOf));
    const list = Array.isArray(select.select_list) ? (select.select_list as SyntaxNode[]) : [];
    // GROUP BY ALL groups by every output that is not an aggregate; GROUP BY 2 names an output by position.
    const groupsAll = select.aggregate_handling === 'FORCE_AGGREGATES';
    const positions = new Set(
      groups.flatMap((group) => (group.class === 'CONSTANT' ? [Number(constantOf(group))] : [])),
    );
    let aggregates = 0;
    for (const [index, expression] of list.entries()) {
      if (groupShapes.has(shapeOf(expression)) || positions.has(index + 1)) continue;
      if (groupsAll && isPlainColumn(expression, aggregateNames)) continue;
      if (expression.class === 'COLUMN_REF' && isGroupKey(expression, groups)) continue;
      const found = summaryOnly(expression);
      if (found === false) {
        throw refused(
          'this dataset is aggregate-only: every output column must be a GROUP BY key or a summary aggregate ' +
            '(count, sum, avg, min, max, median, quantile, stddev…)',
        );
      }
      aggregates += found;
    }
    if (aggregates === 0 && groups.length === 0 && !groupsAll) {
      throw refused('this dataset is aggregate-only: summarise it with aggregates and GROUP BY');
    }
  }
}

function constantOf(node: SyntaxNode): unknown {
  const value = node.value as { value?: unknown } | undefined;
  return value?.value;
}

/** A column, or a scalar function of columns (no aggregate, window or subquery). */
function isPlainColumn(expression: SyntaxNode, aggregateNames: ReadonlySet<string>): boolean {
  const stack: unknown[] = [expression];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (isObject(value)) {
      if (value.class === 'WINDOW' || value.class === 'SUBQUERY' || value.class === 'STAR') return false;
      if (value.class === 'FUNCTION' && aggregateNames.has(String(value.function_name).toLowerCase()))
        return false;
      for (const child of Object.values(value)) if (typeof child === 'object' && child) stack.push(child);
    }
  }
  return true;
}

function isGroupKey(column: SyntaxNode, groups: unknown[]): boolean {
  const names = column.column_names as string[];
  const last = names[names.length - 1]?.toLowerCase();
  return groups.some(
    (group) =>
      isObject(group) &&
      group.class === 'COLUMN_REF' &&
      (group.column_names as string[]).at(-1)?.toLowerCase() === last,
  );
}

/**
 * Counts summary aggregates in an expression; false when a column is read outside an aggregate, or
 * a non-summary aggregate, a window or a subquery appears.
 */
function summaryOnly(expression: SyntaxNode): number | false {
  let count = 0;
  const stack: unknown[] = [expression];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (!isObject(value)) continue;
    if (value.class === 'COLUMN_REF' || value.class === 'STAR' || value.class === 'SUBQUERY') return false;
    if (value.class === 'WINDOW') return false;
    if (value.class === 'FUNCTION' || value.class === 'AGGREGATE') {
      const name = String(value.function_name).toLowerCase();
      if (summaryAggregates.has(name)) {
        count += 1;
        continue; // what happens inside the aggregate is summarised away
      }
    }
    for (const child of Object.values(value)) if (typeof child === 'object' && child) stack.push(child);
  }
  return count;
}
