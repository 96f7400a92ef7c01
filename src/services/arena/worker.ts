import type { Platform } from '../../platform/platform.js';
import type { Stoppable } from '../../platform/service.js';
import { createArenaStore } from './store/index.js';
import { BATTLE_QUEUE, type BattleJob, battleIdsOf, createArenaUseCases } from './use-cases.js';

/**
 * Battle jobs (each a batch of submissions) a process holds at once. Handlers only wait for their
 * battles in the process's batcher, which fights them one transaction at a time on one connection,
 * so this bounds the battles a process can gather, not the connections it uses.
 */
export function workerConcurrency(platform: Platform): number {
  return platform.dbHandle.kind === 'pglite' ? 16 : 64;
}

/**
 * Runs the battle worker of this process. On start it re-enqueues battles still unfinished after a
 * lease (an enqueue lost between commit and queue, a Redis that lost its data), and repeats that sweep
 * now and then; a battle delivered twice is fought once, because its status is checked under lock.
 * Handlers hand their battles to the process's batcher (battle-rounds.ts) and wait for them.
 */
export async function startArenaWorkers(platform: Platform): Promise<Stoppable> {
  const useCases = createArenaUseCases({
    store: createArenaStore(platform.db, { driver: platform.dbHandle.kind }),
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
      await useCases.processBattles(battleIdsOf(job.payload));
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
