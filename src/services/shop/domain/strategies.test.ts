import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptiveStrategy } from './adaptive.js';
import { baselineStrategy } from './baseline.js';
import { WANTED_MIXES } from './demand.js';
import { barrelFractions, type Mix, mixSku, splitMl } from './mix.js';
import { checkBarrelPlan, checkBottlePlan, checkCapacity, checkCatalog } from './rules.js';
import type { BarrelOffer, SalesHistory, ShopState } from './types.js';

const mixArb: fc.Arbitrary<Mix> = fc.oneof(
  fc.constantFrom(...WANTED_MIXES),
  fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b, c]) => {
    const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
    return [x, y - x, z - y, 100 - z] as Mix;
  }),
);

const stateArb: fc.Arbitrary<ShopState> = fc
  .record({
    gold: fc.integer({ min: 0, max: 50_000 }),
    potionUnits: fc.integer({ min: 1, max: 12 }),
    mlUnits: fc.integer({ min: 1, max: 12 }),
    mlShares: fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100), fc.nat(100)),
    fill: fc.double({ min: 0, max: 1, noNaN: true }),
    stock: fc.uniqueArray(
      fc.record({ mix: mixArb, quantity: fc.integer({ min: 0, max: 60 }), reservedShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
      {
        selector: (s) => s.mix.join(','),
        maxLength: 12,
      },
    ),
    day: fc.option(
      fc.constantFrom('Edgeday', 'Bloomday', 'Arcanaday', 'Hearthday', 'Crownday', 'Blesseday', 'Soulday', 'Blessedday', '??'),
    ),
    hour: fc.option(fc.integer({ min: 0, max: 11 }).map((h) => h * 2)),
    tick: fc.nat(400),
  })
  .map((r) => {
    const potionCap = r.potionUnits * 50;
    let left = potionCap;
    const stock = r.stock.map((s) => {
      const quantity = Math.min(s.quantity, left);
      left -= quantity;
      const reserved = Math.floor(quantity * s.reservedShare);
      return { sku: mixSku(s.mix), mix: s.mix, quantity, available: quantity - reserved };
    });
    const totalShare = r.mlShares.reduce((a, b) => a + b, 0) || 1;
    const mlTotal = Math.floor(r.mlUnits * 10_000 * r.fill);
    const fractions = r.mlShares.map((x) => x / totalShare) as unknown as Mix;
    return {
      gold: r.gold,
      ml: r.mlShares.every((x) => x === 0) ? ([0, 0, 0, 0] as Mix) : splitMl(mlTotal, fractions),
      potionUnits: r.potionUnits,
      mlUnits: r.mlUnits,
      stock,
      day: r.day,
      hour: r.hour,
      tick: r.tick,
    };
  });

const offersArb: fc.Arbitrary<BarrelOffer[]> = fc
  .uniqueArray(
    fc.record({
      sku: fc.stringMatching(/^[A-Z_]{3,12}$/),
      mlPerBarrel: fc.constantFrom(200, 500, 2_500, 10_000, 1, 333),
      potionType: fc.oneof(
        fc.constantFrom([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0.5, 0.5, 0, 0], [0.3, 0.3, 0.4, 0]),
        fc
          .tuple(fc.nat(10), fc.nat(10), fc.nat(10), fc.integer({ min: 1, max: 10 }))
          .map((t) => t.map((x) => x / t.reduce((a, b) => a + b, 0))),
      ),
      price: fc.integer({ min: 0, max: 1_000 }),
      quantity: fc.integer({ min: 0, max: 30 }),
    }),
    { selector: (o) => o.sku, maxLength: 14 },
  )
  .map((offers) =>
    offers.flatMap((o) => {
      const fractions = barrelFractions(o.potionType);
      return fractions ? [{ sku: o.sku, mlPerBarrel: o.mlPerBarrel, fractions, price: o.price, quantity: o.quantity }] : [];
    }),
  );

const historyArb: fc.Arbitrary<SalesHistory> = fc.record({
  soldBySkuHour: fc.dictionary(fc.constantFrom(...WANTED_MIXES.map(mixSku)), fc.array(fc.nat(30), { minLength: 12, maxLength: 12 })),
  soldLastDay: fc.nat(600),
  ticksSeen: fc.nat(400),
});

