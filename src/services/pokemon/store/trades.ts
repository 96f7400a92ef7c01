import { count, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { Trade } from '../schemas.js';
import { trades } from '../tables.js';

type TradeRow = typeof trades.$inferSelect;

function toTrade(row: TradeRow): Trade {
  return {
    id: String(row.id),
    trainerA: row.trainerA,
    trainerB: row.trainerB,
    pokemonA: row.pokemonA,
    pokemonB: row.pokemonB,
    date: row.tradedOn,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function findTrade(db: DbOrTx, id: number): Promise<Trade | undefined> {
  const rows = await db.select().from(trades).where(eq(trades.id, id));
  return rows[0] ? toTrade(rows[0]) : undefined;
}

/** A trainer's trades, newest first. */
export async function tradesOf(db: DbOrTx, trainerId: string, offset: number, limit: number): Promise<{ items: Trade[]; total: number }> {
  const where = or(eq(trades.trainerA, trainerId), eq(trades.trainerB, trainerId));
  const [rows, totals] = await Promise.all([
    db.select().from(trades).where(where).orderBy(desc(trades.id)).limit(limit).offset(offset),
    db.select({ total: count() }).from(trades).where(where),
  ]);
  return { items: rows.map(toTrade), total: totals[0]?.total ?? 0 };
}

const list = (ids: string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
const textArray = (ids: string[]): SQL => (ids.length === 0 ? sql`ARRAY[]::text[]` : sql`ARRAY[${list(ids)}]::text[]`);

export type TradeOutcome =
  | { status: 'ok'; trade: Trade }
  | { status: 'trainers'; found: string[] }
  | { status: 'owners'; owners: Record<string, string> };

/**
 * Applies a trade in one statement (`pokemon.apply_trade`, see migration 0001): locks trainers then
 * pokemon in id order, checks ownership on the locked rows, and either writes everything (moves, closes
 * and opens ownership intervals, records the trade) or nothing, telling why.
 */
export async function applyTrade(
  db: DbOrTx,
  trade: { trainerA: string; trainerB: string; pokemonA: string[]; pokemonB: string[] },
  day: string,
  now: Date,
): Promise<TradeOutcome> {
  const rows = await queryRows<{ result: TradeOutcome }>(
    db,
    sql`SELECT pokemon.apply_trade(${trade.trainerA}, ${trade.trainerB}, ${textArray(trade.pokemonA)}, ${textArray(trade.pokemonB)},
      ${day}::date, ${now.toISOString()}::timestamptz) AS result`,
  );
  const result = rows[0]?.result;
  if (!result) throw new Error('pokemon.apply_trade returned no row');
  if (result.status === 'ok') result.trade.createdAt = new Date(result.trade.createdAt).toISOString();
  return result;
}
