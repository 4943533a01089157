/**
 * The access module's controlled vocabularies as plain lists, free of the database schema, so the CLI
 * can offer them as choices without loading the ORM. The schema and services re-export them.
 */

/**
 * Why data is wanted, from a controlled vocabulary (after the W3C Data Privacy Vocabulary's
 * purposes), so a provider, a regulator and a consent record can all match on it.
 */
export const purposes = [
  'research',
  'product-development',
  'service-provision',
  'credit-assessment',
  'fraud-prevention',
  'insurance-underwriting',
  'public-health',
  'urban-planning',
  'sustainability-reporting',
  'regulatory-compliance',
  'statistics',
  'marketing',
] as const;

export const accessRequestStates = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
