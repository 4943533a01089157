CREATE TABLE "agreement_budgets" (
	"agreement_id" text NOT NULL,
	"scope" text NOT NULL,
	"holder_id" text NOT NULL,
	"spent" double precision NOT NULL,
	CONSTRAINT "agreement_budgets_agreement_id_scope_holder_id_pk" PRIMARY KEY("agreement_id","scope","holder_id")
);
