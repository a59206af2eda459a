CREATE TYPE "public"."audit_actor_kind" AS ENUM('api_key', 'user', 'system');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"actor_kind" "audit_actor_kind" NOT NULL,
	"actor_id" text,
	"actor_party_id" text,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_events_id_format" CHECK ("audit_events"."id" ~ '^aud_[0-9a-z]{26}$')
);
--> statement-breakpoint
CREATE TABLE "demo_refunds" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"refund_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demo_refunds_refund_id_unique" UNIQUE("refund_id"),
	CONSTRAINT "demo_refunds_amount_positive" CHECK ("demo_refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "demo_sessions" (
	"session_id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"currency" text NOT NULL,
	"lines" jsonb NOT NULL,
	"total" bigint NOT NULL,
	"success_url" text NOT NULL,
	"cancel_url" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"payment_id" text,
	"method" text,
	"fee" bigint,
	"refunded" bigint DEFAULT 0 NOT NULL,
	"last_webhook" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demo_sessions_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "demo_sessions_payment_id_unique" UNIQUE("payment_id"),
	CONSTRAINT "demo_sessions_refund_within_total" CHECK ("demo_sessions"."refunded" >= 0 and "demo_sessions"."refunded" <= "demo_sessions"."total")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "replaced_by" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "access_token_hash" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "buyer_key" text;--> statement-breakpoint
ALTER TABLE "venue_checkout_settings" ADD COLUMN "max_units_per_order" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "venue_checkout_settings" ADD COLUMN "max_units_per_buyer" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "venue_checkout_settings" ADD COLUMN "hold_seconds" integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_party_idx" ON "audit_events" USING btree ("party_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "demo_refunds_payment_idx" ON "demo_refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "demo_sessions_order_idx" ON "demo_sessions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "demo_sessions_pending_idx" ON "demo_sessions" USING btree ("expires_at") WHERE "demo_sessions"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "orders_buyer_pending_idx" ON "orders" USING btree ("buyer_key") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
ALTER TABLE "venue_checkout_settings" ADD CONSTRAINT "venue_checkout_settings_hold_limits" CHECK ("venue_checkout_settings"."max_units_per_order" between 1 and 10000 and "venue_checkout_settings"."max_units_per_buyer" between 1 and 100000 and "venue_checkout_settings"."hold_seconds" between 60 and 86400);