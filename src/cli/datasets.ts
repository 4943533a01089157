import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config-error.js';
import { accessRequestStates } from '../modules/access/vocabulary.js';
import { classifications, datasetFormats } from '../modules/catalog/vocabulary.js';
import { ApiError, apiClient, unreachable, withClientFlags } from './client.js';
import { emit, progressBar, table } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface ColumnView {
  name: string;
  type: string;
  suggested: string;
  reasons: string[];
  classification: string | null;
  statistics: { nullCount: number; distinctApprox: number };
}

interface VersionView {
  id: string;
  version: number;
  sourceFormat: string;
  sourceName: string;
  sourceBytes: number;
  rowCount: number;
  columns: ColumnView[];
  confirmedAt: string | null;
}

interface DatasetView {
  id: string;
  orgId: string;
  slug: string;
  title: string;
  description: string | null;
  licence: string;
  keywords: string[];
  themes: string[];
  status: string;
  isOpen: boolean;
  currentVersion: VersionView | null;
  updatedAt: string;
}

interface QueryResult {
  queryId: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  /** Present when the grant adds differential-privacy noise. */
  noise?: {
    epsilon: number;
    intervals: (number | null)[][];
    budget: { scope: string; total: number; remaining: number };
  };
}

interface QueryTable {
  name: string;
  via: string;
  agreementId: string | null;
  aggregateOnly: boolean;
  columns: { name: string; mask: string | null }[];
  blockedBy: string | null;
}

interface AccessRequestView {
  id: string;
  datasetId: string;
  orgId: string;
  purpose: string;
  columns: string[];
  durationDays: number;
  wantsDownload: boolean;
  state: string;
  reason: string | null;
  agreementId: string | null;
  createdAt: string;
}

interface AgreementView {
  id: string;
  datasetId: string;
  orgId: string;
  providerOrgId: string;
  state: string;
  terms: { expiresAt: string; columns: string[]; masks: Record<string, { kind: string }> };
  queriesUsed: number;
}

const sides = ['provider', 'consumer'] as const;
const queryFormats = ['table', 'csv', 'json'] as const;

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

function byteSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
}

/** `email(keep-last)` for a masked column, the bare name for one shown as stored. */
const maskedName = (column: { name: string; mask: string | null }) =>
  column.mask ? `${column.name}(${column.mask})` : column.name;

/**
 * `client.request` speaks JSON only, but an upload is a streamed multipart body and a CSV answer
 * is text, so these go through fetch directly, with the URL and token of the client.
 */
async function send(options: ClientOptions, pathAndQuery: string, init: RequestInit): Promise<Response> {
  const client = await apiClient(options);
  const token = client.token;
  const headers = new Headers(init.headers);
  headers.set('accept', headers.get('accept') ?? 'application/json, application/problem+json');
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${client.url}${pathAndQuery}`, { ...init, headers }).catch((error: Error) => {
    // A file that fails or changes mid-upload is the user's problem to fix, not an unreachable server.
    if (error.cause instanceof ConfigError) throw error.cause;
    if ((error.cause as { code?: string } | undefined)?.code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
      throw new ConfigError('the file changed while it was being uploaded');
    }
    throw unreachable(client.url, error);
  });
  if (!response.ok) {
    const text = await response.text();
    let problem: ApiError['problem'];
    try {
      problem = JSON.parse(text) as ApiError['problem'];
    } catch {
      problem = { detail: text.trim() || `HTTP ${response.status}` };
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** Quotes a multipart header parameter (RFC 7578 §4.2): no raw quotes or line breaks may reach it. */
const quoted = (value: string) => `"${value.replace(/[\r\n]/g, ' ').replaceAll('"', '%22')}"`;

interface UploadSource {
  file: string;
  handle: FileHandle;
  size: number;
}

/** Opens the file to upload, so a missing or unreadable one is refused before anything changes on the server. */
async function openSource(file: string): Promise<UploadSource> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new ConfigError(`cannot read ${file}: not a regular file`);
  }
  return { file, handle, size: stats.size };
}

