CREATE TABLE "funds_checkpoints" (
	"currency" text PRIMARY KEY NOT NULL,
	"amount" bigint NOT NULL,
	"snapshot" "pg_snapshot" NOT NULL,
	"xid" "xid8" NOT NULL
);
