CREATE TABLE "harvest_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"org_id" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"is_complete" boolean DEFAULT false NOT NULL,
	"counts" jsonb NOT NULL,
	"failures" jsonb NOT NULL,
	"progress" jsonb NOT NULL,
	"error" text,
	"started_by" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "harvest_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"interval_hours" integer,
	"options" jsonb NOT NULL,
	"status" text NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "origin" jsonb;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "resources" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "harvest_runs" ADD CONSTRAINT "harvest_runs_source_id_harvest_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."harvest_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "harvest_runs_source_idx" ON "harvest_runs" USING btree ("source_id","started_at");--> statement-breakpoint
CREATE INDEX "harvest_sources_org_idx" ON "harvest_sources" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "harvest_sources_due_idx" ON "harvest_sources" USING btree ("next_run_at");