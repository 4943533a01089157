import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/errors.js';

describe('error catalogue', () => {
  it('matches docs/errors.md code for code and status for status', async () => {
    const doc = await readFile(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const documented = Object.fromEntries(
      [...doc.matchAll(/^\| `([a-z-]+)`\s*\| (\d{3})\s*\|/gm)].map((match) => [match[1], Number(match[2])]),
    );
    const coded = Object.fromEntries(
      Object.entries(errorCatalogue).map(([code, entry]) => [code, entry.status]),
    );
    expect(documented).toEqual(coded);
  });

  it('uses kebab-case nouns for codes', () => {
    for (const code of Object.keys(errorCatalogue)) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
