import { and, asc, count, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { HistoryEntry, Pokemon, PokemonDetail, PokemonQuery } from '../schemas.js';
import { pokemon } from '../tables.js';

const pokemonColumns = {
  id: pokemon.id,
  nickname: pokemon.nickname,
  species: pokemon.species,
  level: pokemon.level,
  owner: pokemon.owner,
  dateOfOwnership: pokemon.dateOfOwnership,
};

export async function listPokemon(db: DbOrTx, filter: PokemonQuery, offset: number): Promise<{ items: Pokemon[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.owner !== undefined) conditions.push(eq(pokemon.owner, filter.owner));
  if (filter.species !== undefined) conditions.push(eq(pokemon.species, filter.species));
  if (filter.minLevel !== undefined) conditions.push(gte(pokemon.level, filter.minLevel));
  if (filter.maxLevel !== undefined) conditions.push(lte(pokemon.level, filter.maxLevel));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [items, totals] = await Promise.all([
    db.select(pokemonColumns).from(pokemon).where(where).orderBy(asc(pokemon.id)).limit(filter.limit).offset(offset),
    db.select({ total: count() }).from(pokemon).where(where),
  ]);
  return { items, total: totals[0]?.total ?? 0 };
}

export async function pokemonOf(db: DbOrTx, trainerId: string): Promise<Pokemon[]> {
  return db.select(pokemonColumns).from(pokemon).where(eq(pokemon.owner, trainerId)).orderBy(asc(pokemon.id));
}

export async function findPokemon(db: DbOrTx, id: string): Promise<Pokemon | undefined> {
  const rows = await db.select(pokemonColumns).from(pokemon).where(eq(pokemon.id, id));
  return rows[0];
}

/**
 * The history of the pokemon row `p` as a JSON array: its past intervals in order, then the current one,
 * which is the row itself (the NULL sort key sorts last).
 */
const historyJson = sql`(SELECT json_agg(h.entry ORDER BY h.seq) FROM (
    SELECT o.seq, json_build_object('trainerId', o.trainer_id, 'from', o.from_date, 'to', o.to_date) AS entry
    FROM pokemon.ownership o WHERE o.pokemon_id = p.id
    UNION ALL
    SELECT NULL, json_build_object('trainerId', p.owner, 'from', p.date_of_ownership, 'to', NULL)) h)`;

export async function historyOf(db: DbOrTx, pokemonId: string): Promise<HistoryEntry[]> {
  const rows = await queryRows<{ history: HistoryEntry[] }>(
    db,
    sql`SELECT ${historyJson} AS history FROM pokemon.pokemon p WHERE p.id = ${pokemonId}`,
  );
  return rows[0]?.history ?? [];
}

/** Inserts the pokemon, which is also its first (current) ownership interval; false when the id is taken. */
export async function insertPokemon(db: DbOrTx, p: Pokemon): Promise<boolean> {
  const rows = await db.insert(pokemon).values(p).onConflictDoNothing().returning({ id: pokemon.id });
  return rows.length === 1;
}

export async function updatePokemon(
  db: DbOrTx,
  id: string,
  patch: { nickname?: string; species?: string; level?: number },
): Promise<Pokemon | undefined> {
  const rows = await db.update(pokemon).set(patch).where(eq(pokemon.id, id)).returning(pokemonColumns);
  return rows[0];
}

export async function deletePokemon(db: DbOrTx, id: string): Promise<Pokemon | undefined> {
  const rows = await db.delete(pokemon).where(eq(pokemon.id, id)).returning(pokemonColumns);
  return rows[0];
}

/** A pokemon with its history, read in one statement so both come from the same snapshot. */
export async function findPokemonDetail(db: DbOrTx, id: string): Promise<PokemonDetail | undefined> {
  const rows = await queryRows<{ pokemon: Pokemon; history: HistoryEntry[] }>(
    db,
    sql`SELECT json_build_object('id', p.id, 'nickname', p.nickname, 'species', p.species, 'level', p.level,
          'owner', p.owner, 'dateOfOwnership', p.date_of_ownership) AS pokemon,
        ${historyJson} AS history
      FROM pokemon.pokemon p WHERE p.id = ${id}`,
  );
  const row = rows[0];
  return row ? { ...row.pokemon, history: row.history } : undefined;
}
