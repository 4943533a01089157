import { readFile, writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config-error.js';
import { apiClient, withClientFlags } from './client.js';
import { emit, progressBar, table } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
  lab: string;
}

type JobView = {
  id: string;
  labId: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  epsilon: number;
  delta: number;
  specSha256: string;
  error: { code: string; detail: string } | null;
  modelId: string | null;
  createdAt: string;
};

type ModelView = {
  id: string;
  name: string;
  version: number;
  state: string;
  card: {
    kind: string;
    intercept: number;
    coefficients: Record<string, number>;
    metrics: Record<string, number>;
    privacy: { epsilon: number; delta: number; mechanism: string };
  } | null;
  createdAt: string;
};

type TwinView = {
  id: string;
  labId: string;
  datasetName: string;
  versionId: string;
  state: 'running' | 'ready' | 'failed' | 'refused';
  progress: number;
  epsilon: number;
  delta: number;
  error: { code: string; detail: string } | null;
  report: {
    rows: number;
    noisyRows: number;
    tree: [string, string][];
    marginals: { columns: string[]; cells: number; measuredError: number; statedBound?: number }[];
    privacy: Record<string, number | string>;
  } | null;
};

const pollMs = 500;

function twinLines(twin: TwinView): string[] {
  const lines = [`${twin.id}: ${twin.state} (${twin.datasetName}, ε ${twin.epsilon}, δ ${twin.delta})`];
  if (twin.error) lines.push(`  ${twin.error.code}: ${twin.error.detail}`);
  const report = twin.report;
  if (report) {
    lines.push(
      `  ${report.rows} rows; tree ${report.tree.map(([a, b]) => `${a}→${b}`).join(', ') || '(one column)'}`,
    );
    lines.push('  marginal                          measured L1 error (noisy)   stated 95% bound');
    for (const marginal of report.marginals) {
      lines.push(
        `  ${marginal.columns.join(' × ').padEnd(34)}${marginal.measuredError.toFixed(4).padEnd(28)}${
          marginal.statedBound === undefined ? '' : marginal.statedBound.toFixed(4)
        }`,
      );
    }
  }
  return lines;
}

function jobLines(job: JobView): string[] {
  const lines = [`${job.id}: ${job.state} (ε ${job.epsilon}, δ ${job.delta})`];
  if (job.error) lines.push(`  ${job.error.code}: ${job.error.detail}`);
  if (job.modelId)
    lines.push(`  model ${job.modelId} (stp lab models show ${job.modelId} --lab ${job.labId})`);
  return lines;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

interface PublishOptions extends ClientOptions {
  slug: string;
  title?: string;
  plan?: string;
  rate?: number;
  burst?: number;
  quota?: number;
  approval?: boolean;
  visibility?: string;
}

interface PublishedView {
  modelId: string;
  api: { id: string; slug: string; visibility: string };
  plan: { id: string; name: string; rateLimitPerSecond: number; burst: number; monthlyQuota: number | null };
}

function withLab(command: Command): Command {
  return withClientFlags(command).requiredOption('--lab <labId>', 'the lab (lab_…)');
}

/** Polls a job until it ends, with a progress bar at a terminal; exit code 1 unless it succeeded. */
async function watch(client: Awaited<ReturnType<typeof apiClient>>, first: JobView, json: boolean) {
  let job = first;
  const bar = progressBar(`training ${job.id}`, json);
  try {
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      job = await client.request<JobView>('GET', `/v1/labs/${job.labId}/jobs/${job.id}`);
      bar.update(Math.round(job.progress * 100), 100);
    }
  } finally {
    bar.stop();
  }
  emit(json, job, () => jobLines(job));
  if (job.state !== 'succeeded') process.exitCode = 1;
}

