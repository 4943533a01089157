ALTER TABLE "dataset_versions" ADD COLUMN "risk" jsonb;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "k_threshold" integer DEFAULT 5 NOT NULL;