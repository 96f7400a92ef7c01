import { describe, expect, it } from 'vitest';
import { type Books, startingBooks } from './books.js';
import { wholesaleOffer } from './model/index.js';
import { checkBarrelPlan, checkBottlePlan, checkCapacityPlan, checkCatalog, checkCheckout } from './validate.js';

const books = (over: Partial<Books> = {}): Books => ({ ...startingBooks(), ...over });
const offer = [
  { sku: 'SMALL_RED_BARREL', ml_per_barrel: 500, potion_type: [1, 0, 0, 0], price: 100, quantity: 3 },
  { sku: 'LARGE_GREEN_BARREL', ml_per_barrel: 10_000, potion_type: [0, 1, 0, 0], price: 400, quantity: 2 },
];
const error = (r: { ok: boolean; error?: string }) => (r.ok ? undefined : r.error);

describe('validation messages a person understands', () => {
  it('barrel orders: sku not offered, quantity < 1 or above offer, cost above gold, ml above capacity', () => {
    expect(error(checkBarrelPlan([{ sku: 'MEGA', quantity: 1 }], offer, books()))).toBe(
      'barrel plan asks for "MEGA", which is not on offer this tick',
    );
    expect(error(checkBarrelPlan([{ sku: 'SMALL_RED_BARREL', quantity: 0 }], offer, books()))).toMatch(/quantity must be at least 1/);
    expect(error(checkBarrelPlan([{ sku: 'SMALL_RED_BARREL', quantity: 4 }], offer, books({ gold: 1000 })))).toBe(
      'barrel plan asks for 4 of SMALL_RED_BARREL but only 3 are offered',
    );
    expect(error(checkBarrelPlan([{ sku: 'SMALL_RED_BARREL', quantity: 2 }], offer, books()))).toBe(
      'barrel plan costs 200 gold but the shop has only 100 gold',
    );
    expect(error(checkBarrelPlan([{ sku: 'LARGE_GREEN_BARREL', quantity: 2 }], offer, books({ gold: 5000 })))).toBe(
      "barrel plan would hold 20000 ml but the shop's ml capacity is 10000",
    );
    expect(error(checkBarrelPlan({ sku: 'x' }, offer, books()))).toMatch(/must be a list/);
    const ok = checkBarrelPlan([{ sku: 'SMALL_RED_BARREL', quantity: 1 }], offer, books());
    expect(ok).toEqual({ ok: true, value: { bought: [{ ...offer[0], quantity: 1 }], cost: 100, ml: [500, 0, 0, 0] } });
    expect(checkBarrelPlan([], wholesaleOffer(1, 'k', 0), books()).ok).toBe(true);
  });

  it('bottle orders: mix not summing to 100, negative parts, ml short, potion capacity exceeded', () => {
    const b = books({ ml: [1000, 0, 0, 0] });
    expect(error(checkBottlePlan([{ potion_type: [50, 40, 0, 0], quantity: 1 }], b))).toBe(
      'bottle plan item 0: potion_type [50,40,0,0] sums to 90, not 100',
    );
    expect(error(checkBottlePlan([{ potion_type: [110, -10, 0, 0], quantity: 1 }], b))).toBe(
      'bottle plan item 0: potion_type [110,-10,0,0] has a negative part',
    );
    expect(error(checkBottlePlan([{ potion_type: [100, 0, 0, 0], quantity: 11 }], b))).toBe(
      'bottle plan needs 1100 ml of red but the shop holds only 1000 ml',
    );
    expect(
      error(checkBottlePlan([{ potion_type: [100, 0, 0, 0], quantity: 5 }], books({ ml: [1000, 0, 0, 0], potions: { '100,0,0,0': 48 } }))),
    ).toBe("bottle plan would hold 53 potions but the shop's potion capacity is 50");
    expect(checkBottlePlan([{ potion_type: [100, 0, 0, 0], quantity: 10 }], b).ok).toBe(true);
  });

  it('capacity orders: above 10 units or unaffordable', () => {
    expect(error(checkCapacityPlan({ potion_capacity: 11, ml_capacity: 0 }, books({ gold: 99_999 })))).toBe(
      'capacity plan asks for 11 units of potion_capacity; at most 10 units per purchase',
    );
    expect(error(checkCapacityPlan({ potion_capacity: 1, ml_capacity: 1 }, books({ gold: 1500 })))).toBe(
      'capacity plan costs 2000 gold but the shop has only 1500 gold',
    );
    expect(checkCapacityPlan({ potion_capacity: 0, ml_capacity: 0 }, books()).ok).toBe(true);
  });

  it('catalogs: more than 6 items, bad sku or price, and items the books say the shop does not hold (ignored)', () => {
    const item = (sku: string, extra: object = {}) => ({ sku, name: sku, quantity: 1, price: 50, potion_type: [100, 0, 0, 0], ...extra });
    const held = books({ potions: { '100,0,0,0': 3 } });
    expect(
      error(
        checkCatalog(
          Array.from({ length: 7 }, (_, i) => item(`P${i}`)),
          held,
        ),
      ),
    ).toBe('catalog lists 7 items; at most 6 are allowed');
    const checked = checkCatalog([item('GOOD'), item('bad sku!'), item('PRICEY', { price: 501 }), item('TOO_MANY', { quantity: 3 })], held);
    if (!checked.ok) throw new Error(checked.error);
    expect(checked.value.items.map((i) => i.sku)).toEqual(['GOOD']);
    expect(checked.value.problems).toEqual([
      'catalog item 1 (bad sku!): sku must match ^[A-Za-z0-9_]{1,20}$, got "bad sku!"',
      'catalog item 2 (PRICEY): price must be an integer 1–500, got 501',
      'catalog item 3 (TOO_MANY) lists 3 of [100,0,0,0] but the books say the shop holds 3; item ignored',
    ]);
    expect(checked.value.missingStock).toBe(true);
  });

  it('checkouts: a total that differs from listed price × quantity', () => {
    expect(error(checkCheckout({ total_potions_bought: 2, total_gold_paid: 101 }, { potions: 2, gold: 100 }))).toBe(
      'checkout charged 101 gold but the listed price × quantity is 100',
    );
    expect(checkCheckout({ total_potions_bought: 2, total_gold_paid: 100 }, { potions: 2, gold: 100 }).ok).toBe(true);
  });
});
