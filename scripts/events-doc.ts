import { writeFile } from 'node:fs/promises';
import { renderEventsDoc } from '../src/modules/community/events-doc.js';

// Writes docs/events.md from the event catalogue; test/events-doc.test.ts fails when it is stale.
await writeFile(new URL('../docs/events.md', import.meta.url), renderEventsDoc());
