import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { DbHandle } from './db.js';

export interface MigrationSet {
  /** The Postgres schema the set owns; its migrations are recorded in `migrations.<schema>`. */
  schema: string;
  folder: string;
}

// Each set records its applied migrations in its own table of a shared bookkeeping schema (the
// set's own schema cannot hold it: its first migration creates that schema).
const MIGRATIONS_SCHEMA = 'migrations';
// Any constant works; it only has to be the same in every process of a deployment.
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies every pending migration of each set, in order. On a server, concurrent starters
 * (several replicas booting at once) serialize on an advisory lock so each migration runs once.
 */
export async function migrateAll(handle: DbHandle, sets: MigrationSet[]): Promise<void> {
  const present = sets.filter((s) => existsSync(join(s.folder, 'meta', '_journal.json')));
  if (handle.kind === 'pglite') {
    for (const set of present) {
      await migratePglite(handle.db as unknown as PgliteDatabase, {
        migrationsFolder: set.folder,
        migrationsSchema: MIGRATIONS_SCHEMA,
        migrationsTable: set.schema,
      });
    }
    return;
  }
  const client = await handle.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const db = drizzlePg(client);
    for (const set of present) {
      await migratePg(db, { migrationsFolder: set.folder, migrationsSchema: MIGRATIONS_SCHEMA, migrationsTable: set.schema });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
