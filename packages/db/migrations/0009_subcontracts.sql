CREATE TABLE "subcontract_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"delivered_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"accepted" integer,
	"rejected" integer,
	"note" text,
	"inspected_at" timestamp with time zone,
	"inspected_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subcontract_deliveries_id_format" CHECK ("subcontract_deliveries"."id" ~ '^dlv_[0-9a-z]{26}$'),
	CONSTRAINT "subcontract_deliveries_quantity" CHECK ("subcontract_deliveries"."quantity" > 0),
	CONSTRAINT "subcontract_deliveries_inspection" CHECK (("subcontract_deliveries"."inspected_at" is null and "subcontract_deliveries"."accepted" is null and "subcontract_deliveries"."rejected" is null) or ("subcontract_deliveries"."inspected_at" is not null and "subcontract_deliveries"."accepted" >= 0 and "subcontract_deliveries"."rejected" >= 0 and "subcontract_deliveries"."accepted" + "subcontract_deliveries"."rejected" = "subcontract_deliveries"."quantity"))
);
--> statement-breakpoint
CREATE TABLE "subcontracts" (
	"id" text PRIMARY KEY NOT NULL,
	"buyer_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"items" jsonb NOT NULL,
	"currency" text NOT NULL,
	"target_quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"penalty" jsonb NOT NULL,
	"penalty_cap" bigint,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"penalty_transaction_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subcontracts_id_format" CHECK ("subcontracts"."id" ~ '^ctr_[0-9a-z]{26}$'),
	CONSTRAINT "subcontracts_parties_differ" CHECK ("subcontracts"."buyer_id" <> "subcontracts"."producer_id"),
	CONSTRAINT "subcontracts_target" CHECK ("subcontracts"."target_quantity" > 0),
	CONSTRAINT "subcontracts_unit_price" CHECK ("subcontracts"."unit_price" >= 0),
	CONSTRAINT "subcontracts_penalty_cap" CHECK ("subcontracts"."penalty_cap" is null or "subcontracts"."penalty_cap" >= 0),
	CONSTRAINT "subcontracts_status" CHECK ("subcontracts"."status" in ('open', 'closed')),
	CONSTRAINT "subcontracts_closed" CHECK (("subcontracts"."status" = 'closed') = ("subcontracts"."closed_at" is not null)),
	CONSTRAINT "subcontracts_items" CHECK (jsonb_typeof("subcontracts"."items") = 'array')
);
--> statement-breakpoint
ALTER TABLE "subcontract_deliveries" ADD CONSTRAINT "subcontract_deliveries_contract_id_subcontracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."subcontracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subcontracts" ADD CONSTRAINT "subcontracts_buyer_id_parties_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subcontracts" ADD CONSTRAINT "subcontracts_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subcontract_deliveries_contract_idx" ON "subcontract_deliveries" USING btree ("contract_id","id");--> statement-breakpoint
CREATE INDEX "subcontracts_buyer_idx" ON "subcontracts" USING btree ("buyer_id","id");--> statement-breakpoint
CREATE INDEX "subcontracts_producer_idx" ON "subcontracts" USING btree ("producer_id","id");