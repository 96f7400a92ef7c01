import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Cache, createMemoryCache, createRedisCache } from './cache.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { createDb, type Db, type DbHandle } from './db.js';
import { createBullJobQueue, createPostgresJobQueue, type JobQueue } from './jobs/index.js';
import { createRedisLeaderboard, createSqlLeaderboard, type Leaderboard } from './leaderboard.js';
import { type MigrationSet, migrateAll } from './migrate.js';
import { closeRedis, createRedis } from './redis.js';

export const platformMigrations: MigrationSet = {
  schema: 'platform',
  folder: fileURLToPath(new URL('./migrations', import.meta.url)),
};

export type DependencyState = 'up' | 'down' | 'not configured';

/** Everything a service gets from the platform; built once per process and passed down. */
export interface Platform {
  config: Config;
  logger: Logger;
  db: Db;
  dbHandle: DbHandle;
  redis: Redis | undefined;
  jobs: JobQueue;
  leaderboard: Leaderboard;
  /** A cache namespace (one per use: `caches('hackathon:skills')`). Redis-backed when Redis is on. */
  cache(namespace: string): Cache;
  clock: Clock;
  readiness(): Promise<{ database: DependencyState; redis: DependencyState }>;
  /** Closes the queue, Redis and the database, in that order. Idempotent. */
  close(): Promise<void>;
}

export interface PlatformOverrides {
  pglite?: PGlite;
  clock?: Clock;
  pollMs?: number;
}

export async function createPlatform(config: Config, logger: Logger, overrides: PlatformOverrides = {}): Promise<Platform> {
  const dbHandle = await createDb({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    logger,
    ...(overrides.pglite ? { pglite: overrides.pglite } : {}),
  });
  let redis: Redis | undefined;
  try {
    redis = config.REDIS_URL ? await createRedis(config.REDIS_URL) : undefined;
  } catch (err) {
    await dbHandle.close();
    throw err;
  }
  const { db } = dbHandle;
  const queueOptions = {
    leaseMs: config.JOB_LEASE_MS,
    maxAttempts: config.JOB_MAX_ATTEMPTS,
    onError: (err: unknown, job: { id: string; queue: string } | undefined) =>
      logger.warn({ err, jobId: job?.id, queue: job?.queue }, 'job failed'),
    ...(overrides.pollMs ? { pollMs: overrides.pollMs } : {}),
  };
  const jobs =
    config.REDIS_URL && redis
      ? createBullJobQueue(config.REDIS_URL, config.REDIS_PREFIX, queueOptions)
      : createPostgresJobQueue(db, queueOptions);
  const leaderboard = redis ? createRedisLeaderboard(redis, config.REDIS_PREFIX) : createSqlLeaderboard(db);
  const caches = new Map<string, Cache>();
  let closing: Promise<void> | undefined;

  return {
    config,
    logger,
    db,
    dbHandle,
    redis,
    jobs,
    leaderboard,
    clock: overrides.clock ?? systemClock,
    cache(namespace) {
      let cache = caches.get(namespace);
      if (!cache) {
        cache = redis ? createRedisCache(redis, config.REDIS_PREFIX, namespace) : createMemoryCache(namespace);
        caches.set(namespace, cache);
      }
      return cache;
    },
    async readiness() {
      const database = await withTimeout(db.execute(sql`SELECT 1`), 2_000).then(
        () => 'up' as const,
        () => 'down' as const,
      );
      const redisState: DependencyState = !redis
        ? 'not configured'
        : await withTimeout(redis.ping(), 2_000).then(
            () => 'up' as const,
            () => 'down' as const,
          );
      return { database, redis: redisState };
    },
    close() {
      closing ??= (async () => {
        await jobs.close().catch((err: unknown) => logger.error({ err }, 'closing job queue failed'));
        if (redis) await closeRedis(redis);
        await dbHandle.close().catch((err: unknown) => logger.error({ err }, 'closing database failed'));
      })();
      return closing;
    },
  };
}

export async function migratePlatform(platform: Platform, sets: MigrationSet[]): Promise<void> {
  await migrateAll(platform.dbHandle, [platformMigrations, ...sets]);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
