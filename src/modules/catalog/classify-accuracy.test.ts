import { describe, expect, it } from 'vitest';
import { labelledFiles } from '../../../test/classification-corpus.js';
import { suggestColumns } from './classify.js';
import { loadPersonNames } from './person-names.js';
import { restrictedClassifications } from './schema.js';

/**
 * Precision and recall of the suggestions over the labelled set in test/classification-corpus.ts.
 * A column is "restricted" when it is personal, sensitive or an identifier: recall is the share of
 * restricted columns the classifier flags, precision the share of flagged columns that are.
 */
describe('classification accuracy over the labelled set', () => {
  it('finds at least 95% of restricted columns, and at least 85% of what it flags is restricted', async () => {
    const names = await loadPersonNames();
    const now = new Date('2025-06-01T00:00:00Z');
    const results = labelledFiles().flatMap((file) => {
      const suggestions = suggestColumns(file.columns, file.rowCount, { names, now });
      return file.columns.map((column, i) => ({ column, suggestion: suggestions[i]! }));
    });
    const isRestricted = (c: string) => (restrictedClassifications as readonly string[]).includes(c);
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    let exact = 0;
    const misses: string[] = [];
    for (const { column, suggestion } of results) {
      const expected = isRestricted(column.label);
      const flagged = isRestricted(suggestion.suggested);
      if (expected && flagged) truePositives++;
      if (!expected && flagged) falsePositives++;
      if (expected && !flagged) falseNegatives++;
      const isSame = suggestion.suggested === column.label || (!expected && !flagged);
      if (isSame) exact++;
      else misses.push(`${column.file}.${column.name}: ${column.label} → ${suggestion.suggested}`);
    }
    const recall = truePositives / (truePositives + falseNegatives);
    const precision = truePositives / (truePositives + falsePositives);
    console.info(
      `classification over ${results.length} labelled columns: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, ` +
        `same class ${(exact / results.length).toFixed(3)}\n${misses.join('\n')}`,
    );
    expect(results.length).toBeGreaterThanOrEqual(200);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.85);
  });
});
