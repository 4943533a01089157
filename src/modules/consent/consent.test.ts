import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredential, publishDemoApi, subscribe } from '../../../test/api-hub.js';
import { grantAccess, multipartBody, publishDataset, runQuery } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../../demo/building-energy.js';
import { csvField, parseCsv } from './csv.js';
import { type ConsentGate, consentRefusal } from './gate.js';
import { type Consent, importDigest } from './service.js';

/** Monthly transaction summaries of ten SMEs, three months each: the subject column is customer_id. */
function summariesCsv(): string {
  const lines = ['customer_id,month,credits_hkd,debits_hkd'];
  for (let i = 1; i <= 10; i++) {
    for (const month of ['2024-04', '2024-05', '2024-06']) {
      lines.push(`SME-${String(i).padStart(3, '0')},${month},${i * 10_000},${i * 7_000}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const sme = (i: number) => `SME-${String(i).padStart(3, '0')}`;

describe('the unit rules', () => {
  it('reads back any CSV written field by field (RFC 4180), naming lines across quoted line breaks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é', '\r\n') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { maxLength: 8 }), (rows) => {
        const text = rows.map((row) => row.map(csvField).join(',')).join('\r\n');
        expect(parseCsv(text).map((record) => record.fields)).toEqual(rows);
      }),
    );
    const records = parseCsv('a,b\n"x\ny",z\n\nlast,one\n');
    expect(records.map((record) => record.line)).toEqual([1, 2, 5]);
    expect(() => parseCsv('a,b\n"open,b\n')).toThrow(/line 2: a quoted field is never closed/);
  });

  it('lets a gateway call through only within a live window of a consent for the caller or any', () => {
    const gate: ConsentGate = {
      purpose: 'credit-assessment',
      subjectRequired: false,
      bySubject: new Map([
        ['A', [{ consentId: 'cns_a', granteeOrgId: 'org_me', fromMs: 1000, untilMs: 2000 }]],
        ['B', [{ consentId: 'cns_b', granteeOrgId: null, fromMs: 0, untilMs: Number.POSITIVE_INFINITY }]],
        [
          'C',
          [{ consentId: 'cns_c', granteeOrgId: 'org_other', fromMs: 0, untilMs: Number.POSITIVE_INFINITY }],
        ],
      ]),
    };
    expect(consentRefusal(gate, 'org_me', 'A', 1500)).toBeNull();
    // Expiry between two snapshots is caught by the clock, not by a reload.
    expect(consentRefusal(gate, 'org_me', 'A', 2000)).toMatch(/no live consent/);
    expect(consentRefusal(gate, 'org_me', 'B', 5000)).toBeNull();
    expect(consentRefusal(gate, 'org_me', 'C', 5000)).toMatch(/no live consent/);
    expect(consentRefusal(gate, 'org_me', 'A,B', 1500)).toMatch(/must be one subject key/);
    expect(consentRefusal(gate, 'org_me', undefined, 1500)).toBeNull();
    expect(consentRefusal({ ...gate, subjectRequired: true }, 'org_me', undefined, 1500)).toMatch(
      /every call to this API concerns a data subject/,
    );
  });
});

describe.each(dbTargets)('consents (%s)', (target) => {
  let platform: TestPlatform;
  let bank: Tenant;
  /** A second provider: must never see or touch the bank's consents. */
  let otherBank: Tenant;
  let lender: Tenant;
  let fintech: Tenant;
  let researcher: Tenant;
  let base: string;
  let summaries: { id: string };
  let otherDataset: { id: string };
  const consentIds = new Map<string, string>();

  const inject = (
    tenant: Tenant,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => platform.app.inject({ method, url, headers: tenant.headers, ...(payload ? { payload } : {}) });

  async function consent(body: Record<string, unknown>) {
    const response = await inject(bank, 'POST', '/v1/consents', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; state: string };
  }

  async function subjectsSeenBy(
    tenant: Tenant,
    sql = 'SELECT DISTINCT customer_id FROM sme_summaries ORDER BY 1',
  ) {
    const response = await runQuery(platform, tenant, sql);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().rows as unknown[][]).map((row) => row[0]);
  }

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    bank = await createTenant(platform, { kinds: ['provider'], name: `Harbour Test Bank ${target}` });
    otherBank = await createTenant(platform, { kinds: ['provider'] });
    lender = await createTenant(platform, { kinds: ['consumer'], name: `Lion Rock Test Bank ${target}` });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    researcher = await createTenant(platform, { kinds: ['consumer'] });
    summaries = await publishDataset(platform, bank, {
      title: 'SME summaries',
      slug: 'sme_summaries',
      content: summariesCsv(),
      classifications: { customer_id: 'identifier', credits_hkd: 'sensitive', debits_hkd: 'sensitive' },
    });
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    otherDataset = await publishDataset(platform, bank, {
      title: 'Other bank file',
      slug: 'other_bank_file',
      content: 'customer_id,score\nSME-006,1\n',
      classifications: { customer_id: 'identifier' },
    });
  });
  afterAll(async () => platform?.dispose());

  it('marks a dataset consent-required only with a subject column it has, and never as open data', async () => {
    const missing = await inject(bank, 'PATCH', `/v1/datasets/${summaries.id}`, { consentRequired: true });
    expect(missing.statusCode).toBe(400);
    expect(problemOf(missing).detail).toMatch(/^subjectColumn: /);
    const unknown = await inject(bank, 'PATCH', `/v1/datasets/${summaries.id}`, {
      consentRequired: true,
      subjectColumn: 'customer',
    });
    expect(problemOf(unknown).detail).toContain('has no column customer');
    const foreign = await inject(otherBank, 'PATCH', `/v1/datasets/${summaries.id}`, {
      consentRequired: false,
    });
    expect(foreign.statusCode).toBe(404);
    const marked = await inject(bank, 'PATCH', `/v1/datasets/${summaries.id}`, {
      consentRequired: true,
      subjectColumn: 'customer_id',
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({
      consentRequired: true,
      subjectColumn: 'customer_id',
      isOpen: false,
    });

    const open = await publishDataset(platform, bank, {
      title: 'Open but consented',
      slug: 'open_but_consented',
      licence: 'CC-BY-4.0',
      content: 'subject,visits\nA1,3\n',
      classifications: { subject: 'public' },
    });
    expect(open.isOpen).toBe(true);
    const closed = await inject(bank, 'PATCH', `/v1/datasets/${open.id}`, {
      consentRequired: true,
      subjectColumn: 'subject',
    });
    expect(closed.json().isOpen).toBe(false);
    // A new version without the subject column would leave nothing to filter on: refused.
    const body = multipartBody({ name: 'v2.csv', content: 'visitor,visits\nA1,3\n' });
    const upload = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${open.id}/versions`,
      headers: { ...bank.headers, ...body.headers },
      payload: body.payload,
    });
    expect(upload.statusCode).toBe(422);
    expect(problemOf(upload).detail).toContain('no subject column subject');
  });

  it('shows another organisation only the rows of subjects with a live consent for its purpose and organisation', async () => {
    const lenderOnly = { purpose: 'credit-assessment', granteeOrgId: lender.orgId };
    consentIds.set(
      sme(1),
      (await consent({ subjectKey: sme(1), ...lenderOnly, evidence: 'form HB-C-0001' })).id,
    );
    await consent({ subjectKey: sme(2), purpose: 'credit-assessment' }); // any organisation
    await consent({ subjectKey: sme(3), purpose: 'marketing', granteeOrgId: lender.orgId }); // another purpose
    await consent({ subjectKey: sme(4), purpose: 'credit-assessment', granteeOrgId: fintech.orgId }); // another grantee
    const expired = await consent({
      subjectKey: sme(5),
      ...lenderOnly,
      grantedAt: '2020-01-01T00:00:00Z',
      expiresAt: '2021-01-01',
    });
    expect(expired.state).toBe('expired');
    await consent({ subjectKey: sme(6), ...lenderOnly, datasetIds: [otherDataset.id] }); // another dataset
    await consent({ subjectKey: sme(7), ...lenderOnly, datasetIds: [summaries.id] }); // this dataset by name
    await consent({ subjectKey: sme(8), ...lenderOnly, expiresAt: '2099-12-31T00:00:00+08:00' });

    await grantAccess(platform, lender, bank, summaries.id, {
      columns: ['customer_id', 'month', 'credits_hkd'],
      purpose: 'credit-assessment',
      wantsDownload: true,
    });
    expect(await subjectsSeenBy(lender)).toEqual([sme(1), sme(2), sme(7), sme(8)]);
    const rows = await runQuery(platform, lender, 'SELECT count(*) AS n FROM sme_summaries');
    expect(Number(rows.json().rows[0][0])).toBe(12);

    // The same rule for another grantee, and nothing at all for a purpose nobody consented to.
    await grantAccess(platform, fintech, bank, summaries.id, {
      columns: ['customer_id', 'month'],
      purpose: 'credit-assessment',
    });
    expect(await subjectsSeenBy(fintech)).toEqual([sme(2), sme(4)]);
    await grantAccess(platform, researcher, bank, summaries.id, {
      columns: ['customer_id'],
      purpose: 'research',
    });
    expect(await subjectsSeenBy(researcher)).toEqual([]);
  });

  it('still shows the owner every row', async () => {
    expect(await subjectsSeenBy(bank)).toHaveLength(10);
  });

  it('applies the same filter to downloads, and keeps masks on the subject column', async () => {
    const download = await inject(lender, 'GET', `/v1/datasets/${summaries.id}/download?format=csv`);
    expect(download.statusCode, download.body).toBe(200);
    const subjects = new Set(
      download.body
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    );
    expect([...subjects].sort()).toEqual([sme(1), sme(2), sme(7), sme(8)]);

    const masked = await createTenant(platform, { kinds: ['consumer'] });
    await consent({ subjectKey: sme(9), purpose: 'credit-assessment', granteeOrgId: masked.orgId });
    await grantAccess(platform, masked, bank, summaries.id, {
      columns: ['customer_id', 'month'],
      purpose: 'credit-assessment',
      terms: { masks: { customer_id: { kind: 'hash' } } },
    });
    const seen = await subjectsSeenBy(masked);
    expect(seen).toHaveLength(2); // SME-002 (any) and SME-009, as pseudonyms
    for (const value of seen) expect(value).toMatch(/^[0-9a-f]{32}$/);
  });

  it('takes a revocation into account from the next query, and records it in the ledger', async () => {
    const id = consentIds.get(sme(1))!;
    const revoked = await inject(bank, 'POST', `/v1/consents/${id}/revoke`, {
      reason: 'the customer withdrew',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ state: 'revoked', revokeReason: 'the customer withdrew' });
    expect(await subjectsSeenBy(lender)).toEqual([sme(2), sme(7), sme(8)]);
    const again = await inject(bank, 'POST', `/v1/consents/${id}/revoke`, { reason: 'twice' });
    expect(problemOf(again).code).toBe('conflict');
    const [entry] = await platform.audit.list({ action: 'consent.revoke', objectId: id, limit: 5 });
    expect(entry).toMatchObject({ orgId: bank.orgId, reason: 'the customer withdrew' });
  });

  it('lists and filters consents by subject, purpose, grantee and state', async () => {
    const list = async (query: string) =>
      ((await inject(bank, 'GET', `/v1/consents?${query}`)).json().items as { subjectKey: string }[]).map(
        (consent) => consent.subjectKey,
      );
    expect(await list('state=revoked')).toEqual([sme(1)]);
    expect(await list('state=expired')).toEqual([sme(5)]);
    expect(await list('purpose=marketing')).toEqual([sme(3)]);
    expect(await list(`granteeOrgId=${fintech.orgId}`)).toEqual([sme(4)]);
    expect(await list(`subjectKey=${sme(7)}&state=live`)).toEqual([sme(7)]);
    const page = await inject(bank, 'GET', '/v1/consents?limit=2');
    expect(page.json().items).toHaveLength(2);
    expect(page.json().nextCursor).toEqual(expect.any(String));
  });

  it("keeps a provider's consents from every other organisation (404, also for revocation)", async () => {
    const id = (await consent({ subjectKey: sme(10), purpose: 'credit-assessment' })).id;
    for (const tenant of [otherBank, lender]) {
      expect((await inject(tenant, 'GET', `/v1/consents/${id}`)).statusCode).toBe(404);
      const revoke = await inject(tenant, 'POST', `/v1/consents/${id}/revoke`, { reason: 'not mine' });
      expect(revoke.statusCode).toBe(404);
      expect((await inject(tenant, 'GET', `/v1/consents/receipts/${sme(10)}`)).statusCode).toBe(404);
      expect((await inject(tenant, 'GET', '/v1/consents')).json().items).toEqual([]);
    }
    expect((await inject(bank, 'GET', `/v1/consents/${id}`)).json().state).toBe('live');
    // A consent may not name another provider's dataset or an organisation that does not exist.
    const foreign = await inject(otherBank, 'POST', '/v1/consents', {
      subjectKey: 'X1',
      purpose: 'research',
      datasetIds: [summaries.id],
    });
    expect(problemOf(foreign).detail).toContain('is not your dataset');
  });

  it('imports a CSV file all or nothing, naming the lines at fault', async () => {
    const good = [
      'subject_key,purpose,grantee_org_id,dataset_ids,expires_at,evidence',
      `IMP-1,credit-assessment,${lender.orgId},${summaries.id},2099-01-01,"branch form, signed"`,
      'IMP-2,credit-assessment,,,,',
      `IMP-3,fraud-prevention,${lender.orgId},,,"multi-line\nnote"`,
    ];
    const bad = [
      ...good,
      'IMP-4,gossip,,,,',
      `IMP 5,research,,${otherDataset.id}x,,`,
      'IMP-6,research,org_00000000000000000000000000,,,',
    ];
    const refused = await platform.app.inject({
      method: 'POST',
      url: '/v1/consents/import',
      headers: { ...bank.headers, 'content-type': 'text/csv' },
      payload: bad.join('\n'),
    });
    expect(refused.statusCode).toBe(422);
    const problem = problemOf(refused) as unknown as {
      code: string;
      detail: string;
      errors: { line: number; field: string; message: string }[];
    };
    expect(problem.code).toBe('consent-import-invalid');
    // Line 6 is the gossip line: the quoted line break of line 4 counts.
    expect(problem.detail).toMatch(/^line 6: purpose: must be one of /);
    expect(problem.errors.map((error) => error.field)).toEqual([
      'line 6/purpose',
      'line 7/subject_key',
      'line 7/dataset_ids',
      'line 8/grantee_org_id',
    ]);
    expect(problem.errors.map((error) => error.line)).toEqual([6, 7, 7, 8]);
    const none = await inject(bank, 'GET', '/v1/consents?subjectKey=IMP-1');
    expect(none.json().items).toEqual([]);

    const upload = multipartBody({ name: 'consents.csv', content: good.join('\r\n'), type: 'text/csv' });
    const imported = await platform.app.inject({
      method: 'POST',
      url: '/v1/consents/import',
      headers: { ...bank.headers, ...upload.headers },
      payload: upload.payload,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const result = imported.json() as { importId: string; imported: number; sha256: string };
    expect(result).toMatchObject({ importId: expect.stringMatching(/^cni_/), imported: 3 });
    const rows = (await inject(bank, 'GET', '/v1/consents?limit=200')).json().items as (Omit<
      Consent,
      'grantedAt' | 'expiresAt'
    > & { grantedAt: string; expiresAt: string | null })[];
    const batch = rows.filter((row) => row.importId === result.importId);
    expect(batch.map((row) => row.subjectKey).sort()).toEqual(['IMP-1', 'IMP-2', 'IMP-3']);
    expect(batch.find((row) => row.subjectKey === 'IMP-1')).toMatchObject({
      evidence: 'branch form, signed',
      datasetIds: [summaries.id],
      expiresAt: '2098-12-31T16:00:00.000Z',
    });
    const [entry] = await platform.audit.list({
      action: 'consent.import',
      objectId: result.importId,
      limit: 1,
    });
    expect(entry?.data).toMatchObject({ consents: 3, fileSha256: result.sha256 });
    const digest = importDigest(
      batch.map((row) => ({
        ...row,
        grantedAt: new Date(row.grantedAt),
        expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
      })),
    );
    expect(entry?.data.consentsSha256).toBe(digest);
    expect(await subjectsSeenBy(lender)).not.toContain('IMP-1'); // imported, but no such rows
  });

  it('hands a subject a Kantara-style consent receipt', async () => {
    const response = await inject(bank, 'GET', `/v1/consents/receipts/${sme(1)}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain(`consent-receipt-${sme(1)}.json`);
    const receipt = response.json();
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'HK',
      consentTimestamp: expect.any(Number),
      collectionMethod: expect.stringContaining('its API'),
      consentReceiptID: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      language: 'en',
      piiPrincipalId: sme(1),
      piiControllers: [{ piiController: `Harbour Test Bank ${target}`, onBehalf: false }],
      policyUrl: expect.stringContaining(`/v1/orgs/${bank.orgId}`),
      sensitive: true,
      spiCat: expect.arrayContaining(['SME summaries: credits_hkd']),
    });
    expect(receipt.consentTimestamp).toBeLessThan(Date.now() / 1000 + 1);
    expect(receipt.services).toHaveLength(1);
    expect(receipt.services[0].service).toBe(
      `All consent-required datasets and APIs of Harbour Test Bank ${target}`,
    );
    expect(receipt.services[0].purposes).toEqual([
      expect.objectContaining({
        purpose: 'credit-assessment',
        purposeCategory: ['dpv:CreditChecking'],
        consentType: 'EXPLICIT',
        piiCategory: expect.arrayContaining(['SME summaries: customer_id (identifier)']),
        primaryPurpose: false,
        termination: expect.stringMatching(/^Revoked on .*: the customer withdrew\.$/),
        thirdPartyDisclosure: true,
        thirdPartyName: `Lion Rock Test Bank ${target}`,
        consentId: consentIds.get(sme(1)),
        state: 'revoked',
        evidence: 'form HB-C-0001',
      }),
    ]);
    const again = await inject(bank, 'GET', `/v1/consents/receipts/${sme(1)}`);
    expect(again.json().consentReceiptID).toBe(receipt.consentReceiptID);
    const named = (await inject(bank, 'GET', `/v1/consents/receipts/${sme(7)}`)).json();
    expect(named.services[0].service).toBe('SME summaries');
    expect((await inject(bank, 'GET', '/v1/consents/receipts/NOBODY')).statusCode).toBe(404);
  });

  it('imports and lists consents with `stp consents`', async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'stp-consents-cli-'));
    try {
      const token = await inject(bank, 'POST', '/v1/tokens', { name: 'consents cli' });
      const { DATABASE_URL: _db, REDIS_URL: _redis, ...rest } = process.env;
      const env = { ...rest, STP_URL: base, STP_TOKEN: token.json().secret, STP_CONFIG_DIR: workDir };
      const stp = (args: string[]) =>
        promisify(execFile)(process.execPath, [path.resolve('bin/stp.js'), ...args], {
          env,
          timeout: 60_000,
        }).catch((error: { code: number; stdout: string; stderr: string }) => error);
      const file = path.join(workDir, 'consents.csv');
      await writeFile(
        file,
        'subject_key,purpose,granted_at\nCLI-1,statistics,2024-01-01\nCLI-2,statistics,\n',
      );
      const imported = await stp(['consents', 'import', file, '--json']);
      expect(imported.stderr).toBe('');
      expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 2 });
      await writeFile(file, 'subject_key,purpose\nCLI-3,statistics\nCLI-4,gossip\n');
      const refused = (await stp(['consents', 'import', file])) as { code: number; stderr: string };
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('line 3/purpose: must be one of');
      const listed = await stp(['consents', 'list', '--purpose', 'statistics']);
      expect(listed.stdout).toMatch(/CLI-1\s+statistics\s+any\s+all\s+live/);
      expect(listed.stdout).not.toContain('CLI-3');
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  describe('at the gateway', () => {
    let upstream: RunningUpstream;
    let hub: Awaited<ReturnType<typeof publishDemoApi>>;
    let key: string;
    const slug = `consent-energy-${target}`;
    const call = (headers: Record<string, string> = {}) =>
      fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': key, ...headers } });

    beforeAll(async () => {
      upstream = await startBuildingEnergyUpstream();
      hub = await publishDemoApi(platform, bank, { slug, upstreamUrl: upstream.url });
      // A plan with room for every call these cases make, polling included: a 429 from a spent burst
      // must never stand in for the consent decision under test.
      const roomy = await inject(bank, 'POST', `/v1/apis/${hub.api.id}/plans`, {
        name: 'Consent checks',
        rateLimitPerSecond: 1000,
        burst: 1000,
        includedTags: ['buildings'],
      });
      expect(roomy.statusCode, roomy.body).toBe(201);
      expect((await subscribe(platform, lender, roomy.json().id)).statusCode).toBe(201);
      key = (await createCredential(platform, lender, 'api-key')).secret;
      const requirement = await inject(bank, 'PUT', `/v1/apis/${hub.api.id}/consent-requirement`, {
        purpose: 'credit-assessment',
        subjectRequired: false,
      });
      expect(requirement.statusCode, requirement.body).toBe(200);
      await consent({
        subjectKey: 'GW-1',
        purpose: 'credit-assessment',
        granteeOrgId: lender.orgId,
        apiIds: [hub.api.id],
      });
      await consent({ subjectKey: 'GW-2', purpose: 'marketing', granteeOrgId: lender.orgId });
      await platform.gateway.refresh();
    });
    afterAll(async () => upstream?.close());

    it('lets a call for a consenting subject through and refuses one without consent', async () => {
      expect((await call({ 'x-subject-key': 'GW-1' })).status).toBe(200);
      // SME-002 consented to any organisation for every consent-required item: the API included.
      expect((await call({ 'x-subject-key': sme(2) })).status).toBe(200);
      for (const subject of ['GW-2', 'GW-404', sme(4)]) {
        const refused = await call({ 'x-subject-key': subject });
        expect(refused.status, subject).toBe(403);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect(((await refused.json()) as { code: string }).code).toBe('consent-required');
      }
      expect((await call()).status).toBe(200);
      const consumerView = await inject(lender, 'GET', `/v1/apis/${hub.api.id}/consent-requirement`);
      expect(consumerView.json()).toMatchObject({ purpose: 'credit-assessment', subjectRequired: false });
    });

    it('refuses calls naming no subject when the API says every call concerns one', async () => {
      await inject(bank, 'PUT', `/v1/apis/${hub.api.id}/consent-requirement`, {
        purpose: 'credit-assessment',
        subjectRequired: true,
      });
      await platform.gateway.refresh();
      const refused = await call();
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { detail: string }).detail).toContain('x-subject-key');
      expect((await call({ 'x-subject-key': 'GW-1' })).status).toBe(200);
    });

    it('refuses calls once the consent is revoked, without a restart or a manual reload', async () => {
      const [gw1] = (await inject(bank, 'GET', '/v1/consents?subjectKey=GW-1')).json().items as {
        id: string;
      }[];
      expect((await call({ 'x-subject-key': 'GW-1' })).status).toBe(200);
      const revoked = await inject(bank, 'POST', `/v1/consents/${gw1!.id}/revoke`, { reason: 'withdrawn' });
      expect(revoked.statusCode).toBe(200);
      // The revocation reaches the gateway through the change feed (a debounced snapshot reload),
      // well before the 5 s periodic reload could.
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 1000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await call({ 'x-subject-key': 'GW-1' })).status;
      }
      expect(status).toBe(403);
      const next = await call({ 'x-subject-key': 'GW-1' });
      expect(next.status).toBe(403);
      expect(((await next.json()) as { code: string }).code).toBe('consent-required');
    });
  });
});
