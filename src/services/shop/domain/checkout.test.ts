import { describe, expect, it } from 'vitest';
import { type CheckoutCart, decideCheckouts } from './checkout.js';

const open = (items: CheckoutCart['items'] = [], epoch = 1): CheckoutCart => ({
  status: 'open',
  epoch,
  totalPotions: null,
  totalGold: null,
  items,
});

describe('decideCheckouts', () => {
  it('sells an open cart of the current epoch for the sum of its lines', () => {
    const carts = new Map([
      [
        1,
        open([
          { sku: 'A', quantity: 2, unit_price: 30 },
          { sku: 'B', quantity: 1, unit_price: 5 },
        ]),
      ],
    ]);
    const { decisions, sales } = decideCheckouts([{ cartId: 1, payment: 'coins' }], carts, 1);
    expect(decisions).toEqual([{ kind: 'sold', potions: 3, gold: 65 }]);
    expect(sales).toEqual([{ cartId: 1, payment: 'coins', potions: 3, gold: 65, items: carts.get(1)?.items }]);
  });

  it('sells an empty open cart for nothing', () => {
    const { decisions, sales } = decideCheckouts([{ cartId: 1, payment: null }], new Map([[1, open()]]), 1);
    expect(decisions).toEqual([{ kind: 'sold', potions: 0, gold: 0 }]);
    expect(sales).toHaveLength(1);
  });

  it('answers unknown, abandoned, stale and paid carts without selling anything', () => {
    const carts = new Map<number, CheckoutCart>([
      [2, { status: 'checked_out', epoch: 1, totalPotions: 4, totalGold: 200, items: [] }],
      [3, { status: 'abandoned', epoch: 1, totalPotions: null, totalGold: null, items: [] }],
      [4, open([{ sku: 'A', quantity: 1, unit_price: 1 }], 0)],
      [5, { status: 'checked_out', epoch: 0, totalPotions: null, totalGold: null, items: [] }],
    ]);
    const requests = [1, 2, 3, 4, 5].map((cartId) => ({ cartId, payment: null }));
    const { decisions, sales } = decideCheckouts(requests, carts, 1);
    expect(decisions).toEqual([
      { kind: 'not_found' },
      { kind: 'paid', potions: 4, gold: 200 },
      { kind: 'abandoned' },
      { kind: 'abandoned' },
      { kind: 'paid', potions: 0, gold: 0 },
    ]);
    expect(sales).toEqual([]);
  });

  it('treats the same cart twice in a batch as two checkouts in a row: sold once, then its totals', () => {
    const carts = new Map([[7, open([{ sku: 'A', quantity: 3, unit_price: 10 }])]]);
    const { decisions, sales } = decideCheckouts(
      [
        { cartId: 7, payment: 'first' },
        { cartId: 7, payment: 'second' },
        { cartId: 7, payment: null },
      ],
      carts,
      1,
    );
    expect(decisions).toEqual([
      { kind: 'sold', potions: 3, gold: 30 },
      { kind: 'paid', potions: 3, gold: 30 },
      { kind: 'paid', potions: 3, gold: 30 },
    ]);
    expect(sales).toEqual([{ cartId: 7, payment: 'first', potions: 3, gold: 30, items: carts.get(7)?.items }]);
  });
});
