import type { Mix } from './mix.js';

/**
 * The prior: which mix each customer class wants and when it shops (the published Potion Exchange
 * customer table, specs/exchange.md). The adaptive strategy blends it with what the shop actually sold;
 * unknown day names simply weigh nothing extra.
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
/** The spec: clearly fewer visitors at night (22–6). */
export const NIGHT_SHARE = 0.5;
/** The spec: each class has a busiest day. */
export const BUSIEST_DAY_FACTOR = 1.6;

/**
 * Prior relative visitor rate of a class at a day and hour: 1 in its busy hours, less outside them
 * and at night, more on its busiest day. `day` undefined: no day effect.
 */
export function classWeight(profile: ClassProfile, day: number | undefined, hour: number): number {
  const h = hourSlot(hour) * 2;
  let w = profile.hours.includes(h) ? 1 : OFF_HOURS_SHARE;
  if (h >= 22 || h <= 6) w *= NIGHT_SHARE;
  if (day !== undefined && DAYS[day] === profile.busiestDay) w *= BUSIEST_DAY_FACTOR;
  return w;
}

/**
 * Prior demand per wanted mix over the next `ticks` ticks (two game hours each) from `day`/`hour`:
 * the sum of the class weights of every class that wants that mix, keyed by the mix.
 */
export function mixDemand(day: number | undefined, hour: number, ticks: number): Map<string, { mix: Mix; weight: number }> {
  const demand = new Map<string, { mix: Mix; weight: number }>();
  for (let k = 0; k < ticks; k++) {
    const h = hourSlot(hour) * 2 + 2 * k;
    const d = day === undefined ? undefined : (day + Math.floor(h / 24)) % DAYS.length;
    for (const profile of CLASS_PROFILES) {
      const key = profile.mix.join(',');
      const entry = demand.get(key) ?? { mix: profile.mix, weight: 0 };
      entry.weight += classWeight(profile, d, h % 24);
      demand.set(key, entry);
    }
  }
  return demand;
}
