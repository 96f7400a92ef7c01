import { count, desc, eq, or, sql } from 'drizzle-orm';
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

export type TradeOutcome =
  | { status: 'ok'; trade: Trade }
  | { status: 'trainers'; found: string[] }
  | { status: 'owners'; owners: Record<string, string> };

export interface TradeRequest {
  trainerA: string;
  trainerB: string;
  pokemonA: string[];
  pokemonB: string[];
  /** The trade's date (YYYY-MM-DD) and creation instant. */
  day: string;
  at: Date;
}

/**
 * Applies trades in order in one statement (`pokemon.apply_trades`, migration 0002, over
 * `pokemon.apply_trade`, migration 0003): each locks its trainers then its pokemon in id order, checks
 * ownership on the locked rows, and either writes everything (moves, history, the trade record) or
 * nothing, telling why. One answer per trade, in order.
 */
export async function applyTrades(db: DbOrTx, batch: readonly TradeRequest[]): Promise<TradeOutcome[]> {
  const json = JSON.stringify(
    batch.map((t) => ({
      trainerA: t.trainerA,
      trainerB: t.trainerB,
      pokemonA: t.pokemonA,
      pokemonB: t.pokemonB,
      day: t.day,
      at: t.at.toISOString(),
    })),
  );
  const rows = await queryRows<{ result: TradeOutcome }>(
    db,
    sql`SELECT r.result FROM pokemon.apply_trades(${json}::json) WITH ORDINALITY AS r(result, n) ORDER BY r.n`,
  );
  if (rows.length !== batch.length) throw new Error(`pokemon.apply_trades answered ${rows.length} of ${batch.length} trades`);
  return rows.map(({ result }) => {
    if (result.status === 'ok') result.trade.createdAt = new Date(result.trade.createdAt).toISOString();
    return result;
  });
}
