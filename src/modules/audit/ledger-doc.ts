import { ledgerActionNames, ledgerActions } from './actions.js';

/** docs/ledger.md, rendered from the catalogue: `npm run docs:ledger` writes it, a test compares. */
export function renderLedgerDoc(): string {
  const lines = [
    '# Ledger actions',
    '',
    '<!-- Generated from src/modules/audit/actions.ts by `npm run docs:ledger`; do not edit by hand. -->',
    '',
    'Every change the platform makes is written to the evidence ledger in the transaction of the change:',
    'who (`actor`), for which organisation (`orgId`), what (`action`), on what (`object`), allowed or',
    'denied (`decision`) and why (`reason`), with the details in `data`. Entries are hash-chained and',
    'signed (`GET /v1/audit/verify`, evidence bundles). These are all the actions an entry can carry;',
    '`audit.append` accepts no other name.',
    '',
    '| action | object | what happened |',
    '| --- | --- | --- |',
  ];
  for (const name of ledgerActionNames) {
    const spec = ledgerActions[name];
    lines.push(`| \`${name}\` | ${spec.objects.map((type) => `\`${type}\``).join(', ')} | ${spec.summary} |`);
  }
  return `${lines.join('\n')}\n`;
}
