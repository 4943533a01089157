CREATE TABLE "dataset_default_terms" (
	"dataset_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"template_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "terms_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"slug" text NOT NULL,
	"description" text,
	"terms" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_default_terms" ADD CONSTRAINT "dataset_default_terms_template_id_terms_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."terms_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_default_terms_org_idx" ON "dataset_default_terms" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "dataset_default_terms_template_idx" ON "dataset_default_terms" USING btree ("template_id");--> statement-breakpoint
CREATE UNIQUE INDEX "terms_templates_org_slug_key" ON "terms_templates" USING btree ("org_id","slug");