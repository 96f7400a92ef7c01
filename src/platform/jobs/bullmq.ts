import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { redisWorkerOptions } from '../redis.js';
import type { Job, JobHandler, JobQueue, JobQueueOptions, JobWorker, QueueCounts, WorkOptions } from './types.js';

/**
 * Jobs on BullMQ. A delivered job is locked for `leaseMs` and the lock is renewed while the handler
 * runs; a worker that dies stops renewing, the stalled-job check moves the job back to waiting and
 * another worker takes it (at-least-once, like the Postgres backend).
 */
export function createBullJobQueue(redisUrl: string, prefix: string, options: JobQueueOptions): JobQueue {
  const queues = new Map<string, Queue>();
  const workers = new Set<JobWorker>();
  // Keys look like `<prefix>bull:<queue>:…`.
  const bullPrefix = `${prefix}bull`;
  const producer = new Redis(redisUrl, { ...redisWorkerOptions(), maxRetriesPerRequest: 1, enableOfflineQueue: false });
  producer.on('error', () => undefined);

  function queueFor(name: string): Queue {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: producer,
        prefix: bullPrefix,
        defaultJobOptions: {
          attempts: options.maxAttempts,
          backoff: { type: 'exponential', delay: 100 },
          removeOnComplete: true,
          removeOnFail: { count: 10_000 },
        },
      });
      queue.on('error', () => undefined);
      queues.set(name, queue);
    }
    return queue;
  }

  function work<T>(queue: string, handler: JobHandler<T>, workOptions: WorkOptions = {}): JobWorker {
    const connection = new Redis(redisUrl, redisWorkerOptions());
    connection.on('error', () => undefined);
    const worker = new Worker(
      queue,
      async (bullJob) => {
        const job: Job<T> = {
          id: String(bullJob.id),
          queue,
          payload: bullJob.data as T,
          attempt: bullJob.attemptsMade + (bullJob.stalledCounter ?? 0) + 1,
        };
        try {
          await handler(job);
        } catch (err) {
          options.onError?.(err, job);
          throw err;
        }
      },
      {
        connection,
        prefix: bullPrefix,
        concurrency: Math.max(1, workOptions.concurrency ?? 1),
        lockDuration: options.leaseMs,
        stalledInterval: Math.max(50, Math.floor(options.leaseMs / 2)),
        maxStalledCount: options.maxAttempts,
      },
    );
    worker.on('error', (err) => options.onError?.(err, undefined));
    let closed = false;
    const handle: JobWorker = {
      async close({ force = false } = {}) {
        if (closed) return;
        closed = true;
        workers.delete(handle);
        if (force) {
          // Like a killed process: stop renewing locks at once and drop the connection.
          connection.disconnect();
          await worker.close(true).catch(() => undefined);
          return;
        }
        await worker.close();
        await connection.quit().catch(() => connection.disconnect());
      },
    };
    workers.add(handle);
    return handle;
  }

  async function enqueueMany<T>(queue: string, payloads: T[]): Promise<string[]> {
    if (payloads.length === 0) return [];
    const added = await queueFor(queue).addBulk(payloads.map((data) => ({ name: queue, data })));
    return added.map((j) => String(j.id));
  }

  return {
    kind: 'redis',
    enqueue: async (queue, payload) => (await enqueueMany(queue, [payload]))[0] as string,
    enqueueMany,
    work,
    async counts(queue): Promise<QueueCounts> {
      const c = await queueFor(queue).getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'failed');
      return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, failed: c.failed ?? 0 };
    },
    async close() {
      await Promise.all([...workers].map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
      await producer.quit().catch(() => producer.disconnect());
    },
  };
}
