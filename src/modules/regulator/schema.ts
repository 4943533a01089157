import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const reviewDecisions = ['endorse', 'object'] as const;
export type ReviewDecision = (typeof reviewDecisions)[number];

/**
 * A regulator's view of an agreement over sensitive data, with its reason. Advice, not a switch: an
 * objection is recorded, flagged in the queue and sent to both parties, and the provider decides
 * whether to revoke (regulators act on a finding through their own statutory powers, not by
 * cutting a contract between two firms from inside the platform). A later review by the same
 * regulator supersedes its earlier one; all are kept.
 */
export const regulatorReviews = pgTable(
  'regulator_reviews',
  {
    id: text('id').primaryKey(),
    objectType: text('object_type').$type<'agreement'>().notNull(),
    objectId: text('object_id').notNull(),
    regulatorOrgId: text('regulator_org_id').notNull(),
    decision: text('decision').$type<ReviewDecision>().notNull(),
    reason: text('reason').notNull(),
    decidedBy: text('decided_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('regulator_reviews_object_idx').on(t.objectType, t.objectId, t.createdAt)],
);
