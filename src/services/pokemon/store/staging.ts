import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../platform/db.js';
import type { ImportType, PokemonRow, RowError, TrainerRow } from '../domain/csv-rows.js';

/**
 * The import's staging table: rows are streamed into it in batches inside the import transaction, checked
 * with set-based SQL (duplicates, existing ids, owners) and then copied into the real tables. It is a
 * temporary table dropped at the end of the transaction, so memory stays flat however large the file.
 */
const STAGING = 'pokemon_import_staging';

export async function createStaging(db: DbOrTx): Promise<void> {
  // The checks and the final INSERTs sort the whole file by id: with the default 4 MB of work_mem a
  // 100,000-row file sorts on disk. This transaction only.
  await db.execute(sql.raw(`SET LOCAL work_mem = '64MB'`));
  await db.execute(
    sql.raw(`CREATE TEMP TABLE ${STAGING} (
      rn integer NOT NULL, id text, bad boolean NOT NULL, existed boolean NOT NULL DEFAULT false,
      first_name text, last_name text, date_of_birth date,
      nickname text, species text, level integer, owner text, date_of_ownership date
    ) ON COMMIT DROP`),
  );
}

/** A staged row: a valid one with its values, or a bad one kept only for its id (duplicate checks). */
export type StagedRow =
  | { rn: number; bad: false; trainer: TrainerRow }
  | { rn: number; bad: false; pokemon: PokemonRow }
  | { rn: number; bad: true; id: string | undefined };

export async function stageRows(db: DbOrTx, rows: StagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  // One JSON parameter per batch works the same on node-postgres and PGlite (no COPY in PGlite's driver).
  const json = JSON.stringify(
    rows.map((r) => {
      if (r.bad) return { rn: r.rn, id: r.id ?? null, bad: true };
      if ('trainer' in r) {
        const t = r.trainer;
        return { rn: r.rn, id: t.id, bad: false, first_name: t.firstName, last_name: t.lastName, date_of_birth: t.dateOfBirth };
      }
      const p = r.pokemon;
      return {
        rn: r.rn,
        id: p.id,
        bad: false,
        nickname: p.nickname,
        species: p.species,
        level: p.level,
        owner: p.owner,
        date_of_ownership: p.dateOfOwnership,
      };
    }),
  );
  await db.execute(sql`
    INSERT INTO ${sql.raw(STAGING)} (rn, id, bad, first_name, last_name, date_of_birth, nickname, species, level, owner, date_of_ownership)
    SELECT rn, id, bad, first_name, last_name, date_of_birth, nickname, species, level, owner, date_of_ownership
    FROM json_to_recordset(${json}::json) AS x(rn integer, id text, bad boolean, first_name text, last_name text,
      date_of_birth date, nickname text, species text, level integer, owner text, date_of_ownership date)`);
}

async function errorsOf(db: DbOrTx, query: string, limit: number): Promise<{ errors: RowError[]; count: number }> {
  const rows = await queryRows<{ rn: number; column: string; reason: string; total: number }>(
    db,
    sql.raw(`SELECT rn, "column", reason, count(*) OVER () AS total FROM (${query}) q ORDER BY rn LIMIT ${Math.trunc(limit)}`),
  );
  return {
    errors: rows.map((r) => ({ row: Number(r.rn), column: r.column, reason: r.reason })),
    count: rows.length > 0 ? Number(rows[0]?.total ?? 0) : 0,
  };
}

/**
 * Set-based checks over the whole staged file: duplicate ids, ids already taken (insert mode), unknown owners
 * and, for pokemon upserts, dates that would take an ownership history back in time (checked on the rows
 * markExisting has locked).
 */
export async function stagingErrors(
  db: DbOrTx,
  type: ImportType,
  mode: 'insert' | 'upsert',
  limit: number,
): Promise<{ errors: RowError[]; count: number }> {
  const table = type === 'trainers' ? 'pokemon.trainers' : 'pokemon.pokemon';
  const checks = [
    `SELECT rn, 'id' AS "column", 'id "' || id || '" already appears on line ' || first || ' of this file' AS reason
     FROM (SELECT rn, id, min(rn) OVER (PARTITION BY id) AS first FROM ${STAGING} WHERE id IS NOT NULL) d WHERE rn > first`,
  ];
  if (mode === 'insert') {
    checks.push(
      `SELECT s.rn, 'id' AS "column", 'id "' || s.id || '" already exists; import with mode=upsert to update it' AS reason
       FROM ${STAGING} s JOIN ${table} t ON t.id = s.id`,
    );
  }
  if (type === 'pokemon') {
    checks.push(
      `SELECT s.rn, 'owner' AS "column", 'owner "' || s.owner || '" is not a known trainer; import the trainers first' AS reason
       FROM ${STAGING} s WHERE NOT s.bad AND NOT EXISTS (SELECT 1 FROM pokemon.trainers t WHERE t.id = s.owner)`,
    );
  }
  if (type === 'pokemon' && mode === 'upsert') {
    // A new owner's interval starts where the current one ends, so it cannot start before the current one
    // began; the same owner's interval (a new date_of_ownership) cannot start before the last one ended.
    checks.push(
      `SELECT rn, 'dateOfOwnership' AS "column", 'dateOfOwnership ' || to_char(day, 'DD-MM-YYYY') || ' is before '
         || to_char(bound, 'DD-MM-YYYY') || ', when ' || event || '; an ownership history cannot go back in time, use '
         || to_char(bound, 'DD-MM-YYYY') || ' or later' AS reason
       FROM (SELECT s.rn, s.date_of_ownership AS day,
           CASE WHEN p.owner <> s.owner THEN p.date_of_ownership ELSE last.to_date END AS bound,
           CASE WHEN p.owner <> s.owner THEN '"' || p.owner || '" became its owner' ELSE '"' || last.trainer_id || '" stopped owning it' END AS event
         FROM ${STAGING} s JOIN pokemon.pokemon p ON p.id = s.id
         LEFT JOIN LATERAL (SELECT o.to_date, o.trainer_id FROM pokemon.ownership o
           WHERE p.owner = s.owner AND o.pokemon_id = p.id ORDER BY o.seq DESC LIMIT 1) last ON true
         WHERE NOT s.bad) c
       WHERE day < bound`,
    );
  }
  const results = [];
  for (const query of checks) results.push(await errorsOf(db, query, limit));
  return { errors: results.flatMap((r) => r.errors), count: results.reduce((n, r) => n + r.count, 0) };
}

