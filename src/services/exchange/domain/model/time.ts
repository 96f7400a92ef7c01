/** The calendar, the job schedule and the per-(seed, shop, tick, purpose) random generator of the world. */
import { type Random, seededRandom } from '../../../../platform/random.js';

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
