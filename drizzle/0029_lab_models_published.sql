ALTER TABLE "apis" ALTER COLUMN "upstream_url" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "apis" ADD COLUMN "builtin_upstream" text;--> statement-breakpoint
ALTER TABLE "lab_jobs" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "apis" ADD CONSTRAINT "apis_one_upstream" CHECK (("apis"."upstream_url" is null) <> ("apis"."builtin_upstream" is null));