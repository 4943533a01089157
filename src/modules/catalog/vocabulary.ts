/**
 * The catalog module's controlled vocabularies as plain lists, free of the database schema, so the CLI
 * can offer them as choices without loading the ORM. The schema and services re-export them.
 */

/**
 * How sensitive a column is. `public`/`internal` may be shared under an agreement as they are;
 * `personal` (about an identifiable person), `sensitive` (health, finance, biometrics: the PDPO's
 * and PIPL's special categories) and `identifier` (HKID, account numbers, keys that single out a
 * person) make the dataset non-open and are what masks exist for.
 */
export const classifications = ['public', 'internal', 'personal', 'sensitive', 'identifier'] as const;

export const datasetFormats = ['csv', 'tsv', 'parquet', 'jsonl'] as const;
