import type { Cache } from '../../../platform/cache.js';
import type { Db, DbHandle, DbOrTx } from '../../../platform/db.js';
import type { SalesHistory, ShopState, StockItem, Strategy } from '../domain/types.js';
import { readHistory, readStock, replaceListings, type StateRow } from '../store/books.js';

export interface ShopDeps {
  db: Db;
  /** For transactions sent as scripts (see platform/db-script.ts). */
  dbHandle: DbHandle;
  strategy: Strategy;
  catalogCache: Cache;
}

/** Open carts older than this many game ticks (one game day) are abandoned and their stock released. */
export const CART_TTL_TICKS = 12;
export const CATALOG_KEY = 'catalog';

/** Cache key of the sales history at one tick of one epoch. */
export const historyKey = (epoch: number, tick: number) => `history:${epoch}:${tick}`;

/**
 * The epoch's sales history as seen at `s.tick`, memoized: it changes only when a cart is checked out
 * (which invalidates the key of its tick) or at a new tick or epoch (a new key), yet a tick reads it up
 * to four times (time, bottling plan, bottling delivery, barrel plan), and the query grows with sales.
 * Briefly, like the catalog, so a process without Redis sees another process's sales soon enough.
 */
export function salesHistory(db: DbOrTx, deps: ShopDeps, s: Pick<StateRow, 'epoch' | 'tick'>): Promise<SalesHistory> {
  return deps.catalogCache.getOrLoad(historyKey(s.epoch, s.tick), () => readHistory(db, s.epoch, s.tick), 5_000);
}

/** What the strategy and the rules plan from: the balance row and the stock. */
export function toPlanningState(s: StateRow, stock: StockItem[]): ShopState {
  return { gold: s.gold, ml: s.ml, potionUnits: s.potionUnits, mlUnits: s.mlUnits, stock, day: s.day, hour: s.hour, tick: s.tick };
}

export async function planningState(db: DbOrTx, s: StateRow): Promise<ShopState> {
  return toPlanningState(s, await readStock(db, s.epoch));
}

/** Re-chooses the listed catalog (inside the caller's transaction, after stock or time changed). */
export async function relist(db: DbOrTx, deps: ShopDeps, s: StateRow): Promise<void> {
  const state = await planningState(db, s);
  const history = await salesHistory(db, deps, s);
  await replaceListings(db, s.epoch, deps.strategy.catalog(state, history));
}
