/**
 * The adaptive strategy: plans from a forecast of what each customer class will buy (the published
 * customer table scaled by the reputation its sales earned), buys liquid bulk-first at the lowest price
 * per useful ml, bottles each wanted mix for its coming demand, lists the six mixes wanted most this
 * hour at a price near the top of gold per visitor (more when stock runs short) and grows capacity when
 * it pays back. Every plan stays within the spec's rules by construction (strategies.test.ts proves it).
 */
import { type AdaptiveParams, DEFAULT_PARAMS } from './adaptive-params.js';
import { CLASS_PROFILES, dayIndex, estimatedMultiplier, expectedVisitors, hourSlot, potionsPerVisitor } from './demand.js';
import { CAPACITY_UNIT_PRICE, MAX_CATALOG_ITEMS, type Mix, mixName, mixSku, POTION_ML, sumMix } from './mix.js';
import { mlCapacity, potionCapacity, potionsHeld } from './rules.js';
import type { BarrelOffer, BarrelOrderLine, BottleLine, CapacityOrder, CatalogChoice, SalesHistory, ShopState, Strategy } from './types.js';

export { type AdaptiveParams, DEFAULT_PARAMS } from './adaptive-params.js';

const BULK_BARREL_ML = 10_000;

/** Expected potions wanted of one class mix over some ticks. */
export interface MixForecast {
  mix: Mix;
  potions: number;
}

/** Potions of each mix sold so far (all hours). */
function soldOf(history: SalesHistory, mix: Mix): number {
  return (history.soldBySkuHour[mixSku(mix)] ?? []).reduce((a, b) => a + b, 0);
}

/**
 * Expected potions wanted of each class's mix over the next `ticks` ticks (the current one first) at
 * `price`: the published customer table (hours, busiest and quiet days, night), the visitor count the
 * shop's reputation with each class likely brings, and the share of visitors who buy at that price.
 */
export function forecast(state: Pick<ShopState, 'day' | 'hour'>, history: SalesHistory, ticks: number, price: number): MixForecast[] {
  const day = dayIndex(state.day);
  const slot = hourSlot(state.hour ?? 0);
  const perVisitor = potionsPerVisitor(price);
  return CLASS_PROFILES.map((profile) => {
    const multiplier = estimatedMultiplier(soldOf(history, profile.mix));
    let potions = 0;
    for (let k = 0; k < ticks; k++) {
      const s = slot + k;
      const d = day === undefined ? undefined : (day + Math.floor(s / 12)) % 7;
      potions += expectedVisitors(profile, d, (s % 12) * 2, multiplier) * perVisitor;
    }
    return { mix: profile.mix, potions };
  });
}

/** Potions of a mix in stock. */
function stockOf(state: ShopState, mix: Mix): number {
  return state.stock.reduce((n, i) => n + (sameMix(i.mix, mix) ? i.quantity : 0), 0);
}

/**
 * Liquid per colour (ml) the forecast needs beyond the potions already bottled: a bottled potion serves
 * only its own mix, so each mix's stock covers its own demand and nothing else.
 */
function liquidNeed(state: ShopState, demand: MixForecast[], safety = 0): number[] {
  const short = demand.map((d) => Math.max(0, d.potions + safety * Math.sqrt(d.potions) - stockOf(state, d.mix)));
  return [0, 1, 2, 3].map((c) => demand.reduce((n, d, i) => n + (short[i] ?? 0) * (d.mix[c] ?? 0), 0));
}

/** Ticks until the next day starts (barrels arrive at hour 0 on the slowest cadence). */
function ticksToRestock(state: ShopState): number {
  return 12 - hourSlot(state.hour ?? 0);
}

/**
 * Price of a wanted mix: the base price while stock lasts; when the liquid for a mix will not last until
 * the next barrel tick, the price rises until the expected demand fits what is held (scarce potions go
 * to the visitors who value them most).
 */
