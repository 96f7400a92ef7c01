import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { Pokemon, Trainer, TrainerDetail, UpdateTrainer } from '../schemas.js';
import { pokemon, trainers } from '../tables.js';

const trainerColumns = {
  id: trainers.id,
  firstName: trainers.firstName,
  lastName: trainers.lastName,
  dateOfBirth: trainers.dateOfBirth,
};

export async function listTrainers(db: DbOrTx, offset: number, limit: number): Promise<{ items: Trainer[]; total: number }> {
  const [items, totals] = await Promise.all([
    db.select(trainerColumns).from(trainers).orderBy(asc(trainers.id)).limit(limit).offset(offset),
    db.select({ total: count() }).from(trainers),
  ]);
  return { items, total: totals[0]?.total ?? 0 };
}

export async function findTrainer(db: DbOrTx, id: string): Promise<Trainer | undefined> {
  const rows = await db.select(trainerColumns).from(trainers).where(eq(trainers.id, id));
  return rows[0];
}

/** Inserts; false when the id is taken. */
export async function insertTrainer(db: DbOrTx, trainer: Trainer): Promise<boolean> {
  const rows = await db.insert(trainers).values(trainer).onConflictDoNothing().returning({ id: trainers.id });
  return rows.length === 1;
}

export async function updateTrainer(db: DbOrTx, id: string, patch: UpdateTrainer): Promise<Trainer | undefined> {
  const rows = await db.update(trainers).set(patch).where(eq(trainers.id, id)).returning(trainerColumns);
  return rows[0];
}

/** Locks the trainer against concurrent trades, imports and deletes; false when it does not exist. */
export async function lockTrainerForDelete(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.select({ id: trainers.id }).from(trainers).where(eq(trainers.id, id)).for('update');
  return rows.length === 1;
}

/**
 * Locks existing trainers against deletion (KEY SHARE: trades and imports may share it), in id order so
 * that every transaction takes trainer locks in the same order; returns the ids that exist.
 */
export async function lockTrainersKeyShare(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: trainers.id })
    .from(trainers)
    .where(inArray(trainers.id, ids))
    .orderBy(asc(trainers.id))
    .for('key share');
  return new Set(rows.map((r) => r.id));
}

export async function countOwnedPokemon(db: DbOrTx, trainerId: string): Promise<number> {
  const rows = await db.select({ n: count() }).from(pokemon).where(eq(pokemon.owner, trainerId));
  return rows[0]?.n ?? 0;
}

/** Deletes a trainer's pokemon (their history goes with them) and returns their ids. */
export async function deletePokemonOf(db: DbOrTx, trainerId: string): Promise<string[]> {
  const rows = await db.delete(pokemon).where(eq(pokemon.owner, trainerId)).returning({ id: pokemon.id });
  return rows.map((r) => r.id);
}

export async function deleteTrainer(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(trainers).where(eq(trainers.id, id)).returning({ id: trainers.id });
  return rows.length === 1;
}

export async function countTrainers(db: DbOrTx): Promise<number> {
  const rows = await db.select({ n: count() }).from(trainers);
  return rows[0]?.n ?? 0;
}

/** A trainer with the pokemon they own, read in one statement so both come from the same snapshot. */
export async function findTrainerDetail(db: DbOrTx, id: string): Promise<TrainerDetail | undefined> {
  const rows = await queryRows<{ trainer: Trainer; pokemon: Pokemon[] }>(
    db,
    sql`SELECT json_build_object('id', t.id, 'firstName', t.first_name, 'lastName', t.last_name, 'dateOfBirth', t.date_of_birth) AS trainer,
        coalesce((SELECT json_agg(json_build_object('id', p.id, 'nickname', p.nickname, 'species', p.species, 'level', p.level,
            'owner', p.owner, 'dateOfOwnership', p.date_of_ownership) ORDER BY p.id)
          FROM pokemon.pokemon p WHERE p.owner = t.id), '[]'::json) AS pokemon
      FROM pokemon.trainers t WHERE t.id = ${id}`,
  );
  const row = rows[0];
  return row ? { ...row.trainer, pokemon: row.pokemon } : undefined;
}
