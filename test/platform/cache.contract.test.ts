import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Cache, createMemoryCache, createRedisCache } from '../../src/platform/cache.js';
import { TEST_REDIS_URL } from '../harness.js';

const prefix = `test:cache:${process.pid}:${Date.now()}:`;
const connections: Redis[] = [];

/** Each call is a separate connection: as a separate process would have. */
function redisCache(namespace: string): Cache {
  const redis = new Redis(TEST_REDIS_URL as string);
  connections.push(redis);
  return createRedisCache(redis, prefix, namespace);
}

afterAll(async () => {
  const [first] = connections;
  if (first) {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length) await first.del(...keys);
  }
  for (const c of connections) c.disconnect();
});

const backends: { name: string; create(ns: string): Cache }[] = [
  { name: 'memory', create: (ns) => createMemoryCache(ns) },
  ...(TEST_REDIS_URL ? [{ name: 'redis', create: redisCache }] : []),
];

describe.each(backends)('cache contract: $name', ({ create }) => {
  it('loads once and serves the stored value until invalidated', async () => {
    const cache = create('once');
    let loads = 0;
    const load = async () => ({ v: ++loads });
    expect(await cache.getOrLoad('k', load)).toEqual({ v: 1 });
    expect(await cache.getOrLoad('k', load)).toEqual({ v: 1 });
    await cache.invalidate('k');
    expect(await cache.getOrLoad('k', load)).toEqual({ v: 2 });
  });

  it('does not store undefined (a "not found" is never cached)', async () => {
    const cache = create('missing');
    let loads = 0;
    const load = async () => {
      loads++;
      return undefined;
    };
    await cache.getOrLoad('gone', load);
    await cache.getOrLoad('gone', load);
    expect(loads).toBe(2);
  });

  it('never stores a value loaded before an invalidation it raced with', async () => {
    const cache = create('race');
    let release: () => void = () => undefined;
    const slowStale = cache.getOrLoad('k', async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      return 'stale';
    });
    await new Promise((r) => setTimeout(r, 20));
    await cache.invalidate('k'); // a write committed while the stale value was being read
    release();
    expect(await slowStale).toBe('stale');
    expect(await cache.getOrLoad('k', async () => 'fresh')).toBe('fresh');
  });

  it('expires entries after their ttl', async () => {
    const cache = create('ttl');
    await cache.getOrLoad('k', async () => 'old', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await cache.getOrLoad('k', async () => 'new', 50)).toBe('new');
  });
});

describe.runIf(TEST_REDIS_URL)('cache across processes (Redis)', () => {
  it('an invalidation in one process is seen by the next read in another', async () => {
    const a = redisCache('shared');
    const b = redisCache('shared');
    expect(await b.getOrLoad('user:1', async () => 'v1')).toBe('v1');
    expect(await a.getOrLoad('user:1', async () => 'unused')).toBe('v1');
    await a.invalidate('user:1');
    expect(await b.getOrLoad('user:1', async () => 'v2')).toBe('v2');
  });
});

describe.runIf(TEST_REDIS_URL)('reads of a hot key (Redis)', () => {
  it('share one round trip when they arrive together', async () => {
    const redis = new Redis(TEST_REDIS_URL as string);
    connections.push(redis);
    const cache = createRedisCache(redis, prefix, 'hot');
    expect(await cache.getOrLoad('k', async () => 'v1')).toBe('v1');
    const mget = vi.spyOn(redis, 'mget');
    const together = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad('k', async () => 'unused')));
    expect(together).toEqual(Array(20).fill('v1'));
    expect(mget).toHaveBeenCalledTimes(1);
  });

  it('never join one already sent: a read that begins after an invalidation sees it', async () => {
    const redis = new Redis(TEST_REDIS_URL as string);
    connections.push(redis);
    const cache = createRedisCache(redis, prefix, 'sent');
    expect(await cache.getOrLoad('k', async () => 'v1')).toBe('v1');
    // The early read's MGET goes out and is answered by Redis, but its answer is held back.
    const send = redis.mget.bind(redis) as (...args: unknown[]) => Promise<unknown>;
    let answered: Promise<unknown> = Promise.resolve();
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const mget = vi.spyOn(redis, 'mget').mockImplementationOnce(((...args: unknown[]) => {
      answered = send(...args);
      return held.then(() => answered);
    }) as typeof redis.mget);
    const early = cache.getOrLoad('k', async () => 'unused');
    await vi.waitFor(() => expect(mget).toHaveBeenCalledTimes(1));
    await answered;
    await redisCache('sent').invalidate('k'); // a write committed in another process
    const late = cache.getOrLoad('k', async () => 'v2');
    await vi.waitFor(() => expect(mget).toHaveBeenCalledTimes(2)); // its own round trip
    release();
    expect(await early).toBe('v1');
    expect(await late).toBe('v2');
  });
});

describe.runIf(TEST_REDIS_URL)('an invalidation that fails after the commit (Redis)', () => {
  it('is reported to the caller and retried in the background until it lands', async () => {
    const reader = redisCache('retry');
    const redis = new Redis(TEST_REDIS_URL as string);
    connections.push(redis);
    const writer = createRedisCache(redis, prefix, 'retry', { retryDelaysMs: [20] });
    expect(await reader.getOrLoad('k', async () => 'before the write')).toBe('before the write');
    // The writer's next two script calls fail, as during a Redis outage.
    const scripted = redis as unknown as { guildhallCacheInvalidate(...args: unknown[]): Promise<unknown> };
    const realInvalidate = scripted.guildhallCacheInvalidate.bind(redis);
    let failures = 2;
    scripted.guildhallCacheInvalidate = (...args: unknown[]) =>
      failures-- > 0 ? Promise.reject(new Error('Connection is closed.')) : realInvalidate(...args);
    await expect(writer.invalidate('k')).rejects.toThrow('Connection is closed.');
    for (let i = 0; i < 100 && failures >= 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    expect(await reader.getOrLoad('k', async () => 'after the write')).toBe('after the write');
  });
});
