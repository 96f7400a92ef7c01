import type { Logger } from 'pino';
import type { Leaderboard } from '../../platform/leaderboard.js';
import { outcomeOf } from './mappers.js';
import type { ArenaStore } from './store/index.js';

/** Battles a round takes at most (one transaction). */
const ROUND_LIMIT = 500;
/** Pause after a small round, so that the next one has more to do. */
const GATHER_MS = 10;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export interface BattleRoundDeps {
  store: ArenaStore;
  leaderboard: Leaderboard;
  /** The leaderboard's board name. */
  board: string;
  logger: Logger;
  /** Called after this process changed scores on the board. */
  onBoardChanged?: () => void;
}

/**
 * Works the battle queue of this process in rounds (`store.fightOldest`): each round fights the
 * oldest unfinished battles no other round holds, in one transaction. The job handlers of the
 * process wait here for their battles, which this process or another one fights; rounds go on
 * while any of them is unfinished. Only one round of a process runs at a time.
 */
export function createBattleRounds({ store, leaderboard, board, logger, onBoardChanged }: BattleRoundDeps) {
  const waiting = new Map<number, Waiter[]>();
  let draining = false;

  function start(): void {
    if (draining) return;
    draining = true;
    // drain() handles its own errors: it settles the waiters of a failed round with the error.
    void drain().finally(() => {
      draining = false;
      if (waiting.size > 0) start();
    });
  }

  function settle(id: number, err?: unknown): void {
    const waiters = waiting.get(id);
    if (!waiters) return;
    waiting.delete(id);
    for (const w of waiters) err === undefined ? w.resolve() : w.reject(err);
  }

  async function drain(): Promise<void> {
    // Let the handlers of jobs delivered together arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    // Rounds in a row that found nothing to do (the battles left are in other workers' rounds).
    let idle = 0;
    while (waiting.size > 0) {
      const watched = [...waiting.keys()];
      let result: Awaited<ReturnType<ArenaStore['fightOldest']>>;
      try {
        result = await store.fightOldest(ROUND_LIMIT, watched, outcomeOf);
      } catch (err) {
        // The round rolled back: the jobs waiting fail and are retried by the queue.
        for (const id of watched) settle(id, err);
        continue;
      }
      if (result.scores.size > 0) {
        try {
          // After the commit, with the database's scores; `raise` ignores a stale (lower) score.
          await leaderboard.raise(
            board,
            [...result.scores].map(([id, score]) => ({ member: String(id), score })),
          );
          onBoardChanged?.();
        } catch (err) {
          // The battles are done; a rebuild (or the player's next win) repairs the board.
          logger.warn({ err }, 'arena: updating the leaderboard failed');
        }
      }
      for (const id of result.fought) settle(id);
      for (const id of result.done) settle(id);
      if (result.fought.length > 0 || result.done.length > 0) {
        idle = 0;
        // A small round: let battles gather for the next one (fewer, larger transactions).
        if (waiting.size > 0 && result.fought.length < ROUND_LIMIT / 4) await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      } else {
        await new Promise((resolve) => setTimeout(resolve, 2 ** Math.min(5, idle++)));
      }
    }
  }

  return {
    /** Resolves once battle `battleId` is done (by this process or any other). */
    fight(battleId: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const waiters = waiting.get(battleId);
        if (waiters) waiters.push({ resolve, reject });
        else waiting.set(battleId, [{ resolve, reject }]);
        start();
      });
    },
  };
}