/** Locks the owners the file names (KEY SHARE, id order) so none can be deleted before commit. */
export async function lockStagedOwners(db: DbOrTx): Promise<void> {
  await db.execute(
    sql.raw(`SELECT count(*) FROM (SELECT t.id FROM pokemon.trainers t
      WHERE t.id IN (SELECT owner FROM ${STAGING} WHERE NOT bad) ORDER BY t.id FOR KEY SHARE OF t) locked`),
  );
}

/** Locks existing rows the file updates (id order, like trades) and marks them in staging. */
export async function markExisting(db: DbOrTx, type: ImportType): Promise<void> {
  const table = type === 'trainers' ? 'pokemon.trainers' : 'pokemon.pokemon';
  const lock = type === 'trainers' ? 'NO KEY UPDATE' : 'UPDATE';
  await db.execute(
    sql.raw(`SELECT count(*) FROM (SELECT t.id FROM ${table} t WHERE t.id IN (SELECT id FROM ${STAGING})
      ORDER BY t.id FOR ${lock} OF t) locked`),
  );
  await db.execute(sql.raw(`UPDATE ${STAGING} s SET existed = true FROM ${table} t WHERE t.id = s.id`));
}

export async function countStaged(db: DbOrTx): Promise<{ inserted: number; updated: number }> {
  const rows = await queryRows<{ inserted: number; updated: number }>(
    db,
    sql.raw(`SELECT count(*) FILTER (WHERE NOT existed)::int AS inserted, count(*) FILTER (WHERE existed)::int AS updated FROM ${STAGING}`),
  );
  return { inserted: Number(rows[0]?.inserted ?? 0), updated: Number(rows[0]?.updated ?? 0) };
}

export async function writeTrainers(db: DbOrTx, mode: 'insert' | 'upsert'): Promise<void> {
  const conflict =
    mode === 'upsert'
      ? 'ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, date_of_birth = excluded.date_of_birth'
      : '';
  await db.execute(
    sql.raw(`INSERT INTO pokemon.trainers (id, first_name, last_name, date_of_birth)
      SELECT id, first_name, last_name, date_of_birth FROM ${STAGING} ORDER BY id ${conflict}`),
  );
}

/**
 * Writes staged pokemon. An updated pokemon whose owner changes first gets its current interval recorded as
 * history, from its date_of_ownership to the file's (never earlier: see stagingErrors), read from the row
 * markExisting locked; the pokemon row then holds the new current interval. A new pokemon is one row.
 */
export async function writePokemon(db: DbOrTx, mode: 'insert' | 'upsert'): Promise<void> {
  if (mode === 'upsert') {
    await db.execute(
      sql.raw(`INSERT INTO pokemon.ownership (pokemon_id, trainer_id, from_date, to_date)
        SELECT p.id, p.owner, p.date_of_ownership, s.date_of_ownership
        FROM ${STAGING} s JOIN pokemon.pokemon p ON p.id = s.id
        WHERE s.existed AND p.owner <> s.owner ORDER BY p.id`),
    );
    await db.execute(
      sql.raw(`UPDATE pokemon.pokemon p SET nickname = s.nickname, species = s.species, level = s.level, owner = s.owner,
          date_of_ownership = s.date_of_ownership
        FROM ${STAGING} s WHERE s.existed AND p.id = s.id`),
    );
  }
  // New rows (every row in insert mode, which marks none as existing). Their ids were found free under this
  // transaction; a concurrent insert of one of them fails the whole statement with a unique violation
  // instead of being overwritten without its history.
  await db.execute(
    sql.raw(`INSERT INTO pokemon.pokemon (id, nickname, species, level, owner, date_of_ownership)
      SELECT id, nickname, species, level, owner, date_of_ownership FROM ${STAGING} WHERE NOT existed ORDER BY id`),
  );
}

/** Fresh statistics for the staging table (temporary tables are never auto-analyzed). */
export async function analyzeStaging(db: DbOrTx): Promise<void> {
  await db.execute(sql.raw(`ANALYZE ${STAGING}`));
}
