import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.js';

/** One fixed-window counter: `limit` hits per `windowMs` on `key`. */
export interface RateLimit {
  key: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Set (> 0) when the key is over its limit in this window. */
  retryAfterMs: number;
}

/**
 * Fixed-window counters for verify-ticket. With Redis they are shared by every replica: one script
 * counts a hit on every key of a request in ONE round trip (INCR, and PEXPIRE when the window starts).
 * Without Redis they live in this process, which is exact for the embedded single-process setup — a
 * multi-replica deployment runs with Redis.
 */
export interface RateLimiter {
  /** Counts one hit on each key; the results are in the order of `limits`. */
  hit(limits: readonly RateLimit[]): Promise<RateLimitResult[]>;
}

/** Per client (IPv4 address or IPv6 /64) and per ticket. README.md derives the code strength from these. */
export const VERIFY_LIMITS = {
  perIp: { limit: 60, windowMs: 60_000 },
  perTicket: { limit: 10, windowMs: 15 * 60_000 },
} as const;

export function createMemoryRateLimiter(clock: Clock, max = 200_000): RateLimiter {
  // Bounded: under a flood of distinct keys the oldest windows are evicted rather than memory growing.
  const windows = new LRUCache<string, { start: number; hits: number }>({ max });
  return {
    async hit(limits) {
      const now = clock.now().getTime();
      return limits.map(({ key, limit, windowMs }) => {
        let w = windows.get(key);
        if (!w || now - w.start >= windowMs) {
          w = { start: now, hits: 0 };
          windows.set(key, w);
        }
        w.hits++;
        return w.hits <= limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: w.start + windowMs - now };
      });
    },
  };
}

// KEYS: the counters; ARGV: their windows (ms). Returns hits and remaining TTL per key. A counter
// found without a TTL (its window start was lost) gets a fresh window rather than living forever.
const HIT = `
local out = {}
for i = 1, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  local ttl = redis.call('PTTL', KEYS[i])
  if n == 1 or ttl < 0 then
    redis.call('PEXPIRE', KEYS[i], ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[2 * i - 1] = n
  out[2 * i] = ttl
end
return out`;

const COMMAND = 'raffleRateLimitHit';
type WithHit = Redis & { [COMMAND](numKeys: number, ...args: (string | number)[]): Promise<number[]> };

export function createRedisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  // A defined command runs by EVALSHA (the script is sent once, not with every request).
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: HIT });
  const client = redis as WithHit;
  return {
    async hit(limits) {
      if (limits.length === 0) return [];
      const reply = await client[COMMAND](
        limits.length,
        ...limits.map((l) => `${prefix}raffle:rl:${l.key}`),
        ...limits.map((l) => l.windowMs),
      );
      return limits.map((l, i) => {
        const hits = Number(reply[2 * i]);
        const ttl = Number(reply[2 * i + 1]);
        return hits <= l.limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: ttl > 0 ? ttl : l.windowMs };
      });
    },
  };
}
