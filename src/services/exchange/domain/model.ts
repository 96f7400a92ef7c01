/**
 * The world model of the Potion Exchange, in one table-driven file so the world can be tuned.
 *
 * Every number that shapes the economy lives in a table below. Everything random is drawn from
 * `worldRandom(seed, key, tick, purpose)`: a generator seeded per (run seed, shop key, tick, purpose), so a
 * shop's customers and offers never depend on which other shops exist or on what the shop did earlier
 * (except through its reputation, which scales how many customers come).
 *
 * Calibration (specs/exchange.md): at the best reputation about 6 visitors a tick on average (~500 a
 * week), fewer at night and on a class's quiet day; a perfect potion is worth 30–120 gold to a visitor
 * while its 100 ml of liquid costs 5–30 gold wholesale; about half the visitors to a shop that suits them
 * buy. `model.test.ts` checks these figures.
 */
import { type Random, seededRandom } from '../../../platform/random.js';

// ─── Calendar ──────────────────────────────────────────────────────────────────────────────────────
export const DAYS = ['Edgeday', 'Bloomday', 'Arcanaday', 'Hearthday', 'Crownday', 'Blesseday', 'Soulday'] as const;
export type Day = (typeof DAYS)[number];
export const TICKS_PER_DAY = 12;
export const TICKS_PER_WEEK = TICKS_PER_DAY * DAYS.length;

export interface GameTime {
  tick: number;
  day: Day;
  dayIndex: number;
  hour: number;
}

export function gameTime(tick: number): GameTime {
  if (!Number.isInteger(tick) || tick < 0) throw new RangeError(`tick must be a non-negative integer, got ${tick}`);
  const dayIndex = Math.floor(tick / TICKS_PER_DAY) % DAYS.length;
  return { tick, dayIndex, day: DAYS[dayIndex] as Day, hour: 2 * (tick % TICKS_PER_DAY) };
}

// ─── Schedule ──────────────────────────────────────────────────────────────────────────────────────
export type Cadence = 'seed' | 'current';
export const CADENCES: Record<Cadence, { bottlingEvery: number; barrelsEvery: number }> = {
  seed: { bottlingEvery: 2, barrelsEvery: 12 },
  current: { bottlingEvery: 2, barrelsEvery: 2 },
};

export interface Schedule {
  capacity: boolean;
  barrels: boolean;
  bottling: boolean;
  audit: boolean;
}

export function schedule(tick: number, cadence: Cadence): Schedule {
  const preset = CADENCES[cadence];
  return {
    capacity: tick % TICKS_PER_DAY === 0,
    barrels: tick % preset.barrelsEvery === 0,
    bottling: tick % preset.bottlingEvery === 0,
    audit: tick % TICKS_PER_DAY === TICKS_PER_DAY - 1,
  };
}

// ─── Randomness ────────────────────────────────────────────────────────────────────────────────────
export function worldRandom(seed: number, key: string, tick: number, purpose: string): Random {
  return seededRandom(`${seed}:${key}:${tick}:${purpose}`);
}

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

// ─── Customers ─────────────────────────────────────────────────────────────────────────────────────
export interface CustomerClass {
  name: string;
  mix: Mix;
  /** Relative traffic per even hour 0..22 (12 entries); 1 = the class's busy hours. */
  hours: number[];
  busiestDay: Day;
}

const h = (busy: number[]): number[] => Array.from({ length: 12 }, (_, i) => (busy.includes(i * 2) ? 1 : 0.3));

export const CLASSES: readonly CustomerClass[] = [
  { name: 'Warrior', mix: [100, 0, 0, 0], hours: h([8, 10, 12, 14, 16, 18]), busiestDay: 'Crownday' },
  { name: 'Seer', mix: [0, 100, 0, 0], hours: h([4, 6, 8, 10, 12]), busiestDay: 'Bloomday' },
  { name: 'Runesmith', mix: [0, 0, 100, 0], hours: h([0, 2, 4, 6]), busiestDay: 'Arcanaday' },
  { name: 'Hunter', mix: [50, 50, 0, 0], hours: h([4, 6, 18, 20]), busiestDay: 'Hearthday' },
  { name: 'Wolf-Warrior', mix: [75, 25, 0, 0], hours: h([16, 18, 20, 22]), busiestDay: 'Soulday' },
  { name: 'Shadow Walker', mix: [0, 0, 0, 100], hours: h([20, 22, 0, 2, 4]), busiestDay: 'Blesseday' },
  { name: 'Druid', mix: [0, 50, 50, 0], hours: h([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]), busiestDay: 'Edgeday' },
  { name: 'Bard', mix: [50, 0, 50, 0], hours: h([16, 18, 20, 22]), busiestDay: 'Soulday' },
];
export const CLASS_NAMES = CLASSES.map((c) => c.name);

