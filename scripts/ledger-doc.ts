import { writeFile } from 'node:fs/promises';
import { renderLedgerDoc } from '../src/modules/audit/ledger-doc.js';

// Writes docs/ledger.md from the ledger action catalogue; test/ledger-doc.test.ts fails when it is stale.
await writeFile(new URL('../docs/ledger.md', import.meta.url), renderLedgerDoc());
