import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileOnce, writeAside, writeFileAtomic } from './atomic-files.js';

describe('files written aside, fsynced and renamed', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stp-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows nothing under the final name while the content is being written, then all of it', async () => {
    const final = path.join(dir, 'v1.parquet');
    let seenWhileWriting: string[] = [];
    await writeAside(final, async (aside) => {
      await writeFile(aside, 'first half ');
      seenWhileWriting = await readdir(dir);
      await writeFile(aside, 'first half and second half');
    });
    expect(seenWhileWriting).toHaveLength(1);
    expect(seenWhileWriting[0]).toMatch(/^\.v1\.parquet\.[0-9a-f]{12}\.partial$/);
    expect(await readFile(final, 'utf8')).toBe('first half and second half');
    expect(await readdir(dir)).toEqual(['v1.parquet']);
  });

  it('leaves neither the final file nor the aside one when the write fails', async () => {
    const final = path.join(dir, 'share.parquet');
    await expect(
      writeAside(final, async (aside) => {
        await writeFile(aside, 'half');
        throw new Error('disk gone');
      }),
    ).rejects.toThrow('disk gone');
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces a file whole, with the mode asked for', async () => {
    const final = path.join(dir, 'server.json');
    await writeFileAtomic(final, 'old');
    await writeFileAtomic(final, 'new', { mode: 0o600 });
    expect(await readFile(final, 'utf8')).toBe('new');
    expect((await stat(final)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['server.json']);
  });

  it('creates a key once when many writers race, and every one reads the winner', async () => {
    const final = path.join(dir, 'url-signing.key');
    const contents = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    const created = await Promise.all(
      contents.map((content) => createFileOnce(final, content, { mode: 0o600 })),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    const winner = contents[created.indexOf(true)];
    expect(await readFile(final, 'utf8')).toBe(winner);
    expect((await stat(final)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['url-signing.key']);
    expect(await createFileOnce(final, 'later')).toBe(false);
    expect(await readFile(final, 'utf8')).toBe(winner);
  });
});
