import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { type Db, PG, pgConstraint, pgErrorCode, queryRows } from '../../platform/db.js';
import type { BattleReport, Fighter } from './domain/battle.js';
import type { NewPlayer } from './domain/player-rules.js';
import { battles, players } from './tables.js';

export type PlayerRow = typeof players.$inferSelect;
export type BattleRow = typeof battles.$inferSelect;

export interface BattleOutcome {
  battleId: number;
  winnerId: number | null;
  lootGold: number;
  lootSilver: number;
  report: BattleReport;
  /** New balances and scores of both players (absolute values, computed under their row locks). */
  balances: { id: number; gold: number; silver: number; score: number }[];
}

type Num = number | string;

export interface Precheck {
  status: string;
  earlier: number | null;
  players: [number, number];
}

export type StepResult =
  | { kind: 'missing' }
  | { kind: 'done' }
  | { kind: 'earlier'; battleId: number }
  | { kind: 'fought'; winner: { id: number; score: number } | undefined };

/** The oldest unfinished battle before `b` that shares a player with it (both indexes are partial). */
const earlierSql = sql`LEAST(
  (SELECT min(e.id) FROM arena.battles e WHERE e.attacker_id IN (b.attacker_id, b.defender_id) AND e.status <> 'done' AND e.id < b.id),
  (SELECT min(e.id) FROM arena.battles e WHERE e.defender_id IN (b.attacker_id, b.defender_id) AND e.status <> 'done' AND e.id < b.id))`;

