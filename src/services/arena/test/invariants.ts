import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Db, queryRows } from '../../../platform/db.js';
import type { BattleReport } from '../domain/battle.js';

interface Row {
  id: number;
  attacker_id: number;
  defender_id: number;
  status: string;
  winner_id: number | null;
  loot_gold: number;
  loot_silver: number;
  processed_seq: number | null;
  report: BattleReport | null;
}

/**
 * Checks the queue guarantees on the final state: every battle done, each player's battles fought in
 * submission (id) order, each battle applied exactly once (every battle's stats snapshot equals the
 * balances the previous battle of that player left, and the last one left the final balance), gold
 * and silver conserved, and scores equal to the loot each player took.
 */
export async function expectQueueInvariants(
  db: Db,
  start: Map<number, { gold: number; silver: number }>,
  expectedBattles: number,
): Promise<void> {
  const battles = (await queryRows<Row>(db, sql`SELECT * FROM arena.battles ORDER BY id`)).map((b) => ({
    ...b,
    id: Number(b.id),
    attacker_id: Number(b.attacker_id),
    defender_id: Number(b.defender_id),
    winner_id: b.winner_id === null ? null : Number(b.winner_id),
    loot_gold: Number(b.loot_gold),
    loot_silver: Number(b.loot_silver),
    processed_seq: b.processed_seq === null ? null : Number(b.processed_seq),
  }));
  expect(battles).toHaveLength(expectedBattles);
  expect(battles.filter((b) => b.status !== 'done')).toEqual([]);
  expect(new Set(battles.map((b) => b.processed_seq)).size).toBe(battles.length);

  const players = await queryRows<{ id: number; gold: number; silver: number; score: number }>(
    db,
    sql`SELECT id, gold, silver, score FROM arena.players`,
  );
  const balance = new Map([...start].map(([id, b]) => [id, { ...b, score: 0, lastSeq: 0 }]));
  for (const b of battles) {
    const report = b.report as BattleReport;
    for (const [side, id] of [
      ['attacker', b.attacker_id],
      ['defender', b.defender_id],
    ] as const) {
      const state = balance.get(id);
      if (!state) throw new Error(`battle ${b.id} of unknown player ${id}`);
      // Fought after the player's previous battle, and saw exactly the balances it left.
      expect(b.processed_seq ?? 0, `battle ${b.id} of player ${id} fought out of order`).toBeGreaterThan(state.lastSeq);
      expect({ gold: report[side].gold, silver: report[side].silver }, `battle ${b.id} saw stale balances`).toEqual({
        gold: state.gold,
        silver: state.silver,
      });
      state.lastSeq = b.processed_seq ?? 0;
    }
    if (b.winner_id !== null) {
      const loserId = b.winner_id === b.attacker_id ? b.defender_id : b.attacker_id;
      const winner = balance.get(b.winner_id);
      const loser = balance.get(loserId);
      if (!winner || !loser) throw new Error('unknown winner');
      winner.gold += b.loot_gold;
      winner.silver += b.loot_silver;
      winner.score += b.loot_gold + b.loot_silver;
      loser.gold -= b.loot_gold;
      loser.silver -= b.loot_silver;
    } else {
      expect(b.loot_gold + b.loot_silver).toBe(0);
    }
  }
  let total = 0;
  let totalStart = 0;
  for (const p of players) {
    const expected = balance.get(Number(p.id));
    if (!expected) continue;
    expect({ gold: Number(p.gold), silver: Number(p.silver), score: Number(p.score) }).toEqual({
      gold: expected.gold,
      silver: expected.silver,
      score: expected.score,
    });
    total += Number(p.gold) + Number(p.silver);
  }
  for (const s of start.values()) totalStart += s.gold + s.silver;
  expect(total).toBe(totalStart);
}
