import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The `stp` entry point the tests run as a child process, as a user would. */
export const stp = path.resolve('bin/stp.js');

/** The CLI under test talks to the server its test starts: never to what the parent's env points at. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, REDIS_URL: _redis, STP_URL: _url, STP_TOKEN: _token, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'silent', ...extra };
}

export interface CliResult {
  /** The exit code; null when the process was killed (the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `stp …` and returns its exit code and output, whether it succeeded or not. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [stp, ...args], {
      env: childEnv(env),
      // Seeding the demo in a fresh process (compile, database, datasets, lab) is the slowest command.
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number | null; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
