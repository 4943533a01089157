import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';
import { customersCsv, publishDataset } from './data-products.js';
import { createTenant, createTestPlatform, password, type Tenant, type TestPlatform } from './harness.js';

describe('stp wishes against a running platform', () => {
  let platform: TestPlatform;
  let workDir: string;
  let wisher: Tenant;
  let provider: Tenant;
  const as = (tenant: Tenant) => ({ STP_CONFIG_DIR: path.join(workDir, tenant.orgId) });

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-cli-wishes-'));
    platform = await createTestPlatform('pglite');
    const url = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    wisher = await createTenant(platform, { kinds: ['consumer'] });
    provider = await createTenant(platform, { kinds: ['provider'] });
    await Promise.all(
      [wisher, provider].map(async (tenant) => {
        const login = await cli(['login', '--url', url, '--email', tenant.email], {
          ...as(tenant),
          STP_PASSWORD: password,
        });
        expect(login.code, login.stderr).toBe(0);
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await platform?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('creates, lists, votes for and answers a wish', async () => {
    const created = await cli(
      [
        'wishes',
        'create',
        'Hourly footfall',
        '--description',
        'per gate',
        '--tags',
        'mobility, footfall',
        '--json',
      ],
      as(wisher),
    );
    expect(created.code, created.stderr).toBe(0);
    const wish = JSON.parse(created.stdout);
    expect(wish).toMatchObject({
      title: 'Hourly footfall',
      tags: ['mobility', 'footfall'],
      followedByMe: true,
    });

    const voted = await cli(['wishes', 'vote', wish.id, '--json'], as(provider));
    expect(JSON.parse(voted.stdout)).toEqual({ votes: 1, votedByMe: true });

    const listed = await cli(['wishes', 'list', '--sort', 'votes'], as(wisher));
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(wish.id);
    expect(listed.stdout).toContain('Hourly footfall');

    const dataset = await publishDataset(platform, provider, {
      title: 'Gate counts',
      content: customersCsv(5),
    });
    const answered = await cli(
      ['wishes', 'respond', wish.id, 'Our gate counts', '--dataset', dataset.id, '--json'],
      as(provider),
    );
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout).target).toMatchObject({ type: 'dataset', id: dataset.id });

    // The wisher is no provider: the server refuses, and the CLI says why without a stack.
    const refused = await cli(['wishes', 'respond', wish.id, 'Mine', '--dataset', dataset.id], as(wisher));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*\((forbidden|not-found)\)/m);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    const neither = await cli(['wishes', 'respond', wish.id, 'Nothing linked'], as(provider));
    expect(neither.stderr).toContain('give exactly one of --dataset and --api');
  }, 180_000);
});
