CREATE TABLE "access_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_id" text NOT NULL,
	"org_id" text NOT NULL,
	"provider_org_id" text NOT NULL,
	"purpose" text NOT NULL,
	"purpose_text" text NOT NULL,
	"columns" text[] NOT NULL,
	"duration_days" integer NOT NULL,
	"wants_download" boolean NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"agreement_id" text,
	"requested_by" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_id" text NOT NULL,
	"org_id" text NOT NULL,
	"provider_org_id" text NOT NULL,
	"request_id" text,
	"terms" jsonb NOT NULL,
	"secret" text NOT NULL,
	"queries_used" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	"expiry_recorded_at" timestamp with time zone,
	"approved_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_id" text NOT NULL,
	"version" integer NOT NULL,
	"source_format" text NOT NULL,
	"source_name" text NOT NULL,
	"source_bytes" bigint NOT NULL,
	"source_sha256" text NOT NULL,
	"file" text NOT NULL,
	"row_count" bigint NOT NULL,
	"columns" jsonb NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"licence" text NOT NULL,
	"keywords" text[] NOT NULL,
	"themes" text[] NOT NULL,
	"update_frequency" text,
	"spatial" text[] NOT NULL,
	"temporal_start" text,
	"temporal_end" text,
	"status" text NOT NULL,
	"current_version_id" text,
	"search_text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_requests_org_idx" ON "access_requests" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "access_requests_provider_idx" ON "access_requests" USING btree ("provider_org_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "access_requests_open_key" ON "access_requests" USING btree ("org_id","dataset_id") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "agreements_org_idx" ON "agreements" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "agreements_provider_idx" ON "agreements" USING btree ("provider_org_id");--> statement-breakpoint
CREATE INDEX "agreements_dataset_idx" ON "agreements" USING btree ("dataset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_number_key" ON "dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_slug_key" ON "datasets" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "datasets_org_idx" ON "datasets" USING btree ("org_id");