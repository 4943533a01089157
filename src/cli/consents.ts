import { open, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { ConfigError } from '../config-error.js';
import { purposes } from '../modules/access/vocabulary.js';
import { consentStates } from '../modules/consent/vocabulary.js';
import { ApiError, apiClient, unreachable, withClientFlags } from './client.js';
import { emit, progressBar, table } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface ConsentView {
  id: string;
  subjectKey: string;
  purpose: string;
  granteeOrgId: string | null;
  datasetIds: string[];
  apiIds: string[];
  grantedAt: string;
  expiresAt: string | null;
  state: string;
  evidence: string | null;
}

interface ImportResult {
  importId: string;
  imported: number;
  sha256: string;
}

/**
 * Sends a consent file as a text/csv body, streamed from disk with its length known up front, so a
 * file over the server's limit is refused before it is sent and the bar shows real progress.
 */
async function uploadConsents(
  options: ClientOptions,
  file: string,
  onProgress: (sent: number, total: number) => void,
): Promise<ImportResult> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new ConfigError(`cannot read ${file}: not a regular file`);
    const size = stats.size;
    async function* body(): AsyncGenerator<Uint8Array> {
      let sent = 0;
      onProgress(0, size);
      for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false })) {
        sent += (chunk as Buffer).length;
        onProgress(sent, size);
        yield chunk as Buffer;
      }
      if (sent !== size) throw new ConfigError(`${file} changed while it was being uploaded`);
    }
    const client = await apiClient(options);
    const response = await fetch(`${client.url}/v1/consents/import`, {
      method: 'POST',
      headers: {
        accept: 'application/json, application/problem+json',
        'content-type': 'text/csv; charset=utf-8',
        'content-length': String(size),
        ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
      },
      body: body(),
      duplex: 'half',
    } as RequestInit).catch((error: Error) => {
      if (error.cause instanceof ConfigError) throw error.cause;
      throw unreachable(client.url, error);
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { detail: text.trim() || `HTTP ${response.status}` };
    }
    if (!response.ok) throw new ApiError(response.status, parsed as ApiError['problem']);
    return parsed as ImportResult;
  } finally {
    await handle.close();
  }
}

/** `stp consents …`: a provider's register of its data subjects' consents. */
export function registerConsentCommands(program: Command): void {
  const consents = program
    .command('consents')
    .description("consents of your organisation's data subjects: import, list, revoke, receipts");

  withClientFlags(
    consents
      .command('import <file>')
      .description(
        'import consents from a CSV file, all lines or none; columns: subject_key, purpose and optionally ' +
          'grantee_org_id, dataset_ids, api_ids, granted_at, expires_at, evidence',
      ),
  ).action(async (file: string, options: ClientOptions) => {
    const json = options.json === true;
    const bar = progressBar('upload', json);
    let result: ImportResult;
    try {
      result = await uploadConsents(options, file, (sent, total) => {
        bar.update(sent, total);
        if (sent === total && !json && process.stderr.isTTY) {
          bar.stop();
          process.stderr.write('checking every line on the server…\n');
        }
      });
    } catch (error) {
      bar.stop();
      // Every faulty line the server listed, not only the first: the file is fixed in one go.
      const listed = error instanceof ApiError ? error.problem.errors : undefined;
      if (!json && Array.isArray(listed)) {
        for (const entry of listed as { field: string; message: string }[]) {
          process.stderr.write(`  ${entry.field}: ${entry.message}\n`);
        }
      }
      throw error;
    }
    emit(json, result, () => `imported ${result.imported} consents from ${file} (import ${result.importId})`);
  });

  withClientFlags(consents.command('list').description("list your organisation's consents"))
    .option('--subject <subjectKey>', "one data subject's consents")
    .addOption(new Option('--purpose <purpose>', 'one purpose').choices(purposes))
    .option('--grantee <orgId>', 'consents granted to this organisation')
    .addOption(new Option('--state <state>', 'live, expired or revoked').choices(consentStates))
    .option('--limit <n>', 'page size', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        options: ClientOptions & {
          subject?: string;
          purpose?: string;
          grantee?: string;
          state?: string;
          limit: string;
          cursor?: string;
        },
      ) => {
        const client = await apiClient(options);
        const query = new URLSearchParams({ limit: options.limit });
        if (options.subject) query.set('subjectKey', options.subject);
        if (options.purpose) query.set('purpose', options.purpose);
        if (options.grantee) query.set('granteeOrgId', options.grantee);
        if (options.state) query.set('state', options.state);
        if (options.cursor) query.set('cursor', options.cursor);
        const page = await client.request<{ items: ConsentView[]; nextCursor: string | null }>(
          'GET',
          `/v1/consents?${query}`,
        );
        emit(options.json === true, page, () => {
          const rows = page.items.map((consent) => ({
            ...consent,
            subject: consent.subjectKey,
            grantee: consent.granteeOrgId ?? 'any',
            covers: [...consent.datasetIds, ...consent.apiIds].join(' ') || 'all',
            expires: consent.expiresAt ?? 'never',
          }));
          const lines = [table(rows, ['id', 'subject', 'purpose', 'grantee', 'covers', 'state', 'expires'])];
          if (page.nextCursor) lines.push(`more: --cursor ${page.nextCursor}`);
          return lines;
        });
      },
    );

  withClientFlags(
    consents
      .command('revoke <consentId>')
      .description('revoke a consent; queries stop showing the subject from their next run'),
  )
    .requiredOption('--reason <reason>', 'why, recorded in the ledger')
    .action(async (consentId: string, options: ClientOptions & { reason: string }) => {
      const client = await apiClient(options);
      const consent = await client.request<ConsentView>(
        'POST',
        `/v1/consents/${encodeURIComponent(consentId)}/revoke`,
        { reason: options.reason },
      );
      emit(
        options.json === true,
        consent,
        () => `revoked ${consent.id} (${consent.subjectKey}, ${consent.purpose})`,
      );
    });

  withClientFlags(
    consents
      .command('receipt <subjectKey>')
      .description("a data subject's consent receipt (Kantara Consent Receipt 1.1 JSON)"),
  )
    .option('--out <file>', 'write it to a file instead of standard output')
    .action(async (subjectKey: string, options: ClientOptions & { out?: string }) => {
      const client = await apiClient(options);
      const receipt = await client.request<unknown>(
        'GET',
        `/v1/consents/receipts/${encodeURIComponent(subjectKey)}`,
      );
      const text = `${JSON.stringify(receipt, null, 2)}\n`;
      if (options.out) {
        await writeFile(options.out, text);
        emit(options.json === true, { file: options.out }, () => `wrote the receipt to ${options.out}`);
      } else {
        process.stdout.write(text);
      }
    });
}
