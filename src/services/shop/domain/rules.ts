import {
  addMix,
  CAPACITY_UNIT_PRICE,
  isValidMix,
  MAX_CATALOG_ITEMS,
  MAX_UNITS_PER_PURCHASE,
  type Mix,
  ML_PER_UNIT,
  POTIONS_PER_UNIT,
  SKU_PATTERN,
  splitMl,
  sumMix,
} from './mix.js';
import type { BarrelOffer, BarrelOrderLine, BottleLine, CapacityOrder, CatalogChoice, ShopState } from './types.js';

/** The spec's rules, shared by the deliveries (what may be honoured) and the plans (what may be asked). */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = <T>(reason: string): Checked<T> => ({ ok: false, reason });

export const potionCapacity = (s: Pick<ShopState, 'potionUnits'>) => s.potionUnits * POTIONS_PER_UNIT;
export const mlCapacity = (s: Pick<ShopState, 'mlUnits'>) => s.mlUnits * ML_PER_UNIT;
export const potionsHeld = (s: Pick<ShopState, 'stock'>) => s.stock.reduce((n, i) => n + i.quantity, 0);

/** A barrel delivery: cost and ml per colour it adds, or why it cannot be honoured. */
export function checkBarrelDelivery(state: ShopState, barrels: BarrelOffer[]): Checked<{ cost: number; ml: Mix }> {
  let cost = 0;
  let ml: Mix = [0, 0, 0, 0];
  for (const b of barrels) {
    if (b.quantity === 0) continue;
    cost += b.price * b.quantity;
    ml = addMix(ml, splitMl(b.mlPerBarrel * b.quantity, b.fractions));
  }
  if (cost > state.gold) return fail(`The barrels cost ${cost} gold but the shop holds ${state.gold}.`);
  const after = sumMix(state.ml) + sumMix(ml);
  if (after > mlCapacity(state)) return fail(`The barrels would bring the shop to ${after} ml; its capacity is ${mlCapacity(state)} ml.`);
  return { ok: true, value: { cost, ml } };
}

/** A barrel plan against the offer it answers: each sku offered, 1..offered, affordable, within capacity. */
export function checkBarrelPlan(state: ShopState, offers: BarrelOffer[], plan: BarrelOrderLine[]): Checked<true> {
  const seen = new Set<string>();
  const bought: BarrelOffer[] = [];
  for (const line of plan) {
    const offer = offers.find((o) => o.sku === line.sku);
    if (!offer) return fail(`sku ${line.sku} was not offered`);
    if (seen.has(line.sku)) return fail(`sku ${line.sku} appears twice`);
    seen.add(line.sku);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > offer.quantity)
      return fail(`bad quantity for ${line.sku}`);
    bought.push({ ...offer, quantity: line.quantity });
  }
  const delivery = checkBarrelDelivery(state, bought);
  return delivery.ok ? { ok: true, value: true } : delivery;
}

/** A bottling: ml used per colour and potions added, or why it cannot be honoured. */
export function checkBottling(state: ShopState, lines: BottleLine[]): Checked<{ ml: Mix; potions: number }> {
  let ml: Mix = [0, 0, 0, 0];
  let potions = 0;
  for (const line of lines) {
    if (!isValidMix(line.potion_type))
      return fail(`potion_type ${JSON.stringify(line.potion_type)} must be four non-negative integers summing to 100.`);
    if (!Number.isInteger(line.quantity) || line.quantity < 0) return fail('quantity must be a non-negative integer.');
    ml = addMix(ml, line.potion_type, line.quantity);
    potions += line.quantity;
  }
  const colours = ['red', 'green', 'blue', 'dark'];
  for (let c = 0; c < 4; c++) {
    if ((ml[c] ?? 0) > (state.ml[c] ?? 0)) return fail(`Bottling needs ${ml[c]} ml of ${colours[c]} but the shop holds ${state.ml[c]}.`);
  }
  const after = potionsHeld(state) + potions;
  if (after > potionCapacity(state))
    return fail(`Bottling would bring the shop to ${after} potions; its capacity is ${potionCapacity(state)}.`);
  return { ok: true, value: { ml, potions } };
}

export function checkBottlePlan(state: ShopState, lines: BottleLine[]): Checked<true> {
  if (lines.some((l) => l.quantity < 1)) return fail('a bottle plan line has quantity < 1');
  const keys = new Set(lines.map((l) => l.potion_type.join(',')));
  if (keys.size !== lines.length) return fail('a mix appears twice');
  const c = checkBottling(state, lines);
  return c.ok ? { ok: true, value: true } : c;
}

export function checkCapacity(state: ShopState, order: CapacityOrder): Checked<{ cost: number }> {
  for (const n of [order.potion_capacity, order.ml_capacity]) {
    if (!Number.isInteger(n) || n < 0 || n > MAX_UNITS_PER_PURCHASE)
      return fail(`Capacity units must be integers 0–${MAX_UNITS_PER_PURCHASE}.`);
  }
  const cost = (order.potion_capacity + order.ml_capacity) * CAPACITY_UNIT_PRICE;
  if (cost > state.gold) return fail(`The capacity costs ${cost} gold but the shop holds ${state.gold}.`);
  return { ok: true, value: { cost } };
}

export function checkCatalog(state: ShopState, items: CatalogChoice[]): Checked<true> {
  if (items.length > MAX_CATALOG_ITEMS) return fail('more than 6 items');
  const skus = new Set<string>();
  const sku = new RegExp(SKU_PATTERN);
  for (const item of items) {
    if (!sku.test(item.sku) || skus.has(item.sku)) return fail(`bad or repeated sku ${item.sku}`);
    skus.add(item.sku);
    if (!Number.isInteger(item.price) || item.price < 1 || item.price > 500) return fail(`bad price for ${item.sku}`);
    const held = state.stock.find((s) => s.sku === item.sku);
    if (!held || held.available < 1) return fail(`${item.sku} is not in stock`);
  }
  return { ok: true, value: true };
}
