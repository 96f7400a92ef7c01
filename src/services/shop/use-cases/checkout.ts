import { createGroupCommit, type Outcome } from '../../../platform/coalesce.js';
import { withRetry } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { type CheckoutCart, type CheckoutDecision, type CheckoutRequest, decideCheckouts } from '../domain/checkout.js';
import type { CheckoutResult } from '../schemas.js';
import { account, ledgerBatchSql, stateChangeSql } from '../store/books.js';
import { itemsOfCarts, lockForCheckout, sellCarts } from '../store/carts.js';
import { CATALOG_KEY, historyKey, type ShopDeps } from './context.js';

function outcomeOf(cartId: number, d: CheckoutDecision): Outcome<CheckoutResult> {
  switch (d.kind) {
    case 'not_found':
      return { ok: false, error: errors.notFound(`Cart ${cartId} does not exist.`, 'CART_NOT_FOUND') };
    case 'abandoned':
      return {
        ok: false,
        error: errors.conflict(
          `Cart ${cartId} was abandoned (it outlived its game day or the shop was reset); open a new cart.`,
          'CART_ABANDONED',
        ),
      };
    case 'paid':
    case 'sold':
      return { ok: true, result: { total_potions_bought: d.potions, total_gold_paid: d.gold } };
  }
}

/**
 * Group commit for checkouts. Every checkout takes the shop's one balance row lock, so checkouts
 * serialize however they are sent; the ones that arrive while a batch runs go to the database together:
 * one transaction (lock, read items, sell, commit) and one cache invalidation per batch instead of per
 * cart. Idle, a checkout is sent at once. Correctness stays in the database: the state and cart locks
 * are taken exactly as one checkout took them, and each cart is judged on its locked row.
 */
export function createCheckout(deps: ShopDeps, { maxBatch = 256 } = {}) {
  const { db } = deps;

  /** One batch, one transaction; answers per request and, if anything sold, the game time it sold at. */
  function transact(batch: CheckoutRequest[]) {
    return withRetry(() =>
      db.transaction(async (tx) => {
        const ids = [...new Set(batch.map((r) => r.cartId))].sort((a, b) => a - b);
        const locked = await lockForCheckout(tx, ids);
        const sellable = locked.carts.filter((c) => c.status === 'open' && c.epoch === locked.epoch).map((c) => c.id);
        const items = await itemsOfCarts(tx, sellable);
        const carts = new Map<number, CheckoutCart>(
          locked.carts.map((c) => [
            c.id,
            { status: c.status, epoch: c.epoch, totalPotions: c.total_potions, totalGold: c.total_gold, items: items.get(c.id) ?? [] },
          ]),
        );
        const { decisions, sales } = decideCheckouts(batch, carts, locked.epoch);
        const { epoch, day, hour, tick } = locked;
        if (sales.length > 0) {
          const potions = sales.reduce((n, s) => n + s.potions, 0);
          const gold = sales.reduce((n, s) => n + s.gold, 0);
          await sellCarts(tx, {
            epoch,
            tick,
            carts: sales,
            books: stateChangeSql({ gold, potions: -potions }),
            ledger: ledgerBatchSql(
              sales.map((s) => ({
                ctx: { epoch, kind: 'checkout', reference: String(s.cartId), day, hour, tick },
                entries: [
                  { account: account.gold, delta: s.gold },
                  ...s.items.map((i) => ({ account: account.potions(i.sku), delta: -i.quantity })),
                ],
              })),
            ),
          });
        }
        return {
          outcomes: batch.map((r, i) => outcomeOf(r.cartId, decisions[i] as CheckoutDecision)),
          soldAt: sales.length > 0 ? { epoch, tick } : undefined,
        };
      }),
    );
  }

  async function run(batch: CheckoutRequest[]): Promise<Outcome<CheckoutResult>[]> {
    const settled = await transact(batch);
    // A sale changes the catalog and this tick's sales history.
    if (settled.soldAt) await deps.catalogCache.invalidate(CATALOG_KEY, historyKey(settled.soldAt.epoch, settled.soldAt.tick));
    return settled.outcomes;
  }

  // One batch at a time: batches serialize on the state lock anyway, and the next one gathers meanwhile.
  const checkout = createGroupCommit(run, { maxBatch, maxInFlight: 1 });

  /** Pays for a cart exactly once: a repeated checkout answers as the first did. */
  return (cartId: number, payment: string | undefined): Promise<CheckoutResult> => checkout({ cartId, payment: payment ?? null });
}
