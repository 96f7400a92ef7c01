import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { errors } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Leaderboard } from '../../platform/leaderboard.js';
import { secureToken } from '../../platform/random.js';
import { hashSecret } from '../../platform/secrets.js';
import { checkNewPlayer } from './domain/player-rules.js';
import { createKeyedMutex } from './keyed-mutex.js';
import { decodeCursor, encodeCursor, outcomeOf, toBattle, toPlayer } from './mappers.js';
import type { Battle, Player } from './schemas.js';
import type { ArenaStore, Precheck, StepResult } from './store.js';

export const BOARD = 'arena';
export const BATTLE_QUEUE = 'arena.battles';

export type Principal = { kind: 'operator' } | { kind: 'player'; id: number };

export interface BattleJob {
  battleId: number;
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

  // Handlers of this process that need the same battle fought share one attempt (single flight), so
  // they do not queue up on the same row locks; other processes are kept out by the locks themselves.
  const playerLocks = createKeyedMutex();
  const inFlight = new Map<number, Promise<StepResult>>();
  function fightOnce(battleId: number): Promise<StepResult> {
    let attempt = inFlight.get(battleId);
    if (!attempt) {
      attempt = (async () => {
        const step = await store.fightStep(battleId, (a, d, seed) => outcomeOf(battleId, a, d, seed));
        // After the commit, with the database's new score: idempotent, and a rebuild repairs any gap.
        if (step.kind === 'fought' && step.winner) {
          await leaderboard.set(BOARD, [{ member: String(step.winner.id), score: step.winner.score }]);
        }
        return step;
      })().finally(() => inFlight.delete(battleId));
      inFlight.set(battleId, attempt);
    }
    return attempt;
  }

  async function rankOf(playerId: number, dbScore: number): Promise<{ rank: number; score: number }> {
    const entry = await leaderboard.rank(BOARD, String(playerId));
    if (entry) return { rank: entry.rank, score: entry.score };
    // Not on the board (e.g. Redis was flushed): answer from the database and put it back.
    await leaderboard.set(BOARD, [{ member: String(playerId), score: dbScore }]);
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
        await leaderboard.set(BOARD, [{ member: String(row.id), score: 0 }]);
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
      const result = await store.insertBattle(attackerId, defenderId, secureToken(12));
      if ('missing' in result) throw errors.notFound(`No player ${result.missing.join(' or ')}; create it first.`, 'PLAYER_NOT_FOUND');
      const { battleId } = result;
      try {
        await jobs.enqueue<BattleJob>(BATTLE_QUEUE, { battleId });
      } catch (err) {
        // The battle is durably queued in the database; the workers' recovery sweep will pick it up.
        logger.warn({ err, battleId }, 'enqueueing a battle failed; left for the recovery sweep');
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

    async leaderboardPage(limit: number, offset: number) {
      const entries = await leaderboard.top(BOARD, limit, offset);
      const ids = entries.map((e) => Number(e.member));
      const unknown = ids.filter((id) => !names.has(id));
      if (unknown.length > 0) for (const [id, name] of await store.playerNames(unknown)) names.set(id, name);
      return entries.map((e) => ({ rank: e.rank, player_id: Number(e.member), name: names.get(Number(e.member)) ?? '', score: e.score }));
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
     * Fights battle `battleId` exactly once, after every earlier battle of its players. An unfinished
     * earlier battle is fought first by this worker (instead of failing and waiting for a retry), so
     * a chain of battles among a few players drains without backoff delays.
     */
    async processBattle(battleId: number): Promise<number> {
      const first = await store.precheck(battleId);
      if (!first || first.status === 'done') return 0;
      const uncontended = !playerLocks.busy(first.players);
      return playerLocks.with(first.players, async () => {
        let fought = 0;
        let target = battleId;
        // The first look was taken before waiting for the in-process locks: only trust a fresh one.
        let known: Precheck | undefined = uncontended ? first : undefined;
        for (;;) {
          const pre = known ?? (await store.precheck(target));
          known = undefined;
          let step: StepResult;
          if (!pre) step = { kind: 'missing' };
          else if (pre.status === 'done') step = { kind: 'done' };
          else if (pre.earlier !== null) step = { kind: 'earlier', battleId: pre.earlier };
          else step = await fightOnce(target);
          if (step.kind === 'earlier') {
            target = step.battleId;
            continue;
          }
          if (step.kind === 'fought') fought++;
          if (target === battleId) return fought;
          target = battleId;
        }
      });
    },

    /** Re-enqueues battles left unfinished (a lost enqueue, a lost Redis); duplicates are no-ops. */
    async enqueueUnfinished(olderThanMs: number): Promise<number> {
      let total = 0;
      let after = 0;
      for (;;) {
        const ids = await store.unfinishedBattleIds(olderThanMs, after, 5_000);
        if (ids.length === 0) return total;
        await jobs.enqueueMany<BattleJob>(
          BATTLE_QUEUE,
          ids.map((id) => ({ battleId: id })),
        );
        total += ids.length;
        after = ids.at(-1) ?? after;
      }
    },

    async rebuildLeaderboard(): Promise<number> {
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
