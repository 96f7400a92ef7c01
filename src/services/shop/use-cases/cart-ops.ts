import { createGroupCommit, type Outcome } from '../../../platform/coalesce.js';
import { withRetry } from '../../../platform/db.js';
import { scriptedTransaction } from '../../../platform/db-script.js';
import { errors } from '../../../platform/errors.js';
import { type CartOp, type CartOpDecision, decideCartOps } from '../domain/cart-ops.js';
import type { CheckoutResult } from '../schemas.js';
import { account, ledgerBatchSql } from '../store/books.js';
import { lockAndReadCartOps, writeCartOps } from '../store/carts.js';
import { CATALOG_KEY, historyKey, type ShopDeps } from './context.js';

/** An add-to-cart answers nothing; a checkout answers its totals. */
type CartOpResult = CheckoutResult | undefined;

function outcomeOf(cartId: number, d: CartOpDecision): Outcome<CartOpResult> {
  switch (d.kind) {
    case 'set':
      return { ok: true, result: undefined };
    case 'paid':
    case 'sold':
      return { ok: true, result: { total_potions_bought: d.potions, total_gold_paid: d.gold } };
    case 'cart_not_found':
      return { ok: false, error: errors.notFound(`Cart ${cartId} does not exist.`, 'CART_NOT_FOUND') };
    case 'cart_closed':
      return { ok: false, error: errors.conflict(`Cart ${cartId} is ${d.why}; open a new cart.`, 'CART_CLOSED') };
    case 'not_listed':
      return { ok: false, error: errors.notFound(`${d.sku} is not in the catalog.`, 'SKU_NOT_LISTED') };
    case 'out_of_stock':
      return { ok: false, error: errors.conflict(`Not enough ${d.name} in stock for ${d.quantity}.`, 'OUT_OF_STOCK') };
    case 'abandoned':
      return {
        ok: false,
        error: errors.conflict(
          `Cart ${cartId} was abandoned (it outlived its game day or the shop was reset); open a new cart.`,
          'CART_ABANDONED',
        ),
      };
  }
}

/**
 * Group commit for every request that changes a cart: add-to-cart (PUT/POST /carts/{id}/items/{sku})
 * and checkout. Adds reserve stock on a potion row and checkouts take the shop's one balance row, so
 * both serialize however they are sent, and a simulator sends them side by side; the ones that arrive
 * while a batch runs go to the database together, in one transaction sent as two scripts (one round
 * trip each, see platform/db-script.ts): BEGIN, the locks on the balance row and the batch's carts, and
 * what the batch is judged on (lockAndReadCartOps); then every change and COMMIT (writeCartOps). In
 * between, every request is judged in arrival order on the locked rows (decideCartOps), exactly as if
 * they had come one after the other. The locks are held across one round trip; the catalog cache is
 * invalidated once per batch. Idle, a request is sent at once.
 */
export function createCartOps(deps: ShopDeps, { maxBatch = 256 } = {}) {
  /** One batch, one transaction; answers per request, whether stock changed, and the game time of any sale. */
  function transact(batch: CartOp[]) {
    const cartIds = [...new Set(batch.map((r) => r.cartId))].sort((a, b) => a - b);
    const skus = [...new Set(batch.flatMap((r) => (r.op === 'set' ? [r.sku] : [])))].sort();
    const read = lockAndReadCartOps(cartIds, skus);
    return withRetry(() =>
      scriptedTransaction(deps.dbHandle, async (script) => {
        // Round trip 1: BEGIN, the locks, and what the batch is judged on.
        const { epoch, day, hour, tick, carts, ...context } = read.parse(await script.send(read.statements));
        const plan = decideCartOps(batch, { epoch, carts: new Map(carts.map(({ id, ...cart }) => [id, cart])), ...context });
        const { sales } = plan;
        const write = writeCartOps({
          epoch,
          tick,
          plan,
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
        // Round trip 2: the writes and COMMIT.
        await script.send(write ? [write] : [], { commit: true });
        return {
          outcomes: batch.map((r, i) => outcomeOf(r.cartId, plan.decisions[i] as CartOpDecision)),
          stockChanged: plan.stock.size > 0,
          soldAt: sales.length > 0 ? { epoch, tick } : undefined,
        };
      }),
    );
  }

  async function run(batch: CartOp[]): Promise<Outcome<CartOpResult>[]> {
    const settled = await transact(batch);
    // The catalog lists free stock; a sale also changes this tick's sales history.
    const keys = [
      ...(settled.stockChanged || settled.soldAt ? [CATALOG_KEY] : []),
      ...(settled.soldAt ? [historyKey(settled.soldAt.epoch, settled.soldAt.tick)] : []),
    ];
    if (keys.length > 0) await deps.catalogCache.invalidate(...keys);
    return settled.outcomes;
  }

  // One batch at a time: batches serialize on the balance row anyway, and the next one gathers meanwhile.
  // Both kinds of request are idempotent, so a failed batch may be retried request by request.
  const submit = createGroupCommit(run, { maxBatch, maxInFlight: 1 });

  return {
    /** Sets the quantity of a sku in a cart, reserving (or releasing) stock at the price listed now. */
    async setItem(cartId: number, sku: string, quantity: number): Promise<void> {
      await submit({ op: 'set', cartId, sku, quantity });
    },
    /** Pays for a cart exactly once: a repeated checkout answers as the first did. */
    checkout(cartId: number, payment: string | undefined): Promise<CheckoutResult> {
      // A checkout's outcome is always its totals (see outcomeOf).
      return submit({ op: 'checkout', cartId, payment: payment ?? null }) as Promise<CheckoutResult>;
    },
  };
}
