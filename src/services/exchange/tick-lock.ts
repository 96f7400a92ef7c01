/**
 * Only one process ticks at a time. On PostgreSQL: a session advisory lock held on a dedicated pooled
 * connection for the length of the tick (released by the server if the process dies). In-process, a
 * flag keeps two tickers of the same process apart too (and is the whole story on embedded PGlite,
 * which is single-process by nature).
 */
import type { DbHandle } from '../../platform/db.js';

// Any constant works; it only has to be the same in every process of a deployment.
export const TICK_LOCK_KEY = 727_004;

export interface TickLock {
  /** Runs `fn` when the lock is free; `{ ran: false }` when another ticker holds it. */
  tryRun<T>(fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

// One in-process flag per database, shared by every TickLock of the process (the routes and the
// background clock each build their own use cases).
const busyByDb = new WeakMap<object, { busy: boolean }>();

export function createTickLock(handle: DbHandle): TickLock {
  let flag = busyByDb.get(handle.db);
  if (!flag) {
    flag = { busy: false };
    busyByDb.set(handle.db, flag);
  }
  const state = flag;
  return {
    async tryRun(fn) {
      if (state.busy) return { ran: false };
      state.busy = true;
      try {
        if (handle.kind === 'pglite') return { ran: true, value: await fn() };
        const client = await handle.pool.connect();
        let locked = false;
        try {
          const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [TICK_LOCK_KEY]);
          locked = result.rows[0]?.locked === true;
          if (!locked) return { ran: false };
          return { ran: true, value: await fn() };
        } finally {
          // A connection whose unlock failed is destroyed (which frees the lock) rather than pooled with it held.
          const unlocked =
            !locked ||
            (await client.query('SELECT pg_advisory_unlock($1)', [TICK_LOCK_KEY]).then(
              () => true,
              () => false,
            ));
          client.release(!unlocked);
        }
      } finally {
        state.busy = false;
      }
    },
  };
}
