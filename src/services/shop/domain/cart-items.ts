/** One add-to-cart: set `quantity` of `sku` in cart `cartId` (not add to it). */
export interface SetItemRequest {
  cartId: number;
  sku: string;
  quantity: number;
}

/** What a batch of add-to-carts is judged against, all read under the carts' and potions' locks. */
export interface SetItemContext {
  /** The shop's current epoch. */
  epoch: number;
  carts: ReadonlyMap<number, { status: 'open' | 'checked_out' | 'abandoned'; epoch: number }>;
  /** The current epoch's listings by sku. */
  listings: ReadonlyMap<string, { name: string; price: number }>;
  /** Potions free to reserve (stock − reserved) by sku; a sku without stock is absent. */
  free: ReadonlyMap<string, number>;
  /** Quantities already in carts, by `lineKey(cartId, sku)`. */
  inCart: ReadonlyMap<string, number>;
}

export type SetItemDecision =
  | { kind: 'set' }
  | { kind: 'cart_not_found' }
  /** `why`: "checked out", "abandoned", or "from before the last reset". */
  | { kind: 'cart_closed'; why: string }
  | { kind: 'not_listed' }
  | { kind: 'out_of_stock'; name: string };

export interface CartLineWrite {
  cartId: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export const lineKey = (cartId: number, sku: string) => `${cartId}\u0000${sku}`;

/**
 * Judges a batch of add-to-carts in arrival order exactly as if they had come one after the other:
 * each sees the reservations and cart lines of the ones before it. Returns a decision per request, the
 * net change of each sku's reservation, and the final line of every (cart, sku) that was set.
 */
export function decideSetItems(
  requests: readonly SetItemRequest[],
  ctx: SetItemContext,
): { decisions: SetItemDecision[]; reserve: Map<string, number>; lines: Map<string, CartLineWrite> } {
  const free = new Map(ctx.free);
  const inCart = new Map(ctx.inCart);
  const reserve = new Map<string, number>();
  const lines = new Map<string, CartLineWrite>();
  const decisions = requests.map(({ cartId, sku, quantity }): SetItemDecision => {
    const cart = ctx.carts.get(cartId);
    if (!cart) return { kind: 'cart_not_found' };
    if (cart.status !== 'open' || cart.epoch !== ctx.epoch) {
      return { kind: 'cart_closed', why: cart.status === 'open' ? 'from before the last reset' : cart.status.replace('_', ' ') };
    }
    const listing = ctx.listings.get(sku);
    if (!listing) return { kind: 'not_listed' };
    const key = lineKey(cartId, sku);
    const delta = quantity - (inCart.get(key) ?? 0);
    const available = free.get(sku) ?? 0;
    if (delta > 0 && available < delta) return { kind: 'out_of_stock', name: listing.name };
    if (delta !== 0) {
      free.set(sku, available - delta);
      reserve.set(sku, (reserve.get(sku) ?? 0) + delta);
    }
    inCart.set(key, quantity);
    lines.set(key, { cartId, sku, name: listing.name, quantity, unitPrice: listing.price });
    return { kind: 'set' };
  });
  for (const [sku, delta] of reserve) if (delta === 0) reserve.delete(sku);
  return { decisions, reserve, lines };
}
