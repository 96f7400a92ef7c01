import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/platform/db.js';
import { isDependencyFailure } from '../../src/platform/http.js';
import { bounded, sleep, waitUntil } from './support/processes.js';
import { type OwnPostgres, postgresBinDir, startOwnPostgres } from './support/servers.js';

/**
 * The database pool itself across a PostgreSQL crash (immediate shutdown) and restart, under a stream
 * of transactions: every failure is a dependency failure (→ 503), and afterwards the pool is whole —
 * no client lost to a transaction whose BEGIN met a dead connection — and serves again by itself.
 * Runs where the faults tests run (TEST_DATABASE_URL set and PostgreSQL's server binaries installed).
 */
const binDir = postgresBinDir();
const enabled = Boolean(process.env.TEST_DATABASE_URL) && binDir !== undefined;
const POOL = 10;

describe.runIf(enabled)('database pool across a PostgreSQL restart (runs with TEST_DATABASE_URL where initdb/postgres exist)', () => {
  let server: OwnPostgres | undefined;
  let handle: DbHandle | undefined;

  beforeAll(async () => {
    server = await startOwnPostgres(binDir as string);
    handle = await createDb({ databaseUrl: server.url, poolSize: POOL });
  }, 120_000);

  afterAll(async () => {
    // pool.end() waits for every checked-out client: bounded, so that the server is stopped regardless.
    if (handle) await bounded(handle.close(), 10_000);
    await server?.close();
  }, 60_000);

  it('fails only with dependency errors during the outage and ends with every client back in the pool', async () => {
    const h = handle as DbHandle;
    const pg = server as OwnPostgres;
    if (h.kind !== 'pg') throw new Error('expected a node-postgres pool');
    let stop = false;
    let committed = 0;
    const unexpected: string[] = [];
    // More lanes than clients, so that checkouts race the connections dying.
    const lanes = Array.from({ length: POOL * 4 }, async () => {
      while (!stop) {
        try {
          await h.db.transaction(async (tx) => {
            await tx.execute(sql`SELECT 1`);
            await tx.execute(sql`SELECT 2`);
          });
          committed++;
        } catch (err) {
          if (!isDependencyFailure(err) && unexpected.length < 10) unexpected.push(String(err));
          await sleep(5);
        }
      }
    });
    try {
      await waitUntil('some transactions to commit', () => committed > 50, { timeoutMs: 60_000 });
      await pg.kill();
      await sleep(1_000);
      await pg.start();
      const before = committed;
      await waitUntil('transactions to commit again after the restart', () => committed > before + 50, { timeoutMs: 60_000 });
    } finally {
      stop = true;
      await Promise.all(lanes);
    }
    expect(unexpected, 'every failure during the outage is a dependency failure').toEqual([]);
    // Nothing is in flight: every client the pool made is idle (none leaked as checked out).
    expect(h.pool.totalCount - h.pool.idleCount, 'clients still checked out').toBe(0);
    for (let i = 0; i < POOL * 2; i++) {
      await h.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT 1`);
      });
    }
  }, 180_000);
});
