CREATE TABLE "login_throttle" (
	"scope" text NOT NULL,
	"subject_hash" text NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	CONSTRAINT "login_throttle_scope_subject_hash_pk" PRIMARY KEY("scope","subject_hash")
);
--> statement-breakpoint
CREATE INDEX "login_throttle_window_idx" ON "login_throttle" USING btree ("window_started_at");