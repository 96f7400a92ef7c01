import { describe, expect, it } from 'vitest';
import { cooldownRemainingMs } from './cooldown.js';

describe('exchange cooldown', () => {
  const now = new Date(Date.UTC(2026, 0, 1, 12, 0, 10));

  it('lets a participant who never exchanged exchange at once', () => {
    expect(cooldownRemainingMs(null, now, 5_000)).toBe(0);
  });

  it('reports the exact wait inside the cooldown and zero from its end on', () => {
    expect(cooldownRemainingMs(new Date(now.getTime() - 2_000), now, 5_000)).toBe(3_000);
    expect(cooldownRemainingMs(new Date(now.getTime() - 5_000), now, 5_000)).toBe(0);
    expect(cooldownRemainingMs(new Date(now.getTime() - 4_999), now, 5_000)).toBe(1);
  });

  it('never refuses when the cooldown is zero', () => {
    expect(cooldownRemainingMs(now, now, 0)).toBe(0);
  });
});
