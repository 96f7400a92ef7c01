import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { type Db, PG, pgConstraint, pgErrorCode, queryRows } from '../../../platform/db.js';
import type { NewPlayer } from '../domain/player-rules.js';
import { battles, players } from '../tables.js';
import { createRounds, idArray } from './rounds.js';

export type { BattleOutcome, RoundResult, Scored } from './rounds.js';

export type PlayerRow = typeof players.$inferSelect;
export type BattleRow = typeof battles.$inferSelect;

type Num = number | string;

export interface ArenaStoreOptions {
  /** The database driver: how a round takes its locks depends on it (see rounds.ts). */
  driver?: 'pg' | 'pglite';
}

export function createArenaStore(db: Db, { driver = 'pglite' }: ArenaStoreOptions = {}) {
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
     * Inserts queued battles (one statement, its own transaction): `undefined` for a request whose
     * player does not exist. Every player is locked FOR KEY SHARE (in id order) before any battle id
     * is drawn, and held until commit; a round takes FOR UPDATE on its players before it looks, so it
     * waits for these to commit and never fights a later battle of theirs first. Ids are drawn in the
     * order of `requests`.
     */
    async insertBattles(requests: { attackerId: number; defenderId: number; seed: string }[]): Promise<(number | undefined)[]> {
      const json = JSON.stringify(requests.map((r, i) => ({ a: r.attackerId, d: r.defenderId, s: r.seed, o: i })));
      const playerIds = idArray([...new Set(requests.flatMap((r) => [r.attackerId, r.defenderId]))].sort((x, y) => x - y));
      // `locked` is a hashed subplan, built in full (every lock taken) before the first row reaches
      // the INSERT and draws its id.
      const rows = await queryRows<{ id: Num; seed: string }>(
        db,
        sql`WITH locked AS MATERIALIZED (
              SELECT id FROM arena.players WHERE id = ANY(${playerIds}::bigint[]) ORDER BY id FOR KEY SHARE)
            INSERT INTO arena.battles (attacker_id, defender_id, seed)
            SELECT r.a, r.d, r.s FROM jsonb_to_recordset(${json}::jsonb) AS r(a bigint, d bigint, s text, o int)
            WHERE r.a IN (SELECT id FROM locked) AND r.d IN (SELECT id FROM locked)
            ORDER BY r.o
            RETURNING id, seed`,
      );
      const bySeed = new Map(rows.map((r) => [r.seed, Number(r.id)]));
      return requests.map((r) => bySeed.get(r.seed));
    },

    /** Which of `ids` are not players. */
    async missingPlayers(ids: number[]): Promise<number[]> {
      const found = await db.select({ id: players.id }).from(players).where(inArray(players.id, ids));
      const present = new Set(found.map((r) => r.id));
      return ids.filter((p) => !present.has(p));
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

    ...createRounds(db, driver),

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
