#!/usr/bin/env node
// The `stp` command runs the compiled CLI in dist/ (built from src/ by `npm install`, `npm start`,
// `npm test` and `npm run build`). From a checkout not built yet, or with STP_FROM_SOURCE=1 (as
// `npm run dev` sets, to pick up edits at once), it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let runCli;
if (process.env.STP_FROM_SOURCE !== '1' && existsSync(compiled)) {
  ({ runCli } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli/main.ts'));
}
await runCli(process.argv);
