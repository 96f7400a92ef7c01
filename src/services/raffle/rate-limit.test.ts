import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedis, TEST_REDIS_URL } from '../../../test/harness.js';
import { createFakeClock } from '../../platform/clock.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './rate-limit.js';

/** The same contract for both limiters: every key of a call counts one hit, results in call order. */
function contract(make: () => { limiter: RateLimiter; advance(ms: number): Promise<void> }) {
  it('counts a hit on every key of one call and answers in order', async () => {
    const { limiter } = make();
    const limits = [
      { key: 'a', limit: 3, windowMs: 60_000 },
      { key: 'b', limit: 1, windowMs: 60_000 },
    ];
    const first = await limiter.hit(limits);
    expect(first.map((r) => r.allowed)).toEqual([true, true]);
    const second = await limiter.hit(limits);
    expect(second.map((r) => r.allowed)).toEqual([true, false]);
    expect(second[1]?.retryAfterMs).toBeGreaterThan(0);
    expect(second[1]?.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await limiter.hit(limits)).map((r) => r.allowed)).toEqual([true, false]);
    expect((await limiter.hit(limits)).map((r) => r.allowed)).toEqual([false, false]);
  });

  it('starts a new window once the old one is over', async () => {
    const { limiter, advance } = make();
    const limits = [{ key: 'w', limit: 1, windowMs: 200 }];
    expect((await limiter.hit(limits))[0]?.allowed).toBe(true);
    expect((await limiter.hit(limits))[0]?.allowed).toBe(false);
    await advance(250);
    expect((await limiter.hit(limits))[0]?.allowed).toBe(true);
  });
}

describe('in-process rate limiter', () => {
  contract(() => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1));
    return {
      limiter: createMemoryRateLimiter(clock),
      advance: async (ms) => {
        clock.advance(ms);
      },
    };
  });
});

describe.runIf(hasRedis)('Redis rate limiter (one script per call)', () => {
  const redis = new Redis(TEST_REDIS_URL ?? '');
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
  });
  contract(() => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    return {
      limiter: createRedisRateLimiter(redis, prefix),
      advance: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
  });
});
