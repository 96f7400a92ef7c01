import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Prize } from './domain/draw.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const raffleSchema = pgSchema('raffle');

/**
 * One row per raffle; no per-ticket rows at creation. `claimed` is the hand-out counter: claim k gets
 * ticket permutation(k) + 1 (domain/permutation.ts).
 *
 * `perm_key` is the per-raffle key of that permutation: 256 bits from the CSPRNG, never sent to a
 * client or logged. It is stored in clear because it protects only the *order* of hand-out (not codes,
 * not the draw, which uses fresh CSPRNG output at draw time), and whoever can read this table can
 * already read every claim; encrypting it with a key held by the same process would add no protection.
 */
export const raffles = raffleSchema.table(
  'raffles',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    totalTickets: integer('total_tickets').notNull(),
    claimed: integer('claimed').notNull().default(0),
    prizes: jsonb('prizes').$type<Prize[]>().notNull(),
    permKey: bytea('perm_key').notNull(),
    winnersDrawn: boolean('winners_drawn').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    check('raffles_name_not_empty', sql`length(btrim(${t.name})) > 0`),
    check('raffles_total_positive', sql`${t.totalTickets} > 0`),
    check('raffles_claimed_in_range', sql`${t.claimed} >= 0 AND ${t.claimed} <= ${t.totalTickets}`),
    check('raffles_drawn_when_full', sql`NOT ${t.winnersDrawn} OR ${t.claimed} = ${t.totalTickets}`),
    check('raffles_perm_key_length', sql`octet_length(${t.permKey}) = 32`),
    index('raffles_newest_idx').on(t.createdAt.desc(), t.id.desc()),
  ],
);

/**
 * One row per claim, keyed by claim index `seq` (0-based; the ticket number is permutation(seq) + 1,
 * so the claim is inserted in the same statement that takes the counter). The verification code exists
 * only as SHA-256(code_salt ‖ code). The unique (raffle_id, client_ip) makes "one claim per client" hold
 * under any concurrency: a second claim fails the statement, which also undoes its counter increment.
 */
export const claims = raffleSchema.table(
  'claims',
  {
    raffleId: uuid('raffle_id')
      .notNull()
      .references(() => raffles.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    clientIp: text('client_ip').notNull(),
    codeSalt: bytea('code_salt').notNull(),
    codeHash: bytea('code_hash').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.raffleId, t.seq] }),
    unique('claims_one_per_client').on(t.raffleId, t.clientIp),
    check('claims_seq_non_negative', sql`${t.seq} >= 0`),
  ],
);

/**
 * The drawn winners, in chunks of consecutive winning ticket numbers (WINNER_CHUNK per row, sorted):
 * a draw of 100,000 prizes writes 100 rows instead of 100,000, which is what keeps it within its time
 * target. `prize_indexes[i]` (pointing into the raffle's `prizes`) belongs to `tickets[i]`; a chunk is
 * found by its first ticket, so checking one ticket reads one row.
 */
export const winnerChunks = raffleSchema.table(
  'winner_chunks',
  {
    raffleId: uuid('raffle_id')
      .notNull()
      .references(() => raffles.id, { onDelete: 'cascade' }),
    firstTicket: integer('first_ticket').notNull(),
    tickets: integer('tickets').array().notNull(),
    prizeIndexes: integer('prize_indexes').array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.raffleId, t.firstTicket] }),
    check('winner_chunks_first_positive', sql`${t.firstTicket} > 0`),
    check('winner_chunks_aligned', sql`cardinality(${t.tickets}) = cardinality(${t.prizeIndexes}) AND ${t.tickets}[1] = ${t.firstTicket}`),
  ],
);
