CREATE TABLE "shop"."sales_by_tick" (
	"epoch" integer NOT NULL,
	"tick" integer NOT NULL,
	"sku" text NOT NULL,
	"hour" integer NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "sales_by_tick_epoch_tick_sku_hour_pk" PRIMARY KEY("epoch","tick","sku","hour"),
	CONSTRAINT "sales_by_tick_quantity_positive" CHECK ("shop"."sales_by_tick"."quantity" >= 1)
);
--> statement-breakpoint
-- Backfill from the carts sold before this table existed.
INSERT INTO "shop"."sales_by_tick" (epoch, tick, sku, hour, quantity)
SELECT c.epoch, coalesce(c.closed_tick, 0), ci.sku, coalesce(c.game_hour, 0), sum(ci.quantity)::int
FROM "shop"."carts" c JOIN "shop"."cart_items" ci ON ci.cart_id = c.id
WHERE c.status = 'checked_out'
GROUP BY 1, 2, 3, 4;
