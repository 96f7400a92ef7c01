import { describe, expect, it } from 'vitest';
import { adaptiveStrategy, createAdaptiveStrategy, DEFAULT_PARAMS, forecast, type MixForecast, priceFor } from './adaptive.js';
import { estimatedMultiplier, potionsPerVisitor, WANTED_MIXES } from './demand.js';
import { type Mix, mixSku } from './mix.js';
import { checkBarrelPlan, checkBottlePlan } from './rules.js';
import type { BarrelOffer, SalesHistory, ShopState } from './types.js';

const RED: Mix = [100, 0, 0, 0];
const GREEN: Mix = [0, 100, 0, 0];
const BLUE: Mix = [0, 0, 100, 0];
const DARK: Mix = [0, 0, 0, 100];
const DRUID: Mix = [0, 50, 50, 0];

const shop: ShopState = { gold: 100, ml: [0, 0, 0, 0], potionUnits: 1, mlUnits: 1, stock: [], day: 'Edgeday', hour: 0, tick: 0 };
const none: SalesHistory = { soldBySkuHour: {}, soldLastDay: 0, ticksSeen: 0 };
const sold = (mix: Mix, potions: number): SalesHistory => ({
  soldBySkuHour: { [mixSku(mix)]: [potions, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  soldLastDay: potions,
  ticksSeen: 100,
});
const stock = (mix: Mix, n: number) => ({ sku: mixSku(mix), mix, quantity: n, available: n });
const of = (f: MixForecast[], mix: Mix) => f.find((d) => d.mix.join() === mix.join())?.potions ?? Number.NaN;
const barrel = (sku: string, ml: number, mix: Mix, price: number, quantity = 10): BarrelOffer => ({
  sku,
  mlPerBarrel: ml,
  fractions: mix.map((p) => p / 100) as unknown as Mix,
  price,
  quantity,
});
const bought = (plan: { sku: string; quantity: number }[], sku: string) => plan.find((l) => l.sku === sku)?.quantity ?? 0;

describe('adaptive demand forecast', () => {
  it('expects each class when it shops: by hour, more on its busiest day, fewer on its quiet day', () => {
    const at = (day: string, hour: number, mix: Mix) => of(forecast({ day, hour }, none, 1, 42), mix);
    expect(at('Edgeday', 12, RED)).toBeGreaterThan(at('Edgeday', 2, RED));
    expect(at('Edgeday', 2, BLUE)).toBeGreaterThan(at('Edgeday', 14, BLUE));
    // Druids: busiest on Edgeday, quiet on Hearthday, an unknown day name counts as an average day.
    expect(at('Edgeday', 10, DRUID)).toBeGreaterThan(at('Bloomday', 10, DRUID));
    expect(at('Bloomday', 10, DRUID)).toBeGreaterThan(at('Hearthday', 10, DRUID));
    expect(at('Edgeday', 10, DRUID)).toBeGreaterThan(at('??', 10, DRUID));
    expect(at('??', 10, DRUID)).toBeGreaterThan(at('Hearthday', 10, DRUID));
  });

  it('expects more of a class the shop has served (recognition) and fewer potions at a higher price', () => {
    const fresh = forecast(shop, none, 12, 42);
    const served = forecast(shop, sold(RED, 130), 12, 42);
    expect(of(served, RED)).toBeGreaterThan(of(fresh, RED));
    expect(of(served, GREEN)).toBe(of(fresh, GREEN));
    const total = (price: number) => forecast(shop, none, 12, price).reduce((n, d) => n + d.potions, 0);
    expect(total(60)).toBeLessThan(total(42));
    expect(estimatedMultiplier(0)).toBe(1);
    expect(estimatedMultiplier(500)).toBeGreaterThan(estimatedMultiplier(50));
    expect(estimatedMultiplier(10_000)).toBeLessThanOrEqual(1.75);
  });

  it('spans one game day of the spec calibration: tens of potions for a new shop, none above 130 gold', () => {
    const day = forecast(shop, none, 12, 42).reduce((n, d) => n + d.potions, 0);
    expect(day).toBeGreaterThan(20);
    expect(day).toBeLessThan(60);
    expect(potionsPerVisitor(130)).toBe(0);
    expect(potionsPerVisitor(40)).toBeGreaterThan(potionsPerVisitor(50));
  });
});

describe('adaptive pricing', () => {
  const crownday = { ...shop, day: 'Crownday', hour: 8 };
  it('asks the base price while the stock covers the demand until the next barrels', () => {
    expect(priceFor(RED, { ...crownday, stock: [stock(RED, 50)] }, none)).toBe(DEFAULT_PARAMS.basePrice);
    expect(priceFor(RED, { ...crownday, ml: [5_000, 0, 0, 0] }, none)).toBe(DEFAULT_PARAMS.basePrice);
  });

  it('asks more the scarcer the potions are, never more than the highest price', () => {
    const price = (n: number) => priceFor(RED, { ...crownday, stock: [stock(RED, n)] }, none);
    expect(price(1)).toBeGreaterThan(DEFAULT_PARAMS.basePrice);
    expect(price(1)).toBeGreaterThanOrEqual(price(3));
    expect(price(3)).toBeGreaterThanOrEqual(price(6));
    expect(price(1)).toBeLessThanOrEqual(DEFAULT_PARAMS.maxPrice);
  });

  it('lists the wanted mixes first and leftovers no class asks for cheaply', () => {
    const odd: Mix = [10, 20, 30, 40];
    const listed = adaptiveStrategy.catalog({ ...crownday, stock: [stock(odd, 5), stock(RED, 40)] }, none);
    expect(listed.map((c) => [c.sku, c.price])).toEqual([
      [mixSku(RED), DEFAULT_PARAMS.basePrice],
      [mixSku(odd), DEFAULT_PARAMS.offTargetPrice],
    ]);
  });
});

describe('adaptive barrel buying', () => {
  const smalls = [barrel('SMALL_RED', 500, RED, 100), barrel('SMALL_GREEN', 500, GREEN, 100), barrel('SMALL_BLUE', 500, BLUE, 100)];

  it('with little gold buys liquid for the whole mix most in demand, not half of a two-colour mix', () => {
    // Crownday morning: warriors' busiest day; Bloomday dawn: seers'.
    expect(adaptiveStrategy.barrels({ ...shop, day: 'Crownday', hour: 0 }, smalls, none)).toEqual([{ sku: 'SMALL_RED', quantity: 1 }]);
    expect(adaptiveStrategy.barrels({ ...shop, day: 'Bloomday', hour: 0 }, smalls, none)).toEqual([{ sku: 'SMALL_GREEN', quantity: 1 }]);
    // Druids want green and blue: with gold for two barrels and Druids' busiest day, both colours come.
    const druidDay = adaptiveStrategy.barrels({ ...shop, gold: 200, day: 'Edgeday', hour: 0 }, smalls.slice(1), none);
    expect(druidDay.map((l) => l.sku).sort()).toEqual(['SMALL_BLUE', 'SMALL_GREEN']);
  });

  it('stocks up on bulk liquid, the cheapest per ml, once gold allows', () => {
    const offers = [barrel('MEDIUM_RED', 2_500, RED, 250), barrel('LARGE_RED', 10_000, RED, 500)];
    const plan = adaptiveStrategy.barrels({ ...shop, gold: 5_000, mlUnits: 2 }, offers, none);
    expect(bought(plan, 'LARGE_RED')).toBe(1);
    expect(checkBarrelPlan({ ...shop, gold: 5_000, mlUnits: 2 }, offers, plan).ok).toBe(true);
  });

  it('keeps room for a bulk barrel of the rarely offered dark while it has none, and buys one when offered', () => {
    const large = [barrel('LARGE_RED', 10_000, RED, 500), barrel('LARGE_GREEN', 10_000, GREEN, 400)];
    // Potions for the coming day, so only stocking up for the days after buys liquid.
    const rich = { ...shop, gold: 20_000, mlUnits: 2, stock: WANTED_MIXES.filter((m) => m[3] === 0).map((mix) => stock(mix, 15)) };
    const withoutDark = adaptiveStrategy.barrels(rich, large, none);
    expect(bought(withoutDark, 'LARGE_RED') + bought(withoutDark, 'LARGE_GREEN')).toBe(1);
    const withDark = adaptiveStrategy.barrels(rich, [...large, barrel('LARGE_DARK', 10_000, DARK, 750)], none);
    expect(bought(withDark, 'LARGE_DARK')).toBe(1);
  });

  it('buys dear small barrels only for what is needed before barrels are offered again', () => {
    // Stock for the next few ticks, not for the whole day.
    const held = { ...shop, gold: 1_000, day: 'Crownday', stock: WANTED_MIXES.map((mix) => stock(mix, 5)) };
    const offers = [barrel('SMALL_RED', 500, RED, 100)];
    // At midnight the next barrels may be a day away; at another hour they come every other tick.
    expect(bought(adaptiveStrategy.barrels({ ...held, hour: 0 }, offers, none), 'SMALL_RED')).toBeGreaterThan(0);
    expect(adaptiveStrategy.barrels({ ...held, hour: 8 }, offers, none)).toEqual([]);
  });
});

describe('adaptive bottling', () => {
  it('bottles each wanted mix for its coming demand and leaves the rest of the liquid flexible', () => {
    const state = { ...shop, ml: [10_000, 10_000, 10_000, 10_000] as Mix, potionUnits: 10, mlUnits: 4 };
    const plan = adaptiveStrategy.bottling(state, none);
    expect(checkBottlePlan(state, plan).ok).toBe(true);
    const coming = forecast(state, none, DEFAULT_PARAMS.bottleTicks, DEFAULT_PARAMS.basePrice);
    for (const d of coming) {
      const made = plan.find((l) => l.potion_type.join() === d.mix.join())?.quantity ?? 0;
      expect(made).toBeGreaterThanOrEqual(1);
      expect(made).toBeLessThanOrEqual(Math.ceil(d.potions) + 1);
    }
  });

  it('gives the last free slot to a mix that has none rather than to one that has plenty', () => {
    const state = { ...shop, hour: 12, ml: [5_000, 5_000, 0, 0] as Mix, stock: [stock(RED, 49)] };
    const plan = adaptiveStrategy.bottling(state, none);
    expect(plan).toHaveLength(1);
    expect(plan[0]?.quantity).toBe(1);
    expect(plan[0]?.potion_type).not.toEqual(RED);
  });
});

describe('adaptive capacity', () => {
  it('buys ml capacity when a day and a half of demand plus a bulk barrel do not fit, keeping gold for liquid', () => {
    expect(adaptiveStrategy.capacity({ ...shop, gold: 2_000 }, none)).toEqual({ potion_capacity: 0, ml_capacity: 1 });
    expect(adaptiveStrategy.capacity({ ...shop, gold: 1_500 }, none)).toEqual({ potion_capacity: 0, ml_capacity: 0 });
    expect(adaptiveStrategy.capacity({ ...shop, gold: 50_000, mlUnits: DEFAULT_PARAMS.maxMlUnits }, none).ml_capacity).toBe(0);
    expect(adaptiveStrategy.capacity({ ...shop, gold: 50_000, mlUnits: 4 }, none).ml_capacity).toBe(0);
  });

  it('buys potion capacity only when the stock bottling wants does not fit and the lost sales repay it', () => {
    expect(adaptiveStrategy.capacity({ ...shop, gold: 50_000, mlUnits: 4 }, none).potion_capacity).toBe(0);
    const stocksLong = createAdaptiveStrategy({ bottleTicks: 48 });
    expect(stocksLong.capacity({ ...shop, gold: 50_000, mlUnits: 4 }, none).potion_capacity).toBe(1);
    expect(stocksLong.capacity({ ...shop, gold: 50_000, mlUnits: 4, potionUnits: 3 }, none).potion_capacity).toBe(0);
  });
});
