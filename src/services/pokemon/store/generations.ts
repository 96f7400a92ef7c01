import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';

export type CacheKind = 'trainers' | 'pokemon';

/** The current cache generation of each kind (0 until the first import bumps it). */
export async function readGenerations(db: DbOrTx): Promise<Record<CacheKind, number>> {
  const rows = await queryRows<{ name: string; generation: number }>(db, sql`SELECT name, generation FROM pokemon.cache_generations`);
  const byName = new Map(rows.map((r) => [r.name, Number(r.generation)]));
  return { trainers: byName.get('trainers') ?? 0, pokemon: byName.get('pokemon') ?? 0 };
}

/** Bumps generations inside the writing transaction; the caller drops the cached generation after commit. */
export async function bumpGenerations(db: DbOrTx, kinds: CacheKind[]): Promise<void> {
  for (const kind of kinds) {
    await db.execute(sql`
      INSERT INTO pokemon.cache_generations (name, generation) VALUES (${kind}, 1)
      ON CONFLICT (name) DO UPDATE SET generation = pokemon.cache_generations.generation + 1`);
  }
}
