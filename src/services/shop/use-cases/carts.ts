import { createCoalescer } from '../../../platform/coalesce.js';
import { errors } from '../../../platform/errors.js';
import type { Customer, SearchPage, SearchQuery } from '../schemas.js';
import { readCatalog } from '../store/books.js';
import { insertCarts, insertVisits, searchLineItems } from '../store/carts.js';
import { createCartOps } from './cart-ops.js';
import { CATALOG_KEY, type ShopDeps } from './context.js';

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
  const cartOps = createCartOps(deps);
  // Carts opened at the same moment share one INSERT (one statement, one commit): a simulator opens a
  // cart per customer of a visit at once. Batches run side by side; they touch no common row.
  const openCarts = createCoalescer((customers: Customer[]) => insertCarts(db, customers), { maxBatch: 256, maxInFlight: 4 });

  return {
    /** Listed skus with free stock; cached briefly and invalidated after every change of stock. */
    catalog() {
      return deps.catalogCache.getOrLoad(CATALOG_KEY, () => readCatalog(db), 1_000);
    },

    async recordVisit(visitId: number, customers: Customer[]): Promise<void> {
      await insertVisits(db, visitId, customers);
    },

    async createCart(customer: Customer): Promise<{ cart_id: number }> {
      return { cart_id: await openCarts.add(customer) };
    },

    /** Sets the quantity of a sku in a cart and pays for a cart (batched together: see cart-ops.ts). */
    setItem: cartOps.setItem,
    checkout: cartOps.checkout,

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
