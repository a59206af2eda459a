CREATE TABLE "brand_kits" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"logo_media_id" text,
	"kit" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_kits_slug_format" CHECK ("brand_kits"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "media_assets" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"source_hash" text NOT NULL,
	"source_format" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"dominant_color" text NOT NULL,
	"placeholder" text NOT NULL,
	"variants" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_assets_id_format" CHECK ("media_assets"."id" ~ '^med_[0-9a-z]{26}$')
);
--> statement-breakpoint
ALTER TABLE "brand_kits" ADD CONSTRAINT "brand_kits_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_kits" ADD CONSTRAINT "brand_kits_logo_media_id_media_assets_id_fk" FOREIGN KEY ("logo_media_id") REFERENCES "public"."media_assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_assets" ADD CONSTRAINT "media_assets_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "brand_kits_party_unique" ON "brand_kits" USING btree ("party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "brand_kits_slug_unique" ON "brand_kits" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "media_assets_party_source_unique" ON "media_assets" USING btree ("party_id","source_hash");--> statement-breakpoint
CREATE INDEX "media_assets_party_idx" ON "media_assets" USING btree ("party_id","id");