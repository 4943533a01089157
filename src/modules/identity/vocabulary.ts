/**
 * The identity module's controlled vocabularies as plain lists, free of the database schema, so the CLI
 * can offer them as choices without loading the ORM. The schema and services re-export them.
 */

/**
 * Where an organisation is, as verified by an operator. The cross-boundary rules (Hong Kong,
 * Macao and the nine Mainland cities of the Greater Bay Area) read this, never a self-declared value.
 */
export const locations = [
  'hong-kong',
  'macao',
  'guangzhou',
  'shenzhen',
  'zhuhai',
  'foshan',
  'huizhou',
  'dongguan',
  'zhongshan',
  'jiangmen',
  'zhaoqing',
  'elsewhere',
] as const;
