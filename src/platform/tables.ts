import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Tables of the platform itself: the Postgres job queue and the SQL leaderboard. */
export const platform = pgSchema('platform');

export const jobs = platform.table(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: text('queue').notNull(),
    payload: jsonb('payload').notNull(),
    state: text('state', { enum: ['waiting', 'active', 'failed'] })
      .notNull()
      .default('waiting'),
    attempts: integer('attempts').notNull().default(0),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('jobs_claimable').on(t.queue, t.id).where(sql`${t.state} <> 'failed'`),
    check('jobs_state_valid', sql`${t.state} in ('waiting', 'active', 'failed')`),
  ],
);

export const leaderboard = platform.table(
  'leaderboard',
  {
    board: text('board').notNull(),
    member: text('member').notNull(),
    score: bigint('score', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.board, t.member] }), index('leaderboard_rank').on(t.board, t.score.desc(), t.member.desc())],
);
