-- The filter columns are copied from the canonical entry by the append itself. Rows already in the
-- ledger get theirs from their canonical text here: each column is added as a generated column
-- (which fills it in the table rewrite, not through UPDATE, which the append-only trigger refuses),
-- then its expression is dropped, leaving a plain column that appends write.
DROP INDEX "audit_events_org_idx";--> statement-breakpoint
DROP INDEX "audit_events_object_idx";--> statement-breakpoint
DROP INDEX "audit_events_action_idx";--> statement-breakpoint
DROP INDEX "audit_events_data_idx";--> statement-breakpoint
ALTER TABLE "audit_events"
  ADD COLUMN "org_id" text GENERATED ALWAYS AS (canonical::jsonb ->> 'orgId') STORED,
  ADD COLUMN "action" text GENERATED ALWAYS AS (canonical::jsonb ->> 'action') STORED,
  ADD COLUMN "object_type" text GENERATED ALWAYS AS (canonical::jsonb ->> 'objectType') STORED,
  ADD COLUMN "object_id" text GENERATED ALWAYS AS (canonical::jsonb ->> 'objectId') STORED,
  ADD COLUMN "actor_id" text GENERATED ALWAYS AS (canonical::jsonb ->> 'actorId') STORED,
  ADD COLUMN "at" text GENERATED ALWAYS AS (canonical::jsonb ->> 'at') STORED,
  ADD COLUMN "data" jsonb GENERATED ALWAYS AS (canonical::jsonb -> 'data') STORED;--> statement-breakpoint
ALTER TABLE "audit_events"
  ALTER COLUMN "org_id" DROP EXPRESSION,
  ALTER COLUMN "action" DROP EXPRESSION,
  ALTER COLUMN "object_type" DROP EXPRESSION,
  ALTER COLUMN "object_id" DROP EXPRESSION,
  ALTER COLUMN "actor_id" DROP EXPRESSION,
  ALTER COLUMN "at" DROP EXPRESSION,
  ALTER COLUMN "data" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "audit_events"
  ALTER COLUMN "action" SET NOT NULL,
  ALTER COLUMN "object_type" SET NOT NULL,
  ALTER COLUMN "at" SET NOT NULL,
  ALTER COLUMN "data" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" DROP COLUMN "entry";--> statement-breakpoint
CREATE INDEX "audit_events_org_idx" ON "audit_events" USING btree ("org_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_object_idx" ON "audit_events" USING btree ("object_type","object_id");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","seq");--> statement-breakpoint
CREATE INDEX "audit_events_data_idx" ON "audit_events" USING gin ("data" jsonb_path_ops);
