CREATE TABLE "shared_files" (
	"id" text PRIMARY KEY NOT NULL,
	"policy_key" text NOT NULL,
	"agreement_id" text,
	"dataset_id" text NOT NULL,
	"version_id" text NOT NULL,
	"file" text NOT NULL,
	"bytes" bigint NOT NULL,
	"rows" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_recipients" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"created_by" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "shared_files_policy_key" ON "shared_files" USING btree ("policy_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sharing_recipients_secret_key" ON "sharing_recipients" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "sharing_recipients_org_idx" ON "sharing_recipients" USING btree ("org_id");