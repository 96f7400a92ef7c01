import { describe, expect, it } from 'vitest';
import { decideSetItems, lineKey, type SetItemContext } from './cart-items.js';

const ctx = (over: Partial<SetItemContext> = {}): SetItemContext => ({
  epoch: 2,
  carts: new Map([
    [1, { status: 'open', epoch: 2 }],
    [2, { status: 'open', epoch: 2 }],
    [3, { status: 'checked_out', epoch: 2 }],
    [4, { status: 'open', epoch: 1 }],
  ]),
  listings: new Map([
    ['RED', { name: 'Red potion', price: 50 }],
    ['BLUE', { name: 'Blue potion', price: 60 }],
  ]),
  free: new Map([
    ['RED', 3],
    ['BLUE', 10],
  ]),
  inCart: new Map(),
  ...over,
});

describe('decideSetItems: a batch of add-to-carts judged as if one after the other', () => {
  it('refuses unknown, closed and stale carts and unlisted skus, writing nothing for them', () => {
    const { decisions, reserve, lines } = decideSetItems(
      [
        { cartId: 9, sku: 'RED', quantity: 1 },
        { cartId: 3, sku: 'RED', quantity: 1 },
        { cartId: 4, sku: 'RED', quantity: 1 },
        { cartId: 1, sku: 'GOLD', quantity: 1 },
      ],
      ctx(),
    );
    expect(decisions).toEqual([
      { kind: 'cart_not_found' },
      { kind: 'cart_closed', why: 'checked out' },
      { kind: 'cart_closed', why: 'from before the last reset' },
      { kind: 'not_listed' },
    ]);
    expect(reserve.size).toBe(0);
    expect(lines.size).toBe(0);
  });

  it('hands the last free potions to the earliest requests and refuses the rest', () => {
    const { decisions, reserve, lines } = decideSetItems(
      [
        { cartId: 1, sku: 'RED', quantity: 2 },
        { cartId: 2, sku: 'RED', quantity: 2 },
        { cartId: 2, sku: 'RED', quantity: 1 },
      ],
      ctx(),
    );
    expect(decisions).toEqual([{ kind: 'set' }, { kind: 'out_of_stock', name: 'Red potion' }, { kind: 'set' }]);
    expect(reserve.get('RED')).toBe(3);
    expect(lines.get(lineKey(1, 'RED'))).toMatchObject({ quantity: 2, unitPrice: 50 });
    expect(lines.get(lineKey(2, 'RED'))).toMatchObject({ quantity: 1 });
  });

  it('sets (not adds) quantities: lowering one releases stock that a later request may take', () => {
    const { decisions, reserve, lines } = decideSetItems(
      [
        { cartId: 1, sku: 'RED', quantity: 1 },
        { cartId: 2, sku: 'RED', quantity: 4 },
      ],
      ctx({ free: new Map([['RED', 1]]), inCart: new Map([[lineKey(1, 'RED'), 3]]) }),
    );
    // Cart 1 held 3 and now wants 1: 2 go back, so 3 are free for cart 2, which wants 4.
    expect(decisions).toEqual([{ kind: 'set' }, { kind: 'out_of_stock', name: 'Red potion' }]);
    expect(reserve.get('RED')).toBe(-2);
    expect(lines.get(lineKey(1, 'RED'))?.quantity).toBe(1);
  });

  it('keeps one line per cart and sku (the last set wins) and drops reservations that net to zero', () => {
    const { decisions, reserve, lines } = decideSetItems(
      [
        { cartId: 1, sku: 'BLUE', quantity: 5 },
        { cartId: 1, sku: 'BLUE', quantity: 2 },
        { cartId: 1, sku: 'RED', quantity: 1 },
        { cartId: 1, sku: 'RED', quantity: 0 + 1 },
      ],
      ctx({ inCart: new Map([[lineKey(1, 'BLUE'), 2]]) }),
    );
    expect(decisions.every((d) => d.kind === 'set')).toBe(true);
    expect(reserve.has('BLUE')).toBe(false);
    expect(reserve.get('RED')).toBe(1);
    expect([...lines.values()].map((l) => [l.sku, l.quantity])).toEqual([
      ['BLUE', 2],
      ['RED', 1],
    ]);
  });

  it('treats a sku without a stock row as having none free', () => {
    const { decisions } = decideSetItems([{ cartId: 1, sku: 'BLUE', quantity: 1 }], ctx({ free: new Map() }));
    expect(decisions).toEqual([{ kind: 'out_of_stock', name: 'Blue potion' }]);
  });
});
