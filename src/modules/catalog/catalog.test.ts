import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { apis } from './schema.js';
import { CatalogService } from './service.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/openapi/${name}`, import.meta.url), 'utf8');

const swagger2 = fixture('swagger2-fx-rates.json');
const openapi30 = fixture('openapi30-building-energy.yaml');
const openapi31 = fixture('openapi31-clinic-slots.json');

/** A small OpenAPI 3.1 document with a title and one operation per summary given. */
function smallDocument(title: string, summaries: string[] = ['Say hello']) {
  return {
    openapi: '3.1.0',
    info: { title, version: '1.0.0' },
    servers: [{ url: 'https://upstream.test/base' }],
    paths: Object.fromEntries(
      summaries.map((summary, i) => [
        `/op${i}`,
        { get: { summary, operationId: `op${i}`, responses: { '200': { description: 'ok' } } } },
      ]),
    ),
  };
}

/** A generated document with `count` operations spread over paths and methods, as a large provider's. */
function largeDocument(count: number) {
  const methods = ['get', 'post', 'put', 'delete'];
  const paths: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) {
    const path = `/resources${Math.floor(i / 4)}/{id}`;
    paths[path] ??= { parameters: [{ $ref: '#/components/parameters/Id' }] };
    paths[path][methods[i % 4]!] = {
      operationId: `operation${i}`,
      summary: `Operation number ${i}`,
      tags: [`group${i % 25}`],
      responses: {
        '200': {
          description: 'ok',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Resource' } } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Large Provider Platform', version: '7.0.0' },
    servers: [{ url: 'https://large.provider.test' }],
    paths,
    components: {
      parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
      schemas: {
        Resource: {
          type: 'object',
          properties: { id: { type: 'string' }, parent: { $ref: '#/components/schemas/Resource' } },
        },
      },
    },
  };
}

describe.each(dbTargets)('API catalogue on %s', (target) => {
  let platform: TestPlatform;
  let operator: { cookie: string };
  let provider: Tenant;
  let otherProvider: Tenant;
  let consumer: Tenant;
  let partner: Tenant;

  const inject = (
    tenant: { headers?: { cookie: string }; cookie?: string } | { cookie: string },
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
  ) =>
    platform.app.inject({
      method,
      url,
      headers: { cookie: tenant.cookie! },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const importApi = (tenant: Tenant, payload: Record<string, unknown>) =>
    inject(tenant, 'POST', '/v1/apis', payload);

  async function publish(tenant: Tenant, payload: Record<string, unknown>) {
    const response = await importApi(tenant, payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; slug: string; currentVersion: { id: string } };
  }

  const apiCount = async () =>
    (await platform.database.db.select({ n: sql<number>`count(*)::int` }).from(apis))[0]!.n;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    operator = { cookie: await operatorCookie(platform) };
    provider = await createTenant(platform, { kinds: ['provider', 'consumer'] });
    otherProvider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    partner = await createTenant(platform, { kinds: ['consumer'] });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  describe('import', () => {
    it('publishes a Swagger 2.0 JSON document; the view hides storage internals', async () => {
      const response = await importApi(provider, { document: swagger2 });
      expect(response.statusCode, response.body).toBe(201);
      const api = response.json();
      expect(api).toMatchObject({
        orgId: provider.orgId,
        slug: 'harbour-bank-fx-rates',
        title: 'Harbour Bank FX Rates',
        visibility: 'private',
        upstreamUrl: 'https://fx.harbour-bank.test/v1',
        validateRequests: false,
        tags: ['rates', 'branches'],
        currentVersion: { version: '1.4.0', specFormat: 'swagger-2.0' },
        operationCount: 4,
      });
      expect(api.id).toMatch(/^api_/);
      expect(api.currentVersion.id).toMatch(/^apv_/);
      expect(api.operations).toContainEqual({
        method: 'POST',
        path: '/branches',
        operationId: 'reportBranchIssue',
        summary: 'Report an accessibility issue at a branch',
        tags: ['branches'],
      });
      expect(api.securitySchemes.bankOAuth.flows.clientCredentials.tokenUrl).toBe(
        'https://auth.harbour-bank.test/oauth/token',
      );
      expect(api.searchText).toBeUndefined();
      expect(api.currentVersionId).toBeUndefined();
    });

    it('publishes OpenAPI 3.0 YAML and serves the original text back as YAML', async () => {
      const api = await publish(provider, {
        document: openapi30,
        visibility: 'public',
        category: 'energy',
        tags: ['buildings', 'sustainability'],
      });
      const detail = (await inject(consumer, 'GET', `/v1/apis/${api.id}`)).json();
      expect(detail).toMatchObject({
        slug: 'science-park-building-energy',
        category: 'energy',
        tags: ['buildings', 'sustainability'],
        // A consumer is pointed at the gateway, never at the upstream.
        servers: ['/gw/science-park-building-energy'],
        currentVersion: { specFormat: 'openapi-3.0' },
      });
      const document = await inject(consumer, 'GET', `/v1/apis/${api.id}/openapi`);
      expect(document.statusCode).toBe(200);
      expect(document.headers['content-type']).toMatch(/^application\/yaml/);
      expect(document.body).not.toContain('energy.parkprop.test');
      expect(document.body).toContain('url: /gw/science-park-building-energy');
      const owners = await inject(provider, 'GET', `/v1/apis/${api.id}/openapi`);
      expect(owners.body).toBe(openapi30);
      const ownersDetail = (await inject(provider, 'GET', `/v1/apis/${api.id}`)).json();
      expect(ownersDetail.servers).toEqual([
        'https://hk.energy.parkprop.test/api',
        'http://localhost:8081/api',
      ]);
    });

    it('publishes OpenAPI 3.1 given as a JSON object, with an explicit slug and upstream', async () => {
      const api = await publish(provider, {
        document: JSON.parse(openapi31),
        slug: 'clinic-slots',
        upstreamUrl: 'http://slots.internal.test:8080/v2/',
      });
      const detail = (await inject(provider, 'GET', `/v1/apis/${api.id}`)).json();
      expect(detail).toMatchObject({
        slug: 'clinic-slots',
        upstreamUrl: 'http://slots.internal.test:8080/v2',
        currentVersion: { specFormat: 'openapi-3.1' },
        operationCount: 3,
      });
      const document = await inject(provider, 'GET', `/v1/apis/${api.id}/openapi`);
      expect(document.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(document.body)).toEqual(JSON.parse(openapi31));
    });

    it.each([
      ['a document without info', 'invalid-missing-info.yaml', '/info'],
      ['a malformed path item', 'invalid-path-item.json', '/paths/~1x/get/responses'],
      ['a YAML syntax error', 'invalid-yaml-syntax.yaml.txt', '/paths/~1ping/get/responses'],
      [
        'an external $ref to file:///etc/passwd',
        'invalid-external-ref-file.json',
        '/paths/~1secrets/get/responses/200/content/text~1plain/schema/$ref',
      ],
      [
        'an external $ref to an http URL',
        'invalid-external-ref-http.yaml',
        '/paths/~1metadata/get/responses/200/schema/$ref',
      ],
    ])(
      'refuses %s with 422 invalid-openapi and a pointer, leaving nothing behind',
      async (_what, name, pointer) => {
        const before = await apiCount();
        const head = await platform.audit.head();
        const response = await importApi(provider, { document: fixture(name) });
        expect(response.statusCode).toBe(422);
        const problem = problemOf(response) as ReturnType<typeof problemOf> & { pointer: string };
        expect(problem.code).toBe('invalid-openapi');
        expect(problem.pointer).toBe(pointer);
        expect(await apiCount()).toBe(before);
        expect(await platform.audit.head()).toEqual(head);
      },
    );

    it('says the line and column of a syntax error', async () => {
      const response = await importApi(provider, { document: fixture('invalid-yaml-syntax.yaml.txt') });
      expect(response.json()).toMatchObject({ line: 9, column: 7 });
    });

    it('refuses an organisation that is not a provider', async () => {
      const response = await importApi(consumer, { document: openapi31, slug: 'consumer-attempt' });
      expect(response.statusCode).toBe(403);
      expect(problemOf(response).code).toBe('forbidden');
    });

    it('refuses a slug that is taken', async () => {
      const response = await importApi(otherProvider, { document: swagger2 });
      expect(response.statusCode).toBe(409);
      expect(problemOf(response)).toMatchObject({
        code: 'already-exists',
        detail: 'an API with slug "harbour-bank-fx-rates" exists; give another slug',
      });
    });

    it('names the field when the upstream is not an absolute http(s) URL', async () => {
      const badScheme = await importApi(provider, {
        document: openapi31,
        slug: 'ftp-upstream',
        upstreamUrl: 'ftp://files.test/x',
      });
      expect(badScheme.statusCode).toBe(400);
      expect(problemOf(badScheme)).toMatchObject({
        code: 'validation-failed',
        errors: [{ field: 'upstreamUrl', message: 'must be an http or https URL, got ftp' }],
      });
      const relative = smallDocument('Relative server');
      relative.servers = [{ url: '/api' }];
      const fromDocument = await importApi(provider, { document: relative });
      expect(fromDocument.statusCode).toBe(400);
      expect(problemOf(fromDocument).detail).toContain('upstreamUrl: the document\'s first server "/api"');
      const { servers: _none, ...serverless } = smallDocument('No servers');
      const missing = await importApi(provider, { document: serverless });
      expect(problemOf(missing).detail).toBe('upstreamUrl: the document names no server; give upstreamUrl');
    });

    it('wants exactly one of document and url', async () => {
      const neither = await importApi(provider, { slug: 'nothing' });
      expect(neither.statusCode).toBe(400);
      expect(problemOf(neither).code).toBe('validation-failed');
      const both = await importApi(provider, { document: openapi31, url: 'https://docs.test/openapi.json' });
      expect(problemOf(both).detail).toBe('url: give either document or url, not both');
    });

    it('writes the ledger entry with the API and tells the gateway', async () => {
      let notices = 0;
      const unsubscribe = platform.changes.subscribe(() => {
        notices += 1;
      });
      const api = await publish(provider, { document: smallDocument('Ledgered API') });
      // On PostgreSQL the notice travels through LISTEN/NOTIFY, so give it a moment.
      await expect.poll(() => notices, { timeout: 5000 }).toBeGreaterThan(0);
      unsubscribe();
      const [event] = await platform.audit.list({ objectId: api.id, limit: 5 });
      expect(event).toMatchObject({
        action: 'api.create',
        orgId: provider.orgId,
        actorId: provider.userId,
        data: { slug: 'ledgered-api', operations: 1, specFormat: 'openapi-3.1' },
      });
    });
  });

  describe('import by URL', () => {
    let server: Server;
    let base: string;

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url === '/energy.yaml') {
          response.writeHead(200, { 'content-type': 'application/yaml' });
          response.end(openapi30.replace('Science Park Building Energy', 'Fetched Building Energy'));
        } else if (request.url === '/slow') {
          setTimeout(() => response.end('{}'), 2000);
        } else if (request.url === '/big') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(`{"openapi": "3.0.3", "padding": "${'x'.repeat(64 * 1024)}"}`);
        } else {
          response.writeHead(404).end('not here');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('fetches and publishes the document', async () => {
      const api = await publish(provider, { url: `${base}/energy.yaml` });
      expect(api.slug).toBe('fetched-building-energy');
      const document = await inject(provider, 'GET', `/v1/apis/${api.id}/openapi`);
      expect(document.body).toContain('Fetched Building Energy');
    });

    it('refuses an answer that is not 2xx, naming the URL', async () => {
      const response = await importApi(provider, { url: `${base}/missing.json` });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).detail).toMatch(
        /^url: http:\/\/127\.0\.0\.1:\d+\/missing\.json answered 404/,
      );
    });

    it('refuses loopback, private and link-local addresses unless the deployment allows them (SSRF)', async () => {
      const strict = new CatalogService({ ...platform.catalog.deps, allowPrivateFetch: false });
      for (const url of [
        `${base}/energy.yaml`,
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/openapi.json',
        'http://[::1]:8080/openapi.json',
        'http://localhost/openapi.json',
      ]) {
        await expect(strict.fetchDocument(url), url).rejects.toThrow(/public address|cannot resolve/);
      }
    });

    it('refuses schemes other than http(s)', async () => {
      const response = await importApi(provider, { url: 'file:///etc/passwd' });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).detail).toBe('url: must be an http or https URL, got file');
    });

    it('does not fetch for an organisation that may not import', async () => {
      const response = await importApi(consumer, { url: `${base}/energy.yaml` });
      expect(response.statusCode).toBe(403);
    });

    it('stops at the size cap and the time limit', async () => {
      await expect(
        platform.catalog.fetchDocument(`${base}/big`, { maxBytes: 16 * 1024 }),
      ).rejects.toMatchObject({
        code: 'payload-too-large',
      });
      await expect(platform.catalog.fetchDocument(`${base}/slow`, { timeoutMs: 200 })).rejects.toMatchObject({
        code: 'validation-failed',
        message: `url: ${base}/slow did not answer within 0.2 s`,
      });
    });
  });

  describe('visibility', () => {
    let privateApi: string;
    let sharedApi: string;
    let publicApi: string;

    beforeAll(async () => {
      privateApi = (await publish(otherProvider, { document: smallDocument('Vault Private API') })).id;
      sharedApi = (
        await publish(otherProvider, {
          document: smallDocument('Vault Partner API'),
          visibility: 'orgs',
          allowedOrgIds: [partner.orgId],
        })
      ).id;
      publicApi = (
        await publish(otherProvider, { document: smallDocument('Vault Public API'), visibility: 'public' })
      ).id;
    });

    const listedFor = async (tenant: { cookie: string }) =>
      (await inject(tenant, 'GET', `/v1/apis?orgId=${otherProvider.orgId}&limit=200`))
        .json()
        .items.map((a: { id: string }) => a.id);

    it('hides a private API from every other organisation, answering 404 rather than 403', async () => {
      for (const path of ['', '/versions', '/openapi']) {
        const response = await inject(consumer, 'GET', `/v1/apis/${privateApi}${path}`);
        expect(response.statusCode, path).toBe(404);
        expect(problemOf(response).code).toBe('not-found');
      }
      expect(await listedFor(consumer)).not.toContain(privateApi);
      expect((await inject(otherProvider, 'GET', `/v1/apis/${privateApi}`)).statusCode).toBe(200);
    });

    it('shows an orgs API to the organisations it names only', async () => {
      expect((await inject(partner, 'GET', `/v1/apis/${sharedApi}`)).statusCode).toBe(200);
      expect((await inject(consumer, 'GET', `/v1/apis/${sharedApi}`)).statusCode).toBe(404);
      expect(await listedFor(partner)).toEqual([sharedApi, publicApi]);
      expect(await listedFor(consumer)).toEqual([publicApi]);
    });

    it('lets operators see everything', async () => {
      expect(await listedFor(operator)).toEqual([privateApi, sharedApi, publicApi]);
      expect((await inject(operator, 'GET', `/v1/apis/${privateApi}`)).statusCode).toBe(200);
    });

    it("keeps the upstream and the admitted organisations the owner's business", async () => {
      const seenByPartner = (await inject(partner, 'GET', `/v1/apis/${sharedApi}`)).json();
      expect(seenByPartner.upstreamUrl).toBeUndefined();
      expect(seenByPartner.allowedOrgIds).toBeUndefined();
      const seenByOwner = (await inject(otherProvider, 'GET', `/v1/apis/${sharedApi}`)).json();
      expect(seenByOwner).toMatchObject({
        upstreamUrl: 'https://upstream.test/base',
        allowedOrgIds: [partner.orgId],
      });
    });

    it('refuses a malformed id before any lookup', async () => {
      const response = await inject(consumer, 'GET', '/v1/apis/org_01');
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).code).toBe('validation-failed');
    });
  });

  describe('a document as real providers write it', () => {
    // No summaries at all, an int64 bound, a vendor's docs link as an extension $ref, and an
    // enum with a value listed twice: each is legal enough for the validator.
    const ledger = [
      '{',
      '  "openapi": "3.0.3",',
      '  "info": {"title": "Harbour Settlement Ledger", "version": "3.2.0",',
      '           "x-vendor-docs": {"$ref": "https://docs.settlement.test/ledger.md"}},',
      '  "servers": [{"url": "https://ledger.settlement.test/v3"}],',
      '  "paths": {',
      '    "/settlements/{settlementId}": {"get": {',
      '      "operationId": "fetchSettlementRecord",',
      '      "description": "Returns one interbank clearing instruction",',
      '      "parameters": [',
      '        {"name": "settlementId", "in": "path", "required": true,',
      '         "schema": {"type": "integer", "format": "int64", "maximum": 9223372036854775807}},',
      '        {"name": "currency", "in": "query", "schema": {"type": "string", "enum": ["HKD", "USD", "HKD"]}}',
      '      ],',
      '      "responses": {"200": {"description": "the settlement"}}',
      '    }}',
      '  }',
      '}',
      '',
    ].join('\n');
    let apiId: string;

    beforeAll(async () => {
      const response = await importApi(provider, { document: ledger, visibility: 'public' });
      expect(response.statusCode, response.body).toBe(201);
      const api = response.json();
      apiId = api.id;
      expect(api.warnings).toEqual([
        {
          field: '/paths/~1settlements~1{settlementId}/get/parameters/1/schema/enum',
          message: 'enum lists "HKD" more than once',
        },
      ]);
    });

    it('shows the warnings to the provider on the API page, not to consumers', async () => {
      expect((await inject(provider, 'GET', `/v1/apis/${apiId}`)).json().warnings).toHaveLength(1);
      expect((await inject(consumer, 'GET', `/v1/apis/${apiId}`)).json().warnings).toBeUndefined();
    });

    it("serves consumers the provider's text with only the servers changed", async () => {
      const served = (await inject(consumer, 'GET', `/v1/apis/${apiId}/openapi`)).body;
      expect(served).toBe(
        ledger.replace(
          '[{"url": "https://ledger.settlement.test/v3"}]',
          '[\n    {\n      "url": "/gw/harbour-settlement-ledger",\n      "description": "STP Platform gateway"\n    }\n  ]',
        ),
      );
      expect(served).toContain('"maximum": 9223372036854775807');
      expect(served).toContain('"$ref": "https://docs.settlement.test/ledger.md"');
    });

    it('is found by operation id, path and description though it has no summaries', async () => {
      for (const q of ['fetchSettlementRecord', '/settlements/{settlementId}', 'interbank%20clearing']) {
        const found = (await inject(consumer, 'GET', `/v1/apis?q=${q}`)).json().items;
        expect(
          found.map((a: { id: string }) => a.id),
          q,
        ).toEqual([apiId]);
      }
    });
  });

  describe('search and pages', () => {
    let searchOrg: Tenant;
    const ids: string[] = [];

    beforeAll(async () => {
      searchOrg = await createTenant(platform, { kinds: ['provider'] });
      const documents = [
        smallDocument('Tram Arrivals', ['Next tram at a stop']),
        smallDocument('Parking Spaces', ['Free spaces per car park', 'Reserve 100% of a bay']),
        smallDocument('Air Quality', ['Hourly PM2.5 readings']),
        smallDocument('Solar Yield', ['Daily yield per roof']),
        smallDocument('Water Use', ['Monthly water use per tenant']),
      ];
      for (const [i, document] of documents.entries()) {
        const api = await publish(searchOrg, {
          document,
          visibility: 'public',
          category: i % 2 === 0 ? 'mobility' : 'utilities',
          tags: [`batch-${i % 2}`],
        });
        ids.push(api.id);
      }
    });

    const search = async (query: string) =>
      (await inject(consumer, 'GET', `/v1/apis?orgId=${searchOrg.orgId}&${query}`))
        .json()
        .items.map((a: { id: string }) => a.id);

    it('finds an API by one of its operation summaries, case-insensitively', async () => {
      expect(await search('q=PM2.5')).toEqual([ids[2]]);
      expect(await search('q=water%20USE')).toEqual([ids[4]]);
    });

    it('treats % and _ in the query as text, not wildcards', async () => {
      expect(await search('q=%25')).toEqual([ids[1]]);
      expect(await search('q=_')).toEqual([]);
    });

    it('filters by tag and category', async () => {
      expect(await search('tag=batch-1')).toEqual([ids[1], ids[3]]);
      expect(await search('category=mobility')).toEqual([ids[0], ids[2], ids[4]]);
    });

    it('pages with a cursor, each API once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await inject(
          consumer,
          'GET',
          `/v1/apis?orgId=${searchOrg.orgId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        const page = response.json() as {
          items: { id: string; operationCount: number }[];
          nextCursor: string | null;
        };
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(ids);
    });
  });

  describe('versions and changes', () => {
    let apiId: string;
    let firstVersionId: string;

    beforeAll(async () => {
      const api = await publish(provider, {
        document: smallDocument('Versioned Metering', ['Read a meter']),
        visibility: 'public',
      });
      apiId = api.id;
      firstVersionId = api.currentVersion.id;
    });

    it('publishes a new version under the same id, with the new operations current', async () => {
      const response = await inject(provider, 'POST', `/v1/apis/${apiId}/versions`, {
        document: {
          ...smallDocument('Versioned Metering', ['Read a meter', 'Export readings as CSV']),
          info: { title: 'Versioned Metering', version: '2.0.0' },
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      const api = response.json();
      expect(api.id).toBe(apiId);
      expect(api.currentVersion.version).toBe('2.0.0');
      expect(api.currentVersion.id).not.toBe(firstVersionId);
      expect(api.operations.map((o: { summary: string }) => o.summary)).toEqual([
        'Read a meter',
        'Export readings as CSV',
      ]);

      const versions = (await inject(consumer, 'GET', `/v1/apis/${apiId}/versions`)).json().items;
      expect(versions.map((v: { id: string }) => v.id)).toEqual([api.currentVersion.id, firstVersionId]);
      expect(versions.map((v: { operationCount: number }) => v.operationCount)).toEqual([2, 1]);

      const old = await inject(consumer, 'GET', `/v1/apis/${apiId}/openapi?versionId=${firstVersionId}`);
      expect(JSON.parse(old.body).info.version).toBe('1.0.0');
      // Search follows the current version.
      const found = (await inject(consumer, 'GET', '/v1/apis?q=readings%20as%20csv')).json().items;
      expect(found.map((a: { id: string }) => a.id)).toEqual([apiId]);

      const [event] = await platform.audit.list({ objectId: apiId, action: 'api.version.create', limit: 1 });
      expect(event?.data).toMatchObject({ previousVersionId: firstVersionId, operations: 2 });
    });

    it('lets only the owner publish a version or edit the listing: others get 404', async () => {
      for (const tenant of [consumer, otherProvider, operator]) {
        const version = await inject(tenant, 'POST', `/v1/apis/${apiId}/versions`, { document: openapi31 });
        expect(version.statusCode).toBe(404);
        const patch = await inject(tenant, 'PATCH', `/v1/apis/${apiId}`, { title: 'Hijacked' });
        expect(patch.statusCode).toBe(404);
        expect(problemOf(patch).code).toBe('not-found');
      }
    });

    it('edits the listing; search and the ledger follow', async () => {
      const response = await inject(provider, 'PATCH', `/v1/apis/${apiId}`, {
        title: 'Smart Metering',
        visibility: 'orgs',
        allowedOrgIds: [partner.orgId],
        upstreamUrl: 'https://meters.test/',
        validateRequests: true,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        title: 'Smart Metering',
        visibility: 'orgs',
        upstreamUrl: 'https://meters.test',
        validateRequests: true,
        operationCount: 2,
      });
      expect((await inject(consumer, 'GET', `/v1/apis/${apiId}`)).statusCode).toBe(404);
      const found = (await inject(partner, 'GET', '/v1/apis?q=smart%20meter')).json().items;
      expect(found.map((a: { id: string }) => a.id)).toEqual([apiId]);
      const [event] = await platform.audit.list({ objectId: apiId, action: 'api.update', limit: 1 });
      expect(event?.data).toMatchObject({ visibility: 'orgs', upstreamUrl: 'https://meters.test' });
    });

    it('refuses an empty or unknown patch', async () => {
      expect((await inject(provider, 'PATCH', `/v1/apis/${apiId}`, {})).statusCode).toBe(400);
      expect((await inject(provider, 'PATCH', `/v1/apis/${apiId}`, { slug: 'renamed' })).statusCode).toBe(
        400,
      );
    });

    it('gives the gateway every API, with the dereferenced document where requests are validated', async () => {
      const snapshot = await platform.catalog.snapshotApis();
      const validated = snapshot.find((a) => a.id === apiId)!;
      expect(validated).toMatchObject({ slug: 'versioned-metering', upstreamUrl: 'https://meters.test' });
      expect(validated.operations).toHaveLength(2);
      expect((validated.document as { info: { version: string } }).info.version).toBe('2.0.0');
      const plain = snapshot.find((a) => a.slug === 'harbour-bank-fx-rates')!;
      expect(plain.operations).toHaveLength(4);
      expect(plain.document).toBeUndefined();
    });
  });

  it('imports a generated 3,000-operation document', async () => {
    const document = JSON.stringify(largeDocument(3000), null, 2);
    // Larger than the server-wide 1 MiB body limit: the route's own limit applies.
    expect(document.length).toBeGreaterThan(1024 * 1024);
    const api = await publish(provider, { document, visibility: 'public' });
    const detail = (await inject(consumer, 'GET', `/v1/apis/${api.id}`)).json();
    expect(detail.operationCount).toBe(3000);
    expect(detail.operations).toHaveLength(3000);
    expect(new Set(detail.operations.map((o: { operationId: string }) => o.operationId)).size).toBe(3000);
    const listed = (await inject(consumer, 'GET', '/v1/apis?q=operation%20number%202999')).json().items;
    expect(listed).toMatchObject([{ id: api.id, operationCount: 3000 }]);
  });
});
