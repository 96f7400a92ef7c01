/**
 * Checks of what a shop answers, against the wire contract (specs/shop.md) and the books. Each failure
 * is a sentence a person running the shop can act on; the tick engine records it as a job error.
 */
import { type Books, capacityCost, mixKey, mlLimit, potionLimit, totalMl, totalPotions } from './books.js';
import type { Barrel, Mix } from './model/index.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = <T>(error: string): Checked<T> => ({ ok: false, error });
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

export function checkMix(v: unknown, where: string): Checked<Mix> {
  if (!Array.isArray(v) || v.length !== 4) return fail(`${where}: potion_type must be 4 integers [r,g,b,d], got ${show(v)}`);
  if (!v.every(isInt)) return fail(`${where}: potion_type parts must be integers, got ${show(v)}`);
  if (v.some((p) => p < 0)) return fail(`${where}: potion_type ${show(v)} has a negative part`);
  const sum = v.reduce((a, b) => a + b, 0);
  if (sum !== 100) return fail(`${where}: potion_type ${show(v)} sums to ${sum}, not 100`);
  return { ok: true, value: v as Mix };
}

// ─── Capacity ──────────────────────────────────────────────────────────────────────────────────────
export interface CapacityPlan {
  potion_capacity: number;
  ml_capacity: number;
}

export function checkCapacityPlan(body: unknown, books: Books): Checked<CapacityPlan> {
  if (!isRecord(body) || !isInt(body.potion_capacity) || !isInt(body.ml_capacity)) {
    return fail(`capacity plan must be {potion_capacity: int, ml_capacity: int}, got ${show(body)}`);
  }
  const plan = { potion_capacity: body.potion_capacity, ml_capacity: body.ml_capacity };
  for (const key of ['potion_capacity', 'ml_capacity'] as const) {
    if (plan[key] < 0) return fail(`capacity plan asks for ${plan[key]} units of ${key}; it must be 0–10`);
    if (plan[key] > 10) return fail(`capacity plan asks for ${plan[key]} units of ${key}; at most 10 units per purchase`);
  }
  const cost = capacityCost(plan.potion_capacity, plan.ml_capacity);
  if (cost > books.gold) return fail(`capacity plan costs ${cost} gold but the shop has only ${books.gold} gold`);
  return { ok: true, value: plan };
}

// ─── Barrels ───────────────────────────────────────────────────────────────────────────────────────
export interface BarrelPurchase {
  bought: Barrel[];
  cost: number;
  ml: [number, number, number, number];
}

export function checkBarrelPlan(body: unknown, offer: readonly Barrel[], books: Books): Checked<BarrelPurchase> {
  if (!Array.isArray(body)) return fail(`barrel plan must be a list of {sku, quantity}, got ${show(body)}`);
  const bought: Barrel[] = [];
  const seen = new Set<string>();
  let cost = 0;
  const ml: [number, number, number, number] = [0, 0, 0, 0];
  for (const [i, item] of body.entries()) {
    if (!isRecord(item) || typeof item.sku !== 'string' || !isInt(item.quantity)) {
      return fail(`barrel plan item ${i} must be {sku: string, quantity: int}, got ${show(item)}`);
    }
    const offered = offer.find((b) => b.sku === item.sku);
    if (!offered) return fail(`barrel plan asks for ${show(item.sku)}, which is not on offer this tick`);
    if (seen.has(item.sku)) return fail(`barrel plan lists ${item.sku} twice`);
    seen.add(item.sku);
    if (item.quantity < 1)
      return fail(`barrel plan asks for ${item.quantity} of ${item.sku}; quantity must be at least 1 (leave it out instead)`);
    if (item.quantity > offered.quantity) {
      return fail(`barrel plan asks for ${item.quantity} of ${item.sku} but only ${offered.quantity} are offered`);
    }
    cost += offered.price * item.quantity;
    for (let c = 0; c < 4; c++) ml[c] = (ml[c] ?? 0) + Math.round(offered.ml_per_barrel * item.quantity * (offered.potion_type[c] ?? 0));
    bought.push({ ...offered, quantity: item.quantity });
  }
  if (cost > books.gold) return fail(`barrel plan costs ${cost} gold but the shop has only ${books.gold} gold`);
  const after = totalMl(books) + ml.reduce((a, b) => a + b, 0);
  if (after > mlLimit(books)) return fail(`barrel plan would hold ${after} ml but the shop's ml capacity is ${mlLimit(books)}`);
  return { ok: true, value: { bought, cost, ml } };
}

// ─── Bottling ──────────────────────────────────────────────────────────────────────────────────────
export interface BottlePlanItem {
  potion_type: Mix;
  quantity: number;
}

