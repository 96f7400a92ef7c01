import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../src/platform/db.js';

export interface Write {
  table: string;
  op: string;
}

export interface WriteAudit {
  /** Tables under audit. */
  tables: string[];
  /** Every row change committed since the previous call (and forgets them). */
  drain(): Promise<Write[]>;
}

/**
 * Row-level triggers on every table of the test database record each committed change (INSERT,
 * DELETE, an UPDATE that changes a value, TRUNCATE) in fuzz_audit.writes. Rolled-back changes vanish
 * with their transaction, so "this refused request left no writes behind" is one cheap query, however
 * big the seeded tables are — and the audit names the tables a partial write touched.
 * Only for the test's own throwaway database.
 */
export async function installWriteAudit(db: Db): Promise<WriteAudit> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'migrations')
        ORDER BY 1`,
  );
  await db.execute(sql.raw('CREATE SCHEMA fuzz_audit'));
  await db.execute(sql.raw('CREATE TABLE fuzz_audit.writes (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)'));
  await db.execute(
    sql.raw(`CREATE FUNCTION fuzz_audit.record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO fuzz_audit.writes (tbl, op) VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP);
        RETURN NULL;
      END $$`),
  );
  for (const { name } of tables) {
    await db.execute(
      sql.raw(`CREATE TRIGGER fuzz_audit_ins_del AFTER INSERT OR DELETE ON ${name} FOR EACH ROW EXECUTE FUNCTION fuzz_audit.record()`),
    );
    await db.execute(
      sql.raw(
        `CREATE TRIGGER fuzz_audit_upd AFTER UPDATE ON ${name} FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION fuzz_audit.record()`,
      ),
    );
    await db.execute(
      sql.raw(`CREATE TRIGGER fuzz_audit_truncate AFTER TRUNCATE ON ${name} FOR EACH STATEMENT EXECUTE FUNCTION fuzz_audit.record()`),
    );
  }
  return {
    tables: tables.map((t) => t.name),
    async drain() {
      return queryRows<Write>(db, sql.raw('DELETE FROM fuzz_audit.writes RETURNING tbl AS "table", op'));
    },
  };
}
