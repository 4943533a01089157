import { Readable } from 'node:stream';
import { csvField } from '../infra/csv.js';
import type { CreateDatasetInput, DatasetEntry, DatasetService } from '../modules/catalog/datasets.js';
import type { Classification } from '../modules/catalog/schema.js';
import type { Principal } from '../modules/identity/principal.js';

export type CsvValue = string | number | boolean | null;

export interface DemoColumn {
  name: string;
  classification: Classification;
  description: string;
}

/** A demo dataset as the seeders describe it: metadata, columns with their confirmed classes, rows. */
export interface DemoDatasetSpec {
  metadata: CreateDatasetInput & { slug: string };
  columns: DemoColumn[];
  rows: () => CsvValue[][];
}

export function csvOf(columns: { name: string }[], rows: CsvValue[][]): string {
  const lines = [columns.map((column) => column.name), ...rows].map((row) => row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

export async function findOwnDataset(
  datasets: DatasetService,
  owner: Principal,
  slug: string,
): Promise<DatasetEntry | null> {
  let cursor: string | undefined;
  do {
    const page = await datasets.list(owner, { orgId: owner.orgId, limit: 100, cursor });
    const found = page.items.find((entry) => entry.dataset.slug === slug);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
}

/**
 * Brings one demo dataset to published with confirmed classifications, resuming where an earlier
 * run stopped (created but not uploaded, uploaded but not confirmed…). Returns whether it was created.
 */
export async function ensureDemoDataset(
  datasets: DatasetService,
  owner: Principal,
  spec: DemoDatasetSpec,
): Promise<{ entry: DatasetEntry; isNew: boolean }> {
  const found = await findOwnDataset(datasets, owner, spec.metadata.slug);
  let entry = found ?? (await datasets.create(owner, spec.metadata));
  const id = entry.dataset.id;
  if (!entry.currentVersion) {
    entry = await datasets.addVersion(owner, id, {
      stream: Readable.from([Buffer.from(csvOf(spec.columns, spec.rows()), 'utf8')]),
      filename: `${spec.metadata.slug}.csv`,
      format: 'csv',
    });
  }
  if (!entry.currentVersion?.confirmedAt) {
    // Every column confirmed by name: the classifier's suggestions are a starting point, not a decision.
    await datasets.confirmClassifications(owner, id, {
      columns: Object.fromEntries(spec.columns.map((column) => [column.name, column.classification])),
      descriptions: Object.fromEntries(spec.columns.map((column) => [column.name, column.description])),
    });
  }
  if (entry.dataset.status !== 'published') await datasets.publish(owner, id);
  return { entry: await datasets.get(owner, id), isNew: !found };
}
