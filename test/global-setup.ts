import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.js';
import { ensureTemplate, testTemplateFile } from '../src/db/template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data directory (tarball) with every migration applied; see test/harness.ts. */
    pgliteTemplate: string;
    /** With DATABASE_URL: a PostgreSQL database with every migration applied, copied per platform. */
    postgresTemplate: string | undefined;
  }
}

const root = path.resolve(import.meta.dirname, '..');
const webDir = path.join(root, 'web');
const builtIndex = path.join(webDir, 'dist', 'index.html');

function newestChange(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestChange(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isPortalStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  const sources = [
    path.join(webDir, 'src'),
    path.join(webDir, 'index.html'),
    path.join(webDir, 'vite.config.ts'),
  ];
  return sources.some(
    (source) => (statSync(source).isDirectory() ? newestChange(source) : statSync(source).mtimeMs) > built,
  );
}

/**
 * The browser journeys (web/e2e) drive the built portal, so build it when its sources changed
 * since the last build, as `npm start` does.
 */
function buildPortal(): void {
  if (!isPortalStale()) return;
  // Build beside web/dist, add the new (content-hashed) assets, then swap index.html by rename: a
  // server already running (another test run) keeps finding the assets its index.html names.
  const staging = path.join(webDir, `dist.building-${process.pid}`);
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  try {
    execFileSync(process.execPath, [vite, 'build', webDir, '--outDir', staging, '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    const assets = path.join(webDir, 'dist', 'assets');
    mkdirSync(assets, { recursive: true });
    for (const file of readdirSync(path.join(staging, 'assets'))) {
      copyFileSync(path.join(staging, 'assets', file), path.join(assets, file));
    }
    renameSync(path.join(staging, 'index.html'), builtIndex);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Once per `npm test`: the compiled CLI and server (dist/) that tests start as processes, the
 * portal the journeys drive, and the migrated database template the test platforms copy.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  buildPortal();
  project.provide('pgliteTemplate', (await ensureTemplate(testTemplateFile())).file);
  const postgres = process.env.DATABASE_URL
    ? await migratedPostgresTemplate(process.env.DATABASE_URL)
    : undefined;
  project.provide('postgresTemplate', postgres?.name);
  return async () => {
    await postgres?.drop();
  };
}

/**
 * A database with every migration applied, made once per run on the PostgreSQL server the suites
 * use; each test platform's database is created from it (`create database … template …`).
 */
async function migratedPostgresTemplate(
  databaseUrl: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `stp_template_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  return { name, drop: () => admin(`drop database if exists ${name} with (force)`) };
}
