import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.js';

/**
 * Fixed-window counters for verify-ticket. With Redis they are shared by every replica (INCR +
 * PEXPIRE in one script); without Redis they live in this process, which is exact for the embedded
 * single-process setup — a multi-replica deployment runs with Redis.
 */
export interface RateLimiter {
  /** Counts one hit on `key`; `retryAfterMs` is set when the key is over `limit` in this window. */
  hit(key: string, limit: number, windowMs: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** Per client (IPv4 address or IPv6 /64) and per ticket. codes.ts derives the code strength from these. */
export const VERIFY_LIMITS = {
  perIp: { limit: 60, windowMs: 60_000 },
  perTicket: { limit: 10, windowMs: 15 * 60_000 },
} as const;

export function createMemoryRateLimiter(clock: Clock, max = 200_000): RateLimiter {
  // Bounded: under a flood of distinct keys the oldest windows are evicted rather than memory growing.
  const windows = new LRUCache<string, { start: number; hits: number }>({ max });
  return {
    async hit(key, limit, windowMs) {
      const now = clock.now().getTime();
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, hits: 0 };
        windows.set(key, w);
      }
      w.hits++;
      return w.hits <= limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: w.start + windowMs - now };
    },
  };
}

const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

export function createRedisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async hit(key, limit, windowMs) {
      const [hits, ttl] = (await redis.eval(HIT, 1, `${prefix}raffle:rl:${key}`, windowMs)) as [number, number];
      return hits <= limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: ttl > 0 ? ttl : windowMs };
    },
  };
}
