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
  /**
   * Sets scores that only ever grow: an entry lower than the member's score on the board is ignored,
   * so writers racing with absolute scores (workers after their commits) cannot move a member back.
   */
  raise(board: string, entries: { member: string; score: number }[]): Promise<void>;
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
    async raise(board, entries) {
      for (let i = 0; i < entries.length; i += 5_000) {
        const chunk = entries.slice(i, i + 5_000);
        await db
          .insert(leaderboard)
          .values(chunk.map((e) => ({ board, member: e.member, score: e.score })))
          .onConflictDoUpdate({
            target: [leaderboard.board, leaderboard.member],
            set: { score: sql`GREATEST(${leaderboard.score}, excluded.score)` },
          });
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

/**
 * A page of the board and the number of members scoring strictly above its first entry, in one round
 * trip (the first rank of a page that starts inside a tie needs that count).
 */
const TOP_SCRIPT = `
local page = redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
if #page == 0 then return {page, 0} end
return {page, redis.call('ZCOUNT', KEYS[1], '(' .. page[2], '+inf')}`;

/**
 * Members' scores and the number of members scoring strictly above each, in one round trip:
 * [score1, above1, score2, above2, …], false (a nil reply) for both of a member not on the board.
 */
const RANKS_SCRIPT = `
local out = {}
for i = 1, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score then
    out[2 * i - 1] = score
    out[2 * i] = redis.call('ZCOUNT', KEYS[1], '(' .. score, '+inf')
  else
    out[2 * i - 1] = false
    out[2 * i] = false
  end
end
return out`;

/** Members looked up by one script call at most (one call blocks Redis for all of them). */
const RANKS_PER_CALL = 500;

interface LeaderboardScripts {
  guildhallBoardTop(key: string, start: number, stop: number): Promise<[string[], number]>;
  guildhallBoardRanks(key: string, ...members: string[]): Promise<(string | number | null)[]>;
}

interface RankLookup {
  member: string;
  resolve(found: [string, number] | null): void;
  reject(err: unknown): void;
}

/** A Redis sorted set per board: rank lookups are O(log n) (ZSCORE + ZCOUNT in one script call). */
export function createRedisLeaderboard(redis: Redis, prefix: string): Leaderboard {
  const key = (board: string) => `${prefix}lb:${board}`;
  // defineCommand is idempotent per name; the scripts run by EVALSHA (loaded on first use).
  redis.defineCommand('guildhallBoardTop', { numberOfKeys: 1, lua: TOP_SCRIPT });
  redis.defineCommand('guildhallBoardRanks', { numberOfKeys: 1, lua: RANKS_SCRIPT });
  const scripts = redis as unknown as LeaderboardScripts;

  // Rank lookups of one turn of the event loop go to Redis together: one script call per board for all
  // of them (one socket write, one reply) instead of one command each. Not an ioredis pipeline: building
  // one per turn cost more than the lookups, and kept enough garbage alive to lengthen every minor GC.
  let lookups = new Map<string, RankLookup[]>();
  function lookUp(key: string, batch: RankLookup[]): void {
    scripts.guildhallBoardRanks(key, ...batch.map((l) => l.member)).then(
      (flat) => {
        batch.forEach((l, i) => {
          const score = flat[2 * i];
          l.resolve(score === null || score === undefined ? null : [String(score), Number(flat[2 * i + 1])]);
        });
      },
      (err: unknown) => {
        for (const l of batch) l.reject(err);
      },
    );
  }
  function flushLookups(): void {
    const byKey = lookups;
    lookups = new Map();
    for (const [key, all] of byKey) {
      for (let i = 0; i < all.length; i += RANKS_PER_CALL) lookUp(key, all.slice(i, i + RANKS_PER_CALL));
    }
  }
  function lookupRank(key: string, member: string): Promise<[string, number] | null> {
    return new Promise((resolve, reject) => {
      if (lookups.size === 0) setImmediate(flushLookups);
      const list = lookups.get(key);
      if (list) list.push({ member, resolve, reject });
      else lookups.set(key, [{ member, resolve, reject }]);
    });
  }
  async function zadd(board: string, entries: { member: string; score: number }[], flags: string[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 5_000) {
      const args = entries.slice(i, i + 5_000).flatMap((e) => [e.score, e.member]);
      if (args.length > 0) await redis.zadd(key(board), ...flags, ...args);
    }
  }
  return {
    kind: 'redis',
    async increment(board, member, delta) {
      return Number(await redis.zincrby(key(board), delta, member));
    },
    set: (board, entries) => zadd(board, entries, []),
    // GT still adds new members; it only keeps an existing member's score from going down.
    raise: (board, entries) => zadd(board, entries, ['GT']),
    async top(board, limit, offset = 0) {
      if (limit <= 0) return [];
      const [flat, above] = await scripts.guildhallBoardTop(key(board), offset, offset + limit - 1);
      const rows: { member: string; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) rows.push({ member: flat[i] as string, score: Number(flat[i + 1]) });
      if (rows.length === 0) return [];
      return assignRanks(rows, Number(above) + 1, offset);
    },
    async rank(board, member) {
      const found = await lookupRank(key(board), member);
      if (!found) return undefined;
      return { member, score: Number(found[0]), rank: Number(found[1]) + 1 };
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
