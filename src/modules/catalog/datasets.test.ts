import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customersCsv,
  grantAccess,
  multipartBody,
  publishDataset,
  runQuery,
} from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  password,
  problemOf,
  signIn,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { AppError } from '../../errors.js';
import { DatasetService } from './datasets.js';
import { datasetVersions } from './schema.js';

interface ColumnView {
  name: string;
  type: string;
  suggested: string;
  reasons: string[];
  classification: string | null;
  statistics: { nullCount: number; distinctApprox: number; min: string | null; max: string | null };
}

interface VersionView {
  id: string;
  version: number;
  sourceFormat: string;
  sourceSha256: string;
  rowCount: number;
  columns: ColumnView[];
  confirmedAt: string | null;
}

interface DatasetView {
  id: string;
  slug: string;
  status: string;
  isOpen: boolean;
  licence: string;
  currentVersion: VersionView | null;
}

/** Harbour readings with a contact e-mail: the e-mail column is personal data. */
function harbourCsv(rows: number): string {
  const lines = ['station_id,contact_email,salinity,sampled_on'];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `HB${String(i % 7).padStart(2, '0')},officer${i}@epd.example.hk,${(30 + (i % 5) / 10).toFixed(1)},2024-03-${String(1 + (i % 28)).padStart(2, '0')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Visitor counts by district and year: nothing about a person. */
function visitorsCsv(rows = 24): string {
  const districts = ['Sha Tin', 'Kwun Tong', 'Central and Western', 'Yau Tsim Mong'];
  const lines = ['district,year,visitors'];
  for (let i = 0; i < rows; i++) lines.push(`${districts[i % 4]},${2015 + (i % 6)},${1000 + i * 37}`);
  return `${lines.join('\n')}\n`;
}

/** Lists a directory, treating one that does not exist as empty. */
async function filesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** Polls until the check holds or the time is up; returns whether it held. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe.each(dbTargets)('datasets on %s', (target) => {
  let platform: TestPlatform;
  let provider: Tenant;
  /** A member (not admin) of the provider's own organisation. */
  let providerMember: Tenant;
  let otherProvider: Tenant;
  let consumer: Tenant;
  let secondConsumer: Tenant;
  let workDir: string;

  const incomingDir = () => path.join(platform.dataDir, 'incoming');
  const datasetDir = (id: string) => path.join(platform.dataDir, 'datasets', id);

  const create = (tenant: Tenant, body: Record<string, unknown>) =>
    platform.app.inject({ method: 'POST', url: '/v1/datasets', headers: tenant.headers, payload: body });

  const upload = (
    tenant: Tenant,
    datasetId: string,
    file: { name: string; content: string | Buffer },
    fields: Record<string, string> = {},
  ) => {
    const body = multipartBody(file, fields);
    return platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${datasetId}/versions`,
      headers: { ...tenant.headers, ...body.headers },
      payload: body.payload,
    });
  };

  const get = (tenant: Tenant, url: string) =>
    platform.app.inject({ method: 'GET', url, headers: tenant.headers });

  const confirm = (tenant: Tenant, datasetId: string, columns: Record<string, string> = {}) =>
    platform.app.inject({
      method: 'PUT',
      url: `/v1/datasets/${datasetId}/classifications`,
      headers: tenant.headers,
      payload: { columns },
    });

  const publish = (tenant: Tenant, datasetId: string) =>
    platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${datasetId}/publish`,
      headers: tenant.headers,
    });

  /** A new draft of the provider's; returns its id. */
  async function draft(title: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await create(provider, { title, licence: 'proprietary', ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  async function countRows(tenant: Tenant, slug: string): Promise<number> {
    const response = await runQuery(platform, tenant, `SELECT count(*) AS n FROM ${slug}`);
    expect(response.statusCode, response.body).toBe(200);
    return Number(response.json().rows[0][0]);
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-datasets-test-'));
    provider = await createTenant(platform, { kinds: ['provider'] });
    otherProvider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
    secondConsumer = await createTenant(platform, { kinds: ['consumer'] });
    const memberEmail = `member.${Math.random().toString(36).slice(2, 8)}@provider.test`;
    const member = await platform.identity.provisionMember(platform.operator, provider.orgId, {
      email: memberEmail,
      name: 'Provider member',
      password,
      role: 'member',
    });
    const cookie = await signIn(platform, memberEmail, password, provider.orgId);
    providerMember = {
      orgId: provider.orgId,
      userId: member.id,
      email: memberEmail,
      cookie,
      headers: { cookie },
    };
  });
  afterAll(async () => {
    await platform?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('profiles an upload, keeps the draft to its owner, and publishes it to search after confirmation', async () => {
    const created = await create(provider, {
      title: 'Harbour water quality',
      licence: 'proprietary',
      keywords: ['salinity', 'marine'],
      description: 'Daily samples from harbour stations',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({
      id: expect.stringMatching(/^ds_/),
      slug: 'harbour_water_quality',
      status: 'draft',
      isOpen: false,
      currentVersion: null,
    });

    const uploaded = await upload(provider, id, { name: 'harbour.csv', content: harbourCsv(30) });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const entry = uploaded.json() as DatasetView;
    expect(entry.status).toBe('draft');
    const version = entry.currentVersion!;
    expect(version).toMatchObject({ version: 1, rowCount: 30, sourceFormat: 'csv', confirmedAt: null });
    const byName = Object.fromEntries(version.columns.map((column) => [column.name, column]));
    expect(version.columns.map((column) => [column.name, column.type])).toEqual([
      ['station_id', 'VARCHAR'],
      ['contact_email', 'VARCHAR'],
      ['salinity', 'DOUBLE'],
      ['sampled_on', 'DATE'],
    ]);
    expect(byName.salinity!.statistics).toMatchObject({ nullCount: 0, min: '30.0', max: '30.4' });
    expect(byName.station_id!.statistics.distinctApprox).toBeGreaterThan(0);
    expect(byName.contact_email!.suggested).toBe('personal');
    expect(byName.contact_email!.reasons.length).toBeGreaterThan(0);
    for (const column of version.columns) {
      expect(column.classification).toBeNull();
      expect(column.reasons.every((reason) => typeof reason === 'string')).toBe(true);
    }

    // A draft is its owner's alone: other organisations neither open nor find it.
    expect((await get(consumer, `/v1/datasets/${id}`)).statusCode).toBe(404);
    expect((await get(otherProvider, `/v1/datasets/${id}/versions`)).statusCode).toBe(404);
    const hiddenList = await get(consumer, '/v1/datasets?q=salinity');
    expect(hiddenList.json().items.map((item: DatasetView) => item.id)).not.toContain(id);
    const ownList = await get(provider, '/v1/datasets?q=salinity');
    expect(ownList.json().items.map((item: DatasetView) => item.id)).toContain(id);

    const confirmed = await confirm(provider, id, { station_id: 'identifier' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const confirmedVersion = (confirmed.json() as DatasetView).currentVersion!;
    expect(confirmedVersion.confirmedAt).not.toBeNull();
    const classified = Object.fromEntries(
      confirmedVersion.columns.map((column) => [column.name, column.classification]),
    );
    expect(classified.station_id).toBe('identifier');
    expect(classified.contact_email).toBe('personal');
    expect(classified.salinity).toBe(byName.salinity!.suggested);

    const published = await publish(provider, id);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', isOpen: false });

    const seen = (await get(consumer, `/v1/datasets/${id}`)).json() as DatasetView;
    expect(seen).toMatchObject({ id, status: 'published' });
    // A restricted column's minimum and maximum are one row's values: only the owner sees them.
    const seenByName = Object.fromEntries(
      seen.currentVersion!.columns.map((column) => [column.name, column]),
    );
    expect(seenByName.contact_email!.statistics).toMatchObject({ min: null, max: null });
    expect(seenByName.salinity!.statistics).toMatchObject({ min: '30.0', max: '30.4' });
    for (const q of ['SALINITY', 'harbour water', 'daily samples']) {
      const found = await get(consumer, `/v1/datasets?q=${encodeURIComponent(q)}`);
      expect(found.statusCode).toBe(200);
      expect(
        found.json().items.map((item: DatasetView) => item.id),
        q,
      ).toContain(id);
    }
    const missing = await get(consumer, '/v1/datasets?q=no-such-words-anywhere');
    expect(missing.json().items).toEqual([]);
  });

  it('pages search results with a cursor, each dataset once', async () => {
    const ids: string[] = [];
    for (const title of ['Tide gauge one', 'Tide gauge two', 'Tide gauge three']) {
      const dataset = await publishDataset(platform, provider, {
        title,
        content: visitorsCsv(),
      });
      ids.push(dataset.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/datasets?q=tide+gauge&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await get(consumer, url);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json() as { items: DatasetView[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items.map((item) => item.id));
      if (pages < 2) expect(body.nextCursor).toEqual(expect.any(String));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lets only an admin of a provider organisation create and upload', async () => {
    const fromConsumer = await create(consumer, { title: 'Not allowed', licence: 'proprietary' });
    expect(fromConsumer.statusCode).toBe(403);
    expect(problemOf(fromConsumer).code).toBe('forbidden');
    const fromMember = await create(providerMember, { title: 'Not allowed either', licence: 'proprietary' });
    expect(fromMember.statusCode).toBe(403);

    const id = await draft('Berth occupancy');
    const memberUpload = await upload(providerMember, id, { name: 'berths.csv', content: visitorsCsv() });
    expect(memberUpload.statusCode).toBe(403);
    expect(problemOf(memberUpload).code).toBe('forbidden');

    // Another provider is told the dataset does not exist, not that it may not touch it.
    const foreignUpload = await upload(otherProvider, id, { name: 'berths.csv', content: visitorsCsv() });
    expect(foreignUpload.statusCode).toBe(404);
    expect(problemOf(foreignUpload).code).toBe('not-found');
    const foreignPatch = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${id}`,
      headers: otherProvider.headers,
      payload: { title: 'Taken over' },
    });
    expect(foreignPatch.statusCode).toBe(404);

    const stillDraft = await get(provider, `/v1/datasets/${id}`);
    expect(stillDraft.json()).toMatchObject({ title: 'Berth occupancy', currentVersion: null });
    expect(await filesIn(datasetDir(id))).toEqual([]);
  });

  it('refuses to publish before the classifications are confirmed', async () => {
    const id = await draft('Unconfirmed readings');
    expect((await upload(provider, id, { name: 'r.csv', content: visitorsCsv() })).statusCode).toBe(201);
    const response = await publish(provider, id);
    expect(response.statusCode).toBe(409);
    expect(problemOf(response).code).toBe('classification-unconfirmed');
    expect((await get(provider, `/v1/datasets/${id}`)).json().status).toBe('draft');
    expect((await get(consumer, `/v1/datasets/${id}`)).statusCode).toBe(404);
  });

  describe('open datasets', () => {
    let open: DatasetView;
    let proprietary: DatasetView;
    let personal: DatasetView;

    beforeAll(async () => {
      open = (await publishDataset(platform, provider, {
        title: 'Visitors open',
        slug: 'visitors_open',
        licence: 'CC-BY-4.0',
        content: visitorsCsv(),
      })) as unknown as DatasetView;
      proprietary = (await publishDataset(platform, provider, {
        title: 'Visitors proprietary',
        slug: 'visitors_proprietary',
        licence: 'proprietary',
        content: visitorsCsv(),
      })) as unknown as DatasetView;
      personal = (await publishDataset(platform, provider, {
        title: 'Visitors with contacts',
        slug: 'visitors_contacts',
        licence: 'proprietary',
        content: customersCsv(20),
      })) as unknown as DatasetView;
    });

    it('is open with an open licence and no personal column; any signed-in organisation may query it', async () => {
      expect(open.isOpen).toBe(true);
      expect(await countRows(consumer, 'visitors_open')).toBe(24);
      expect(await countRows(otherProvider, 'visitors_open')).toBe(24);
    });

    it('is not open under a proprietary licence, and a query without an agreement is refused', async () => {
      expect(proprietary.isOpen).toBe(false);
      const response = await runQuery(platform, consumer, 'SELECT count(*) FROM visitors_proprietary');
      expect(response.statusCode).toBe(403);
      expect(problemOf(response).code).toBe('query-refused');
    });

    it('is not open when a column is personal, and an open licence cannot be put on it', async () => {
      expect(personal.isOpen).toBe(false);
      const response = await runQuery(platform, consumer, 'SELECT count(*) FROM visitors_contacts');
      expect(response.statusCode).toBe(403);
      const relicensed = await platform.app.inject({
        method: 'PATCH',
        url: `/v1/datasets/${personal.id}`,
        headers: provider.headers,
        payload: { licence: 'CC-BY-4.0' },
      });
      expect(relicensed.statusCode).toBe(409);
      expect(problemOf(relicensed)).toMatchObject({
        code: 'open-data-restricted-columns',
        columns: expect.arrayContaining(['customer_id', 'full_name', 'email']),
      });
      expect((await get(provider, `/v1/datasets/${personal.id}`)).json().licence).toBe('proprietary');
    });

    it('lists only open datasets with open=true', async () => {
      const response = await get(consumer, '/v1/datasets?open=true&limit=200');
      expect(response.statusCode, response.body).toBe(200);
      const items = response.json().items as DatasetView[];
      expect(items.map((item) => item.id)).toContain(open.id);
      expect(items.map((item) => item.id)).not.toContain(proprietary.id);
      expect(items.map((item) => item.id)).not.toContain(personal.id);
      expect(items.every((item) => item.isOpen)).toBe(true);
      const closed = await get(consumer, '/v1/datasets?open=false&limit=200');
      expect(closed.json().items.map((item: DatasetView) => item.id)).toEqual(
        expect.arrayContaining([proprietary.id, personal.id]),
      );
      expect(closed.json().items.map((item: DatasetView) => item.id)).not.toContain(open.id);
    });
  });

  describe('patients: classification, open publication and re-identification risk', () => {
    /**
     * A patient-like file: 48 rows in four classes of 12 on birth date, sex and district, three rows
     * planted alone in their class and two sharing one. Every pair of birth years shares its year
     * with the large classes, so leaving out sex and district brings k up to 26.
     */
    function patientsCsv(): string {
      const quasi: [string, string, string, number][] = [
        ['1980-05-01', 'F', 'Sha Tin', 12],
        ['1980-05-01', 'M', 'Sha Tin', 12],
        ['1990-07-02', 'F', 'Kwun Tong', 12],
        ['1990-07-02', 'M', 'Kwun Tong', 12],
        ['1980-12-12', 'F', 'Islands', 1],
        ['1990-03-03', 'M', 'Tai Po', 1],
        ['1980-08-08', 'M', 'Sai Kung', 1],
        ['1990-09-09', 'F', 'Eastern', 2],
      ];
      const given = ['Mary', 'James', 'Olivia', 'Peter', 'Grace', 'Daniel'];
      const family = ['Chan', 'Wong', 'Smith', 'Lee', 'Cheung', 'Brown'];
      const codes = ['I10', 'E11.9', 'J45.909', 'M17.11', 'C50.911', 'N18.2'];
      const names = [
        'Hypertension',
        'Diabetes mellitus type 2',
        'Asthma',
        'Osteoarthritis of knee',
        'Breast cancer',
        'Chronic kidney disease',
      ];
      const lines = [
        'patient_id,given_name,family_name,birth_date,sex,district,lat,lon,diagnosis_code,diagnosis',
      ];
      let n = 0;
      for (const [birth, sex, district, count] of quasi) {
        for (let i = 0; i < count; i++, n++) {
          lines.push(
            [
              `P${String(n + 1).padStart(5, '0')}`,
              given[n % 6],
              family[(n * 5) % 6],
              birth,
              sex,
              district,
              (22.3 + n / 1000 + 0.000123).toFixed(6),
              (114.1 + n / 1000 + 0.000321).toFixed(6),
              codes[n % 6],
              names[n % 6],
            ].join(','),
          );
        }
      }
      return `${lines.join('\n')}\n`;
    }
    let id: string;

    beforeAll(async () => {
      id = await draft('Clinic patients', { licence: 'CC-BY-4.0', kThreshold: 5 });
      const uploaded = await upload(provider, id, { name: 'patients.csv', content: patientsCsv() });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
    });

    it('flags names, ids, coordinates and diagnoses, saying why in English and Chinese', async () => {
      const version = (await get(provider, `/v1/datasets/${id}`)).json().currentVersion;
      const byName = Object.fromEntries(
        (
          version.columns as (ColumnView & {
            explanations: { rule: string; share: number | null; en: string; 'zh-HK': string }[];
            quasiIdentifier: boolean;
          })[]
        ).map((c) => [c.name, c]),
      );
      expect(byName.patient_id!.suggested).toBe('identifier');
      expect(byName.given_name!.suggested).toBe('personal');
      expect(byName.family_name!.suggested).toBe('personal');
      expect(byName.lat!.suggested).toBe('personal');
      expect(byName.lon!.suggested).toBe('personal');
      expect(byName.diagnosis_code!.suggested).toBe('sensitive');
      expect(byName.diagnosis!.suggested).toBe('sensitive');
      expect(byName.district!.suggested).toBe('public');
      const icd = byName.diagnosis_code!.explanations.find((e) => e.rule === 'icd10');
      expect(icd).toMatchObject({ share: 1, en: '100% of sampled values look like ICD-10 diagnosis codes' });
      expect(icd!['zh-HK']).toBe('100% 的抽樣值看似ICD-10 診斷編碼');
      expect(
        Object.values(byName)
          .filter((c) => c.quasiIdentifier)
          .map((c) => c.name),
      ).toEqual(['birth_date', 'sex', 'district']);
      // Measured at upload on the suggested quasi-identifiers; the owner sees it, nobody else does.
      expect(version.risk).toEqual({
        rows: 53,
        quasiIdentifiers: ['birth_date', 'sex', 'district'],
        uniqueRows: 3,
        uniqueShare: 3 / 53,
        k: 1,
        classes: 8,
      });
    });

    it('refuses to publish under an open licence, naming the restricted columns', async () => {
      const confirmed = await platform.app.inject({
        method: 'PUT',
        url: `/v1/datasets/${id}/classifications`,
        headers: provider.headers,
        payload: { columns: {}, quasiIdentifiers: { district: true } },
      });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      const refused = await publish(provider, id);
      expect(refused.statusCode).toBe(409);
      const problem = problemOf(refused);
      expect(problem.code).toBe('open-data-restricted-columns');
      expect((problem as { columns?: string[] }).columns).toEqual([
        'patient_id',
        'given_name',
        'family_name',
        'birth_date',
        'sex',
        'lat',
        'lon',
        'diagnosis_code',
        'diagnosis',
      ]);
      expect(problem.detail).toContain('patient_id, given_name, family_name');
      expect((await get(provider, `/v1/datasets/${id}`)).json().status).toBe('draft');
    });

    it('gives the owner the risk figures and the masks that raise k, and no one else', async () => {
      const response = await get(provider, `/v1/datasets/${id}/risk`);
      expect(response.statusCode, response.body).toBe(200);
      const { risk, restrictedColumns } = response.json();
      expect(restrictedColumns).toContain('diagnosis');
      expect(risk).toMatchObject({ k: 1, uniqueRows: 3, threshold: 5, isBelowThreshold: true });
      expect(risk.masks).toEqual([
        { column: 'birth_date', mask: { kind: 'truncate-date', unit: 'year' }, k: 1, uniqueShare: 3 / 53 },
        { column: 'sex', mask: { kind: 'redact' }, k: 1, uniqueShare: 3 / 53 },
        { column: 'district', mask: { kind: 'redact' }, k: 26, uniqueShare: 0 },
      ]);
      expect((await get(consumer, `/v1/datasets/${id}/risk`)).statusCode).toBe(404);
    });

    it('warns the approver of an agreement over quasi-identifiers below k, and not once masks raise it', async () => {
      const patched = await platform.app.inject({
        method: 'PATCH',
        url: `/v1/datasets/${id}`,
        headers: provider.headers,
        payload: { licence: 'proprietary' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect((await publish(provider, id)).statusCode).toBe(200);
      const ask = async () => {
        const requested = await platform.app.inject({
          method: 'POST',
          url: '/v1/access-requests',
          headers: consumer.headers,
          payload: {
            datasetId: id,
            purpose: 'research',
            purposeText: 'diagnoses by district',
            columns: ['birth_date', 'sex', 'district', 'diagnosis'],
            durationDays: 30,
          },
        });
        expect(requested.statusCode, requested.body).toBe(201);
        return requested.json().id as string;
      };
      const first = await ask();
      const preview = await platform.app.inject({
        method: 'POST',
        url: `/v1/access-requests/${first}/preview`,
        headers: provider.headers,
        payload: {},
      });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json().risk).toMatchObject({ k: 1, threshold: 5, isBelowThreshold: true });
      expect(preview.json().warning).toBe(
        'k is 1 (threshold 5): 3 of 53 rows are unique on birth_date, sex, district. Masks that raise it: ' +
          'truncate birth_date to the year (k 1); leave out sex (k 1); leave out district (k 26).',
      );
      // The preview wrote nothing: the request is still pending.
      expect((await get(consumer, `/v1/access-requests/${first}`)).json().state).toBe('pending');
      const approved = await platform.app.inject({
        method: 'POST',
        url: `/v1/access-requests/${first}/approve`,
        headers: provider.headers,
        payload: {},
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().warning).toContain('k is 1 (threshold 5)');

      const second = await ask();
      const masked = await platform.app.inject({
        method: 'POST',
        url: `/v1/access-requests/${second}/approve`,
        headers: provider.headers,
        payload: {
          masks: {
            birth_date: { kind: 'truncate-date', unit: 'year' },
            sex: { kind: 'redact' },
            district: { kind: 'redact' },
          },
        },
      });
      expect(masked.statusCode, masked.body).toBe(200);
      expect(masked.json().risk).toMatchObject({
        k: 26,
        quasiIdentifiers: ['birth_date'],
        isBelowThreshold: false,
      });
      expect(masked.json().warning).toBeNull();
    });
  });

  it('makes a second upload version 2, carries confirmations over, and serves each agreement its version', async () => {
    const first = await publishDataset(platform, provider, {
      title: 'Branch customers',
      slug: 'branch_customers',
      content: customersCsv(40),
      classifications: { district: 'internal' },
    });
    const following = await grantAccess(platform, consumer, provider, first.id, {
      columns: ['customer_id', 'district'],
    });
    const pinned = await grantAccess(platform, secondConsumer, provider, first.id, {
      columns: ['customer_id', 'district'],
      terms: { pinnedVersionId: first.currentVersion.id },
    });
    expect(pinned.terms.pinnedVersionId).toBe(first.currentVersion.id);
    expect(following.terms.pinnedVersionId).toBeNull();
    expect(await countRows(consumer, 'branch_customers')).toBe(40);
    expect(await countRows(secondConsumer, 'branch_customers')).toBe(40);

    const withSegment = customersCsv(55)
      .trim()
      .split('\n')
      .map((line, i) => `${line},${i === 0 ? 'segment' : i % 2 ? 'retail' : 'private'}`)
      .join('\n');
    const second = await upload(provider, first.id, { name: 'customers-2.csv', content: `${withSegment}\n` });
    expect(second.statusCode, second.body).toBe(201);
    const current = (second.json() as DatasetView).currentVersion!;
    expect(current.version).toBe(2);
    expect(current.id).not.toBe(first.currentVersion.id);
    expect(current.rowCount).toBe(55);
    expect(current.confirmedAt).toBeNull();
    const classification = Object.fromEntries(current.columns.map((c) => [c.name, c.classification]));
    expect(classification.district).toBe('internal');
    expect(classification.email).toBe('personal');
    expect(classification.segment).toBeNull();

    const versions = await get(provider, `/v1/datasets/${first.id}/versions`);
    expect(versions.statusCode).toBe(200);
    expect(versions.json().items.map((v: VersionView) => [v.version, v.id])).toEqual([
      [2, current.id],
      [1, first.currentVersion.id],
    ]);
    expect((await get(provider, `/v1/datasets/${first.id}`)).json().currentVersion.id).toBe(current.id);

    expect(await countRows(consumer, 'branch_customers')).toBe(55);
    expect(await countRows(secondConsumer, 'branch_customers')).toBe(40);
  });

  it('numbers concurrent uploads to one dataset one after another, each a version', async () => {
    const id = await draft('Concurrent uploads');
    const uploads = await Promise.all(
      [10, 11, 12].map((rows) => upload(provider, id, { name: 'c.csv', content: visitorsCsv(rows) })),
    );
    expect(uploads.map((response) => response.statusCode)).toEqual([201, 201, 201]);
    const versions = await get(provider, `/v1/datasets/${id}/versions`);
    expect(versions.json().items.map((v: VersionView) => v.version)).toEqual([3, 2, 1]);
    expect((await filesIn(datasetDir(id))).filter((name) => name.endsWith('.parquet'))).toHaveLength(3);
    expect(await filesIn(incomingDir())).toEqual([]);
  });

  describe('formats', () => {
    it('reads JSON Lines', async () => {
      const id = await draft('Sensor events jsonl');
      const lines = Array.from({ length: 12 }, (_, i) =>
        JSON.stringify({ sensor: `S${i % 3}`, value: i * 0.5, ok: i % 2 === 0 }),
      );
      const response = await upload(provider, id, { name: 'events.jsonl', content: `${lines.join('\n')}\n` });
      expect(response.statusCode, response.body).toBe(201);
      const version = (response.json() as DatasetView).currentVersion!;
      expect(version).toMatchObject({ sourceFormat: 'jsonl', rowCount: 12 });
      expect(version.columns.map((c) => [c.name, c.type])).toEqual([
        ['sensor', 'VARCHAR'],
        ['value', 'DOUBLE'],
        ['ok', 'BOOLEAN'],
      ]);
    });

    it('reads Parquet', async () => {
      const file = path.join(workDir, 'readings.parquet');
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        await connection.run(
          `COPY (SELECT i::INTEGER AS sensor, i * 1.5 AS reading FROM range(1, 26) t(i)) TO '${file}' (FORMAT parquet)`,
        );
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      const id = await draft('Sensor readings parquet');
      const response = await upload(provider, id, {
        name: 'readings.parquet',
        content: await readFile(file),
      });
      expect(response.statusCode, response.body).toBe(201);
      const version = (response.json() as DatasetView).currentVersion!;
      expect(version).toMatchObject({ sourceFormat: 'parquet', rowCount: 25 });
      expect(version.columns.map((c) => c.name)).toEqual(['sensor', 'reading']);
      expect(version.columns[0]!.type).toBe('INTEGER');
    });

    it('lets a format field override the file extension', async () => {
      const asCsv = await draft('Exported as text');
      const csvResponse = await upload(
        provider,
        asCsv,
        { name: 'export.txt', content: visitorsCsv() },
        { format: 'csv' },
      );
      expect(csvResponse.statusCode, csvResponse.body).toBe(201);
      expect(csvResponse.json().currentVersion).toMatchObject({ sourceFormat: 'csv', rowCount: 24 });

      const asJson = await draft('JSON named csv');
      const jsonResponse = await upload(
        provider,
        asJson,
        { name: 'misnamed.csv', content: '{"a":1}\n{"a":2}\n' },
        { format: 'jsonl' },
      );
      expect(jsonResponse.statusCode, jsonResponse.body).toBe(201);
      expect(jsonResponse.json().currentVersion).toMatchObject({ sourceFormat: 'jsonl', rowCount: 2 });
    });

    it('asks for a format when the extension does not tell', async () => {
      const id = await draft('Unknown extension');
      const response = await upload(provider, id, { name: 'export.dat', content: visitorsCsv() });
      expect(response.statusCode).toBe(400);
      const problem = problemOf(response);
      expect(problem.code).toBe('validation-failed');
      expect(problem.detail).toMatch(/^format:/);
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'format' })]);
      expect((await get(provider, `/v1/datasets/${id}`)).json().currentVersion).toBeNull();
    });
  });

  it('refuses a malformed CSV naming the line, and leaves no version, file or ledger entry', async () => {
    const id = await draft('Ragged readings');
    const ragged = 'station,reading\nST01,1.5\nST02,2.5,extra\nST03,3.5\n';
    const response = await upload(provider, id, { name: 'ragged.csv', content: ragged });
    expect(response.statusCode).toBe(422);
    const problem = problemOf(response) as ReturnType<typeof problemOf> & { line?: number };
    expect(problem.code).toBe('invalid-dataset-file');
    expect(problem.line).toBe(3);
    expect(problem.detail).toContain('Line 3');
    expect(problem.detail).not.toContain(platform.dataDir);

    expect((await get(provider, `/v1/datasets/${id}`)).json().currentVersion).toBeNull();
    expect((await get(provider, `/v1/datasets/${id}/versions`)).json().items).toEqual([]);
    expect(await filesIn(incomingDir())).toEqual([]);
    expect(
      (await filesIn(datasetDir(id))).filter(
        (name) => name.endsWith('.parquet') || name.endsWith('.partial'),
      ),
    ).toEqual([]);
    const ledger = await platform.audit.list({ objectId: id, action: 'dataset.version.create', limit: 10 });
    expect(ledger).toEqual([]);
  });

  it('leaves nothing behind when the client disconnects mid-upload, and keeps serving', async () => {
    const id = await draft('Interrupted upload');
    await platform.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = platform.app.server.address() as AddressInfo;
    const boundary = '----stpinterrupted';
    const preamble =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n` +
      'Content-Type: text/csv\r\n\r\n';
    const row = 'ST01,1.5,2024-01-01,a reading of the harbour\n';
    const csv = `station,reading,day,note\n${row.repeat(Math.ceil((1024 * 1024) / row.length))}`;
    const head =
      `POST /v1/datasets/${id}/versions HTTP/1.1\r\n` +
      `Host: 127.0.0.1:${port}\r\n` +
      `Cookie: ${provider.cookie}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${5 * 1024 * 1024}\r\n\r\n`;
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head);
    socket.write(preamble);
    socket.write(csv);
    // The upload has reached the disk before the client goes away.
    const isStreaming = await eventually(async () => (await filesIn(incomingDir())).length > 0);
    expect(isStreaming).toBe(true);
    socket.destroy();

    const isCleanedUp = await eventually(async () => {
      const incoming = await filesIn(incomingDir());
      const stored = await filesIn(datasetDir(id));
      return incoming.length === 0 && stored.length === 0;
    });
    expect(isCleanedUp).toBe(true);
    const entry = await get(provider, `/v1/datasets/${id}`);
    expect(entry.json().currentVersion).toBeNull();
    expect((await get(provider, `/v1/datasets/${id}/versions`)).json().items).toEqual([]);
    expect(await platform.audit.list({ objectId: id, action: 'dataset.version.create', limit: 10 })).toEqual(
      [],
    );

    const retried = await upload(provider, id, { name: 'small.csv', content: visitorsCsv() });
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json().currentVersion).toMatchObject({ version: 1, rowCount: 24 });
  });

  it('stops an upload larger than allowed with payload-too-large, leaving no files', async () => {
    const id = await draft('Too large');
    const small = new DatasetService({ ...platform.datasets.deps, maxUploadBytes: 1024 });
    const principal = (await platform.identity.principalFor('session', provider.userId, provider.orgId, {}))!;
    const line = 'ST01,1.5,2024-01-01\n';
    const content = `station,reading,day\n${line.repeat(Math.ceil((5 * 1024) / line.length))}`;
    const attempt = small.addVersion(principal, id, {
      stream: Readable.from([Buffer.from(content)]),
      filename: 'big.csv',
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'payload-too-large' });
    expect(await filesIn(incomingDir())).toEqual([]);
    expect(await filesIn(datasetDir(id))).toEqual([]);
    expect((await get(provider, `/v1/datasets/${id}`)).json().currentVersion).toBeNull();
  });

  it('records creation, each version with its hash and rows, confirmation and publication in the ledger', async () => {
    const content = harbourCsv(12);
    const dataset = await publishDataset(platform, provider, {
      title: 'Ledgered readings',
      slug: 'ledgered_readings',
      content,
    });
    const entries = await platform.audit.list({ objectId: dataset.id, limit: 20 });
    const byAction = new Map(entries.map((entry) => [entry.action, entry]));
    expect([...byAction.keys()].sort()).toEqual([
      'dataset.classification.confirm',
      'dataset.create',
      'dataset.publish',
      'dataset.version.create',
    ]);
    for (const entry of entries) expect(entry.orgId).toBe(provider.orgId);
    expect(byAction.get('dataset.create')!.data).toMatchObject({ slug: 'ledgered_readings' });
    expect(byAction.get('dataset.version.create')!.data).toMatchObject({
      versionId: dataset.currentVersion.id,
      version: 1,
      format: 'csv',
      rows: 12,
      bytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect(byAction.get('dataset.classification.confirm')!.data).toMatchObject({
      versionId: dataset.currentVersion.id,
      columns: expect.objectContaining({ contact_email: 'personal' }),
    });
    expect(byAction.get('dataset.publish')!.data).toMatchObject({
      versionId: dataset.currentVersion.id,
      isOpen: false,
    });
  });

  it("moves a version file no row points at out of the engine's reach at start, leaving young ones to their node", async () => {
    const dir = datasetDir('ds_0000000000000000000000swept');
    await mkdir(dir, { recursive: true });
    const old = path.join(dir, 'dsv_00000000000000000000000old.parquet');
    const young = path.join(dir, 'dsv_0000000000000000000000young.parquet');
    await writeFile(old, 'PAR1');
    await writeFile(young, 'PAR1');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, anHourAgo, anHourAgo);
    // As on PostgreSQL: another node sharing DATA_DIR may be between its rename and its commit.
    const swept = await platform.datasets.sweepPartialFiles(600_000);
    expect(swept.movedAside).toEqual([old]);
    expect(await readdir(dir)).toEqual([path.basename(young)]);
    const orphans = path.join(platform.dataDir, 'orphans', path.basename(dir));
    expect(await readdir(orphans)).toEqual([path.basename(old)]);
    // On the embedded database (the directory is locked to one process) every orphan goes at once;
    // a committed version's file is never touched, however old.
    const committed = (
      await platform.database.db.select({ file: datasetVersions.file }).from(datasetVersions)
    ).map((row) => path.join(platform.dataDir, 'datasets', row.file));
    expect(committed.length).toBeGreaterThan(0);
    await platform.datasets.sweepPartialFiles(0);
    expect(await readdir(dir)).toEqual([]);
    expect((await readdir(orphans)).sort()).toEqual([path.basename(old), path.basename(young)].sort());
    for (const file of committed) expect((await stat(file)).isFile()).toBe(true);
  });
});
