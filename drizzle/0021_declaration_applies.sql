CREATE TABLE "declaration_applies" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"hash" text NOT NULL,
	"is_complete" boolean NOT NULL,
	"changes" integer NOT NULL,
	"objects" jsonb NOT NULL,
	"applied_by" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "declaration_applies_org_idx" ON "declaration_applies" USING btree ("org_id","applied_at");