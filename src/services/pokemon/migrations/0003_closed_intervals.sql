-- Ownership keeps only past (closed) intervals: the current one is the pokemon row itself (owner since
-- date_of_ownership), so creating or importing a pokemon writes one row instead of two. Where an old upsert
-- import had moved date_of_ownership without its open interval, the pokemon row wins.
DELETE FROM "pokemon"."ownership" WHERE "to_date" IS NULL;
--> statement-breakpoint
DROP INDEX "pokemon"."ownership_one_open";
--> statement-breakpoint
ALTER TABLE "pokemon"."ownership" ALTER COLUMN "to_date" SET NOT NULL;
--> statement-breakpoint
-- As in 0001 (same answers, same lock order), except that a move records the interval it ends as history,
-- read from the locked rows before they change, instead of closing one interval and opening another.
CREATE OR REPLACE FUNCTION "pokemon"."apply_trade"(
  p_trainer_a text, p_trainer_b text, p_pokemon_a text[], p_pokemon_b text[], p_day date, p_now timestamptz
) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  v_all text[] := p_pokemon_a || p_pokemon_b;
  v_trainers text[];
  v_owners json;
  v_trade pokemon.trades;
BEGIN
  SELECT coalesce(array_agg(t.id), '{}') INTO v_trainers
  FROM (SELECT id FROM pokemon.trainers WHERE id IN (p_trainer_a, p_trainer_b) ORDER BY id FOR KEY SHARE) t;
  IF cardinality(v_trainers) < 2 THEN
    RETURN json_build_object('status', 'trainers', 'found', to_json(v_trainers));
  END IF;
  SELECT coalesce(json_object_agg(p.id, p.owner), '{}'::json) INTO v_owners
  FROM (SELECT id, owner FROM pokemon.pokemon WHERE id = ANY (v_all) ORDER BY id FOR UPDATE) p;
  IF EXISTS (SELECT 1 FROM unnest(v_all) x WHERE v_owners ->> x IS NULL)
    OR EXISTS (SELECT 1 FROM unnest(p_pokemon_a) x WHERE v_owners ->> x <> p_trainer_a)
    OR EXISTS (SELECT 1 FROM unnest(p_pokemon_b) x WHERE v_owners ->> x <> p_trainer_b) THEN
    RETURN json_build_object('status', 'owners', 'owners', v_owners);
  END IF;
  INSERT INTO pokemon.ownership (pokemon_id, trainer_id, from_date, to_date)
  SELECT id, owner, date_of_ownership, p_day FROM pokemon.pokemon WHERE id = ANY (v_all) ORDER BY id;
  UPDATE pokemon.pokemon
  SET owner = CASE WHEN id = ANY (p_pokemon_a) THEN p_trainer_b ELSE p_trainer_a END, date_of_ownership = p_day
  WHERE id = ANY (v_all);
  INSERT INTO pokemon.trades (trainer_a, trainer_b, pokemon_a, pokemon_b, traded_on, created_at)
  VALUES (p_trainer_a, p_trainer_b, p_pokemon_a, p_pokemon_b, p_day, p_now)
  RETURNING * INTO v_trade;
  RETURN json_build_object('status', 'ok', 'trade', json_build_object(
    'id', v_trade.id::text, 'trainerA', v_trade.trainer_a, 'trainerB', v_trade.trainer_b,
    'pokemonA', to_json(v_trade.pokemon_a), 'pokemonB', to_json(v_trade.pokemon_b),
    'date', to_char(v_trade.traded_on, 'YYYY-MM-DD'), 'createdAt', v_trade.created_at));
END;
$$;
