import { type Mix, mixName, mixSku, POTION_ML } from './mix.js';
import { checkBarrelDelivery, potionCapacity, potionsHeld } from './rules.js';
import type { BarrelOffer, BarrelOrderLine, BottleLine, Strategy } from './types.js';

const PURE: readonly Mix[] = [
  [100, 0, 0, 0],
  [0, 100, 0, 0],
  [0, 0, 100, 0],
  [0, 0, 0, 100],
];
const BASELINE_PRICE = 50;

/**
 * The spec's simple strategy: buy a small barrel of a colour when that colour has fewer than 10
 * potions, bottle all liquid into pure potions, list what is in stock at a fixed 50 gold.
 */
export const baselineStrategy: Strategy = {
  name: 'baseline',
  barrels(state, offers) {
    const plan: BarrelOrderLine[] = [];
    const bought: BarrelOffer[] = [];
    for (let c = 0; c < 4; c++) {
      const pure = PURE[c] as Mix;
      const held = state.stock.find((s) => s.sku === mixSku(pure))?.quantity ?? 0;
      if (held >= 10) continue;
      const small = offers.find((o) => o.quantity >= 1 && /small/i.test(o.sku) && (o.fractions[c] ?? 0) > 0.99 && o.mlPerBarrel > 0);
      if (!small || plan.some((p) => p.sku === small.sku)) continue;
      const next = [...bought, { ...small, quantity: 1 }];
      if (!checkBarrelDelivery(state, next).ok) continue;
      bought.push({ ...small, quantity: 1 });
      plan.push({ sku: small.sku, quantity: 1 });
    }
    return plan;
  },
  bottling(state) {
    let room = potionCapacity(state) - potionsHeld(state);
    const plan: BottleLine[] = [];
    for (let c = 0; c < 4 && room > 0; c++) {
      const n = Math.min(room, Math.floor((state.ml[c] ?? 0) / POTION_ML));
      if (n < 1) continue;
      plan.push({ potion_type: PURE[c] as Mix, quantity: n });
      room -= n;
    }
    return plan;
  },
  catalog(state) {
    return state.stock
      .filter((s) => s.available >= 1)
      .sort((a, b) => b.available - a.available || a.sku.localeCompare(b.sku))
      .slice(0, 6)
      .map((s) => ({ sku: s.sku, mix: s.mix, name: mixName(s.mix), price: BASELINE_PRICE }));
  },
  capacity() {
    return { potion_capacity: 0, ml_capacity: 0 };
  },
};
