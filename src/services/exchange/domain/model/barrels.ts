/** Storage, colours and the wholesale barrel market. */
import { worldRandom } from './time.js';

// ─── Storage and colours ───────────────────────────────────────────────────────────────────────────
export const COLOURS = ['red', 'green', 'blue', 'dark'] as const;
export type Colour = (typeof COLOURS)[number];
export type Mix = [number, number, number, number];
export const STARTING_GOLD = 100;
export const POTIONS_PER_CAPACITY_UNIT = 50;
export const ML_PER_CAPACITY_UNIT = 10_000;
export const CAPACITY_UNIT_PRICE = 1_000;
export const MAX_CAPACITY_UNITS_PER_ORDER = 10;
export const ML_PER_POTION = 100;

// ─── Wholesale barrels ─────────────────────────────────────────────────────────────────────────────
export interface BarrelListing {
  size: 'MINI' | 'SMALL' | 'MEDIUM' | 'LARGE';
  colour: Colour;
  price: number;
  ml: number;
  /** Chance the listing is on offer at a barrel tick. */
  offered: number;
  maxQuantity: number;
}

export const PRICE_LIST: readonly BarrelListing[] = [
  { size: 'MINI', colour: 'red', price: 60, ml: 200, offered: 0.7, maxQuantity: 10 },
  { size: 'MINI', colour: 'green', price: 60, ml: 200, offered: 0.7, maxQuantity: 10 },
  { size: 'MINI', colour: 'blue', price: 60, ml: 200, offered: 0.7, maxQuantity: 10 },
  { size: 'SMALL', colour: 'red', price: 100, ml: 500, offered: 0.9, maxQuantity: 10 },
  { size: 'SMALL', colour: 'green', price: 100, ml: 500, offered: 0.9, maxQuantity: 10 },
  { size: 'SMALL', colour: 'blue', price: 120, ml: 500, offered: 0.9, maxQuantity: 10 },
  { size: 'MEDIUM', colour: 'red', price: 250, ml: 2_500, offered: 0.75, maxQuantity: 10 },
  { size: 'MEDIUM', colour: 'green', price: 250, ml: 2_500, offered: 0.75, maxQuantity: 10 },
  { size: 'MEDIUM', colour: 'blue', price: 300, ml: 2_500, offered: 0.75, maxQuantity: 10 },
  { size: 'LARGE', colour: 'red', price: 500, ml: 10_000, offered: 0.5, maxQuantity: 30 },
  { size: 'LARGE', colour: 'green', price: 400, ml: 10_000, offered: 0.5, maxQuantity: 30 },
  { size: 'LARGE', colour: 'blue', price: 600, ml: 10_000, offered: 0.5, maxQuantity: 30 },
  { size: 'LARGE', colour: 'dark', price: 750, ml: 10_000, offered: 0.1, maxQuantity: 30 },
];

/** Cheapest wholesale gold per ml of each colour: what the books value stock at. */
export const CHEAPEST_PER_ML: Record<Colour, number> = Object.fromEntries(
  COLOURS.map((c) => [c, Math.min(...PRICE_LIST.filter((l) => l.colour === c).map((l) => l.price / l.ml))]),
) as Record<Colour, number>;

export interface Barrel {
  sku: string;
  ml_per_barrel: number;
  potion_type: number[];
  price: number;
  quantity: number;
}

export function barrelSku(l: Pick<BarrelListing, 'size' | 'colour'>): string {
  return `${l.size}_${l.colour.toUpperCase()}_BARREL`;
}

/** The wholesale offer of a barrel tick; `potion_type` as fractions summing to 1.0. */
export function wholesaleOffer(seed: number, key: string, tick: number): Barrel[] {
  const rng = worldRandom(seed, key, tick, 'barrels');
  const offer: Barrel[] = [];
  for (const listing of PRICE_LIST) {
    // Always draw both numbers so one listing's luck never shifts another's.
    const on = rng.float() < listing.offered;
    const quantity = rng.int(1, listing.maxQuantity);
    if (!on) continue;
    const potion_type = COLOURS.map((c) => (c === listing.colour ? 1 : 0));
    offer.push({ sku: barrelSku(listing), ml_per_barrel: listing.ml, potion_type, price: listing.price, quantity });
  }
  return offer;
}
