import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { eventCatalogue, eventTypes, parties } from '../src/modules/community/events.js';
import { renderEventsDoc } from '../src/modules/community/events-doc.js';

describe('event catalogue', () => {
  it('docs/events.md is what `npm run docs:events` writes from the catalogue', async () => {
    const doc = await readFile(new URL('../docs/events.md', import.meta.url), 'utf8');
    expect(doc, 'docs/events.md is stale: run npm run docs:events').toBe(renderEventsDoc());
  });

  it('names each event object.verb in kebab case, with a known audience', () => {
    for (const type of eventTypes) {
      expect(type).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/);
      expect(eventCatalogue[type].audience.length).toBeGreaterThan(0);
      for (const party of eventCatalogue[type].audience) expect(Object.keys(parties)).toContain(party);
    }
  });
});
