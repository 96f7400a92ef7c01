/**
 * In-process FIFO locks by key. The arena's workers take the locks of a battle's two players before
 * looking at it, so that handlers of one process whose battles share a player wait in memory instead
 * of all polling the database (a thundering herd when a few players have thousands of battles).
 * Correctness does not rest on these: the database row locks do that, across processes.
 */
export function createKeyedMutex() {
  const tails = new Map<number, Promise<void>>();

  /** Queues behind every key at once (synchronously), so holders are served in arrival order. */
  function enqueue(keys: number[]): { ready: Promise<unknown>; release: () => void } {
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous: Promise<void>[] = [];
    for (const key of keys) {
      previous.push(tails.get(key) ?? Promise.resolve());
      tails.set(key, mine);
    }
    return {
      ready: Promise.all(previous),
      release: () => {
        release();
        for (const key of keys) if (tails.get(key) === mine) tails.delete(key);
      },
    };
  }

  return {
    /** Whether any of `keys` is held or waited for right now. */
    busy(keys: number[]): boolean {
      return keys.some((key) => tails.has(key));
    },
    /** Runs `fn` holding the locks of `keys`. Queues are joined atomically, so waits never form a cycle. */
    async with<T>(keys: number[], fn: () => Promise<T>): Promise<T> {
      const { ready, release } = enqueue([...new Set(keys)]);
      try {
        await ready;
        return await fn();
      } finally {
        release();
      }
    },
  };
}
