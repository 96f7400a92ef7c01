import { describe, expect, it } from 'vitest';
import { type CartItem, type CartOp, type CartOpsContext, decideCartOps, type LockedCart } from './cart-ops.js';

const open = (epoch = 2, hour: number | null = 7): LockedCart => ({ status: 'open', epoch, hour, totalPotions: null, totalGold: null });

const ctx = (over: Partial<CartOpsContext> = {}): CartOpsContext => ({
  epoch: 2,
  carts: new Map([
    [1, open()],
    [2, open()],
    [3, { status: 'checked_out', epoch: 2, hour: 7, totalPotions: 4, totalGold: 200 }],
    [4, open(1)],
    [5, { status: 'abandoned', epoch: 2, hour: 7, totalPotions: null, totalGold: null }],
    [6, { status: 'checked_out', epoch: 1, hour: null, totalPotions: null, totalGold: null }],
    [7, open(2, null)],
  ]),
  listings: new Map([
    ['RED', { name: 'Red potion', price: 50 }],
    ['BLUE', { name: 'Blue potion', price: 60 }],
  ]),
  free: new Map([
    ['RED', 3],
    ['BLUE', 10],
  ]),
  items: new Map(),
  ...over,
});

const set = (cartId: number, sku: string, quantity: number): CartOp => ({ op: 'set', cartId, sku, quantity });
const checkout = (cartId: number, payment: string | null = null): CartOp => ({ op: 'checkout', cartId, payment });
const holding = (entries: [number, CartItem[]][]) => new Map<number, readonly CartItem[]>(entries);
const line = (sku: string, quantity: number, unit_price = 50): CartItem => ({ sku, quantity, unit_price });

describe('decideCartOps: add-to-carts judged as if one after the other', () => {
  it('refuses unknown, closed and stale carts and unlisted skus, writing nothing for them', () => {
    const plan = decideCartOps([set(9, 'RED', 1), set(3, 'RED', 1), set(4, 'RED', 1), set(5, 'RED', 1), set(1, 'GOLD', 1)], ctx());
    expect(plan.decisions).toEqual([
      { kind: 'cart_not_found' },
      { kind: 'cart_closed', why: 'checked out' },
      { kind: 'cart_closed', why: 'from before the last reset' },
      { kind: 'cart_closed', why: 'abandoned' },
      { kind: 'not_listed', sku: 'GOLD' },
    ]);
    expect(plan).toMatchObject({ lines: [], sales: [], tally: [] });
    expect(plan.stock.size).toBe(0);
  });

  it('hands the last free potions to the earliest requests and refuses the rest', () => {
    const plan = decideCartOps([set(1, 'RED', 2), set(2, 'RED', 2), set(2, 'RED', 1)], ctx());
    expect(plan.decisions).toEqual([{ kind: 'set' }, { kind: 'out_of_stock', name: 'Red potion', quantity: 2 }, { kind: 'set' }]);
    expect(plan.stock.get('RED')).toEqual({ reserved: 3, quantity: 0 });
    expect(plan.lines).toEqual([
      { cartId: 1, sku: 'RED', name: 'Red potion', quantity: 2, unitPrice: 50 },
      { cartId: 2, sku: 'RED', name: 'Red potion', quantity: 1, unitPrice: 50 },
    ]);
  });

  it('sets (not adds) quantities: lowering one releases stock that a later request may take', () => {
    const plan = decideCartOps(
      [set(1, 'RED', 1), set(2, 'RED', 4)],
      ctx({ free: new Map([['RED', 1]]), items: holding([[1, [line('RED', 3)]]]) }),
    );
    // Cart 1 held 3 and now wants 1: 2 go back, so 3 are free for cart 2, which wants 4.
    expect(plan.decisions).toEqual([{ kind: 'set' }, { kind: 'out_of_stock', name: 'Red potion', quantity: 4 }]);
    expect(plan.stock.get('RED')).toEqual({ reserved: -2, quantity: 0 });
    expect(plan.lines.map((l) => [l.cartId, l.quantity])).toEqual([[1, 1]]);
  });

  it('keeps one line per cart and sku (the last set wins) and drops changes that net to zero', () => {
    const plan = decideCartOps(
      [set(1, 'BLUE', 5), set(1, 'BLUE', 2), set(1, 'RED', 1), set(1, 'RED', 1)],
      ctx({ items: holding([[1, [line('BLUE', 2, 60)]]]) }),
    );
    expect(plan.decisions.every((d) => d.kind === 'set')).toBe(true);
    expect(plan.stock.has('BLUE')).toBe(false);
    expect(plan.stock.get('RED')).toEqual({ reserved: 1, quantity: 0 });
    expect(plan.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['BLUE', 2],
      ['RED', 1],
    ]);
  });

  it('treats a sku without a stock row as having none free', () => {
    const { decisions } = decideCartOps([set(1, 'BLUE', 1)], ctx({ free: new Map() }));
    expect(decisions).toEqual([{ kind: 'out_of_stock', name: 'Blue potion', quantity: 1 }]);
  });
});

