import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../platform/db.js';
import type { BattleReport, Fighter } from '../domain/battle.js';

type Num = number | string;

export interface BattleOutcome {
  battleId: number;
  winnerId: number | null;
  lootGold: number;
  lootSilver: number;
  report: BattleReport;
  /** New balances and scores of both players (absolute values, computed under their row locks). */
  balances: { id: number; gold: number; silver: number; score: number }[];
}

export interface RoundResult {
  /** Battles this round fought. */
  fought: number[];
  /** Of the watched battles, those done now (by this round or earlier by anyone) or that do not exist. */
  done: number[];
  /** Final scores of this round's winners (for the leaderboard, after the commit). */
  scores: Map<number, number>;
}

/** A Postgres bigint[] literal (ids are integers, so this cannot inject). */
export const idArray = (ids: number[]) => `{${ids.map((id) => String(Math.trunc(id))).join(',')}}`;

export type Scored = Fighter & { score: number };

/**
 * The battle queue's rounds. `driver` 'pg': a round holds its players FOR NO KEY UPDATE, which
 * submissions (FOR KEY SHARE) do not wait for, and upgrades them to FOR UPDATE only for a moment, in a
 * savepoint, to wait out unfinished submissions (one multi-statement round trip, which node-postgres
 * sends when there are no parameters). Otherwise (PGlite, one session) it holds FOR UPDATE.
 */
export function createRounds(db: Db, driver: 'pg' | 'pglite') {
  const briefUpgrade = driver === 'pg';
  return {
    /**
     * One round of the battle queue, in one transaction: takes the oldest unfinished battles (at most
     * `limit`) that no other round holds (FOR UPDATE SKIP LOCKED), then locks their players in id
     * order (one statement, so rounds never deadlock), waiting for other rounds and — through FOR
     * UPDATE, held throughout or only for a moment (see above) — for unfinished submissions, which
     * hold their players FOR KEY SHARE until they commit. Then, in a fresh statement, which sees
     * every battle of those players drawn before the locks were granted, it reads each player's oldest
     * unfinished battle outside the round. Battles are fought in id order on the locked balances,
     * carried from one to the next; one whose player has an older unfinished battle (outside the
     * round, or skipped in it) is skipped, and so are its players' later ones. The effects (balances,
     * scores, reports, `done`, `processed_seq`) are written by one statement. Rounds of several
     * workers take disjoint battles; those sharing players follow one another.
     * `watch`: battle ids whose state the caller wants (its jobs' battles).
     */
    async fightOldest(
      limit: number,
      watch: number[],
      fightWith: (battleId: number, attacker: Scored, defender: Scored, seed: string) => BattleOutcome,
    ): Promise<RoundResult> {
      return db.transaction(async (tx) => {
        const taken = await queryRows<
          LockedPlayer & { kind: 'p' | 'b'; attacker_id: Num | null; defender_id: Num | null; seed: string | null }
        >(
          tx,
          sql`WITH picked AS MATERIALIZED (
                SELECT id, attacker_id, defender_id, seed FROM arena.battles WHERE status <> 'done'
                ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED),
              locked AS MATERIALIZED (
                SELECT p.id, p.gold, p.silver, p.attack, p.hit_points, p.luck, p.score FROM arena.players p
                WHERE p.id IN (SELECT attacker_id FROM picked UNION SELECT defender_id FROM picked)
                ORDER BY p.id FOR ${sql.raw(briefUpgrade ? 'NO KEY UPDATE' : 'UPDATE')})
              SELECT 'p' AS kind, id, gold, silver, attack, hit_points, luck, score,
                     NULL::bigint AS attacker_id, NULL::bigint AS defender_id, NULL::text AS seed FROM locked
              UNION ALL
              SELECT 'b', id, NULL, NULL, NULL, NULL, NULL, NULL, attacker_id, defender_id, seed FROM picked`,
        );
        const fighters = new Map(taken.filter((r) => r.kind === 'p').map((p) => [Number(p.id), toFighter(p)]));
        const picked = taken.filter((r) => r.kind === 'b').sort((x, y) => Number(x.id) - Number(y.id));
        const pickedIds = idArray(picked.map((b) => Number(b.id)));
        if (briefUpgrade && fighters.size > 0) {
          // FOR UPDATE waits for the submissions still holding these players FOR KEY SHARE; rolling
          // back to the savepoint drops it again (the NO KEY UPDATE locks stay), so that later
          // submissions go on. Their battles get later ids than any battle of this round.
          const list = [...fighters.keys()].map((id) => String(Math.trunc(id))).join(',');
          await tx.execute(
            sql.raw(`SAVEPOINT arena_round;
              SELECT 1 FROM arena.players WHERE id IN (${list}) ORDER BY id FOR UPDATE;
              ROLLBACK TO SAVEPOINT arena_round`),
          );
        }
        const maxPicked = Number(picked.at(-1)?.id ?? 0);
        // Per locked player, its oldest unfinished battle outside the round (which must be fought
        // first); and which watched battles are done.
        const rows = await queryRows<{ kind: 'p' | 'w'; id: Num; earlier: Num | null; done: boolean | null }>(
          tx,
          sql`SELECT 'p' AS kind, p.id, LEAST(
                (SELECT min(e.id) FROM arena.battles e WHERE e.attacker_id = p.id AND e.status <> 'done'
                   AND e.id < ${maxPicked} AND e.id <> ALL(${pickedIds}::bigint[])),
                (SELECT min(e.id) FROM arena.battles e WHERE e.defender_id = p.id AND e.status <> 'done'
                   AND e.id < ${maxPicked} AND e.id <> ALL(${pickedIds}::bigint[]))) AS earlier, NULL::boolean AS done
              FROM unnest(${idArray([...fighters.keys()])}::bigint[]) AS p(id)
              UNION ALL
              SELECT 'w', w.id, NULL, coalesce(b.status = 'done', true)
              FROM unnest(${idArray(watch)}::bigint[]) AS w(id) LEFT JOIN arena.battles b ON b.id = w.id`,
        );
        const outside = new Map<number, number>();
        const result: RoundResult = { fought: [], done: [], scores: new Map() };
        for (const row of rows) {
          if (row.kind === 'p' && row.earlier !== null) outside.set(Number(row.id), Number(row.earlier));
          if (row.kind === 'w' && row.done) result.done.push(Number(row.id));
        }
        // Per player: the oldest battle of the round that was skipped (its later ones wait too).
        const skipped = new Set<number>();
        const outcomes: BattleOutcome[] = [];
        const changed = new Set<number>();
        for (const battle of picked) {
          const id = Number(battle.id);
          const players = [Number(battle.attacker_id), Number(battle.defender_id)] as const;
          const a = fighters.get(players[0]);
          const d = fighters.get(players[1]);
          const waits = players.some((p) => skipped.has(p) || (outside.get(p) ?? id) < id);
          if (!a || !d || waits) {
            for (const p of players) skipped.add(p);
            continue;
          }
          const outcome = fightWith(id, a, d, battle.seed ?? '');
          outcomes.push(outcome);
          for (const b of outcome.balances) {
            const f = fighters.get(b.id);
            if (!f) continue;
            if (f.gold !== b.gold || f.silver !== b.silver || f.score !== b.score) changed.add(b.id);
            Object.assign(f, { gold: b.gold, silver: b.silver, score: b.score });
          }
          const winner = outcome.balances.find((b) => b.id === outcome.winnerId);
          if (winner) result.scores.set(winner.id, winner.score);
          result.fought.push(id);
        }
        if (outcomes.length > 0) {
          await applyOutcomes(
            tx,
            outcomes,
            [...changed].map((id) => fighters.get(id) as Scored),
          );
        }
        return result;
      });
    },
  };
}

