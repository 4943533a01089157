ALTER TABLE "api_versions" ADD COLUMN "deprecated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_versions" ADD COLUMN "sunset_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_versions" ADD COLUMN "deprecation_link" text;--> statement-breakpoint
ALTER TABLE "api_versions" ADD COLUMN "successor_api_id" text;--> statement-breakpoint
ALTER TABLE "api_versions" ADD COLUMN "sunset_recorded_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "api_versions_sunset_due_idx" ON "api_versions" USING btree ("sunset_at") WHERE sunset_at is not null and sunset_recorded_at is null;