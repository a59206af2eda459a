CREATE TABLE "statement_acknowledgments" (
	"id" text PRIMARY KEY NOT NULL,
	"agreement_id" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"party_id" text NOT NULL,
	"statement_hash" text NOT NULL,
	"acknowledged_by" text NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_acknowledgments_id_format" CHECK ("statement_acknowledgments"."id" ~ '^stmt_[0-9a-z]{26}$'),
	CONSTRAINT "statement_acknowledgments_period" CHECK ("statement_acknowledgments"."period_to" > "statement_acknowledgments"."period_from"),
	CONSTRAINT "statement_acknowledgments_hash" CHECK ("statement_acknowledgments"."statement_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "statement_disputes" (
	"id" text PRIMARY KEY NOT NULL,
	"agreement_id" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"party_id" text NOT NULL,
	"line_ref" text NOT NULL,
	"comment" text NOT NULL,
	"statement_hash" text NOT NULL,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"resolution_note" text,
	CONSTRAINT "statement_disputes_id_format" CHECK ("statement_disputes"."id" ~ '^stmt_[0-9a-z]{26}$'),
	CONSTRAINT "statement_disputes_period" CHECK ("statement_disputes"."period_to" > "statement_disputes"."period_from"),
	CONSTRAINT "statement_disputes_hash" CHECK ("statement_disputes"."statement_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "statement_disputes_status" CHECK ("statement_disputes"."status" in ('open', 'withdrawn')),
	CONSTRAINT "statement_disputes_comment" CHECK (length("statement_disputes"."comment") between 1 and 2000),
	CONSTRAINT "statement_disputes_resolution" CHECK (("statement_disputes"."status" = 'open') = ("statement_disputes"."resolved_at" is null) and ("statement_disputes"."status" = 'open' or ("statement_disputes"."resolved_by" is not null and "statement_disputes"."resolution_note" is not null)))
);
--> statement-breakpoint
ALTER TABLE "statement_acknowledgments" ADD CONSTRAINT "statement_acknowledgments_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_acknowledgments" ADD CONSTRAINT "statement_acknowledgments_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_disputes" ADD CONSTRAINT "statement_disputes_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_disputes" ADD CONSTRAINT "statement_disputes_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "statement_acknowledgments_once" ON "statement_acknowledgments" USING btree ("agreement_id","period_from","period_to","party_id","statement_hash");--> statement-breakpoint
CREATE INDEX "statement_disputes_period_idx" ON "statement_disputes" USING btree ("agreement_id","period_from","period_to");