interface LockedPlayer {
  id: number | string;
  gold: number | string;
  silver: number | string;
  attack: number;
  hit_points: number;
  luck: number;
  score: number | string;
}

function toFighter(p: LockedPlayer): Scored {
  return {
    id: Number(p.id),
    attack: p.attack,
    hitPoints: p.hit_points,
    luck: p.luck,
    gold: Number(p.gold),
    silver: Number(p.silver),
    score: Number(p.score),
  };
}

/**
 * One statement: the players' new balances, then the battles marked done with their results and a
 * `processed_seq` each — drawn here, under the players' locks, and handed out in fighting order.
 */
async function applyOutcomes(tx: Pick<Db, 'execute'>, outcomes: BattleOutcome[], players: Scored[]): Promise<void> {
  const battlesJson = JSON.stringify(
    outcomes.map((o, i) => ({ id: o.battleId, ord: i + 1, winner: o.winnerId, gold: o.lootGold, silver: o.lootSilver, report: o.report })),
  );
  const playersJson = JSON.stringify(players.map((p) => ({ id: p.id, gold: p.gold, silver: p.silver, score: p.score })));
  await tx.execute(
    sql`WITH balances AS (
          UPDATE arena.players p SET gold = v.gold, silver = v.silver, score = v.score
          FROM jsonb_to_recordset(${playersJson}::jsonb) AS v(id bigint, gold bigint, silver bigint, score bigint)
          WHERE p.id = v.id
          RETURNING p.id),
        seqs AS (
          SELECT s, row_number() OVER (ORDER BY s) AS ord
          FROM (SELECT nextval('arena.battle_processing_seq') AS s FROM generate_series(1, ${outcomes.length}::int)) drawn),
        results AS (
          SELECT v.*, seqs.s FROM jsonb_to_recordset(${battlesJson}::jsonb)
            AS v(id bigint, ord bigint, winner bigint, gold bigint, silver bigint, report jsonb)
          JOIN seqs ON seqs.ord = v.ord)
        UPDATE arena.battles b SET status = 'done', finished_at = now(), winner_id = r.winner,
          loot_gold = r.gold, loot_silver = r.silver, report = r.report, processed_seq = r.s
        FROM results r WHERE b.id = r.id`,
  );
}
