CREATE TYPE "public"."payout_execution_status" AS ENUM('pending_approval', 'processing', 'paid', 'failed');--> statement-breakpoint
CREATE TYPE "public"."payout_method" AS ENUM('stripe_transfer', 'midtrans_iris', 'manual');--> statement-breakpoint
CREATE TABLE "payout_destinations" (
	"party_id" text NOT NULL,
	"method" "payout_method" NOT NULL,
	"stripe_account_id" text,
	"bank_code" text,
	"account_number" text,
	"account_name" text,
	"email" text,
	"note" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_destinations_party_id_method_pk" PRIMARY KEY("party_id","method"),
	CONSTRAINT "payout_destinations_stripe_account" CHECK ("payout_destinations"."method" <> 'stripe_transfer' or "payout_destinations"."stripe_account_id" ~ '^acct_[A-Za-z0-9]+$'),
	CONSTRAINT "payout_destinations_iris_account" CHECK ("payout_destinations"."method" <> 'midtrans_iris' or ("payout_destinations"."bank_code" is not null and "payout_destinations"."account_number" is not null and "payout_destinations"."account_name" is not null and "payout_destinations"."email" is not null))
);
--> statement-breakpoint
CREATE TABLE "payout_executions" (
	"payout_id" text PRIMARY KEY NOT NULL,
	"party_id" text NOT NULL,
	"method" "payout_method" NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"status" "payout_execution_status" NOT NULL,
	"idempotency_key" text NOT NULL,
	"provider_reference" text,
	"destination" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"approved_by" text,
	"proof_reference" text,
	"proof_url" text,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	CONSTRAINT "payout_executions_amount_positive" CHECK ("payout_executions"."amount" > 0),
	CONSTRAINT "payout_executions_paid_consistent" CHECK (("payout_executions"."status" = 'paid') = ("payout_executions"."paid_at" is not null)),
	CONSTRAINT "payout_executions_failed_consistent" CHECK (("payout_executions"."status" = 'failed') = ("payout_executions"."failure_reason" is not null)),
	CONSTRAINT "payout_executions_manual_proof" CHECK ("payout_executions"."method" <> 'manual' or "payout_executions"."status" <> 'paid' or "payout_executions"."proof_reference" is not null),
	CONSTRAINT "payout_executions_two_people" CHECK ("payout_executions"."approved_by" is null or "payout_executions"."approved_by" <> "payout_executions"."created_by")
);
--> statement-breakpoint
CREATE TABLE "payout_provider_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"payout_id" text,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_provider_events_provider_event_id_pk" PRIMARY KEY("provider","event_id")
);
--> statement-breakpoint
ALTER TABLE "payout_destinations" ADD CONSTRAINT "payout_destinations_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_executions" ADD CONSTRAINT "payout_executions_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_executions" ADD CONSTRAINT "payout_executions_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_provider_events" ADD CONSTRAINT "payout_provider_events_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_destinations_one_default" ON "payout_destinations" USING btree ("party_id") WHERE "payout_destinations"."is_default";--> statement-breakpoint
CREATE UNIQUE INDEX "payout_executions_provider_reference" ON "payout_executions" USING btree ("method","provider_reference") WHERE "payout_executions"."provider_reference" is not null;--> statement-breakpoint
CREATE INDEX "payout_executions_party_idx" ON "payout_executions" USING btree ("party_id","created_at");