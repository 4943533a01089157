ALTER TABLE "access_requests" ADD COLUMN "lab_id" text;--> statement-breakpoint
ALTER TABLE "lab_members" ADD COLUMN "agreement_id" text;--> statement-breakpoint
ALTER TABLE "lab_members" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "lab_members_ends_idx" ON "lab_members" USING btree ("ends_at") WHERE ends_at is not null;