-- A trade in one statement (one round trip, atomic without an explicit transaction). Lock order is the
-- one every writer uses: trainers (KEY SHARE, by id), then pokemon (FOR UPDATE, by id). Ownership is
-- checked on the locked rows; on any problem it returns before writing anything.
CREATE FUNCTION "pokemon"."apply_trade"(
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
  UPDATE pokemon.ownership SET to_date = p_day WHERE pokemon_id = ANY (v_all) AND to_date IS NULL;
  UPDATE pokemon.pokemon
  SET owner = CASE WHEN id = ANY (p_pokemon_a) THEN p_trainer_b ELSE p_trainer_a END, date_of_ownership = p_day
  WHERE id = ANY (v_all);
  INSERT INTO pokemon.ownership (pokemon_id, trainer_id, from_date)
  SELECT x, CASE WHEN x = ANY (p_pokemon_a) THEN p_trainer_b ELSE p_trainer_a END, p_day FROM unnest(v_all) x ORDER BY x;
  INSERT INTO pokemon.trades (trainer_a, trainer_b, pokemon_a, pokemon_b, traded_on, created_at)
  VALUES (p_trainer_a, p_trainer_b, p_pokemon_a, p_pokemon_b, p_day, p_now)
  RETURNING * INTO v_trade;
  RETURN json_build_object('status', 'ok', 'trade', json_build_object(
    'id', v_trade.id::text, 'trainerA', v_trade.trainer_a, 'trainerB', v_trade.trainer_b,
    'pokemonA', to_json(v_trade.pokemon_a), 'pokemonB', to_json(v_trade.pokemon_b),
    'date', to_char(v_trade.traded_on, 'YYYY-MM-DD'), 'createdAt', v_trade.created_at));
END;
$$;
