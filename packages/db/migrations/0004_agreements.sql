CREATE TYPE "public"."agreement_model" AS ENUM('consignment', 'inti_plasma', 'subcontract');--> statement-breakpoint
CREATE TYPE "public"."agreement_status" AS ENUM('draft', 'proposed', 'active', 'terminated', 'withdrawn', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."agreement_version_state" AS ENUM('draft', 'proposed', 'accepted', 'superseded', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "agreement_versions" (
	"agreement_id" text NOT NULL,
	"version" integer NOT NULL,
	"state" "agreement_version_state" DEFAULT 'draft' NOT NULL,
	"terms" jsonb NOT NULL,
	"terms_hash" text NOT NULL,
	"author_id" text NOT NULL,
	"proposed_at" timestamp with time zone,
	"producer_accepted_at" timestamp with time zone,
	"producer_accepted_by" text,
	"venue_accepted_at" timestamp with time zone,
	"venue_accepted_by" text,
	"effective_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreement_versions_agreement_id_version_pk" PRIMARY KEY("agreement_id","version"),
	CONSTRAINT "agreement_versions_positive" CHECK ("agreement_versions"."version" >= 1),
	CONSTRAINT "agreement_versions_accepted_by_both" CHECK ("agreement_versions"."state" not in ('accepted', 'superseded') or ("agreement_versions"."producer_accepted_at" is not null and "agreement_versions"."venue_accepted_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" text PRIMARY KEY NOT NULL,
	"model" "agreement_model" DEFAULT 'consignment' NOT NULL,
	"producer_id" text NOT NULL,
	"venue_id" text NOT NULL,
	"initiator_id" text NOT NULL,
	"status" "agreement_status" DEFAULT 'draft' NOT NULL,
	"active_version" integer,
	"latest_version" integer DEFAULT 1 NOT NULL,
	"terminated_at" timestamp with time zone,
	"termination_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_id_format" CHECK ("agreements"."id" ~ '^agr_[0-9a-z]{26}$'),
	CONSTRAINT "agreements_two_parties" CHECK ("agreements"."producer_id" <> "agreements"."venue_id")
);
--> statement-breakpoint
CREATE TABLE "partner_profiles" (
	"party_id" text PRIMARY KEY NOT NULL,
	"location" jsonb NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"seeking" jsonb NOT NULL,
	"listed" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agreement_versions" ADD CONSTRAINT "agreement_versions_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_versions" ADD CONSTRAINT "agreement_versions_author_id_parties_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_venue_id_parties_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_initiator_id_parties_id_fk" FOREIGN KEY ("initiator_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_profiles" ADD CONSTRAINT "partner_profiles_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreements_producer_idx" ON "agreements" USING btree ("producer_id","status");--> statement-breakpoint
CREATE INDEX "agreements_venue_idx" ON "agreements" USING btree ("venue_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_one_active" ON "agreements" USING btree ("producer_id","venue_id","model") WHERE "agreements"."status" = 'active';--> statement-breakpoint
CREATE INDEX "partner_profiles_categories_idx" ON "partner_profiles" USING gin ("categories");