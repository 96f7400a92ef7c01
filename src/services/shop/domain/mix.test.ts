import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barrelFractions, mixSku, skuMix, splitMl } from './mix.js';

describe('mix helpers', () => {
  it('accepts one-hot integers, fractions and percentages as barrel types, and rejects the rest', () => {
    expect(barrelFractions([0, 1, 0, 0])).toEqual([0, 1, 0, 0]);
    expect(barrelFractions([0.5, 0.5, 0, 0])).toEqual([0.5, 0.5, 0, 0]);
    expect(barrelFractions([0.333, 0.333, 0.334, 0])).toBeDefined();
    expect(barrelFractions([0, 0, 100, 0])).toEqual([0, 0, 1, 0]);
    expect(barrelFractions([0.5, 0.2, 0, 0])).toBeUndefined();
    expect(barrelFractions([-1, 2, 0, 0])).toBeUndefined();
    expect(barrelFractions([1, 0, 0])).toBeUndefined();
  });
  it('splits a mixed barrel across colours conserving every ml', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.tuple(fc.nat(9), fc.nat(9), fc.nat(9), fc.integer({ min: 1, max: 9 })),
        (ml, t) => {
          const sum = t.reduce((a, b) => a + b, 0);
          const parts = splitMl(ml, t.map((x) => x / sum) as unknown as [number, number, number, number]);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(ml);
          expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
        },
      ),
    );
  });
  it('round-trips a mix through its sku', () => {
    expect(skuMix(mixSku([50, 50, 0, 0]))).toEqual([50, 50, 0, 0]);
    expect(mixSku([100, 100, 100, 100]).length).toBeLessThanOrEqual(20);
    expect(skuMix('MIX_50_50_0_1')).toBeUndefined();
    expect(skuMix('RED')).toBeUndefined();
  });
});
