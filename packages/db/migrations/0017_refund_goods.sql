CREATE TYPE "public"."refund_goods" AS ENUM('restock', 'kept', 'written_off');--> statement-breakpoint
ALTER TYPE "public"."stock_lot_source" ADD VALUE 'refund';--> statement-breakpoint
ALTER TYPE "public"."stock_movement_kind" ADD VALUE 'restock';--> statement-breakpoint
CREATE TABLE "refunded_goods" (
	"refund_id" text NOT NULL,
	"sale_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"venue_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"goods" "refund_goods" NOT NULL,
	"quantity" integer NOT NULL,
	"lot_id" text,
	"reason" text,
	"actor_party_id" text,
	"actor_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunded_goods_refund_id_sale_id_variant_id_pk" PRIMARY KEY("refund_id","sale_id","variant_id"),
	CONSTRAINT "refunded_goods_quantity_positive" CHECK ("refunded_goods"."quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "order_refunds" ADD COLUMN "goods" "refund_goods";--> statement-breakpoint
ALTER TABLE "order_refunds" ADD COLUMN "goods_lines" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "refunded_goods" ADD CONSTRAINT "refunded_goods_sale_id_venue_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."venue_sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunded_goods" ADD CONSTRAINT "refunded_goods_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunded_goods" ADD CONSTRAINT "refunded_goods_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunded_goods" ADD CONSTRAINT "refunded_goods_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunded_goods" ADD CONSTRAINT "refunded_goods_lot_id_stock_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."stock_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunded_goods" ADD CONSTRAINT "refunded_goods_actor_party_id_parties_id_fk" FOREIGN KEY ("actor_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunded_goods_sale_idx" ON "refunded_goods" USING btree ("sale_id","variant_id");--> statement-breakpoint
CREATE INDEX "refunded_goods_venue_idx" ON "refunded_goods" USING btree ("venue_id","created_at");--> statement-breakpoint
CREATE INDEX "refunded_goods_producer_idx" ON "refunded_goods" USING btree ("producer_id","created_at");