import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../platform/random.js';
import {
  baseVisitors,
  CLASSES,
  choosePurchase,
  gameTime,
  maxPotionsFor,
  newReputation,
  quality,
  recognition,
  recordTrip,
  reputationMultiplier,
  reputationScore,
  schedule,
  TICKS_PER_WEEK,
  visitorsOfTick,
  wealth,
  wholesaleOffer,
} from './index.js';

describe('calendar and schedule', () => {
  it('maps ticks to days and even hours, a week being 84 ticks', () => {
    expect(gameTime(0)).toMatchObject({ day: 'Edgeday', hour: 0 });
    expect(gameTime(11)).toMatchObject({ day: 'Edgeday', hour: 22 });
    expect(gameTime(12)).toMatchObject({ day: 'Bloomday', hour: 0 });
    expect(gameTime(83)).toMatchObject({ day: 'Soulday', hour: 22 });
    expect(gameTime(84)).toMatchObject({ day: 'Edgeday', hour: 0 });
    expect(() => gameTime(-1)).toThrow(RangeError);
  });

  it('runs capacity at hour 0, audit at the last tick of the day, and the cadence presets', () => {
    expect(schedule(0, 'seed')).toEqual({ capacity: true, barrels: true, bottling: true, audit: false });
    expect(schedule(2, 'seed')).toEqual({ capacity: false, barrels: false, bottling: true, audit: false });
    expect(schedule(3, 'seed')).toEqual({ capacity: false, barrels: false, bottling: false, audit: false });
    expect(schedule(11, 'seed').audit).toBe(true);
    expect(schedule(2, 'current').barrels).toBe(true);
    expect(schedule(12, 'seed').barrels).toBe(true);
  });
});

describe('quality curve', () => {
  it('is 1 for the wanted mix, 0 at or beyond w = 141.42·(1−p), and (cos(π·d/w)+1)/2 between', () => {
    expect(quality([100, 0, 0, 0], [100, 0, 0, 0], 0.5)).toBe(1);
    expect(quality([0, 100, 0, 0], [100, 0, 0, 0], 0.5)).toBe(0);
    const w = 141.42 * 0.5;
    expect(quality([90, 10, 0, 0], [100, 0, 0, 0], 0.5)).toBeCloseTo((Math.cos((Math.PI * Math.hypot(10, 10)) / w) + 1) / 2, 10);
    // d = 14.14 against w = 7.07 for the pickiest visitor: nothing is good enough.
    expect(quality([90, 10, 0, 0], [100, 0, 0, 0], 0.95)).toBe(0);
  });

  it('never leaves [0, 1] and falls as the distance grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        (a, b, p) => {
          const [near, far] = a <= b ? [a, b] : [b, a];
          const qNear = quality([100 - near, near, 0, 0], [100, 0, 0, 0], p);
          const qFar = quality([100 - far, far, 0, 0], [100, 0, 0, 0], p);
          return qNear >= 0 && qNear <= 1 && qFar <= qNear + 1e-12;
        },
      ),
    );
  });
});

describe('purchase choice', () => {
  const visitor = { wealth: 100, pickiness: 0.5, wanted: [100, 0, 0, 0] as [number, number, number, number] };
  const rng = () => seededRandom('choice');

  it('buys the item with the largest positive surplus', () => {
    const choice = choosePurchase(
      visitor,
      [
        { sku: 'CHEAP_GREEN', price: 5, potion_type: [0, 100, 0, 0], available: 5 },
        { sku: 'RED', price: 60, potion_type: [100, 0, 0, 0], available: 5 },
        { sku: 'NEAR_RED', price: 20, potion_type: [95, 5, 0, 0], available: 5 },
      ],
      rng(),
    );
    expect(choice?.sku).toBe('NEAR_RED');
    expect(choice?.surplus).toBeCloseTo(100 * quality([95, 5, 0, 0], [100, 0, 0, 0], 0.5) - 20, 10);
  });

  it('leaves without a cart when no item has a positive surplus', () => {
    expect(choosePurchase(visitor, [{ sku: 'RED', price: 100, potion_type: [100, 0, 0, 0], available: 5 }], rng())).toBeUndefined();
    expect(choosePurchase(visitor, [{ sku: 'RED', price: 10, potion_type: [100, 0, 0, 0], available: 0 }], rng())).toBeUndefined();
    expect(choosePurchase(visitor, [], rng())).toBeUndefined();
  });

  it('buys 1–3 potions by wealth, never more than the stock', () => {
    expect([maxPotionsFor(40), maxPotionsFor(60), maxPotionsFor(90)]).toEqual([1, 2, 3]);
    for (let i = 0; i < 50; i++) {
      const c = choosePurchase(visitor, [{ sku: 'RED', price: 1, potion_type: [100, 0, 0, 0], available: 2 }], seededRandom(i));
      expect(c?.quantity).toBeGreaterThanOrEqual(1);
      expect(c?.quantity).toBeLessThanOrEqual(2);
    }
  });
});

