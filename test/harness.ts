import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import type { Clock } from '../src/platform/clock.js';
import { type Config, loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createPlatform, type Platform } from '../src/platform/platform.js';
import type { App, ServiceModule } from '../src/platform/service.js';
import { adminQuery, withDatabase } from './global-setup.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;
/** True when the suite runs against a real PostgreSQL server (concurrency tests need one). */
export const hasRealPostgres = TEST_DATABASE_URL !== undefined;
export const hasRedis = TEST_REDIS_URL !== undefined;

export interface TestPlatformOptions {
  /** Environment overrides, as strings, exactly as a deployment would set them. */
  env?: Record<string, string>;
  clock?: Clock;
  /** Use Redis for the two-backend interfaces when TEST_REDIS_URL is set (default true). */
  redis?: boolean;
}

export interface TestPlatform extends Platform {
  /** Where this platform's isolated database lives (for a second process sharing it). */
  databaseUrl: string | undefined;
}

let pgliteImage: Blob | undefined;

/**
 * A platform on an isolated, already-migrated database: a PGlite loaded from the run's template image
 * (no initdb per file), or — with TEST_DATABASE_URL — a fresh database cloned from the template
 * database. With TEST_REDIS_URL its Redis keys live under a unique prefix, deleted on close.
 */
export async function createTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const useRedis = (options.redis ?? true) && TEST_REDIS_URL !== undefined;
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let pglite: PGlite | undefined;
  if (TEST_DATABASE_URL) {
    const name = `guildhall_t${randomBytes(5).toString('hex')}_${process.ppid}_${Date.now()}`;
    await createDatabaseFromTemplate(TEST_DATABASE_URL, name, inject('pgTemplate'));
    databaseUrl = withDatabase(TEST_DATABASE_URL, name);
    dropDatabase = async () => {
      await adminQuery(TEST_DATABASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
  } else {
    pgliteImage ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
    pglite = new PGlite({ loadDataDir: pgliteImage });
  }
  const config: Config = loadConfig({
    LOG_LEVEL: 'silent',
    JOB_LEASE_MS: '2000',
    // Behaviour tests must not depend on how busy the machine is: no load shedding unless a test asks.
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20' } : {}),
    ...(useRedis && TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix } : {}),
    ...options.env,
  });
  const platform = await createPlatform(config, createLogger(config), {
    ...(pglite ? { pglite } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    pollMs: 20,
  });
  const close = platform.close.bind(platform);
  return {
    ...platform,
    databaseUrl,
    async close() {
      await close();
      if (useRedis && TEST_REDIS_URL) await deleteRedisKeys(TEST_REDIS_URL, prefix);
      await dropDatabase?.();
    },
  };
}

export interface TestApp {
  app: App;
  platform: TestPlatform;
  close(): Promise<void>;
}

/** The real app (error handler, docs, prefixes) with the given services, on a test platform. */
export async function buildTestApp(services: readonly ServiceModule[], options: TestPlatformOptions = {}): Promise<TestApp> {
  const platform = await createTestPlatform(options);
  const app = await buildApp(platform, services);
  await app.ready();
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

async function createDatabaseFromTemplate(url: string, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (err) {
      // Two files cloning the template at the same instant: "source database is being accessed by other users".
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}

/** Deletes every key under `prefix` (a test file's or a cluster's); one connection, no retry loop, no stray 'error' events. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
