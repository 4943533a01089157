import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
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
  operatorCookie,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { quoteLiteral } from '../../infra/duck-engine.js';
import { sharingRecipients } from './schema.js';

interface Profile {
  shareCredentialsVersion: number;
  endpoint: string;
  bearerToken: string;
  expirationTime: string;
}

interface FileLine {
  url: string;
  id: string;
  partitionValues: Record<string, string>;
  size: number;
  stats: string;
  expirationTimestamp: number;
}

const branchCsv = [
  'branch,opened,staff,open_weekends,revenue,audited_at',
  'Sha Tin,2019-03-01,12,true,1234.5,2024-01-02 10:00:00',
  'Kwun Tong,2020-07-15,8,false,987.25,2024-01-03 11:30:00',
  'Central,2015-01-10,30,true,5000.75,2024-01-04 09:15:00',
].join('\n');

/** Each table line of a Delta Sharing NDJSON answer, parsed. */
function ndjson(response: LightMyRequestResponse): Record<string, unknown>[] {
  expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
  return response.body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.each(dbTargets)('Delta Sharing server (%s)', (target) => {
  let platform: TestPlatform;
  let offsetMs = 0;
  let bank: Tenant;
  let fintech: Tenant;
  let insurer: Tenant;
  let fintechProfile: Profile;
  let insurerProfile: Profile;
  let customersAgreement: { id: string };
  let branchesAgreement: { id: string };
  let customersFile: FileLine;
  let branchesFile: FileLine;

  const delta = (
    url: string,
    token: string | null,
    options: { method?: 'GET' | 'POST' | 'HEAD'; payload?: object; headers?: Record<string, string> } = {},
  ) =>
    platform.app.inject({
      method: options.method ?? 'GET',
      url: `/delta-sharing${url}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      ...(options.payload ? { payload: options.payload } : {}),
    });

  const fetchFile = (url: string, headers: Record<string, string> = {}) =>
    platform.app.inject({ url: url.replace(/^https?:\/\/[^/]+/, ''), headers });

  async function createProfile(tenant: Tenant, name: string): Promise<Profile> {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/sharing/recipients',
      headers: tenant.headers,
      payload: { name, expiresInDays: 30 },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().profile as Profile;
  }

  async function queryTable(profile: Profile, share: string, table: string, payload: object = {}) {
    const response = await delta(
      `/shares/${share}/schemas/default/tables/${table}/query`,
      profile.bearerToken,
      {
        method: 'POST',
        payload,
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    const lines = ndjson(response);
    return { response, lines, file: (lines[2] as { file: FileLine }).file };
  }

  async function readParquet(content: Buffer, name: string, orderBy: string) {
    const file = path.join(platform.dataDir, `${name}.parquet`);
    await writeFile(file, content);
    const connection = await platform.engine.ingestConnection();
    try {
      const described = await connection.runAndReadAll(
        `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`,
      );
      const reader = await connection.runAndReadAll(
        `SELECT * FROM read_parquet(${quoteLiteral(file)}) ORDER BY ${orderBy}`,
      );
      return {
        types: Object.fromEntries(described.getRowsJson().map((row) => [row[0], row[1]])),
        rows: reader.getRowsJson(),
      };
    } finally {
      connection.closeSync();
    }
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => new Date(Date.now() + offsetMs) } });
    bank = await createTenant(platform, { kinds: ['provider'] });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    insurer = await createTenant(platform, { kinds: ['consumer'] });
    const customers = await publishDataset(platform, bank, {
      title: 'Bank customers',
      slug: 'bank_customers',
      content: customersCsv(40),
      classifications: {
        customer_id: 'identifier',
        full_name: 'personal',
        email: 'personal',
        balance: 'sensitive',
      },
    });
    const branches = await publishDataset(platform, bank, {
      title: 'Branch statistics',
      slug: 'branch_stats',
      content: branchCsv,
      classifications: { branch: 'internal' },
    });
    await publishDataset(platform, bank, {
      title: 'Park energy',
      slug: 'park_energy',
      licence: 'CC-BY-4.0',
      content: 'month,kwh\n2024-01,100.5\n2024-02,90.25\n',
      classifications: { month: 'public', kwh: 'public' },
    });
    customersAgreement = await grantAccess(platform, fintech, bank, customers.id, {
      columns: ['customer_id', 'email', 'district', 'age', 'balance', 'opened_on'],
      wantsDownload: true,
      terms: {
        masks: {
          customer_id: { kind: 'hash' },
          email: { kind: 'keep-last', n: 3 },
          age: { kind: 'band', width: 10 },
          balance: { kind: 'redact' },
          opened_on: { kind: 'truncate-date', unit: 'year' },
        },
        rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin', 'Kwun Tong'] }],
      },
    });
    branchesAgreement = await grantAccess(platform, fintech, bank, branches.id, {
      columns: ['branch', 'opened', 'staff', 'open_weekends', 'revenue', 'audited_at'],
      wantsDownload: true,
    });
    // The insurer may query the customers, not download them: no share.
    await grantAccess(platform, insurer, bank, customers.id, { columns: ['district', 'age'] });
    fintechProfile = await createProfile(fintech, 'spark at fintech');
    insurerProfile = await createProfile(insurer, 'pandas at insurer');
  });
  afterAll(async () => platform?.dispose());

  it('issues a profile file once and keeps only the SHA-256 of its bearer token', async () => {
    expect(fintechProfile).toMatchObject({
      shareCredentialsVersion: 1,
      endpoint: 'http://localhost:80/delta-sharing',
    });
    expect(fintechProfile.bearerToken).toMatch(/^stp_dsr_[A-Za-z0-9_-]{43}$/);
    expect(new Date(fintechProfile.expirationTime).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const listed = await platform.app.inject({ url: '/v1/sharing/recipients', headers: fintech.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(fintechProfile.bearerToken);
    expect(listed.json().items).toHaveLength(1);
    const rows = await platform.database.db
      .select()
      .from(sharingRecipients)
      .where(eq(sharingRecipients.orgId, fintech.orgId));
    expect(rows[0]!.secretHash).toBe(createHash('sha256').update(fintechProfile.bearerToken).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(fintechProfile.bearerToken);
    // A token cannot mint recipients: only a signed-in session can.
    const pat = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: fintech.headers,
      payload: { name: 'automation' },
    });
    const byToken = await platform.app.inject({
      method: 'POST',
      url: '/v1/sharing/recipients',
      headers: { authorization: `Bearer ${pat.json().secret}` },
      payload: { name: 'minted' },
    });
    expect(byToken.statusCode).toBe(403);
  });

  it("answers every protocol route without a recipient token with 401 in the protocol's error shape", async () => {
    const table = `/shares/${customersAgreement.id}/schemas/default/tables/bank_customers`;
    const routes: [string, 'GET' | 'POST' | 'HEAD'][] = [
      ['/shares', 'GET'],
      [`/shares/${customersAgreement.id}`, 'GET'],
      [`/shares/${customersAgreement.id}/schemas`, 'GET'],
      [`/shares/${customersAgreement.id}/schemas/default/tables`, 'GET'],
      [`/shares/${customersAgreement.id}/all-tables`, 'GET'],
      [`${table}/version`, 'GET'],
      [`${table}/metadata`, 'GET'],
      [`${table}/query`, 'POST'],
    ];
    for (const [url, method] of routes) {
      for (const token of [null, 'stp_dsr_forged', fintech.cookie]) {
        const response = await delta(url, token, { method, ...(method === 'POST' ? { payload: {} } : {}) });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({
          errorCode: 'UNAUTHENTICATED',
          message: expect.any(String),
          code: 'unauthenticated',
          status: 401,
        });
      }
    }
    // A platform token is not a recipient token.
    const pat = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: fintech.headers,
      payload: { name: 'not for sharing' },
    });
    expect((await delta('/shares', pat.json().secret)).statusCode).toBe(401);
  });

  it('lists one share per agreement that permits downloads, plus open-data, paged by maxResults', async () => {
    const response = await delta('/shares', fintechProfile.bearerToken);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const { items, nextPageToken } = response.json() as {
      items: { name: string; id: string }[];
      nextPageToken?: string;
    };
    expect(items.map((share) => share.name)).toEqual(
      [customersAgreement.id, branchesAgreement.id, 'open-data'].sort(),
    );
    for (const share of items) expect(share.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(nextPageToken).toBeUndefined();
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await delta(
        `/shares?maxResults=1${token ? `&pageToken=${token}` : ''}`,
        fintechProfile.bearerToken,
      );
      const body = page.json() as { items: { name: string }[]; nextPageToken?: string };
      expect(body.items.length).toBeLessThanOrEqual(1);
      names.push(...body.items.map((share) => share.name));
      token = body.nextPageToken;
    } while (token);
    expect(names).toEqual(items.map((share) => share.name));
    // Query-only agreements give no share: the insurer sees open data alone.
    const insurer = await delta('/shares', insurerProfile.bearerToken);
    expect(insurer.json().items.map((share: { name: string }) => share.name)).toEqual(['open-data']);
  });

  it('gets a share, its schema and its tables; shares of other organisations do not exist', async () => {
    const share = await delta(`/shares/${customersAgreement.id.toUpperCase()}`, fintechProfile.bearerToken);
    expect(share.json()).toEqual({ share: { name: customersAgreement.id, id: expect.any(String) } });
    const schemas = await delta(`/shares/${customersAgreement.id}/schemas`, fintechProfile.bearerToken);
    expect(schemas.json()).toEqual({ items: [{ name: 'default', share: customersAgreement.id }] });
    const tables = await delta(
      `/shares/${customersAgreement.id}/schemas/default/tables`,
      fintechProfile.bearerToken,
    );
    const item = { name: 'bank_customers', schema: 'default', share: customersAgreement.id };
    expect(tables.json().items).toEqual([
      { ...item, shareId: share.json().share.id, id: expect.any(String) },
    ]);
    const all = await delta('/shares/open-data/all-tables', fintechProfile.bearerToken);
    expect(all.json().items.map((table: { name: string }) => table.name)).toEqual(['park_energy']);
    for (const url of [
      '/shares/nope',
      `/shares/${customersAgreement.id}/schemas/other/tables`,
      `/shares/${customersAgreement.id}/schemas/default/tables/branch_stats/metadata`,
    ]) {
      const missing = await delta(url, fintechProfile.bearerToken);
      expect(missing.statusCode, url).toBe(404);
      expect(missing.json().errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    }
    const notTheirs = await delta(`/shares/${customersAgreement.id}`, insurerProfile.bearerToken);
    expect(notTheirs.statusCode).toBe(404);
  });

  it('answers the table version in the delta-table-version header (GET, HEAD and the deprecated HEAD)', async () => {
    const table = `/shares/${customersAgreement.id}/schemas/default/tables/bank_customers`;
    for (const [url, method] of [
      [`${table}/version`, 'GET'],
      [`${table}/version`, 'HEAD'],
      [table, 'HEAD'],
    ] as const) {
      const response = await delta(url, fintechProfile.bearerToken, { method });
      expect(response.statusCode, `${method} ${url}`).toBe(200);
      expect(response.headers['delta-table-version']).toBe('1');
      expect(response.body).toBe('');
    }
  });

  it("answers metadata as protocol and metaData lines, with a Spark schema of the masked columns' types", async () => {
    const response = await delta(
      `/shares/${customersAgreement.id}/schemas/default/tables/bank_customers/metadata`,
      fintechProfile.bearerToken,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['delta-table-version']).toBe('1');
    const [protocol, metadata, ...rest] = ndjson(response);
    expect(rest).toEqual([]);
    expect(protocol).toEqual({ protocol: { minReaderVersion: 1 } });
    const metaData = (metadata as { metaData: Record<string, unknown> }).metaData;
    expect(metaData).toMatchObject({
      format: { provider: 'parquet' },
      partitionColumns: [],
      name: 'bank_customers',
    });
    const schema = JSON.parse(metaData.schemaString as string) as {
      type: string;
      fields: { name: string; type: string; nullable: boolean; metadata: Record<string, string> }[];
    };
    expect(schema.type).toBe('struct');
    expect(schema.fields.map((field) => [field.name, field.type])).toEqual([
      ['customer_id', 'string'],
      ['email', 'string'],
      ['district', 'string'],
      ['age', 'string'],
      ['balance', 'double'],
      ['opened_on', 'date'],
    ]);
    expect(schema.fields[0]!.metadata).toEqual({ 'stp.mask': 'hash' });
    const branches = await delta(
      `/shares/${branchesAgreement.id}/schemas/default/tables/branch_stats/metadata`,
      fintechProfile.bearerToken,
    );
    const branchSchema = JSON.parse(
      (ndjson(branches)[1] as { metaData: { schemaString: string } }).metaData.schemaString,
    ) as { fields: { name: string; type: string }[] };
    expect(branchSchema.fields.map((field) => [field.name, field.type])).toEqual([
      ['branch', 'string'],
      ['opened', 'date'],
      ['staff', 'long'],
      ['open_weekends', 'boolean'],
      ['revenue', 'double'],
      ['audited_at', 'timestamp'],
    ]);
  });

  it('reads a table as a signed URL to a masked Parquet file with the same rows as governed SQL', async () => {
    const { response, lines, file } = await queryTable(
      fintechProfile,
      customersAgreement.id,
      'bank_customers',
      {
        predicateHints: ["district = 'Sha Tin'"],
        limitHint: 5,
      },
    );
    customersFile = file;
    expect(response.headers['delta-table-version']).toBe('1');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ protocol: { minReaderVersion: 1 } });
    expect(lines[1]).toHaveProperty('metaData.schemaString');
    expect(file).toMatchObject({ id: expect.stringMatching(/^shf_/), partitionValues: {} });
    expect(file.url).toMatch(
      /^http:\/\/localhost:80\/delta-sharing\/files\/shf_\w+\?recipient=rcp_\w+&expires=\d+&signature=/,
    );
    expect(file.expirationTimestamp).toBeGreaterThan(Date.now());
    const stats = JSON.parse(file.stats) as { numRecords: number };
    const download = await fetchFile(file.url);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(download.rawPayload.length).toBe(file.size);
    const parquet = await readParquet(download.rawPayload, 'customers', 'customer_id');
    expect(parquet.types).toEqual({
      customer_id: 'VARCHAR',
      email: 'VARCHAR',
      district: 'VARCHAR',
      age: 'VARCHAR',
      balance: 'DOUBLE',
      opened_on: 'DATE',
    });
    expect(parquet.rows).toHaveLength(stats.numRecords);
    // One policy: the shared file holds exactly what governed SQL shows under the same agreement.
    const governed = await runQuery(platform, fintech, 'SELECT * FROM bank_customers ORDER BY customer_id');
    expect(governed.statusCode, governed.body).toBe(200);
    expect(parquet.rows).toEqual(governed.json().rows);
    expect(parquet.rows.length).toBe(20);
    for (const row of parquet.rows) {
      expect(row[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(row[1]).toMatch(/^\*+\.hk$/);
      expect(['Sha Tin', 'Kwun Tong']).toContain(row[2]);
      expect(row[4]).toBeNull();
    }
    const raw = customersCsv(40);
    expect(download.rawPayload.toString('latin1')).not.toContain('customer1@example.hk');
    expect(raw).toContain('customer1@example.hk');
  });

  it('records every share query in the ledger and counts it against the agreement', async () => {
    const before = (
      await platform.app.inject({ url: `/v1/agreements/${customersAgreement.id}`, headers: fintech.headers })
    ).json().queriesUsed as number;
    const { file } = await queryTable(fintechProfile, customersAgreement.id, 'bank_customers');
    // Cached per policy and version: the same file, not a new one.
    expect(file.id).toBe(customersFile.id);
    const after = (
      await platform.app.inject({ url: `/v1/agreements/${customersAgreement.id}`, headers: fintech.headers })
    ).json().queriesUsed as number;
    expect(after).toBe(before + 1);
    const entries = await platform.audit.list({ action: 'sharing.query', orgId: fintech.orgId, limit: 100 });
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const last = entries.find((entry) => entry.data.fileId === file.id)!;
    expect(last).toMatchObject({
      actorType: 'recipient',
      objectType: 'dataset',
      decision: 'allow',
      data: {
        share: customersAgreement.id,
        table: 'bank_customers',
        agreementId: customersAgreement.id,
        masks: { customer_id: 'hash', balance: 'redact' },
      },
    });
    const verify = await platform.app.inject({
      url: '/v1/audit/verify',
      headers: { cookie: await operatorCookie(platform) },
    });
    expect(verify.json().ok).toBe(true);
  });

  it('binds a signed URL to its file: another file id, a tampered signature or another recipient gets 403', async () => {
    ({ file: branchesFile } = await queryTable(fintechProfile, branchesAgreement.id, 'branch_stats'));
    expect(branchesFile.id).not.toBe(customersFile.id);
    const url = new URL(customersFile.url);
    const forOtherFile = new URL(customersFile.url);
    forOtherFile.pathname = `/delta-sharing/files/${branchesFile.id}`;
    const tampered = new URL(customersFile.url);
    const signature = tampered.searchParams.get('signature')!;
    tampered.searchParams.set('signature', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
    const longer = new URL(customersFile.url);
    longer.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const otherRecipient = new URL(customersFile.url);
    const insurerRecipient = (
      await platform.app.inject({ url: '/v1/sharing/recipients', headers: insurer.headers })
    ).json().items[0].id as string;
    otherRecipient.searchParams.set('recipient', insurerRecipient);
    for (const attempt of [forOtherFile, tampered, longer, otherRecipient]) {
      const response = await fetchFile(attempt.toString());
      expect(response.statusCode, attempt.toString()).toBe(403);
      expect(response.json()).toMatchObject({
        errorCode: 'PERMISSION_DENIED',
        message: expect.any(String),
        code: 'forbidden',
      });
    }
    const missing = await fetchFile(
      `${url.origin}/delta-sharing/files/${customersFile.id}?recipient=x&expires=1`,
    );
    expect(missing.statusCode).toBe(400);
    expect((await fetchFile(branchesFile.url)).statusCode).toBe(200);
  });

  it('serves byte ranges of a file, as Parquet readers ask for them', async () => {
    const whole = await fetchFile(customersFile.url);
    const tail = await fetchFile(customersFile.url, { range: 'bytes=-8' });
    expect(tail.statusCode).toBe(206);
    expect(tail.headers['content-range']).toBe(
      `bytes ${customersFile.size - 8}-${customersFile.size - 1}/${customersFile.size}`,
    );
    expect(tail.rawPayload.toString('latin1')).toMatch(/PAR1$/);
    expect(tail.rawPayload).toEqual(whole.rawPayload.subarray(customersFile.size - 8));
    const middle = await fetchFile(customersFile.url, { range: 'bytes=4-19' });
    expect(middle.rawPayload).toEqual(whole.rawPayload.subarray(4, 20));
    const beyond = await fetchFile(customersFile.url, { range: `bytes=${customersFile.size}-` });
    expect(beyond.statusCode).toBe(416);
    const head = await platform.app.inject({
      method: 'HEAD',
      url: customersFile.url.replace(/^http:\/\/[^/]+/, ''),
    });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(customersFile.size));
  });

  it('answers in the Parquet format and says so in the capabilities header, also when the Delta format is asked for', async () => {
    const table = `/shares/${customersAgreement.id}/schemas/default/tables/bank_customers`;
    for (const asked of [
      undefined,
      'responseformat=delta;readerfeatures=deletionvectors',
      'responseformat=parquet,delta',
    ]) {
      const headers: Record<string, string> = asked ? { 'delta-sharing-capabilities': asked } : {};
      const metadata = await delta(`${table}/metadata`, fintechProfile.bearerToken, { headers });
      expect(metadata.statusCode).toBe(200);
      expect(metadata.headers['delta-sharing-capabilities']).toBe('responseformat=parquet');
      // Parquet-format lines: protocol.minReaderVersion, not Delta's protocol.deltaProtocol.
      expect(ndjson(metadata)[0]).toEqual({ protocol: { minReaderVersion: 1 } });
      const query = await delta(`${table}/query`, fintechProfile.bearerToken, {
        method: 'POST',
        payload: {},
        headers,
      });
      expect(query.statusCode).toBe(200);
      expect(query.headers['delta-sharing-capabilities']).toBe('responseformat=parquet');
    }
  });

  it('reads the current version when it is named, and takes null hints as no hints', async () => {
    const table = `/shares/${customersAgreement.id}/schemas/default/tables/bank_customers`;
    for (const payload of [{ version: 1 }, { version: null, limitHint: null, predicateHints: null }]) {
      const current = await delta(`${table}/query`, fintechProfile.bearerToken, { method: 'POST', payload });
      expect(current.statusCode, JSON.stringify(payload)).toBe(200);
    }
    const badBody = await delta(`${table}/query`, fintechProfile.bearerToken, {
      method: 'POST',
      payload: { limitHint: 'ten' },
    });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json()).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', code: 'validation-failed' });
  });

  it('serves a new dataset version as a new table version, keeping the old one readable by version', async () => {
    const { file: before } = await queryTable(fintechProfile, 'open-data', 'park_energy');
    const datasets = await platform.app.inject({
      url: '/v1/datasets?q=park%20energy',
      headers: bank.headers,
    });
    const datasetId = datasets.json().items[0].id as string;
    const upload = multipartBody({
      name: 'energy.csv',
      content: 'month,kwh\n2024-01,100.5\n2024-02,90.25\n2024-03,80\n',
    });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${datasetId}/versions`,
      headers: { ...bank.headers, ...upload.headers },
      payload: upload.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const confirmed = await platform.app.inject({
      method: 'PUT',
      url: `/v1/datasets/${datasetId}/classifications`,
      headers: bank.headers,
      payload: { columns: { month: 'public', kwh: 'public' } },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const version = await delta(
      '/shares/open-data/schemas/default/tables/park_energy/version',
      fintechProfile.bearerToken,
    );
    expect(version.headers['delta-table-version']).toBe('2');
    const { response, file: after } = await queryTable(fintechProfile, 'open-data', 'park_energy');
    expect(response.headers['delta-table-version']).toBe('2');
    expect(after.id).not.toBe(before.id);
    expect(JSON.parse(after.stats)).toEqual({ numRecords: 3 });
    expect((await fetchFile(after.url)).statusCode).toBe(200);
    // Version 1 stays shared (it was open data too): its URL still serves it, as time travel does.
    expect((await fetchFile(before.url)).statusCode).toBe(200);
    const { file: travelled } = await queryTable(fintechProfile, 'open-data', 'park_energy', { version: 1 });
    expect(travelled.id).toBe(before.id);
  });

  it('lets a signed URL expire', async () => {
    const { file } = await queryTable(fintechProfile, 'open-data', 'park_energy');
    expect((await fetchFile(file.url)).statusCode).toBe(200);
    offsetMs = 16 * 60_000;
    try {
      const expired = await fetchFile(file.url);
      expect(expired.statusCode).toBe(403);
      expect(expired.json().message).toMatch(/expired/);
    } finally {
      offsetMs = 0;
    }
  });

  it("stops a revoked agreement's share and its outstanding file URLs at once", async () => {
    const revoked = await platform.app.inject({
      method: 'POST',
      url: `/v1/agreements/${branchesAgreement.id}/revoke`,
      headers: bank.headers,
      payload: { reason: 'contract ended' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const shares = await delta('/shares', fintechProfile.bearerToken);
    expect(shares.json().items.map((share: { name: string }) => share.name)).not.toContain(
      branchesAgreement.id,
    );
    const gone = await delta(
      `/shares/${branchesAgreement.id}/schemas/default/tables/branch_stats/metadata`,
      fintechProfile.bearerToken,
    );
    expect(gone.statusCode).toBe(404);
    const file = await fetchFile(branchesFile.url);
    expect(file.statusCode).toBe(403);
  });

  it('stops a revoked recipient: its token and its file URLs', async () => {
    const listed = await platform.app.inject({ url: '/v1/sharing/recipients', headers: fintech.headers });
    const recipientId = listed.json().items[0].id as string;
    const notYours = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/sharing/recipients/${recipientId}`,
      headers: insurer.headers,
    });
    expect(notYours.statusCode).toBe(404);
    const revoked = await platform.app.inject({
      method: 'DELETE',
      url: `/v1/sharing/recipients/${recipientId}`,
      headers: fintech.headers,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await delta('/shares', fintechProfile.bearerToken)).statusCode).toBe(401);
    expect((await fetchFile(customersFile.url)).statusCode).toBe(403);
  });

  it('documents the Delta Sharing and recipient routes in the OpenAPI document', async () => {
    const doc = (await platform.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sharing/recipients',
        '/delta-sharing/shares',
        '/delta-sharing/shares/{share}/all-tables',
        '/delta-sharing/shares/{share}/schemas/{schema}/tables/{table}/query',
        '/delta-sharing/files/{fileId}',
      ]),
    );
  });
});
