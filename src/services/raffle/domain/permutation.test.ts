import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPermutation } from './permutation.js';

const key = (seed: number) => Buffer.alloc(32, seed);

/** Number of ascending/descending runs; for a random order its mean is (2n-1)/3, variance (16n-29)/90. */
function runs(xs: number[]): number {
  let count = 1;
  for (let i = 2; i < xs.length; i++) {
    if (Math.sign((xs[i] as number) - (xs[i - 1] as number)) !== Math.sign((xs[i - 1] as number) - (xs[i - 2] as number))) count++;
  }
  return count;
}

describe('keyed ticket permutation', () => {
  it('hands out every number of 0..N-1 exactly once, for sizes around powers of 4', () => {
    for (const n of [1, 2, 3, 4, 5, 15, 16, 17, 63, 64, 65, 1000, 4097]) {
      const p = createPermutation(key(n), n);
      const seen = new Set(Array.from({ length: n }, (_, i) => p.permute(i)));
      expect(seen.size).toBe(n);
      expect(Math.min(...seen)).toBe(0);
      expect(Math.max(...seen)).toBe(n - 1);
    }
  });

  it('is inverted by unpermute (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 100_000_000 }), fc.nat(), (k, n, r) => {
        const p = createPermutation(k, n);
        const i = r % n;
        expect(p.unpermute(p.permute(i))).toBe(i);
        expect(p.permute(p.unpermute(i))).toBe(i);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the hand-out order of existing raffles (fixed vectors: the order must never change)', () => {
    const k = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const vectors: Array<[number, number[]]> = [
      [10, [0, 1, 8, 7, 4, 5]],
      [1000, [22, 750, 44, 754, 28, 511]],
      [1_000_000, [659346, 631165, 252991, 405207, 405435, 973690]],
      [100_000_000, [73361541, 80422137, 74623435, 59979758, 34592007, 19984836]],
    ];
    for (const [n, expected] of vectors) {
      const p = createPermutation(k, n);
      // Twice: the second pass reads the memoised round outputs.
      for (let pass = 0; pass < 2; pass++) expect([0, 1, 2, 3, 4, n - 1].map((i) => p.permute(i))).toEqual(expected);
      expect(expected.map((t) => p.unpermute(t))).toEqual([0, 1, 2, 3, 4, n - 1]);
    }
  });

  it('gives a different order for a different key', () => {
    const a = createPermutation(key(1), 1000);
    const b = createPermutation(key(2), 1000);
    const same = Array.from({ length: 1000 }, (_, i) => a.permute(i) === b.permute(i)).filter(Boolean).length;
    expect(same).toBeLessThan(10);
  });

  it('does not look sequential: few adjacent steps, runs as in a random order, no trend', () => {
    const n = 10_000;
    const p = createPermutation(randomBytes(32), n);
    const order = Array.from({ length: n }, (_, i) => p.permute(i));
    // A random order has about 2 steps of ±1 in total; a sequential one has n-1.
    const adjacent = order.slice(1).filter((x, i) => Math.abs(x - (order[i] as number)) === 1).length;
    expect(adjacent).toBeLessThan(12);
    // Runs test, 5 standard deviations.
    const mean = (2 * n - 1) / 3;
    const sd = Math.sqrt((16 * n - 29) / 90);
    expect(Math.abs(runs(order) - mean)).toBeLessThan(5 * sd);
    // Rank correlation between claim index and ticket: ~N(0, 1/n) for random orders.
    const mx = (n - 1) / 2;
    let cov = 0;
    let v = 0;
    order.forEach((y, x) => {
      cov += (x - mx) * (y - mx);
      v += (x - mx) ** 2;
    });
    expect(Math.abs(cov / v)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('serves any claim of a large raffle directly, without walking the earlier ones', () => {
    const p = createPermutation(randomBytes(32), 100_000_000);
    const last = p.permute(99_999_999);
    expect(last).toBeGreaterThanOrEqual(0);
    expect(last).toBeLessThan(100_000_000);
    expect(p.unpermute(last)).toBe(99_999_999);
  });

  it('refuses sizes and keys it cannot serve', () => {
    expect(() => createPermutation(key(1), 0)).toThrow(RangeError);
    expect(() => createPermutation(Buffer.alloc(8), 10)).toThrow(RangeError);
    expect(() => createPermutation(key(1), 10).permute(10)).toThrow(RangeError);
  });
});
