import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Declaration } from '../modules/declarations/format.js';
import { ApiError, apiClient, withClientFlags } from './client.js';
import type { DeclarationFile } from './declaration-file.js';
import { emit } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}
interface Change {
  action: 'create' | 'update' | 'delete';
  kind: string;
  key: string;
  fields: FieldChange[];
}
interface Note {
  kind: string;
  key: string;
  note: string;
}
interface PlanView {
  organisation: string;
  hash: string;
  changes: Change[];
  notes: Note[];
}
interface DriftView {
  organisation: string;
  lastApply: { hash: string; appliedAt: string; isComplete: boolean } | null;
  drift: { drift: 'changed' | 'added' | 'removed'; kind: string; key: string; fields: FieldChange[] }[];
}

/** `stp plan` and `stp drift` exit with this when there is something to apply or something drifted (for CI). */
const exitWhenChanged = 2;

/** Webhook secrets from the environment, by the variables the file names; only those that are set. */
function secretsFor(declaration: Declaration, env = process.env): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const webhook of declaration.webhooks ?? []) {
    const value = env[webhook.secretEnv];
    if (value) secrets[webhook.secretEnv] = value;
  }
  return secrets;
}

/** A refusal that names a field of the declaration is pointed at its line. */
function located(error: unknown, source: DeclarationFile): unknown {
  if (!(error instanceof ApiError)) return error;
  const errors = error.problem.errors as { field?: string }[] | undefined;
  const field = errors?.[0]?.field;
  if (!field?.startsWith('declaration.')) return error;
  return new ApiError(error.status, {
    ...error.problem,
    detail: `${source.where(field)}: ${error.problem.detail ?? error.message}`,
  });
}

const show = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
const symbols = { create: '+', update: '~', delete: '-' } as const;

function changeLines(changes: Change[]): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    lines.push(`${symbols[change.action]} ${change.action} ${change.kind} ${change.key}`);
    for (const field of change.fields) {
      lines.push(
        change.action === 'create'
          ? `    ${field.field}: ${show(field.to)}`
          : `    ${field.field}: ${show(field.from)} → ${show(field.to)}`,
      );
    }
  }
  return lines;
}

function summaryOf(changes: Change[]): string {
  const count = (action: Change['action']) => changes.filter((change) => change.action === action).length;
  return `${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete`;
}

function planLines(plan: PlanView): string[] {
  const lines = [`plan for ${plan.organisation} (declaration ${plan.hash})`];
  if (plan.changes.length === 0) lines.push('no changes: the platform matches the file');
  else lines.push(...changeLines(plan.changes), summaryOf(plan.changes));
  for (const note of plan.notes) lines.push(`! ${note.kind} ${note.key}: ${note.note}`);
  return lines;
}

