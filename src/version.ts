import { readFileSync } from 'node:fs';

/** The platform's version, from package.json (one source of truth). */
export const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