describe.each([adaptiveStrategy, baselineStrategy])('$name strategy', (strategy) => {
  it('only ever plans barrels the simulator accepts (offered skus, 1..offered, affordable, within ml capacity)', () => {
    fc.assert(
      fc.property(stateArb, offersArb, historyArb, (state, offers, history) => {
        const plan = strategy.barrels(state, offers, history);
        expect(checkBarrelPlan(state, offers, plan)).toEqual({ ok: true, value: true });
      }),
      { numRuns: 300 },
    );
  });

  it('only ever plans bottlings that sum to 100, use liquid it holds and fit potion capacity', () => {
    fc.assert(
      fc.property(stateArb, historyArb, (state, history) => {
        expect(checkBottlePlan(state, strategy.bottling(state, history))).toEqual({ ok: true, value: true });
      }),
      { numRuns: 300 },
    );
  });

  it('only ever lists at most 6 distinct in-stock skus at prices 1–500', () => {
    fc.assert(
      fc.property(stateArb, historyArb, (state, history) => {
        expect(checkCatalog(state, strategy.catalog(state, history))).toEqual({ ok: true, value: true });
      }),
      { numRuns: 300 },
    );
  });

  it('only ever buys capacity it can afford, 0–10 units each', () => {
    fc.assert(
      fc.property(stateArb, historyArb, (state, history) => {
        expect(checkCapacity(state, strategy.capacity(state, history)).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

const empty: ShopState = { gold: 100, ml: [0, 0, 0, 0], potionUnits: 1, mlUnits: 1, stock: [], day: 'Edgeday', hour: 0, tick: 0 };
const noHistory: SalesHistory = { soldBySkuHour: {}, soldLastDay: 0, ticksSeen: 0 };
const offer = (sku: string, ml: number, colour: number, price: number, quantity = 10): BarrelOffer => {
  const f: [number, number, number, number] = [0, 0, 0, 0];
  f[colour] = 1;
  return { sku, mlPerBarrel: ml, fractions: f, price, quantity };
};

describe('baseline strategy', () => {
  it('buys one small barrel per colour with fewer than 10 potions, as far as gold allows', () => {
    const offers = [offer('SMALL_RED_BARREL', 500, 0, 100), offer('SMALL_GREEN_BARREL', 500, 1, 100), offer('MINI_RED_BARREL', 200, 0, 60)];
    expect(baselineStrategy.barrels(empty, offers, noHistory)).toEqual([{ sku: 'SMALL_RED_BARREL', quantity: 1 }]);
    expect(baselineStrategy.barrels({ ...empty, gold: 250 }, offers, noHistory)).toHaveLength(2);
  });
  it('bottles all liquid into pure potions and lists them at 50 gold', () => {
    const state = { ...empty, ml: [250, 100, 0, 99] as Mix };
    expect(baselineStrategy.bottling(state, noHistory)).toEqual([
      { potion_type: [100, 0, 0, 0], quantity: 2 },
      { potion_type: [0, 100, 0, 0], quantity: 1 },
    ]);
  });
});

describe('adaptive strategy', () => {
  it('buys the cheapest liquid per ml it can afford', () => {
    const offers = [offer('MINI_RED', 200, 0, 60), offer('SMALL_RED', 500, 0, 100), offer('MEDIUM_RED', 2_500, 0, 250)];
    expect(adaptiveStrategy.barrels({ ...empty, gold: 300 }, offers, noHistory)).toEqual([{ sku: 'MEDIUM_RED', quantity: 1 }]);
  });
  it('bottles the mixes customer classes want, not only pure colours', () => {
    const plan = adaptiveStrategy.bottling({ ...empty, ml: [2_500, 2_500, 2_500, 0] }, noHistory);
    const mixes = plan.map((l) => l.potion_type.join(','));
    expect(mixes).toEqual(expect.arrayContaining(['50,50,0,0', '0,50,50,0', '50,0,50,0', '75,25,0,0']));
  });
  it('lists what the classes shopping at this hour want first', () => {
    const stock = WANTED_MIXES.map((mix) => ({ sku: mixSku(mix), mix, quantity: 5, available: 5 }));
    const night = adaptiveStrategy.catalog({ ...empty, stock, hour: 0 }, noHistory).map((c) => c.sku);
    const noon = adaptiveStrategy.catalog({ ...empty, stock, hour: 12 }, noHistory).map((c) => c.sku);
    expect(night).toContain(mixSku([0, 0, 100, 0]));
    expect(noon).toContain(mixSku([100, 0, 0, 0]));
    expect(night).toHaveLength(6);
  });
});
