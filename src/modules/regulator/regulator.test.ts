import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersCsv, grantAccess, publishDataset, runQuery } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  operatorCookie,
  problemOf,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';
import { verifyEvidenceBundle } from '../audit/bundle.js';
import type { LedgerEntry } from '../audit/chain.js';
import { scopeOf } from '../audit/scope.js';
import { signingKeyPaths } from '../audit/signing.js';

const run = promisify(execFile);

describe.each(dbTargets)("regulator's workspace (%s)", (target) => {
  let platform: TestPlatform;
  let now = new Date('2026-04-01T02:00:00Z');
  let bank: Tenant;
  let fintech: Tenant;
  let insurer: Tenant;
  let shenzhen: Tenant;
  let regulator: Tenant;
  let operator: { cookie: string };
  let customersId: string;
  let branchesId: string;
  let sensitiveId: string;
  let laterSensitiveId: string;
  let plainId: string;
  let branchAgreementId: string;
  let transferId: string;

  const as = (tenant: { cookie: string }, method: 'GET' | 'POST', url: string, payload?: object) =>
    platform.app.inject({ method, url, headers: { cookie: tenant.cookie }, payload });
  const tick = () => {
    now = new Date(now.getTime() + 60_000);
  };

  beforeAll(async () => {
    platform = await createTestPlatform(target, { clock: { now: () => now } });
    bank = await createTenant(platform, { kinds: ['provider'] });
    fintech = await createTenant(platform, { kinds: ['consumer'] });
    insurer = await createTenant(platform, { kinds: ['consumer'] });
    shenzhen = await createTenant(platform, { kinds: ['consumer'], location: 'shenzhen' });
    regulator = await createTenant(platform, { kinds: ['regulator'] });
    operator = { cookie: await operatorCookie(platform) };
    customersId = (
      await publishDataset(platform, bank, {
        title: 'SME customers',
        slug: `reg_customers_${target}`,
        content: customersCsv(30),
        classifications: {
          customer_id: 'identifier',
          full_name: 'personal',
          email: 'personal',
          district: 'public',
          age: 'personal',
          balance: 'sensitive',
          opened_on: 'personal',
        },
      })
    ).id;
    branchesId = (
      await publishDataset(platform, bank, {
        title: 'Branches',
        slug: `reg_branches_${target}`,
        content: 'branch,district,staff\nB1,Sha Tin,12\nB2,Kwun Tong,9\nB3,Central and Western,20\n',
        classifications: { branch: 'internal', district: 'public', staff: 'internal' },
      })
    ).id;
    tick();
    sensitiveId = (
      await grantAccess(platform, fintech, bank, customersId, {
        columns: ['customer_id', 'district', 'age', 'balance'],
        purpose: 'credit-assessment',
        wantsDownload: true,
        terms: { masks: { customer_id: { kind: 'hash' } } },
      })
    ).id;
    tick();
    plainId = (await grantAccess(platform, insurer, bank, customersId, { columns: ['district', 'age'] })).id;
    tick();
    branchAgreementId = (
      await grantAccess(platform, fintech, bank, branchesId, { columns: ['branch', 'district', 'staff'] })
    ).id;
    tick();
    laterSensitiveId = (
      await grantAccess(platform, insurer, bank, customersId, { columns: ['customer_id'], durationDays: 60 })
    ).id;
    tick();
    const queried = await runQuery(
      platform,
      fintech,
      `SELECT district, count(*) AS n FROM reg_customers_${target} GROUP BY district`,
    );
    expect(queried.statusCode, queried.body).toBe(200);
    tick();
    expect((await runQuery(platform, fintech, `SELECT * FROM reg_branches_${target}`)).statusCode).toBe(200);
    tick();
    const downloaded = await as(fintech, 'GET', `/v1/datasets/${customersId}/download?format=csv`);
    expect(downloaded.statusCode, downloaded.body).toBe(200);
    tick();
    // A cross-boundary transfer waiting for a regulator.
    const created = await as(shenzhen, 'POST', '/v1/transfers', {
      providerOrgId: bank.orgId,
      recipientOrgId: shenzhen.orgId,
      datasetIds: [customersId],
      dataCategories: ['customer identifiers (pseudonymised)'],
      volume: 'about 30 records',
      purpose: 'credit assessment',
      noOnwardTransfer: true,
      retentionYears: 3,
      expiresAt: '2027-04-01T00:00:00Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    transferId = created.json().id;
    await as(bank, 'POST', `/v1/transfers/${transferId}/assessment`, {
      completedOn: '2026-03-30',
      attachment: { name: 'pia.pdf', sha256: 'a'.repeat(64) },
    });
    await as(bank, 'POST', `/v1/transfers/${transferId}/sign`);
    await as(shenzhen, 'POST', `/v1/transfers/${transferId}/sign`);
    expect((await as(bank, 'POST', `/v1/transfers/${transferId}/submit`)).statusCode).toBe(200);
    tick();
  });
  afterAll(async () => platform?.dispose());

  describe('review queue', () => {
    it('lists agreements over sensitive or identifier columns, newest first, and transfers awaiting review', async () => {
      const response = await as(regulator, 'GET', '/v1/regulator/queue');
      expect(response.statusCode, response.body).toBe(200);
      const queue = response.json();
      const ids = queue.agreements.map((agreement: { id: string }) => agreement.id);
      // Newest first; the personal-only and the non-personal agreements are not in it.
      expect(ids).toEqual([laterSensitiveId, sensitiveId]);
      expect(ids).not.toContain(plainId);
      const item = queue.agreements[1];
      expect(item.dataset).toEqual({ id: customersId, title: 'SME customers' });
      expect(item.provider.id).toBe(bank.orgId);
      expect(item.consumer.id).toBe(fintech.orgId);
      expect(item.purpose).toBe('credit-assessment');
      expect(item.sensitiveColumns).toEqual(['customer_id', 'balance']);
      expect(item.masks).toEqual({ customer_id: { kind: 'hash' } });
      expect(item.columns).toContainEqual({
        name: 'customer_id',
        classification: 'identifier',
        mask: 'hash',
      });
      expect(item.latestReview).toBeNull();
      expect(
        queue.transfers.map((transfer: { id: string; state: string }) => [transfer.id, transfer.state]),
      ).toEqual([[transferId, 'submitted']]);
      expect(queue.transfers[0].recipient).toMatchObject({ id: shenzhen.orgId, location: 'shenzhen' });
    });

    it('is refused to everyone but regulators', async () => {
      for (const caller of [bank, fintech, operator]) {
        const response = await as(caller, 'GET', '/v1/regulator/queue');
        expect(response.statusCode).toBe(403);
        expect(problemOf(response).code).toBe('forbidden');
      }
    });

    it('records an objection with its reason, tells both parties, flags it and leaves the decision to the provider', async () => {
      const body = {
        objectType: 'agreement',
        objectId: sensitiveId,
        decision: 'object',
        reason: 'balances are not needed for the stated purpose',
      };
      expect((await as(bank, 'POST', '/v1/regulator/reviews', body)).statusCode).toBe(403);
      const reviewed = await as(regulator, 'POST', '/v1/regulator/reviews', body);
      expect(reviewed.statusCode, reviewed.body).toBe(201);
      expect(reviewed.json()).toMatchObject({ decision: 'object', regulatorOrgId: regulator.orgId });

      const [entry] = await platform.audit.list({ action: 'agreement.review.object', limit: 1 });
      expect(entry).toMatchObject({ objectId: sensitiveId, decision: 'deny', reason: body.reason });
      for (const party of [bank, fintech]) {
        const notes = (await as(party, 'GET', '/v1/notifications')).json().items;
        expect(notes.map((note: { kind: string }) => note.kind)).toContain('agreement.objected');
      }
      // Flagged, not revoked: it leaves the pending queue, shows its review in the full one, stays in force.
      const pending = (await as(regulator, 'GET', '/v1/regulator/queue')).json();
      expect(pending.agreements.map((a: { id: string }) => a.id)).toEqual([laterSensitiveId]);
      const all = (await as(regulator, 'GET', '/v1/regulator/queue?include=all')).json();
      const flagged = all.agreements.find((a: { id: string }) => a.id === sensitiveId);
      expect(flagged.latestReview).toMatchObject({ decision: 'object', reason: body.reason });
      expect((await as(bank, 'GET', `/v1/agreements/${sensitiveId}`)).json().state).toBe('active');
      const seen = await as(
        bank,
        'GET',
        `/v1/regulator/reviews?objectType=agreement&objectId=${sensitiveId}`,
      );
      expect(seen.json().items).toHaveLength(1);
      const stranger = await as(
        shenzhen,
        'GET',
        `/v1/regulator/reviews?objectType=agreement&objectId=${sensitiveId}`,
      );
      expect(stranger.statusCode).toBe(404);
    });

    it('records an endorsement, telling both parties of the agreement and nobody else', async () => {
      const reviewed = await as(regulator, 'POST', '/v1/regulator/reviews', {
        objectType: 'agreement',
        objectId: laterSensitiveId,
        decision: 'endorse',
        reason: 'identifiers only, hashed, for 60 days',
      });
      expect(reviewed.statusCode, reviewed.body).toBe(201);
      const endorsements = async (tenant: Tenant) =>
        (
          (await as(tenant, 'GET', '/v1/notifications?limit=200')).json().items as {
            kind: string;
            objectId: string;
          }[]
        ).filter((note) => note.kind === 'agreement.endorsed' && note.objectId === laterSensitiveId);
      for (const party of [bank, insurer]) expect(await endorsements(party)).toHaveLength(1);
      for (const other of [fintech, shenzhen, regulator]) expect(await endorsements(other)).toEqual([]);
    });
  });

  describe('evidence', () => {
    const search = async (query: string, caller: { cookie: string } = regulator) => {
      const response = await as(caller, 'GET', `/v1/regulator/evidence?limit=200&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().items as LedgerEntry[];
    };
    const queryRuns = (entries: LedgerEntry[]) =>
      entries
        .filter((entry) => entry.action === 'query.run')
        .map((entry) => (entry.data.datasets as { id: string }[]).map((dataset) => dataset.id));

    it('finds the queries that touched a dataset through the ids they list in data, and no others', async () => {
      const entries = await search(`datasetId=${customersId}`);
      expect(queryRuns(entries)).toEqual([[customersId]]);
      const actions = entries.map((entry) => entry.action);
      expect(actions).toContain('dataset.download');
      expect(actions).toContain('agreement.create');
      expect(actions).toContain('transfer.create');
      expect(actions).toContain('agreement.review.object');
      expect(entries.every((entry) => JSON.stringify(entry).includes(customersId))).toBe(true);
      expect(queryRuns(await search(`datasetId=${branchesId}`))).toEqual([[branchesId]]);
    });

    it('searches by agreement, by organisation and by time', async () => {
      const byAgreement = await search(`agreementId=${branchAgreementId}`);
      expect(byAgreement.map((entry) => entry.action).sort()).toEqual([
        'access-request.approve',
        'agreement.create',
        'query.run',
      ]);
      const byOrg = await search(`orgId=${insurer.orgId}`);
      expect(byOrg.some((entry) => entry.action === 'access-request.create')).toBe(true);
      // The provider's approvals name the insurer as the consumer: party to them, so in scope.
      expect(byOrg.some((entry) => entry.action === 'agreement.create' && entry.orgId === bank.orgId)).toBe(
        true,
      );
      expect(byOrg.every((entry) => JSON.stringify(entry).includes(insurer.orgId))).toBe(true);
      const queryTime = (await search(`datasetId=${branchesId}&action=query.run`))[0]!.at;
      const windowed = await search(`orgId=${fintech.orgId}&since=${queryTime}&until=${queryTime}`);
      expect(windowed.map((entry) => entry.action)).toEqual(['query.run']);
      const paged = await as(regulator, 'GET', `/v1/regulator/evidence?datasetId=${customersId}&limit=2`);
      const next = await as(
        regulator,
        'GET',
        `/v1/regulator/evidence?datasetId=${customersId}&limit=2&cursor=${paged.json().nextCursor}`,
      );
      expect(next.json().items[0].seq).toBeLessThan(paged.json().items[1].seq);
    });

    it("is for regulators and operators only; a dataset's access history for its owner too", async () => {
      expect((await search(`datasetId=${customersId}`, operator)).length).toBeGreaterThan(0);
      for (const caller of [bank, fintech]) {
        const response = await as(caller, 'GET', `/v1/regulator/evidence?datasetId=${customersId}`);
        expect(response.statusCode).toBe(403);
      }
      // A dataset's access history is its owner's too, and nobody else's.
      expect((await as(fintech, 'GET', `/v1/regulator/datasets/${customersId}/access`)).statusCode).toBe(403);
      expect((await as(fintech, 'GET', `/v1/regulator/datasets/${branchesId}/access`)).statusCode).toBe(403);
    });

    it("shows a dataset's access history: who, when, through which agreement, rows and columns", async () => {
      const response = await as(regulator, 'GET', `/v1/regulator/datasets/${customersId}/access`);
      expect(response.statusCode, response.body).toBe(200);
      const rows = response.json().items;
      expect(rows.map((row: { action: string }) => row.action)).toEqual(['dataset.download', 'query.run']);
      expect(rows[0]).toMatchObject({
        org: { id: fintech.orgId },
        actorId: fintech.userId,
        via: 'agreement',
        agreementId: sensitiveId,
        rows: 30,
        columns: ['customer_id', 'district', 'age', 'balance'],
      });
      expect(rows[1]).toMatchObject({
        org: { id: fintech.orgId },
        agreementId: sensitiveId,
        rows: 4,
        columns: ['district'],
      });
      expect(rows[1].at).toBe(new Date(rows[1].at).toISOString());
      const branches = (await as(operator, 'GET', `/v1/regulator/datasets/${branchesId}/access`)).json()
        .items;
      expect(branches.map((row: { agreementId: string }) => row.agreementId)).toEqual([branchAgreementId]);
      // The owner reads the same history of its own dataset.
      const own = await as(bank, 'GET', `/v1/regulator/datasets/${customersId}/access`);
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().items).toEqual(rows);
    });
  });

  describe('evidence bundles', () => {
    const bundleFile = () =>
      path.join(platform.dataDir, `bundle-${Math.random().toString(36).slice(2)}.jsonl`);
    const takeBundle = async () => {
      const response = await as(regulator, 'POST', '/v1/regulator/evidence-bundles', {
        scope: { datasetId: customersId },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toContain('application/x-ndjson');
      const file = bundleFile();
      await writeFile(file, response.body);
      return { file, text: response.body };
    };
    const verify = (file: string) => verifyEvidenceBundle(file, platform.audit.publicKey);
    const tampered = async (text: string, change: (lines: string[]) => void) => {
      const lines = text.trimEnd().split('\n');
      change(lines);
      const file = bundleFile();
      await writeFile(file, `${lines.join('\n')}\n`);
      return verify(file);
    };

    it('verifies offline, also with `stp audit verify --file`: every entry in scope, under the signed head', async () => {
      const { file, text } = await takeBundle();
      const result = await verify(file);
      expect(result.problems).toEqual([]);
      expect(result.signatureValid).toBe(true);
      const manifest = result.manifest!;
      expect(manifest.scope).toEqual(scopeOf({ datasetId: customersId }));
      const searched = await platform.audit.search(manifest.scope, { limit: 1000 });
      expect(manifest.count).toBe(searched.filter((entry) => entry.seq <= manifest.head.seq).length);
      expect(text.trimEnd().split('\n')).toHaveLength(manifest.count + 1);
      expect(manifest.lastSeq).toBeLessThanOrEqual(manifest.head.seq);
      // Taking the bundle is itself in the ledger, after the head it was cut at.
      const [taken] = await platform.audit.list({ action: 'evidence.bundle.export', limit: 1 });
      expect(taken).toMatchObject({ objectId: manifest.bundleId, orgId: regulator.orgId });
      expect(taken!.seq).toBeGreaterThan(manifest.head.seq);

      const { stdout } = await run(
        process.execPath,
        [
          path.resolve('bin/stp.js'),
          'audit',
          'verify',
          '--file',
          file,
          '--public-key',
          signingKeyPaths(platform.dataDir).publicPath,
          '--json',
        ],
        { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 },
      );
      expect(JSON.parse(stdout)).toMatchObject({ ok: true, count: manifest.count });
    });

    it('fails when one byte of an entry, the scope or the manifest changes, or an entry goes missing', async () => {
      const { text } = await takeBundle();
      const entryEdited = await tampered(text, (lines) => {
        const i = lines.findIndex((line, n) => n > 0 && line.includes('"decision":"allow"'));
        lines[i] = lines[i]!.replace('"decision":"allow"', '"decision":"allaw"');
      });
      expect(entryEdited.problems).toContain('the file digest differs from the manifest');
      expect(entryEdited.problems.some((p) => p.endsWith('was changed after it was written'))).toBe(true);

      const scopeEdited = await tampered(text, (lines) => {
        lines[0] = lines[0]!.replace(`"datasetId":"${customersId}"`, `"datasetId":"${branchesId}"`);
      });
      expect(scopeEdited.problems).toEqual(['the readable manifest differs from the signed one']);

      const countEdited = await tampered(text, (lines) => {
        lines[0] = lines[0]!.replace(/"count":(\d+)/, (_, n) => `"count":${Number(n) + 1}`);
      });
      expect(countEdited.problems).toContain('the readable manifest differs from the signed one');

      const signatureEdited = await tampered(text, (lines) => {
        const envelope = JSON.parse(lines[0]!);
        const last = envelope.signature.at(-2) === 'A' ? 'B' : 'A';
        envelope.signature = `${envelope.signature.slice(0, -2)}${last}${envelope.signature.at(-1)}`;
        lines[0] = JSON.stringify(envelope);
      });
      expect(signatureEdited.signatureValid).toBe(false);

      const dropped = await tampered(text, (lines) => lines.splice(2, 1));
      expect(dropped.problems).toContain('the file digest differs from the manifest');
    });

    it('writes the same format from the CLI path (stp audit export --dataset …)', async () => {
      const file = bundleFile();
      const manifest = await platform.audit.writeEvidenceBundle(
        file,
        scopeOf({ agreementId: branchAgreementId }),
      );
      expect(manifest.count).toBe(3);
      expect((await verify(file)).problems).toEqual([]);
      expect((await readFile(file, 'utf8')).split('\n')[0]).toContain('"format":"stp-evidence-bundle/1"');
    });
  });

  describe('regulators cannot read data', () => {
    it('refuses their queries, samples, downloads and access requests', async () => {
      const queried = await runQuery(platform, regulator, `SELECT * FROM reg_customers_${target}`);
      expect(queried.statusCode).toBe(403);
      expect(problemOf(queried).code).toBe('query-refused');
      const sample = await as(regulator, 'GET', `/v1/datasets/${customersId}/sample`);
      expect(sample.statusCode).toBe(403);
      expect(problemOf(sample).code).toBe('agreement-not-active');
      const download = await as(regulator, 'GET', `/v1/datasets/${customersId}/download?format=csv`);
      expect(download.statusCode).toBe(403);
      const asked = await as(regulator, 'POST', '/v1/access-requests', {
        datasetId: customersId,
        purpose: 'regulatory-compliance',
        purposeText: 'inspection',
        columns: ['customer_id'],
        durationDays: 1,
      });
      expect(asked.statusCode).toBe(403);
      expect(problemOf(asked).code).toBe('forbidden');
      const tables = (await as(regulator, 'GET', '/v1/query/tables')).json().items;
      expect(tables.map((table: { datasetId: string }) => table.datasetId)).not.toContain(customersId);
    });
  });
});