/**
 * Uploads a file as one version of a dataset. The multipart body is assembled as a stream
 * (preamble, the file, epilogue) so a file of several GB never sits in memory; Content-Length is
 * known from the file's size, which lets the server refuse a file over its limit before any of it
 * is sent.
 */
async function uploadVersion(
  options: ClientOptions,
  datasetId: string,
  source: UploadSource,
  format: string | undefined,
  onProgress: (sent: number, total: number) => void,
): Promise<DatasetView> {
  const boundary = `----stp${randomBytes(12).toString('hex')}`;
  // The server reads `format` before the file part, so the field must come first.
  const formatField = format
    ? `--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\n${format}\r\n`
    : '';
  const preamble = Buffer.from(
    `${formatField}--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename=${quoted(path.basename(source.file))}\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body(): AsyncGenerator<Uint8Array> {
    yield preamble;
    let sent = 0;
    onProgress(0, source.size);
    for await (const chunk of source.handle.createReadStream({
      highWaterMark: 1024 * 1024,
      autoClose: false,
    })) {
      sent += (chunk as Buffer).length;
      onProgress(sent, source.size);
      yield chunk as Buffer;
    }
    if (sent !== source.size) throw new ConfigError(`${source.file} changed while it was being uploaded`);
    yield epilogue;
  }
  const response = await send(options, `/v1/datasets/${encodeURIComponent(datasetId)}/versions`, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(preamble.length + source.size + epilogue.length),
    },
    body: body(),
    duplex: 'half',
  });
  return (await response.json()) as DatasetView;
}

function datasetLines(dataset: DatasetView): string[] {
  const version = dataset.currentVersion;
  const fields: [string, unknown][] = [
    ['id', dataset.id],
    ['slug', `${dataset.slug} (its name in SQL)`],
    ['title', dataset.title],
    ['status', `${dataset.status}${dataset.isOpen ? ', open data' : ''}`],
    ['licence', dataset.licence],
    ['description', dataset.description],
    ['keywords', dataset.keywords.join(', ') || null],
    ['themes', dataset.themes.join(', ') || null],
    [
      'version',
      version
        ? `${version.version} from ${version.sourceName} (${version.sourceFormat}, ${byteSize(version.sourceBytes)}): ` +
          `${version.rowCount} rows, ${version.columns.length} columns, ` +
          (version.confirmedAt
            ? `classifications confirmed ${version.confirmedAt}`
            : 'classifications not confirmed')
        : 'none uploaded yet',
    ],
  ];
  const lines = fields.map(([key, value]) => `${key.padEnd(12)} ${value ?? '-'}`);
  if (version) lines.push('', columnsTable(version.columns));
  return lines;
}

function columnsTable(columns: ColumnView[]): string {
  return table(
    columns.map((column) => ({
      name: column.name,
      type: column.type,
      suggested: column.suggested,
      classification: column.classification,
      nulls: column.statistics.nullCount,
      distinct: column.statistics.distinctApprox,
    })),
    ['name', 'type', 'suggested', 'classification', 'nulls', 'distinct'],
  );
}

/** One SQL value as a table cell: nested values (lists, structs) as JSON rather than `[object Object]`. */
const cell = (value: unknown) =>
  value !== null && typeof value === 'object' ? JSON.stringify(value) : value;

function resultTable(result: QueryResult): string[] {
  // Rows are keyed by column name for `table`; a name used twice (`SELECT a, a`) gets a suffix.
  const keys: string[] = [];
  for (const column of result.columns) {
    let key = column.name;
    for (let n = 2; keys.includes(key); n++) key = `${column.name}_${n}`;
    keys.push(key);
  }
  // A noisy value shows the half-width of its 95% interval beside it.
  const shown = (row: unknown[], r: number, i: number) => {
    const halfWidth = result.noise?.intervals[r]?.[i];
    return typeof halfWidth === 'number' ? `${cell(row[i])} ± ${halfWidth}` : cell(row[i]);
  };
  const rows = result.rows.map((row, r) => Object.fromEntries(keys.map((key, i) => [key, shown(row, r, i)])));
  const footer = `${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'}${result.truncated ? ' (truncated)' : ''}`;
  const noise = result.noise
    ? [
        `noisy (differential privacy): ε ${result.noise.epsilon} spent, ${result.noise.budget.remaining} of ${result.noise.budget.total} left (${result.noise.budget.scope}); ± is the 95% interval`,
      ]
    : [];
  return [table(rows, keys), footer, ...noise];
}

/** `stp datasets …`, `stp query`, `stp requests …`, `stp agreements …`: data products from the command line. */
export function registerDataCommands(program: Command): void {
  const datasets = program
    .command('datasets')
    .description('data products: upload and publish datasets, browse the catalogue');

  withClientFlags(datasets.command('list').description('list published datasets and your own drafts'))
    .option('--q <text>', 'search titles, descriptions and keywords')
    .option('--open', 'only open data (open licence, no personal columns)')
    .option('--org <orgId>', "only this provider's datasets")
    .option('--limit <n>', 'page size', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        options: ClientOptions & { q?: string; open?: boolean; org?: string; limit: string; cursor?: string },
      ) => {
        const client = await apiClient(options);
        const query = new URLSearchParams({ limit: options.limit });
        if (options.q) query.set('q', options.q);
        if (options.open) query.set('open', 'true');
        if (options.org) query.set('orgId', options.org);
        if (options.cursor) query.set('cursor', options.cursor);
        const page = await client.request<{ items: DatasetView[]; nextCursor: string | null }>(
          'GET',
          `/v1/datasets?${query}`,
        );
        emit(options.json === true, page, () => {
          const rows = page.items.map((dataset) => ({
            ...dataset,
            open: dataset.isOpen ? 'yes' : 'no',
            rows: dataset.currentVersion?.rowCount,
          }));
          const lines = [table(rows, ['id', 'slug', 'title', 'status', 'open', 'rows'])];
          if (page.nextCursor) lines.push(`more: --cursor ${page.nextCursor}`);
          return lines;
        });
      },
    );

  withClientFlags(
    datasets.command('show <datasetId>').description('show a dataset: its metadata and its columns'),
  ).action(async (datasetId: string, options: ClientOptions) => {
    const client = await apiClient(options);
    const dataset = await client.request<DatasetView>('GET', `/v1/datasets/${encodeURIComponent(datasetId)}`);
    emit(options.json === true, dataset, () => datasetLines(dataset));
  });

  withClientFlags(
    datasets
      .command('create')
      .description('create an empty dataset (a draft until a version is uploaded and published)'),
  )
    .requiredOption('--title <title>', 'its title in the catalogue')
    .requiredOption(
      '--licence <licence>',
      'an SPDX id such as CC-BY-4.0 (open), or a name such as proprietary',
    )
    .option('--slug <slug>', 'its name in SQL (default: from the title)')
    .option('--description <text>', 'what the data is, where it comes from')
    .option('--keywords <words>', 'comma-separated keywords')
    .option('--themes <themes>', 'comma-separated themes, e.g. economy,transport')
    .action(
      async (
        options: ClientOptions & {
          title: string;
          licence: string;
          slug?: string;
          description?: string;
          keywords?: string;
          themes?: string;
        },
      ) => {
        const client = await apiClient(options);
        const dataset = await client.request<DatasetView>('POST', '/v1/datasets', {
          title: options.title,
          licence: options.licence,
          slug: options.slug,
          description: options.description,
          keywords: list(options.keywords),
          themes: list(options.themes),
        });
        emit(
          options.json === true,
          dataset,
          () =>
            `created ${dataset.id} as ${dataset.slug} (draft); next: stp datasets upload FILE --dataset ${dataset.id}`,
        );
      },
    );

  withClientFlags(
    datasets
      .command('upload <file>')
      .description(
        'upload a CSV, TSV, Parquet or JSON Lines file as a new version (of a new dataset unless --dataset); ' +
          'the server profiles its columns and suggests classifications',
      ),
  )
    .option('--dataset <datasetId>', 'add a version to this dataset instead of creating one')
    .option('--title <title>', 'title of the new dataset (default: the file name without extension)')
    .option('--licence <licence>', 'licence of the new dataset', 'proprietary')
    .option('--slug <slug>', 'SQL name of the new dataset (default: from the title)')
    .addOption(
      new Option('--format <format>', 'the file format (default: from the file name)').choices(
        datasetFormats,
      ),
    )
    .option('--confirm', 'accept the suggested column classifications')
    .option('--publish', 'publish to the catalogue (implies --confirm)')
    .action(
      async (
        file: string,
        options: ClientOptions & {
          dataset?: string;
          title?: string;
          licence: string;
          slug?: string;
          format?: string;
          confirm?: boolean;
          publish?: boolean;
        },
      ) => {
        const json = options.json === true;
        const client = await apiClient(options);
        const source = await openSource(file);
        let dataset: DatasetView;
        let datasetId = options.dataset;
        const bar = progressBar('upload', json);
        try {
          if (!datasetId) {
            const created = await client.request<DatasetView>('POST', '/v1/datasets', {
              title: options.title ?? path.basename(file, path.extname(file)),
              licence: options.licence,
              slug: options.slug,
            });
            datasetId = created.id;
          }
          dataset = await uploadVersion(options, datasetId, source, options.format, (sent, total) => {
            bar.update(sent, total);
            // Converting a large file to Parquet and profiling it takes a while after the last byte.
            if (sent === total && !json && process.stderr.isTTY) {
              bar.stop();
              process.stderr.write('converting and profiling on the server…\n');
            }
          });
        } catch (error) {
          bar.stop();
          if (datasetId && !options.dataset && error instanceof Error) {
            error.message += ` (the draft dataset ${datasetId} was created: retry with --dataset ${datasetId})`;
          }
          throw error;
        } finally {
          await source.handle.close();
        }
        if (options.confirm || options.publish) {
          dataset = await client.request<DatasetView>(
            'PUT',
            `/v1/datasets/${encodeURIComponent(datasetId)}/classifications`,
            { columns: {} },
          );
        }
        if (options.publish) {
          dataset = await client.request<DatasetView>(
            'POST',
            `/v1/datasets/${encodeURIComponent(datasetId)}/publish`,
          );
        }
        emit(json, dataset, () => {
          const version = dataset.currentVersion!;
          const lines = [
            `uploaded ${path.basename(file)} to ${dataset.id} (${dataset.slug}), version ${version.version}: ` +
              `${version.rowCount} rows, ${version.columns.length} columns`,
            '',
            columnsTable(version.columns),
            '',
          ];
          if (dataset.status === 'published') {
            lines.push(`published${dataset.isOpen ? ' as open data' : ''}; query it as ${dataset.slug}`);
          } else if (version.confirmedAt) {
            lines.push(`classifications confirmed; next: stp datasets publish ${dataset.id}`);
          } else {
            lines.push(
              'review the suggested classifications, then: ' +
                `stp datasets confirm ${dataset.id} [--set column=classification …]`,
            );
          }
          return lines;
        });
      },
    );

  withClientFlags(
    datasets
      .command('confirm <datasetId>')
      .description("confirm the current version's column classifications (the suggestions unless --set)"),
  )
    .option(
      '--set <column=classification>',
      `classify a column other than suggested (repeatable): ${classifications.join(', ')}`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (datasetId: string, options: ClientOptions & { set?: string[] }) => {
      const columns: Record<string, string> = {};
      for (const assignment of options.set ?? []) {
        const [name, classification] = assignment.split('=');
        if (!name || !classification || !(classifications as readonly string[]).includes(classification)) {
          throw new ConfigError(
            `--set ${assignment}: expected column=classification, one of ${classifications.join(', ')}`,
          );
        }
        columns[name] = classification;
      }
      const client = await apiClient(options);
      const dataset = await client.request<DatasetView>(
        'PUT',
        `/v1/datasets/${encodeURIComponent(datasetId)}/classifications`,
        { columns },
      );
      emit(options.json === true, dataset, () => [
        `confirmed the classifications of ${dataset.id}; next: stp datasets publish ${dataset.id}`,
        '',
        columnsTable(dataset.currentVersion?.columns ?? []),
      ]);
    });

  withClientFlags(
    datasets
      .command('publish <datasetId>')
      .description('publish a dataset to the catalogue (classifications confirmed)'),
  ).action(async (datasetId: string, options: ClientOptions) => {
    const client = await apiClient(options);
    const dataset = await client.request<DatasetView>(
      'POST',
      `/v1/datasets/${encodeURIComponent(datasetId)}/publish`,
    );
    emit(
      options.json === true,
      dataset,
      () => `published ${dataset.id}${dataset.isOpen ? ' as open data' : ''}; query it as ${dataset.slug}`,
    );
  });

  withClientFlags(
    datasets
      .command('tables')
      .description('what you may query now: your datasets, open data and your agreements, with masks'),
  ).action(async (options: ClientOptions) => {
    const client = await apiClient(options);
    const tables = await client.request<{ items: QueryTable[] }>('GET', '/v1/query/tables');
    emit(options.json === true, tables, () =>
      table(
        tables.items.map((item) => ({
          name: item.name,
          via: item.via,
          agreement: item.agreementId,
          aggregate: item.aggregateOnly ? 'only' : 'no',
          blocked: item.blockedBy,
          columns: item.columns.map(maskedName).join(', '),
        })),
        ['name', 'via', 'agreement', 'aggregate', 'blocked', 'columns'],
      ),
    );
  });

  withClientFlags(
    program
      .command('query <sql>')
      .description(
        'run one SELECT over the datasets you may read (see `stp datasets tables`); masks and limits of ' +
          'your agreements apply, and the query is recorded in the ledger',
      ),
  )
    .addOption(
      new Option('--format <format>', 'table, csv (as the server writes it) or json (the full result)')
        .choices(queryFormats)
        .default('table'),
    )
    .option('--max-rows <n>', 'return at most n rows', positiveInteger)
    .option(
      '--epsilon <ε>',
      "ε to spend on an aggregate-only grant with noise (default: the grant's)",
      positiveNumber,
    )
    .action(
      async (
        sql: string,
        options: ClientOptions & { format: string; maxRows?: number; epsilon?: number },
      ) => {
        const format = options.json ? 'json' : options.format;
        const body = {
          sql,
          format: format === 'csv' ? 'csv' : 'json',
          maxRows: options.maxRows,
          epsilon: options.epsilon,
        };
        if (format === 'csv') {
          const response = await send(options, '/v1/query', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'text/csv, application/problem+json' },
            body: JSON.stringify(body),
          });
          if (response.body) await pipeline(Readable.fromWeb(response.body), process.stdout, { end: false });
          // stdout holds the CSV alone, so a truncation note goes to stderr.
          if (response.headers.get('x-result-truncated') === 'true') {
            process.stderr.write('note: the result was truncated; more rows exist than were returned\n');
          }
          return;
        }
        const client = await apiClient(options);
        const result = await client.request<QueryResult>('POST', '/v1/query', body);
        emit(format === 'json', result, () => resultTable(result));
      },
    );

  const requests = program
    .command('requests')
    .description('access requests: ask for a dataset (consumers), approve or reject (providers)');

  withClientFlags(requests.command('list').description('requests your organisation made or received'))
    .addOption(new Option('--as <side>', 'your side (default: both)').choices(sides))
    .option('--state <state>', accessRequestStates.join(', '))
    .action(async (options: ClientOptions & { as?: string; state?: string }) => {
      const client = await apiClient(options);
      const query = new URLSearchParams();
      if (options.as) query.set('as', options.as);
      if (options.state) query.set('state', options.state);
      const page = await client.request<{ items: AccessRequestView[] }>(
        'GET',
        `/v1/access-requests?${query}`,
      );
      emit(options.json === true, page, () =>
        table(
          page.items.map((request) => ({
            ...request,
            dataset: request.datasetId,
            consumer: request.orgId,
            days: request.durationDays,
            download: request.wantsDownload ? 'yes' : 'no',
            created: request.createdAt,
          })),
          ['id', 'dataset', 'consumer', 'purpose', 'columns', 'days', 'download', 'state', 'created'],
        ),
      );
    });

  withClientFlags(
    requests
      .command('approve <requestId>')
      .description('approve a request (providers), optionally narrowing its terms; creates the agreement'),
  )
    .option(
      '--terms <file>',
      'a JSON file of terms overrides: masks, rowFilter, expiresAt, columns, aggregateOnly, maxQueries … ' +
        '(schema: GET /v1/agreements/terms-schema)',
    )
    .option(
      '--template <slug>',
      "start from one of your terms templates (overrides from --terms on top); without --template and --terms, the dataset's default template applies",
    )
    .action(async (requestId: string, options: ClientOptions & { terms?: string; template?: string }) => {
      const overrides = {
        ...((options.terms ? await readJsonFile(options.terms) : {}) as object),
        ...(options.template ? { template: options.template } : {}),
      };
      const client = await apiClient(options);
      const approved = await client.request<{
        request: AccessRequestView;
        agreement: AgreementView;
        template: string | null;
      }>('POST', `/v1/access-requests/${encodeURIComponent(requestId)}/approve`, overrides);
      emit(options.json === true, approved, () => {
        const { agreement } = approved;
        return [
          `approved ${approved.request.id}: agreement ${agreement.id} until ${agreement.terms.expiresAt}`,
          ...(approved.template ? [`  terms from template: ${approved.template}`] : []),
          `  columns: ${agreementColumns(agreement)}`,
        ];
      });
    });

  withClientFlags(
    requests.command('reject <requestId>').description('reject a request with a reason (providers)'),
  )
    .requiredOption('--reason <reason>', 'why, shown to the consumer')
    .action(async (requestId: string, options: ClientOptions & { reason: string }) => {
      const client = await apiClient(options);
      const request = await client.request<AccessRequestView>(
        'POST',
        `/v1/access-requests/${encodeURIComponent(requestId)}/reject`,
        { reason: options.reason },
      );
      emit(options.json === true, request, () => `rejected ${request.id}: ${request.reason}`);
    });

  const agreements = program
    .command('agreements')
    .description('agreements: the granted terms of data access');

  withClientFlags(agreements.command('list').description('agreements your organisation holds or granted'))
    .addOption(new Option('--as <side>', 'your side (default: both)').choices(sides))
    .option('--state <state>', 'active, expired or revoked')
    .action(async (options: ClientOptions & { as?: string; state?: string }) => {
      const client = await apiClient(options);
      const query = new URLSearchParams();
      if (options.as) query.set('as', options.as);
      if (options.state) query.set('state', options.state);
      const page = await client.request<{ items: AgreementView[] }>('GET', `/v1/agreements?${query}`);
      emit(options.json === true, page, () =>
        table(
          page.items.map((agreement) => ({
            id: agreement.id,
            dataset: agreement.datasetId,
            consumer: agreement.orgId,
            provider: agreement.providerOrgId,
            state: agreement.state,
            expires: agreement.terms.expiresAt,
            queries: agreement.queriesUsed,
            columns: agreementColumns(agreement),
          })),
          ['id', 'dataset', 'consumer', 'provider', 'state', 'expires', 'queries', 'columns'],
        ),
      );
    });

  withClientFlags(
    agreements
      .command('revoke <agreementId>')
      .description('revoke an agreement (either side); its next query is refused'),
  )
    .requiredOption('--reason <reason>', 'why, recorded in the ledger')
    .action(async (agreementId: string, options: ClientOptions & { reason: string }) => {
      const client = await apiClient(options);
      const agreement = await client.request<AgreementView>(
        'POST',
        `/v1/agreements/${encodeURIComponent(agreementId)}/revoke`,
        { reason: options.reason },
      );
      emit(options.json === true, agreement, () => `revoked ${agreement.id} (${agreement.state})`);
    });
}

const agreementColumns = (agreement: AgreementView) =>
  agreement.terms.columns
    .map((name) => maskedName({ name, mask: agreement.terms.masks[name]?.kind ?? null }))
    .join(', ');

async function readJsonFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not JSON: ${(error as Error).message}`);
  }
}
