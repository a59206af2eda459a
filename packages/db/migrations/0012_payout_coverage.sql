-- Payouts cover journal lines by snapshot instead of a payout_items row per line (see the
-- comment on `payouts` in src/schema/ledger.ts). Existing journal lines get this migration's
-- xid; existing payouts keep chain_position and snapshot null and go on paying by their
-- rows, and the first new payout of a party covers the lines no row pays.
ALTER TABLE "journal_lines" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "chain_position" integer;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "snapshot" "pg_snapshot";--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "journal_lines_xid_idx" ON "journal_lines" USING btree ("xid");--> statement-breakpoint
CREATE INDEX "payout_items_line_idx" ON "payout_items" USING btree ("transaction_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_transaction_unique" ON "payouts" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "payouts_reversal_transaction_idx" ON "payouts" USING btree ("reversal_transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_chain_unique" ON "payouts" USING btree ("party_id","currency","chain_position");--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_chain_consistent" CHECK (("payouts"."chain_position" is null) = ("payouts"."snapshot" is null) and coalesce("payouts"."chain_position", 1) >= 1);--> statement-breakpoint
CREATE FUNCTION "payout_items_check_covered"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A line a live payout covers by snapshot is paid: no other payout may take it by a row.
  IF EXISTS (
    SELECT 1
    FROM journal_lines l
    JOIN journal_transactions t ON t.id = l.transaction_id
    JOIN payouts p ON p.party_id = l.party_id AND p.currency = l.currency
      AND p.snapshot IS NOT NULL AND p.status = 'in_transit' AND p.id <> NEW.payout_id
    LEFT JOIN payouts rp ON rp.party_id = p.party_id AND rp.currency = p.currency
      AND rp.chain_position = p.chain_position - 1
    WHERE l.transaction_id = NEW.transaction_id AND l.position = NEW.position
      AND t.kind NOT IN ('payout', 'payout_reversal')
      AND l.xid <> p.xid AND pg_visible_in_snapshot(l.xid, p.snapshot)
      AND NOT (rp.snapshot IS NOT NULL AND l.xid <> rp.xid AND pg_visible_in_snapshot(l.xid, rp.snapshot))
      AND NOT EXISTS (
        SELECT 1 FROM payout_items pi JOIN payouts q ON q.id = pi.payout_id
        WHERE pi.transaction_id = l.transaction_id AND pi.position = l.position
          AND coalesce(q.chain_position, 0) < p.chain_position)
  ) THEN
    RAISE EXCEPTION 'journal line %:% is already paid by a payout', NEW.transaction_id, NEW.position
      USING ERRCODE = '23505', CONSTRAINT = 'payout_items_line_paid_once';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "payout_items_not_covered" BEFORE INSERT ON "payout_items" FOR EACH ROW EXECUTE FUNCTION "payout_items_check_covered"();
--> statement-breakpoint
CREATE FUNCTION "journal_check_payout_recorded"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Settling leaves out the lines of payouts and their reversals by the payouts table.
  IF NOT EXISTS (SELECT 1 FROM payouts WHERE transaction_id = NEW.id)
     AND NOT EXISTS (SELECT 1 FROM payouts WHERE reversal_transaction_id = NEW.id) THEN
    RAISE EXCEPTION 'journal transaction % (%) belongs to no payout', NEW.id, NEW.kind
      USING ERRCODE = '23514', CONSTRAINT = 'journal_transactions_payout_recorded';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "journal_transactions_payout_recorded" AFTER INSERT ON "journal_transactions" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind IN ('payout', 'payout_reversal')) EXECUTE FUNCTION "journal_check_payout_recorded"();
