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
 * - names compare as DuckDB compares them: ASCII letters fold to lower case, nothing else does
 *   (asciiLower); a name whose Unicode lower case differs from that (`K` U+212A, `İ`, `É`) is
 *   refused, so the guard and the engine can never disagree about which table a name means;
 * - a CTE may not be named like a file, a glob or a system table, so no CTE the guard believes in
 *   can stand for something the engine would read from disk or the catalog.
 * A query on an aggregate-only view is not run as written: see aggregate.ts.
 * Deny by default: a node type the guard does not know is refused, not passed.
 * The engine itself is also locked (src/infra/duck-engine.ts), so the guard is one of two walls.
 */

export const maxQueryLength = 100_000;
/** CTEs one query may define: far more than any analysis writes, few enough to check at once. */
export const maxCtes = 64;
/** Syntax-tree nodes one query may have. */
export const maxSyntaxNodes = 50_000;

/** Lower case as DuckDB folds identifiers: the 26 ASCII letters only. */
export function asciiLower(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * Refuses a name DuckDB and JavaScript would fold differently: one holding a non-ASCII letter with
 * a lower-case form (the Kelvin sign K folds to `k` in JavaScript, not in DuckDB).
 */
export function checkIdentifier(name: string): void {
  if (name.toLowerCase() === asciiLower(name)) return;
  const letter = [...name].find((character) => character.toLowerCase() !== asciiLower(character)) ?? '';
  const code = `U+${(letter.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw refused(
    `the name "${name}" holds ${code}, a non-ASCII capital letter: DuckDB matches names by ASCII ` +
      'letters only, so write names without non-ASCII capitals',
  );
}

/** Names of the engine's catalog a CTE may not take (its own tables and views, and compatibility ones). */
const systemName = /^(duckdb_|sqlite_|pg_|pragma_|information_schema$)/;

/**
 * A CTE name is a plain name: letters, digits, `_` and `$`, not a system table's. A name with a dot,
 * a slash or a wildcard could be a file or a glob, which the engine reads where the CTE is not in
 * scope; a plain name can only be a CTE, a view or unknown.
 */
function checkCteName(name: string): void {
  checkIdentifier(name);
  if (!/^[\p{L}\p{M}\p{N}_$]+$/u.test(name)) {
    throw refused(`the CTE name "${name}" may hold only letters, digits and underscores`);
  }
  if (systemName.test(asciiLower(name))) {
    throw refused(`the CTE name "${name}" is a system table's name; choose another`);
  }
}

/** Fields of a syntax node that hold names (tables, columns, aliases, functions). */
const identifierFields = [
  'table_name',
  'alias',
  'column_names',
  'function_name',
  'schema',
  'schema_name',
  'catalog',
  'catalog_name',
  'cte_name',
  'using_columns',
  'column_name_alias',
  'aliases',
  'relation_name',
];

function checkIdentifiers(node: SyntaxNode): void {
  for (const field of identifierFields) {
    const value = node[field];
    if (typeof value === 'string') checkIdentifier(value);
    else if (Array.isArray(value))
      for (const item of value) if (typeof item === 'string') checkIdentifier(item);
  }
}

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
 * file's min/max, taken over rows the row filter removes; `error` raises its argument, which can be
 * a value of any row, as the error message.
 */
const deniedFunction =
  /^(current_|pg_|has_.*_privilege$|inet_|duckdb_|pragma_|icu_|read_|glob$|parquet_|sniff_|getvariable$|getenv$|stats$|json_(de)?serialize_|json_execute|col_description$|obj_description$|shobj_description$|format_(pg_)?type$|map_to_pg_oid$|session_user$|user$|nextval$|currval$|setseed$|txid_|sqlite_|postgres_|mysql_|iceberg_|delta_|query$|query_table$|which_secret$|load_|install_|enable_|disable_|get_block_size$|write_log$|in_search_path$|__internal|sleep|error$)/;

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
  let parsed: {
    error: boolean;
    error_type?: string;
    error_message?: string;
    statements?: { node: SyntaxNode }[];
  };
  try {
    parsed = JSON.parse(String(reader.getRowObjectsJson()[0]?.tree));
  } catch {
    // DuckDB writes a number beyond DOUBLE's range (1e400) as Infinity, which is not JSON.
    throw new AppError('query-invalid', 'the query holds a number too large to represent (beyond 1e308)');
  }
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
  let ctes = 0;
  let nodes = 0;
  while (stack.length > 0) {
    const [value, scope] = stack.pop()!;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, scope]);
      continue;
    }
    if (!isObject(value)) continue;
    // Bounds on the work one query can ask of the guard, which runs in the platform's own process:
    // a scope is shared by every node below it and copied only where a WITH adds names, and a
    // query with more CTEs or nodes than any analysis needs is refused before the cost grows.
    nodes += 1;
    if (nodes > maxSyntaxNodes)
      throw refused(`the query is too large: more than ${maxSyntaxNodes} syntax nodes`);
    yield [value, scope];
    let inner = scope;
    const map = value.cte_map;
    if (isObject(map) && Array.isArray(map.map) && map.map.length > 0) {
      ctes += map.map.length;
      if (ctes > maxCtes) throw refused(`a query may define at most ${maxCtes} CTEs`);
      const names = new Set(scope);
      for (const entry of map.map) {
        if (!isObject(entry)) continue;
        stack.push([entry.value, new Set(names)]);
        names.add(asciiLower(String(entry.key)));
      }
      inner = names;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'cte_map' || typeof child !== 'object' || !child) continue;
      const isRecursion = value.type === 'RECURSIVE_CTE_NODE' && key === 'right';
      stack.push([child, isRecursion ? new Set([...inner, asciiLower(String(value.cte_name))]) : inner]);
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
    checkIdentifiers(node);
    const map = node.cte_map;
    if (isObject(map) && Array.isArray(map.map)) {
      for (const entry of map.map) if (isObject(entry)) checkCteName(String(entry.key));
    }
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
      const key = asciiLower(name);
      if (views.has(key)) used.add(key);
      else if (!ctes.has(key)) {
        const known = [...views.keys()].sort().join(', ') || 'none';
        throw refused(`unknown dataset "${name}"; you may query: ${known}`);
      }
    }
  }
  return { statement, views: [...used] };
}

function checkExpression(node: SyntaxNode, functions: ReadonlySet<string>): void {
  switch (node.class) {
    case 'FUNCTION':
    case 'AGGREGATE':
    case 'WINDOW': {
      const name = asciiLower(String(node.function_name ?? ''));
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
