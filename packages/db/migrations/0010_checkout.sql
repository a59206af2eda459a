CREATE TYPE "public"."cart_status" AS ENUM('open', 'checked_out');--> statement-breakpoint
CREATE TYPE "public"."fulfilment_kind" AS ENUM('pickup', 'delivery');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('pending_payment', 'paid', 'ready_for_pickup', 'shipped', 'completed', 'expired', 'canceled', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."payment_provider" AS ENUM('stripe', 'midtrans', 'demo');--> statement-breakpoint
CREATE TYPE "public"."refund_status" AS ENUM('pending', 'succeeded', 'failed');--> statement-breakpoint
ALTER TYPE "public"."ledger_account_purpose" ADD VALUE 'delivery_fees';--> statement-breakpoint
CREATE TABLE "cart_lines" (
	"cart_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"venue_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cart_lines_cart_id_venue_id_variant_id_pk" PRIMARY KEY("cart_id","venue_id","variant_id"),
	CONSTRAINT "cart_lines_quantity_positive" CHECK ("cart_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "carts" (
	"id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"status" "cart_status" DEFAULT 'open' NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carts_id_format" CHECK ("carts"."id" ~ '^cart_[0-9a-z]{26}$')
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"order_id" text NOT NULL,
	"position" integer NOT NULL,
	"venue_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"list_price" bigint,
	"line_total" bigint NOT NULL,
	"sale_line_id" text,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "order_lines_order_id_position_pk" PRIMARY KEY("order_id","position"),
	CONSTRAINT "order_lines_quantity_positive" CHECK ("order_lines"."quantity" > 0),
	CONSTRAINT "order_lines_total" CHECK ("order_lines"."line_total" = "order_lines"."unit_price" * "order_lines"."quantity" and "order_lines"."unit_price" >= 0),
	CONSTRAINT "order_lines_refund_within_total" CHECK ("order_lines"."refunded_amount" >= 0 and "order_lines"."refunded_amount" <= "order_lines"."line_total")
);
--> statement-breakpoint
CREATE TABLE "order_refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"allocation" jsonb NOT NULL,
	"status" "refund_status" DEFAULT 'pending' NOT NULL,
	"provider_refund_id" text,
	"reason" text,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "order_refunds_id_format" CHECK ("order_refunds"."id" ~ '^re_[0-9a-z]{26}$'),
	CONSTRAINT "order_refunds_amount_positive" CHECK ("order_refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "order_transitions" (
	"order_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"from_status" "order_status",
	"to_status" "order_status" NOT NULL,
	"cause" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_transitions_order_id_sequence_pk" PRIMARY KEY("order_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "order_venues" (
	"order_id" text NOT NULL,
	"venue_id" text NOT NULL,
	"reservation_id" text NOT NULL,
	"delivery_fee" bigint NOT NULL,
	"sale_id" text,
	"delivery_line_id" text,
	"delivery_refunded" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "order_venues_order_id_venue_id_pk" PRIMARY KEY("order_id","venue_id"),
	CONSTRAINT "order_venues_reservation_unique" UNIQUE("reservation_id"),
	CONSTRAINT "order_venues_fee_non_negative" CHECK ("order_venues"."delivery_fee" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"cart_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"status" "order_status" NOT NULL,
	"currency" text NOT NULL,
	"fulfilment" "fulfilment_kind" NOT NULL,
	"delivery_address" jsonb,
	"customer" jsonb NOT NULL,
	"subtotal" bigint NOT NULL,
	"delivery_total" bigint NOT NULL,
	"total" bigint NOT NULL,
	"paid_amount" bigint,
	"payment_fee" bigint,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"provider" "payment_provider" NOT NULL,
	"provider_session_id" text,
	"provider_payment_id" text,
	"redirect_url" text,
	"success_url" text,
	"cancel_url" text,
	"expires_at" timestamp with time zone NOT NULL,
	"reconcile_after" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"closed_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_id_format" CHECK ("orders"."id" ~ '^ord_[0-9a-z]{26}$'),
	CONSTRAINT "orders_currency_format" CHECK ("orders"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "orders_total_adds_up" CHECK ("orders"."total" = "orders"."subtotal" + "orders"."delivery_total" and "orders"."subtotal" > 0),
	CONSTRAINT "orders_refund_within_paid" CHECK ("orders"."refunded_amount" >= 0 and "orders"."refunded_amount" <= coalesce("orders"."paid_amount", 0))
);
--> statement-breakpoint
CREATE TABLE "payment_events" (
	"provider" "payment_provider" NOT NULL,
	"event_id" text NOT NULL,
	"order_id" text,
	"state" text NOT NULL,
	"outcome" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_events_provider_event_id_pk" PRIMARY KEY("provider","event_id")
);
--> statement-breakpoint
CREATE TABLE "venue_checkout_settings" (
	"venue_id" text PRIMARY KEY NOT NULL,
	"currency" text NOT NULL,
	"pickup" integer DEFAULT 1 NOT NULL,
	"delivery_rate" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venue_checkout_settings_currency_format" CHECK ("venue_checkout_settings"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "venue_checkout_settings_rate_non_negative" CHECK ("venue_checkout_settings"."delivery_rate" is null or "venue_checkout_settings"."delivery_rate" >= 0),
	CONSTRAINT "venue_checkout_settings_some_fulfilment" CHECK ("venue_checkout_settings"."pickup" = 1 or "venue_checkout_settings"."delivery_rate" is not null)
);
--> statement-breakpoint
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "public"."carts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carts" ADD CONSTRAINT "carts_channel_id_parties_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_transitions" ADD CONSTRAINT "order_transitions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_venues" ADD CONSTRAINT "order_venues_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_venues" ADD CONSTRAINT "order_venues_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_venues" ADD CONSTRAINT "order_venues_reservation_id_stock_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."stock_reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "public"."carts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_channel_id_parties_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_checkout_settings" ADD CONSTRAINT "venue_checkout_settings_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_lines_venue_idx" ON "order_lines" USING btree ("venue_id","order_id");--> statement-breakpoint
CREATE INDEX "order_lines_producer_idx" ON "order_lines" USING btree ("producer_id","order_id");--> statement-breakpoint
CREATE INDEX "order_refunds_order_idx" ON "order_refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_channel_idx" ON "orders" USING btree ("channel_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_pending_idx" ON "orders" USING btree ("reconcile_after") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
CREATE INDEX "payment_events_order_idx" ON "payment_events" USING btree ("order_id","received_at");