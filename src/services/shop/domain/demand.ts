import type { Mix } from './mix.js';

/**
 * The prior: which mix each customer class wants, when it shops and how much it pays (the published
 * Potion Exchange customer model, specs/exchange.md). The adaptive strategy scales it by what the shop
 * sold to each class; unknown day names count as an average day.
 */
export interface ClassProfile {
  name: string;
  mix: Mix;
  /** Even hours at which the class mostly shops. */
  hours: readonly number[];
  busiestDay: string;
}

const range = (from: number, to: number) => {
  const hours: number[] = [];
  for (let h = from, n = 0; n < 12; h = (h + 2) % 24, n++) {
    hours.push(h);
    if (h === to) break;
  }
  return hours;
};

export const CLASS_PROFILES: readonly ClassProfile[] = [
  { name: 'Warrior', mix: [100, 0, 0, 0], hours: range(8, 18), busiestDay: 'crownday' },
  { name: 'Seer', mix: [0, 100, 0, 0], hours: range(4, 12), busiestDay: 'bloomday' },
  { name: 'Runesmith', mix: [0, 0, 100, 0], hours: range(0, 6), busiestDay: 'arcanaday' },
  { name: 'Hunter', mix: [50, 50, 0, 0], hours: [4, 6, 18, 20], busiestDay: 'hearthday' },
  { name: 'Wolf-Warrior', mix: [75, 25, 0, 0], hours: range(16, 22), busiestDay: 'soulday' },
  { name: 'Shadow Walker', mix: [0, 0, 0, 100], hours: range(20, 4), busiestDay: 'blesseday' },
  { name: 'Druid', mix: [0, 50, 50, 0], hours: range(0, 22), busiestDay: 'edgeday' },
  { name: 'Bard', mix: [50, 0, 50, 0], hours: range(16, 22), busiestDay: 'soulday' },
];

export const WANTED_MIXES: readonly Mix[] = CLASS_PROFILES.map((c) => c.mix);

export const DAYS = ['edgeday', 'bloomday', 'arcanaday', 'hearthday', 'crownday', 'blesseday', 'soulday'] as const;

/** Day names arrive in several spellings; match loosely on letters only. */
export function dayIndex(day: string | null): number | undefined {
  if (!day) return undefined;
  const letters = day.toLowerCase().replace(/[^a-z]/g, '');
  const i = DAYS.findIndex((d) => letters.startsWith(d.slice(0, 4)));
  return i < 0 ? undefined : i;
}

/** Hour slot 0..11 of any hour (even hours 0–22; odd or out-of-range hours round and wrap). */
export function hourSlot(hour: number): number {
  return ((Math.round(hour / 2) % 12) + 12) % 12;
}

/** Outside its busy hours a class still comes, at this share. */
export const OFF_HOURS_SHARE = 0.3;
/** Each class has a busiest day… */
export const BUSIEST_DAY_FACTOR = 1.6;
/** …and a quiet day three days later. */
export const QUIET_DAY_FACTOR = 0.45;
/** Everybody is fewer at night: a world-wide share of visitors per even hour 0..22. */
export const HOUR_SHARE: readonly number[] = [0.45, 0.35, 0.35, 0.6, 0.9, 1, 1, 1, 1, 1, 0.9, 0.7];
/** Calibration: about 6 visitors a tick on average at the best reputation (multiplier 1.75). */
export const VISITORS_PER_TICK_AT_BEST = 6;
export const BEST_MULTIPLIER = 1.75;

/** Relative visitor rate of a class at a day and hour (day undefined: an average day). */
export function visitWeight(profile: ClassProfile, day: number | undefined, hour: number): number {
  const slot = hourSlot(hour);
  let w = (profile.hours.includes(slot * 2) ? 1 : OFF_HOURS_SHARE) * (HOUR_SHARE[slot] ?? 1);
  if (day !== undefined) {
    const busiest = DAYS.indexOf(profile.busiestDay as (typeof DAYS)[number]);
    if (day === busiest) w *= BUSIEST_DAY_FACTOR;
    else if (day === (busiest + 3) % DAYS.length) w *= QUIET_DAY_FACTOR;
  }
  return w;
}

const WEEK_MEAN_WEIGHT =
  Array.from({ length: 84 }, (_, t) => CLASS_PROFILES.reduce((n, p) => n + visitWeight(p, Math.floor(t / 12), (t % 12) * 2), 0)).reduce(
    (a, b) => a + b,
    0,
  ) / 84;

/** Expected visitors of a class in one tick at a reputation multiplier (0.25–1.75; 1 for a new shop). */
export function expectedVisitors(profile: ClassProfile, day: number | undefined, hour: number, multiplier: number): number {
  return (visitWeight(profile, day, hour) / WEEK_MEAN_WEIGHT) * (VISITORS_PER_TICK_AT_BEST / BEST_MULTIPLIER) * multiplier;
}

/**
 * The reputation multiplier a class likely gives the shop, from the potions it bought of that class's
 * mix (about 1.3 a purchase): a class never served stays at a new shop's 1.0; recognition grows with
 * purchases (1 − e^(−purchases/50)) next to the value, quality and reliability a well-run shop keeps
 * (about 0.3, 0.95 and 1).
 */
export function estimatedMultiplier(potionsSold: number): number {
  const purchases = potionsSold / 1.3;
  if (purchases < 1) return 1;
  const recognition = 1 - Math.exp(-purchases / 50);
  return 0.25 + 1.5 * ((0.3 + 0.95 + 1 + recognition) / 4);
}

/**
 * Potions a visitor of a class buys on average when the mix it wants is listed at `price`: willingness
 * is wealth (30–120 gold by species and level, mostly low levels) × quality (near 1 for the exact mix,
 * lower for picky visitors), and a buyer takes 1–3 potions by wealth. Tabulated from that model,
 * interpolated linearly; nobody pays 130.
 */
const PER_VISITOR: readonly (readonly [number, number])[] = [
  [0, 1.25],
  [20, 1.22],
  [30, 1.18],
  [35, 1.04],
  [40, 0.97],
  [45, 0.86],
  [50, 0.73],
  [55, 0.63],
  [60, 0.55],
  [65, 0.44],
  [70, 0.34],
  [80, 0.18],
  [90, 0.11],
  [100, 0.05],
  [130, 0],
];

export function potionsPerVisitor(price: number): number {
  let [p0, q0] = PER_VISITOR[0] as readonly [number, number];
  if (price <= p0) return q0;
  for (const [p1, q1] of PER_VISITOR.slice(1)) {
    if (price <= p1) return q0 + ((q1 - q0) * (price - p0)) / (p1 - p0);
    [p0, q0] = [p1, q1];
  }
  return 0;
}
