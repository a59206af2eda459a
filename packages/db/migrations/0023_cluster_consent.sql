CREATE TABLE "cluster_member_requests" (
	"cluster_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"asked_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cluster_member_requests_cluster_id_producer_id_pk" PRIMARY KEY("cluster_id","producer_id"),
	CONSTRAINT "cluster_member_requests_side" CHECK ("cluster_member_requests"."asked_by" in ('cluster', 'producer'))
);
--> statement-breakpoint
ALTER TABLE "cluster_member_requests" ADD CONSTRAINT "cluster_member_requests_cluster_id_parties_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_member_requests" ADD CONSTRAINT "cluster_member_requests_producer_id_parties_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cluster_member_requests_producer_idx" ON "cluster_member_requests" USING btree ("producer_id");