import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../../../../test/global-setup.js';
import { TEST_DATABASE_URL } from '../../../../test/harness.js';
import { createDb, type DbHandle, queryRows } from '../../../platform/db.js';
import { migrateAll } from '../../../platform/migrate.js';
import { pokemonService } from '../index.js';
import type { PokemonDetail } from '../schemas.js';
import { applyTrades, findPokemonDetail } from '../store/index.js';

const FOLDER = pokemonService.migrationsFolder as string;

/** A copy of the migrations folder whose journal stops before `tag`: the schema as it was then. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pokemon-migrations-'));
  cpSync(FOLDER, dir, { recursive: true });
  const path = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(path, 'utf8')) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, stop);
  writeFileSync(path, JSON.stringify(journal));
  return dir;
}

// findPokemonDetail as it read the old model, where pokemon.ownership also held the open interval.
async function oldDetail(handle: DbHandle, id: string): Promise<PokemonDetail> {
  const rows = await queryRows<{ pokemon: PokemonDetail; history: PokemonDetail['history'] }>(
    handle.db,
    sql`SELECT json_build_object('id', p.id, 'nickname', p.nickname, 'species', p.species, 'level', p.level,
          'owner', p.owner, 'dateOfOwnership', p.date_of_ownership) AS pokemon,
        coalesce((SELECT json_agg(json_build_object('trainerId', o.trainer_id, 'from', o.from_date, 'to', o.to_date) ORDER BY o.seq)
          FROM pokemon.ownership o WHERE o.pokemon_id = p.id), '[]'::json) AS history
      FROM pokemon.pokemon p WHERE p.id = ${id}`,
  );
  const row = rows[0];
  if (!row) throw new Error(`no pokemon ${id}`);
  return { ...row.pokemon, history: row.history };
}

const trade = (trainerA: string, trainerB: string, pokemonA: string[], pokemonB: string[], day: string) => ({
  trainerA,
  trainerB,
  pokemonA,
  pokemonB,
  day,
  at: new Date(`${day}T12:00:00Z`),
});

describe('migration 0003 (closed intervals only)', () => {
  let handle: DbHandle;
  let oldFolder: string;
  // An empty database (not the migrated template): on the real server when there is one.
  const database = `guildhall_t${randomBytes(5).toString('hex')}_${process.ppid}_${Date.now()}`;
  beforeAll(async () => {
    if (TEST_DATABASE_URL) {
      await adminQuery(TEST_DATABASE_URL, `CREATE DATABASE ${database}`);
      handle = await createDb({ databaseUrl: withDatabase(TEST_DATABASE_URL, database) });
    } else {
      handle = await createDb({ pglite: new PGlite() });
    }
    oldFolder = migrationsBefore('0003_closed_intervals');
  });
  afterAll(async () => {
    await handle?.close();
    if (TEST_DATABASE_URL) await adminQuery(TEST_DATABASE_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (oldFolder) rmSync(oldFolder, { recursive: true, force: true });
  });

  it('keeps the API-visible history of a database written under the old model', async () => {
    await migrateAll(handle, [{ schema: 'pokemon', folder: oldFolder }]);
    // Old-model data: each pokemon with its open interval (as insertPokemon wrote them), then trades
    // through the old apply_trade, one of them by a trainer deleted afterwards.
    await handle.db.execute(sql`INSERT INTO pokemon.trainers VALUES
      ('a', 'A', 'A', '1990-01-01'), ('b', 'B', 'B', '1990-01-01'), ('c', 'C', 'C', '1990-01-01'), ('gone', 'G', 'G', '1990-01-01')`);
    await handle.db.execute(sql`INSERT INTO pokemon.pokemon VALUES
      ('p1', 'n1', 'pikachu', 5, 'a', '2020-01-01'), ('p2', 'n2', 'eevee', 6, 'b', '2021-01-01'),
      ('p3', 'n3', 'onix', 7, 'c', '2019-05-05'), ('p4', 'n4', 'mew', 8, 'gone', '2018-01-01')`);
    await handle.db.execute(
      sql`INSERT INTO pokemon.ownership (pokemon_id, trainer_id, from_date) SELECT id, owner, date_of_ownership FROM pokemon.pokemon`,
    );
    const outcomes = await applyTrades(handle.db, [
      trade('a', 'b', ['p1'], ['p2'], '2022-02-02'),
      trade('b', 'c', ['p1'], [], '2023-03-03'),
      trade('gone', 'a', ['p4'], [], '2022-02-02'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);
    await handle.db.execute(sql`DELETE FROM pokemon.trainers WHERE id = 'gone'`);
    const ids = ['p1', 'p2', 'p3', 'p4'];
    const before = await Promise.all(ids.map((id) => oldDetail(handle, id)));
    expect(before[0]?.history.map((h) => h.trainerId)).toEqual(['a', 'b', 'c']);

    await migrateAll(handle, [{ schema: 'pokemon', folder: FOLDER }]);
    expect(await Promise.all(ids.map((id) => findPokemonDetail(handle.db, id)))).toEqual(before);
    // Only the closed intervals are left: p1's two, p2's and p4's.
    expect(await queryRows(handle.db, sql`SELECT count(*)::int AS n FROM pokemon.ownership`)).toEqual([{ n: 4 }]);

    // Trades after the migration go on with the same chain.
    expect((await applyTrades(handle.db, [trade('c', 'a', ['p1'], [], '2024-04-04')]))[0]?.status).toBe('ok');
    expect((await findPokemonDetail(handle.db, 'p1'))?.history).toEqual([
      ...(before[0]?.history.slice(0, -1) ?? []),
      { trainerId: 'c', from: '2023-03-03', to: '2024-04-04' },
      { trainerId: 'a', from: '2024-04-04', to: null },
    ]);
  });
});
