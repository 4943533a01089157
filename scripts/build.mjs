#!/usr/bin/env node
/**
 * Compiles every TypeScript file under src/ (tests excepted) to JavaScript under dist/, file by
 * file with esbuild, keeping the directory layout: dist/x/y.js is src/x/y.ts, at the same depth,
 * so paths resolved from `import.meta.url` (migrations, package.json, the portal) hold in both.
 * Every file, not only those the CLI reaches: scripts started with child_process.fork exist too.
 *
 * `npm install` runs it (prepare), as do `npm start` and `npm test` (only when a source is newer
 * than the last build: `node scripts/build.mjs --if-stale`). Type checking stays with `tsc --noEmit`.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const sourceDir = path.join(root, 'src');
const outDir = path.join(root, 'dist');
const stamp = path.join(outDir, '.built');

function sources(directory) {
  const found = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...sources(full));
    else if (/\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name)) found.push(full);
  }
  return found;
}

/** True when dist/ is missing or older than a source file (or than this script). */
export function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = [...sources(sourceDir), fileURLToPath(import.meta.url)];
  return inputs.some((file) => statSync(file).mtimeMs > built);
}

export async function compile() {
  // Build beside dist/, then swap by rename: a process already running from dist/ (another test
  // run) keeps its files, and dist/ never holds a half-written build.
  const staging = `${outDir}.building-${process.pid}`;
  const previous = `${outDir}.previous-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const entryPoints = sources(sourceDir);
    await build({
      entryPoints,
      outdir: staging,
      outbase: sourceDir,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    });
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, '.built'), `${entryPoints.length} files from src/\n`);
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    return entryPoints.length;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
}

/**
 * `npx stp` runs node_modules/.bin/stp, linked here to bin/stp.js. The package declares no `bin` of
 * its own on purpose: for a package's own bin, npm exec loads the whole installed tree and installs
 * the package into its npx cache on every call (about a second on two cores); a plain link in
 * node_modules/.bin is run directly, so `npx stp` costs only npm's own start.
 */
export function linkCli() {
  const bin = path.join(root, 'node_modules', '.bin');
  if (!existsSync(path.join(root, 'node_modules'))) return;
  mkdirSync(bin, { recursive: true });
  const link = path.join(bin, 'stp');
  const target = path.relative(bin, path.join(root, 'bin', 'stp.js'));
  try {
    if (readlinkSync(link) === target) return;
    rmSync(link, { force: true });
  } catch {
    rmSync(link, { force: true });
  }
  symlinkSync(target, link);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  linkCli();
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  const started = performance.now();
  const count = await compile();
  const quiet = process.argv.includes('--quiet');
  if (!quiet) {
    console.log(`built dist/ from src/: ${count} files in ${Math.round(performance.now() - started)} ms`);
  }
  // The migrated embedded database a new DATA_DIR starts from (src/db/template.ts): made here, at
  // install, so a fresh clone's first start does not initialise PostgreSQL in WebAssembly.
  const templateStarted = performance.now();
  const { ensureTemplate, serverTemplateFile } = await import(
    pathToFileURL(path.join(outDir, 'db', 'template.js')).href
  );
  const template = await ensureTemplate(serverTemplateFile());
  if (template.created && !quiet) {
    console.log(
      `made the embedded database template in ${Math.round(performance.now() - templateStarted)} ms`,
    );
  }
}
