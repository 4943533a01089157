import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** The relative link targets of a Markdown file: `[text](target)`, without web addresses or anchors. */
function relativeLinks(markdown: string): string[] {
  // Fenced code is not prose: a `[x](y)` inside a block is an example, not a link.
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    targets.push(decodeURIComponent(target.split('#')[0]!));
  }
  return targets;
}

const docs = (await readdir(path.join(root, 'docs'))).filter((name) => name.endsWith('.md'));
const files = ['README.md', 'SECURITY.md', ...docs.map((name) => `docs/${name}`)].filter((file) =>
  existsSync(path.join(root, file)),
);

describe('links in the documentation', () => {
  it('finds the links it checks', async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    expect(relativeLinks(readme)).toContain('docs/errors.md');
    expect(relativeLinks('[a](https://example.org) [b](#x) [c](docs/x.md#y)\n```\n[d](e)\n```\n')).toEqual([
      'docs/x.md',
    ]);
  });

  it.each(files)('every relative link in %s names a file in the repository', async (file) => {
    const text = await readFile(path.join(root, file), 'utf8');
    const missing = relativeLinks(text).filter(
      (target) => !existsSync(path.resolve(path.dirname(path.join(root, file)), target)),
    );
    expect(missing).toEqual([]);
  });
});
