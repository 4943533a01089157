import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from './client.js';

/**
 * A migrated PGlite data directory kept as a tarball. Initialising PGlite (its initdb, in
 * WebAssembly) and applying every migration costs seconds; a new embedded database starts from a
 * copy of the template instead. The template is named by PGlite's version and the migrations' bytes,
 * so a changed migration or an upgraded PGlite makes a new one and a stale one is never used.
 *
 * `npm install` makes it (scripts/build.mjs) in node_modules/.cache/stp, so the first `npm start`
 * of a fresh clone does not pay for it; the tests make theirs once per run in the temporary
 * directory.
 */

/** The directory holding package.json, drizzle/ and node_modules/ (from src/ or dist/ alike). */
function packageRoot(): string {
  return path.resolve(migrationsFolder, '..');
}

/** The name that changes whenever a template made now would differ. */
export function templateKey(): string {
  const hash = createHash('sha256');
  const pgliteManifest = path.join(packageRoot(), 'node_modules/@electric-sql/pglite/package.json');
  hash.update(JSON.parse(readFileSync(pgliteManifest, 'utf8')).version);
  for (const file of readdirSync(migrationsFolder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()) {
    hash.update(path.relative(migrationsFolder, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the server keeps its template: the package's own cache directory. */
export function serverTemplateFile(): string {
  return path.join(packageRoot(), 'node_modules', '.cache', 'stp', `pglite-${templateKey()}.tar`);
}

/** Where the tests keep theirs (the temporary directory: shared by runs, never by releases). */
export function testTemplateFile(): string {
  return path.join(os.tmpdir(), `stp-pglite-template-${templateKey()}.tar`);
}

/** Makes the template at `file` unless it is there; written aside and renamed, so never half-made. */
export async function ensureTemplate(file: string): Promise<{ file: string; created: boolean }> {
  if (existsSync(file)) return { file, created: false };
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    await mkdir(path.dirname(file), { recursive: true });
    const staging = `${file}.${process.pid}`;
    await writeFile(staging, Buffer.from(await dump.arrayBuffer()));
    await rename(staging, file);
  } finally {
    await client.close();
  }
  return { file, created: true };
}

/** The server's template, if `npm install` (or an earlier start) made one for these migrations. */
export async function readServerTemplate(): Promise<Blob | undefined> {
  const file = serverTemplateFile();
  if (!existsSync(file)) return undefined;
  return new Blob([await readFile(file)]);
}
