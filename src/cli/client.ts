import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { localServerUrl } from '../server-record.js';
import { readCredentials } from './credentials.js';

/** A problem+json answer from the server, kept whole so the CLI can show `detail` and `code`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: { code?: string; detail?: string; title?: string; errors?: unknown },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface ApiClientOptions {
  url?: string;
  token?: string;
}

export interface ApiClient {
  url: string;
  /** The bearer token the client sends, for the few requests that are not JSON (uploads, CSV). */
  token: string | undefined;
  request<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** The one-line answer to a platform that cannot be reached: which URL was tried, and how to name another. */
export function unreachable(url: string, error: Error): ApiError {
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const reason = cause?.code ?? cause?.message ?? error.message;
  return new ApiError(0, {
    code: 'unreachable',
    detail: `cannot reach the platform at ${url} (${reason}); is it running? Name its URL with --url or STP_URL`,
  });
}

const stateChangingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Wait before the one retry of a change whose connection dropped. */
const retryDelayMs = 500;

/**
 * Talks to a running platform with a token from flags, STP_URL/STP_TOKEN, or what `stp login` stored.
 * The URL: `--url`, else `STP_URL`, else the server started from this directory, else the one
 * `stp login` stored, else `PORT` on this machine, else the default port.
 */
export async function apiClient(options: ApiClientOptions = {}, env = process.env): Promise<ApiClient> {
  const stored = await readCredentials(env);
  const url = (
    options.url ??
    env.STP_URL ??
    localServerUrl(env) ??
    stored?.url ??
    `http://127.0.0.1:${env.PORT?.trim() || '8080'}`
  ).replace(/\/+$/, '');
  // An explicit empty token means "anonymous" (login must not send a stale stored token).
  const token =
    options.token !== undefined
      ? options.token || undefined
      : (env.STP_TOKEN ?? (stored && stored.url === url ? stored.token : undefined));
  return {
    url,
    token,
    async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      // A change is sent with an Idempotency-Key, so that when the connection drops before the answer
      // (the server restarting, a proxy cutting it) the one retry below cannot do the change twice:
      // the server answers it with the first answer, or carries it out if it never was.
      const isChange = stateChangingMethods.has(method.toUpperCase());
      const randomKey = randomUUID();
      const send = () =>
        fetch(`${url}${path}`, {
          method,
          headers: {
            accept: 'application/json, application/problem+json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(isChange ? { 'idempotency-key': `"${randomKey}"` } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        if (!isChange) throw unreachable(url, error as Error);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        response = await send().catch((again: Error) => {
          throw unreachable(url, again);
        });
      }
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (!response.ok) throw new ApiError(response.status, parsed ?? {});
      return parsed as T;
    },
  };
}

/** The flags of every command that talks to a running platform. */
export function withClientFlags(command: Command): Command {
  return command
    .option(
      '--url <url>',
      'platform URL (STP_URL; default: the server started from this directory, else the one you logged in to)',
    )
    .option('--token <token>', 'personal access token (STP_TOKEN; default: the one `stp login` stored)')
    .option('--json', 'machine-readable output');
}
