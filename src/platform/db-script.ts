import type { SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { DbHandle } from './db.js';

const dialect = new PgDialect();

/**
 * One value as an SQL literal. Numbers are parenthesized, so that `a -${n}` can never become a `--`
 * comment; only integers are taken (a fraction cast to an integer column would be rounded silently,
 * where a parameter is refused), and arrays and buffers are refused rather than guessed at.
 */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`cannot inline ${value} into SQL: only safe integers`);
    return `(${value})`;
  }
  if (Array.isArray(value) || value instanceof Uint8Array) throw new TypeError('cannot inline an array or a buffer into SQL');
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return `(${value.toString()})`;
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  if (text.includes('\u0000')) throw new RangeError('text with a NUL character cannot be stored');
  // An escape string (E'…', backslashes and quotes doubled) reads the same whatever the server's
  // standard_conforming_strings says; a plain '…' would not, were it turned off.
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * A statement with its values written in as literals, for the simple query protocol (which carries no
 * parameters). drizzle numbers its parameters `$1`, `$2`, …; the statement's own text must hold no other
 * `$` followed by a digit (no `'$1'` literal, no dollar quoting): each placeholder must be found exactly
 * once, in order, or this throws.
 */
export function inlineSql(statement: SQLWrapper): string {
  const { sql, params } = dialect.sqlToQuery(statement.getSQL());
  let expected = 1;
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    if (Number(n) !== expected++) throw new Error(`cannot inline this statement: its text holds a stray $${n}`);
    return literal(params[Number(n) - 1]);
  });
  if (expected !== params.length + 1) throw new Error('cannot inline this statement: a parameter has no placeholder');
  return text;
}

/** Statements as one script; on lines of their own, so that a trailing `-- comment` cannot swallow a `;`. */
const joined = (texts: readonly string[]) => texts.join('\n;\n');

/** One result per statement, or the answers would be matched to the wrong statements. */
function checked<R>(results: R[], statements: number): R[] {
  if (results.length !== statements) throw new Error(`a script of ${statements} statements gave ${results.length} results`);
  return results;
}

export interface Script {
  /**
   * Sends statements in one round trip and answers each one's rows. Each statement takes its own
   * snapshot (READ COMMITTED), so one that follows a lock sees everything committed before the lock was
   * granted. `commit` ends the transaction in the same round trip.
   */
  send(statements: SQLWrapper[], options?: { commit?: boolean }): Promise<unknown[][]>;
}

/**
 * A transaction sent as scripts: several statements per round trip instead of one. A transaction that
 * holds a hot lock across round trips holds it while the application's event loop gets around to each
 * answer; sending `BEGIN`, the lock and the reads that need it as one script, then the writes and
 * `COMMIT` as another, holds it across one. An error rolls the transaction back and is rethrown
 * (callers retry with `withRetry`, as for `db.transaction`). On PGlite (one connection, queries run one
 * at a time) the scripts run inside its own transaction.
 */
export async function scriptedTransaction<T>(handle: DbHandle, body: (script: Script) => Promise<T>): Promise<T> {
  if (handle.kind === 'pglite') {
    // PGlite's own transaction (it commits when the body returns); `commit` only ends the sending.
    let ended = false;
    return handle.client.transaction(async (tx) =>
      body({
        async send(statements, { commit = false } = {}) {
          if (ended) throw new Error('this scripted transaction has already committed');
          ended = commit;
          if (statements.length === 0) return []; // PGlite answers an empty script with one empty result
          return checked(await tx.exec(joined(statements.map(inlineSql))), statements.length).map((r) => r.rows);
        },
      }),
    );
  }
  const client = await handle.pool.connect();
  let begun = false;
  let committed = false;
  const send: Script['send'] = async (statements, { commit = false } = {}) => {
    if (committed) throw new Error('this scripted transaction has already committed');
    // Read committed, whatever the server's default: each statement's fresh snapshot is the point.
    const texts = [...(begun ? [] : ['BEGIN ISOLATION LEVEL READ COMMITTED']), ...statements.map(inlineSql), ...(commit ? ['COMMIT'] : [])];
    const skip = begun ? 0 : 1;
    begun = true;
    const raw = (await client.query(joined(texts))) as unknown as { rows: unknown[] } | { rows: unknown[] }[];
    if (commit) committed = true;
    return checked(Array.isArray(raw) ? raw : [raw], texts.length)
      .slice(skip, skip + statements.length)
      .map((r) => r.rows);
  };
  try {
    const out = await body({ send });
    if (begun && !committed) await send([], { commit: true });
    client.release();
    return out;
  } catch (err) {
    let broken = false;
    if (begun && !committed) await client.query('ROLLBACK').catch(() => (broken = true));
    client.release(broken);
    throw err;
  }
}
