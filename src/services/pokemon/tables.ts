import { sql } from 'drizzle-orm';
import { bigserial, check, date, index, integer, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const pokemonSchema = pgSchema('pokemon');

export const trainers = pokemonSchema.table('trainers', {
  id: text('id').primaryKey(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
});

export const pokemon = pokemonSchema.table(
  'pokemon',
  {
    id: text('id').primaryKey(),
    nickname: text('nickname').notNull(),
    species: text('species').notNull(),
    level: integer('level').notNull(),
    // No cascade here: deleting a trainer who owns pokemon is a decision the use case makes (409 or cascade).
    owner: text('owner')
      .notNull()
      .references(() => trainers.id),
    dateOfOwnership: date('date_of_ownership', { mode: 'string' }).notNull(),
  },
  // Only the owner gets a secondary index (trainer pages, the foreign key, deletes): species and level
  // filters walk the primary key in page order instead, because every extra index costs a bulk import
  // of 100,000 rows about a second.
  (t) => [index('pokemon_owner').on(t.owner, t.id), check('pokemon_level_range', sql`${t.level} between 1 and 100`)],
);

/**
 * Past ownership intervals, each closed by a trade or an import that changed the owner. The current interval
 * is not stored here: it is the pokemon row itself (owner since date_of_ownership), so creating or importing
 * a pokemon writes one row. `trainer_id` has no foreign key on purpose: a trainer who traded a pokemon away
 * and was later deleted stays in that pokemon's history (history is never lost).
 */
export const ownership = pokemonSchema.table(
  'ownership',
  {
    // Orders a pokemon's intervals; part of the primary key so one index serves history reads.
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    pokemonId: text('pokemon_id')
      .notNull()
      .references(() => pokemon.id, { onDelete: 'cascade' }),
    trainerId: text('trainer_id').notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pokemonId, t.seq] })],
);

export const trades = pokemonSchema.table(
  'trades',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    trainerA: text('trainer_a').notNull(),
    trainerB: text('trainer_b').notNull(),
    pokemonA: text('pokemon_a').array().notNull(),
    pokemonB: text('pokemon_b').array().notNull(),
    tradedOn: date('traded_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('trades_trainer_a').on(t.trainerA, t.id), index('trades_trainer_b').on(t.trainerB, t.id)],
);

/** Cache generations: an import bumps one so every cached read of that kind is invalidated at once. */
export const cacheGenerations = pokemonSchema.table('cache_generations', {
  name: text('name').primaryKey(),
  generation: integer('generation').notNull().default(0),
});
