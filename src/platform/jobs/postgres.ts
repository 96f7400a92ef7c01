import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db.js';
import { jobs } from '../tables.js';
import {
  type Job,
  type JobHandler,
  type JobQueue,
  type JobQueueOptions,
  type JobWorker,
  type QueueCounts,
  retryDelayMs,
  type WorkOptions,
} from './types.js';

interface ClaimedRow {
  id: number;
  payload: unknown;
  attempts: number;
}

/**
 * Jobs in `platform.jobs`, claimed with `FOR UPDATE SKIP LOCKED` so that any number of workers in any
 * number of processes take disjoint jobs in id order. A claim is a lease (`locked_until`) that the
 * worker renews while the handler runs; a worker that dies stops renewing and the job is claimed
 * again once the lease runs out. Completed jobs are deleted.
 */
export function createPostgresJobQueue(db: Db, options: JobQueueOptions): JobQueue {
  const wake = new EventEmitter();
  wake.setMaxListeners(0);
  const workers = new Set<JobWorker>();
  const pollMs = options.pollMs ?? 250;
  const leaseSql = sql.raw(`interval '${Math.round(options.leaseMs)} milliseconds'`);

  async function enqueueMany<T>(queue: string, payloads: T[]): Promise<string[]> {
    if (payloads.length === 0) return [];
    const rows = await db
      .insert(jobs)
      .values(payloads.map((payload) => ({ queue, payload })))
      .returning({ id: jobs.id });
    wake.emit(queue);
    return rows.map((r) => String(r.id));
  }

  function work<T>(queue: string, handler: JobHandler<T>, workOptions: WorkOptions = {}): JobWorker {
    const concurrency = Math.max(1, workOptions.concurrency ?? 1);
    const workerId = randomUUID();
    const inFlight = new Map<number, Promise<void>>();
    let stopped = false;
    let abandoned = false;
    let timer: NodeJS.Timeout | undefined;
    let wakeUp: (() => void) | undefined;

    const onWake = () => wakeUp?.();
    wake.on(queue, onWake);

    const heartbeat = setInterval(
      () => {
        if (inFlight.size === 0 || abandoned) return;
        const ids = [...inFlight.keys()];
        db.execute(
          sql`UPDATE platform.jobs SET locked_until = now() + ${leaseSql}
              WHERE id IN (${sql.join(ids, sql`, `)}) AND locked_by = ${workerId}`,
        ).catch((err: unknown) => options.onError?.(err, undefined));
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );
    heartbeat.unref();

    async function claim(limit: number): Promise<ClaimedRow[]> {
      return queryRows<ClaimedRow>(
        db,
        sql`UPDATE platform.jobs j
            SET state = 'active', attempts = j.attempts + 1, locked_until = now() + ${leaseSql}, locked_by = ${workerId}
            WHERE j.id IN (
              SELECT id FROM platform.jobs
              WHERE queue = ${queue} AND state <> 'failed'
                AND ((state = 'waiting' AND run_at <= now()) OR (state = 'active' AND locked_until < now()))
              ORDER BY id
              LIMIT ${limit}
              FOR UPDATE SKIP LOCKED)
            RETURNING j.id, j.payload, j.attempts`,
      );
    }

    async function settle(row: ClaimedRow, error: unknown): Promise<void> {
      if (abandoned) return;
      if (error === undefined) {
        await db.execute(sql`DELETE FROM platform.jobs WHERE id = ${row.id} AND locked_by = ${workerId}`);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (row.attempts >= options.maxAttempts) {
        await db.execute(
          sql`UPDATE platform.jobs SET state = 'failed', locked_until = NULL, locked_by = NULL, last_error = ${message}
              WHERE id = ${row.id} AND locked_by = ${workerId}`,
        );
      } else {
        const delay = sql.raw(`interval '${retryDelayMs(row.attempts)} milliseconds'`);
        await db.execute(
          sql`UPDATE platform.jobs SET state = 'waiting', run_at = now() + ${delay}, locked_until = NULL, locked_by = NULL,
              last_error = ${message} WHERE id = ${row.id} AND locked_by = ${workerId}`,
        );
      }
    }

    function run(row: ClaimedRow): void {
      const job: Job<T> = { id: String(row.id), queue, payload: row.payload as T, attempt: row.attempts };
      const task = (async () => {
        let failure: unknown;
        try {
          await handler(job);
        } catch (err) {
          failure = err ?? new Error('job failed');
          options.onError?.(err, job);
        }
        try {
          await settle(row, failure);
        } catch (err) {
          // The lease runs out and the job is delivered again; handlers are idempotent.
          options.onError?.(err, job);
        }
      })().finally(() => {
        inFlight.delete(row.id);
        wakeUp?.();
      });
      inFlight.set(row.id, task);
    }

    const loop = (async () => {
      while (!stopped) {
        const free = concurrency - inFlight.size;
        let claimed: ClaimedRow[] = [];
        if (free > 0) {
          try {
            claimed = await claim(free);
          } catch (err) {
            options.onError?.(err, undefined);
          }
          if (stopped && !abandoned) {
            // Closed while claiming: hand the jobs straight back.
            for (const row of claimed) await settleReturn(row);
            break;
          }
          for (const row of claimed) run(row);
        }
        if (claimed.length === 0 || claimed.length < free) {
          await new Promise<void>((resolve) => {
            wakeUp = resolve;
            timer = setTimeout(resolve, free > 0 ? pollMs : 1_000);
          });
          clearTimeout(timer);
          wakeUp = undefined;
        }
      }
    })();

    async function settleReturn(row: ClaimedRow): Promise<void> {
      await db.execute(
        sql`UPDATE platform.jobs SET state = 'waiting', attempts = attempts - 1, locked_until = NULL, locked_by = NULL
            WHERE id = ${row.id} AND locked_by = ${workerId}`,
      );
    }

    const worker: JobWorker = {
      async close({ force = false } = {}) {
        if (stopped) return;
        stopped = true;
        abandoned = force;
        wake.off(queue, onWake);
        wakeUp?.();
        clearInterval(heartbeat);
        workers.delete(worker);
        if (force) return;
        await loop;
        await Promise.allSettled([...inFlight.values()]);
      },
    };
    workers.add(worker);
    return worker;
  }

  return {
    kind: 'postgres',
    enqueue: async (queue, payload) => (await enqueueMany(queue, [payload]))[0] as string,
    enqueueMany,
    work,
    async counts(queue): Promise<QueueCounts> {
      const rows = await queryRows<{ state: string; n: number }>(
        db,
        sql`SELECT CASE WHEN state = 'active' AND locked_until < now() THEN 'waiting' ELSE state END AS state,
                   count(*)::int AS n
            FROM platform.jobs WHERE queue = ${queue} GROUP BY 1`,
      );
      const counts: QueueCounts = { waiting: 0, active: 0, failed: 0 };
      for (const r of rows) counts[r.state as keyof QueueCounts] += r.n;
      return counts;
    },
    async close() {
      await Promise.all([...workers].map((w) => w.close()));
    },
  };
}
