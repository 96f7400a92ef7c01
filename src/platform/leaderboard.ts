import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { type Db, queryRows } from './db.js';
import { leaderboard } from './tables.js';

export interface RankedEntry {
  member: string;
  score: number;
  /** Competition rank: 1 + the number of members with a strictly higher score (ties share a rank). */
  rank: number;
}

/**
 * Named boards of integer scores. Ranking is "1224": ties share a rank. Within a tie, entries are listed
 * by member descending (Redis's order for equal scores), so both backends page identically.
 */
export interface Leaderboard {
  readonly kind: 'sql' | 'redis';
  /** Adds `delta` to a member's score (creating it at 0) and returns the new score. */
  increment(board: string, member: string, delta: number): Promise<number>;
  /** Sets scores outright (rebuilds, corrections). */
  set(board: string, entries: { member: string; score: number }[]): Promise<void>;
  top(board: string, limit: number, offset?: number): Promise<RankedEntry[]>;
  rank(board: string, member: string): Promise<RankedEntry | undefined>;
  remove(board: string, member: string): Promise<void>;
  clear(board: string): Promise<void>;
  size(board: string): Promise<number>;
}

function assignRanks(rows: { member: string; score: number }[], firstRank: number, offset: number): RankedEntry[] {
  const ranked: RankedEntry[] = [];
  rows.forEach((row, i) => {
    const previous = ranked[i - 1];
    const rank = i === 0 ? firstRank : previous && previous.score === row.score ? previous.rank : offset + i + 1;
    ranked.push({ member: row.member, score: row.score, rank });
  });
  return ranked;
}

export function createSqlLeaderboard(db: Db): Leaderboard {
  async function countAbove(board: string, score: number): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(leaderboard)
      .where(and(eq(leaderboard.board, board), gt(leaderboard.score, score)));
    return row?.n ?? 0;
  }
  return {
    kind: 'sql',
    async increment(board, member, delta) {
      const [row] = await db
        .insert(leaderboard)
        .values({ board, member, score: delta })
        .onConflictDoUpdate({
          target: [leaderboard.board, leaderboard.member],
          set: { score: sql`${leaderboard.score} + ${delta}` },
        })
        .returning({ score: leaderboard.score });
      return row?.score ?? delta;
    },
    async set(board, entries) {
      for (let i = 0; i < entries.length; i += 5_000) {
        const chunk = entries.slice(i, i + 5_000);
        await db
          .insert(leaderboard)
          .values(chunk.map((e) => ({ board, member: e.member, score: e.score })))
          .onConflictDoUpdate({ target: [leaderboard.board, leaderboard.member], set: { score: sql`excluded.score` } });
      }
    },
    async top(board, limit, offset = 0) {
      const rows = await db
        .select({ member: leaderboard.member, score: leaderboard.score })
        .from(leaderboard)
        .where(eq(leaderboard.board, board))
        .orderBy(desc(leaderboard.score), desc(leaderboard.member))
        .limit(limit)
        .offset(offset);
      const first = rows[0];
      if (!first) return [];
      return assignRanks(rows, (await countAbove(board, first.score)) + 1, offset);
    },
    async rank(board, member) {
      const [row] = await db
        .select({ score: leaderboard.score })
        .from(leaderboard)
        .where(and(eq(leaderboard.board, board), eq(leaderboard.member, member)));
      if (!row) return undefined;
      return { member, score: row.score, rank: (await countAbove(board, row.score)) + 1 };
    },
    async remove(board, member) {
      await db.delete(leaderboard).where(and(eq(leaderboard.board, board), eq(leaderboard.member, member)));
    },
    async clear(board) {
      await db.delete(leaderboard).where(eq(leaderboard.board, board));
    },
    async size(board) {
      const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM platform.leaderboard WHERE board = ${board}`);
      return row?.n ?? 0;
    },
  };
}

/** A Redis sorted set per board: rank lookups are O(log n) (ZSCORE + ZCOUNT). */
export function createRedisLeaderboard(redis: Redis, prefix: string): Leaderboard {
  const key = (board: string) => `${prefix}lb:${board}`;
  return {
    kind: 'redis',
    async increment(board, member, delta) {
      return Number(await redis.zincrby(key(board), delta, member));
    },
    async set(board, entries) {
      for (let i = 0; i < entries.length; i += 5_000) {
        const args = entries.slice(i, i + 5_000).flatMap((e) => [e.score, e.member]);
        if (args.length > 0) await redis.zadd(key(board), ...args);
      }
    },
    async top(board, limit, offset = 0) {
      if (limit <= 0) return [];
      const flat = await redis.zrevrange(key(board), offset, offset + limit - 1, 'WITHSCORES');
      const rows: { member: string; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) rows.push({ member: flat[i] as string, score: Number(flat[i + 1]) });
      const first = rows[0];
      if (!first) return [];
      const above = await redis.zcount(key(board), `(${first.score}`, '+inf');
      return assignRanks(rows, above + 1, offset);
    },
    async rank(board, member) {
      const score = await redis.zscore(key(board), member);
      if (score === null) return undefined;
      const above = await redis.zcount(key(board), `(${score}`, '+inf');
      return { member, score: Number(score), rank: above + 1 };
    },
    async remove(board, member) {
      await redis.zrem(key(board), member);
    },
    async clear(board) {
      await redis.del(key(board));
    },
    async size(board) {
      return redis.zcard(key(board));
    },
  };
}
