import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';
import { customersCsv } from './data-products.js';
import { createTenant, createTestPlatform, password, type Tenant, type TestPlatform } from './harness.js';

const stackFrame = /^\s+at /m;

describe('stp datasets, query, requests and agreements against a running platform', () => {
  let platform: TestPlatform;
  let workDir: string;
  let provider: Tenant;
  let consumer: Tenant;
  let dataset: { id: string; slug: string };
  /** Each side signs in once with `stp login`; later commands use the token it stored. */
  const as = (tenant: Tenant) => ({ STP_CONFIG_DIR: path.join(workDir, tenant.orgId) });

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-cli-data-'));
    platform = await createTestPlatform('pglite');
    const url = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    await Promise.all(
      [provider, consumer].map(async (tenant) => {
        const login = await cli(['login', '--url', url, '--email', tenant.email], {
          ...as(tenant),
          STP_PASSWORD: password,
        });
        expect(login.code, login.stderr).toBe(0);
      }),
    );
  });
  afterAll(async () => {
    await platform?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('uploads a CSV file, publishes it, lists it and shows its columns', async () => {
    const file = path.join(workDir, 'customers.csv');
    await writeFile(file, customersCsv(40));
    const uploaded = await cli(['datasets', 'upload', file, '--publish', '--json'], as(provider));
    expect(uploaded.code, uploaded.stderr).toBe(0);
    const result = JSON.parse(uploaded.stdout);
    expect(result).toMatchObject({
      id: expect.stringMatching(/^ds_/),
      slug: 'customers',
      title: 'customers',
      licence: 'proprietary',
      status: 'published',
      currentVersion: { rowCount: 40, confirmedAt: expect.any(String) },
    });
    dataset = result;

    const listed = await cli(['datasets', 'list', '--json'], as(provider));
    expect(JSON.parse(listed.stdout).items.map((item: { id: string }) => item.id)).toContain(dataset.id);

    const shown = await cli(['datasets', 'show', dataset.id], as(provider));
    expect(shown.stdout).toMatch(/NAME\s+TYPE\s+SUGGESTED\s+CLASSIFICATION\s+NULLS\s+DISTINCT/);
    expect(shown.stdout).toMatch(/^email\s+VARCHAR\s+personal\s+personal\s+0\s+\d+/m);
  });

  it('queries as the server’s CSV, and as a table with a row-count footer', async () => {
    const csv = await cli(
      ['query', `SELECT count(*) AS n FROM ${dataset.slug}`, '--format', 'csv'],
      as(provider),
    );
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe('n\r\n40\r\n');

    // No ORDER BY: the server's guard refuses it for now (see the report); which three rows come back is not pinned.
    const capped = await cli(
      ['query', `SELECT customer_id FROM ${dataset.slug}`, '--max-rows', '3'],
      as(provider),
    );
    expect(capped.code, capped.stderr).toBe(0);
    expect(capped.stdout).toMatch(/^CUSTOMER_ID\n(C\d{5}\n){3}3 rows \(truncated\)\n$/);
  });

  it('shows why a query is refused, without a stack trace', async () => {
    const refused = await cli(['query', "SELECT * FROM read_csv('/etc/passwd')"], as(provider));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^error: .+ \(query-refused\)\n$/);
    expect(refused.stderr).not.toMatch(stackFrame);
    expect(refused.stdout).toBe('');
  });

  it('refuses to upload a missing file before creating anything on the server', async () => {
    const before = await platform.app.inject({
      method: 'GET',
      url: '/v1/datasets',
      headers: provider.headers,
    });
    const missing = path.join(workDir, 'no-such.csv');
    const upload = await cli(['datasets', 'upload', missing], as(provider));
    expect(upload.code).toBe(1);
    expect(upload.stderr).toBe(`error: cannot read ${missing}: no such file\n`);
    const after = await platform.app.inject({
      method: 'GET',
      url: '/v1/datasets',
      headers: provider.headers,
    });
    expect(after.json().items).toHaveLength(before.json().items.length);
  });

  it('lets a provider approve a request with a mask and revoke the agreement', async () => {
    const asked = await platform.app.inject({
      method: 'POST',
      url: '/v1/access-requests',
      headers: consumer.headers,
      payload: {
        datasetId: dataset.id,
        purpose: 'research',
        purposeText: 'churn by district',
        columns: ['customer_id', 'email', 'district'],
        durationDays: 30,
      },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const requestId = asked.json().id as string;

    const pending = await cli(['requests', 'list', '--as', 'provider', '--state', 'pending'], as(provider));
    expect(pending.stdout).toMatch(
      new RegExp(`^${requestId}\\s+${dataset.id}\\s+${consumer.orgId}\\s+research`, 'm'),
    );

    const terms = path.join(workDir, 'terms.json');
    await writeFile(terms, JSON.stringify({ masks: { email: { kind: 'keep-last', n: 6 } } }));
    const approved = await cli(['requests', 'approve', requestId, '--terms', terms], as(provider));
    expect(approved.code, approved.stderr).toBe(0);
    const agreementId = /agreement (agr_\w+)/.exec(approved.stdout)?.[1];
    expect(approved.stdout).toContain('columns: customer_id, email(keep-last), district');

    const tables = await cli(['datasets', 'tables'], as(consumer));
    expect(tables.stdout).toMatch(
      new RegExp(
        `^customers\\s+agreement\\s+${agreementId}\\s+no\\s+-\\s+customer_id, email\\(keep-last\\), district$`,
        'm',
      ),
    );
    const masked = await cli(['query', 'SELECT email FROM customers LIMIT 1', '--json'], as(consumer));
    expect(masked.code, masked.stderr).toBe(0);
    expect(JSON.parse(masked.stdout).rows[0][0]).toMatch(/^\*+ple\.hk$/);

    const revoked = await cli(
      ['agreements', 'revoke', agreementId!, '--reason', 'study finished'],
      as(provider),
    );
    expect(revoked.stdout).toBe(`revoked ${agreementId} (revoked)\n`);
    const held = await cli(['agreements', 'list', '--as', 'consumer', '--json'], as(consumer));
    expect(JSON.parse(held.stdout).items).toMatchObject([{ id: agreementId, state: 'revoked' }]);
  });

  it('queries a grant with noise: --epsilon spends it, and the table shows value ± half-width', async () => {
    const asked = await platform.app.inject({
      method: 'POST',
      url: '/v1/access-requests',
      headers: consumer.headers,
      payload: {
        datasetId: dataset.id,
        purpose: 'statistics',
        purposeText: 'balances by district',
        columns: ['district', 'balance'],
        durationDays: 30,
      },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const terms = path.join(workDir, 'noisy-terms.json');
    await writeFile(
      terms,
      JSON.stringify({
        aggregateOnly: true,
        minGroupSize: 2,
        noise: {
          epsilon: 0.5,
          minEpsilon: 0.1,
          epsilonBudget: 2,
          measures: { balance: { lower: 0, upper: 100000 } },
        },
      }),
    );
    const approved = await cli(['requests', 'approve', asked.json().id, '--terms', terms], as(provider));
    expect(approved.code, approved.stderr).toBe(0);

    const sql = 'SELECT district, count(*) AS n, sum(balance) AS total FROM customers GROUP BY district';
    const noisy = await cli(['query', sql, '--epsilon', '0.75'], as(consumer));
    expect(noisy.code, noisy.stderr).toBe(0);
    // A group whose noisy subject count falls under k is suppressed (about 7% a district here, with
    // ten customers each and ε 0.25 per released value), so any one of the four districts will do.
    const district = '(?:Sha Tin|Kwun Tong|Central and Western|Yau Tsim Mong)';
    expect(noisy.stdout).toMatch(new RegExp(`^${district}\\s+-?\\d+ ± [\\d.]+\\s+-?[\\d.]+ ± [\\d.]+$`, 'm'));
    expect(noisy.stdout).toContain('noisy (differential privacy): ε 0.75 spent, 1.25 of 2 left (analyst)');
    const bad = await cli(['query', sql, '--epsilon', '0'], as(consumer));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('expected a number above 0');
  });

  it('deprecates the current version of an API with a sunset date, and refuses a date it cannot read', async () => {
    const imported = await cli(
      [
        'apis',
        'import',
        path.resolve('examples/my-service.openapi.yaml'),
        '--slug',
        'cli-retiring',
        '--upstream',
        'http://127.0.0.1:9',
        '--json',
      ],
      as(provider),
    );
    expect(imported.code, imported.stderr).toBe(0);
    const api = JSON.parse(imported.stdout) as { id: string; currentVersion: { id: string } };
    const sunsetAt = new Date(Date.now() + 30 * 86_400_000);
    const deprecated = await cli(
      [
        'apis',
        'deprecate',
        api.id,
        '--sunset',
        sunsetAt.toISOString(),
        '--link',
        'https://docs.example.com/retire',
      ],
      as(provider),
    );
    expect(deprecated.code, deprecated.stderr).toBe(0);
    expect(deprecated.stdout).toContain(`deprecated ${api.id} version`);
    expect(deprecated.stdout).toContain(`410 from ${sunsetAt.toISOString()}`);
    const shown = await platform.app.inject({
      url: `/v1/apis/${api.id}/versions`,
      headers: provider.headers,
    });
    expect(shown.json().items[0]).toMatchObject({
      id: api.currentVersion.id,
      deprecation: { sunsetAt: sunsetAt.toISOString(), link: 'https://docs.example.com/retire' },
    });
    const unreadable = await cli(['apis', 'deprecate', api.id, '--sunset', 'next spring'], as(provider));
    expect(unreadable.code).not.toBe(0);
    expect(unreadable.stderr).toContain('--sunset: give a date');
    expect(unreadable.stderr).not.toMatch(stackFrame);
    // A consumer is not the API's owner: the API answers not-found, and the CLI says so.
    const stranger = await cli(
      ['apis', 'deprecate', api.id, '--sunset', sunsetAt.toISOString()],
      as(consumer),
    );
    expect(stranger.code).not.toBe(0);
    expect(stranger.stderr).not.toMatch(stackFrame);
  });

  it('approves a request on one of the provider’s terms templates with --template', async () => {
    const owner = (await platform.identity.principalFor('session', provider.userId, provider.orgId, {}))!;
    await platform.templates.create(owner, 'district-only', {
      terms: { columns: ['district', 'age'], masks: { age: { kind: 'band', width: 10 } }, maxQueries: 20 },
    });
    const asked = await platform.app.inject({
      method: 'POST',
      url: '/v1/access-requests',
      headers: consumer.headers,
      payload: {
        datasetId: dataset.id,
        purpose: 'statistics',
        purposeText: 'ages by district',
        columns: ['customer_id', 'district', 'age'],
        durationDays: 30,
      },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const approved = await cli(
      ['requests', 'approve', asked.json().id, '--template', 'district-only'],
      as(provider),
    );
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('terms from template: district-only');
    expect(approved.stdout).toContain('columns: district, age(band)');
  });
});