/** `stp lab jobs …` and `stp lab models …`: model development in a Data Lab. */
export function registerLabCommands(program: Command): void {
  const lab = program
    .command('lab')
    .description('Data Lab model development: training jobs, models and synthetic twins');
  const jobs = lab.command('jobs').description('training jobs (declarative JSON or YAML)');

  withLab(
    jobs
      .command('submit <file>')
      .description('submit a training job from a JSON or YAML file (schema: GET /v1/labs/job-schema)')
      .option('--watch', 'wait for the job with a progress bar'),
  ).action(async (file: string, options: ClientOptions & { watch?: boolean }) => {
    const text = await readFile(file, 'utf8').catch(() => {
      throw new ConfigError(`cannot read ${file}`);
    });
    let spec: unknown;
    try {
      spec = /\.ya?ml$/i.test(file) ? (await import('yaml')).parse(text) : JSON.parse(text);
    } catch (error) {
      throw new ConfigError(
        `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
      );
    }
    const client = await apiClient(options);
    const job = await client.request<JobView>('POST', `/v1/labs/${options.lab}/jobs`, spec);
    if (options.watch) return watch(client, job, options.json === true);
    emit(options.json === true, job, () => [
      ...jobLines(job),
      `  follow it with: stp lab jobs watch ${job.id} --lab ${job.labId}`,
    ]);
  });

  withLab(jobs.command('watch <jobId>').description('follow a job to its end')).action(
    async (jobId: string, options: ClientOptions) => {
      const client = await apiClient(options);
      await watch(
        client,
        await client.request<JobView>('GET', `/v1/labs/${options.lab}/jobs/${jobId}`),
        options.json === true,
      );
    },
  );

  withLab(jobs.command('cancel <jobId>').description('stop a queued or running job')).action(
    async (jobId: string, options: ClientOptions) => {
      const client = await apiClient(options);
      const job = await client.request<JobView>('POST', `/v1/labs/${options.lab}/jobs/${jobId}/cancel`);
      emit(options.json === true, job, () => jobLines(job));
    },
  );

  withLab(jobs.command('list').description("the lab's jobs")).action(async (options: ClientOptions) => {
    const client = await apiClient(options);
    const { items } = await client.request<{ items: JobView[] }>('GET', `/v1/labs/${options.lab}/jobs`);
    emit(options.json === true, items, () =>
      table(items, ['id', 'state', 'epsilon', 'modelId', 'createdAt']),
    );
  });

  withLab(
    lab
      .command('synth <dataset>')
      .description(
        "generate a differentially private synthetic twin of a lab dataset (its data owner pays from the owner's ε budget)",
      ),
  )
    .option('--epsilon <ε>', 'ε to spend (default: the lab default)', Number)
    .option('--delta <δ>', 'δ (default 1e-6)', Number)
    .option('--rows <n>', 'rows in the twin (default: as many as the dataset, noisy)', Number)
    .option('--out <file>', 'write the twin here (.parquet for Parquet, else CSV)')
    .action(
      async (
        dataset: string,
        options: ClientOptions & { epsilon?: number; delta?: number; rows?: number; out?: string },
      ) => {
        const client = await apiClient(options);
        const base = `/v1/labs/${options.lab}/datasets/${dataset}/twin`;
        let twin = await client.request<TwinView>('POST', base, {
          ...(options.epsilon === undefined ? {} : { epsilon: options.epsilon }),
          ...(options.delta === undefined ? {} : { delta: options.delta }),
          ...(options.rows === undefined ? {} : { rows: options.rows }),
        });
        const json = options.json === true;
        const bar = progressBar(`synthesising ${dataset}`, json);
        try {
          while (twin.state === 'running') {
            await new Promise((resolve) => setTimeout(resolve, pollMs));
            const status = await client.request<{ twin: TwinView | null }>('GET', base);
            if (status.twin?.id === twin.id) twin = status.twin;
            bar.update(Math.round(twin.progress * 100), 100);
          }
        } finally {
          bar.stop();
        }
        if (twin.state === 'ready' && options.out) {
          const format = options.out.endsWith('.parquet') ? 'parquet' : 'csv';
          const response = await fetch(`${client.url}${base}/data?format=${format}`, {
            headers: client.token ? { authorization: `Bearer ${client.token}` } : {},
          });
          if (!response.ok)
            throw new ConfigError(`the twin could not be downloaded (HTTP ${response.status})`);
          await writeFile(options.out, Buffer.from(await response.arrayBuffer()));
        }
        emit(json, twin, () => [
          ...twinLines(twin),
          ...(twin.state === 'ready' && options.out ? [`  written to ${options.out}`] : []),
        ]);
        if (twin.state !== 'ready') process.exitCode = 1;
      },
    );

  const models = lab.command('models').description('trained models and their cards');
  withLab(models.command('list').description("the lab's models")).action(async (options: ClientOptions) => {
    const client = await apiClient(options);
    const { items } = await client.request<{ items: ModelView[] }>('GET', `/v1/labs/${options.lab}/models`);
    emit(options.json === true, items, () => table(items, ['id', 'name', 'version', 'state', 'createdAt']));
  });

  withLab(models.command('show <modelId>').description("a model's card")).action(
    async (modelId: string, options: ClientOptions) => {
      const client = await apiClient(options);
      const model = await client.request<ModelView>('GET', `/v1/labs/${options.lab}/models/${modelId}`);
      emit(options.json === true, model, () => {
        const lines = [`${model.name} v${model.version} (${model.id}): ${model.state}`];
        if (!model.card) return [...lines, '  the card is shown once the model is released'];
        const { card } = model;
        lines.push(
          `  ${card.kind}, ${card.privacy.mechanism}, ε ${card.privacy.epsilon.toFixed(3)}, δ ${card.privacy.delta}`,
        );
        lines.push(`  intercept ${card.intercept.toPrecision(4)}`);
        for (const [name, value] of Object.entries(card.coefficients))
          lines.push(`  ${name} ${value.toPrecision(4)}`);
        for (const [name, value] of Object.entries(card.metrics))
          lines.push(`  ${name} (noisy) ${Number(value).toPrecision(4)}`);
        return lines;
      });
    },
  );

  withLab(
    models
      .command('publish <modelId>')
      .description(
        'publish a released model as an API in the hub, answering POST /gw/{slug}/predict (lab owner)',
      ),
  )
    .requiredOption('--slug <slug>', 'its address under /gw/')
    .option('--title <title>', "the API's title (default: the model's name and the lab's)")
    .option('--plan <name>', "the first plan's name", 'standard')
    .option('--rate <perSecond>', 'calls a second the plan allows', wholeNumber)
    .option('--burst <calls>', 'the burst the plan allows (default: twice the rate)', wholeNumber)
    .option('--quota <calls>', 'calls a month the plan allows (default: unlimited)', wholeNumber)
    .option('--approval', 'subscriptions wait for your approval')
    .addOption(
      new Option('--visibility <who>', 'who sees the API in the hub')
        .choices(['public', 'private', 'orgs'])
        .default('private'),
    )
    .action(async (modelId: string, options: PublishOptions) => {
      const client = await apiClient(options);
      const rate = options.rate ?? 10;
      const published = await client.request<PublishedView>(
        'POST',
        `/v1/labs/${options.lab}/models/${modelId}/publish`,
        {
          slug: options.slug,
          ...(options.title ? { title: options.title } : {}),
          visibility: options.visibility,
          plan: {
            name: options.plan,
            rateLimitPerSecond: rate,
            burst: options.burst ?? rate * 2,
            monthlyQuota: options.quota ?? null,
            requiresApproval: options.approval === true,
          },
        },
      );
      emit(options.json === true, published, () => [
        `published ${modelId} as ${published.api.slug} (${published.api.id}), ${published.api.visibility}`,
        `  plan ${published.plan.name} (${published.plan.id}): ${published.plan.rateLimitPerSecond}/s, burst ${published.plan.burst}, ${published.plan.monthlyQuota ?? 'unlimited'} a month`,
        `  calls: POST /gw/${published.api.slug}/predict with X-API-Key, body {"rows": [...]}`,
      ]);
    });

  withLab(
    models
      .command('unpublish <modelId>')
      .description('retire a published model’s API at once: predict answers 410 (lab owner)'),
  )
    .option('--reason <text>', 'why, on the ledger and in the notice to its callers')
    .action(async (modelId: string, options: ClientOptions & { reason?: string }) => {
      const client = await apiClient(options);
      const retired = await client.request<{ apiId: string; slug: string }>(
        'POST',
        `/v1/labs/${options.lab}/models/${modelId}/unpublish`,
        options.reason ? { reason: options.reason } : {},
      );
      emit(options.json === true, retired, () => [
        `unpublished ${modelId}: ${retired.slug} (${retired.apiId}) is retired; POST /gw/${retired.slug}/predict answers 410`,
      ]);
    });

  withLab(models.command('download <modelId>').description('a released model card as JSON on stdout')).action(
    async (modelId: string, options: ClientOptions) => {
      const client = await apiClient(options);
      const card = await client.request<unknown>(
        'GET',
        `/v1/labs/${options.lab}/models/${modelId}/card.json`,
      );
      process.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
    },
  );
}
