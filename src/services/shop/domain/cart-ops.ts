/** One add-to-cart: set `quantity` of `sku` in cart `cartId` (not add to it). */
export interface SetItemRequest {
  cartId: number;
  sku: string;
  quantity: number;
}

export interface CheckoutRequest {
  cartId: number;
  payment: string | null;
}

/** The requests that change carts, in the order they arrived. */
export type CartOp = ({ op: 'set' } & SetItemRequest) | ({ op: 'checkout' } & CheckoutRequest);

/** One line of a cart, at the price listed when it went in. */
export interface CartItem {
  sku: string;
  quantity: number;
  unit_price: number;
}

/** A cart as a batch sees it; the totals are set once it is checked out. */
export interface LockedCart {
  status: 'open' | 'checked_out' | 'abandoned';
  epoch: number;
  /** The game hour the customer came (what the sales history counts a sale by). */
  hour: number | null;
  totalPotions: number | null;
  totalGold: number | null;
}

/** What a batch of cart requests is judged against: one consistent read, still true when it is written. */
export interface CartOpsContext {
  /** The shop's current epoch. */
  epoch: number;
  carts: ReadonlyMap<number, LockedCart>;
  /** The current epoch's listings of the skus being set, by sku. */
  listings: ReadonlyMap<string, { name: string; price: number }>;
  /** Potions free to reserve (stock − reserved) by sku; a sku without stock is absent. */
  free: ReadonlyMap<string, number>;
  /** The lines the open carts hold already, by cart. */
  items: ReadonlyMap<number, readonly CartItem[]>;
}

export interface CheckoutTotals {
  potions: number;
  gold: number;
}

export type CartOpDecision =
  // either
  | { kind: 'cart_not_found' }
  // add-to-cart
  | { kind: 'set' }
  /** `why`: "checked out", "abandoned", or "from before the last reset". */
  | { kind: 'cart_closed'; why: string }
  | { kind: 'not_listed'; sku: string }
  | { kind: 'out_of_stock'; name: string; quantity: number }
  // checkout
  | { kind: 'abandoned' }
  /** Already paid (earlier, or by an earlier request of the same batch): the stored totals, nothing written. */
  | ({ kind: 'paid' } & CheckoutTotals)
  | ({ kind: 'sold' } & CheckoutTotals);

export interface CartLineWrite {
  cartId: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface CartSaleLine extends CheckoutTotals {
  cartId: number;
  payment: string | null;
  items: CartItem[];
}

/** What a batch writes: every change is here, and nothing else is. */
export interface CartOpsPlan {
  decisions: CartOpDecision[];
  /** The final line of every (cart, sku) that was set. */
  lines: CartLineWrite[];
  /** The net change of each sku's reservation and stock (a sale takes its potions out of both). */
  stock: Map<string, { reserved: number; quantity: number }>;
  /** The carts sold, in the order they were sold. */
  sales: CartSaleLine[];
  /** The potions sold by sku and the game hour their customers came. */
  tally: { sku: string; hour: number; quantity: number }[];
}

export const lineKey = (cartId: number, sku: string) => `${cartId}\u0000${sku}`;

const bySku = (a: CartItem, b: CartItem) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/**
 * Judges a batch of add-to-carts and checkouts in arrival order, exactly as if they had come one after
 * the other: each sees the reservations, cart lines and sales of the ones before it. An add after a
 * checkout of the same cart finds it checked out; a checkout after an add sells the line just set; a
 * cart asked to check out twice is sold by the first request and answered with its totals by the second
 * (whose payment note is ignored, as a repeated checkout's always was).
 */
export function decideCartOps(ops: readonly CartOp[], ctx: CartOpsContext): CartOpsPlan {
  const free = new Map(ctx.free);
  const lines = new Map<number, Map<string, CartItem>>();
  const written = new Map<string, CartLineWrite>();
  const stock = new Map<string, { reserved: number; quantity: number }>();
  const soldNow = new Map<number, CheckoutTotals>();
  const sales: CartSaleLine[] = [];

  const linesOf = (cartId: number) => {
    let held = lines.get(cartId);
    if (!held) {
      held = new Map((ctx.items.get(cartId) ?? []).map((i) => [i.sku, i]));
      lines.set(cartId, held);
    }
    return held;
  };
  const change = (sku: string, reserved: number, quantity: number) => {
    const s = stock.get(sku) ?? { reserved: 0, quantity: 0 };
    stock.set(sku, { reserved: s.reserved + reserved, quantity: s.quantity + quantity });
  };

  function set({ cartId, sku, quantity }: SetItemRequest): CartOpDecision {
    const cart = ctx.carts.get(cartId);
    if (!cart) return { kind: 'cart_not_found' };
    if (soldNow.has(cartId)) return { kind: 'cart_closed', why: 'checked out' };
    if (cart.status !== 'open' || cart.epoch !== ctx.epoch) {
      return { kind: 'cart_closed', why: cart.status === 'open' ? 'from before the last reset' : cart.status.replace('_', ' ') };
    }
    const listing = ctx.listings.get(sku);
    if (!listing) return { kind: 'not_listed', sku };
    const held = linesOf(cartId);
    const delta = quantity - (held.get(sku)?.quantity ?? 0);
    const available = free.get(sku) ?? 0;
    if (delta > 0 && available < delta) return { kind: 'out_of_stock', name: listing.name, quantity };
    if (delta !== 0) {
      free.set(sku, available - delta);
      change(sku, delta, 0);
    }
    held.set(sku, { sku, quantity, unit_price: listing.price });
    written.set(lineKey(cartId, sku), { cartId, sku, name: listing.name, quantity, unitPrice: listing.price });
    return { kind: 'set' };
  }

  function checkout({ cartId, payment }: CheckoutRequest): CartOpDecision {
    const earlier = soldNow.get(cartId);
    if (earlier) return { kind: 'paid', ...earlier };
    const cart = ctx.carts.get(cartId);
    if (!cart) return { kind: 'cart_not_found' };
    if (cart.status === 'checked_out') return { kind: 'paid', potions: cart.totalPotions ?? 0, gold: cart.totalGold ?? 0 };
    if (cart.status === 'abandoned' || cart.epoch !== ctx.epoch) return { kind: 'abandoned' };
    const items = [...linesOf(cartId).values()].sort(bySku);
    let potions = 0;
    let gold = 0;
    for (const item of items) {
      potions += item.quantity;
      gold += item.quantity * item.unit_price;
      // The reserved potions leave the reservation and the stock together: free stock does not change.
      if (item.quantity !== 0) change(item.sku, -item.quantity, -item.quantity);
    }
    soldNow.set(cartId, { potions, gold });
    sales.push({ cartId, payment, items, potions, gold });
    return { kind: 'sold', potions, gold };
  }

  const decisions = ops.map((op) => (op.op === 'set' ? set(op) : checkout(op)));
  for (const [sku, s] of stock) if (s.reserved === 0 && s.quantity === 0) stock.delete(sku);
  const tally = new Map<string, { sku: string; hour: number; quantity: number }>();
  for (const sale of sales) {
    const hour = ctx.carts.get(sale.cartId)?.hour ?? 0;
    for (const { sku, quantity } of sale.items) {
      if (quantity === 0) continue;
      const key = `${sku}\u0000${hour}`;
      const t = tally.get(key);
      if (t) t.quantity += quantity;
      else tally.set(key, { sku, hour, quantity });
    }
  }
  return { decisions, lines: [...written.values()], stock, sales, tally: [...tally.values()] };
}
