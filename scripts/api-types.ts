import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { apiTypesFile, buildOpenApiDocument, renderApiTypes } from './openapi-types.js';

// Writes the portal's API types from the platform's OpenAPI document; test/api-types.test.ts fails when they are stale.
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'stp-api-types-'));
try {
  await writeFile(apiTypesFile, await renderApiTypes(await buildOpenApiDocument(dataDir)));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