export function createArenaStore(db: Db) {
  return {
    /** Inserts a player; `undefined` when the name is taken (case-insensitively). */
    async insertPlayer(player: NewPlayer, tokenHash: string): Promise<PlayerRow | undefined> {
      try {
        const [row] = await db
          .insert(players)
          .values({
            name: player.name,
            description: player.description,
            gold: player.gold,
            silver: player.silver,
            attack: player.attack,
            hitPoints: player.hit_points,
            luck: player.luck,
            tokenHash,
          })
          .returning();
        return row;
      } catch (err) {
        if (pgErrorCode(err) === PG.uniqueViolation && pgConstraint(err) === 'players_name_ci') return undefined;
        throw err;
      }
    },

    async hasPlayers(): Promise<boolean> {
      const rows = await db.select({ id: players.id }).from(players).limit(1);
      return rows.length > 0;
    },

    async player(id: number): Promise<PlayerRow | undefined> {
      const [row] = await db.select().from(players).where(eq(players.id, id));
      return row;
    },

    async playerIdByTokenHash(tokenHash: string): Promise<number | undefined> {
      const [row] = await db.select({ id: players.id }).from(players).where(eq(players.tokenHash, tokenHash));
      return row?.id;
    },

    async playerNames(ids: number[]): Promise<Map<number, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.select({ id: players.id, name: players.name }).from(players).where(inArray(players.id, ids));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** Competition rank from the database (used when the leaderboard lacks the player). */
    async rankFromDb(score: number): Promise<number> {
      const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM arena.players WHERE score > ${score}`);
      return (row?.n ?? 0) + 1;
    },

    /**
     * Inserts a queued battle. Both players are locked FOR KEY SHARE first, so a worker (which locks
     * them FOR UPDATE) cannot fight a later battle of theirs while this one is still uncommitted:
     * battle ids of a player are therefore committed in id order, which is the submission order.
     * Returns the ids that do not exist instead when a player is unknown.
     */
    async insertBattle(attackerId: number, defenderId: number, seed: string): Promise<{ battleId: number } | { missing: number[] }> {
      // One statement (its own transaction, one round trip): the lock is an InitPlan evaluated before
      // the INSERT draws the id from the sequence, and it is held until the statement commits.
      const [low, high] = attackerId < defenderId ? [attackerId, defenderId] : [defenderId, attackerId];
      const inserted = await queryRows<{ id: Num }>(
        db,
        sql`WITH locked AS (SELECT id FROM arena.players WHERE id IN (${low}, ${high}) ORDER BY id FOR KEY SHARE)
            INSERT INTO arena.battles (attacker_id, defender_id, seed)
            SELECT ${attackerId}, ${defenderId}, ${seed} WHERE (SELECT count(*) FROM locked) = 2
            RETURNING id`,
      );
      const id = inserted[0]?.id;
      if (id === undefined) {
        const found = await db
          .select({ id: players.id })
          .from(players)
          .where(inArray(players.id, [attackerId, defenderId]));
        const present = new Set(found.map((r) => r.id));
        const missing = [attackerId, defenderId].filter((p) => !present.has(p));
        // Both exist after all (they cannot be deleted, so this is unreachable): report it plainly.
        if (missing.length === 0) throw new Error(`battle ${attackerId} vs ${defenderId} was not inserted`);
        return { missing };
      }
      return { battleId: Number(id) };
    },

    async battle(id: number): Promise<BattleRow | undefined> {
      const [row] = await db.select().from(battles).where(eq(battles.id, id));
      return row;
    },

    /** A player's battles, newest first, strictly older than `beforeId`. */
    async playerBattles(playerId: number, beforeId: number | undefined, limit: number): Promise<BattleRow[]> {
      const mine = or(eq(battles.attackerId, playerId), eq(battles.defenderId, playerId));
      return db
        .select()
        .from(battles)
        .where(beforeId === undefined ? mine : and(mine, lt(battles.id, beforeId)))
        .orderBy(desc(battles.id))
        .limit(limit);
    },

    /**
     * Without locks: whether battle `id` is done (final, so authoritative) or waits for an earlier
     * unfinished battle of its players; marks a queued battle `running` (taken by a worker) on the way.
     * The locked re-check in `fightStep` decides; this only keeps workers out of each other's lock queues.
     */
    async precheck(id: number): Promise<Precheck | undefined> {
      const [row] = await queryRows<{ status: string; earlier: Num | null; attacker_id: Num; defender_id: Num }>(
        db,
        sql`WITH mark AS (UPDATE arena.battles SET status = 'running' WHERE id = ${id} AND status = 'queued' RETURNING id)
            SELECT b.status, b.attacker_id, b.defender_id, ${earlierSql} AS earlier,
                   -- Losing a 'running' mark in a crash is harmless: do not wait for the WAL flush.
                   set_config('synchronous_commit', 'off', true) AS async_commit
            FROM arena.battles b WHERE b.id = ${id}`,
      );
      if (!row) return undefined;
      return {
        status: row.status,
        earlier: row.earlier === null ? null : Number(row.earlier),
        players: [Number(row.attacker_id), Number(row.defender_id)],
      };
    },

    /**
     * One step of fighting battle `id` in a single transaction: locks both players FOR UPDATE (in id
     * order), then — with that lock held — reports `done` if it was already fought, `earlier` if an
     * older battle of either player is still unfinished (it must be fought first), or fights it with
     * `fightWith` and applies balances, score, report and status together.
     */
    async fightStep(id: number, fightWith: (attacker: Scored, defender: Scored, seed: string) => BattleOutcome): Promise<StepResult> {
      return db.transaction(async (tx) => {
        const locked = await queryRows<LockedPlayer>(
          tx,
          sql`SELECT p.id, p.gold, p.silver, p.attack, p.hit_points, p.luck, p.score FROM arena.players p
              WHERE p.id IN (SELECT attacker_id FROM arena.battles WHERE id = ${id}
                             UNION ALL SELECT defender_id FROM arena.battles WHERE id = ${id})
              ORDER BY p.id FOR UPDATE`,
        );
        if (locked.length < 2) return { kind: 'missing' as const };
        // A new statement: its snapshot sees every battle committed before our locks were granted.
        const [state] = await queryRows<BattleState>(
          tx,
          sql`SELECT b.status, b.attacker_id, b.defender_id, b.seed, ${earlierSql} AS earlier
              FROM arena.battles b WHERE b.id = ${id}`,
        );
        if (!state) return { kind: 'missing' as const };
        if (state.status === 'done') return { kind: 'done' as const };
        if (state.earlier !== null) return { kind: 'earlier' as const, battleId: Number(state.earlier) };
        const byId = new Map(locked.map((p) => [Number(p.id), p]));
        const a = byId.get(Number(state.attacker_id));
        const d = byId.get(Number(state.defender_id));
        if (!a || !d) return { kind: 'missing' as const };
        const outcome = fightWith(toFighter(a), toFighter(d), state.seed);
        await applyOutcome(tx, outcome);
        const winner = outcome.balances.find((b) => b.id === outcome.winnerId);
        return { kind: 'fought' as const, winner: winner ? { id: winner.id, score: winner.score } : undefined };
      });
    },

    /** Battles not done and submitted more than `olderThanMs` ago (the recovery sweep). */
    async unfinishedBattleIds(olderThanMs: number, afterId: number, limit: number): Promise<number[]> {
      const rows = await queryRows<{ id: number }>(
        db,
        sql`SELECT id FROM arena.battles WHERE status <> 'done' AND id > ${afterId}
            AND submitted_at < now() - make_interval(secs => ${olderThanMs / 1000}) ORDER BY id LIMIT ${limit}`,
      );
      return rows.map((r) => Number(r.id));
    },

    /** Every player's score, in id pages (leaderboard rebuilds). */
    async scoresAfter(afterId: number, limit: number): Promise<{ id: number; score: number }[]> {
      return db
        .select({ id: players.id, score: players.score })
        .from(players)
        .where(sql`${players.id} > ${afterId}`)
        .orderBy(players.id)
        .limit(limit);
    },

    /** Bulk-inserts `count` players with generated names (benchmarks, load tests). */
    async loadPlayers(count: number, tag: string, randomScores: boolean): Promise<number> {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`WITH ins AS (
              INSERT INTO arena.players (name, gold, silver, attack, hit_points, luck, score, token_hash)
              SELECT 'p' || ${tag} || '-' || g, 1000 + (g % 9000), 1000 + (g % 7000), 70, 100, 10,
                     ${randomScores ? sql`floor(random() * 1000000)::bigint` : sql`0`},
                     md5(random()::text || g) || md5(random()::text || ${tag} || g)
              FROM generate_series(1, ${count}) g
              RETURNING 1)
            SELECT count(*)::int AS n FROM ins`,
      );
      return rows[0]?.n ?? 0;
    },
  };
}

export type ArenaStore = ReturnType<typeof createArenaStore>;

interface LockedPlayer {
  id: number | string;
  gold: number | string;
  silver: number | string;
  attack: number;
  hit_points: number;
  luck: number;
  score: number | string;
}

interface BattleState {
  status: string;
  attacker_id: number | string;
  defender_id: number | string;
  seed: string;
  earlier: number | string | null;
}

export type Scored = Fighter & { score: number };

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

async function applyOutcome(tx: Pick<Db, 'execute'>, o: BattleOutcome): Promise<void> {
  const values = sql.join(
    o.balances.map((b) => sql`(${b.id}::bigint, ${b.gold}::bigint, ${b.silver}::bigint, ${b.score}::bigint)`),
    sql`, `,
  );
  // One statement: the players' new balances (unchanged on a draw) and the finished battle.
  await tx.execute(
    sql`WITH balances AS (
          UPDATE arena.players p SET gold = v.gold, silver = v.silver, score = v.score
          FROM (VALUES ${values}) AS v(id, gold, silver, score) WHERE p.id = v.id AND ${o.winnerId !== null}
          RETURNING p.id)
        UPDATE arena.battles SET status = 'done', finished_at = now(), winner_id = ${o.winnerId},
          loot_gold = ${o.lootGold}, loot_silver = ${o.lootSilver}, report = ${JSON.stringify(o.report)}::jsonb,
          processed_seq = nextval('arena.battle_processing_seq')
        WHERE id = ${o.battleId}`,
  );
}
