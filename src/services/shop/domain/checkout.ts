/** One line of a cart, at the price listed when it went in. */
export interface CheckoutItem {
  sku: string;
  quantity: number;
  unit_price: number;
}

/** A cart as locked for checkout; `items` matter only while it is open. */
export interface CheckoutCart {
  status: 'open' | 'checked_out' | 'abandoned';
  epoch: number;
  totalPotions: number | null;
  totalGold: number | null;
  items: CheckoutItem[];
}

export interface CheckoutRequest {
  cartId: number;
  payment: string | null;
}

export interface CheckoutTotals {
  potions: number;
  gold: number;
}

export type CheckoutDecision =
  | { kind: 'not_found' }
  | { kind: 'abandoned' }
  /** Already paid (earlier, or by an earlier request of the same batch): the stored totals, nothing written. */
  | ({ kind: 'paid' } & CheckoutTotals)
  | ({ kind: 'sold' } & CheckoutTotals);

export interface CartSaleLine extends CheckoutTotals {
  cartId: number;
  payment: string | null;
  items: CheckoutItem[];
}

/**
 * Judges a batch of checkouts in arrival order against the locked carts, exactly as if they had come
 * one after the other: a cart asked for twice is sold by the first request and answered with its
 * totals by the second (whose payment note is ignored, as a repeated checkout's always was).
 */
export function decideCheckouts(
  requests: readonly CheckoutRequest[],
  carts: ReadonlyMap<number, CheckoutCart>,
  epoch: number,
): { decisions: CheckoutDecision[]; sales: CartSaleLine[] } {
  const soldNow = new Map<number, CheckoutTotals>();
  const sales: CartSaleLine[] = [];
  const decisions = requests.map(({ cartId, payment }): CheckoutDecision => {
    const earlier = soldNow.get(cartId);
    if (earlier) return { kind: 'paid', ...earlier };
    const cart = carts.get(cartId);
    if (!cart) return { kind: 'not_found' };
    if (cart.status === 'checked_out') return { kind: 'paid', potions: cart.totalPotions ?? 0, gold: cart.totalGold ?? 0 };
    if (cart.status === 'abandoned' || cart.epoch !== epoch) return { kind: 'abandoned' };
    let potions = 0;
    let gold = 0;
    for (const item of cart.items) {
      potions += item.quantity;
      gold += item.quantity * item.unit_price;
    }
    soldNow.set(cartId, { potions, gold });
    sales.push({ cartId, payment, items: cart.items, potions, gold });
    return { kind: 'sold', potions, gold };
  });
  return { decisions, sales };
}
