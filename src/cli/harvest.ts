import type { Command } from 'commander';
import { ConfigError } from '../config-error.js';
import { apiClient, withClientFlags } from './client.js';
import { emit, progressBar, table } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface SourceView {
  id: string;
  kind: string;
  name: string;
  url: string;
  intervalHours: number | null;
  status: string;
  nextRunAt: string | null;
}

interface RunView {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  isComplete: boolean;
  counts: { new: number; changed: number; unchanged: number; withdrawn: number; failed: number };
  failures: { record: string; reason: string }[];
  unmappedLicences?: { licence: string; records: number; keptOpen: number }[];
  nonConforming?: {
    record: string;
    violations: { focusNode: string; path: string; message: string }[];
  }[];
  progress: { pages: number; fetched: number; total: number | null };
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const pollMs = 500;

function reportLines(run: RunView): string[] {
  const { counts } = run;
  const lines = [
    `${run.status === 'succeeded' ? 'harvested' : 'FAILED'}: ${run.id} (${run.progress.pages} pages, ${run.progress.fetched} records)`,
    `  new ${counts.new}, changed ${counts.changed}, unchanged ${counts.unchanged}, withdrawn ${counts.withdrawn}, failed ${counts.failed}`,
  ];
  if (run.error)
    lines.push(`  stopped: ${run.error}`, '  nothing was withdrawn: the catalogue was not read to its end');
  for (const failure of run.failures.slice(0, 20)) lines.push(`  ✗ ${failure.record}: ${failure.reason}`);
  if (run.failures.length > 20) lines.push(`  … and ${counts.failed - 20} more (see --json)`);
  for (const entry of run.unmappedLicences ?? []) {
    lines.push(
      `  licence not mapped to SPDX: ${entry.licence} (${entry.records} records, ${entry.keptOpen} kept open)`,
    );
  }
  for (const flagged of run.nonConforming ?? []) {
    const [first] = flagged.violations;
    lines.push(
      `  ⚠ ${flagged.record}: kept, but its DCAT-AP 3 record breaks ${flagged.violations.length} shape(s)` +
        (first ? `; ${first.path}: ${first.message}` : ''),
    );
  }
  return lines;
}

/** `stp harvest …`: register CKAN portals and DCAT catalogues, run them, read their reports. */
export function registerHarvestCommands(program: Command): void {
  const harvest = program
    .command('harvest')
    .description('import dataset metadata from CKAN portals and DCAT catalogues');

  withClientFlags(
    harvest
      .command('add <kind> <url>')
      .description('register a source: kind ckan (portal root) or dcat (catalogue URL)'),
  )
    .option('--name <name>', 'a name for the source (default: its host)')
    .option('--every <hours>', 'run every so many hours (default: manual runs only)')
    .option('--fq <filter>', 'CKAN: a package_search filter, e.g. tags:transport')
    .option('--organization <name>', "CKAN: only this organisation's packages")
    .option('--page-size <rows>', 'CKAN: packages per page (default 100)')
    .option('--format <format>', 'DCAT: json-ld, turtle or rdf-xml when the server does not say')
    .action(
      async (
        kind: string,
        url: string,
        options: ClientOptions & {
          name?: string;
          every?: string;
          fq?: string;
          organization?: string;
          pageSize?: string;
          format?: string;
        },
      ) => {
        if (kind !== 'ckan' && kind !== 'dcat')
          throw new ConfigError(`kind must be ckan or dcat, got ${kind}`);
        const number = (value: string | undefined, flag: string) => {
          if (value === undefined) return undefined;
          const parsed = Number(value);
          if (!Number.isInteger(parsed) || parsed < 1)
            throw new ConfigError(`${flag} must be a whole number ≥ 1`);
          return parsed;
        };
        const client = await apiClient(options);
        const source = await client.request<SourceView>('POST', '/v1/harvest-sources', {
          kind,
          url,
          name: options.name ?? (URL.canParse(url) ? new URL(url).host : url),
          intervalHours: number(options.every, '--every') ?? null,
          options: {
            fq: options.fq,
            organization: options.organization,
            pageSize: number(options.pageSize, '--page-size'),
            format: options.format,
          },
        });
        emit(options.json === true, source, () => [
          `registered ${source.id} (${source.kind} ${source.url})`,
          source.intervalHours
            ? `  runs every ${source.intervalHours} h`
            : `  run it with: stp harvest run ${source.id}`,
        ]);
      },
    );

  withClientFlags(
    harvest.command('run <sourceId>').description('run a source now and print its report'),
  ).action(async (sourceId: string, options: ClientOptions) => {
    const client = await apiClient(options);
    const json = options.json === true;
    let run = await client.request<RunView>('POST', `/v1/harvest-sources/${sourceId}/runs?wait=false`);
    const bar = progressBar(`harvesting ${sourceId}`, json);
    try {
      while (run.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        run = await client.request<RunView>('GET', `/v1/harvest-sources/${sourceId}/runs/${run.id}`);
        // The total is the source's own count; a catalogue that does not say grows as pages come.
        bar.update(run.progress.fetched, run.progress.total ?? run.progress.fetched + 1);
      }
    } finally {
      bar.stop();
    }
    emit(json, run, () => reportLines(run));
    if (run.status === 'failed') process.exitCode = 1;
  });

  withClientFlags(
    harvest.command('list [sourceId]').description("your organisation's sources, or one source's runs"),
  ).action(async (sourceId: string | undefined, options: ClientOptions) => {
    const client = await apiClient(options);
    if (sourceId) {
      const { items } = await client.request<{ items: RunView[] }>(
        'GET',
        `/v1/harvest-sources/${sourceId}/runs`,
      );
      emit(options.json === true, items, () =>
        table(
          items.map((run) => ({ ...run, ...run.counts, pages: run.progress.pages })),
          ['id', 'status', 'startedAt', 'pages', 'new', 'changed', 'unchanged', 'withdrawn', 'failed'],
        ),
      );
      return;
    }
    const { items } = await client.request<{ items: SourceView[] }>('GET', '/v1/harvest-sources?limit=200');
    emit(options.json === true, items, () =>
      table(
        items.map((source) => ({
          ...source,
          every: source.intervalHours ? `${source.intervalHours}h` : 'manual',
        })),
        ['id', 'kind', 'name', 'status', 'every', 'nextRunAt', 'url'],
      ),
    );
  });
}