describe('decideCartOps: checkouts', () => {
  it('sells an open cart of the current epoch for the sum of its lines, taking its potions out of stock', () => {
    const items = [line('BLUE', 1, 5), line('RED', 2, 30)];
    const plan = decideCartOps([checkout(1, 'coins')], ctx({ items: holding([[1, items]]) }));
    expect(plan.decisions).toEqual([{ kind: 'sold', potions: 3, gold: 65 }]);
    expect(plan.sales).toEqual([{ cartId: 1, payment: 'coins', potions: 3, gold: 65, items }]);
    expect(Object.fromEntries(plan.stock)).toEqual({ BLUE: { reserved: -1, quantity: -1 }, RED: { reserved: -2, quantity: -2 } });
    expect(plan.lines).toEqual([]);
  });

  it('sells an empty open cart for nothing', () => {
    const plan = decideCartOps([checkout(1)], ctx());
    expect(plan.decisions).toEqual([{ kind: 'sold', potions: 0, gold: 0 }]);
    expect(plan.sales).toHaveLength(1);
    expect(plan.stock.size).toBe(0);
  });

  it('answers unknown, abandoned, stale and paid carts without selling anything', () => {
    const plan = decideCartOps(
      [9, 3, 5, 4, 6].map((id) => checkout(id)),
      ctx({ items: holding([[4, [line('RED', 1)]]]) }),
    );
    expect(plan.decisions).toEqual([
      { kind: 'cart_not_found' },
      { kind: 'paid', potions: 4, gold: 200 },
      { kind: 'abandoned' },
      { kind: 'abandoned' },
      { kind: 'paid', potions: 0, gold: 0 },
    ]);
    expect(plan.sales).toEqual([]);
    expect(plan.stock.size).toBe(0);
  });

  it('treats the same cart twice in a batch as two checkouts in a row: sold once, then its totals', () => {
    const items = [line('RED', 3, 10)];
    const plan = decideCartOps([checkout(1, 'first'), checkout(1, 'second'), checkout(1)], ctx({ items: holding([[1, items]]) }));
    expect(plan.decisions).toEqual([
      { kind: 'sold', potions: 3, gold: 30 },
      { kind: 'paid', potions: 3, gold: 30 },
      { kind: 'paid', potions: 3, gold: 30 },
    ]);
    expect(plan.sales).toEqual([{ cartId: 1, payment: 'first', potions: 3, gold: 30, items }]);
    expect(plan.stock.get('RED')).toEqual({ reserved: -3, quantity: -3 });
  });
});

describe('decideCartOps: the sales tally', () => {
  it('counts the potions sold by sku and the hour each customer came (hour 0 when unknown)', () => {
    const plan = decideCartOps(
      [checkout(1), checkout(2), checkout(7)],
      ctx({
        items: holding([
          [1, [line('BLUE', 1), line('RED', 2)]],
          [2, [line('RED', 3)]],
          [7, [line('RED', 4)]],
        ]),
      }),
    );
    expect(plan.tally).toEqual([
      { sku: 'BLUE', hour: 7, quantity: 1 },
      { sku: 'RED', hour: 7, quantity: 5 },
      { sku: 'RED', hour: 0, quantity: 4 },
    ]);
  });
});

describe('decideCartOps: adds and checkouts in one batch', () => {
  it('sells the lines set before the checkout, at the price listed, and nets the reservation against the sale', () => {
    const plan = decideCartOps([set(1, 'RED', 2), set(1, 'BLUE', 1), checkout(1, 'p')], ctx({ items: holding([[1, [line('RED', 1)]]]) }));
    expect(plan.decisions).toEqual([{ kind: 'set' }, { kind: 'set' }, { kind: 'sold', potions: 3, gold: 160 }]);
    expect(plan.sales).toEqual([
      {
        cartId: 1,
        payment: 'p',
        potions: 3,
        gold: 160,
        items: [
          { sku: 'BLUE', quantity: 1, unit_price: 60 },
          { sku: 'RED', quantity: 2, unit_price: 50 },
        ],
      },
    ]);
    // RED: one more reserved, then both sold; BLUE: reserved, then sold.
    expect(Object.fromEntries(plan.stock)).toEqual({ RED: { reserved: -1, quantity: -2 }, BLUE: { reserved: 0, quantity: -1 } });
    expect(plan.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['RED', 2],
      ['BLUE', 1],
    ]);
  });

  it('refuses an add to a cart checked out earlier in the batch, and leaves its stock free for the next cart', () => {
    const plan = decideCartOps([checkout(1), set(1, 'RED', 1), set(2, 'RED', 3)], ctx());
    expect(plan.decisions).toEqual([{ kind: 'sold', potions: 0, gold: 0 }, { kind: 'cart_closed', why: 'checked out' }, { kind: 'set' }]);
    expect(plan.stock.get('RED')).toEqual({ reserved: 3, quantity: 0 });
    expect(plan.lines.map((l) => l.cartId)).toEqual([2]);
  });

  it('never sells more than was free: every potion sold was reserved by its own cart first', () => {
    const ops: CartOp[] = [];
    for (let cart = 1; cart <= 2; cart++) ops.push(set(cart, 'RED', 2), checkout(cart));
    const plan = decideCartOps(ops, ctx());
    expect(plan.decisions.map((d) => d.kind)).toEqual(['set', 'sold', 'out_of_stock', 'sold']);
    expect(plan.stock.get('RED')).toEqual({ reserved: 0, quantity: -2 });
  });
});
