import { dayIndex, mixDemand } from './demand.js';
import { addMix, CAPACITY_UNIT_PRICE, MAX_CATALOG_ITEMS, type Mix, mixDistance, mixName, mixSku, POTION_ML } from './mix.js';
import { mlCapacity, potionCapacity, potionsHeld } from './rules.js';
import type { BarrelOrderLine, BottleLine, CatalogChoice, SalesHistory, ShopState, Strategy } from './types.js';

/**
 * Price of a wanted mix: just under the baseline's 50, so every customer the baseline would serve is
 * served with a surplus (value reputation), at roughly 5–10× the liquid's cost.
 */
export const ADAPTIVE_PRICE = 48;
/** Scarce stock (less than a tick's expected demand) is worth a little more. */
const SCARCITY_MARKUP = 5;
/** Mixes nobody asked for sell only to the least picky visitors. */
const OFF_TARGET_PRICE = 15;
const CAPACITY_RESERVE = 700;

interface Weighted {
  mix: Mix;
  weight: number;
}

/** Demand shares over the next `ticks` ticks: the class prior blended with what actually sold then. */
export function demandShares(state: ShopState, history: SalesHistory, ticks: number): Weighted[] {
  const hour = state.hour ?? 0;
  const prior = [...mixDemand(dayIndex(state.day), hour, ticks).values()];
  const priorTotal = prior.reduce((n, p) => n + p.weight, 0);
  const slots = Array.from({ length: ticks }, (_, k) => (((hour / 2 + k) % 12) + 12) % 12);
  const sold = prior.map((p) => slots.reduce((n, s) => n + (history.soldBySkuHour[mixSku(p.mix)]?.[s] ?? 0), 0));
  const soldTotal = sold.reduce((a, b) => a + b, 0);
  // Trust what sold once there is enough of it; until then the prior alone.
  const learned = Math.min(0.5, soldTotal / 100);
  return prior.map((p, i) => ({
    mix: p.mix,
    weight: (1 - learned) * (p.weight / priorTotal) + (soldTotal > 0 ? learned * ((sold[i] ?? 0) / soldTotal) : 0),
  }));
}

function nearestWanted(mix: Mix, shares: Weighted[]): Weighted | undefined {
  return shares.find((s) => mixDistance(s.mix, mix) <= 5);
}

function catalog(state: ShopState, history: SalesHistory): CatalogChoice[] {
  const now = demandShares(state, history, 2);
  const expectedPerTick = Math.max(1, history.soldLastDay / 12);
  return state.stock
    .filter((s) => s.available >= 1)
    .map((s) => ({ s, wanted: nearestWanted(s.mix, now) }))
    .sort((a, b) => (b.wanted?.weight ?? 0) - (a.wanted?.weight ?? 0) || b.s.available - a.s.available || a.s.sku.localeCompare(b.s.sku))
    .slice(0, MAX_CATALOG_ITEMS)
    .map(({ s, wanted }) => {
      const scarce = wanted !== undefined && s.available < wanted.weight * expectedPerTick * 2;
      const price = wanted === undefined ? OFF_TARGET_PRICE : ADAPTIVE_PRICE + (scarce ? SCARCITY_MARKUP : 0);
      return { sku: s.sku, mix: s.mix, name: mixName(s.mix), price };
    });
}

