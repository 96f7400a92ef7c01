import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { adaptiveStrategy } from './adaptive.js';
import { baselineStrategy } from './baseline.js';
import { BUSIEST_DAY_FACTOR, CLASS_PROFILES, type ClassProfile, DAYS as DAY_KEYS, hourSlot, OFF_HOURS_SHARE } from './demand.js';
import { addMix, type Mix, mixDistance, mixSku, splitMl } from './mix.js';
import { checkBarrelDelivery, checkBarrelPlan, checkBottlePlan, checkCapacity, checkCatalog } from './rules.js';
import type { BarrelOffer, SalesHistory, ShopState, Strategy } from './types.js';

/**
 * A small stand-in for the Potion Exchange's published customer model (specs/exchange.md), to check
 * that the adaptive strategy clearly out-earns the baseline before the real simulator is available.
 */
const DAYS = ['Edgeday', 'Bloomday', 'Arcanaday', 'Hearthday', 'Crownday', 'Blesseday', 'Soulday'];
const ML_PRICE: Mix = [0.05, 0.04, 0.06, 0.075];
/** The model's night: half the visitors from 22 to 6. */
const NIGHT_SHARE = 0.5;

/** The model's relative visitor rate of a class at a day and hour. */
function classWeight(profile: ClassProfile, day: number, hour: number): number {
  const h = hourSlot(hour) * 2;
  let w = profile.hours.includes(h) ? 1 : OFF_HOURS_SHARE;
  if (h >= 22 || h <= 6) w *= NIGHT_SHARE;
  if (DAY_KEYS[day] === profile.busiestDay) w *= BUSIEST_DAY_FACTOR;
  return w;
}

