CREATE TABLE "api_consent_requirements" (
	"api_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"purpose" text NOT NULL,
	"subject_required" boolean NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"subject_key" text NOT NULL,
	"purpose" text NOT NULL,
	"grantee_org_id" text,
	"dataset_ids" text[] NOT NULL,
	"api_ids" text[] NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	"evidence" text,
	"import_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "consent_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "subject_column" text;--> statement-breakpoint
CREATE INDEX "consents_subject_idx" ON "consents" USING btree ("org_id","subject_key");--> statement-breakpoint
CREATE INDEX "consents_live_idx" ON "consents" USING btree ("org_id","purpose","subject_key") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "consents_import_idx" ON "consents" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "audit_events_data_idx" ON "audit_events" USING gin (("entry" -> 'data') jsonb_path_ops);