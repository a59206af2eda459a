CREATE TYPE "public"."remittance_route" AS ENUM('direct', 'platform');--> statement-breakpoint
CREATE TYPE "public"."remittance_status" AS ENUM('due', 'recorded', 'confirmed', 'disputed', 'bounced');--> statement-breakpoint
ALTER TYPE "public"."ledger_account_purpose" ADD VALUE 'awaiting_collection';--> statement-breakpoint
ALTER TYPE "public"."journal_kind" ADD VALUE 'collection_hold';--> statement-breakpoint
ALTER TYPE "public"."journal_kind" ADD VALUE 'netting';--> statement-breakpoint
ALTER TYPE "public"."journal_kind" ADD VALUE 'remittance';--> statement-breakpoint
ALTER TYPE "public"."journal_kind" ADD VALUE 'remittance_reversal';--> statement-breakpoint
ALTER TYPE "public"."journal_kind" ADD VALUE 'payout_paid';--> statement-breakpoint
ALTER TYPE "public"."journal_kind" ADD VALUE 'payout_paid_reversal';--> statement-breakpoint
ALTER TYPE "public"."payout_status" ADD VALUE 'paid';--> statement-breakpoint
CREATE TABLE "remittances" (
	"id" text PRIMARY KEY NOT NULL,
	"settlement_id" text,
	"from_party_id" text NOT NULL,
	"to_party_id" text NOT NULL,
	"route" "remittance_route" NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"claims" jsonb NOT NULL,
	"status" "remittance_status" DEFAULT 'due' NOT NULL,
	"due_at" timestamp with time zone,
	"method" text,
	"reference" text,
	"proof_url" text,
	"note" text,
	"recorded_by" text,
	"recorded_at" timestamp with time zone,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone,
	"dispute_reason" text,
	"disputed_at" timestamp with time zone,
	"bounce_reason" text,
	"bounced_at" timestamp with time zone,
	"previous_id" text,
	"transaction_ids" jsonb,
	"reversal_transaction_ids" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remittances_id_format" CHECK ("remittances"."id" ~ '^rem_[0-9a-z]{26}$'),
	CONSTRAINT "remittances_currency_format" CHECK ("remittances"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "remittances_amount_positive" CHECK ("remittances"."amount" > 0),
	CONSTRAINT "remittances_parties_differ" CHECK ("remittances"."from_party_id" <> "remittances"."to_party_id"),
	CONSTRAINT "remittances_recorded" CHECK ("remittances"."status" = 'due' or ("remittances"."reference" is not null and "remittances"."recorded_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "settlements" (
	"id" text PRIMARY KEY NOT NULL,
	"currency" text NOT NULL,
	"minimum" bigint NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlements_id_format" CHECK ("settlements"."id" ~ '^stl_[0-9a-z]{26}$'),
	CONSTRAINT "settlements_currency_format" CHECK ("settlements"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "settlements_minimum" CHECK ("settlements"."minimum" >= 0)
);
--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "paid_transaction_id" text;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "settlement_id" text;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_settlement_id_settlements_id_fk" FOREIGN KEY ("settlement_id") REFERENCES "public"."settlements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_from_party_id_parties_id_fk" FOREIGN KEY ("from_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_to_party_id_parties_id_fk" FOREIGN KEY ("to_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "remittances_from_idx" ON "remittances" USING btree ("from_party_id","created_at");--> statement-breakpoint
CREATE INDEX "remittances_to_idx" ON "remittances" USING btree ("to_party_id","created_at");--> statement-breakpoint
CREATE INDEX "remittances_settlement_idx" ON "remittances" USING btree ("settlement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remittances_reference_unique" ON "remittances" USING btree ("from_party_id","reference") WHERE "remittances"."reference" is not null and "remittances"."status" <> 'bounced';--> statement-breakpoint
CREATE INDEX "settlements_created_idx" ON "settlements" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_paid_transaction_id_journal_transactions_id_fk" FOREIGN KEY ("paid_transaction_id") REFERENCES "public"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;