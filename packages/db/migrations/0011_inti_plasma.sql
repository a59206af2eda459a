-- Inti-plasma partnerships (core partner ↔ producer), purchases at agreed prices, and the
-- record of each settlement's advance deductions. New account purpose `purchases_receivable`:
-- what a core partner owes for output it bought (debit), against `payable_to_producer`.
-- Purchases post with journal kind `sale` (the producer sold its output); no new kind.
ALTER TYPE "public"."ledger_account_purpose" ADD VALUE 'purchases_receivable';--> statement-breakpoint
CREATE TABLE "inti_plasma_deduction_runs" (
	"source_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"currency" text NOT NULL,
	"owed" bigint NOT NULL,
	"transaction_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inti_plasma_deduction_runs_source_id_producer_id_pk" PRIMARY KEY("source_id","producer_id"),
	CONSTRAINT "inti_plasma_deduction_runs_owed" CHECK ("inti_plasma_deduction_runs"."owed" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inti_plasma_partnerships" (
	"id" text PRIMARY KEY NOT NULL,
	"core_partner_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"currency" text NOT NULL,
	"max_deduction_bps" integer NOT NULL,
	"prices" jsonb NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" text,
	"ended_at" timestamp with time zone,
	"ended_by" text,
	"ended_by_party" text,
	"end_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inti_plasma_partnerships_id_format" CHECK ("inti_plasma_partnerships"."id" ~ '^ctr_[0-9a-z]{26}$'),
	CONSTRAINT "inti_plasma_partnerships_parties_differ" CHECK ("inti_plasma_partnerships"."core_partner_id" <> "inti_plasma_partnerships"."producer_id"),
	CONSTRAINT "inti_plasma_partnerships_currency_format" CHECK ("inti_plasma_partnerships"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "inti_plasma_partnerships_max_deduction" CHECK ("inti_plasma_partnerships"."max_deduction_bps" between 0 and 10000),
	CONSTRAINT "inti_plasma_partnerships_status" CHECK ("inti_plasma_partnerships"."status" in ('proposed', 'active', 'ended')),
	CONSTRAINT "inti_plasma_partnerships_accepted" CHECK ("inti_plasma_partnerships"."status" <> 'active' or "inti_plasma_partnerships"."accepted_at" is not null),
	CONSTRAINT "inti_plasma_partnerships_ended" CHECK (("inti_plasma_partnerships"."status" = 'ended') = ("inti_plasma_partnerships"."ended_at" is not null)),
	CONSTRAINT "inti_plasma_partnerships_prices" CHECK (jsonb_typeof("inti_plasma_partnerships"."prices") = 'array' and jsonb_array_length("inti_plasma_partnerships"."prices") > 0)
);
--> statement-breakpoint
CREATE TABLE "inti_plasma_purchases" (
	"id" text PRIMARY KEY NOT NULL,
	"partnership_id" text NOT NULL,
	"reference" text,
	"price_index" integer NOT NULL,
	"variant_id" text,
	"description" text,
	"quantity" integer NOT NULL,
	"currency" text NOT NULL,
	"unit_price" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"transaction_id" text NOT NULL,
	"purchased_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inti_plasma_purchases_reference_unique" UNIQUE("partnership_id","reference"),
	CONSTRAINT "inti_plasma_purchases_id_format" CHECK ("inti_plasma_purchases"."id" ~ '^dlv_[0-9a-z]{26}$'),
	CONSTRAINT "inti_plasma_purchases_quantity" CHECK ("inti_plasma_purchases"."quantity" > 0),
	CONSTRAINT "inti_plasma_purchases_unit_price" CHECK ("inti_plasma_purchases"."unit_price" >= 0),
	CONSTRAINT "inti_plasma_purchases_amount" CHECK ("inti_plasma_purchases"."amount" = "inti_plasma_purchases"."unit_price" * "inti_plasma_purchases"."quantity")
);
--> statement-breakpoint
ALTER TABLE "inti_plasma_deduction_runs" ADD CONSTRAINT "inti_plasma_deduction_runs_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inti_plasma_partnerships" ADD CONSTRAINT "inti_plasma_partnerships_core_partner_id_parties_id_fk" FOREIGN KEY ("core_partner_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inti_plasma_partnerships" ADD CONSTRAINT "inti_plasma_partnerships_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inti_plasma_purchases" ADD CONSTRAINT "inti_plasma_purchases_partnership_id_inti_plasma_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."inti_plasma_partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inti_plasma_partnerships_open_unique" ON "inti_plasma_partnerships" USING btree ("core_partner_id","producer_id","currency") WHERE "inti_plasma_partnerships"."status" <> 'ended';--> statement-breakpoint
CREATE INDEX "inti_plasma_partnerships_core_idx" ON "inti_plasma_partnerships" USING btree ("core_partner_id","id");--> statement-breakpoint
CREATE INDEX "inti_plasma_partnerships_producer_idx" ON "inti_plasma_partnerships" USING btree ("producer_id","id");--> statement-breakpoint
CREATE INDEX "inti_plasma_purchases_partnership_idx" ON "inti_plasma_purchases" USING btree ("partnership_id","id");