CREATE TABLE "lab_budgets" (
	"lab_id" text NOT NULL,
	"user_id" text NOT NULL,
	"spent" double precision NOT NULL,
	CONSTRAINT "lab_budgets_lab_id_user_id_pk" PRIMARY KEY("lab_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "lab_datasets" (
	"lab_id" text NOT NULL,
	"name" text NOT NULL,
	"dataset_id" text NOT NULL,
	"version_id" text NOT NULL,
	"org_id" text NOT NULL,
	"subject_column" text NOT NULL,
	"dimensions" text[] NOT NULL,
	"measures" jsonb NOT NULL,
	"allow_min_max" boolean NOT NULL,
	"file" text NOT NULL,
	"row_count" integer NOT NULL,
	"attached_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_datasets_lab_id_name_pk" PRIMARY KEY("lab_id","name")
);
--> statement-breakpoint
CREATE TABLE "lab_members" (
	"lab_id" text NOT NULL,
	"org_id" text NOT NULL,
	"role" text NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_members_lab_id_org_id_pk" PRIMARY KEY("lab_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "lab_queries" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"sql" text NOT NULL,
	"sql_sha256" text NOT NULL,
	"epsilon" double precision NOT NULL,
	"datasets" jsonb NOT NULL,
	"state" text NOT NULL,
	"result" jsonb NOT NULL,
	"reviewed_by" text,
	"review_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "labs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"min_group_size" integer NOT NULL,
	"epsilon_budget" double precision NOT NULL,
	"default_epsilon" double precision NOT NULL,
	"max_rows_per_subject" integer NOT NULL,
	"output_review" boolean NOT NULL,
	"key" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "lab_members_org_idx" ON "lab_members" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "lab_queries_lab_idx" ON "lab_queries" USING btree ("lab_id","created_at");