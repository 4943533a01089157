#!/usr/bin/env node
/**
 * Where the test suite spends its time, from Vitest's JSON report.
 *
 *   npm run test:profile                       runs `vitest run` (all files) with the JSON reporter,
 *   npm run test:profile -- test/cli.test.ts   or only the files given, then prints the report;
 *   node scripts/test-profile.mjs --report r.json [--top 10] [--files-only]
 *                                              prints an existing report (what .ci/run does);
 *   … --record-durations                       also writes each file's seconds into
 *                                              test/durations.json (merged: other files keep theirs),
 *                                              which test/sequencer.ts reads to start the longest first.
 *
 * Prints the slowest files (wall time of the file, set-up included) and the slowest tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
function take(flag) {
  const at = args.indexOf(flag);
  if (at === -1) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
}
const top = Number(take('--top') ?? 20);
const existing = take('--report');
const filesOnly = args.includes('--files-only');
if (filesOnly) args.splice(args.indexOf('--files-only'), 1);
const recordDurations = args.includes('--record-durations');
if (recordDurations) args.splice(args.indexOf('--record-durations'), 1);

let report;
let status = 0;
if (existing) {
  report = JSON.parse(readFileSync(existing, 'utf8'));
} else {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stp-profile-'));
  const out = path.join(dir, 'report.json');
  const vitest = path.resolve(import.meta.dirname, '../node_modules/vitest/vitest.mjs');
  const run = spawnSync(
    process.execPath,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args],
    { stdio: 'inherit' },
  );
  status = run.status ?? 1;
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    console.error('no JSON report was written; see the output above');
    process.exit(status || 1);
  }
  rmSync(dir, { recursive: true, force: true });
}

const root = process.cwd();
const seconds = (ms) => `${(ms / 1000).toFixed(1).padStart(7)} s`;
const name = (file) => path.relative(root, file);

const files = report.testResults
  .map((file) => ({
    file: name(file.name),
    ms: file.endTime - file.startTime,
    tests: file.assertionResults.length,
  }))
  .sort((a, b) => b.ms - a.ms);
const total = files.reduce((sum, file) => sum + file.ms, 0);
console.log(
  `\nSlowest ${Math.min(top, files.length)} of ${files.length} test files (sum of all files ${seconds(total).trim()}):`,
);
for (const file of files.slice(0, top))
  console.log(`${seconds(file.ms)}  ${String(file.tests).padStart(4)} tests  ${file.file}`);

if (recordDurations) {
  const durationsFile = path.join(root, 'test', 'durations.json');
  const recorded = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, 'utf8')) : {};
  // A failed file may have stopped early: its time says nothing about a full run of it.
  const passed = new Set(
    report.testResults.filter((file) => file.status === 'passed').map((file) => name(file.name)),
  );
  for (const file of files) if (passed.has(file.file)) recorded[file.file] = Math.round(file.ms / 100) / 10;
  const sorted = Object.fromEntries(Object.entries(recorded).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(durationsFile, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`\nrecorded ${passed.size} files' seconds in ${name(durationsFile)}`);
}

if (!filesOnly) {
  const tests = report.testResults
    .flatMap((file) =>
      file.assertionResults.map((test) => ({
        title: test.fullName,
        file: name(file.name),
        ms: test.duration ?? 0,
      })),
    )
    .sort((a, b) => b.ms - a.ms);
  console.log(`\nSlowest ${Math.min(top, tests.length)} of ${tests.length} tests:`);
  for (const test of tests.slice(0, top)) console.log(`${seconds(test.ms)}  ${test.file} › ${test.title}`);
}
process.exit(status);
