import createClient from 'openapi-fetch';
import type { components, paths } from './api-schema';

/**
 * The portal talks to the platform's `/v1` API only, with the session cookie (same origin).
 * Errors arrive as RFC 9457 problem+json; `ApiError` keeps the stable `code` and the `detail`
 * that names what was wrong, so pages can show it as it is.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly body: unknown,
  ) {
    super(detail || title);
  }
}

/** Dispatched on `window` when the platform answers 401 to a signed-in page. */
export const sessionEnded = 'stp:session-ended';

type Query = Record<string, string | number | boolean | undefined | null>;

/** A query string of the parameters that have a value: unset, null and empty ones are left out. */
function searchOf(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

export function withQuery(path: string, query?: Query): string {
  const text = query ? searchOf(query) : '';
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { detail: text.slice(0, 200) };
  }
  return new ApiError(
    response.status,
    String(body.code ?? `http-${response.status}`),
    String(body.title ?? response.statusText),
    String(body.detail ?? body.title ?? response.statusText),
    body,
  );
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A FormData body (multipart upload) is sent as it is. */
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Calls the API and returns the parsed JSON (or `undefined` for 204), throwing `ApiError`. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    // The session ended (idle or absolute expiry, signed out elsewhere): the shell shows sign-in.
    if (response.status === 401 && path !== '/v1/auth/login' && path !== '/v1/me') {
      window.dispatchEvent(new Event(sessionEnded));
    }
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? response.json() : response.text()) as Promise<T>;
}

/**
 * The platform API typed by path and method from its own OpenAPI document (`api-schema.d.ts`,
 * written by `npm run api:types`): a path, a parameter or a body the server does not take is a
 * compile error, and so is reading a field its answer does not have. A refusal is thrown as
 * `ApiError`, as `api` does, so `bodyOf` hands back the answer itself.
 */
export const client = createClient<paths>({
  // The browser's origin; under test (jsdom) `Request` needs an absolute URL too.
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  querySerializer: searchOf,
  // Looked up on each call, not captured once, so component tests can stub `fetch`.
  fetch: (request) => globalThis.fetch(request),
});

client.use({
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const problem = await problemOf(response);
    const path = new URL(request.url).pathname;
    if (response.status === 401 && path !== '/v1/auth/login' && path !== '/v1/me') {
      window.dispatchEvent(new Event(sessionEnded));
    }
    throw problem;
  },
});

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/**
 * The JSON a path and method answer on success (200, else 201), as the server's schema says:
 * `Answer<'/v1/agreements', 'get'>['items'][number]` is one agreement.
 */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer OK }
    ? JsonOf<OK>
    : R extends { 201: infer Created }
      ? JsonOf<Created>
      : never
  : never;

/** A schema the OpenAPI document shares by name (`components/schemas`). */
export type Shared<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The body of a call on `client` (`undefined` for 204); refusals never get here, they are thrown. */
export async function bodyOf<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body: body ?? {} });
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, { body });
export const del = <T>(path: string) => api<T>('DELETE', path);

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Hands a file to the browser to save under `fileName`, as a link with `download` would. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file name a `Content-Disposition: attachment; filename="…"` header gives (RFC 6266). */
export function attachmentName(headers: Headers): string | undefined {
  const disposition = headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}

/**
 * Fetches a file from the API and saves it. A refusal arrives as problem+json and is thrown as
 * `ApiError`, so a page shows why instead of saving the problem as the file. The name is the
 * answer's own (Content-Disposition) unless `fileName` derives one from its headers.
 */
export async function saveFile(
  method: string,
  path: string,
  options: RequestOptions & { accept: string; fileName?: (headers: Headers) => string },
): Promise<{ fileName: string; headers: Headers }> {
  const headers: Record<string, string> = { accept: options.accept, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) throw await problemOf(response);
  const fileName = options.fileName?.(response.headers) ?? attachmentName(response.headers) ?? 'download';
  saveBlob(await response.blob(), fileName);
  return { fileName, headers: response.headers };
}
