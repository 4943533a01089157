CREATE TABLE "org_follows" (
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"follower_org_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_follows_org_id_user_id_pk" PRIMARY KEY("org_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "wish_follows" (
	"wish_id" text NOT NULL,
	"user_id" text NOT NULL,
	"org_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wish_follows_wish_id_user_id_pk" PRIMARY KEY("wish_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "wish_responses" (
	"id" text PRIMARY KEY NOT NULL,
	"wish_id" text NOT NULL,
	"org_id" text NOT NULL,
	"message" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wish_votes" (
	"wish_id" text NOT NULL,
	"user_id" text NOT NULL,
	"org_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wish_votes_wish_id_user_id_pk" PRIMARY KEY("wish_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "wishes" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"created_by" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"tags" text[] NOT NULL,
	"status" text NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "wish_follows" ADD CONSTRAINT "wish_follows_wish_id_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "public"."wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wish_responses" ADD CONSTRAINT "wish_responses_wish_id_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "public"."wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wish_votes" ADD CONSTRAINT "wish_votes_wish_id_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "public"."wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_follows_follower_idx" ON "org_follows" USING btree ("follower_org_id");--> statement-breakpoint
CREATE INDEX "wish_responses_wish_idx" ON "wish_responses" USING btree ("wish_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wish_responses_target_key" ON "wish_responses" USING btree ("wish_id","target_type","target_id");--> statement-breakpoint
CREATE INDEX "wishes_status_idx" ON "wishes" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "wishes_org_idx" ON "wishes" USING btree ("org_id");