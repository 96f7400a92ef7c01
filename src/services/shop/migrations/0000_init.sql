CREATE SCHEMA "shop";
--> statement-breakpoint
CREATE TABLE "shop"."cart_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cart_id" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cart_items_one_per_sku" UNIQUE("cart_id","sku"),
	CONSTRAINT "cart_items_quantity_positive" CHECK ("shop"."cart_items"."quantity" >= 1),
	CONSTRAINT "cart_items_price_range" CHECK ("shop"."cart_items"."unit_price" between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "shop"."carts" (
	"id" serial PRIMARY KEY NOT NULL,
	"epoch" integer NOT NULL,
	"customer_id" text,
	"customer_name" text NOT NULL,
	"character_class" text NOT NULL,
	"character_species" text,
	"level" integer NOT NULL,
	"game_day" text,
	"game_hour" integer,
	"tick" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"payment" text,
	"total_potions" integer,
	"total_gold" integer,
	"closed_at" timestamp with time zone,
	"closed_tick" integer,
	CONSTRAINT "carts_status_valid" CHECK ("shop"."carts"."status" in ('open', 'checked_out', 'abandoned'))
);
--> statement-breakpoint
CREATE TABLE "shop"."idempotency" (
	"epoch" integer NOT NULL,
	"endpoint" text NOT NULL,
	"key" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_epoch_endpoint_key_pk" PRIMARY KEY("epoch","endpoint","key")
);
--> statement-breakpoint
CREATE TABLE "shop"."ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" bigint NOT NULL,
	"epoch" integer NOT NULL,
	"account" text NOT NULL,
	"delta" bigint NOT NULL,
	CONSTRAINT "ledger_entries_delta_nonzero" CHECK ("shop"."ledger_entries"."delta" <> 0)
);
--> statement-breakpoint
CREATE TABLE "shop"."ledger_transactions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"epoch" integer NOT NULL,
	"kind" text NOT NULL,
	"reference" text,
	"game_day" text,
	"game_hour" integer,
	"tick" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shop"."listings" (
	"epoch" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"price" integer NOT NULL,
	"slot" integer NOT NULL,
	CONSTRAINT "listings_epoch_sku_pk" PRIMARY KEY("epoch","sku"),
	CONSTRAINT "listings_price_range" CHECK ("shop"."listings"."price" between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "shop"."potions" (
	"epoch" integer NOT NULL,
	"sku" text NOT NULL,
	"red" integer NOT NULL,
	"green" integer NOT NULL,
	"blue" integer NOT NULL,
	"dark" integer NOT NULL,
	"quantity" integer NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "potions_epoch_sku_pk" PRIMARY KEY("epoch","sku"),
	CONSTRAINT "potions_mix_valid" CHECK ("shop"."potions"."red" >= 0 and "shop"."potions"."green" >= 0 and "shop"."potions"."blue" >= 0 and "shop"."potions"."dark" >= 0 and "shop"."potions"."red" + "shop"."potions"."green" + "shop"."potions"."blue" + "shop"."potions"."dark" = 100),
	CONSTRAINT "potions_quantity_nonnegative" CHECK ("shop"."potions"."quantity" >= 0),
	CONSTRAINT "potions_reserved_within_stock" CHECK ("shop"."potions"."reserved" >= 0 and "shop"."potions"."reserved" <= "shop"."potions"."quantity")
);
--> statement-breakpoint
CREATE TABLE "shop"."state" (
	"id" integer PRIMARY KEY NOT NULL,
	"epoch" integer NOT NULL,
	"gold" bigint NOT NULL,
	"ml_red" bigint NOT NULL,
	"ml_green" bigint NOT NULL,
	"ml_blue" bigint NOT NULL,
	"ml_dark" bigint NOT NULL,
	"potions" integer NOT NULL,
	"potion_units" integer NOT NULL,
	"ml_units" integer NOT NULL,
	"game_day" text,
	"game_hour" integer,
	"tick" integer NOT NULL,
	CONSTRAINT "state_singleton" CHECK ("shop"."state"."id" = 1),
	CONSTRAINT "state_gold_nonnegative" CHECK ("shop"."state"."gold" >= 0),
	CONSTRAINT "state_ml_nonnegative" CHECK ("shop"."state"."ml_red" >= 0 and "shop"."state"."ml_green" >= 0 and "shop"."state"."ml_blue" >= 0 and "shop"."state"."ml_dark" >= 0),
	CONSTRAINT "state_ml_within_capacity" CHECK ("shop"."state"."ml_red" + "shop"."state"."ml_green" + "shop"."state"."ml_blue" + "shop"."state"."ml_dark" <= "shop"."state"."ml_units"::bigint * 10000),
	CONSTRAINT "state_potions_within_capacity" CHECK ("shop"."state"."potions" >= 0 and "shop"."state"."potions" <= "shop"."state"."potion_units" * 50),
	CONSTRAINT "state_units_positive" CHECK ("shop"."state"."potion_units" >= 1 and "shop"."state"."ml_units" >= 1)
);
--> statement-breakpoint
CREATE TABLE "shop"."visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"epoch" integer NOT NULL,
	"visit_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"customer_id" text,
	"customer_name" text NOT NULL,
	"character_class" text NOT NULL,
	"character_species" text,
	"level" integer NOT NULL,
	"game_day" text,
	"game_hour" integer,
	"tick" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_once" UNIQUE("epoch","visit_id","position")
);
--> statement-breakpoint
ALTER TABLE "shop"."cart_items" ADD CONSTRAINT "cart_items_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "shop"."carts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop"."ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "shop"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "carts_open" ON "shop"."carts" USING btree ("epoch","tick") WHERE "shop"."carts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "ledger_entries_epoch_account" ON "shop"."ledger_entries" USING btree ("epoch","account");--> statement-breakpoint
CREATE INDEX "ledger_transactions_epoch" ON "shop"."ledger_transactions" USING btree ("epoch","id");--> statement-breakpoint
-- The shop opens with 100 gold and one unit of each capacity, recorded in the ledger like every later change.
INSERT INTO "shop"."state" ("id", "epoch", "gold", "ml_red", "ml_green", "ml_blue", "ml_dark", "potions", "potion_units", "ml_units", "tick") VALUES (1, 1, 100, 0, 0, 0, 0, 0, 1, 1, 0);--> statement-breakpoint
INSERT INTO "shop"."ledger_transactions" ("id", "epoch", "kind", "tick") VALUES (1, 1, 'open', 0);--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"shop"."ledger_transactions"', 'id'), 1);--> statement-breakpoint
INSERT INTO "shop"."ledger_entries" ("transaction_id", "epoch", "account", "delta") VALUES (1, 1, 'gold', 100), (1, 1, 'capacity:potion', 1), (1, 1, 'capacity:ml', 1);
--> statement-breakpoint
-- The ledger is append-only: corrections are new entries, never edits.
CREATE FUNCTION "shop"."ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the shop ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "shop"."ledger_entries" FOR EACH ROW EXECUTE FUNCTION "shop"."ledger_append_only"();--> statement-breakpoint
CREATE TRIGGER "ledger_transactions_append_only" BEFORE UPDATE OR DELETE ON "shop"."ledger_transactions" FOR EACH ROW EXECUTE FUNCTION "shop"."ledger_append_only"();
