/** How good a potion is to a visitor, and what the visitor buys. */
import type { Random } from '../../../../platform/random.js';
import type { Mix } from './barrels.js';
import type { Visitor } from './customers.js';

export const MAX_DISTANCE = 141.42;

export function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return Math.sqrt(sum);
}

/** (cos(π·d/w)+1)/2 with w = 141.42·(1−p); 0 when d ≥ w. */
export function quality(offered: readonly number[], wanted: readonly number[], pickiness: number): number {
  const w = MAX_DISTANCE * (1 - pickiness);
  const d = distance(offered, wanted);
  if (w <= 0 || d >= w) return 0;
  return (Math.cos((Math.PI * d) / w) + 1) / 2;
}

export interface ShelfItem {
  sku: string;
  price: number;
  potion_type: Mix;
  /** Units still on the shelf for this visitor. */
  available: number;
}

export interface Choice {
  sku: string;
  quantity: number;
  price: number;
  quality: number;
  willingness: number;
  surplus: number;
}

/** 1 potion, 2 from wealth 60, 3 from wealth 90. */
export function maxPotionsFor(wealthOf: number): number {
  return 1 + (wealthOf >= 60 ? 1 : 0) + (wealthOf >= 90 ? 1 : 0);
}

/** The item with the largest positive surplus (ties: the cheaper, then the first listed), or undefined. */
export function choosePurchase(
  visitor: Pick<Visitor, 'wealth' | 'pickiness' | 'wanted'>,
  shelf: readonly ShelfItem[],
  rng: Random,
): Choice | undefined {
  let best: Choice | undefined;
  for (const item of shelf) {
    if (item.available < 1) continue;
    const q = quality(item.potion_type, visitor.wanted, visitor.pickiness);
    const willingness = visitor.wealth * q;
    const surplus = willingness - item.price;
    if (surplus <= 0) continue;
    if (!best || surplus > best.surplus || (surplus === best.surplus && item.price < best.price)) {
      best = { sku: item.sku, quantity: item.available, price: item.price, quality: q, willingness, surplus };
    }
  }
  if (!best) return undefined;
  const wanted = rng.int(1, maxPotionsFor(visitor.wealth));
  return { ...best, quantity: Math.min(wanted, best.quantity) };
}
