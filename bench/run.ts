/**
 * `npm run bench [-- name…]`: runs each benchmark in bench/<name>.ts in its own process, so one
 * benchmark's warm caches and garbage do not colour the next. Each prints its figures and writes
 * them to bench/results/<name>.json.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export function availableBenchmarks(): string[] {
  return (
    readdirSync(here)
      // The soak runs for minutes and has its own script (`npm run soak`).
      .filter((file) => file.endsWith('.ts') && !['run.ts', 'report.ts', 'soak.ts'].includes(file))
      .map((file) => file.replace(/\.ts$/, ''))
  );
}

export async function runBenchmarks(names: string[]): Promise<void> {
  const chosen = names.length > 0 ? names : availableBenchmarks();
  for (const name of chosen) {
    if (!availableBenchmarks().includes(name)) {
      throw new Error(`no benchmark "${name}"; there are: ${availableBenchmarks().join(', ')}`);
    }
    process.stdout.write(`\n== ${name} ==\n`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', `${here}${name}.ts`], { stdio: 'inherit' });
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`benchmark ${name} exited with ${code}`)),
      );
    });
  }
}
