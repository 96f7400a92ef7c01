import type { Clock } from '../../../platform/clock.js';
import { withRetry } from '../../../platform/db.js';
import type { ExchangeOutcome } from '../store/index.js';

/** One exchange's outcome and the instant it was judged at (for the cooldown wait in a refusal). */
export interface ExchangeResult extends ExchangeOutcome {
  now: Date;
}

export interface ExchangeBatcherOptions {
  /** Judges and credits a batch of pairs that share no participant, in one transaction. */
  run(pairs: ReadonlyArray<readonly [number, number]>, now: Date): Promise<ExchangeOutcome[]>;
  /** After the batch committed: the participants it credited (cache invalidation, once per batch). */
  afterCommit(creditedIds: number[]): Promise<void>;
  clock: Clock;
  maxBatch?: number;
  /** Batches in flight at once (a second one executes while the first waits for its commit). */
  maxInFlight?: number;
}

interface Pending {
  pair: readonly [number, number];
  resolve(result: ExchangeResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for token exchanges. A commit (its WAL flush) costs far more than crediting two rows,
 * so the exchanges that arrive while earlier ones are in flight go to the database together: one
 * statement, one transaction, one cache invalidation per batch. Idle, an exchange is sent at once (no
 * timer, no added latency). Pairs that share a participant never go in the same batch: the later one
 * waits for the next batch, where it is judged on the committed result of the earlier one, exactly as
 * if they had arrived one after the other. Correctness stays in the database (row locks in id order,
 * the cooldown judged on the locked rows); this only decides how many exchanges share a commit.
 */
export function createExchangeBatcher({ run, afterCommit, clock, maxBatch = 128, maxInFlight = 2 }: ExchangeBatcherOptions) {
  let queue: Pending[] = [];
  let inFlight = 0;

  function exchange(pair: readonly [number, number]): Promise<ExchangeResult> {
    return new Promise<ExchangeResult>((resolve, reject) => {
      queue.push({ pair, resolve, reject });
      pump();
    });
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = take();
      inFlight++;
      void settle(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  /** The oldest pairs that share no participant, up to maxBatch; the others keep their place in the queue. */
  function take(): Pending[] {
    const ids = new Set<number>();
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of queue) {
      const [a, b] = p.pair;
      if (batch.length < maxBatch && !ids.has(a) && !ids.has(b)) {
        batch.push(p);
        ids.add(a).add(b);
      } else {
        rest.push(p);
      }
    }
    queue = rest;
    return batch;
  }

  async function settle(batch: Pending[]): Promise<void> {
    try {
      const { outcomes, now } = await withRetry(async () => {
        const at = clock.now();
        return {
          outcomes: await run(
            batch.map((p) => p.pair),
            at,
          ),
          now: at,
        };
      });
      const credited = outcomes.flatMap((o, i) => (o.ok ? [...(batch[i] as Pending).pair] : []));
      if (credited.length > 0) await afterCommit(credited);
      batch.forEach((p, i) => {
        const outcome = outcomes[i];
        if (outcome) p.resolve({ ...outcome, now });
        else p.reject(new Error('exchange batch returned fewer outcomes than pairs'));
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  return { exchange };
}
