import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';
import { publishDataset } from './data-products.js';
import { createTenant, createTestPlatform, password, type Tenant, type TestPlatform } from './harness.js';
import { plantedPatientsCsv } from './lab-data.js';

describe('stp lab jobs and models against a running platform', () => {
  let platform: TestPlatform;
  let workDir: string;
  let hospital: Tenant;
  let researcher: Tenant;
  let labId: string;
  let modelId: string;
  let url: string;
  const as = (tenant: Tenant) => ({ STP_CONFIG_DIR: path.join(workDir, tenant.orgId) });

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-cli-lab-'));
    platform = await createTestPlatform('pglite');
    url = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    hospital = await createTenant(platform, { kinds: ['provider'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    const login = await cli(['login', '--url', url, '--email', researcher.email], {
      ...as(researcher),
      STP_PASSWORD: password,
    });
    expect(login.code, login.stderr).toBe(0);
    const patients = await publishDataset(platform, hospital, {
      title: 'Patients',
      slug: 'patients_cli_lab',
      content: plantedPatientsCsv(3000),
    });
    const inject = (url: string, payload: object) =>
      platform.app.inject({ method: 'POST', url, headers: hospital.headers, payload });
    labId = (await inject('/v1/labs', { name: 'CLI lab', epsilonBudget: 5, defaultEpsilon: 1 })).json().lab
      .id;
    expect(
      (await inject(`/v1/labs/${labId}/members`, { orgId: researcher.orgId, role: 'researcher' })).statusCode,
    ).toBe(201);
    const attached = await inject(`/v1/labs/${labId}/datasets`, {
      datasetId: patients.id,
      name: 'patients',
      subjectColumn: 'patient_id',
      dimensions: ['sex', 'diagnosis'],
      measures: {
        age: { lower: 0, upper: 110 },
        hba1c: { lower: 3, upper: 20 },
        systolic_bp: { lower: 60, upper: 260 },
      },
    });
    expect(attached.statusCode, attached.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await platform?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('submits a YAML job, watches it to its end and shows the released model', async () => {
    const file = path.join(workDir, 'job.yaml');
    await writeFile(
      file,
      [
        'name: blood-pressure',
        'inputs: [patients]',
        'features:',
        '  - { column: age, lower: 20, upper: 90 }',
        'target: { column: systolic_bp, lower: 80, upper: 200 }',
        'model: { kind: linear-regression }',
        'epsilon: 1',
        '',
      ].join('\n'),
    );
    const submitted = await cli(
      ['lab', 'jobs', 'submit', file, '--lab', labId, '--watch', '--json'],
      as(researcher),
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const job = JSON.parse(submitted.stdout);
    expect(job).toMatchObject({ state: 'succeeded', epsilon: 1 });
    const shown = await cli(['lab', 'models', 'show', job.modelId, '--lab', labId], as(researcher));
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/blood-pressure v1 .*released/);
    expect(shown.stdout).toMatch(/age 0\.[4-7]/);
    const downloaded = await cli(['lab', 'models', 'download', job.modelId, '--lab', labId], as(researcher));
    expect(JSON.parse(downloaded.stdout)).toMatchObject({ name: 'blood-pressure', version: 1 });
    modelId = job.modelId;
  }, 60_000);

  it('publishes a released model as an API with its plan (the lab owner only)', async () => {
    const args = ['lab', 'models', 'publish', modelId, '--lab', labId, '--slug', 'bp-cli', '--rate', '5'];
    const byResearcher = await cli(args, as(researcher));
    expect(byResearcher.code).not.toBe(0);
    expect(byResearcher.stderr).toMatch(/owner/);
    const login = await cli(['login', '--url', url, '--email', hospital.email], {
      ...as(hospital),
      STP_PASSWORD: password,
    });
    expect(login.code, login.stderr).toBe(0);
    const published = await cli([...args, '--quota', '1000', '--visibility', 'public'], as(hospital));
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/published .* as bp-cli \(api_/);
    expect(published.stdout).toMatch(/5\/s, burst 10, 1000 a month/);
    expect(published.stdout).toContain('POST /gw/bp-cli/predict');
    const api = (await platform.app.inject({ url: '/v1/apis?limit=100', headers: hospital.headers }))
      .json()
      .items.find((item: { slug: string }) => item.slug === 'bp-cli');
    expect(api).toMatchObject({ visibility: 'public', builtinUpstream: `lab-model:${modelId}` });

    const unpublishArgs = ['lab', 'models', 'unpublish', modelId, '--lab', labId, '--reason', 'superseded'];
    const unpublished = await cli(unpublishArgs, as(hospital));
    expect(unpublished.code, unpublished.stderr).toBe(0);
    expect(unpublished.stdout).toContain(`unpublished ${modelId}: bp-cli (${api.id}) is retired`);
    const [entry] = await platform.audit.list({ action: 'lab.model.unpublish', objectId: modelId, limit: 1 });
    expect(entry?.reason).toBe('superseded');
    const again = await cli(unpublishArgs, as(hospital));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/unpublished already/);
  }, 60_000);

  it('names the field a bad job gets wrong, and exits non-zero', async () => {
    const file = path.join(workDir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'x',
        inputs: ['patients'],
        features: [{ column: 'income', lower: 0, upper: 1 }],
        target: { column: 'diagnosis', equals: 'E11' },
        model: { kind: 'logistic-regression' },
        epsilon: 1,
      }),
    );
    const refused = await cli(['lab', 'jobs', 'submit', file, '--lab', labId], as(researcher));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/income/);
  }, 60_000);

  it('synthesises a twin as the data owner with a progress bar and writes it to a file', async () => {
    const login = await cli(['login', '--url', url, '--email', hospital.email], {
      ...as(hospital),
      STP_PASSWORD: password,
    });
    expect(login.code, login.stderr).toBe(0);
    const out = path.join(workDir, 'twin.csv');
    const made = await cli(
      ['lab', 'synth', 'patients', '--lab', labId, '--epsilon', '0.5', '--rows', '1200', '--out', out],
      as(hospital),
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/ltw_\w+: ready \(patients, ε 0\.5/);
    expect(made.stdout).toMatch(/1200 rows/);
    // The measured error is noisy (docs/differential-privacy.md): a share, but it may read above 1.
    expect(made.stdout).toMatch(/age +\d+\.\d{4}/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('synthetic_id,sex,diagnosis,age,hba1c,systolic_bp');
    expect(lines).toHaveLength(1201);
    // A researcher may download but not pay.
    const refused = await cli(['lab', 'synth', 'patients', '--lab', labId], as(researcher));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/owner or data-owner/);
  }, 120_000);
});
