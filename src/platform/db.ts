import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type QueryOptions, type Transaction, types } from '@electric-sql/pglite';
import type { SQLWrapper } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Logger } from 'pino';

/** The dialect-neutral drizzle handle every store receives (PGlite and node-postgres both fit it). */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>>;
export type DbOrTx = Db | Tx;

export type DbHandle =
  | { kind: 'pglite'; db: Db; client: PGlite; close(): Promise<void> }
  | { kind: 'pg'; db: Db; pool: pg.Pool; close(): Promise<void> };

// Postgres bigint (int8) and numeric come back as strings by default; the services keep money in
// integer columns well inside 2^53, so int8 is read as a JS number (checked, never silently rounded).
pg.types.setTypeParser(20, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
});

export interface DbOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  /** A ready PGlite instance (tests load one from a migrated template). */
  pglite?: PGlite;
  logger?: Logger;
}

export async function createDb(options: DbOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'guildhall',
    });
    // An idle client losing its server (restart, failover) must not crash the process; the pool
    // drops that client and makes a new one on the next checkout.
    pool.on('error', (err) => options.logger?.warn({ err }, 'idle database connection lost'));
    // A client checked out of the pool (a transaction) has no pool listener, and node-postgres emits
    // 'error' on it when its server goes away: unhandled, that kills the process.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    releaseCheckoutsOnConnectionLoss(pool);
    const db = drizzlePg(pool) as unknown as Db;
    return { kind: 'pg', db, pool, close: () => pool.end() };
  }
  let client = options.pglite;
  if (!client) {
    const dir = resolve(options.dataDir ?? './data', 'pglite');
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  }
  await client.waitReady;
  const pglite = client;
  const db = drizzlePglite(pgliteForDrizzle(pglite)) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    client: pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * A checked-out client whose connection dies goes back to the pool at once (which discards it), and a
 * later release of it is a no-op. Without this a transaction whose BEGIN hits a dead connection never
 * releases its client (drizzle sends BEGIN outside its try/finally), and every server restart would
 * shrink the pool for good until no request could get a connection.
 */
function releaseCheckoutsOnConnectionLoss(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | undefined;
  const guarded = (client: pg.PoolClient): pg.PoolClient => {
    const release = client.release.bind(client);
    let released = false;
    const releaseOnce = (err?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener('error', releaseOnce);
      release(err);
    };
    client.on('error', releaseOnce);
    client.release = releaseOnce;
    return client;
  };
  // The callback form is the pool's own (pool.query), which already releases a client that fails.
  pool.connect = ((callback?: unknown) =>
    callback === undefined ? (connect() as Promise<pg.PoolClient>).then(guarded) : connect(callback)) as typeof pool.connect;
}

/** The parsers drizzle's PGlite driver sends with every query: dates, times and intervals stay text. */
const DRIZZLE_TEXT_TYPES: readonly number[] = [
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231,
  1115,
  1185,
  1187,
  1182,
];

/**
 * drizzle sends its parsers with every PGlite query, and PGlite merges them into its own table of
 * several hundred parsers (one per array type) on every query: an object spread that costs a few
 * tenths of a millisecond of CPU per statement. The same parsers are installed in the client once
 * instead and dropped from each query: the same rows, without the per-query merge.
 */
function pgliteForDrizzle(client: PGlite): PGlite {
  const text = (value: string) => value;
  for (const oid of DRIZZLE_TEXT_TYPES) client.parsers[oid] = text;
  const query =
    (target: PGlite | Transaction) =>
    <T>(sql: string, params?: unknown[], options?: QueryOptions) =>
      target.query<T>(sql, params, withoutDrizzleParsers(options));
  const transaction =
    (target: PGlite) =>
    <T>(callback: (tx: Transaction) => Promise<T>) =>
      target.transaction((tx) => callback(new Proxy(tx, { get: (t, prop) => (prop === 'query' ? query(t) : bound(t, prop)) })));
  return new Proxy(client, {
    get: (target, prop) => (prop === 'query' ? query(target) : prop === 'transaction' ? transaction(target) : bound(target, prop)),
  });
}

function bound(target: object, prop: string | symbol): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

function withoutDrizzleParsers(options: QueryOptions | undefined): QueryOptions | undefined {
  if (!options?.parsers || !Object.keys(options.parsers).every((oid) => DRIZZLE_TEXT_TYPES.includes(Number(oid)))) return options;
  const { parsers: _installed, ...rest } = options;
  return rest;
}

/** Runs raw SQL and returns its rows (both drivers answer `{ rows }`). */
export async function queryRows<T>(db: DbOrTx, query: SQLWrapper | string): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * PGlite has no autovacuum, so its planner would never learn table sizes (a 100,000-row import would
 * still be planned as an empty table). The embedded server therefore runs ANALYZE once now — after
 * migrations and demo data — and then every `everyMs`. PostgreSQL servers do this themselves: no-op.
 */
export function startEmbeddedMaintenance(handle: DbHandle, logger: Logger, everyMs = 10 * 60_000): { stop(): Promise<void> } {
  if (handle.kind !== 'pglite') return { stop: async () => undefined };
  const client = handle.client;
  let running: Promise<unknown> = Promise.resolve();
  const analyze = () => {
    running = client.exec('ANALYZE').catch((err: unknown) => {
      if (!client.closed) logger.warn({ err }, 'ANALYZE of the embedded database failed');
    });
  };
  analyze();
  const timer = setInterval(analyze, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Postgres error code of a driver error (node-postgres and PGlite both carry `code`), if any. */
export function pgErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  // drizzle wraps driver errors in DrizzleQueryError with the original as `cause`.
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
} as const;

/** Constraint name of a constraint violation, if the driver reports one. */
export function pgConstraint(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const constraint = (current as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Runs `fn` in a transaction, retrying on serialization failures and deadlocks (both are safe to
 * retry: Postgres rolled everything back). Use for SERIALIZABLE transactions or lock orders that
 * cannot be made globally consistent.
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = pgErrorCode(err);
      const retryable = code === PG.serializationFailure || code === PG.deadlockDetected;
      if (!retryable || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
