import type { Cache } from '../../../platform/cache.js';
import type { Db, DbOrTx } from '../../../platform/db.js';
import type { ShopState, Strategy } from '../domain/types.js';
import { readHistory, readStock, replaceListings, type StateRow } from '../store/books.js';

export interface ShopDeps {
  db: Db;
  strategy: Strategy;
  catalogCache: Cache;
}

/** Open carts older than this many game ticks (one game day) are abandoned and their stock released. */
export const CART_TTL_TICKS = 12;
export const CATALOG_KEY = 'catalog';

export async function planningState(db: DbOrTx, s: StateRow): Promise<ShopState> {
  return {
    gold: s.gold,
    ml: s.ml,
    potionUnits: s.potionUnits,
    mlUnits: s.mlUnits,
    stock: await readStock(db, s.epoch),
    day: s.day,
    hour: s.hour,
    tick: s.tick,
  };
}

/** Re-chooses the listed catalog (inside the caller's transaction, after stock or time changed). */
export async function relist(db: DbOrTx, deps: ShopDeps, s: StateRow): Promise<void> {
  const state = await planningState(db, s);
  const history = await readHistory(db, s.epoch, s.tick);
  await replaceListings(db, s.epoch, deps.strategy.catalog(state, history));
}
