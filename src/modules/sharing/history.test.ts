import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAccess, multipartBody, publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { quoteLiteral } from '../../infra/duck-engine.js';
import { parseDeltaTimestamp } from './history.js';

interface FileLine {
  url: string;
  id: string;
  size: number;
  version?: number;
  timestamp?: number;
  stats?: string;
}

const header = 'loan_id,borrower_email,district,amount';
/** Version 1: before the agreement. */
const v1 = [header, '1,a1@x.hk,Sha Tin,100', '2,a2@x.hk,Central,200', '7,a7@x.hk,Kwun Tong,700'];
/** Version 2: current when the agreement is approved; loan 7 was removed from it. */
const v2 = [
  header,
  '1,a1@x.hk,Sha Tin,100',
  '2,a2@x.hk,Central,200',
  '3,a3@x.hk,Kwun Tong,300',
  '4,a4@x.hk,Sha Tin,400',
];
/** Version 3: loan 1 changed, 4 gone, 5 new, 6 new but outside the grant's districts. */
const v3 = [
  header,
  '1,a1@x.hk,Sha Tin,150',
  '3,a3@x.hk,Kwun Tong,300',
  '5,a5@x.hk,Kwun Tong,500',
  '6,a6@x.hk,Central,600',
];
/** Version 4: amount becomes text, so the shared columns change. */
const v4 = [header, '1,a1@x.hk,Sha Tin,n/a', '3,a3@x.hk,Kwun Tong,300'];

