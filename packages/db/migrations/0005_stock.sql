CREATE TYPE "public"."delivery_status" AS ENUM('sent', 'received', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."liability_bearer" AS ENUM('venue', 'producer', 'shared');--> statement-breakpoint
CREATE TYPE "public"."obligation_basis" AS ENUM('retail_price', 'agreed_price');--> statement-breakpoint
CREATE TYPE "public"."reservation_status" AS ENUM('held', 'converted', 'released', 'expired');--> statement-breakpoint
CREATE TYPE "public"."sale_channel" AS ENUM('cash', 'qris', 'online');--> statement-breakpoint
CREATE TYPE "public"."stock_lot_source" AS ENUM('delivery', 'transfer', 'count');--> statement-breakpoint
CREATE TYPE "public"."stock_movement_kind" AS ENUM('receipt', 'sale', 'reserve', 'release', 'return', 'damage', 'loss', 'count_adjustment', 'transfer_out', 'transfer_in');--> statement-breakpoint
CREATE TYPE "public"."stock_return_source" AS ENUM('producer', 'venue', 'expiry');--> statement-breakpoint
CREATE TYPE "public"."stock_return_status" AS ENUM('requested', 'confirmed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."transfer_status" AS ENUM('requested', 'received', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."write_off_kind" AS ENUM('damage', 'loss');--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"producer_id" text NOT NULL,
	"venue_id" text NOT NULL,
	"note_number" text NOT NULL,
	"status" "delivery_status" DEFAULT 'sent' NOT NULL,
	"note" text,
	"sent_at" timestamp with time zone NOT NULL,
	"sent_by" text,
	"received_at" timestamp with time zone,
	"received_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_note_number_unique" UNIQUE("producer_id","note_number"),
	CONSTRAINT "deliveries_id_format" CHECK ("deliveries"."id" ~ '^dlv_[0-9a-z]{26}$'),
	CONSTRAINT "deliveries_two_parties" CHECK ("deliveries"."producer_id" <> "deliveries"."venue_id")
);
--> statement-breakpoint
CREATE TABLE "delivery_lines" (
	"delivery_id" text NOT NULL,
	"position" integer NOT NULL,
	"variant_id" text NOT NULL,
	"quantity_sent" integer NOT NULL,
	"quantity_received" integer,
	"lot_id" text,
	CONSTRAINT "delivery_lines_delivery_id_position_pk" PRIMARY KEY("delivery_id","position"),
	CONSTRAINT "delivery_lines_variant_unique" UNIQUE("delivery_id","variant_id"),
	CONSTRAINT "delivery_lines_sent_positive" CHECK ("delivery_lines"."quantity_sent" > 0),
	CONSTRAINT "delivery_lines_received_non_negative" CHECK ("delivery_lines"."quantity_received" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_count_lines" (
	"count_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"expected" integer NOT NULL,
	"counted" integer NOT NULL,
	CONSTRAINT "stock_count_lines_count_id_variant_id_pk" PRIMARY KEY("count_id","variant_id"),
	CONSTRAINT "stock_count_lines_counted_non_negative" CHECK ("stock_count_lines"."counted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_counts" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"reason" text NOT NULL,
	"counted_at" timestamp with time zone NOT NULL,
	"actor_party_id" text,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_counts_id_format" CHECK ("stock_counts"."id" ~ '^cnt_[0-9a-z]{26}$')
);
--> statement-breakpoint
CREATE TABLE "stock_expiry_notices" (
	"lot_id" text PRIMARY KEY NOT NULL,
	"return_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock_levels" (
	"venue_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_levels_venue_id_variant_id_pk" PRIMARY KEY("venue_id","variant_id"),
	CONSTRAINT "stock_levels_on_hand_non_negative" CHECK ("stock_levels"."on_hand" >= 0),
	CONSTRAINT "stock_levels_reserved_non_negative" CHECK ("stock_levels"."reserved" >= 0),
	CONSTRAINT "stock_levels_reserved_within_on_hand" CHECK ("stock_levels"."reserved" <= "stock_levels"."on_hand")
);
--> statement-breakpoint
CREATE TABLE "stock_lots" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"agreement_id" text NOT NULL,
	"agreement_version" integer NOT NULL,
	"source" "stock_lot_source" NOT NULL,
	"document_id" text NOT NULL,
	"delivered_at" timestamp with time zone NOT NULL,
	"quantity" integer NOT NULL,
	"remaining" integer NOT NULL,
	"unit_price_amount" bigint,
	"currency" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_lots_id_format" CHECK ("stock_lots"."id" ~ '^lot_[0-9a-z]{26}$'),
	CONSTRAINT "stock_lots_quantity_positive" CHECK ("stock_lots"."quantity" > 0),
	CONSTRAINT "stock_lots_remaining_range" CHECK ("stock_lots"."remaining" >= 0 and "stock_lots"."remaining" <= "stock_lots"."quantity"),
	CONSTRAINT "stock_lots_price_complete" CHECK (("stock_lots"."unit_price_amount" is null) = ("stock_lots"."currency" is null))
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"agreement_id" text NOT NULL,
	"agreement_version" integer NOT NULL,
	"kind" "stock_movement_kind" NOT NULL,
	"on_hand_delta" integer NOT NULL,
	"reserved_delta" integer NOT NULL,
	"lot_id" text,
	"document_id" text,
	"reference" text,
	"reason" text,
	"unit_price_amount" bigint,
	"list_price_amount" bigint,
	"currency" text,
	"actor_party_id" text,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_id_format" CHECK ("stock_movements"."id" ~ '^mov_[0-9a-z]{26}$'),
	CONSTRAINT "stock_movements_changes_something" CHECK ("stock_movements"."on_hand_delta" <> 0 or "stock_movements"."reserved_delta" <> 0),
	CONSTRAINT "stock_movements_price_complete" CHECK (("stock_movements"."unit_price_amount" is null) = ("stock_movements"."currency" is null))
);
--> statement-breakpoint
CREATE TABLE "stock_obligations" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"agreement_id" text NOT NULL,
	"agreement_version" integer NOT NULL,
	"kind" "write_off_kind" NOT NULL,
	"quantity" integer NOT NULL,
	"basis" "obligation_basis" NOT NULL,
	"unit_value_amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"bearer" "liability_bearer" NOT NULL,
	"total_amount" bigint NOT NULL,
	"venue_owes_amount" bigint NOT NULL,
	"producer_bears_amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"actor_party_id" text,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_obligations_id_format" CHECK ("stock_obligations"."id" ~ '^obl_[0-9a-z]{26}$'),
	CONSTRAINT "stock_obligations_quantity_positive" CHECK ("stock_obligations"."quantity" > 0),
	CONSTRAINT "stock_obligations_value_non_negative" CHECK ("stock_obligations"."unit_value_amount" >= 0),
	CONSTRAINT "stock_obligations_shares_add_up" CHECK ("stock_obligations"."venue_owes_amount" + "stock_obligations"."producer_bears_amount" = "stock_obligations"."total_amount")
);
--> statement-breakpoint
CREATE TABLE "stock_reservation_lines" (
	"reservation_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"agreement_id" text NOT NULL,
	"agreement_version" integer NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_amount" bigint,
	"currency" text,
	CONSTRAINT "stock_reservation_lines_reservation_id_variant_id_pk" PRIMARY KEY("reservation_id","variant_id"),
	CONSTRAINT "stock_reservation_lines_quantity_positive" CHECK ("stock_reservation_lines"."quantity" > 0),
	CONSTRAINT "stock_reservation_lines_price_complete" CHECK (("stock_reservation_lines"."unit_price_amount" is null) = ("stock_reservation_lines"."currency" is null))
);
--> statement-breakpoint
CREATE TABLE "stock_reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"status" "reservation_status" DEFAULT 'held' NOT NULL,
	"reference" text,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"sale_id" text,
	"actor_party_id" text,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_reservations_id_format" CHECK ("stock_reservations"."id" ~ '^rsv_[0-9a-z]{26}$')
);
--> statement-breakpoint
CREATE TABLE "stock_return_lines" (
	"return_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"quantity_requested" integer NOT NULL,
	"quantity_confirmed" integer,
	CONSTRAINT "stock_return_lines_return_id_variant_id_pk" PRIMARY KEY("return_id","variant_id"),
	CONSTRAINT "stock_return_lines_requested_positive" CHECK ("stock_return_lines"."quantity_requested" > 0),
	CONSTRAINT "stock_return_lines_confirmed_non_negative" CHECK ("stock_return_lines"."quantity_confirmed" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_returns" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"status" "stock_return_status" DEFAULT 'requested' NOT NULL,
	"source" "stock_return_source" NOT NULL,
	"reason" text,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" text,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_returns_id_format" CHECK ("stock_returns"."id" ~ '^ret_[0-9a-z]{26}$')
);
--> statement-breakpoint
CREATE TABLE "stock_transfer_lines" (
	"transfer_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "stock_transfer_lines_transfer_id_variant_id_pk" PRIMARY KEY("transfer_id","variant_id"),
	CONSTRAINT "stock_transfer_lines_quantity_positive" CHECK ("stock_transfer_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"producer_id" text NOT NULL,
	"from_venue_id" text NOT NULL,
	"to_venue_id" text NOT NULL,
	"status" "transfer_status" DEFAULT 'requested' NOT NULL,
	"reason" text,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" text,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_transfers_id_format" CHECK ("stock_transfers"."id" ~ '^trf_[0-9a-z]{26}$'),
	CONSTRAINT "stock_transfers_two_venues" CHECK ("stock_transfers"."from_venue_id" <> "stock_transfers"."to_venue_id")
);
--> statement-breakpoint
CREATE TABLE "venue_sales" (
	"id" text PRIMARY KEY NOT NULL,
	"venue_id" text NOT NULL,
	"receipt_number" text NOT NULL,
	"channel" "sale_channel" NOT NULL,
	"reservation_id" text,
	"sold_at" timestamp with time zone NOT NULL,
	"actor_party_id" text,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venue_sales_receipt_unique" UNIQUE("venue_id","receipt_number"),
	CONSTRAINT "venue_sales_reservation_unique" UNIQUE("reservation_id"),
	CONSTRAINT "venue_sales_id_format" CHECK ("venue_sales"."id" ~ '^sale_[0-9a-z]{26}$')
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_lines" ADD CONSTRAINT "delivery_lines_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_lines" ADD CONSTRAINT "delivery_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_lines" ADD CONSTRAINT "delivery_lines_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_count_id_stock_counts_id_fk" FOREIGN KEY ("count_id") REFERENCES "public"."stock_counts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_counts" ADD CONSTRAINT "stock_counts_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_counts" ADD CONSTRAINT "stock_counts_actor_party_id_parties_id_fk" FOREIGN KEY ("actor_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_expiry_notices" ADD CONSTRAINT "stock_expiry_notices_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_expiry_notices" ADD CONSTRAINT "stock_expiry_notices_return_id_stock_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."stock_returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lots" ADD CONSTRAINT "stock_lots_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lots" ADD CONSTRAINT "stock_lots_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lots" ADD CONSTRAINT "stock_lots_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_lots" ADD CONSTRAINT "stock_lots_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_actor_party_id_parties_id_fk" FOREIGN KEY ("actor_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_obligations" ADD CONSTRAINT "stock_obligations_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_obligations" ADD CONSTRAINT "stock_obligations_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_obligations" ADD CONSTRAINT "stock_obligations_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_obligations" ADD CONSTRAINT "stock_obligations_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_obligations" ADD CONSTRAINT "stock_obligations_actor_party_id_parties_id_fk" FOREIGN KEY ("actor_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation_lines" ADD CONSTRAINT "stock_reservation_lines_reservation_id_stock_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."stock_reservations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation_lines" ADD CONSTRAINT "stock_reservation_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation_lines" ADD CONSTRAINT "stock_reservation_lines_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservation_lines" ADD CONSTRAINT "stock_reservation_lines_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_sale_id_venue_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."venue_sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_actor_party_id_parties_id_fk" FOREIGN KEY ("actor_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_return_lines" ADD CONSTRAINT "stock_return_lines_return_id_stock_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."stock_returns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_return_lines" ADD CONSTRAINT "stock_return_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_returns" ADD CONSTRAINT "stock_returns_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_returns" ADD CONSTRAINT "stock_returns_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_returns" ADD CONSTRAINT "stock_returns_requested_by_parties_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_returns" ADD CONSTRAINT "stock_returns_closed_by_parties_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_transfer_lines" ADD CONSTRAINT "stock_transfer_lines_transfer_id_stock_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."stock_transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_transfer_lines" ADD CONSTRAINT "stock_transfer_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_transfers" ADD CONSTRAINT "stock_transfers_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_transfers" ADD CONSTRAINT "stock_transfers_from_venue_id_parties_id_fk" FOREIGN KEY ("from_venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_transfers" ADD CONSTRAINT "stock_transfers_to_venue_id_parties_id_fk" FOREIGN KEY ("to_venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_sales" ADD CONSTRAINT "venue_sales_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_sales" ADD CONSTRAINT "venue_sales_actor_party_id_parties_id_fk" FOREIGN KEY ("actor_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_venue_idx" ON "deliveries" USING btree ("venue_id","id");--> statement-breakpoint
CREATE INDEX "deliveries_producer_idx" ON "deliveries" USING btree ("producer_id","id");--> statement-breakpoint
CREATE INDEX "stock_counts_venue_idx" ON "stock_counts" USING btree ("venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_levels_producer_idx" ON "stock_levels" USING btree ("producer_id","venue_id");--> statement-breakpoint
CREATE INDEX "stock_lots_fifo_idx" ON "stock_lots" USING btree ("venue_id","variant_id","delivered_at","id") WHERE "stock_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "stock_lots_open_idx" ON "stock_lots" USING btree ("delivered_at","id") WHERE "stock_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "stock_lots_producer_idx" ON "stock_lots" USING btree ("producer_id","venue_id");--> statement-breakpoint
CREATE INDEX "stock_movements_level_idx" ON "stock_movements" USING btree ("venue_id","variant_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_venue_idx" ON "stock_movements" USING btree ("venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_producer_idx" ON "stock_movements" USING btree ("producer_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_venue_kind_idx" ON "stock_movements" USING btree ("venue_id","kind","created_at");--> statement-breakpoint
CREATE INDEX "stock_movements_producer_kind_idx" ON "stock_movements" USING btree ("producer_id","kind","created_at");--> statement-breakpoint
CREATE INDEX "stock_movements_document_idx" ON "stock_movements" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "stock_obligations_venue_idx" ON "stock_obligations" USING btree ("venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_obligations_producer_idx" ON "stock_obligations" USING btree ("producer_id","id");--> statement-breakpoint
CREATE INDEX "stock_reservations_due_idx" ON "stock_reservations" USING btree ("expires_at","id") WHERE "stock_reservations"."status" = 'held';--> statement-breakpoint
CREATE INDEX "stock_reservations_venue_idx" ON "stock_reservations" USING btree ("venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_returns_venue_idx" ON "stock_returns" USING btree ("venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_returns_producer_idx" ON "stock_returns" USING btree ("producer_id","id");--> statement-breakpoint
CREATE INDEX "stock_transfers_from_idx" ON "stock_transfers" USING btree ("from_venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_transfers_to_idx" ON "stock_transfers" USING btree ("to_venue_id","id");--> statement-breakpoint
CREATE INDEX "stock_transfers_producer_idx" ON "stock_transfers" USING btree ("producer_id","id");