export function priceFor(mix: Mix, state: ShopState, history: SalesHistory, p: AdaptiveParams = DEFAULT_PARAMS): number {
  // Only mixes the shop can offer before the next barrels compete for the liquid.
  const demand = forecast(state, history, ticksToRestock(state), p.basePrice).filter(
    (d) => stockOf(state, d.mix) > 0 || d.mix.every((part, c) => part <= (state.ml[c] ?? 0)),
  );
  const own = demand.find((d) => sameMix(d.mix, mix));
  if (!own || own.potions <= 0) return p.basePrice;
  const stock = stockOf(state, mix);
  const need = liquidNeed(state, demand);
  let liquidCover = 1;
  for (let c = 0; c < 4; c++) {
    if ((mix[c] ?? 0) > 0 && (need[c] ?? 0) > 0) liquidCover = Math.min(liquidCover, (state.ml[c] ?? 0) / (need[c] ?? 1));
  }
  const cover = (stock + liquidCover * Math.max(0, own.potions - stock)) / own.potions;
  if (cover >= 1) return p.basePrice;
  const target = potionsPerVisitor(p.basePrice) * Math.max(cover, 0) ** p.scarcityExponent;
  let price = p.basePrice;
  while (price < p.maxPrice && potionsPerVisitor(price) > target) price++;
  return price;
}

const sameMix = (a: Mix, b: Mix) => a.every((v, c) => v === b[c]);

function catalog(state: ShopState, history: SalesHistory, p: AdaptiveParams): CatalogChoice[] {
  const now = forecast(state, history, 1, p.basePrice);
  const wanted = (mix: Mix) => now.find((d) => sameMix(d.mix, mix));
  return state.stock
    .filter((s) => s.available >= 1)
    .map((s) => ({ s, demand: wanted(s.mix)?.potions }))
    .sort((a, b) => (b.demand ?? -1) - (a.demand ?? -1) || b.s.available - a.s.available || a.s.sku.localeCompare(b.s.sku))
    .slice(0, MAX_CATALOG_ITEMS)
    .map(({ s, demand }) => ({
      sku: s.sku,
      mix: s.mix,
      name: mixName(s.mix),
      price: demand === undefined ? p.offTargetPrice : priceFor(s.mix, state, history, p),
    }));
}

/**
 * Bottles potions one at a time, each for the mix whose coming demand is least covered by its stock,
 * up to `bottleTicks` of demand per mix and the potion capacity; liquid left waits for the mixes it suits.
 */
