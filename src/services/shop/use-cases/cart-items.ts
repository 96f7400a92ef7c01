import { createGroupCommit, type Outcome } from '../../../platform/coalesce.js';
import { withRetry } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { decideSetItems, lineKey, type SetItemDecision, type SetItemRequest } from '../domain/cart-items.js';
import { lockCartsForItems, readItemContext, writeCartItems } from '../store/carts.js';
import { CATALOG_KEY, type ShopDeps } from './context.js';

function outcomeOf({ cartId, sku, quantity }: SetItemRequest, d: SetItemDecision): Outcome<void> {
  switch (d.kind) {
    case 'set':
      return { ok: true, result: undefined };
    case 'cart_not_found':
      return { ok: false, error: errors.notFound(`Cart ${cartId} does not exist.`, 'CART_NOT_FOUND') };
    case 'cart_closed':
      return { ok: false, error: errors.conflict(`Cart ${cartId} is ${d.why}; open a new cart.`, 'CART_CLOSED') };
    case 'not_listed':
      return { ok: false, error: errors.notFound(`${sku} is not in the catalog.`, 'SKU_NOT_LISTED') };
    case 'out_of_stock':
      return { ok: false, error: errors.conflict(`Not enough ${d.name} in stock for ${quantity}.`, 'OUT_OF_STOCK') };
  }
}

/**
 * Group commit for add-to-cart (PUT/POST /carts/{id}/items/{sku}). Every add on a sku changes that sku's
 * one reservation row, so adds of a popular potion serialize; those arriving while a batch runs go
 * together: one transaction locks the batch's carts (id order), then reads listings, cart lines and free
 * stock — locking the potion rows (sku order; the shop's lock order is state → carts → potions) — judges
 * every request in arrival order (decideSetItems), and writes reservations and lines in one statement.
 */
export function createSetItem(deps: ShopDeps, { maxBatch = 256 } = {}) {
  const { db } = deps;

  async function run(batch: SetItemRequest[]): Promise<Outcome<void>[]> {
    const { outcomes, changed } = await withRetry(() =>
      db.transaction(async (tx) => {
        const cartIds = [...new Set(batch.map((r) => r.cartId))].sort((a, b) => a - b);
        const skus = [...new Set(batch.map((r) => r.sku))].sort();
        const locked = await lockCartsForItems(tx, cartIds);
        const open = locked.carts.filter((c) => c.status === 'open' && c.epoch === locked.epoch).map((c) => c.id);
        const read =
          open.length > 0 ? await readItemContext(tx, locked.epoch, open, skus) : { listings: new Map(), free: new Map(), inCart: [] };
        const { decisions, reserve, lines } = decideSetItems(batch, {
          epoch: locked.epoch,
          carts: new Map(locked.carts.map((c) => [c.id, { status: c.status, epoch: c.epoch }])),
          listings: read.listings,
          free: read.free,
          inCart: new Map(read.inCart.map((l) => [lineKey(l.cartId, l.sku), l.quantity])),
        });
        await writeCartItems(tx, locked.epoch, reserve, [...lines.values()]);
        return { outcomes: batch.map((r, i) => outcomeOf(r, decisions[i] as SetItemDecision)), changed: reserve.size > 0 };
      }),
    );
    // The catalog lists free stock.
    if (changed) await deps.catalogCache.invalidate(CATALOG_KEY);
    return outcomes;
  }

  // One batch at a time: batches on the same skus serialize on their rows anyway, the next one gathers meanwhile.
  return createGroupCommit(run, { maxBatch, maxInFlight: 1 });
}
