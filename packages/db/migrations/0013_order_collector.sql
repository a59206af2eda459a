CREATE TYPE "public"."payment_collector" AS ENUM('platform', 'venue');--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "collector" "payment_collector" DEFAULT 'platform' NOT NULL;