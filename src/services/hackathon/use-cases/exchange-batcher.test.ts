import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/clock.js';
import type { ExchangeOutcome } from '../store/index.js';
import { createExchangeBatcher } from './exchange-batcher.js';

/** An in-memory stand-in for the batch statement: every pair passes; records what each batch held. */
function fakeRun() {
  const batches: Array<Array<readonly [number, number]>> = [];
  const balances = new Map<number, number>();
  const run = async (pairs: ReadonlyArray<readonly [number, number]>): Promise<ExchangeOutcome[]> => {
    batches.push([...pairs]);
    await new Promise((r) => setTimeout(r, 5));
    return pairs.map(([a, b]) => {
      for (const id of [a, b]) balances.set(id, (balances.get(id) ?? 0) + 1);
      const row = (id: number) => ({
        id,
        name: '',
        company: '',
        email: '',
        phone: '',
        bbt_tokens: balances.get(id) ?? 0,
        checked_in: false,
        skills: [],
      });
      return { ok: true, exists: [true, true], lastExchangeMs: [null, null], credited: [row(a), row(b)] };
    });
  };
  return { run, batches, balances };
}

describe('exchange batcher', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 1));

  it('sends an exchange at once when idle and groups the ones that arrive meanwhile', async () => {
    const { run, batches } = fakeRun();
    const invalidated: number[][] = [];
    const batcher = createExchangeBatcher({ run, afterCommit: async (ids) => void invalidated.push(ids), clock, maxInFlight: 1 });
    const results = await Promise.all(Array.from({ length: 21 }, (_, i) => batcher.exchange([2 * i + 1, 2 * i + 2])));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batches.map((b) => b.length)).toEqual([1, 20]);
    // One cache invalidation per batch, naming every credited participant.
    expect(invalidated.map((ids) => ids.length)).toEqual([2, 40]);
  });

  it('never puts two pairs sharing a participant in one batch, and keeps their order', async () => {
    const { run, batches, balances } = fakeRun();
    const batcher = createExchangeBatcher({ run, afterCommit: async () => {}, clock, maxInFlight: 1 });
    const pairs: Array<[number, number]> = [
      [1, 2],
      [1, 3],
      [4, 5],
      [2, 3],
      [1, 2],
      [6, 7],
    ];
    await Promise.all(pairs.map((p) => batcher.exchange(p)));
    for (const batch of batches) {
      const ids = batch.flat();
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(batches).toEqual([
      [[1, 2]],
      [
        [1, 3],
        [4, 5],
        [6, 7],
      ],
      [[2, 3]],
      [[1, 2]],
    ]);
    expect(balances.get(1)).toBe(3);
    expect(balances.get(2)).toBe(3);
  });

  it('answers every exchange of a failed batch with its error and goes on with the next', async () => {
    let calls = 0;
    const batcher = createExchangeBatcher({
      run: async (pairs) => {
        calls++;
        if (calls === 1) throw new Error('database down');
        return pairs.map(() => ({ ok: false, exists: [true, true], lastExchangeMs: [0, 0], credited: [] }));
      },
      afterCommit: async () => {},
      clock,
      maxInFlight: 1,
    });
    const [first, second] = await Promise.allSettled([batcher.exchange([1, 2]), batcher.exchange([3, 4])]);
    expect(first.status).toBe('rejected');
    expect(second.status === 'fulfilled' && second.value.ok).toBe(false);
  });
});