describe('reputation', () => {
  it('starts neutral: multiplier 1.0; the best reputation gives 1.75 and the worst 0.25', () => {
    expect(reputationMultiplier(reputationScore(newReputation()))).toBeCloseTo(1, 10);
    expect(reputationMultiplier(1)).toBe(1.75);
    expect(reputationMultiplier(0)).toBe(0.25);
  });

  it('updates value and quality from purchases, reliability from every trip, recognition from purchase trips', () => {
    let r = newReputation();
    r = recordTrip(r, { error: false, purchase: { surplus: 20, willingness: 80, quality: 0.9 } });
    expect(r.value).toBeCloseTo(0.25, 10);
    expect(r.quality).toBeCloseTo(0.9, 10);
    expect(r.reliability).toBe(1);
    expect(recognition(r)).toBeCloseTo(1 - Math.exp(-1 / 50), 10);
    r = recordTrip(r, { error: true });
    expect(r.reliability).toBeCloseTo(0.5, 10);
    expect(r.purchaseTrips).toBe(1);
    r = recordTrip(r, { error: false });
    expect(r.reliability).toBeCloseTo(2 / 3, 10);
    expect(r.value).toBeCloseTo(0.25, 10);
  });
});

describe('calibration and reproducibility', () => {
  it('sends about 6 visitors a tick at the best reputation, fewer at night and on quiet days', () => {
    let total = 0;
    for (let t = 0; t < TICKS_PER_WEEK; t++) {
      const g = gameTime(t);
      total += CLASSES.reduce((s, c) => s + baseVisitors(c, g.dayIndex, g.hour) * reputationMultiplier(1), 0);
    }
    expect(total / TICKS_PER_WEEK).toBeCloseTo(6, 5);
    const at = (hour: number) => CLASSES.reduce((s, c) => s + baseVisitors(c, 0, hour), 0);
    expect(at(2)).toBeLessThan(at(12) * 0.6);
    const warrior = CLASSES[0];
    if (!warrior) throw new Error('no class');
    // Crownday (4) is the Warrior's busiest day, Edgeday (0) — three days later — its quiet one.
    expect(baseVisitors(warrior, 4, 12)).toBeGreaterThan(baseVisitors(warrior, 1, 12));
    expect(baseVisitors(warrior, 1, 12)).toBeGreaterThan(baseVisitors(warrior, 0, 12));
  });

  it('values a perfect potion at 30–120 gold', () => {
    for (const s of ['Folk', 'Álfar', 'Dvergar', 'Jötnar']) {
      expect(wealth(s, 1)).toBeGreaterThanOrEqual(30);
      expect(wealth(s, 20)).toBeLessThanOrEqual(120);
    }
  });

  it('about half of the visitors to a shop that suits them buy (each class’s mix at 50 gold)', () => {
    let visitors = 0;
    let buyers = 0;
    for (let t = 0; t < TICKS_PER_WEEK * 2; t++) {
      const rng = seededRandom(`buy:${t}`);
      for (const v of visitorsOfTick(1, 'cal', t, () => 1.75)) {
        visitors++;
        const shelf = CLASSES.slice(0, 6).map((c) => ({ sku: c.name.replace(/\W/g, ''), price: 50, potion_type: c.mix, available: 10 }));
        const own = CLASSES.find((c) => c.name === v.character_class);
        if (own) shelf[0] = { sku: 'OWN', price: 50, potion_type: own.mix, available: 10 };
        if (choosePurchase(v, shelf, rng)) buyers++;
      }
    }
    expect(visitors / (TICKS_PER_WEEK * 2)).toBeGreaterThan(5);
    expect(buyers / visitors).toBeGreaterThan(0.35);
    expect(buyers / visitors).toBeLessThan(0.65);
  });

  it('draws the same offers and visitors for the same seed, key and tick, and different ones for another seed', () => {
    expect(wholesaleOffer(1, 'a', 12)).toEqual(wholesaleOffer(1, 'a', 12));
    expect(wholesaleOffer(1, 'a', 12)).not.toEqual(wholesaleOffer(2, 'a', 12));
    expect(visitorsOfTick(1, 'a', 40, () => 1)).toEqual(visitorsOfTick(1, 'a', 40, () => 1));
    const offer = wholesaleOffer(3, 'k', 0);
    for (const b of offer) {
      expect(b.potion_type.reduce((a, x) => a + x, 0)).toBe(1);
      expect(b.quantity).toBeGreaterThanOrEqual(1);
    }
  });
});
