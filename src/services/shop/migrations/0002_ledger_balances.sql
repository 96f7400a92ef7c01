CREATE TABLE "shop"."ledger_balances" (
	"epoch" integer NOT NULL,
	"account" text NOT NULL,
	"balance" bigint NOT NULL,
	CONSTRAINT "ledger_balances_epoch_account_pk" PRIMARY KEY("epoch","account")
);
--> statement-breakpoint
-- Until this migration commits (the migrator runs it in one transaction), no entry can be appended: an
-- older process still running would otherwise append between the backfill and the trigger, and those
-- entries would never reach the balances.
LOCK TABLE "shop"."ledger_entries" IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
-- Backfill from the entries appended before this table existed.
INSERT INTO "shop"."ledger_balances" (epoch, account, balance)
SELECT epoch, account, sum(delta)::bigint FROM "shop"."ledger_entries" GROUP BY epoch, account;
--> statement-breakpoint
-- Once per INSERT statement on the ledger, whatever its number of entries: adds them up per account and
-- adds that to the balances, in account order (every ledger writer holds the balance row lock anyway).
CREATE FUNCTION "shop"."ledger_balances_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shop.ledger_balances (epoch, account, balance)
  SELECT epoch, account, sum(delta)::bigint FROM appended GROUP BY epoch, account ORDER BY epoch, account
  ON CONFLICT (epoch, account) DO UPDATE SET balance = shop.ledger_balances.balance + excluded.balance;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "ledger_entries_balances" AFTER INSERT ON "shop"."ledger_entries" REFERENCING NEW TABLE AS "appended"
  FOR EACH STATEMENT EXECUTE FUNCTION "shop"."ledger_balances_add"();
--> statement-breakpoint
-- The balances are the ledger's to keep: a write that does not come from its trigger is refused (inside
-- the statement trigger above, this row trigger runs one level deeper).
CREATE FUNCTION "shop"."ledger_balances_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'shop.ledger_balances is kept from the ledger (% refused); append ledger entries instead', TG_OP
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN coalesce(NEW, OLD);
END
$$;
--> statement-breakpoint
CREATE TRIGGER "ledger_balances_kept" BEFORE INSERT OR UPDATE OR DELETE ON "shop"."ledger_balances"
  FOR EACH ROW EXECUTE FUNCTION "shop"."ledger_balances_kept"();
