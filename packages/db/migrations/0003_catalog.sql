CREATE TYPE "public"."product_category" AS ENUM('batik', 'textile', 'wooden_toys', 'educational_toys', 'snacks', 'honey', 'natural_dye', 'masks', 'bamboo', 'pottery', 'stone_craft', 'other');--> statement-breakpoint
CREATE TYPE "public"."product_status" AS ENUM('draft', 'active', 'archived');--> statement-breakpoint
CREATE TABLE "party_profiles" (
	"party_id" text PRIMARY KEY NOT NULL,
	"profile" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_media" (
	"product_id" text NOT NULL,
	"party_id" text NOT NULL,
	"media_id" text NOT NULL,
	"position" integer NOT NULL,
	"alt_id" text,
	"alt_en" text,
	CONSTRAINT "product_media_product_id_media_id_pk" PRIMARY KEY("product_id","media_id"),
	CONSTRAINT "product_media_position_non_negative" CHECK ("product_media"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "product_variants" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"party_id" text NOT NULL,
	"sku" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"weight_grams" integer NOT NULL,
	"price_amount" bigint,
	"price_currency" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_variants_id_format" CHECK ("product_variants"."id" ~ '^var_[0-9a-z]{26}$'),
	CONSTRAINT "product_variants_weight_positive" CHECK ("product_variants"."weight_grams" > 0),
	CONSTRAINT "product_variants_price_complete" CHECK (("product_variants"."price_amount" is null) = ("product_variants"."price_currency" is null)),
	CONSTRAINT "product_variants_price_non_negative" CHECK ("product_variants"."price_amount" >= 0),
	CONSTRAINT "product_variants_price_currency" CHECK ("product_variants"."price_currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"status" "product_status" DEFAULT 'draft' NOT NULL,
	"category" "product_category" NOT NULL,
	"title_id" text NOT NULL,
	"title_en" text,
	"description_id" text,
	"description_en" text,
	"materials" text[] DEFAULT '{}'::text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"origin_village" text,
	"origin_district" text,
	"origin_regency" text,
	"origin_province" text,
	"search" "tsvector" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_party_id_unique" UNIQUE("party_id","id"),
	CONSTRAINT "products_id_format" CHECK ("products"."id" ~ '^prod_[0-9a-z]{26}$'),
	CONSTRAINT "products_title_present" CHECK (length(trim("products"."title_id")) > 0)
);
--> statement-breakpoint
ALTER TABLE "party_profiles" ADD CONSTRAINT "party_profiles_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_media" ADD CONSTRAINT "product_media_media_id_media_assets_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media_assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_media" ADD CONSTRAINT "product_media_product_fk" FOREIGN KEY ("party_id","product_id") REFERENCES "public"."products"("party_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_product_fk" FOREIGN KEY ("party_id","product_id") REFERENCES "public"."products"("party_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "product_media_position_unique" ON "product_media" USING btree ("product_id","position");--> statement-breakpoint
CREATE INDEX "product_media_media_idx" ON "product_media" USING btree ("media_id");--> statement-breakpoint
CREATE UNIQUE INDEX "product_variants_party_sku_unique" ON "product_variants" USING btree ("party_id",lower("sku"));--> statement-breakpoint
CREATE UNIQUE INDEX "product_variants_product_options_unique" ON "product_variants" USING btree ("product_id","options");--> statement-breakpoint
CREATE INDEX "product_variants_product_idx" ON "product_variants" USING btree ("product_id","id");--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "products" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category","id");--> statement-breakpoint
CREATE INDEX "products_search_idx" ON "products" USING gin ("search");--> statement-breakpoint
CREATE INDEX "products_tags_idx" ON "products" USING gin ("tags");