import { withRetry } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import type { CheckoutResult, Customer, SearchPage, SearchQuery } from '../schemas.js';
import { account, ledgerSql, readCatalog, readState, stateChangeSql } from '../store/books.js';
import {
  cartItems,
  insertCart,
  insertVisits,
  lockCart,
  lockCartForItem,
  reserveAndPut,
  searchLineItems,
  sellCart,
} from '../store/carts.js';
import { CATALOG_KEY, historyKey, type ShopDeps } from './context.js';

const PAGE_SIZE = 5;

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  if (cursor === '') return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const o = (parsed as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the 400 below
  }
  throw errors.badRequest(
    'search_page is not a cursor this shop issued; pass the previous or next value of an earlier answer.',
    'BAD_CURSOR',
  );
}

export function createCartUseCases(deps: ShopDeps) {
  const { db } = deps;
  const invalidate = () => deps.catalogCache.invalidate(CATALOG_KEY);

  return {
    /** Listed skus with free stock; cached briefly and invalidated after every change of stock. */
    catalog() {
      return deps.catalogCache.getOrLoad(CATALOG_KEY, () => readCatalog(db), 1_000);
    },

    async recordVisit(visitId: number, customers: Customer[]): Promise<void> {
      await insertVisits(db, visitId, customers);
    },

    async createCart(customer: Customer): Promise<{ cart_id: number }> {
      return { cart_id: await insertCart(db, customer) };
    },

    /** Sets the quantity of a sku in a cart, reserving (or releasing) stock at the price listed now. */
    async setItem(cartId: number, sku: string, quantity: number): Promise<void> {
      await withRetry(() =>
        db.transaction(async (tx) => {
          const cart = await lockCartForItem(tx, cartId, sku);
          if (!cart) throw errors.notFound(`Cart ${cartId} does not exist.`, 'CART_NOT_FOUND');
          if (cart.status !== 'open' || cart.epoch !== cart.current_epoch) {
            const why = cart.status === 'open' ? 'from before the last reset' : cart.status.replace('_', ' ');
            throw errors.conflict(`Cart ${cartId} is ${why}; open a new cart.`, 'CART_CLOSED');
          }
          if (cart.name === null || cart.price === null) throw errors.notFound(`${sku} is not in the catalog.`, 'SKU_NOT_LISTED');
          const delta = quantity - Number(cart.in_cart);
          const line = { cartId, epoch: cart.epoch, sku, name: cart.name, quantity, unitPrice: cart.price };
          if (!(await reserveAndPut(tx, line, delta))) {
            throw errors.conflict(`Not enough ${cart.name} in stock for ${quantity}.`, 'OUT_OF_STOCK');
          }
        }),
      );
      await invalidate();
    },

    /** Pays for a cart exactly once: a repeated checkout answers as the first did. */
    async checkout(cartId: number, payment: string | undefined): Promise<CheckoutResult> {
      const { result, changed, at } = await withRetry(() =>
        db.transaction(async (tx) => {
          // Lock order state → cart → potions, as everywhere else.
          const s = await readState(tx, true);
          const cart = await lockCart(tx, cartId);
          if (!cart) throw errors.notFound(`Cart ${cartId} does not exist.`, 'CART_NOT_FOUND');
          if (cart.status === 'checked_out') {
            return {
              result: { total_potions_bought: cart.total_potions ?? 0, total_gold_paid: cart.total_gold ?? 0 },
              changed: false,
              at: s,
            };
          }
          if (cart.status === 'abandoned' || cart.epoch !== s.epoch) {
            throw errors.conflict(
              `Cart ${cartId} was abandoned (it outlived its game day or the shop was reset); open a new cart.`,
              'CART_ABANDONED',
            );
          }
          const items = await cartItems(tx, cartId);
          let potions = 0;
          let gold = 0;
          for (const item of items) {
            potions += item.quantity;
            gold += item.quantity * item.unit_price;
          }
          // Stock, balance, ledger and cart change in one statement (one round trip instead of five or more).
          await sellCart(tx, {
            cartId,
            epoch: s.epoch,
            items,
            payment: payment ?? null,
            potions,
            gold,
            tick: s.tick,
            books: stateChangeSql({ gold, potions: -potions }),
            ledger: ledgerSql({ epoch: s.epoch, kind: 'checkout', reference: String(cartId), day: s.day, hour: s.hour, tick: s.tick }, [
              { account: account.gold, delta: gold },
              ...items.map((i) => ({ account: account.potions(i.sku), delta: -i.quantity })),
            ]),
          });
          return { result: { total_potions_bought: potions, total_gold_paid: gold }, changed: true, at: s };
        }),
      );
      // A sale changes the catalog and this tick's sales history.
      if (changed) await deps.catalogCache.invalidate(CATALOG_KEY, historyKey(at.epoch, at.tick));
      return result;
    },

    async search(q: SearchQuery): Promise<SearchPage> {
      const offset = decodeCursor(q.search_page);
      const rows = await searchLineItems(db, q, offset, PAGE_SIZE + 1);
      return {
        previous: offset > 0 ? encodeCursor(Math.max(0, offset - PAGE_SIZE)) : '',
        next: rows.length > PAGE_SIZE ? encodeCursor(offset + PAGE_SIZE) : '',
        results: rows.slice(0, PAGE_SIZE).map((r) => ({
          line_item_id: Number(r.line_item_id),
          item_sku: `${r.quantity} ${r.name}`,
          customer_name: r.customer_name,
          line_item_total: Number(r.line_item_total),
          timestamp: new Date(r.timestamp).toISOString(),
        })),
      };
    },
  };
}