/** Everybody is fewer at night: a world-wide factor per even hour 0..22. */
export const WORLD_HOURS = [0.45, 0.35, 0.35, 0.6, 0.9, 1, 1, 1, 1, 1, 0.9, 0.7];
export const BUSIEST_DAY_FACTOR = 1.6;
/** The quiet day is three days after the busiest. */
export const QUIET_DAY_FACTOR = 0.45;
/** Mean visitors per tick at the best reputation, over a week. */
export const TARGET_VISITORS_PER_TICK_AT_BEST = 6;

export function reputationMultiplier(score: number): number {
  return 0.25 + 1.5 * Math.min(1, Math.max(0, score));
}

function rawBase(c: CustomerClass, dayIndex: number, hour: number): number {
  const busiest = DAYS.indexOf(c.busiestDay);
  const dayFactor = dayIndex === busiest ? BUSIEST_DAY_FACTOR : dayIndex === (busiest + 3) % 7 ? QUIET_DAY_FACTOR : 1;
  const slot = hour / 2;
  return (c.hours[slot] ?? 0) * (WORLD_HOURS[slot] ?? 0) * dayFactor;
}

// Normalises the tables so the weekly mean at the best reputation is TARGET_VISITORS_PER_TICK_AT_BEST.
const RAW_WEEK_MEAN =
  Array.from({ length: TICKS_PER_WEEK }, (_, t) => {
    const g = gameTime(t);
    return CLASSES.reduce((sum, c) => sum + rawBase(c, g.dayIndex, g.hour), 0);
  }).reduce((a, b) => a + b, 0) / TICKS_PER_WEEK;
const BASE_SCALE = TARGET_VISITORS_PER_TICK_AT_BEST / reputationMultiplier(1) / RAW_WEEK_MEAN;

/** Mean visitors of a class at a time, before the reputation multiplier. */
export function baseVisitors(c: CustomerClass, dayIndex: number, hour: number): number {
  return rawBase(c, dayIndex, hour) * BASE_SCALE;
}

export function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}

export const SPECIES = [
  { name: 'Folk', weight: 0.5, wealthBase: 28, wealthPerLevel: 2.6 },
  { name: 'Álfar', weight: 0.15, wealthBase: 50, wealthPerLevel: 3.5 },
  { name: 'Dvergar', weight: 0.2, wealthBase: 44, wealthPerLevel: 3 },
  { name: 'Jötnar', weight: 0.15, wealthBase: 40, wealthPerLevel: 2.5 },
] as const;

/** Most gold a customer pays for a perfect potion. */
export function wealth(species: string, level: number): number {
  const s = SPECIES.find((x) => x.name === species) ?? SPECIES[0];
  return Math.round(s.wealthBase + s.wealthPerLevel * level);
}

/** Levels 1–20, mostly low (a squared uniform). */
function drawLevel(rng: Random): number {
  const u = rng.float();
  return 1 + Math.floor(19.999 * u * u);
}

function drawSpecies(rng: Random): string {
  let u = rng.float();
  for (const s of SPECIES) {
    if (u < s.weight) return s.name;
    u -= s.weight;
  }
  return SPECIES[0].name;
}

const FIRST_NAMES = ['Asa', 'Bjorn', 'Cira', 'Dag', 'Eir', 'Frey', 'Gunn', 'Hild', 'Ivar', 'Jora', 'Ketil', 'Liv', 'Mord', 'Nanna'];
const SURNAMES = ['Ashford', 'Brightwater', 'Coldmere', 'Dunhollow', 'Emberly', 'Frostvale', 'Greywind', 'Hollowell'];
/** Each class has this many regulars; a visitor is one of them, so the same customer returns over time. */
export const REGULARS_PER_CLASS = 400;

