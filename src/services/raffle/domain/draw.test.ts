import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { drawWinners, prizeUnits, sampleDistinct } from './draw.js';
import { createBufferedSecureRandom } from './secure-random.js';

describe('sampleDistinct', () => {
  it('draws k distinct numbers within 1..n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.nat(), fc.integer(), (n, r, seed) => {
        const k = r % (n + 1);
        const xs = sampleDistinct(n, k, seededRandom(seed));
        expect(xs).toHaveLength(k);
        expect(new Set(xs).size).toBe(k);
        for (const x of xs) expect(x >= 1 && x <= n).toBe(true);
      }),
    );
  });

  it('can draw every ticket', () => {
    expect([...sampleDistinct(50, 50, seededRandom(1))].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('refuses more numbers than there are', () => {
    expect(() => sampleDistinct(3, 4, seededRandom(1))).toThrow(RangeError);
  });

  it('is not biased toward low numbers (mean and decile chi-square, CSPRNG)', () => {
    const n = 100_000;
    const k = 20_000;
    const xs = sampleDistinct(n, k, createBufferedSecureRandom());
    const mean = xs.reduce((s, x) => s + x, 0) / k;
    // Standard error of the mean of k draws without replacement from 1..n.
    const se = Math.sqrt((n * n - 1) / 12 / k) * Math.sqrt((n - k) / (n - 1));
    expect(Math.abs(mean - (n + 1) / 2)).toBeLessThan(5 * se);
    const deciles = new Array<number>(10).fill(0);
    for (const x of xs) deciles[Math.floor(((x - 1) * 10) / n)] = (deciles[Math.floor(((x - 1) * 10) / n)] ?? 0) + 1;
    const expected = k / 10;
    const chi2 = deciles.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    // 9 degrees of freedom, significance 1e-9 (at 0.001 a fair draw would fail one CI run in a thousand).
    expect(chi2).toBeLessThan(60.66);
  });

  it('draws 100,000 distinct tickets of 1,000,000', () => {
    const xs = sampleDistinct(1_000_000, 100_000, createBufferedSecureRandom());
    expect(new Set(xs).size).toBe(100_000);
  });
});

describe('drawWinners', () => {
  it('expands prize amounts into that many distinct winning tickets, sorted by ticket', () => {
    const prizes = [
      { name: 'car', amount: 1 },
      { name: 'mug', amount: 5 },
    ];
    const { tickets, prizeIndexes } = drawWinners(10, prizes, seededRandom(7));
    expect(prizeUnits(prizes)).toBe(6);
    expect(tickets).toHaveLength(6);
    expect(prizeIndexes).toHaveLength(6);
    expect(new Set(tickets).size).toBe(6);
    expect([...prizeIndexes].filter((p) => p === 0)).toHaveLength(1);
    expect([...prizeIndexes].filter((p) => p === 1)).toHaveLength(5);
    expect([...tickets]).toEqual([...tickets].sort((a, b) => a - b));
  });

  it('gives every ticket a prize when prizes equal tickets', () => {
    expect([...drawWinners(3, [{ name: 'x', amount: 3 }], seededRandom(1)).tickets]).toEqual([1, 2, 3]);
  });

  it('keeps each ticket paired with the prize it was drawn for', () => {
    // Prize units take the sampled tickets in draw order; sorting must carry each prize along.
    const prizes = [
      { name: 'a', amount: 3 },
      { name: 'b', amount: 4 },
      { name: 'c', amount: 5 },
    ];
    const sampled = sampleDistinct(1_000, 12, seededRandom(11));
    const expected = new Map([...sampled].map((t, u) => [t, u < 3 ? 0 : u < 7 ? 1 : 2]));
    const { tickets, prizeIndexes } = drawWinners(1_000, prizes, seededRandom(11));
    expect([...tickets].map((t, i) => [t, prizeIndexes[i]])).toEqual([...expected].sort((x, y) => x[0] - y[0]));
  });

  it('shuffles the same way on the dense and the sparse path (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.nat(), fc.integer(), (n, r, seed) => {
        const k = r % (n + 1);
        const dense = sampleDistinct(n, k, seededRandom(seed), Number.POSITIVE_INFINITY);
        const sparse = sampleDistinct(n, k, seededRandom(seed), 0);
        expect([...dense]).toEqual([...sparse]);
      }),
      { numRuns: 200 },
    );
  });
});