function ndjson(response: LightMyRequestResponse): Record<string, unknown>[] {
  expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
  return response.body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The protocol's timestamp format, in UTC, to the millisecond. */
function deltaTimestamp(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

describe('Delta Sharing timestamps', () => {
  it('reads the protocol format as UTC and ISO 8601 with an offset', () => {
    expect(parseDeltaTimestamp('t', '2024-3-5 01:02:03').toISOString()).toBe('2024-03-05T01:02:03.000Z');
    expect(parseDeltaTimestamp('t', '2024-03-05 01:02:03.456789').toISOString()).toBe(
      '2024-03-05T01:02:03.456Z',
    );
    expect(parseDeltaTimestamp('t', '2024-03-05T09:02:03+08:00').toISOString()).toBe(
      '2024-03-05T01:02:03.000Z',
    );
    for (const bad of ['yesterday', '2024-02-30 00:00:00', '2024-03-05', '2024-13-01 00:00:00']) {
      expect(() => parseDeltaTimestamp('t', bad), bad).toThrow(/t: /);
    }
  });
});

describe.each(dbTargets)('Delta Sharing time travel and change data feed (%s)', (target) => {
  let platform: TestPlatform;
  let bank: Tenant;
  let fintech: Tenant;
  let token: string;
  let datasetId: string;
  let agreementId: string;
  let table: string;
  const commits = new Map<number, Date>();

  const delta = (url: string, options: { method?: 'GET' | 'POST'; payload?: object } = {}) =>
    platform.app.inject({
      method: options.method ?? 'GET',
      url: `/delta-sharing${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const query = (payload: object) => delta(`${table}/query`, { method: 'POST', payload });
  const fetchFile = (url: string) => platform.app.inject({ url: url.replace(/^https?:\/\/[^/]+/, '') });

  async function upload(lines: string[]) {
    const body = multipartBody({ name: 'loans.csv', content: `${lines.join('\n')}\n` });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${datasetId}/versions`,
      headers: { ...bank.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const confirmed = await platform.app.inject({
      method: 'PUT',
      url: `/v1/datasets/${datasetId}/classifications`,
      headers: bank.headers,
      payload: { columns: { borrower_email: 'personal', district: 'internal', amount: 'internal' } },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const current = uploaded.json().currentVersion as { version: number; createdAt: string };
    commits.set(current.version, new Date(current.createdAt));
  }

  /** The rows of a shared file, ordered, as a Delta client would read them. */
  async function rowsOf(url: string, orderBy: string) {
    const response = await fetchFile(url);
    expect(response.statusCode, response.body).toBe(200);
    const file = path.join(platform.dataDir, `read-${Math.random().toString(36).slice(2)}.parquet`);
    await writeFile(file, response.rawPayload);
    const connection = await platform.engine.ingestConnection();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT * FROM read_parquet(${quoteLiteral(file)}) ORDER BY ${orderBy}`,
      );
      return { columns: reader.columnNames(), rows: reader.getRowsJson() };
    } finally {
      connection.closeSync();
    }
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    bank = await createTenant(platform, { kinds: ['provider'] });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    const dataset = await publishDataset(platform, bank, {
      title: 'Loan book',
      slug: 'loan_book',
      content: `${v1.join('\n')}\n`,
      classifications: { borrower_email: 'personal', district: 'internal', amount: 'internal' },
    });
    datasetId = dataset.id;
    const versions = await platform.app.inject({
      url: `/v1/datasets/${datasetId}/versions`,
      headers: bank.headers,
    });
    const first = versions.json().items[0] as { version: number; createdAt: string };
    commits.set(first.version, new Date(first.createdAt));
    await upload(v2);
    const agreement = await grantAccess(platform, fintech, bank, datasetId, {
      columns: ['loan_id', 'borrower_email', 'district', 'amount'],
      wantsDownload: true,
      terms: {
        masks: { borrower_email: { kind: 'keep-last', n: 3 } },
        rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin', 'Kwun Tong'] }],
      },
    });
    agreementId = agreement.id;
    table = `/shares/${agreementId}/schemas/default/tables/loan_book`;
    await upload(v3);
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/sharing/recipients',
      headers: fintech.headers,
      payload: { name: 'pandas' },
    });
    token = created.json().profile.bearerToken as string;
  });
  afterAll(async () => platform?.dispose());

  it('answers the current version, and the first shared version at or after a timestamp', async () => {
    expect((await delta(`${table}/version`)).headers['delta-table-version']).toBe('3');
    // Before every shared version: the first one the grant reaches (2, not 1, which predates it).
    const early = await delta(`${table}/version?startingTimestamp=2001-01-01%2000:00:00`);
    expect(early.statusCode, early.body).toBe(200);
    expect(early.headers['delta-table-version']).toBe('2');
    const between = new Date(commits.get(2)!.getTime() + 1);
    const next = await delta(
      `${table}/version?startingTimestamp=${encodeURIComponent(deltaTimestamp(between))}`,
    );
    expect(next.headers['delta-table-version']).toBe('3');
    const later = await delta(`${table}/version?startingTimestamp=2999-01-01%2000:00:00`);
    expect(later.statusCode).toBe(404);
    expect(later.json()).toMatchObject({
      code: 'table-version-not-found',
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
    });
  });

  it('reads an older version through the grant: its rows, masked and filtered, with its version', async () => {
    const response = await query({ version: 2 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['delta-table-version']).toBe('2');
    const [, metadata, line] = ndjson(response) as [
      unknown,
      { metaData: { version: number; schemaString: string } },
      { file: FileLine },
    ];
    expect(metadata.metaData.version).toBe(2);
    expect(line.file.version).toBe(2);
    expect(line.file.timestamp).toBe(commits.get(2)!.getTime());
    const { rows } = await rowsOf(line.file.url, 'loan_id');
    expect(rows).toEqual([
      ['1', '****.hk', 'Sha Tin', '100'],
      ['3', '****.hk', 'Kwun Tong', '300'],
      ['4', '****.hk', 'Sha Tin', '400'],
    ]);
    // The current version is another file with the current rows.
    const current = ndjson(await query({}))[2] as { file: FileLine };
    expect(current.file.id).not.toBe(line.file.id);
    expect(current.file.version).toBeUndefined();
    expect((await rowsOf(current.file.url, 'loan_id')).rows.map((row) => row[0])).toEqual(['1', '3', '5']);
    // The raw file of version 2 never leaves: the shared file holds no e-mail address.
    const raw = await fetchFile(line.file.url);
    expect(raw.rawPayload.toString('latin1')).not.toContain('a1@x.hk');
  });

  it('reads the version that was current at a timestamp', async () => {
    const between = new Date(commits.get(3)!.getTime() - 1);
    const response = await query({ timestamp: deltaTimestamp(between) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['delta-table-version']).toBe('2');
    const iso = await query({ timestamp: commits.get(3)!.toISOString() });
    expect(iso.headers['delta-table-version']).toBe('3');
  });

  it('refuses versions that do not exist, predate the grant, or times before the table', async () => {
    const cases: [object, number, string, string][] = [
      [{ version: 1 }, 403, 'table-version-not-shared', 'PERMISSION_DENIED'],
      [{ version: 9 }, 404, 'table-version-not-found', 'RESOURCE_DOES_NOT_EXIST'],
      [{ timestamp: deltaTimestamp(commits.get(1)!) }, 403, 'table-version-not-shared', 'PERMISSION_DENIED'],
      [{ timestamp: '2001-01-01 00:00:00' }, 404, 'table-version-not-found', 'RESOURCE_DOES_NOT_EXIST'],
      [{ timestamp: 'yesterday' }, 400, 'validation-failed', 'INVALID_PARAMETER_VALUE'],
      [{ version: 2, timestamp: '2024-01-01 00:00:00' }, 400, 'validation-failed', 'INVALID_PARAMETER_VALUE'],
      [{ startingVersion: 2 }, 400, 'bad-request', 'INVALID_PARAMETER_VALUE'],
    ];
    for (const [payload, status, code, errorCode] of cases) {
      const response = await query(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json(), JSON.stringify(payload)).toMatchObject({ code, errorCode, status });
    }
    const predates = await query({ version: 1 });
    expect(predates.json().detail).toMatch(/versions 2 to 3 are shared with you/);
  });

  it('answers the change data feed between versions: the first whole, then the rows that changed', async () => {
    const response = await delta(`${table}/changes?startingVersion=2&endingVersion=3`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['delta-table-version']).toBe('2');
    const [protocol, metadata, ...lines] = ndjson(response) as [
      unknown,
      { metaData: { configuration: Record<string, string> } },
      ...({ add: FileLine } | { cdf: FileLine })[],
    ];
    expect(protocol).toEqual({ protocol: { minReaderVersion: 1 } });
    expect(metadata.metaData.configuration).toEqual({ enableChangeDataFeed: 'true' });
    expect(lines.map((line) => Object.keys(line)[0])).toEqual(['add', 'cdf']);
    const add = (lines[0] as { add: FileLine }).add;
    const cdf = (lines[1] as { cdf: FileLine }).cdf;
    expect([add.version, add.timestamp]).toEqual([2, commits.get(2)!.getTime()]);
    expect([cdf.version, cdf.timestamp]).toEqual([3, commits.get(3)!.getTime()]);
    expect((await rowsOf(add.url, 'loan_id')).rows.map((row) => row[0])).toEqual(['1', '3', '4']);
    const changes = await rowsOf(cdf.url, '_change_type, loan_id');
    expect(changes.columns).toEqual(['loan_id', 'borrower_email', 'district', 'amount', '_change_type']);
    // Loan 6 is in a district outside the grant: it is no change to this recipient.
    expect(changes.rows).toEqual([
      ['1', '****.hk', 'Sha Tin', '100', 'delete'],
      ['4', '****.hk', 'Sha Tin', '400', 'delete'],
      ['1', '****.hk', 'Sha Tin', '150', 'insert'],
      ['5', '****.hk', 'Kwun Tong', '500', 'insert'],
    ]);
    // Without an end: up to the current version. By timestamp: from the first version at or after it.
    const open = await delta(`${table}/changes?startingVersion=3`);
    expect(
      ndjson(open)
        .slice(2)
        .map((line) => Object.keys(line)[0]),
    ).toEqual(['cdf']);
    const byTime = await delta(`${table}/changes?startingTimestamp=2001-01-01%2000:00:00`);
    expect(byTime.headers['delta-table-version']).toBe('2');
    const entries = await platform.audit.list({ action: 'sharing.query', orgId: fintech.orgId, limit: 100 });
    expect(entries.some((entry) => entry.data.startingVersion === 2 && entry.data.endingVersion === 3)).toBe(
      true,
    );
  });

  it('refuses change ranges that reach before the grant, run backwards or miss a start', async () => {
    const cases: [string, number, string][] = [
      ['startingVersion=1', 403, 'table-version-not-shared'],
      ['startingVersion=2&endingVersion=9', 404, 'table-version-not-found'],
      ['startingVersion=3&endingVersion=2', 400, 'validation-failed'],
      ['endingVersion=3', 400, 'validation-failed'],
      ['startingTimestamp=soon', 400, 'validation-failed'],
    ];
    for (const [search, status, code] of cases) {
      const response = await delta(`${table}/changes?${search}`);
      expect(response.statusCode, search).toBe(status);
      expect(response.json(), search).toMatchObject({ code, errorCode: expect.any(String) });
    }
  });

  it('refuses a change feed across a change of columns, and still answers each side by time travel', async () => {
    await upload(v4);
    const across = await delta(`${table}/changes?startingVersion=3&endingVersion=4`);
    expect(across.statusCode).toBe(409);
    expect(across.json()).toMatchObject({ code: 'table-changes-unavailable' });
    expect(across.json().detail).toMatch(/between versions 3 and 4/);
    expect((await query({ version: 3 })).statusCode).toBe(200);
    expect((await query({ version: 4 })).statusCode).toBe(200);
  });

  it('shares an open dataset only at the versions that were open: an older one with a personal column is refused', async () => {
    const survey = await publishDataset(platform, bank, {
      title: 'Tenant survey',
      slug: 'tenant_survey',
      content: 'respondent,score\nChan Tai Man,4\nWong Siu Ming,5\n',
      classifications: { respondent: 'personal', score: 'public' },
    });
    const body = multipartBody({ name: 'survey.csv', content: 'score\n4\n5\n3\n' });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${survey.id}/versions`,
      headers: { ...bank.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    for (const [url, method, payload] of [
      [`/v1/datasets/${survey.id}/classifications`, 'PUT', { columns: { score: 'public' } }],
      [`/v1/datasets/${survey.id}`, 'PATCH', { licence: 'CC-BY-4.0' }],
    ] as const) {
      const response = await platform.app.inject({ method, url, headers: bank.headers, payload });
      expect(response.statusCode, response.body).toBe(200);
    }
    const open = '/shares/open-data/schemas/default/tables/tenant_survey';
    const current = await delta(`${open}/query`, { method: 'POST', payload: {} });
    expect(current.statusCode, current.body).toBe(200);
    expect(current.headers['delta-table-version']).toBe('2');
    const first = await delta(`${open}/query`, { method: 'POST', payload: { version: 1 } });
    expect(first.statusCode).toBe(403);
    expect(first.json()).toMatchObject({ code: 'table-version-not-shared' });
    expect(first.body).not.toContain('Chan Tai Man');
    expect((await delta(`${open}/changes?startingVersion=1`)).statusCode).toBe(403);
    const changes = await delta(`${open}/changes?startingVersion=2`);
    expect(
      ndjson(changes)
        .slice(2)
        .map((line) => Object.keys(line)[0]),
    ).toEqual(['add']);
  });

  it('stops the URLs of old versions and change files when the agreement is revoked', async () => {
    const old = (ndjson(await query({ version: 2 }))[2] as { file: FileLine }).file;
    const cdf = (
      ndjson(await delta(`${table}/changes?startingVersion=3&endingVersion=3`))[2] as { cdf: FileLine }
    ).cdf;
    expect((await fetchFile(old.url)).statusCode).toBe(200);
    expect((await fetchFile(cdf.url)).statusCode).toBe(200);
    const revoked = await platform.app.inject({
      method: 'POST',
      url: `/v1/agreements/${agreementId}/revoke`,
      headers: bank.headers,
      payload: { reason: 'ended' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await fetchFile(old.url)).statusCode).toBe(403);
    expect((await fetchFile(cdf.url)).statusCode).toBe(403);
  });
});
