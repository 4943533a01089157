import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';
import { createTenant, createTestPlatform, password, type Tenant, type TestPlatform } from './harness.js';

describe('stp plan / apply / export / drift against a running platform', () => {
  let platform: TestPlatform;
  let workDir: string;
  let provider: Tenant;
  let orgSlug: string;
  let apiSlug: string;
  const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
  const env = () => ({ STP_CONFIG_DIR: path.join(workDir, 'config'), HOOK_SECRET: secret });
  const file = () => path.join(workDir, 'stp.yaml');

  const declaration = (rate: number) =>
    [
      'format: stp.declaration/1',
      `organisation: ${orgSlug}`,
      'apis:',
      `  - slug: ${apiSlug}`,
      '    openapi: openapi/branches.yaml',
      '    upstream: https://branches.example',
      '    visibility: public',
      '    plans:',
      '      - name: Open',
      `        rateLimitPerSecond: ${rate}`,
      '        burst: 10',
      'webhooks:',
      '  - url: https://hooks.example/stp',
      '    events: ["subscription.*"]',
      '    secretEnv: HOOK_SECRET',
      '',
    ].join('\n');

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-cli-declarations-'));
    platform = await createTestPlatform('pglite');
    const url = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    provider = await createTenant(platform, { kinds: ['provider'] });
    orgSlug = (await platform.identity.organisationsByIds([provider.orgId]))[0]!.slug;
    apiSlug = `branches-${provider.orgId.slice(-8).toLowerCase()}`;
    await mkdir(path.join(workDir, 'openapi'));
    await copyFile('examples/my-service.openapi.yaml', path.join(workDir, 'openapi/branches.yaml'));
    const login = await cli(['login', '--url', url, '--email', provider.email], {
      ...env(),
      STP_PASSWORD: password,
    });
    expect(login.code, login.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await platform?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('plans (exit 2), applies, plans nothing (exit 0), exports a file that plans nothing, and reports drift', async () => {
    await writeFile(file(), declaration(5));
    const planned = await cli(['plan', '-f', file()], env());
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stdout).toContain(`+ create api ${apiSlug}`);
    expect(planned.stdout).toContain(`+ create plan ${apiSlug}/Open`);
    expect(planned.stdout).toContain('rateLimitPerSecond: 5');
    expect(planned.stdout).toContain('3 to create, 0 to update, 0 to delete');

    const applied = await cli(['apply', '-f', file()], env());
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`+ create webhook https://hooks.example/stp`);

    const unchanged = await cli(['plan', '-f', file()], env());
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toContain('no changes');

    await writeFile(file(), declaration(8));
    const update = await cli(['plan', '-f', file(), '--json'], env());
    expect(update.code).toBe(2);
    expect(JSON.parse(update.stdout).changes).toEqual([
      {
        action: 'update',
        kind: 'plan',
        key: `${apiSlug}/Open`,
        fields: [{ field: 'rateLimitPerSecond', from: 5, to: 8 }],
      },
    ]);

    const out = path.join(workDir, 'exported', 'stp.yaml');
    await mkdir(path.dirname(out));
    const exported = await cli(['export', '-o', out], env());
    expect(exported.code, exported.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).toContain('secretEnv: WEBHOOK_SECRET_1');
    const roundTrip = await cli(['plan', '-f', out], env());
    expect(roundTrip.code, roundTrip.stdout + roundTrip.stderr).toBe(0);

    const calm = await cli(['drift'], env());
    expect(calm.code, calm.stderr).toBe(0);
    expect(calm.stdout).toContain('no drift');
    // Someone changes the plan by hand: drift names it and the field.
    const owner = (await platform.identity.principalFor('session', provider.userId, provider.orgId, {}))!;
    const [api] = (await platform.catalog.list(owner, { orgId: provider.orgId, limit: 5 })).items;
    const [plan] = await platform.access.listPlans(owner, api!.api.id);
    await platform.access.updatePlan(owner, plan!.id, { burst: 20 });
    const drifted = await cli(['drift'], env());
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toContain(`changed plan ${apiSlug}/Open`);
    expect(drifted.stdout).toContain('burst: 10 → 20');
  }, 180_000);

  it('names the file and line of a value the schema refuses, and of a refusal by the server', async () => {
    const bad = path.join(workDir, 'bad.yaml');
    await writeFile(bad, declaration(5).replace('visibility: public', 'visibility: everyone'));
    const refused = await cli(['plan', '-f', bad], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:7:17: apis.0.visibility`);

    const broken = path.join(workDir, 'broken.yaml');
    await writeFile(broken, 'format: stp.declaration/1\norganisation: [unclosed\n');
    const syntax = await cli(['plan', '-f', broken], env());
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(new RegExp(`${broken.replaceAll('/', '\\/')}:\\d+:\\d+: `));

    const missing = path.join(workDir, 'missing.yaml');
    await writeFile(missing, declaration(5).replace('openapi/branches.yaml', 'openapi/none.yaml'));
    const noDocument = await cli(['plan', '-f', missing], env());
    expect(noDocument.code).toBe(1);
    expect(noDocument.stderr).toContain(`${missing}:5:14: apis.0.openapi: cannot read openapi/none.yaml`);

    const foreign = path.join(workDir, 'foreign.yaml');
    await writeFile(
      foreign,
      declaration(5).replace(`organisation: ${orgSlug}`, 'organisation: someone-else'),
    );
    const wrongOrg = await cli(['apply', '-f', foreign], env());
    expect(wrongOrg.code).toBe(1);
    expect(wrongOrg.stderr).toContain('(forbidden)');
    expect(wrongOrg.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});
