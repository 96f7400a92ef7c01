import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const arena = pgSchema('arena');

/** Drawn inside each battle's transaction: the global order battles were actually fought in. */
export const battleProcessingSeq = arena.sequence('battle_processing_seq');

export const players = arena.table(
  'players',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    gold: bigint('gold', { mode: 'number' }).notNull(),
    silver: bigint('silver', { mode: 'number' }).notNull(),
    attack: integer('attack').notNull(),
    hitPoints: integer('hit_points').notNull(),
    luck: integer('luck').notNull(),
    score: bigint('score', { mode: 'number' }).notNull().default(0),
    /** sha-256 of the player's token (shown once at creation). */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('players_name_ci').on(sql`lower(${t.name})`),
    uniqueIndex('players_token_hash').on(t.tokenHash),
    // Balances may exceed the 1e9 creation cap through loot; they can never go negative.
    check('players_balances_non_negative', sql`${t.gold} >= 0 AND ${t.silver} >= 0 AND ${t.score} >= 0`),
    check('players_stats_valid', sql`${t.attack} >= 1 AND ${t.hitPoints} >= 1 AND ${t.luck} BETWEEN 0 AND 100`),
    check('players_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 20 AND char_length(${t.description}) <= 1000`),
  ],
);

export const battles = arena.table(
  'battles',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    attackerId: bigint('attacker_id', { mode: 'number' })
      .notNull()
      .references(() => players.id),
    defenderId: bigint('defender_id', { mode: 'number' })
      .notNull()
      .references(() => players.id),
    status: text('status', { enum: ['queued', 'running', 'done'] })
      .notNull()
      .default('queued'),
    /** Seed of the engine's random draws: with the stats in the report, the battle replays exactly. */
    seed: text('seed').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    winnerId: bigint('winner_id', { mode: 'number' }).references(() => players.id),
    lootGold: bigint('loot_gold', { mode: 'number' }).notNull().default(0),
    lootSilver: bigint('loot_silver', { mode: 'number' }).notNull().default(0),
    report: jsonb('report'),
    /** Global processing order (a sequence drawn in the battle's transaction): proves per-player order. */
    processedSeq: bigint('processed_seq', { mode: 'number' }),
  },
  (t) => [
    index('battles_attacker').on(t.attackerId, t.id.desc()),
    index('battles_defender').on(t.defenderId, t.id.desc()),
    // The "earlier unfinished battle of either player" check and the recovery sweep read only these.
    index('battles_pending_attacker').on(t.attackerId, t.id).where(sql`${t.status} <> 'done'`),
    index('battles_pending_defender').on(t.defenderId, t.id).where(sql`${t.status} <> 'done'`),
    // Workers take the oldest unfinished battles first.
    index('battles_unfinished').on(t.id).where(sql`${t.status} <> 'done'`),
    check('battles_not_self', sql`${t.attackerId} <> ${t.defenderId}`),
    check('battles_status_valid', sql`${t.status} in ('queued', 'running', 'done')`),
  ],
);
