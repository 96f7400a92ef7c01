import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * A read-through cache of JSON values, shared between readers (callers never mutate them). `getOrLoad`
 * never stores a value that was loaded before an invalidation it raced with, so a reader can never
 * re-cache a stale value after a write: callers invalidate *after* their transaction commits, and every
 * later read (in any process, when Redis is on) sees the new value.
 */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  getOrLoad<T>(key: string, load: () => Promise<T>, ttlMs?: number): Promise<T>;
  invalidate(...keys: string[]): Promise<void>;
}

const DEFAULT_TTL_MS = 60_000;

export function createMemoryCache(namespace: string, max = 10_000): Cache {
  const entries = new LRUCache<string, { value: unknown }>({ max });
  // One counter for the whole cache: a load that overlapped any invalidation is served but not stored.
  let epoch = 0;
  return {
    kind: 'memory',
    async getOrLoad<T>(key: string, load: () => Promise<T>, ttlMs = DEFAULT_TTL_MS): Promise<T> {
      const k = `${namespace}:${key}`;
      const hit = entries.get(k);
      if (hit) return hit.value as T;
      const seen = epoch;
      const value = await load();
      if (value !== undefined && seen === epoch) entries.set(k, { value }, { ttl: ttlMs });
      return value;
    },
    async invalidate(...keys) {
      epoch++;
      for (const key of keys) entries.delete(`${namespace}:${key}`);
    },
  };
}

// Store only if the key's generation is still the one read before loading.
const SET_IF_GENERATION = `
local gen = redis.call('GET', KEYS[2]) or ''
if gen == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end
return 0`;

// Bumps each key's generation (kept an hour: it only has to outlive loads in flight) and drops its value.
const INVALIDATE = `
for i = 1, #KEYS, 2 do
  redis.call('INCR', KEYS[i + 1])
  redis.call('PEXPIRE', KEYS[i + 1], 3600000)
  redis.call('DEL', KEYS[i])
end
return 1`;

interface CacheScripts {
  guildhallCacheInvalidate(numKeys: number, ...keys: string[]): Promise<unknown>;
  guildhallCacheSetIfGeneration(valueKey: string, genKey: string, gen: string, json: string, ttlMs: number): Promise<unknown>;
}

/**
 * Values in Redis, shared by every process: an invalidation (DEL + generation bump, one script) is seen
 * by every process's next read, and a loader that raced with it cannot store its stale result.
 * An invalidation that fails (Redis unreachable after the caller's commit) is reported to the caller
 * and retried in the background until it succeeds or every value it could have left stale has expired.
 */
export function createRedisCache(
  redis: Redis,
  prefix: string,
  namespace: string,
  { retryDelaysMs = [100, 250, 500, 1_000, 2_000, 5_000] }: { retryDelaysMs?: number[] } = {},
): Cache {
  const valueKey = (key: string) => `${prefix}cache:${namespace}:${key}`;
  const genKey = (key: string) => `${prefix}cachegen:${namespace}:${key}`;
  // The last value parsed per key, reused while Redis answers the same JSON (values are shared and
  // never mutated by callers, as with the memory cache): hot keys are not parsed on every read.
  const parsed = new LRUCache<string, { raw: string; value: unknown }>({ max: 1_000 });
  // The longest TTL this cache has stored with: no value outlives it, so retrying longer is pointless.
  let longestTtlMs = DEFAULT_TTL_MS;
  // Defined commands run by EVALSHA: the scripts are not sent (and hashed by Redis) with every call.
  if (!('guildhallCacheInvalidate' in redis)) {
    redis.defineCommand('guildhallCacheInvalidate', { lua: INVALIDATE });
    redis.defineCommand('guildhallCacheSetIfGeneration', { numberOfKeys: 2, lua: SET_IF_GENERATION });
  }
  const scripts = redis as unknown as CacheScripts;
  // Reads of one key that arrive in the same turn of the event loop share one MGET. It is sent after
  // all of them began (a read never joins one already sent), so each still sees every invalidation
  // that completed before it began; a hot key costs one round trip per turn, not one per read.
  const unsent = new Map<string, Promise<(string | null)[]>>();
  const readShared = (key: string): Promise<(string | null)[]> => {
    let read = unsent.get(key);
    if (!read) {
      read = new Promise<void>((sent) => setImmediate(sent)).then(() => {
        unsent.delete(key);
        return redis.mget(valueKey(key), genKey(key));
      });
      unsent.set(key, read);
    }
    return read;
  };
  const run = (keys: string[]) => scripts.guildhallCacheInvalidate(keys.length * 2, ...keys.flatMap((key) => [valueKey(key), genKey(key)]));

  function retryInBackground(keys: string[]): void {
    const giveUpAt = Date.now() + longestTtlMs;
    let attempt = 0;
    const again = () => {
      const delay = retryDelaysMs[Math.min(attempt++, retryDelaysMs.length - 1)] ?? 1_000;
      if (Date.now() + delay > giveUpAt) return;
      setTimeout(() => {
        run(keys).catch(again);
      }, delay).unref();
    };
    again();
  }

  return {
    kind: 'redis',
    async getOrLoad<T>(key: string, load: () => Promise<T>, ttlMs = DEFAULT_TTL_MS): Promise<T> {
      const [raw, gen] = await readShared(key);
      if (raw !== null && raw !== undefined) {
        const last = parsed.get(key);
        if (last?.raw === raw) return last.value as T;
        const value = JSON.parse(raw) as T;
        parsed.set(key, { raw, value });
        return value;
      }
      const value = await load();
      if (value !== undefined) {
        longestTtlMs = Math.max(longestTtlMs, ttlMs);
        await scripts.guildhallCacheSetIfGeneration(valueKey(key), genKey(key), gen ?? '', JSON.stringify(value), ttlMs);
      }
      return value;
    },
    async invalidate(...keys) {
      if (keys.length === 0) return;
      try {
        await run(keys);
      } catch (err) {
        retryInBackground(keys);
        throw err;
      }
    },
  };
}