function poisson(rand: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

function offers(rand: () => number): BarrelOffer[] {
  const pure = (c: number): Mix => [0, 1, 2, 3].map((i) => (i === c ? 1 : 0)) as unknown as Mix;
  const list: BarrelOffer[] = [];
  const add = (sku: string, ml: number, c: number, price: number, max: number) =>
    list.push({ sku, mlPerBarrel: ml, fractions: pure(c), price, quantity: 1 + Math.floor(rand() * max) });
  ['RED', 'GREEN', 'BLUE'].forEach((name, c) => {
    add(`MINI_${name}`, 200, c, 60, 10);
    add(`SMALL_${name}`, 500, c, c === 2 ? 120 : 100, 10);
    add(`MEDIUM_${name}`, 2_500, c, c === 2 ? 300 : 250, 10);
    if (rand() < 0.5) add(`LARGE_${name}`, 10_000, c, [500, 400, 600][c] ?? 500, 30);
  });
  if (rand() < 0.25) add('LARGE_DARK', 10_000, 3, 750, 30);
  return list;
}

function run(strategy: Strategy, ticks: number, seed: number) {
  const random = seededRandom(seed);
  const rand = () => random.float();
  const s: ShopState = { gold: 100, ml: [0, 0, 0, 0], potionUnits: 1, mlUnits: 1, stock: [], day: null, hour: null, tick: 0 };
  const sales: { sku: string; hour: number; tick: number; qty: number }[] = [];
  const rep = { value: 0.5, quality: 0.5, trips: 0 };
  let errors = 0;
  const history = (): SalesHistory => {
    const soldBySkuHour: Record<string, number[]> = {};
    for (const x of sales) {
      const slots = soldBySkuHour[x.sku] ?? Array.from({ length: 12 }, () => 0);
      slots[x.hour / 2] = (slots[x.hour / 2] ?? 0) + x.qty;
      soldBySkuHour[x.sku] = slots;
    }
    return { soldBySkuHour, soldLastDay: sales.filter((x) => x.tick > s.tick - 12).reduce((n, x) => n + x.qty, 0), ticksSeen: s.tick };
  };
  for (let t = 0; t < ticks; t++) {
    s.tick = t;
    s.day = DAYS[Math.floor(t / 12) % 7] ?? null;
    s.hour = 2 * (t % 12);
    if (s.hour === 0) {
      const order = strategy.capacity(s, history());
      const c = checkCapacity(s, order);
      if (!c.ok) errors++;
      else {
        s.gold -= c.value.cost;
        s.potionUnits += order.potion_capacity;
        s.mlUnits += order.ml_capacity;
      }
    }
    if (t % 12 === 0) {
      const offer = offers(rand);
      const plan = strategy.barrels(s, offer, history());
      if (!checkBarrelPlan(s, offer, plan).ok) errors++;
      else {
        const bought = plan.map((p) => ({ ...(offer.find((o) => o.sku === p.sku) as BarrelOffer), quantity: p.quantity }));
        const d = checkBarrelDelivery(s, bought);
        if (d.ok) {
          s.gold -= d.value.cost;
          s.ml = addMix(s.ml, d.value.ml);
        }
      }
    }
    if (t % 2 === 0) {
      const plan = strategy.bottling(s, history());
      if (!checkBottlePlan(s, plan).ok) errors++;
      else
        for (const line of plan) {
          s.ml = addMix(s.ml, line.potion_type, -line.quantity);
          const item = s.stock.find((i) => i.sku === mixSku(line.potion_type));
          if (item) {
            item.quantity += line.quantity;
            item.available += line.quantity;
          } else s.stock.push({ sku: mixSku(line.potion_type), mix: line.potion_type, quantity: line.quantity, available: line.quantity });
        }
    }
    const catalog = strategy.catalog(s, history());
    if (!checkCatalog(s, catalog).ok) errors++;
    const reputation = (rep.value + rep.quality + 1 + (1 - Math.exp(-rep.trips / 50))) / 4;
    for (const profile of CLASS_PROFILES) {
      const visitors = poisson(rand, 0.75 * classWeight(profile, Math.floor(t / 12) % 7, s.hour) * (0.25 + 1.5 * reputation));
      for (let v = 0; v < visitors; v++) {
        const jitter = Math.floor(rand() * 7) - 3;
        const wanted = [...profile.mix] as number[];
        const big = wanted.indexOf(Math.max(...wanted));
        const other = (big + 1) % 4;
        if ((wanted[big] ?? 0) - jitter >= 0 && (wanted[other] ?? 0) + jitter >= 0) {
          wanted[big] = (wanted[big] ?? 0) - Math.abs(jitter);
          wanted[other] = (wanted[other] ?? 0) + Math.abs(jitter);
        }
        const p = 0.5 + rand() * 0.45;
        const level = 1 + Math.floor(19 * rand() * rand());
        const wealth = 30 + (90 * (level - 1)) / 19;
        const w = 141.42 * (1 - p);
        let best: { sku: string; price: number; surplus: number; q: number; will: number } | undefined;
        for (const item of catalog) {
          const d = mixDistance(item.mix, wanted as unknown as Mix);
          const q = d >= w ? 0 : (Math.cos((Math.PI * d) / w) + 1) / 2;
          const will = wealth * q;
          const surplus = will - item.price;
          if (surplus > 0 && (!best || surplus > best.surplus)) best = { sku: item.sku, price: item.price, surplus, q, will };
        }
        if (!best) continue;
        const held = s.stock.find((i) => i.sku === best.sku);
        const qty = Math.min(held?.available ?? 0, wealth > 80 ? 3 : wealth > 50 ? 2 : 1);
        if (!held || qty < 1) continue;
        held.quantity -= qty;
        held.available -= qty;
        s.gold += qty * best.price;
        sales.push({ sku: best.sku, hour: s.hour, tick: t, qty });
        rep.trips++;
        rep.value += (best.surplus / best.will - rep.value) * 0.05;
        rep.quality += (best.q - rep.quality) * 0.05;
      }
    }
    s.stock = s.stock.filter((i) => i.quantity > 0);
  }
  const stockMl = s.stock.reduce((m, i) => addMix(m, i.mix, i.quantity), s.ml);
  const netWorth = s.gold + stockMl.reduce((n, ml, c) => n + ml * (ML_PRICE[c] ?? 0), 0);
  return { netWorth: Math.round(netWorth), gold: s.gold, errors, sold: sales.reduce((n, x) => n + x.qty, 0) };
}

describe('strategies in a model of the Potion Exchange', () => {
  // Issue 3 asks for 3× against the real exchange (reached: 4.2–4.4× on seeds 1–3); this model is the
  // fast guard against regressions and holds the level reached so far (3.35–4.0× on seeds 1–3), to be
  // raised as the strategy improves.
  const FLOOR = 3.2;
  it(`adaptive ends four game weeks with at least ${FLOOR}× the net worth of baseline, without a rejected plan`, () => {
    for (const seed of [1, 2, 3]) {
      const baseline = run(baselineStrategy, 336, seed);
      const adaptive = run(adaptiveStrategy, 336, seed);
      expect(baseline.errors).toBe(0);
      expect(adaptive.errors).toBe(0);
      expect(adaptive.netWorth, JSON.stringify({ seed, baseline, adaptive })).toBeGreaterThanOrEqual(FLOOR * baseline.netWorth);
    }
  });
  it('splitMl keeps the model honest', () => {
    expect(splitMl(10, [0.5, 0.5, 0, 0])).toEqual([5, 5, 0, 0]);
  });
});
