import type { ApiOperation } from '../catalog/schema.js';
import type { GatewaySnapshot, SnapshotApi, SnapshotPlan } from './snapshot.js';
import { compileValidation, type OperationValidation } from './validation.js';

/**
 * The routing table the gateway builds from each snapshot: per API, its upstream origin and base
 * path and its operations indexed by method and segment count, so matching a call is a map lookup
 * and a short scan. Deny by default: a method and path that no operation declares is not routed.
 */

export interface CompiledOperation {
  operation: ApiOperation;
  method: string;
  /** Literal segments; null where the template has a `{param}`. */
  segments: (string | null)[];
  literalCount: number;
  /** Present when the API validates requests and the document declares this operation. */
  validation?: OperationValidation;
}

export interface CompiledApi {
  api: SnapshotApi;
  /** `http://host:port` of the upstream, the key of its connection pool ('' for a built-in upstream). */
  origin: string;
  /** The upstream URL's path without a trailing slash ('' for none). */
  basePath: string;
  /** A built-in upstream, split at its first `:` (`lab-model:lmd_…`): the platform answers the calls. */
  builtin?: { kind: string; id: string };
  operations: Map<string, CompiledOperation[]>;
  /** Present when the served version is deprecated. */
  retirement?: CompiledRetirement;
}

/** A deprecated version's dates and the headers every answer about it carries, built once per snapshot. */
export interface CompiledRetirement {
  sunsetAt: number;
  /** Name, value pairs: Deprecation (RFC 9745 §2), Sunset (RFC 8594 §3), Link (RFC 8288). */
  headers: string[];
  /** The same headers as a record, for problem answers. */
  headerRecord: Record<string, string>;
  successorPath: string | null;
}

function compileRetirement(deprecation: NonNullable<SnapshotApi['deprecation']>): CompiledRetirement {
  const successorPath = deprecation.successorSlug ? `/gw/${deprecation.successorSlug}` : null;
  const links: string[] = [];
  if (deprecation.link) {
    // The provider's page describes both the deprecation (RFC 9745 §3) and the sunset (RFC 8594 §6).
    links.push(`<${deprecation.link}>; rel="deprecation"`, `<${deprecation.link}>; rel="sunset"`);
  }
  if (successorPath) links.push(`<${successorPath}>; rel="successor-version"`);
  const headerRecord: Record<string, string> = {
    // A structured-field Date: `@` and Unix seconds.
    deprecation: `@${Math.floor(deprecation.deprecatedAt / 1000)}`,
    // An HTTP-date (IMF-fixdate), RFC 9110 §5.6.7.
    sunset: new Date(deprecation.sunsetAt).toUTCString(),
    ...(links.length > 0 ? { link: links.join(', ') } : {}),
  };
  return {
    sunsetAt: deprecation.sunsetAt,
    headers: Object.entries(headerRecord).flat(),
    headerRecord,
    successorPath,
  };
}

export interface RoutingTable {
  snapshot: GatewaySnapshot;
  apisBySlug: Map<string, CompiledApi>;
  /** What could not be compiled (and so is not enforced), for the gateway's log. */
  warnings: string[];
}

const templateParam = /^\{[^{}]+\}$/;

function compileOperation(operation: ApiOperation, validation?: OperationValidation): CompiledOperation {
  const segments = operation.path
    .split('/')
    .slice(1)
    .map((segment) => (templateParam.test(segment) ? null : segment));
  return {
    operation,
    method: operation.method.toUpperCase(),
    segments,
    literalCount: segments.filter((s) => s !== null).length,
    ...(validation ? { validation } : {}),
  };
}

function compileUpstream(api: SnapshotApi): Pick<CompiledApi, 'origin' | 'basePath' | 'builtin'> {
  if (api.upstreamUrl !== null) {
    const url = new URL(api.upstreamUrl);
    return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
  }
  const ref = api.builtinUpstream ?? '';
  const colon = ref.indexOf(':');
  return { origin: '', basePath: '', builtin: { kind: ref.slice(0, colon), id: ref.slice(colon + 1) } };
}

