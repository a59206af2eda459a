CREATE TYPE "public"."party_kind" AS ENUM('producer', 'cluster', 'venue', 'core_partner', 'buyer', 'platform');--> statement-breakpoint
CREATE TABLE "parties" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "party_kind" NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parties_slug_unique" UNIQUE("slug"),
	CONSTRAINT "parties_id_format" CHECK ("parties"."id" ~ '^pty_[0-9a-z]{26}$'),
	CONSTRAINT "parties_slug_format" CHECK ("parties"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "parties_name_present" CHECK (length(trim("parties"."name")) > 0)
);
--> statement-breakpoint
CREATE INDEX "parties_kind_idx" ON "parties" USING btree ("kind","id");