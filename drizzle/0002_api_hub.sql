CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"previous_secret_hash" text,
	"previous_valid_until" timestamp with time zone,
	"created_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"rate_limit_per_second" double precision NOT NULL,
	"burst" integer NOT NULL,
	"monthly_quota" bigint,
	"requires_approval" boolean NOT NULL,
	"included_tags" text[] NOT NULL,
	"included_paths" text[] NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"org_id" text NOT NULL,
	"provider_org_id" text NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"requested_by" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"version" text NOT NULL,
	"spec_format" text NOT NULL,
	"source_format" text NOT NULL,
	"original" text NOT NULL,
	"normalised" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "apis" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"category" text,
	"tags" text[] NOT NULL,
	"visibility" text NOT NULL,
	"allowed_org_ids" text[] NOT NULL,
	"upstream_url" text NOT NULL,
	"validate_requests" boolean DEFAULT false NOT NULL,
	"current_version_id" text,
	"search_text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"merkle_root" text NOT NULL,
	"count" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"ledger_seq" bigint NOT NULL,
	"calls" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"subscription_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"api_id" text NOT NULL,
	"org_id" text NOT NULL,
	"provider_org_id" text NOT NULL,
	"calls" integer NOT NULL,
	"status_2xx" integer NOT NULL,
	"status_3xx" integer NOT NULL,
	"status_4xx" integer NOT NULL,
	"status_5xx" integer NOT NULL,
	"rate_limited" integer NOT NULL,
	"bytes_in" bigint NOT NULL,
	"bytes_out" bigint NOT NULL,
	"latency_sum_ms" double precision NOT NULL,
	"latency_buckets" jsonb NOT NULL,
	CONSTRAINT "usage_records_subscription_id_minute_pk" PRIMARY KEY("subscription_id","minute")
);
--> statement-breakpoint
ALTER TABLE "api_versions" ADD CONSTRAINT "api_versions_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_secret_key" ON "credentials" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "credentials_org_idx" ON "credentials" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "plans_api_idx" ON "plans" USING btree ("api_id");--> statement-breakpoint
CREATE INDEX "subscriptions_org_idx" ON "subscriptions" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "subscriptions_provider_idx" ON "subscriptions" USING btree ("provider_org_id");--> statement-breakpoint
CREATE INDEX "subscriptions_api_idx" ON "subscriptions" USING btree ("api_id");--> statement-breakpoint
CREATE INDEX "api_versions_api_idx" ON "api_versions" USING btree ("api_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "apis_slug_key" ON "apis" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "apis_org_idx" ON "apis" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "usage_records_org_idx" ON "usage_records" USING btree ("org_id","minute");--> statement-breakpoint
CREATE INDEX "usage_records_provider_idx" ON "usage_records" USING btree ("provider_org_id","minute");