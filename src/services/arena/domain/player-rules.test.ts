import { describe, expect, it } from 'vitest';
import { checkNewPlayer } from './player-rules.js';

describe('checkNewPlayer', () => {
  it('applies the documented defaults', () => {
    expect(checkNewPlayer({ name: 'Ada' })).toEqual({
      ok: true,
      player: { name: 'Ada', description: '', gold: 0, silver: 0, attack: 70, hit_points: 100, luck: 10 },
    });
  });

  it('accepts the boundaries', () => {
    const result = checkNewPlayer({
      name: 'x'.repeat(20),
      description: 'd'.repeat(1000),
      gold: 1_000_000_000,
      silver: 0,
      attack: 1,
      hit_points: 10_000,
      luck: 100,
    });
    expect(result.ok).toBe(true);
  });

  it('lists every broken rule at once', () => {
    const result = checkNewPlayer({
      name: 'x'.repeat(21),
      description: 'd'.repeat(1001),
      gold: -1,
      silver: 1.5,
      attack: 0,
      hit_points: 10_001,
      luck: 101,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(7);
    for (const key of ['name', 'description', 'gold', 'silver', 'attack', 'hit_points', 'luck']) {
      expect(result.problems.some((p) => p.startsWith(key))).toBe(true);
    }
  });

  it('rejects a missing or blank name and a non-object body', () => {
    expect(checkNewPlayer({}).ok).toBe(false);
    expect(checkNewPlayer({ name: '   ' }).ok).toBe(false);
    expect(checkNewPlayer([]).ok).toBe(false);
    expect(checkNewPlayer(null).ok).toBe(false);
  });
});
