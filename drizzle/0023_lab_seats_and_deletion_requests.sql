CREATE TABLE "deletion_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"consent_id" text NOT NULL,
	"provider_org_id" text NOT NULL,
	"grantee_org_id" text NOT NULL,
	"agreement_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"subject_key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" text,
	"evidence" text,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_requests" ADD COLUMN "lab_id" text;--> statement-breakpoint
ALTER TABLE "lab_members" ADD COLUMN "agreement_id" text;--> statement-breakpoint
ALTER TABLE "lab_members" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "deletion_requests_grantee_idx" ON "deletion_requests" USING btree ("grantee_org_id","created_at");--> statement-breakpoint
CREATE INDEX "deletion_requests_provider_idx" ON "deletion_requests" USING btree ("provider_org_id","created_at");--> statement-breakpoint
CREATE INDEX "deletion_requests_consent_idx" ON "deletion_requests" USING btree ("consent_id");--> statement-breakpoint
CREATE INDEX "deletion_requests_open_idx" ON "deletion_requests" USING btree ("due_at") WHERE confirmed_at is null and escalated_at is null;--> statement-breakpoint
CREATE INDEX "lab_members_ends_idx" ON "lab_members" USING btree ("ends_at") WHERE ends_at is not null;