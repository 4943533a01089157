import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { DeclaredObject } from './model.js';

/**
 * Each apply of a declaration file: its hash, who applied it, and the organisation's declared
 * objects as they stood right after it. Drift is the difference between the latest of these and
 * the live state: whatever changed since was changed outside the file.
 */
export const declarationApplies = pgTable(
  'declaration_applies',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    hash: text('hash').notNull(),
    /** False when the apply stopped at a refusal: the state is what it had reached. */
    isComplete: boolean('is_complete').notNull(),
    changes: integer('changes').notNull(),
    objects: jsonb('objects').$type<DeclaredObject[]>().notNull(),
    appliedBy: text('applied_by').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('declaration_applies_org_idx').on(t.orgId, t.appliedAt)],
);
