CREATE TYPE "public"."ledger_account_purpose" AS ENUM('provider_clearing', 'cash_at_venue', 'payable_to_producer', 'commission_revenue', 'cooperative_fees', 'platform_fees', 'payment_fees', 'tax_payable', 'payable_to_core_partner', 'advances_receivable', 'advances_funded', 'damages_receivable', 'penalties', 'payouts_in_transit');--> statement-breakpoint
CREATE TYPE "public"."journal_kind" AS ENUM('sale', 'refund', 'return', 'damage', 'loss', 'advance', 'advance_deduction', 'penalty', 'payout', 'payout_reversal');--> statement-breakpoint
CREATE TYPE "public"."payout_status" AS ENUM('in_transit', 'reversed');--> statement-breakpoint
CREATE TABLE "journal_lines" (
	"transaction_id" text NOT NULL,
	"position" integer NOT NULL,
	"party_id" text NOT NULL,
	"purpose" "ledger_account_purpose" NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"counterparty_id" text,
	"sale_line_id" text,
	"share_role" text,
	"rule_id" text,
	"policy_id" text,
	"policy_version" integer,
	"explanation" jsonb,
	CONSTRAINT "journal_lines_transaction_id_position_pk" PRIMARY KEY("transaction_id","position"),
	CONSTRAINT "journal_lines_amount_non_zero" CHECK ("journal_lines"."amount" <> 0),
	CONSTRAINT "journal_lines_position_non_negative" CHECK ("journal_lines"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "journal_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "journal_kind" NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"currency" text NOT NULL,
	"agreement_id" text,
	"reverses_id" text,
	"reversed_fraction" text,
	"memo" text,
	"content_hash" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journal_transactions_source_unique" UNIQUE("source_type","source_id"),
	CONSTRAINT "journal_transactions_id_format" CHECK ("journal_transactions"."id" ~ '^txn_[0-9a-z]{26}$'),
	CONSTRAINT "journal_transactions_currency_format" CHECK ("journal_transactions"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "journal_transactions_source_present" CHECK (length("journal_transactions"."source_type") > 0 and length("journal_transactions"."source_id") > 0),
	CONSTRAINT "journal_transactions_fraction_format" CHECK ("journal_transactions"."reversed_fraction" is null or "journal_transactions"."reversed_fraction" ~ '^[0-9]+/[1-9][0-9]*$')
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"party_id" text NOT NULL,
	"purpose" "ledger_account_purpose" NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_party_id_purpose_currency_pk" PRIMARY KEY("party_id","purpose","currency"),
	CONSTRAINT "ledger_accounts_currency_format" CHECK ("ledger_accounts"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "payout_items" (
	"payout_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"position" integer NOT NULL,
	"amount" bigint NOT NULL,
	"released" boolean DEFAULT false NOT NULL,
	CONSTRAINT "payout_items_payout_id_transaction_id_position_pk" PRIMARY KEY("payout_id","transaction_id","position")
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"status" "payout_status" DEFAULT 'in_transit' NOT NULL,
	"transaction_id" text NOT NULL,
	"reversal_transaction_id" text,
	"reversal_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	CONSTRAINT "payouts_id_format" CHECK ("payouts"."id" ~ '^po_[0-9a-z]{26}$'),
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount" > 0),
	CONSTRAINT "payouts_reversal_consistent" CHECK (("payouts"."status" = 'reversed') = ("payouts"."reversal_transaction_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_transaction_id_journal_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_counterparty_id_parties_id_fk" FOREIGN KEY ("counterparty_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_account_fk" FOREIGN KEY ("party_id","purpose","currency") REFERENCES "public"."ledger_accounts"("party_id","purpose","currency") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_transactions" ADD CONSTRAINT "journal_transactions_reverses_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_line_fk" FOREIGN KEY ("transaction_id","position") REFERENCES "public"."journal_lines"("transaction_id","position") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_transaction_id_journal_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_reversal_transaction_id_journal_transactions_id_fk" FOREIGN KEY ("reversal_transaction_id") REFERENCES "public"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journal_lines_account_idx" ON "journal_lines" USING btree ("party_id","purpose","currency");--> statement-breakpoint
CREATE INDEX "journal_lines_sale_line_idx" ON "journal_lines" USING btree ("sale_line_id");--> statement-breakpoint
CREATE INDEX "journal_transactions_reverses_idx" ON "journal_transactions" USING btree ("reverses_id");--> statement-breakpoint
CREATE INDEX "journal_transactions_agreement_idx" ON "journal_transactions" USING btree ("agreement_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_items_line_paid_once" ON "payout_items" USING btree ("transaction_id","position") WHERE not "payout_items"."released";--> statement-breakpoint
CREATE INDEX "payouts_party_idx" ON "payouts" USING btree ("party_id","created_at");--> statement-breakpoint
CREATE FUNCTION "ledger_check_balanced"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  txid text;
  total numeric;
  line_count integer;
  foreign_currency integer;
BEGIN
  IF TG_TABLE_NAME = 'journal_lines' THEN
    txid := NEW.transaction_id;
  ELSE
    txid := NEW.id;
  END IF;
  SELECT coalesce(sum(l.amount), 0), count(l.position), count(l.position) FILTER (WHERE l.currency <> t.currency)
    INTO total, line_count, foreign_currency
    FROM journal_transactions t LEFT JOIN journal_lines l ON l.transaction_id = t.id
    WHERE t.id = txid
    GROUP BY t.id;
  IF total <> 0 OR foreign_currency > 0 THEN
    RAISE EXCEPTION 'journal transaction % does not balance: % lines adding up to % (% in another currency)', txid, line_count, total, foreign_currency
      USING ERRCODE = '23514', CONSTRAINT = 'journal_transactions_balanced';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "journal_lines_balanced" AFTER INSERT ON "journal_lines" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_balanced"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "journal_transactions_balanced" AFTER INSERT ON "journal_transactions" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_balanced"();
--> statement-breakpoint
CREATE FUNCTION "ledger_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal entries are immutable; post a correcting transaction instead'
    USING ERRCODE = '23514', CONSTRAINT = 'journal_immutable';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "journal_lines_immutable" BEFORE UPDATE OR DELETE ON "journal_lines" FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "journal_transactions_immutable" BEFORE UPDATE OR DELETE ON "journal_transactions" FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
