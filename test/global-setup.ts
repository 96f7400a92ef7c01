import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/platform/db.js';
import { migrateAll } from '../src/platform/migrate.js';
import { platformMigrations } from '../src/platform/platform.js';
import { services } from '../src/services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory (tar) every test file loads instead of paying initdb. */
    pgliteTemplate: string;
    /** Name of a migrated template database on TEST_DATABASE_URL's server ('' when unset). */
    pgTemplate: string;
  }
}

const migrationSets = () => [
  platformMigrations,
  ...services.flatMap((s) => (s.migrationsFolder ? [{ schema: s.name, folder: s.migrationsFolder }] : [])),
];

/** Migrates once per run: a PGlite image for the embedded suite, a template database for a real server. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-test-'));
  const pglite = new PGlite();
  const handle = await createDb({ pglite });
  await migrateAll(handle, migrationSets());
  const image = join(dir, 'template.tar');
  writeFileSync(image, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await handle.close();
  project.provide('pgliteTemplate', image);

  const url = process.env.TEST_DATABASE_URL;
  let template = '';
  if (url) {
    template = `guildhall_tpl_${process.pid}_${Date.now()}`;
    await adminQuery(url, `CREATE DATABASE ${template}`);
    const tplHandle = await createDb({ databaseUrl: withDatabase(url, template) });
    await migrateAll(tplHandle, migrationSets());
    await tplHandle.close();
  }
  project.provide('pgTemplate', template);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url && template) {
      // Test files drop their own databases; this also sweeps any a crashed run left behind.
      const leftovers = await adminQuery(url, `SELECT datname FROM pg_database WHERE datname LIKE 'guildhall_t%_${process.pid}_%'`);
      for (const row of leftovers) await adminQuery(url, `DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, text: string): Promise<{ datname: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>(text)).rows;
  } finally {
    await client.end();
  }
}
