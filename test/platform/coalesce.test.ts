import { describe, expect, it } from 'vitest';
import { createCoalescer, createGroupCommit } from '../../src/platform/coalesce.js';

describe('createCoalescer', () => {
  it('runs items added in the same turn as one batch and answers each caller with its own result', async () => {
    const batches: number[][] = [];
    const c = createCoalescer(async (items: number[]) => {
      batches.push(items);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => c.add(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('keeps at most maxInFlight batches running and splits at maxBatch', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const c = createCoalescer(
      async (items: number[]) => {
        running++;
        most = Math.max(most, running);
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items;
      },
      { maxBatch: 4, maxInFlight: 2 },
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => c.add(i)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(most).toBe(2);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('fails every item of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const c = createCoalescer(async (items: string[]) => {
      if (fail) throw new Error('database down');
      return items;
    });
    await expect(Promise.all([c.add('a'), c.add('b')])).rejects.toThrow('database down');
    fail = false;
    expect(await c.add('c')).toBe('c');
  });
});

describe('createGroupCommit', () => {
  it('answers each item from its batch, and retries the items of a failed batch one by one', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommit(async (items: number[]) => {
      batches.push(items);
      if (items.length > 1 && items.includes(13)) throw new Error('a constraint the whole batch hit');
      if (items[0] === 13) throw new Error('13 alone fails');
      return items.map((n) => (n % 2 === 0 ? { ok: true as const, result: n * 10 } : { ok: false as const, error: new Error(`odd ${n}`) }));
    });
    const answers = await Promise.allSettled([2, 3, 13, 4].map((n) => commit(n)));
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      20,
      'odd 3',
      '13 alone fails',
      40,
    ]);
    expect(batches).toEqual([[2, 3, 13, 4], [2], [3], [13], [4]]);
  });
});