function compileApi(api: SnapshotApi, warnings: string[]): CompiledApi {
  const operations = new Map<string, CompiledOperation[]>();
  const validation = api.validateRequests ? compileValidation(api.document, api.operations) : null;
  for (const warning of validation?.warnings ?? []) warnings.push(`${api.slug}: ${warning}`);
  for (const operation of api.operations) {
    const compiled = compileOperation(operation, validation?.operations.get(operation));
    const key = `${compiled.method} ${compiled.segments.length}`;
    const list = operations.get(key) ?? [];
    list.push(compiled);
    operations.set(key, list);
  }
  // A concrete path wins over a template that also matches (OpenAPI 3.1 §4.8.8: `/users/me` before `/users/{id}`).
  for (const list of operations.values()) list.sort((a, b) => b.literalCount - a.literalCount);
  return {
    api,
    ...compileUpstream(api),
    operations,
    ...(api.deprecation ? { retirement: compileRetirement(api.deprecation) } : {}),
  };
}

export function compileSnapshot(snapshot: GatewaySnapshot): RoutingTable {
  const apisBySlug = new Map<string, CompiledApi>();
  const warnings: string[] = [];
  for (const [slug, api] of snapshot.apisBySlug) apisBySlug.set(slug, compileApi(api, warnings));
  return { snapshot, apisBySlug, warnings };
}

/**
 * Splits the path below the API into decoded segments, or null when it may not be routed: a `.`
 * or `..` segment (plain or percent-encoded) or an encoded `/` or `\` could make the upstream
 * resolve a path other than the one the plan was checked against, so such paths are refused.
 */
export function pathSegments(rest: string): string[] | null {
  const raw = rest.split('/').slice(1);
  const out = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let segment = raw[i]!;
    if (segment.includes('%')) {
      try {
        segment = decodeURIComponent(segment);
      } catch {
        return null;
      }
      if (segment.includes('/')) return null;
    }
    // A raw or decoded backslash is a separator to WHATWG-URL, IIS and friends; `..;x` is `..` to
    // servlet containers (path parameters). Either would let an upstream resolve `/..` past the plan.
    if (segment.includes('\\')) return null;
    const bare = segment.split(';', 1)[0];
    if (bare === '.' || bare === '..') return null;
    out[i] = segment;
  }
  return out;
}

export function matchOperation(
  api: CompiledApi,
  method: string,
  segments: string[],
): CompiledOperation | null {
  const candidates =
    api.operations.get(`${method} ${segments.length}`) ??
    (method === 'HEAD' ? api.operations.get(`GET ${segments.length}`) : undefined);
  if (!candidates) return null;
  outer: for (const candidate of candidates) {
    for (let i = 0; i < segments.length; i++) {
      const literal = candidate.segments[i];
      if (literal === null) {
        if (segments[i] === '') continue outer;
      } else if (literal !== segments[i]) continue outer;
    }
    return candidate;
  }
  return null;
}

/** `*` matches one segment, `**` any number (including none); other segments match literally. */
export function pathPatternMatches(pattern: string, template: string): boolean {
  const p = pattern.split('/').slice(1);
  const t = template.split('/').slice(1);
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '**') {
      for (let k = j; k <= t.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    if (j === t.length) return false;
    if (p[i] !== '*' && p[i] !== t[j]) return false;
    return match(i + 1, j + 1);
  };
  return match(0, 0);
}

const inclusionCache = new WeakMap<SnapshotPlan, WeakMap<CompiledOperation, boolean>>();

/**
 * Whether a plan includes an operation: by tag or by path pattern (matched against the
 * operation's path template, as the plan is written against the API's document); a plan naming
 * neither includes every operation. Cached per plan and operation object, so only the first call
 * after a snapshot pays.
 */
export function planIncludes(plan: SnapshotPlan, operation: CompiledOperation): boolean {
  let byOperation = inclusionCache.get(plan);
  if (!byOperation) {
    byOperation = new WeakMap();
    inclusionCache.set(plan, byOperation);
  }
  const cached = byOperation.get(operation);
  if (cached !== undefined) return cached;
  const included =
    (plan.includedTags.length === 0 && plan.includedPaths.length === 0) ||
    operation.operation.tags.some((tag) => plan.includedTags.includes(tag)) ||
    plan.includedPaths.some((pattern) => pathPatternMatches(pattern, operation.operation.path));
  byOperation.set(operation, included);
  return included;
}
