CREATE TABLE "lab_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"spec" jsonb NOT NULL,
	"spec_sha256" text NOT NULL,
	"epsilon" double precision NOT NULL,
	"delta" double precision NOT NULL,
	"datasets" jsonb NOT NULL,
	"state" text NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"error" jsonb,
	"model_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lab_models" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"job_id" text NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"state" text NOT NULL,
	"card" jsonb NOT NULL,
	"reviewed_by" text,
	"review_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "lab_jobs_lab_idx" ON "lab_jobs" USING btree ("lab_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lab_models_version_idx" ON "lab_models" USING btree ("lab_id","name","version");