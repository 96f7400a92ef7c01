CREATE SCHEMA "exchange";
--> statement-breakpoint
CREATE TABLE "exchange"."clock" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"tick" integer DEFAULT 0 NOT NULL,
	"last_tick_at" timestamp with time zone,
	"last_tick_ms" integer,
	CONSTRAINT "clock_single_row" CHECK ("exchange"."clock"."id" = 1),
	CONSTRAINT "clock_tick_non_negative" CHECK ("exchange"."clock"."tick" >= 0)
);
--> statement-breakpoint
CREATE TABLE "exchange"."job_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" integer NOT NULL,
	"tick" integer NOT NULL,
	"job" text NOT NULL,
	"request" jsonb,
	"ok" boolean NOT NULL,
	"http_status" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"kind" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange"."ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" integer NOT NULL,
	"tick" integer NOT NULL,
	"kind" text NOT NULL,
	"gold" integer DEFAULT 0 NOT NULL,
	"red" integer DEFAULT 0 NOT NULL,
	"green" integer DEFAULT 0 NOT NULL,
	"blue" integer DEFAULT 0 NOT NULL,
	"dark" integer DEFAULT 0 NOT NULL,
	"mix" text,
	"potions" integer DEFAULT 0 NOT NULL,
	"potion_capacity" integer DEFAULT 0 NOT NULL,
	"ml_capacity" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange"."shops" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"api_key_cipher" text NOT NULL,
	"state" jsonb NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"epoch_tick" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shops_name_unique" UNIQUE("name"),
	CONSTRAINT "shops_name_length" CHECK (char_length("exchange"."shops"."name") between 1 and 80)
);
--> statement-breakpoint
CREATE TABLE "exchange"."snapshots" (
	"shop_id" integer NOT NULL,
	"tick" integer NOT NULL,
	"gold" integer NOT NULL,
	"net_worth" integer NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"sales" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "snapshots_shop_id_tick_pk" PRIMARY KEY("shop_id","tick")
);
--> statement-breakpoint
ALTER TABLE "exchange"."job_log" ADD CONSTRAINT "job_log_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "exchange"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange"."ledger" ADD CONSTRAINT "ledger_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "exchange"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange"."snapshots" ADD CONSTRAINT "snapshots_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "exchange"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_log_shop" ON "exchange"."job_log" USING btree ("shop_id","id");--> statement-breakpoint
CREATE INDEX "job_log_errors" ON "exchange"."job_log" USING btree ("shop_id","id") WHERE not "exchange"."job_log"."ok";--> statement-breakpoint
CREATE INDEX "ledger_shop" ON "exchange"."ledger" USING btree ("shop_id","id");--> statement-breakpoint
INSERT INTO "exchange"."clock" ("id", "tick") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "exchange"."ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'exchange.ledger is append-only: write a correcting entry instead of updating one';
END
$$;--> statement-breakpoint
CREATE TRIGGER "ledger_no_update" BEFORE UPDATE ON "exchange"."ledger" FOR EACH ROW EXECUTE FUNCTION "exchange"."ledger_append_only"();
