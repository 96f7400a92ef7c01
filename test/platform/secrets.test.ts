import { describe, expect, it } from 'vitest';
import { bearerToken, hashSecret, secretMatcher } from '../../src/platform/secrets.js';

describe('secrets', () => {
  it('compares presented and expected secrets', () => {
    const isSecret = secretMatcher('s3cret-value');
    expect(isSecret('s3cret-value')).toBe(true);
    expect(isSecret('s3cret-valuE')).toBe(false);
    expect(isSecret('short')).toBe(false);
    expect(isSecret(undefined)).toBe(false);
    expect(() => secretMatcher('')).toThrow(/non-empty/);
  });

  it('hashes secrets for storage', () => {
    expect(hashSecret('token-123')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret('token-123')).not.toBe(hashSecret('token-124'));
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
