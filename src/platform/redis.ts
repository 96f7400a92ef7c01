import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for ordinary commands. It fails fast while disconnected (no offline queue, one
 * retry) so that a Redis outage turns into quick 503s instead of requests hanging; it reconnects by itself.
 */
export async function createRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    ...options,
  });
  // Without a listener ioredis prints every reconnect error; readiness reports the state instead.
  redis.on('error', () => undefined);
  await redis.connect();
  return redis;
}

/** A connection for blocking consumers (BullMQ workers), which must wait out outages rather than fail. */
export function redisWorkerOptions(): RedisOptions {
  return { maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: (times) => Math.min(times * 100, 2_000) };
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
