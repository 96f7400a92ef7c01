import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { createCoalescer } from '../../platform/coalesce.js';
import { errors } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Leaderboard } from '../../platform/leaderboard.js';
import { secureToken } from '../../platform/random.js';
import { hashSecret } from '../../platform/secrets.js';
import { createBattleRounds } from './battle-rounds.js';
import { checkNewPlayer } from './domain/player-rules.js';
import { decodeCursor, encodeCursor, toBattle, toPlayer } from './mappers.js';
import type { Battle, LeaderboardEntry, Player } from './schemas.js';
import type { ArenaStore } from './store/index.js';

export const BOARD = 'arena';
export const BATTLE_QUEUE = 'arena.battles';
/** How long a leaderboard page may be served from memory. */
const PAGE_TTL_MS = 250;

export type Principal = { kind: 'operator' } | { kind: 'player'; id: number };

/**
 * A job of the battle queue: the battles one batch of submissions inserted (in id order). Older jobs
 * carry a single `battleId`. Delivery is at least once; a battle found done is skipped.
 */
export type BattleJob = { battleIds: number[] } | { battleId: number };

export function battleIdsOf(job: BattleJob): number[] {
  return 'battleIds' in job ? job.battleIds : [job.battleId];
}

export interface ArenaDeps {
  store: ArenaStore;
  leaderboard: Leaderboard;
  jobs: JobQueue;
  logger: Logger;
}

