import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Declaration } from './format.js';
import { canonicalJson, declarationHash, diffObjects, documentDigest, objectsOf } from './model.js';

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

const declarationArbitrary: fc.Arbitrary<Declaration> = fc.record({
  format: fc.constant('stp.declaration/1' as const),
  organisation: word,
  apis: fc.uniqueArray(
    fc.record({
      slug: word,
      openapi: fc.constant('openapi.yaml'),
      upstream: fc.constantFrom('https://a.example', 'https://b.example/'),
      visibility: fc.constantFrom('public' as const, 'private' as const),
      tags: fc.array(word, { maxLength: 3 }),
      plans: fc.uniqueArray(
        fc.record({
          name: word,
          rateLimitPerSecond: fc.integer({ min: 1, max: 100 }),
          burst: fc.integer({ min: 1, max: 100 }),
          requiresApproval: fc.boolean(),
        }),
        { selector: (plan) => plan.name, maxLength: 3 },
      ),
    }),
    { selector: (api) => api.slug, maxLength: 3 },
  ),
  datasets: fc.uniqueArray(
    fc.record({ slug: word, title: word, licence: fc.constantFrom('CC-BY-4.0', 'proprietary') }),
    { selector: (dataset) => dataset.slug, maxLength: 3 },
  ),
});

/** The same value with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, inner]) => [key, reversedKeys(inner)]),
    );
  }
  return value;
}

const documents = { 'openapi.yaml': 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n' };
const noData = { prune: true, datasetsWithData: new Set<string>() };

describe('the declaration model', () => {
  it('plans no change from a declaration to itself, with or without prune', () => {
    fc.assert(
      fc.property(declarationArbitrary, (declaration) => {
        const objects = objectsOf(declaration, documents);
        expect(diffObjects(objects, objects, noData)).toEqual({ changes: [], notes: [] });
      }),
    );
  });

  it('plans creates for everything from nothing, APIs before their plans, and deletes only with prune', () => {
    fc.assert(
      fc.property(declarationArbitrary, (declaration) => {
        const objects = objectsOf(declaration, documents);
        const { changes } = diffObjects(objects, [], noData);
        expect(changes).toHaveLength(objects.length);
        expect(changes.every((change) => change.action === 'create')).toBe(true);
        const kinds = changes.map((change) => change.kind);
        if (kinds.includes('plan')) expect(kinds.lastIndexOf('api')).toBeLessThan(kinds.indexOf('plan'));
        const kept = diffObjects([], objects, { ...noData, prune: false });
        expect(kept.changes).toEqual([]);
        const pruned = diffObjects([], objects, noData);
        expect(pruned.changes.map((change) => change.kind).sort()).toEqual(
          objects
            .filter((object) => object.kind === 'plan')
            .map((object) => object.kind)
            .sort(),
        );
      }),
    );
  });

  it('hashes the same declaration the same whatever the key order, and a changed document differently', () => {
    fc.assert(
      fc.property(declarationArbitrary, (declaration) => {
        const reordered = reversedKeys(declaration) as Declaration;
        expect(declarationHash(reordered, documents)).toBe(declarationHash(declaration, documents));
        if ((declaration.apis ?? []).length > 0) {
          expect(declarationHash(declaration, { 'openapi.yaml': 'openapi: 3.0.3\n' })).not.toBe(
            declarationHash(declaration, documents),
          );
        }
      }),
    );
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('compares documents by content: reformatting or YAML to JSON is no change', () => {
    const yaml = 'openapi: 3.1.0\ninfo:\n  title: Branches\n  version: "1"\npaths: {}\n';
    const json =
      '{\n  "paths": {},\n  "info": { "version": "1", "title": "Branches" },\n  "openapi": "3.1.0"\n}';
    expect(documentDigest(json)).toBe(documentDigest(yaml));
    expect(documentDigest(yaml.replace('Branches', 'Branch finder'))).not.toBe(documentDigest(yaml));
  });
});
