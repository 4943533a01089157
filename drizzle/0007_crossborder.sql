CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"data" jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_org_id" text NOT NULL,
	"recipient_org_id" text NOT NULL,
	"provider_location" text NOT NULL,
	"recipient_location" text NOT NULL,
	"dataset_ids" text[] NOT NULL,
	"data_categories" text[] NOT NULL,
	"volume" text NOT NULL,
	"purpose" text NOT NULL,
	"impact_assessment" jsonb,
	"provider_signed_at" timestamp with time zone,
	"recipient_signed_at" timestamp with time zone,
	"contract_effective_on" text,
	"filing_due_on" text,
	"filed_on" text,
	"filing_reference" text,
	"no_onward_transfer" boolean NOT NULL,
	"retention_years" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"decided_by" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "notifications_org_idx" ON "notifications" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "transfers_provider_idx" ON "transfers" USING btree ("provider_org_id");--> statement-breakpoint
CREATE INDEX "transfers_recipient_idx" ON "transfers" USING btree ("recipient_org_id");--> statement-breakpoint
CREATE INDEX "transfers_state_idx" ON "transfers" USING btree ("state");