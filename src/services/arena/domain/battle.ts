import { seededRandom } from '../../../platform/random.js';

/**
 * The battle engine: a pure function of the two fighters' stats and balances at processing time and
 * a seed. The same input and seed always give the same report, so a stored battle can be replayed.
 */

/** Strikes (both sides counted) after which a battle is a draw with no loot. */
export const TURN_LIMIT = 1_000;
/** Loot fraction bounds in parts per million (10 % – 20 %, inclusive). */
export const LOOT_MIN_PPM = 100_000;
export const LOOT_MAX_PPM = 200_000;

export interface Fighter {
  id: number;
  attack: number;
  hitPoints: number;
  /** Chance in % that a strike against this fighter misses. */
  luck: number;
  gold: number;
  silver: number;
}

export type Side = 'attacker' | 'defender';

export interface Turn {
  turn: number;
  striker: Side;
  striker_id: number;
  hit: boolean;
  damage: number;
  attacker_hp: number;
  defender_hp: number;
}

export interface BattleReport {
  seed: string;
  turn_limit: number;
  attacker: Fighter;
  defender: Fighter;
  turns: Turn[];
  outcome: 'attacker_won' | 'defender_won' | 'draw';
  /** The loot fraction drawn, in parts per million (0 on a draw). */
  loot_fraction_ppm: number;
}

export interface BattleResult {
  winner: Side | undefined;
  loot: { gold: number; silver: number };
  report: BattleReport;
}

/**
 * Attack at the current health: lost % of health costs the same % of attack (the reduction rounded
 * up), never below half the base attack (rounded up). 70 at 90/100 HP → 63; at ≤ 50/100 → 35.
 */
export function currentAttack(baseAttack: number, hp: number, maxHp: number): number {
  const lost = Math.max(0, maxHp - hp);
  const reduction = ceilDiv(baseAttack * lost, maxHp);
  return Math.max(baseAttack - reduction, ceilDiv(baseAttack, 2));
}

/** `amount` times `ppm` parts per million, rounded down (exact in integers up to 2^53). */
export function lootShare(amount: number, ppm: number): number {
  return Math.floor((amount * ppm) / 1_000_000);
}

export function fight(attacker: Fighter, defender: Fighter, seed: string, turnLimit = TURN_LIMIT): BattleResult {
  const random = seededRandom(seed);
  const hp: Record<Side, number> = { attacker: attacker.hitPoints, defender: defender.hitPoints };
  const fighters: Record<Side, Fighter> = { attacker, defender };
  const turns: Turn[] = [];
  let striker: Side = 'attacker';
  let winner: Side | undefined;
  for (let turn = 1; turn <= turnLimit; turn++) {
    const target: Side = striker === 'attacker' ? 'defender' : 'attacker';
    const self = fighters[striker];
    // One draw per strike, even at luck 0 or 100, so the sequence does not depend on the stats.
    const hit = random.float() * 100 >= fighters[target].luck;
    const damage = hit ? currentAttack(self.attack, hp[striker], self.hitPoints) : 0;
    hp[target] = Math.max(0, hp[target] - damage);
    turns.push({ turn, striker, striker_id: self.id, hit, damage, attacker_hp: hp.attacker, defender_hp: hp.defender });
    if (hp[target] === 0) {
      winner = striker;
      break;
    }
    striker = target;
  }
  const loser = winner === undefined ? undefined : fighters[winner === 'attacker' ? 'defender' : 'attacker'];
  const ppm = loser ? random.int(LOOT_MIN_PPM, LOOT_MAX_PPM) : 0;
  const loot = loser ? { gold: lootShare(loser.gold, ppm), silver: lootShare(loser.silver, ppm) } : { gold: 0, silver: 0 };
  return {
    winner,
    loot,
    report: {
      seed,
      turn_limit: turnLimit,
      attacker: { ...attacker },
      defender: { ...defender },
      turns,
      outcome: winner === undefined ? 'draw' : winner === 'attacker' ? 'attacker_won' : 'defender_won',
      loot_fraction_ppm: ppm,
    },
  };
}

/** Fights a stored battle again from its report: gives the same report. */
export function replay(report: BattleReport): BattleResult {
  return fight(report.attacker, report.defender, report.seed, report.turn_limit);
}

function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}
