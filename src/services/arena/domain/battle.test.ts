import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currentAttack, type Fighter, fight, LOOT_MAX_PPM, LOOT_MIN_PPM, lootShare, replay, TURN_LIMIT } from './battle.js';

const fighter = (over: Partial<Fighter> = {}): Fighter => ({
  id: 1,
  attack: 70,
  hitPoints: 100,
  luck: 10,
  gold: 1_000,
  silver: 500,
  ...over,
});

describe('currentAttack', () => {
  it('is the base attack at full health', () => {
    expect(currentAttack(70, 100, 100)).toBe(70);
  });
  it('loses 10 % of attack at 10 % health lost: 70 at 90/100 HP is 63', () => {
    expect(currentAttack(70, 90, 100)).toBe(63);
  });
  it('never falls below half the base attack: 35 at 50 HP or less', () => {
    expect(currentAttack(70, 50, 100)).toBe(35);
    expect(currentAttack(70, 30, 100)).toBe(35);
    expect(currentAttack(70, 1, 100)).toBe(35);
  });
  it('rounds the reduction up and the floor up', () => {
    // 1 HP of 3 lost = 33.3 % of 10 → reduction 3.33 rounds up to 4.
    expect(currentAttack(10, 2, 3)).toBe(6);
    // half of 7 rounded up is 4.
    expect(currentAttack(7, 1, 100)).toBe(4);
    expect(currentAttack(1, 1, 100)).toBe(1);
  });
});

describe('fight', () => {
  it('lets the attacker strike first and alternates', () => {
    const { report } = fight(fighter({ id: 1 }), fighter({ id: 2 }), 'seed-1');
    report.turns.forEach((t, i) => {
      expect(t.striker).toBe(i % 2 === 0 ? 'attacker' : 'defender');
      expect(t.striker_id).toBe(i % 2 === 0 ? 1 : 2);
    });
  });

  it('never misses against luck 0 and follows the worked example', () => {
    const { report, winner } = fight(fighter({ id: 1, luck: 0 }), fighter({ id: 2, luck: 0 }), 'any');
    expect(report.turns.every((t) => t.hit)).toBe(true);
    // A: 70 → B at 30. B (30 HP → attack 35) → A at 65. A (65 HP → 70 - 25 = 45) → B at 0.
    expect(report.turns.map((t) => [t.damage, t.attacker_hp, t.defender_hp])).toEqual([
      [70, 100, 30],
      [35, 65, 30],
      [45, 65, 0],
    ]);
    expect(winner).toBe('attacker');
  });

  it('always misses against luck 100 and ends in a draw at the turn limit with no loot', () => {
    const result = fight(fighter({ id: 1, luck: 100 }), fighter({ id: 2, luck: 100 }), 's');
    expect(result.report.turns).toHaveLength(TURN_LIMIT);
    expect(result.report.turns.every((t) => !t.hit && t.damage === 0)).toBe(true);
    expect(result.winner).toBeUndefined();
    expect(result.report.outcome).toBe('draw');
    expect(result.loot).toEqual({ gold: 0, silver: 0 });
  });

  it('takes 10–20 % of the loser’s gold and the same fraction of its silver, rounded down', () => {
    for (let i = 0; i < 200; i++) {
      const loser = fighter({ id: 2, luck: 0, hitPoints: 1, gold: 12_345, silver: 999 });
      const { loot, report, winner } = fight(fighter({ id: 1, luck: 0 }), loser, `loot-${i}`);
      expect(winner).toBe('attacker');
      const ppm = report.loot_fraction_ppm;
      expect(ppm).toBeGreaterThanOrEqual(LOOT_MIN_PPM);
      expect(ppm).toBeLessThanOrEqual(LOOT_MAX_PPM);
      expect(loot.gold).toBe(Math.floor((12_345 * ppm) / 1e6));
      expect(loot.silver).toBe(Math.floor((999 * ppm) / 1e6));
    }
  });

  it('computes loot exactly at the largest balances', () => {
    expect(lootShare(1_000_000_000, LOOT_MIN_PPM)).toBe(100_000_000);
    expect(lootShare(1_000_000_000, LOOT_MAX_PPM)).toBe(200_000_000);
    expect(lootShare(9, LOOT_MAX_PPM)).toBe(1);
  });
});

const fighterArb = (id: number) =>
  fc.record({
    id: fc.constant(id),
    attack: fc.integer({ min: 1, max: 10_000 }),
    hitPoints: fc.integer({ min: 1, max: 10_000 }),
    luck: fc.integer({ min: 0, max: 100 }),
    gold: fc.integer({ min: 0, max: 1_000_000_000 }),
    silver: fc.integer({ min: 0, max: 1_000_000_000 }),
  });

describe('fight properties', () => {
  const input = fc.record({ a: fighterArb(1), d: fighterArb(2), seed: fc.string() });

  it('never leaves hit points negative', () => {
    fc.assert(
      fc.property(input, ({ a, d, seed }) => {
        for (const t of fight(a, d, seed).report.turns) {
          if (t.attacker_hp < 0 || t.defender_hp < 0) return false;
        }
        return true;
      }),
    );
  });

  it('loots 10–20 % of each resource of the loser (rounded down), nothing on a draw', () => {
    fc.assert(
      fc.property(input, ({ a, d, seed }) => {
        const { winner, loot } = fight(a, d, seed);
        if (winner === undefined) return loot.gold === 0 && loot.silver === 0;
        const loser = winner === 'attacker' ? d : a;
        return (
          loot.gold >= Math.floor(loser.gold / 10) &&
          loot.gold <= Math.floor(loser.gold / 5) &&
          loot.silver >= Math.floor(loser.silver / 10) &&
          loot.silver <= Math.floor(loser.silver / 5)
        );
      }),
    );
  });

  it('conserves the two players’ total gold and silver', () => {
    fc.assert(
      fc.property(input, ({ a, d, seed }) => {
        const { winner, loot } = fight(a, d, seed);
        const sign = winner === 'attacker' ? 1 : winner === 'defender' ? -1 : 0;
        const after = { aGold: a.gold + sign * loot.gold, dGold: d.gold - sign * loot.gold };
        const afterSilver = { a: a.silver + sign * loot.silver, d: d.silver - sign * loot.silver };
        return (
          after.aGold + after.dGold === a.gold + d.gold &&
          afterSilver.a + afterSilver.d === a.silver + d.silver &&
          Math.min(after.aGold, after.dGold, afterSilver.a, afterSilver.d) >= 0
        );
      }),
    );
  });

  it('gives the same report for the same seed, and replays from the stored report', () => {
    fc.assert(
      fc.property(input, ({ a, d, seed }) => {
        const first = fight(a, d, seed);
        expect(fight(a, d, seed)).toEqual(first);
        expect(replay(JSON.parse(JSON.stringify(first.report)))).toEqual(first);
      }),
      { numRuns: 50 },
    );
  });

  it('ends with a side at 0 HP unless it hit the turn limit', () => {
    fc.assert(
      fc.property(input, ({ a, d, seed }) => {
        const { report, winner } = fight(a, d, seed);
        const last = report.turns.at(-1);
        if (!last) return false;
        if (winner === undefined) return report.turns.length === TURN_LIMIT && last.attacker_hp > 0 && last.defender_hp > 0;
        return (winner === 'attacker' ? last.defender_hp : last.attacker_hp) === 0;
      }),
    );
  });
});
