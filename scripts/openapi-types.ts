import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { loadConfig } from '../src/config.js';
import { createPlatform } from '../src/platform.js';

/** Where the portal's generated types live; `npm run api:types` writes it, test/api-types.test.ts checks it. */
export const apiTypesFile = new URL('../web/src/api-schema.d.ts', import.meta.url);

const banner = [
  '// The platform API as TypeScript types, generated from its OpenAPI document by openapi-typescript.',
  '// Do not edit: run `npm run api:types` after changing a route schema.',
  '',
].join('\n');

/** The portal's types for an OpenAPI document: `paths` by path and method, `components` by schema. */
export async function renderApiTypes(document: unknown): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3);
  return banner + astToString(ast);
}

/**
 * The platform's own OpenAPI document, from an app built in process on an embedded database in
 * memory: nothing listens, and nothing outlives the call but the document.
 */
export async function buildOpenApiDocument(dataDir: string): Promise<unknown> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, {});
  const platform = await createPlatform(config, { pgliteDir: 'memory://' });
  try {
    await platform.app.ready();
    return platform.app.swagger();
  } finally {
    await platform.close();
  }
}
