/** Customer classes, traffic, and the visitors of a tick. */
import { type Random, seededRandom } from '../../../../platform/random.js';
import type { Mix } from './barrels.js';
import { DAYS, type Day, gameTime, TICKS_PER_WEEK, worldRandom } from './time.js';

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
