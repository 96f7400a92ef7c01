import { errors } from '../../platform/errors.js';
import { type BattleReport, fight } from './domain/battle.js';
import type { Battle, Player } from './schemas.js';
import type { BattleOutcome, BattleRow, PlayerRow, Scored } from './store/index.js';

export function toPlayer(row: PlayerRow): Player {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    gold: row.gold,
    silver: row.silver,
    attack: row.attack,
    hit_points: row.hitPoints,
    luck: row.luck,
    score: row.score,
    created_at: row.createdAt.toISOString(),
  };
}

export function toBattle(row: BattleRow): Battle {
  return {
    id: row.id,
    attacker_id: row.attackerId,
    defender_id: row.defenderId,
    status: row.status,
    submitted_at: row.submittedAt.toISOString(),
    finished_at: row.finishedAt ? row.finishedAt.toISOString() : null,
    winner_id: row.winnerId,
    loot: { gold: row.lootGold, silver: row.lootSilver },
    report: (row.report as BattleReport | null) ?? null,
  };
}

/** Runs the engine on the locked players and turns its result into the rows to write. */
export function outcomeOf(battleId: number, a: Scored, d: Scored, seed: string): BattleOutcome {
  const { score: aScore, ...attacker } = a;
  const { score: dScore, ...defender } = d;
  const result = fight(attacker, defender, seed);
  const { gold, silver } = result.loot;
  const sign = result.winner === 'attacker' ? 1 : result.winner === 'defender' ? -1 : 0;
  const stolen = gold + silver;
  return {
    battleId,
    winnerId: result.winner === 'attacker' ? a.id : result.winner === 'defender' ? d.id : null,
    lootGold: gold,
    lootSilver: silver,
    report: result.report,
    balances: [
      { id: a.id, gold: a.gold + sign * gold, silver: a.silver + sign * silver, score: aScore + (sign > 0 ? stolen : 0) },
      { id: d.id, gold: d.gold - sign * gold, silver: d.silver - sign * silver, score: dScore + (sign < 0 ? stolen : 0) },
    ],
  };
}

export function encodeCursor(lastId: number): string {
  return Buffer.from(`b:${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^b:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw errors.badRequest('next is not a cursor this API issued; pass the "next" value of the previous page unchanged.', 'BAD_CURSOR');
  }
  return id;
}
