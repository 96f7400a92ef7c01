import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullJobQueue, createPostgresJobQueue, type Job, type JobQueue } from '../../src/platform/jobs/index.js';
import { createTestPlatform, TEST_REDIS_URL, type TestPlatform } from '../harness.js';

const LEASE_MS = 600;
const options = { leaseMs: LEASE_MS, maxAttempts: 3, pollMs: 10 };

type Backend = { name: string; create(): JobQueue };
let platform: TestPlatform;
const queues: JobQueue[] = [];

const backends: Backend[] = [
  { name: 'postgres', create: () => createPostgresJobQueue(platform.db, options) },
  ...(TEST_REDIS_URL
    ? [
        {
          name: 'redis (BullMQ)',
          create: () => createBullJobQueue(TEST_REDIS_URL as string, `test:${randomBytes(4).toString('hex')}:`, options),
        },
      ]
    : []),
];

beforeAll(async () => {
  platform = await createTestPlatform({ redis: false });
});
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  await platform.close();
});

function newQueue(backend: Backend): JobQueue {
  const q = backend.create();
  queues.push(q);
  return q;
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(backends)('job queue contract: $name', (backend) => {
  it('delivers jobs to a single consumer in the order they were enqueued', async () => {
    const q = newQueue(backend);
    const seen: number[] = [];
    await q.enqueueMany(
      'ordered',
      Array.from({ length: 50 }, (_, i) => ({ n: i })),
    );
    const worker = q.work<{ n: number }>('ordered', async (job) => {
      seen.push(job.payload.n);
    });
    await until(() => seen.length === 50);
    await worker.close();
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await q.counts('ordered')).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it('gives every job to exactly one of several concurrent consumers', async () => {
    const q = newQueue(backend);
    const deliveries = new Map<number, number>();
    const handler = async (job: Job<{ n: number }>) => {
      deliveries.set(job.payload.n, (deliveries.get(job.payload.n) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
    };
    const workers = [
      q.work('shared', handler, { concurrency: 4 }),
      q.work('shared', handler, { concurrency: 4 }),
      q.work('shared', handler, { concurrency: 2 }),
    ];
    const producers = Array.from({ length: 5 }, (_, p) =>
      q.enqueueMany(
        'shared',
        Array.from({ length: 60 }, (_, i) => ({ n: p * 60 + i })),
      ),
    );
    await Promise.all(producers);
    await until(() => deliveries.size === 300);
    await Promise.all(workers.map((w) => w.close()));
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(await q.counts('shared')).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it('redelivers a job whose worker died mid-job to another worker', async () => {
    const q = newQueue(backend);
    let startedOnFirst = false;
    const first = q.work<{ id: string }>('crash', async () => {
      startedOnFirst = true;
      await new Promise(() => undefined); // hangs: the "process" dies before finishing
    });
    await q.enqueue('crash', { id: 'only' });
    await until(() => startedOnFirst);
    await first.close({ force: true });

    const finished: Job[] = [];
    const second = q.work('crash', async (job) => {
      finished.push(job);
    });
    await until(() => finished.length === 1, LEASE_MS * 20);
    await second.close();
    expect(finished[0]?.payload).toEqual({ id: 'only' });
    expect(finished[0]?.attempt).toBeGreaterThanOrEqual(2);
    expect(await q.counts('crash')).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it('retries a failing job and parks it as failed after the last attempt', async () => {
    const q = newQueue(backend);
    const attempts: Record<string, number[]> = { flaky: [], broken: [] };
    const worker = q.work<{ kind: 'flaky' | 'broken' }>('retry', async (job) => {
      attempts[job.payload.kind]?.push(job.attempt);
      if (job.payload.kind === 'broken' || job.attempt < 2) throw new Error(`${job.payload.kind} failed`);
    });
    await q.enqueue('retry', { kind: 'flaky' });
    await q.enqueue('retry', { kind: 'broken' });
    await until(async () => (await q.counts('retry')).failed === 1 && attempts.flaky?.length === 2);
    await worker.close();
    expect(attempts.flaky).toEqual([1, 2]);
    expect(attempts.broken).toEqual([1, 2, 3]);
    expect(await q.counts('retry')).toEqual({ waiting: 0, active: 0, failed: 1 });
  });

  it('finishes the job in hand when closed gracefully', async () => {
    const q = newQueue(backend);
    let started = false;
    let finished = false;
    const worker = q.work('graceful', async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await q.enqueue('graceful', {});
    await until(() => started);
    await worker.close();
    expect(finished).toBe(true);
    expect(await q.counts('graceful')).toEqual({ waiting: 0, active: 0, failed: 0 });
  });
});
