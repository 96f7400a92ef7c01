import type { Platform } from '../../platform/platform.js';
import type { Stoppable } from '../../platform/service.js';
import { createArenaStore } from './store.js';
import { BATTLE_QUEUE, type BattleJob, createArenaUseCases } from './use-cases.js';

/** Battles a process fights at once: half its database pool (the API of `serve` needs the rest). */
export function workerConcurrency(platform: Platform): number {
  if (platform.dbHandle.kind === 'pglite') return 1;
  return Math.max(1, Math.min(16, Math.floor(platform.config.DATABASE_POOL_SIZE / 2)));
}

/**
 * Runs the battle worker of this process. On start it re-enqueues battles still unfinished after a
 * lease (an enqueue lost between commit and queue, a Redis that lost its data), and repeats that sweep
 * now and then; a battle delivered twice is fought once, because its status is checked under lock.
 */
export async function startArenaWorkers(platform: Platform): Promise<Stoppable> {
  const useCases = createArenaUseCases({
    store: createArenaStore(platform.db),
    leaderboard: platform.leaderboard,
    jobs: platform.jobs,
    logger: platform.logger,
  });
  const leaseMs = platform.config.JOB_LEASE_MS;
  const sweep = async (olderThanMs: number) => {
    const requeued = await useCases.enqueueUnfinished(olderThanMs);
    if (requeued > 0) platform.logger.warn({ requeued }, 'arena: re-enqueued unfinished battles');
  };
  await sweep(leaseMs);
  const worker = platform.jobs.work<BattleJob>(
    BATTLE_QUEUE,
    async (job) => {
      await useCases.processBattle(job.payload.battleId);
    },
    { concurrency: workerConcurrency(platform) },
  );
  // Later sweeps look only at battles far older than any healthy backlog, to add few duplicates.
  const periodMs = Math.max(60_000, leaseMs * 4);
  const timer = setInterval(() => {
    sweep(periodMs).catch((err: unknown) => platform.logger.warn({ err }, 'arena: recovery sweep failed'));
  }, periodMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await worker.close();
    },
  };
}
