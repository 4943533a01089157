import { execFileSync } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepIdempotencyKeys } from '../src/http/idempotency.js';
import { customersCsv, multipartBody } from './data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';
import { waitFor } from './processes.js';

/**
 * Faults a client can act on: a retried write with an Idempotency-Key gets the first answer, not a
 * conflict; a full or read-only disk is named (507, 503 with Retry-After) and leaves nothing behind;
 * leftovers of interrupted uploads are swept while the platform runs. The answer to a retry after a
 * crash between commit and answer is in test/faults-crash.test.ts.
 */

/** Mounts a 1 MiB tmpfs at `dir`, or says why it cannot (not root, no mount(8), a container without CAP_SYS_ADMIN). */
function mountTmpfs(dir: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'mount failed';
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {}
}

describe.each(dbTargets)('faults a client can act on (%s)', (target) => {
  let platform: TestPlatform;
  let provider: Tenant;
  let consumer: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target, { env: { STP_SWEEP_INTERVAL_MS: '200' } });
    provider = await createTenant(platform, { kinds: ['provider'] });
    consumer = await createTenant(platform, { kinds: ['consumer'] });
  }, 180_000);

  afterAll(async () => {
    await platform?.dispose();
  });

  const createDraft = (tenant: Tenant, key: string | undefined, title: string) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { ...tenant.headers, ...(key ? { 'idempotency-key': key } : {}) },
      payload: { title, licence: 'proprietary' },
    });

  const draftsTitled = async (tenant: Tenant, title: string) => {
    const listed = await platform.app.inject({
      method: 'GET',
      url: '/v1/datasets?limit=100',
      headers: tenant.headers,
    });
    return (listed.json().items as { title: string }[]).filter((item) => item.title === title);
  };

  describe('Idempotency-Key', () => {
    it('answers a retry with the first answer, replayed, and does the change once', async () => {
      const first = await createDraft(provider, '"draft-once-1"', 'Made once');
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const retried = await createDraft(provider, '"draft-once-1"', 'Made once');
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.headers['content-type']).toBe(first.headers['content-type']);
      expect(retried.json()).toEqual(first.json());
      expect(await draftsTitled(provider, 'Made once')).toHaveLength(1);
    });

    it('refuses the same key with another body (422) and changes nothing', async () => {
      expect((await createDraft(provider, 'draft-other-body', 'First body')).statusCode).toBe(201);
      const reused = await createDraft(provider, 'draft-other-body', 'Second body');
      expect(reused.statusCode).toBe(422);
      expect(problemOf(reused).code).toBe('idempotency-key-reused');
      expect(await draftsTitled(provider, 'Second body')).toEqual([]);
    });

    it('refuses a duplicate sent while the first is still running (409), then replays the first', async () => {
      const draft = (await createDraft(provider, undefined, 'Slow upload')).json().id as string;
      const body = multipartBody({ name: 'slow.csv', content: customersCsv(200) });
      const stream = new PassThrough();
      // Sent chunked each time, as the same client would: no content-length, the same fingerprint.
      const whole = () => {
        const again = new PassThrough();
        again.end(body.payload);
        return again;
      };
      const uploading = (payload: PassThrough) =>
        platform.app.inject({
          method: 'POST',
          url: `/v1/datasets/${draft}/versions`,
          headers: { ...provider.headers, ...body.headers, 'idempotency-key': 'slow-upload' },
          payload,
        });
      // The first upload sends half its body and waits; its twin arrives meanwhile.
      const first = uploading(stream);
      stream.write(body.payload.subarray(0, body.payload.length / 2));
      const incoming = path.join(platform.dataDir, 'incoming');
      await waitFor(async () => (await readdir(incoming).catch(() => [])).length > 0, 'the first upload');
      const twin = await uploading(whole());
      expect(twin.statusCode).toBe(409);
      expect(problemOf(twin).code).toBe('idempotency-key-in-use');
      expect(twin.headers['retry-after']).toBe('1');
      stream.end(body.payload.subarray(body.payload.length / 2));
      const done = await first;
      expect(done.statusCode, done.body).toBe(201);
      const retried = await uploading(whole());
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.json().currentVersion.id).toBe(done.json().currentVersion.id);
      const versions = await platform.app.inject({
        method: 'GET',
        url: `/v1/datasets/${draft}/versions`,
        headers: provider.headers,
      });
      expect(versions.json().items).toHaveLength(1);
    });

    it("keeps each caller's keys apart, replays refusals, and forgets keys after 24 hours", async () => {
      // Another organisation's key of the same name is its own.
      const theirs = await createDraft(consumer, 'shared-name', 'Consumer draft');
      const ours = await createDraft(provider, 'shared-name', 'Provider draft');
      expect([theirs.statusCode, ours.statusCode]).toEqual([403, 201]);
      expect(ours.headers['idempotent-replayed']).toBeUndefined();
      // A refusal is an answer too: the retry learns the same thing, without running again.
      const replayedRefusal = await createDraft(consumer, 'shared-name', 'Consumer draft');
      expect(replayedRefusal.statusCode).toBe(403);
      expect(replayedRefusal.headers['idempotent-replayed']).toBe('true');
      // Past 24 hours the sweep removes the key; the same key then starts a new request.
      const tomorrow = new Date(Date.now() + 24 * 3_600_000 + 60_000);
      expect(await sweepIdempotencyKeys(platform.database.db, tomorrow)).toBeGreaterThanOrEqual(2);
      const again = await createDraft(provider, 'shared-name', 'Provider draft, a day later');
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.json().id).not.toBe(ours.json().id);
    });

    it('refuses a malformed key before doing anything', async () => {
      const refused = await createDraft(provider, '"with "quote" inside"', 'Bad key');
      expect(refused.statusCode).toBe(400);
      expect(problemOf(refused).code).toBe('idempotency-key-invalid');
      expect(await draftsTitled(provider, 'Bad key')).toEqual([]);
    });
  });

  describe('sweeps while running', () => {
    it('removes an old partial upload while the platform runs, leaves a young one, and says so in /metrics', async () => {
      const incoming = path.join(platform.dataDir, 'incoming');
      await mkdir(incoming, { recursive: true });
      const old = path.join(incoming, 'crashed-upload.csv');
      const young = path.join(incoming, 'upload-in-progress.csv');
      await writeFile(old, 'a,b\n1,2\n');
      await writeFile(young, 'a,b\n');
      const anHourAgo = new Date(Date.now() - 3_600_000);
      await utimes(old, anHourAgo, anHourAgo);
      const sweptFiles = async () => {
        const metrics = (await platform.app.inject({ method: 'GET', url: '/metrics' })).body;
        return Number(/^stp_swept_files_total (\d+)/m.exec(metrics)?.[1] ?? 0);
      };
      // The file goes first; the count follows when that sweep has finished.
      await waitFor(
        async () => !(await readdir(incoming)).includes(path.basename(old)) && (await sweptFiles()) >= 1,
        'the sweep',
      );
      expect(await readdir(incoming)).toContain(path.basename(young));
      expect(await sweptFiles()).toBeGreaterThanOrEqual(1);
    });
  });

  describe('storage errors named', () => {
    let draftId: string;
    let mounted: string | null = 'not mounted yet';
    const incoming = () => path.join(platform.dataDir, 'incoming');

    beforeAll(async () => {
      const draft = await createDraft(provider, undefined, 'Disk trouble');
      draftId = draft.json().id;
      await mkdir(incoming(), { recursive: true });
      mounted = mountTmpfs(incoming());
      if (mounted) console.warn(`storage-error tests skipped: cannot mount a tmpfs (${mounted})`);
    });

    afterAll(() => {
      if (!mounted) unmount(incoming());
    });

    const upload = (bytes: number) => {
      const body = multipartBody({ name: 'customers.csv', content: customersCsv(Math.ceil(bytes / 60)) });
      return platform.app.inject({
        method: 'POST',
        url: `/v1/datasets/${draftId}/versions`,
        headers: { ...provider.headers, ...body.headers },
        payload: body.payload,
      });
    };

    const nothingLeft = async () => {
      expect(await readdir(incoming())).toEqual([]);
      expect(await readdir(path.join(platform.dataDir, 'datasets', draftId)).catch(() => [])).toEqual([]);
      const versions = await platform.app.inject({
        method: 'GET',
        url: `/v1/datasets/${draftId}/versions`,
        headers: provider.headers,
      });
      expect(versions.json().items).toEqual([]);
    };

    it('answers a full disk 507 storage-full, counted, with nothing left behind', async (context) => {
      if (mounted) context.skip();
      const full = await upload(3 * 1024 * 1024);
      expect(full.statusCode, full.body).toBe(507);
      expect(problemOf(full).code).toBe('storage-full');
      expect(full.body).not.toContain(platform.dataDir);
      await nothingLeft();
      const metrics = (await platform.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/^stp_storage_failures_total\{code="storage-full",errno="ENOSPC"\} 1$/m);
    });

    it('answers a read-only disk 503 storage-unavailable with Retry-After, nothing left behind', async (context) => {
      if (mounted) context.skip();
      execFileSync('mount', ['-o', 'remount,ro', incoming()]);
      try {
        const readOnly = await upload(10_000);
        expect(readOnly.statusCode, readOnly.body).toBe(503);
        expect(problemOf(readOnly).code).toBe('storage-unavailable');
        expect(Number(readOnly.headers['retry-after'])).toBeGreaterThan(0);
        await nothingLeft();
      } finally {
        execFileSync('mount', ['-o', 'remount,rw', incoming()]);
      }
      // Space back, writable again: the same upload goes through.
      const small = await upload(10_000);
      expect(small.statusCode, small.body).toBe(201);
    });
  });
});
