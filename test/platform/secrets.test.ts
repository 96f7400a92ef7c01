import { describe, expect, it } from 'vitest';
import { bearerToken, hashSecret, matchesHash, safeEqual } from '../../src/platform/secrets.js';

describe('secrets', () => {
  it('compares presented and expected secrets', () => {
    expect(safeEqual('s3cret-value', 's3cret-value')).toBe(true);
    expect(safeEqual('s3cret-valuE', 's3cret-value')).toBe(false);
    expect(safeEqual('short', 's3cret-value')).toBe(false);
    expect(safeEqual(undefined, 's3cret-value')).toBe(false);
  });

  it('matches a secret against its stored hash only', () => {
    const stored = hashSecret('token-123');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(matchesHash('token-123', stored)).toBe(true);
    expect(matchesHash('token-124', stored)).toBe(false);
    expect(matchesHash('token-123', 'not-a-hash')).toBe(false);
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