function bottling(state: ShopState, history: SalesHistory): BottleLine[] {
  const shares = demandShares(state, history, 6);
  const capacity = potionCapacity(state);
  let room = capacity - potionsHeld(state);
  const ml = [...state.ml];
  const have = shares.map((s) => state.stock.find((i) => i.sku === mixSku(s.mix))?.quantity ?? 0);
  const made = shares.map(() => 0);
  while (room > 0) {
    let best = -1;
    let bestScore = 0;
    shares.forEach((s, i) => {
      if (s.mix.some((part, c) => part > (ml[c] ?? 0))) return;
      // No mix crowds out the others: liquid left unbottled waits for the mixes it lacks.
      if ((have[i] ?? 0) + (made[i] ?? 0) >= Math.max(3, Math.ceil(s.weight * capacity * 1.5))) return;
      const score = s.weight / ((have[i] ?? 0) + (made[i] ?? 0) + 1);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    const chosen = shares[best];
    if (!chosen) break;
    chosen.mix.forEach((part, c) => {
      ml[c] = (ml[c] ?? 0) - part;
    });
    made[best] = (made[best] ?? 0) + 1;
    room--;
  }
  return shares.map((s, i) => ({ potion_type: s.mix, quantity: made[i] ?? 0 })).filter((l) => l.quantity > 0);
}

function barrels(state: ShopState, offers: Parameters<Strategy['barrels']>[1], history: SalesHistory): BarrelOrderLine[] {
  const shares = demandShares(state, history, 12);
  const capacity = mlCapacity(state);
  // Colour needs of the coming day's mixes, as a share of ml capacity.
  // Liquid already bottled counts as held: potions in stock are that colour's supply too.
  const held = state.stock.reduce((m, i) => addMix(m, i.mix, i.quantity), state.ml);
  const deficit = [0, 1, 2, 3].map(
    (c) => shares.reduce((n, s) => n + s.weight * ((s.mix[c] ?? 0) / POTION_ML), 0) * capacity - (held[c] ?? 0),
  );
  // A small reserve once the shop can spare it; early on every coin goes into liquid.
  let budget = state.gold - (state.gold > 1_000 ? Math.floor(state.gold * 0.05) : 0);
  let room = capacity - state.ml.reduce((a, b) => a + b, 0);
  const left = new Map(offers.map((o) => [o.sku, o.quantity]));
  const plan = new Map<string, number>();
  for (let guard = 0; guard < 1000; guard++) {
    let best: (typeof offers)[number] | undefined;
    let bestValue = 0;
    for (const o of offers) {
      if ((left.get(o.sku) ?? 0) < 1 || o.mlPerBarrel <= 0 || o.price > budget || o.mlPerBarrel > room) continue;
      const useful = [0, 1, 2, 3].reduce((n, c) => n + Math.min(Math.max(deficit[c] ?? 0, 0), o.mlPerBarrel * (o.fractions[c] ?? 0)), 0);
      if (useful < o.mlPerBarrel * 0.5) continue;
      const value = useful / Math.max(o.price, 0.001);
      if (value > bestValue) {
        bestValue = value;
        best = o;
      }
    }
    if (!best) break;
    left.set(best.sku, (left.get(best.sku) ?? 0) - 1);
    plan.set(best.sku, (plan.get(best.sku) ?? 0) + 1);
    budget -= best.price;
    room -= best.mlPerBarrel;
    for (let c = 0; c < 4; c++) deficit[c] = (deficit[c] ?? 0) - best.mlPerBarrel * (best.fractions[c] ?? 0);
  }
  return [...plan].map(([sku, quantity]) => ({ sku, quantity }));
}

function capacityPlan(state: ShopState, history: SalesHistory) {
  let affordable = Math.floor(Math.max(0, state.gold - CAPACITY_RESERVE) / CAPACITY_UNIT_PRICE);
  let ml_capacity = 0;
  let potion_capacity = 0;
  // A day's sales that fill most of the liquid one barrel round can hold: more ml pays back within days.
  if (affordable > 0 && history.soldLastDay * POTION_ML >= 0.6 * mlCapacity(state)) {
    ml_capacity = 1;
    affordable--;
  }
  if (affordable > 0 && history.soldLastDay >= potionCapacity(state)) potion_capacity = 1;
  return { potion_capacity, ml_capacity };
}

export const adaptiveStrategy: Strategy = { name: 'adaptive', barrels, bottling, catalog, capacity: capacityPlan };
