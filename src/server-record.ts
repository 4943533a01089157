import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './infra/atomic-files.js';

/**
 * `stp serve` records where it listens in its data directory, so the CLI run from the same
 * directory (or with the same `DATA_DIR`) talks to it without being told the port.
 */
export interface ServerRecord {
  url: string;
  pid: number;
  startedAt: string;
}

export function serverRecordPath(dataDir: string): string {
  return path.join(dataDir, 'server.json');
}

export async function writeServerRecord(dataDir: string, url: string): Promise<void> {
  const record: ServerRecord = { url, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFileAtomic(serverRecordPath(dataDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record when it is this process's own (another server may have started since). */
export async function removeServerRecord(dataDir: string): Promise<void> {
  const file = serverRecordPath(dataDir);
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerRecord>;
    if (record.pid === process.pid) await rm(file, { force: true });
  } catch {
    // No record, or not readable: nothing of ours to remove.
  }
}

/**
 * The URL of the platform started from this directory (or the `DATA_DIR` in the environment), while
 * the process that recorded it is alive; a record left by a server that died is ignored.
 */
export function localServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dataDir = path.resolve(env.DATA_DIR?.trim() || './data');
  let record: Partial<ServerRecord>;
  try {
    record = JSON.parse(readFileSync(serverRecordPath(dataDir), 'utf8')) as Partial<ServerRecord>;
  } catch {
    return undefined;
  }
  if (typeof record.url !== 'string' || typeof record.pid !== 'number') return undefined;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's process.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return record.url;
}
