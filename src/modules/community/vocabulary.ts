/**
 * The community module's controlled vocabularies as plain lists, free of the database schema, so the CLI
 * can offer them as choices without loading the ORM. The schema and services re-export them.
 */

export const wishStatuses = ['open', 'answered', 'closed'] as const;