/** `stp plan`, `stp apply`, `stp export`, `stp drift`: an organisation's setup as a reviewed file. */
export function registerDeclarationCommands(program: Command): void {
  withClientFlags(
    program
      .command('plan')
      .description(
        'compare a declaration file with the platform: exits 2 when an apply would change something',
      ),
  )
    .option('-f, --file <file>', 'the declaration file (YAML)', 'stp.yaml')
    .option('--prune', 'also delete what the file no longer names (plans, webhooks, harvest sources)')
    .action(async (options: ClientOptions & { file: string; prune?: boolean }) => {
      const source = await (await import('./declaration-file.js')).readDeclarationFile(options.file);
      const client = await apiClient(options);
      const plan = await client
        .request<PlanView>('POST', '/v1/declarations/plan', {
          declaration: source.declaration,
          documents: source.documents,
          prune: options.prune === true,
        })
        .catch((error: unknown) => {
          throw located(error, source);
        });
      emit(options.json === true, plan, () => planLines(plan));
      if (plan.changes.length > 0) process.exitCode = exitWhenChanged;
    });

  withClientFlags(
    program
      .command('apply')
      .description(
        'apply a declaration file (organisation admins): in dependency order, stopping at the first refusal',
      ),
  )
    .option('-f, --file <file>', 'the declaration file (YAML)', 'stp.yaml')
    .option('--prune', 'also delete what the file no longer names (plans, webhooks, harvest sources)')
    .action(async (options: ClientOptions & { file: string; prune?: boolean }) => {
      const source = await (await import('./declaration-file.js')).readDeclarationFile(options.file);
      const client = await apiClient(options);
      const json = options.json === true;
      try {
        const result = await client.request<{
          organisation: string;
          hash: string;
          applied: Change[];
          notes: Note[];
        }>('POST', '/v1/declarations/apply', {
          declaration: source.declaration,
          documents: source.documents,
          secrets: secretsFor(source.declaration),
          prune: options.prune === true,
        });
        emit(json, result, () => [
          `applied ${source.file} to ${result.organisation} (declaration ${result.hash})`,
          ...(result.applied.length === 0
            ? ['no changes: the platform already matched the file']
            : [...changeLines(result.applied), summaryOf(result.applied)]),
          ...result.notes.map((note) => `! ${note.kind} ${note.key}: ${note.note}`),
        ]);
      } catch (error) {
        const problem = error instanceof ApiError ? error.problem : undefined;
        const applied = (problem as { applied?: Change[] } | undefined)?.applied;
        if (applied && !json) {
          process.stdout.write(
            `${[`applied before the refusal (${applied.length}):`, ...changeLines(applied)].join('\n')}\n`,
          );
        }
        if (applied && json) process.stdout.write(`${JSON.stringify(problem, null, 2)}\n`);
        throw located(error, source);
      }
    });

  withClientFlags(
    program
      .command('export')
      .description(
        "write your organisation's live state as a declaration file (and its OpenAPI documents beside it)",
      ),
  )
    .option('-o, --out <file>', 'where to write the file; the documents go to openapi/ beside it', 'stp.yaml')
    .action(async (options: ClientOptions & { out: string }) => {
      const client = await apiClient(options);
      const exported = await client.request<{ declaration: Declaration; documents: Record<string, string> }>(
        'GET',
        '/v1/declarations/export',
      );
      const dir = path.dirname(path.resolve(options.out));
      for (const [relative, text] of Object.entries(exported.documents)) {
        const target = path.resolve(dir, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, text);
      }
      const header =
        '# STP Platform declaration, exported from the live state. Schema: /v1/declarations/schema\n' +
        '# Webhook secrets are never exported: set each secretEnv variable before `stp apply`.\n';
      await writeFile(
        options.out,
        header + (await import('yaml')).stringify(exported.declaration, { lineWidth: 0 }),
      );
      const documents = Object.keys(exported.documents);
      emit(options.json === true, { file: options.out, documents }, () => [
        `wrote ${options.out}${documents.length > 0 ? ` and ${documents.length} OpenAPI document(s): ${documents.join(', ')}` : ''}`,
      ]);
    });

  withClientFlags(
    program
      .command('drift')
      .description('objects changed outside the declaration file since its last apply: exits 2 when any did'),
  ).action(async (options: ClientOptions) => {
    const client = await apiClient(options);
    const drift = await client.request<DriftView>('GET', '/v1/declarations/drift');
    emit(options.json === true, drift, () => {
      if (!drift.lastApply) return `no declaration file was applied to ${drift.organisation} yet`;
      const lines = [
        `drift of ${drift.organisation} since ${drift.lastApply.appliedAt} (declaration ${drift.lastApply.hash}${drift.lastApply.isComplete ? '' : ', stopped at a refusal'})`,
      ];
      if (drift.drift.length === 0) lines.push('no drift: nothing changed outside the file');
      for (const entry of drift.drift) {
        lines.push(`${entry.drift} ${entry.kind} ${entry.key}`);
        for (const field of entry.fields)
          lines.push(`    ${field.field}: ${show(field.from)} → ${show(field.to)}`);
      }
      return lines;
    });
    if (drift.drift.length > 0) process.exitCode = exitWhenChanged;
  });
}
