import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isLedgerAction, ledgerActionNames, ledgerActions } from '../src/modules/audit/actions.js';
import { renderLedgerDoc } from '../src/modules/audit/ledger-doc.js';

describe('ledger action catalogue', () => {
  it('docs/ledger.md is what `npm run docs:ledger` writes from the catalogue', async () => {
    const doc = await readFile(new URL('../docs/ledger.md', import.meta.url), 'utf8');
    expect(doc, 'docs/ledger.md is stale: run npm run docs:ledger').toBe(renderLedgerDoc());
  });

  it('names each action object.verb in lower case, with an object type and a summary', () => {
    for (const name of ledgerActionNames) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*){1,3}$/);
      expect(ledgerActions[name].objects.length).toBeGreaterThan(0);
      expect(ledgerActions[name].summary).toMatch(/\.$/);
    }
    expect(isLedgerAction('dataset.publish')).toBe(true);
    expect(isLedgerAction('dataset.teleport')).toBe(false);
  });
});
