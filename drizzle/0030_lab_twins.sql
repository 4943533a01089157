CREATE TABLE "lab_twins" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"dataset_name" text NOT NULL,
	"dataset_id" text NOT NULL,
	"version_id" text NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text,
	"epsilon" double precision NOT NULL,
	"delta" double precision NOT NULL,
	"requested_rows" integer,
	"state" text NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" jsonb,
	"file" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "lab_twins_dataset_idx" ON "lab_twins" USING btree ("lab_id","dataset_name","created_at");