import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { eventCatalogue, eventTypes, parties } from '../src/modules/community/events.js';
import { renderEventsDoc } from '../src/modules/community/events-doc.js';

describe('event catalogue', () => {
  it('docs/events.md is what `npm run docs:events` writes from the catalogue', async () => {
    const doc = await readFile(new URL('../docs/events.md', import.meta.url), 'utf8');
    expect(doc, 'docs/events.md is stale: run npm run docs:events').toBe(renderEventsDoc());
  });

  it('has a label for every event, and for the object it links to, in each portal language', async () => {
    for (const language of ['en', 'zh-HK']) {
      const community = JSON.parse(
        await readFile(new URL(`../web/src/locales/${language}/community.json`, import.meta.url), 'utf8'),
      ) as { notifications: { kinds: Record<string, Record<string, string>>; open: Record<string, string> } };
      const { kinds, open } = community.notifications;
      for (const type of eventTypes) {
        const [object, verb] = type.split('.') as [string, string];
        expect(kinds[object]?.[verb], `${language}: no label for ${type}`).toBeTruthy();
        const linked = eventCatalogue[type].object;
        expect(open[linked], `${language}: no link label for ${linked} (${type})`).toBeTruthy();
      }
    }
  });

  it('names each event object.verb in kebab case, with a known audience', () => {
    for (const type of eventTypes) {
      expect(type).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/);
      expect(eventCatalogue[type].audience.length).toBeGreaterThan(0);
      for (const party of eventCatalogue[type].audience) expect(Object.keys(parties)).toContain(party);
    }
  });
});
