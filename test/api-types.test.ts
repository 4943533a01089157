import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { apiTypesFile, renderApiTypes } from '../scripts/openapi-types.js';
import { createTestPlatform } from './harness.js';

/** The first line where two texts part, with its number, or undefined when they are the same. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const b = expected.split('\n');
  const line = b.findIndex((text, i) => a[i] !== text);
  const at = line === -1 ? b.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '(end)')}, generated ${JSON.stringify(b[at] ?? '(end)')}`;
}

it('web/src/api-schema.d.ts is what `npm run api:types` generates from the OpenAPI document', async () => {
  const platform = await createTestPlatform('pglite');
  try {
    const generated = await renderApiTypes(platform.app.swagger());
    const committed = await readFile(apiTypesFile, 'utf8');
    expect(
      firstDifference(committed, generated),
      'the portal API types are stale: run npm run api:types',
    ).toBeUndefined();
  } finally {
    await platform.dispose();
  }
  // One platform and one generation; on a loaded two-core machine that can pass the default minute.
}, 120_000);