export interface Visitor {
  customer_id: string;
  customer_name: string;
  character_class: string;
  character_species: string;
  level: number;
  wealth: number;
  pickiness: number;
  wanted: Mix;
}

/** The visitors of one tick, class by class; draws per class so one class's count never shifts another's visitors. */
export function visitorsOfTick(seed: number, key: string, tick: number, multiplierOf: (className: string) => number): Visitor[] {
  const g = gameTime(tick);
  const visitors: Visitor[] = [];
  for (const c of CLASSES) {
    const rng = worldRandom(seed, key, tick, `visitors:${c.name}`);
    const count = poisson(rng, baseVisitors(c, g.dayIndex, g.hour) * multiplierOf(c.name));
    for (let i = 0; i < count; i++) visitors.push(drawVisitor(seed, c, rng));
  }
  return visitors;
}

function drawVisitor(seed: number, c: CustomerClass, rng: Random): Visitor {
  const regular = rng.int(1, REGULARS_PER_CLASS);
  // Who the regular is (species, level, name) is fixed per seed; the visit's mood is not.
  const who = seededRandom(`${seed}:regular:${c.name}:${regular}`);
  const species = drawSpecies(who);
  const level = drawLevel(who);
  const name = `${FIRST_NAMES[who.int(0, FIRST_NAMES.length - 1)]} ${SURNAMES[who.int(0, SURNAMES.length - 1)]}`;
  const pickiness = 0.5 + 0.45 * rng.float();
  const wanted = c.mix.map((v) => Math.max(0, v + rng.int(-3, 3))) as Mix;
  return {
    customer_id: `${c.name.toLowerCase().replace(/[^a-z]+/g, '-')}-${regular}`,
    customer_name: name,
    character_class: c.name,
    character_species: species,
    level,
    wealth: wealth(species, level),
    pickiness,
    wanted,
  };
}

// ─── Quality and purchase choice ───────────────────────────────────────────────────────────────────
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

// ─── Reputation ────────────────────────────────────────────────────────────────────────────────────
export interface Reputation {
  value: number;
  quality: number;
  reliability: number;
  /** Successful purchase trips; recognition = 1 − e^(−trips/50). */
  purchaseTrips: number;
  trips: number;
}

/** Running averages weigh the last ~this many observations (a plain mean until then). */
export const REPUTATION_WINDOW = 50;
export const RECOGNITION_SCALE = 50;

export function newReputation(): Reputation {
  return { value: 0.5, quality: 0.5, reliability: 1, purchaseTrips: 0, trips: 0 };
}

export function recognition(r: Reputation): number {
  return 1 - Math.exp(-r.purchaseTrips / RECOGNITION_SCALE);
}

export function reputationFactors(r: Reputation): { value: number; quality: number; reliability: number; recognition: number } {
  return { value: r.value, quality: r.quality, reliability: r.reliability, recognition: recognition(r) };
}

export function reputationScore(r: Reputation): number {
  const f = reputationFactors(r);
  return (f.value + f.quality + f.reliability + f.recognition) / 4;
}

const runningAverage = (avg: number, x: number, n: number) => avg + (x - avg) / Math.min(n, REPUTATION_WINDOW);

/** One customer trip: an error, a trip without purchase, or a purchase with its surplus share and quality. */
export function recordTrip(
  r: Reputation,
  trip: { error: boolean; purchase?: { surplus: number; willingness: number; quality: number } },
): Reputation {
  const trips = r.trips + 1;
  const next: Reputation = { ...r, trips, reliability: runningAverage(r.reliability, trip.error ? 0 : 1, trips) };
  if (!trip.error && trip.purchase) {
    const purchaseTrips = r.purchaseTrips + 1;
    const share = trip.purchase.willingness > 0 ? trip.purchase.surplus / trip.purchase.willingness : 0;
    next.purchaseTrips = purchaseTrips;
    next.value = runningAverage(r.value, Math.min(1, Math.max(0, share)), purchaseTrips);
    next.quality = runningAverage(r.quality, trip.purchase.quality, purchaseTrips);
  }
  return next;
}
