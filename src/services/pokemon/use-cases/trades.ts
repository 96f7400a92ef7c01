import { withRetry } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { isoDay } from '../domain/dates.js';
import { ownershipProblem, tradeShapeProblem } from '../domain/trade.js';
import type { CreateTrade, Trade } from '../schemas.js';
import * as store from '../store/index.js';
import type { Deps } from './context.js';

export function createTradeUseCases({ db, clock, cache }: Deps) {
  return {
    /**
     * Moves both lists atomically in one database statement. Lock order is global — trainers (KEY SHARE,
     * by id), then pokemon (FOR UPDATE, by id) — so concurrent trades over the same pokemon queue instead
     * of deadlocking, and ownership is checked on the locked rows, never on a stale read.
     */
    async create(request: CreateTrade): Promise<Trade> {
      const shape = tradeShapeProblem(request);
      if (shape) throw errors.badRequest(shape, 'INVALID_TRADE');
      const now = clock.now();
      // One atomic statement; a deadlock with a concurrent cascade delete is retried (nothing was written).
      const outcome = await withRetry(() => store.applyTrade(db, request, isoDay(now), now));
      if (outcome.status === 'trainers') {
        const missing = [request.trainerA, request.trainerB].filter((id) => !outcome.found.includes(id));
        throw errors.notFound(
          `Unknown trainer${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `"${m}"`).join(', ')}.`,
          'TRAINER_NOT_FOUND',
        );
      }
      if (outcome.status === 'owners') {
        const problem = ownershipProblem(request, new Map(Object.entries(outcome.owners)));
        if (problem?.kind === 'missing') {
          throw errors.notFound(
            `Unknown pokemon: ${problem.ids.map((id) => `"${id}"`).join(', ')}. Nothing was traded.`,
            'POKEMON_NOT_FOUND',
          );
        }
        const details = problem?.kind === 'not-owned' ? problem.details.join('; ') : 'ownership changed during the trade';
        throw errors.conflict(`Not traded, the giving trainer must own every listed pokemon: ${details}.`, 'NOT_OWNER');
      }
      const trade = outcome.trade;
      await cache.invalidate({
        trainers: [request.trainerA, request.trainerB],
        pokemon: [...request.pokemonA, ...request.pokemonB],
      });
      return trade;
    },

    async get(id: string): Promise<Trade> {
      const numeric = /^\d{1,15}$/.test(id) ? Number(id) : undefined;
      const trade = numeric === undefined ? undefined : await store.findTrade(db, numeric);
      if (!trade) throw errors.notFound(`Trade "${id}" does not exist.`, 'TRADE_NOT_FOUND');
      return trade;
    },
  };
}
