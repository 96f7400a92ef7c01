import { createGroupCommit, type Outcome } from '../../../platform/coalesce.js';
import { withRetry } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { isoDay } from '../domain/dates.js';
import { ownershipProblem, tradeShapeProblem } from '../domain/trade.js';
import type { CreateTrade, Trade } from '../schemas.js';
import * as store from '../store/index.js';
import type { TradeOutcome } from '../store/trades.js';
import type { Deps } from './context.js';

/** The error a refused trade answers with (the database said which check failed, on the locked rows). */
function refusal(request: CreateTrade, outcome: Exclude<TradeOutcome, { status: 'ok' }>): Error {
  if (outcome.status === 'trainers') {
    const missing = [request.trainerA, request.trainerB].filter((id) => !outcome.found.includes(id));
    return errors.notFound(
      `Unknown trainer${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `"${m}"`).join(', ')}.`,
      'TRAINER_NOT_FOUND',
    );
  }
  const problem = ownershipProblem(request, new Map(Object.entries(outcome.owners)));
  if (problem?.kind === 'missing') {
    return errors.notFound(`Unknown pokemon: ${problem.ids.map((id) => `"${id}"`).join(', ')}. Nothing was traded.`, 'POKEMON_NOT_FOUND');
  }
  const details = problem?.kind === 'not-owned' ? problem.details.join('; ') : 'ownership changed during the trade';
  return errors.conflict(`Not traded, the giving trainer must own every listed pokemon: ${details}.`, 'NOT_OWNER');
}

export function createTradeUseCases({ db, clock, cache }: Deps, { maxBatch = 200 } = {}) {
  /**
   * Group commit: trades arriving while a batch runs go together in the next one — one statement, one
   * commit, one cache invalidation for the lot — applied in arrival order, each all or nothing (see
   * store.applyTrades). One batch at a time, so batches never lock against each other; a deadlock with a
   * concurrent cascade delete is retried (nothing was written), and a batch failing as a whole is retried
   * trade by trade so that one bad trade cannot fail the others.
   */
  async function run(batch: store.TradeRequest[]): Promise<Outcome<Trade>[]> {
    const outcomes = await withRetry(() => store.applyTrades(db, batch));
    const done = batch.filter((_, i) => outcomes[i]?.status === 'ok');
    // After the commit nothing may throw: a thrown batch is retried trade by trade, and a trade is not
    // idempotent. A failed invalidation (retried in the background by the cache) is the committed
    // trades' answer, as it would be for a single write.
    const stale = await cache
      .invalidate({
        trainers: done.flatMap((t) => [t.trainerA, t.trainerB]),
        pokemon: done.flatMap((t) => [...t.pokemonA, ...t.pokemonB]),
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    return outcomes.map((outcome, i): Outcome<Trade> => {
      if (outcome.status !== 'ok') return { ok: false, error: refusal(batch[i] as CreateTrade, outcome) };
      return stale === undefined ? { ok: true, result: outcome.trade } : { ok: false, error: stale };
    });
  }
  const applyTrade = createGroupCommit(run, { maxBatch, maxInFlight: 1 });

  return {
    /**
     * Moves both lists atomically. Lock order is global — trainers (KEY SHARE, by id), then pokemon
     * (FOR UPDATE, by id) — so concurrent trades over the same pokemon queue instead of deadlocking, and
     * ownership is checked on the locked rows, never on a stale read.
     */
    async create(request: CreateTrade): Promise<Trade> {
      const shape = tradeShapeProblem(request);
      if (shape) throw errors.badRequest(shape, 'INVALID_TRADE');
      const now = clock.now();
      return applyTrade({ ...request, day: isoDay(now), at: now });
    },

    async get(id: string): Promise<Trade> {
      const numeric = /^\d{1,15}$/.test(id) ? Number(id) : undefined;
      const trade = numeric === undefined ? undefined : await store.findTrade(db, numeric);
      if (!trade) throw errors.notFound(`Trade "${id}" does not exist.`, 'TRADE_NOT_FOUND');
      return trade;
    },
  };
}
