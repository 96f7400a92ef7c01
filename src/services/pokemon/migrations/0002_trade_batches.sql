-- Trades in batches (group commit): applies each trade of the list in order, in the caller's single
-- statement, each seeing the ones before it. A refused trade writes nothing and the next one goes on; the
-- answers come back in the list's order. Every trade takes its locks in the global order (trainers, then
-- pokemon, by id); the caller runs one batch at a time, so batches never wait on each other.
CREATE FUNCTION "pokemon"."apply_trades"(p_trades json) RETURNS SETOF json LANGUAGE plpgsql AS $$
DECLARE
  t json;
BEGIN
  FOR t IN SELECT value FROM json_array_elements(p_trades) LOOP
    RETURN NEXT pokemon.apply_trade(
      t ->> 'trainerA', t ->> 'trainerB',
      ARRAY(SELECT json_array_elements_text(t -> 'pokemonA')), ARRAY(SELECT json_array_elements_text(t -> 'pokemonB')),
      (t ->> 'day')::date, (t ->> 'at')::timestamptz);
  END LOOP;
END;
$$;
