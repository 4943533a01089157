import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError } from '../config-error.js';
import { apiClient, withClientFlags } from './client.js';
import { emit, table } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface ApiView {
  id: string;
  slug: string;
  title: string;
  visibility: string;
  operationCount: number;
  currentVersion: { id: string; version: string; specFormat: string };
}

interface VersionView {
  id: string;
  version: string;
  deprecation: {
    deprecatedAt: string;
    sunsetAt: string;
    link: string | null;
    successorApiId: string | null;
  } | null;
}

/** A date given on the command line, as the API takes it (ISO 8601); refused here when it cannot be read. */
function isoDate(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new ConfigError(`${flag}: give a date such as 2027-06-30 or 2027-06-30T00:00:00Z, got "${value}"`);
  }
  return date.toISOString();
}

// The same flags as the other client commands in main.ts, so `apis` reads like the rest of `stp`.

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/** `stp apis …`: publish OpenAPI documents and browse the catalogue. */
export function registerApiCommands(program: Command): void {
  const apis = program
    .command('apis')
    .description('the API hub: publish OpenAPI documents, browse the catalogue');

  withClientFlags(
    apis
      .command('import <fileOrUrl>')
      .description('publish an API from an OpenAPI 2.0/3.0/3.1 file (JSON or YAML) or an http(s) URL'),
  )
    .option('--slug <slug>', 'its address under /gw/{slug}/ (default: from the title)')
    .option('--upstream <url>', "where the gateway forwards calls (default: the document's first server)")
    .option('--visibility <visibility>', 'public, private (default) or orgs')
    .option(
      '--allowed-orgs <ids>',
      'comma-separated organisation ids that may see it (with --visibility orgs)',
    )
    .option('--category <category>', 'a catalogue category')
    .option('--tags <tags>', 'comma-separated catalogue tags (default: the document’s tags)')
    .option('--validate-requests', 'check calls against the document at the gateway')
    .action(
      async (
        source: string,
        options: ClientOptions & {
          slug?: string;
          upstream?: string;
          visibility?: string;
          allowedOrgs?: string;
          category?: string;
          tags?: string;
          validateRequests?: boolean;
        },
      ) => {
        const list = (value: string | undefined) =>
          value === undefined
            ? undefined
            : value
                .split(',')
                .map((item) => item.trim())
                .filter(Boolean);
        let document: string | undefined;
        if (!isUrl(source)) {
          document = await readFile(source, 'utf8').catch((error: NodeJS.ErrnoException) => {
            throw new ConfigError(
              `cannot read ${source}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
            );
          });
        }
        const body = {
          ...(document === undefined ? { url: source } : { document }),
          slug: options.slug,
          upstreamUrl: options.upstream,
          visibility: options.visibility,
          allowedOrgIds: list(options.allowedOrgs),
          category: options.category,
          tags: list(options.tags),
          validateRequests: options.validateRequests,
        };
        const client = await apiClient(options);
        const api = await client.request<ApiView>('POST', '/v1/apis', body);
        emit(
          options.json === true,
          api,
          () =>
            `imported ${api.id} as ${api.slug}: ${api.operationCount} operations (${api.currentVersion.specFormat} ${api.currentVersion.version}, ${api.visibility})`,
        );
      },
    );

  withClientFlags(
    apis
      .command('deprecate <apiId>')
      .description(
        'deprecate a version (default: the current one): calls carry Deprecation and Sunset headers, ' +
          'get 410 after the sunset, and the organisations that called it are told',
      ),
  )
    .requiredOption('--sunset <date>', 'from then the gateway answers 410')
    .option('--version <versionId>', 'the version (apv_…); default: the current one')
    .option('--deprecated-at <date>', 'deprecated from then (default: now)')
    .option('--link <url>', 'your page about the retirement')
    .option('--successor <apiId>', 'another API of yours that replaces it')
    .action(
      async (
        apiId: string,
        options: ClientOptions & {
          sunset: string;
          version?: string;
          deprecatedAt?: string;
          link?: string;
          successor?: string;
        },
      ) => {
        const body = {
          sunsetAt: isoDate('--sunset', options.sunset),
          deprecatedAt: isoDate('--deprecated-at', options.deprecatedAt),
          link: options.link,
          successorApiId: options.successor,
        };
        const client = await apiClient(options);
        const versionId =
          options.version ?? (await client.request<ApiView>('GET', `/v1/apis/${apiId}`)).currentVersion.id;
        const version = await client.request<VersionView>(
          'PUT',
          `/v1/apis/${apiId}/versions/${versionId}/deprecation`,
          body,
        );
        emit(
          options.json === true,
          version,
          () =>
            `deprecated ${apiId} version ${version.version} (${version.id}): 410 from ${version.deprecation?.sunsetAt}`,
        );
      },
    );

  withClientFlags(apis.command('list').description('list the APIs you may see'))
    .option('--q <text>', 'search titles, descriptions, tags and operation summaries')
    .option('--tag <tag>', 'only APIs with this tag')
    .option('--category <category>', 'only APIs in this category')
    .option('--org <orgId>', "only this provider's APIs")
    .option('--limit <n>', 'page size', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        options: ClientOptions & {
          q?: string;
          tag?: string;
          category?: string;
          org?: string;
          limit: string;
          cursor?: string;
        },
      ) => {
        const client = await apiClient(options);
        const query = new URLSearchParams({ limit: options.limit });
        for (const [key, value] of [
          ['q', options.q],
          ['tag', options.tag],
          ['category', options.category],
          ['orgId', options.org],
          ['cursor', options.cursor],
        ] as const) {
          if (value) query.set(key, value);
        }
        const page = await client.request<{ items: ApiView[]; nextCursor: string | null }>(
          'GET',
          `/v1/apis?${query}`,
        );
        emit(options.json === true, page, () => {
          const rows = page.items.map((api) => ({
            ...api,
            version: api.currentVersion.version,
            operations: api.operationCount,
          }));
          const lines = [table(rows, ['id', 'slug', 'title', 'version', 'operations', 'visibility'])];
          if (page.nextCursor) lines.push(`more: --cursor ${page.nextCursor}`);
          return lines;
        });
      },
    );
}