export function checkBottlePlan(body: unknown, books: Books): Checked<BottlePlanItem[]> {
  if (!Array.isArray(body)) return fail(`bottle plan must be a list of {potion_type, quantity}, got ${show(body)}`);
  const items: BottlePlanItem[] = [];
  const used: [number, number, number, number] = [0, 0, 0, 0];
  let potions = 0;
  for (const [i, item] of body.entries()) {
    if (!isRecord(item)) return fail(`bottle plan item ${i} must be {potion_type, quantity}, got ${show(item)}`);
    const mix = checkMix(item.potion_type, `bottle plan item ${i}`);
    if (!mix.ok) return mix;
    if (!isInt(item.quantity) || item.quantity < 1)
      return fail(`bottle plan item ${i}: quantity must be an integer ≥ 1, got ${show(item.quantity)}`);
    for (let c = 0; c < 4; c++) used[c] = (used[c] ?? 0) + (mix.value[c] ?? 0) * item.quantity;
    potions += item.quantity;
    items.push({ potion_type: mix.value, quantity: item.quantity });
  }
  const colours = ['red', 'green', 'blue', 'dark'];
  for (let c = 0; c < 4; c++) {
    if ((used[c] ?? 0) > (books.ml[c] ?? 0)) {
      return fail(`bottle plan needs ${used[c]} ml of ${colours[c]} but the shop holds only ${books.ml[c]} ml`);
    }
  }
  const after = totalPotions(books) + potions;
  if (after > potionLimit(books))
    return fail(`bottle plan would hold ${after} potions but the shop's potion capacity is ${potionLimit(books)}`);
  return { ok: true, value: items };
}

// ─── Catalog ───────────────────────────────────────────────────────────────────────────────────────
export interface CatalogItem {
  sku: string;
  name: string;
  quantity: number;
  price: number;
  potion_type: Mix;
}

export interface CheckedCatalog {
  items: CatalogItem[];
  /** Problems with single items (those items are ignored); the rest of the catalog stands. */
  problems: string[];
  /** True when an item listed potions the books say the shop does not hold. */
  missingStock: boolean;
}

const SKU = /^[A-Za-z0-9_]{1,20}$/;

export function checkCatalog(body: unknown, books: Books): Checked<CheckedCatalog> {
  if (!Array.isArray(body)) return fail(`catalog must be a list of items, got ${show(body)}`);
  if (body.length > 6) return fail(`catalog lists ${body.length} items; at most 6 are allowed`);
  const items: CatalogItem[] = [];
  const problems: string[] = [];
  const listedPerMix = new Map<string, number>();
  const skus = new Set<string>();
  let missingStock = false;
  for (const [i, raw] of body.entries()) {
    const where = `catalog item ${i}${isRecord(raw) && typeof raw.sku === 'string' ? ` (${raw.sku})` : ''}`;
    if (!isRecord(raw)) {
      problems.push(`${where} must be an object, got ${show(raw)}`);
      continue;
    }
    if (typeof raw.sku !== 'string' || !SKU.test(raw.sku)) {
      problems.push(`${where}: sku must match ^[A-Za-z0-9_]{1,20}$, got ${show(raw.sku)}`);
      continue;
    }
    if (skus.has(raw.sku)) {
      problems.push(`${where}: sku listed twice; one price per sku`);
      continue;
    }
    if (!isInt(raw.price) || raw.price < 1 || raw.price > 500) {
      problems.push(`${where}: price must be an integer 1–500, got ${show(raw.price)}`);
      continue;
    }
    if (!isInt(raw.quantity) || raw.quantity < 1 || raw.quantity > 10_000) {
      problems.push(`${where}: quantity must be an integer 1–10000, got ${show(raw.quantity)}`);
      continue;
    }
    const mix = checkMix(raw.potion_type, where);
    if (!mix.ok) {
      problems.push(mix.error);
      continue;
    }
    const key = mixKey(mix.value);
    const listed = (listedPerMix.get(key) ?? 0) + raw.quantity;
    const held = books.potions[key] ?? 0;
    if (listed > held) {
      problems.push(`${where} lists ${raw.quantity} of [${key}] but the books say the shop holds ${held}; item ignored`);
      missingStock = true;
      continue;
    }
    listedPerMix.set(key, listed);
    skus.add(raw.sku);
    items.push({
      sku: raw.sku,
      name: typeof raw.name === 'string' ? raw.name : raw.sku,
      quantity: raw.quantity,
      price: raw.price,
      potion_type: mix.value,
    });
  }
  return { ok: true, value: { items, problems, missingStock } };
}

// ─── Checkout and audit ────────────────────────────────────────────────────────────────────────────
export function checkCheckout(body: unknown, expected: { potions: number; gold: number }): Checked<{ potions: number; gold: number }> {
  if (!isRecord(body) || !isInt(body.total_potions_bought) || !isInt(body.total_gold_paid)) {
    return fail(`checkout must answer {total_potions_bought: int, total_gold_paid: int}, got ${show(body)}`);
  }
  if (body.total_gold_paid !== expected.gold) {
    return fail(`checkout charged ${body.total_gold_paid} gold but the listed price × quantity is ${expected.gold}`);
  }
  if (body.total_potions_bought !== expected.potions) {
    return fail(`checkout sold ${body.total_potions_bought} potions but the cart held ${expected.potions}`);
  }
  return { ok: true, value: { potions: expected.potions, gold: expected.gold } };
}

export function checkCartCreated(body: unknown): Checked<number> {
  if (!isRecord(body) || !isInt(body.cart_id)) return fail(`new cart must answer {cart_id: int}, got ${show(body)}`);
  return { ok: true, value: body.cart_id };
}

export function checkAuditShape(body: unknown): Checked<{ number_of_potions: number; ml_in_barrels: number; gold: number }> {
  if (!isRecord(body) || !isInt(body.number_of_potions) || !isInt(body.ml_in_barrels) || !isInt(body.gold)) {
    return fail(`audit must answer {number_of_potions: int, ml_in_barrels: int, gold: int}, got ${show(body)}`);
  }
  return { ok: true, value: { number_of_potions: body.number_of_potions, ml_in_barrels: body.ml_in_barrels, gold: body.gold } };
}
