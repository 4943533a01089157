ALTER TABLE "lab_budgets" RENAME COLUMN "user_id" TO "holder_id";--> statement-breakpoint
ALTER TABLE "lab_budgets" ADD COLUMN "scope" text DEFAULT 'analyst' NOT NULL;--> statement-breakpoint
ALTER TABLE "lab_budgets" DROP CONSTRAINT "lab_budgets_lab_id_user_id_pk";--> statement-breakpoint
ALTER TABLE "lab_budgets" ADD CONSTRAINT "lab_budgets_lab_id_scope_holder_id_pk" PRIMARY KEY("lab_id","scope","holder_id");--> statement-breakpoint
ALTER TABLE "labs" ADD COLUMN "max_groups_per_subject" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "labs" ADD COLUMN "min_epsilon" double precision DEFAULT 0.01 NOT NULL;--> statement-breakpoint
ALTER TABLE "labs" ADD COLUMN "budget_scope" text DEFAULT 'analyst' NOT NULL;