function bottling(state: ShopState, history: SalesHistory, p: AdaptiveParams): BottleLine[] {
  const demand = forecast(state, history, p.bottleTicks, p.basePrice);
  let room = potionCapacity(state) - potionsHeld(state);
  const ml = [...state.ml];
  const have = demand.map((d) => stockOf(state, d.mix));
  const made = demand.map(() => 0);
  while (room > 0) {
    let best = -1;
    let bestScore = 0;
    demand.forEach((d, i) => {
      if (d.mix.some((part, c) => part > (ml[c] ?? 0))) return;
      const stocked = (have[i] ?? 0) + (made[i] ?? 0);
      if (stocked >= Math.ceil(d.potions) + 1) return;
      const score = (d.potions + 0.01) / (stocked + 1);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    const chosen = demand[best];
    if (!chosen) break;
    chosen.mix.forEach((part, c) => {
      ml[c] = (ml[c] ?? 0) - part;
    });
    made[best] = (made[best] ?? 0) + 1;
    room--;
  }
  return demand.map((d, i) => ({ potion_type: d.mix, quantity: made[i] ?? 0 })).filter((l) => l.quantity > 0);
}

/** Potions of each mix still to make over a forecast, beyond the stock, with `safety` standard deviations. */
function shortfalls(state: ShopState, demand: MixForecast[], safety: number): MixForecast[] {
  return demand.map((d) => ({ mix: d.mix, potions: Math.max(0, d.potions + safety * Math.sqrt(d.potions) - stockOf(state, d.mix)) }));
}

/**
 * ml of each colour the shortfalls need, counting a mix only once the shop holds (or is buying) its other
 * colours: liquid for half a mix sells nothing, so with little gold the colours of whole mixes come first.
 */
function makeableNeed(short: MixForecast[], held: readonly number[]): number[] {
  return [0, 1, 2, 3].map((c) =>
    short.reduce((n, d) => {
      const makeable = d.mix.every((part, k) => k === c || part <= (held[k] ?? 0));
      return n + (makeable ? d.potions * (d.mix[c] ?? 0) : 0);
    }, 0),
  );
}

/**
 * Buys liquid in two passes. First bulk barrels (the cheapest liquid, worth its full price in the books)
 * for colours that will need them within `stockUpTicks`, as long as gold and room stay for what the other
 * colours need soon; then what the coming `coverTicks` still need, always the offer with the lowest price
 * per useful ml that gold and room allow (ties: the colour that lacks most).
 */
function barrels(state: ShopState, offers: BarrelOffer[], history: SalesHistory, p: AdaptiveParams): BarrelOrderLine[] {
  const held = [...state.ml];
  const left = new Map(offers.map((o) => [o.sku, o.quantity]));
  const plan = new Map<string, number>();
  let budget = state.gold;
  // A simulator may round a mixed barrel's ml per colour (up to 2 ml more a line): keep that slack.
  const mixed = offers.some((o) => !o.fractions.some((f) => f === 1));
  let room = mlCapacity(state) - sumMix(state.ml) - (mixed ? MIXED_ROUNDING_SLACK * offers.length : 0);
  const rich = state.gold >= p.richGold;
  const safety = rich ? p.safetyRich : p.safety;
  const shortSoon = shortfalls(state, forecast(state, history, p.coverTicks, p.basePrice), safety);
  const shortLong = shortfalls(state, forecast(state, history, p.stockUpTicks, p.basePrice), safety);
  const lacking = (short: MixForecast[]) => makeableNeed(short, held).map((n, c) => Math.max(0, n - (held[c] ?? 0)));
  // Rich, liquid beyond the near need is bought ahead rather than wasted: it saves a later purchase.
  const aheadPerMl = rich ? p.aheadPerMl : 0;
  const buy = (short: MixForecast[], usable: (o: BarrelOffer) => boolean, keep: (o: BarrelOffer) => { gold: number; ml: number }) => {
    for (let guard = 0; guard < 1000; guard++) {
      const need = lacking(short);
      let best: BarrelOffer | undefined;
      let bestCost = Number.POSITIVE_INFINITY;
      let bestUseful = 0;
      for (const o of offers) {
        if ((left.get(o.sku) ?? 0) < 1 || o.mlPerBarrel <= 0 || !usable(o)) continue;
        const kept = keep(o);
        if (o.price > budget - kept.gold || o.mlPerBarrel > room - kept.ml) continue;
        const useful = [0, 1, 2, 3].reduce((n, c) => n + Math.min(need[c] ?? 0, o.mlPerBarrel * (o.fractions[c] ?? 0)), 0);
        if (useful < 1) continue;
        const cost = Math.max(0, o.price - (o.mlPerBarrel - useful) * aheadPerMl) / useful;
        const colourNeed = need.reduce((n, x, c) => n + x * (o.fractions[c] ?? 0), 0);
        if (cost < bestCost - 1e-9 || (cost <= bestCost + 1e-9 && colourNeed > bestUseful)) {
          bestCost = cost;
          bestUseful = colourNeed;
          best = o;
        }
      }
      if (!best) return;
      left.set(best.sku, (left.get(best.sku) ?? 0) - 1);
      plan.set(best.sku, (plan.get(best.sku) ?? 0) + 1);
      budget -= best.price;
      room -= best.mlPerBarrel;
      for (let c = 0; c < 4; c++) held[c] = (held[c] ?? 0) + best.mlPerBarrel * (best.fractions[c] ?? 0);
    }
  };
  // Bulk first, keeping gold and room for the other colours' near needs (at a mid-size barrel's price),
  // and room for a barrel of a rarely offered colour the shop lacks.
  const othersSoon = (o: BarrelOffer) =>
    lacking(shortSoon).reduce((n, x, c) => n + ((o.fractions[c] ?? 0) > 0.5 || RARE_COLOURS.includes(c) ? 0 : x), 0);
  const rareRoom = (o: BarrelOffer) =>
    mlCapacity(state) >= 2 * BULK_BARREL_ML && RARE_COLOURS.some((c) => (o.fractions[c] ?? 0) <= 0.5 && (lacking(shortLong)[c] ?? 0) > 0)
      ? BULK_BARREL_ML
      : 0;
  buy(
    shortLong,
    (o) => o.price / o.mlPerBarrel <= p.bulkPerMl,
    (o) => ({ gold: p.stockUpReserve + othersSoon(o) * SHORT_PER_ML, ml: othersSoon(o) + rareRoom(o) }),
  );
  // Mid-size (or bulk) liquid for the near need.
  buy(
    shortSoon,
    (o) => o.price / o.mlPerBarrel <= SHORT_PER_ML,
    () => ({ gold: 0, ml: 0 }),
  );
  // Small, dear barrels only for what is needed before barrels are offered again: barrels offered at
  // another hour than midnight come every other tick (the exchange's `current` cadence), so dear liquid
  // then waits for a cheaper offer.
  const urgent =
    state.hour === null || hourSlot(state.hour) === 0 ? shortSoon : shortfalls(state, forecast(state, history, 2, p.basePrice), safety);
  // Liquid dearer than a potion's price per ml never pays.
  buy(
    urgent,
    (o) => o.price / o.mlPerBarrel <= p.basePrice / POTION_ML,
    () => ({ gold: 0, ml: 0 }),
  );
  return [...plan].map(([sku, quantity]) => ({ sku, quantity }));
}
const MIXED_ROUNDING_SLACK = 2;
/** Gold per ml of the mid-size barrels that cover near needs (spec: MEDIUM 0.10–0.12). */
const SHORT_PER_ML = 0.12;
/** Colours sold only in bulk and rarely (spec: dark, LARGE only): room is kept for them. */
const RARE_COLOURS = [3];

/**
 * Grows capacity by one unit a day when the unit pays back within `paybackTicks`, keeping
 * `capacityReserve` gold for liquid. ml: while `mlTargetTicks` of demand plus one bulk barrel do not fit,
 * a unit lets that demand be met with bulk liquid instead of mid-size barrels. Potions: while the stock
 * bottling wants for the coming `bottleTicks` does not fit, what does not fit is sales lost.
 */
function capacityPlan(state: ShopState, history: SalesHistory, p: AdaptiveParams): CapacityOrder {
  let spare = state.gold - p.capacityReserve;
  const order = { potion_capacity: 0, ml_capacity: 0 };
  const perTick = forecast(state, history, 12, p.basePrice).reduce((n, d) => n + d.potions, 0) / 12;
  const mlWanted = perTick * POTION_ML * p.mlTargetTicks + BULK_BARREL_ML;
  const bulkSaving = perTick * POTION_ML * (SHORT_PER_ML - TYPICAL_BULK_PER_ML);
  if (
    state.mlUnits < p.maxMlUnits &&
    mlCapacity(state) < mlWanted &&
    bulkSaving * p.paybackTicks >= CAPACITY_UNIT_PRICE &&
    spare >= CAPACITY_UNIT_PRICE
  ) {
    order.ml_capacity = 1;
    spare -= CAPACITY_UNIT_PRICE;
  }
  const soon = forecast(state, history, p.bottleTicks, p.basePrice);
  const stockWanted = soon.reduce((n, d) => n + Math.ceil(d.potions) + 1, 0);
  const demandPerTick = soon.reduce((n, d) => n + d.potions, 0) / p.bottleTicks;
  const unstocked = Math.max(0, stockWanted - potionCapacity(state)) / Math.max(1, stockWanted);
  const lost = demandPerTick * unstocked * (p.basePrice - TYPICAL_BULK_PER_ML * POTION_ML);
  if (state.potionUnits < p.maxPotionUnits && lost * p.paybackTicks >= CAPACITY_UNIT_PRICE && spare >= CAPACITY_UNIT_PRICE) {
    order.potion_capacity = 1;
  }
  return order;
}
/** What bulk liquid usually costs per ml (spec: LARGE 0.04–0.075, mostly 0.05). */
const TYPICAL_BULK_PER_ML = 0.05;

export function createAdaptiveStrategy(params: Partial<AdaptiveParams> = {}): Strategy {
  const p = { ...DEFAULT_PARAMS, ...params };
  return {
    name: 'adaptive',
    barrels: (state, offers, history) => barrels(state, offers, history, p),
    bottling: (state, history) => bottling(state, history, p),
    catalog: (state, history) => catalog(state, history, p),
    capacity: (state, history) => capacityPlan(state, history, p),
  };
}

export const adaptiveStrategy: Strategy = createAdaptiveStrategy();
