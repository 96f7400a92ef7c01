/** A potion mix or an ml amount per colour: [red, green, blue, dark]. */
export type Mix = readonly [number, number, number, number];

export const COLOURS = ['red', 'green', 'blue', 'dark'] as const;
export type Colour = (typeof COLOURS)[number];

export const POTION_ML = 100;
export const POTIONS_PER_UNIT = 50;
export const ML_PER_UNIT = 10_000;
export const CAPACITY_UNIT_PRICE = 1_000;
export const MAX_UNITS_PER_PURCHASE = 10;
export const MAX_CATALOG_ITEMS = 6;
export const SKU_PATTERN = '^[A-Za-z0-9_]{1,20}$';

export function isValidMix(mix: readonly number[]): mix is Mix {
  return mix.length === 4 && mix.every((p) => Number.isInteger(p) && p >= 0) && mix.reduce((a, b) => a + b, 0) === POTION_ML;
}

/** A mix's sku, e.g. `MIX_50_50_0_0` (at most 20 characters, matches SKU_PATTERN). */
export function mixSku(mix: Mix): string {
  return `MIX_${mix.join('_')}`;
}

/** The mix of a sku made by mixSku, or undefined. */
export function skuMix(sku: string): Mix | undefined {
  const match = /^MIX_(\d{1,3})_(\d{1,3})_(\d{1,3})_(\d{1,3})$/.exec(sku);
  if (!match) return undefined;
  const mix = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
  return isValidMix(mix) ? mix : undefined;
}

const NAMED: Record<string, string> = {
  '100,0,0,0': 'red potion',
  '0,100,0,0': 'green potion',
  '0,0,100,0': 'blue potion',
  '0,0,0,100': 'dark potion',
  '50,50,0,0': 'yellow potion',
  '75,25,0,0': 'amber potion',
  '0,50,50,0': 'teal potion',
  '50,0,50,0': 'purple potion',
};

export function mixName(mix: Mix): string {
  return NAMED[mix.join(',')] ?? `${mix.join('/')} potion`;
}

export function mixDistance(a: Mix, b: Mix): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]);
}

/**
 * Normalizes a barrel's potion_type (fractions summing to 1.0, one-hot integers, or percentages summing
 * to 100) into fractions, or undefined when it is none of those (tolerance 0.01 on the sum).
 */
export function barrelFractions(potionType: readonly number[]): Mix | undefined {
  if (potionType.length !== 4 || potionType.some((p) => !Number.isFinite(p) || p < 0)) return undefined;
  const sum = potionType.reduce((a, b) => a + b, 0);
  const scale = Math.abs(sum - 1) <= 0.01 ? sum : Math.abs(sum - 100) <= 1 ? sum : undefined;
  if (scale === undefined || scale <= 0) return undefined;
  return potionType.map((p) => p / scale) as unknown as Mix;
}

/**
 * Splits `ml` across colours by `fractions` with the largest-remainder method, so the parts are
 * integers that sum exactly to `ml` (a mixed barrel's liquid is conserved).
 */
export function splitMl(ml: number, fractions: Mix): Mix {
  const exact = fractions.map((f) => f * ml);
  const parts = exact.map((x) => Math.floor(x));
  let rest = ml - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    rest--;
  }
  return parts as unknown as Mix;
}

export function addMix(a: Mix, b: Mix, times = 1): Mix {
  return [a[0] + b[0] * times, a[1] + b[1] * times, a[2] + b[2] * times, a[3] + b[3] * times];
}

export function sumMix(m: Mix): number {
  return m[0] + m[1] + m[2] + m[3];
}