export function createArenaUseCases({ store, leaderboard, jobs, logger }: ArenaDeps) {
  // Names never change and players are never deleted, so an id → name cache is always right.
  const names = new LRUCache<number, string>({ max: 200_000 });
  // Likewise a token hash always belongs to the same player (only positive lookups are kept).
  const tokens = new LRUCache<string, number>({ max: 100_000 });

  function mustBeSelf(principal: Principal, playerId: number, what: string): void {
    if (principal.kind === 'player' && principal.id !== playerId) {
      throw errors.forbidden(`A player token may only ${what} as its own player (${principal.id}); use the operator key otherwise.`);
    }
  }

  // Leaderboard pages for a moment (single flight: concurrent readers share one board read). Writes
  // of this process clear them; another process's writes show within PAGE_TTL_MS.
  const pages = new LRUCache<string, Promise<LeaderboardEntry[]>>({ max: 256, ttl: PAGE_TTL_MS });
  const boardChanged = () => pages.clear();

  const rounds = createBattleRounds({ store, leaderboard, board: BOARD, logger, onBoardChanged: boardChanged });

  // Battles committed while an enqueue is under way go to the queue together, as one job.
  const enqueuer = createCoalescer(
    async (batches: number[][]) => {
      const battleIds = batches.flat();
      try {
        await jobs.enqueue<BattleJob>(BATTLE_QUEUE, { battleIds });
      } catch (err) {
        // The battles are durably queued in the database; the workers' recovery sweep picks them up.
        logger.warn({ err, battleIds }, 'enqueueing battles failed; left for the recovery sweep');
      }
      return batches.map(() => undefined);
    },
    { maxInFlight: 1 },
  );

  // Submissions arriving together share one INSERT (one commit).
  const submissions = createCoalescer(
    async (pairs: { attackerId: number; defenderId: number }[]) => {
      // The engine's seeds: 12 random bytes each, drawn for the whole batch at once.
      const bytes = randomBytes(12 * pairs.length);
      const requests = pairs.map((p, i) => ({ ...p, seed: bytes.subarray(12 * i, 12 * i + 12).toString('base64url') }));
      const ids = await store.insertBattles(requests);
      const queued = ids.filter((id): id is number => id !== undefined);
      if (queued.length > 0) await enqueuer.add(queued);
      return ids;
    },
    { maxInFlight: 4 },
  );

  async function readPage(limit: number, offset: number): Promise<LeaderboardEntry[]> {
    const entries = await leaderboard.top(BOARD, limit, offset);
    const ids = entries.map((e) => Number(e.member));
    const unknown = ids.filter((id) => !names.has(id));
    if (unknown.length > 0) for (const [id, name] of await store.playerNames(unknown)) names.set(id, name);
    return entries.map((e) => ({ rank: e.rank, player_id: Number(e.member), name: names.get(Number(e.member)) ?? '', score: e.score }));
  }

  async function rankOf(playerId: number, dbScore: number): Promise<{ rank: number; score: number }> {
    const entry = await leaderboard.rank(BOARD, String(playerId));
    if (entry) return { rank: entry.rank, score: entry.score };
    // Not on the board (e.g. Redis was flushed): answer from the database and put it back.
    await leaderboard.raise(BOARD, [{ member: String(playerId), score: dbScore }]);
    return { rank: await store.rankFromDb(dbScore), score: dbScore };
  }

  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      const hash = hashSecret(token);
      const cached = tokens.get(hash);
      if (cached !== undefined) return { kind: 'player', id: cached };
      const id = await store.playerIdByTokenHash(hash);
      if (id === undefined) return undefined;
      tokens.set(hash, id);
      return { kind: 'player', id };
    },

    async createPlayer(principal: Principal, body: unknown): Promise<Player & { token: string }> {
      if (principal.kind !== 'operator') throw errors.forbidden('Only the operator key (ARENA_API_KEY) may create players.');
      const checked = checkNewPlayer(body);
      if (!checked.ok) throw errors.badRequest(`Invalid player: ${checked.problems.join('; ')}.`, 'INVALID_PLAYER');
      const token = secureToken(24);
      const row = await store.insertPlayer(checked.player, hashSecret(token));
      if (!row) {
        throw errors.conflict(
          `The name "${checked.player.name}" is taken (names are unique regardless of case); choose another.`,
          'NAME_TAKEN',
        );
      }
      names.set(row.id, row.name);
      try {
        await leaderboard.raise(BOARD, [{ member: String(row.id), score: 0 }]);
        boardChanged();
      } catch (err) {
        // The player exists; reads put a missing member back on the board (see rankOf).
        logger.warn({ err, playerId: row.id }, 'arena: adding a new player to the leaderboard failed');
      }
      return { ...toPlayer(row), token };
    },

    async getPlayer(principal: Principal, id: number): Promise<Player & { rank: number }> {
      mustBeSelf(principal, id, 'read players');
      const row = await store.player(id);
      if (!row) throw errors.notFound(`No player ${id}.`);
      const { rank } = await rankOf(id, row.score);
      return { ...toPlayer(row), rank };
    },

    async submitBattle(principal: Principal, attackerId: number, defenderId: number): Promise<{ battle_id: number; status: 'queued' }> {
      mustBeSelf(principal, attackerId, 'submit battles (attacker_id)');
      if (attackerId === defenderId) {
        throw errors.badRequest('A player cannot battle itself: attacker_id and defender_id must differ.', 'SELF_BATTLE');
      }
      const battleId = await submissions.add({ attackerId, defenderId });
      if (battleId === undefined) {
        const missing = await store.missingPlayers([attackerId, defenderId]);
        throw errors.notFound(`No player ${missing.join(' or ')}; create it first.`, 'PLAYER_NOT_FOUND');
      }
      return { battle_id: battleId, status: 'queued' };
    },

    async getBattle(principal: Principal, id: number): Promise<Battle> {
      const row = await store.battle(id);
      if (principal.kind === 'player' && row && principal.id !== row.attackerId && principal.id !== row.defenderId) {
        throw errors.forbidden(`A player token may only read battles its own player (${principal.id}) fought.`);
      }
      if (!row) throw errors.notFound(`No battle ${id}.`);
      return toBattle(row);
    },

    async playerBattles(principal: Principal, playerId: number, limit: number, cursor: string | undefined) {
      mustBeSelf(principal, playerId, 'list battles');
      const beforeId = cursor === undefined ? undefined : decodeCursor(cursor);
      if (!(await store.player(playerId))) throw errors.notFound(`No player ${playerId}.`);
      const rows = await store.playerBattles(playerId, beforeId, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toBattle), next: rows.length > limit && last ? encodeCursor(last.id) : null };
    },

    leaderboardPage(limit: number, offset: number): Promise<LeaderboardEntry[]> {
      const key = `${limit}:${offset}`;
      let page = pages.get(key);
      if (!page) {
        page = readPage(limit, offset);
        pages.set(key, page);
        page.catch(() => pages.delete(key));
      }
      return page;
    },

    async playerRank(playerId: number) {
      const entry = await leaderboard.rank(BOARD, String(playerId));
      if (entry) return { player_id: playerId, rank: entry.rank, score: entry.score };
      const row = await store.player(playerId);
      if (!row) throw errors.notFound(`No player ${playerId}.`);
      const { rank, score } = await rankOf(playerId, row.score);
      return { player_id: playerId, rank, score };
    },

    /**
     * Resolves once battles `battleIds` are done: each fought exactly once, after every earlier battle
     * of its players, in batches with the other battles this process's handlers hold (battle-rounds.ts).
     */
    async processBattles(battleIds: number[]): Promise<void> {
      await Promise.all(battleIds.map((id) => rounds.fight(id)));
    },

    /** Re-enqueues battles left unfinished (a lost enqueue, a lost Redis); duplicates are no-ops. */
    async enqueueUnfinished(olderThanMs: number): Promise<number> {
      let total = 0;
      let after = 0;
      for (;;) {
        const ids = await store.unfinishedBattleIds(olderThanMs, after, 5_000);
        if (ids.length === 0) return total;
        const chunks: BattleJob[] = [];
        for (let i = 0; i < ids.length; i += 500) chunks.push({ battleIds: ids.slice(i, i + 500) });
        await jobs.enqueueMany<BattleJob>(BATTLE_QUEUE, chunks);
        total += ids.length;
        after = ids.at(-1) ?? after;
      }
    },

    async rebuildLeaderboard(): Promise<number> {
      boardChanged();
      await leaderboard.clear(BOARD);
      let after = 0;
      let total = 0;
      for (;;) {
        const rows = await store.scoresAfter(after, 10_000);
        if (rows.length === 0) return total;
        await leaderboard.set(
          BOARD,
          rows.map((r) => ({ member: String(r.id), score: r.score })),
        );
        total += rows.length;
        after = rows.at(-1)?.id ?? after;
      }
    },
  };
}
